"""The archive's pages: an index by date and topic, and one page per issue (the verified brief as published,
with any dated corrections above it; the original text stays as it was)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from nearshore.delivery.mailing import render_change
from nearshore.delivery.models import Erratum, Issue
from nearshore.delivery.render import MAIL_CSS


@dataclass(frozen=True)
class ArchiveEntry:
    slug: str  # <topic>/<YYYY-MM-DD>: the permalink under the archive root
    topic: str
    date: str
    subject: str
    summary: str
    created_at: datetime
    updated: datetime  # the latest correction, or the issue's date
    corrections: tuple[str, ...]  # dates of errata

    @classmethod
    def of(cls, issue: Issue) -> ArchiveEntry:
        updated = max([issue.created_at, *(e.created_at for e in issue.errata)])
        dates = tuple(e.created_at.date().isoformat() for e in issue.errata)
        return cls(
            issue.slug,
            issue.topic,
            issue.slug.rsplit("/", 1)[-1],
            issue.subject,
            issue.summary,
            issue.created_at,
            updated,
            dates,
        )

    @property
    def feed_summary(self) -> str:
        corrected = f" Corrected {', '.join(self.corrections)}." if self.corrections else ""
        return self.summary + corrected


def erratum_html(erratum: Erratum) -> str:
    items = "".join(f"<li>{escape(render_change(c))}</li>" for c in json.loads(erratum.changes_json))
    note = f"<p>{escape(erratum.note)}</p>" if erratum.note else ""
    return (
        f'<aside class="erratum" id="erratum-{erratum.number}" data-verify="skip">'
        f"<h2>Correction, {erratum.created_at.date().isoformat()}</h2>{note}"
        f"{'<ul>' + items + '</ul>' if items else ''}"
        "<p>The text below is the issue as first published; these figures have since changed.</p></aside>"
    )


def issue_page(issue: Issue, root: str = "../../") -> str:
    """The issue as archived: the brief's page, a link back to the index, corrections at the top."""
    page = issue.brief_html
    nav = (
        f'<nav class="archive-nav" data-verify="skip"><a href="{root}index.html">All issues</a> &middot; '
        f'<a href="{root}{escape(issue.topic)}/index.html">{escape(issue.topic)}</a> &middot; '
        f'<a href="facts.json">facts (JSON)</a></nav>'
    )
    boxes = "".join(erratum_html(e) for e in sorted(issue.errata, key=lambda e: e.number, reverse=True))
    page = re.sub(r'<article class="brief">', lambda m: m.group(0) + "\n" + nav + boxes, page, count=1)
    return page.replace("</head>", f"<style>{MAIL_CSS}</style>\n</head>", 1)


def index_page(entries: Sequence[ArchiveEntry], title: str, root: str = "", topics: Sequence[str] = ()) -> str:
    """Issues newest first, one row each: date, topic, subject, corrections; links to topic indexes."""
    rows = "\n".join(
        f'<tr><td>{escape(e.date)}</td><td><a href="{root}{escape(e.topic)}/index.html">{escape(e.topic)}</a></td>'
        f'<td><a href="{root}{escape(e.slug)}/">{escape(e.subject)}</a></td>'
        f"<td>{escape(', '.join(e.corrections))}</td></tr>"
        for e in entries
    )
    links = " &middot; ".join(f'<a href="{root}{escape(t)}/index.html">{escape(t)}</a>' for t in topics)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="alternate" type="application/atom+xml" title="Atom" href="atom.xml">
<link rel="alternate" type="application/rss+xml" title="RSS" href="rss.xml">
<style>body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 0 auto; padding: 1rem; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ text-align: left; padding: 0.3rem 0.5rem;
border-bottom: 1px solid #d9d9de; vertical-align: top; }}</style></head>
<body><h1>{escape(title)}</h1>
<p>Every issue as sent, with its facts; corrections are added above the original text.
Feeds: <a href="atom.xml">Atom</a>, <a href="rss.xml">RSS</a>.{(" Topics: " + links) if links else ""}</p>
<table><thead><tr><th>date</th><th>topic</th><th>issue</th><th>corrected</th></tr></thead>
<tbody>
{rows}
</tbody></table></body></html>
"""


__all__ = ["ArchiveEntry", "erratum_html", "index_page", "issue_page"]
