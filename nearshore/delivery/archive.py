"""The static archive: `build_archive` writes every issue's page and facts, the indexes, and Atom and RSS
feeds (overall and per topic) into a folder, replacing it in one step (a reader never sees half a site)."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from nearshore.delivery.archive_pages import ArchiveEntry, index_page, issue_page
from nearshore.delivery.db import Database
from nearshore.delivery.feeds import FeedKind, feed
from nearshore.delivery.models import Issue
from nearshore.errors import InputError


@dataclass(frozen=True)
class ArchiveReport:
    out: Path
    issues: int
    files: int
    topics: tuple[str, ...]


def archive_entries(db: Database, topic: str | None = None) -> list[ArchiveEntry]:
    """Every archived issue, newest first."""
    with db.session() as session:
        query = select(Issue).order_by(Issue.slug.desc())
        if topic:
            query = query.where(Issue.topic == topic)
        entries = [ArchiveEntry.of(i) for i in session.scalars(query)]
    return sorted(entries, key=lambda e: (e.date, e.topic), reverse=True)


def archive_page(db: Database, slug: str) -> str:
    """One issue's archive page (HTML)."""
    with db.session() as session:
        issue = session.scalar(select(Issue).where(Issue.slug == slug.strip("/")))
        if issue is None:
            raise InputError(f"no archived issue {slug!r}; `nearshore newsletter issues` lists them")
        return issue_page(issue)


def archive_facts(db: Database, slug: str) -> str:
    """One archived issue's facts (JSON text), as its page cites them."""
    with db.session() as session:
        issue = session.scalar(select(Issue).where(Issue.slug == slug.strip("/")))
        if issue is None:
            raise InputError(f"no archived issue {slug!r}; `nearshore newsletter issues` lists them")
        return issue.facts_json


def _write_site(db: Database, root: Path, base_url: str, title: str) -> tuple[int, int, tuple[str, ...]]:
    entries = archive_entries(db)
    topics = tuple(sorted({e.topic for e in entries}))
    files = 0

    def put(relative: str, content: str | bytes) -> None:
        nonlocal files
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        files += 1

    with db.session() as session:
        for issue in session.scalars(select(Issue)):
            put(f"{issue.slug}/index.html", issue_page(issue))
            put(f"{issue.slug}/facts.json", issue.facts_json)
    put("index.html", index_page(entries, title, "", topics))
    kinds: tuple[FeedKind, ...] = ("atom", "rss")
    for kind in kinds:
        put(f"{kind}.xml", feed(entries, base_url, kind))
    for topic in topics:
        chosen = [e for e in entries if e.topic == topic]
        put(f"{topic}/index.html", index_page(chosen, f"{title}: {topic}", "../", ()))
        for kind in kinds:
            put(f"{topic}/{kind}.xml", feed(entries, base_url, kind, topic))
    return len(entries), files, topics


def build_archive(db: Database, out: Path, base_url: str, title: str = "nearshore brief archive") -> ArchiveReport:
    """Write the archive site into `out` (replaced whole); `base_url` is the public URL `out` is served at."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file; give a folder for the archive site")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        count, files, topics = _write_site(db, staging, base_url, title)
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if out.exists():
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ArchiveReport(out, count, files, topics)


__all__ = ["ArchiveReport", "archive_entries", "archive_facts", "archive_page", "build_archive"]
