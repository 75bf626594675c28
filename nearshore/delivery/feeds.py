"""Atom and RSS 2.0 feeds of the archive, written with feedgen: one entry per issue, its permalink as id,
updated when a correction is added."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from nearshore.delivery.archive_pages import ArchiveEntry

FeedKind = Literal["atom", "rss"]


def feed(entries: Sequence[ArchiveEntry], base_url: str, kind: FeedKind, topic: str | None = None) -> bytes:
    """The feed as XML bytes: `entries` newest first; `base_url` is where the archive is served."""
    from feedgen.feed import FeedGenerator

    root = f"{base_url.rstrip('/')}/"
    where = f"{topic}/" if topic else ""
    generator = FeedGenerator()
    generator.id(f"{root}{where}")
    generator.title(f"nearshore brief{': ' + topic if topic else ''}")
    generator.subtitle("Verified, sourced briefs on North American trade, with corrections when the data change.")
    generator.link(href=f"{root}{where}", rel="alternate")
    generator.link(href=f"{root}{where}{kind}.xml", rel="self")
    generator.language("en")
    generator.generator("nearshore")
    chosen = [e for e in entries if topic is None or e.topic == topic]
    if chosen:
        generator.updated(max(e.updated for e in chosen))
    for entry in reversed(chosen):  # feedgen puts the last added first
        item = generator.add_entry()
        link = f"{root}{entry.slug}/"
        item.id(link)
        item.guid(link, permalink=True)
        item.title(entry.subject)
        item.link(href=link)
        item.published(entry.created_at)
        item.updated(entry.updated)
        item.category(term=entry.topic)
        item.description(entry.feed_summary)
    return bytes(generator.atom_str(pretty=True) if kind == "atom" else generator.rss_str(pretty=True))


__all__ = ["FeedKind", "feed"]
