"""The newsletter archive as services: the static site with its Atom and RSS feeds, and the check of every
archived figure against today's data (the store, opened read-only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from nearshore.services.base import Context, Result, columns, service
from nearshore.services.fields import Request, arg, opt
from nearshore.services.newsletter import database, said

if TYPE_CHECKING:
    from nearshore.delivery.archive import ArchiveReport
    from nearshore.delivery.errata import FactChange


@dataclass(frozen=True, kw_only=True)
class ArchiveBuildRequest(Request):
    out: Annotated[Path, arg("Folder to write the site into (replaced whole).")]
    url: Annotated[
        str | None, opt("Public URL the folder is served at. Default: <newsletter_url>/archive.", "--url")
    ] = None


@service("archive.build", ArchiveBuildRequest, store="none", writes=True)
def build(ctx: Context, r: ArchiveBuildRequest) -> Result[ArchiveReport]:
    """Write the archive: an index by date and topic, one page per issue, Atom and RSS feeds."""
    from nearshore.delivery.archive import build_archive
    from nearshore.delivery.config import NewsletterConfig

    base = r.url or f"{NewsletterConfig.from_settings(ctx.settings).require_url()}/archive"
    with database(ctx) as db:
        report = build_archive(db, r.out, base)
    topics = ", ".join(report.topics) or "none"
    return said(f"wrote {report.out}: {report.issues} issue(s), {report.files} file(s), topics {topics}", report)


@dataclass(frozen=True, kw_only=True)
class ArchiveCheckRequest(Request):
    issue: Annotated[str | None, arg("One issue (id or slug). Default: every archived issue.")] = None


@service("archive.check", ArchiveCheckRequest)
def check(ctx: Context, r: ArchiveCheckRequest) -> Result[list[FactChange]]:
    """Recompute every archived figure at today's data and list those that changed (then see `newsletter errata`)."""
    from nearshore.delivery.errata import check_archive

    with database(ctx) as db:
        changes = check_archive(db, ctx.db, r.issue)
    rows = tuple((c.issue, c.fact_id, c.period, c.old, c.new, c.source, c.old_vintage, c.new_vintage) for c in changes)
    return Result(
        "archived figures that changed",
        columns("issue", "fact", "period", "published", "today", "source", "published vintage", "today's vintage"),
        rows,
        changes,
        (f"{len(rows)} figure(s) changed" if rows else "every archived figure matches today's data",),
    )


__all__ = ["ArchiveBuildRequest", "ArchiveCheckRequest", "build", "check"]
