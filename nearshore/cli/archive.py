"""`nearshore archive`: the static archive with Atom and RSS feeds, and the check of archived figures."""

from __future__ import annotations

from pathlib import Path

import typer

from nearshore.cli.newsletter import database
from nearshore.cli.output import FORMAT_OPTION, Format, emit, handle_errors

app = typer.Typer(
    no_args_is_help=True,
    help="The newsletter archive: static site, feeds, errata check.\n\nExample: nearshore archive build site/archive",
)


@app.command("build")
@handle_errors
def build(
    out: Path = typer.Argument(..., help="Folder to write the site into (replaced whole)."),
    url: str = typer.Option(
        None, "--url", help="Public URL the folder is served at. Default: <newsletter_url>/archive."
    ),
) -> None:
    """Write the archive: an index by date and topic, one page per issue, Atom and RSS feeds.

    Example: nearshore archive build site/archive --url https://brief.example.org/archive
    """
    from nearshore.delivery.archive import build_archive
    from nearshore.delivery.config import NewsletterConfig
    from nearshore.settings import Settings

    base = url or f"{NewsletterConfig.from_settings(Settings.load()).require_url()}/archive"
    with database() as db:
        report = build_archive(db, out, base)
    topics = ", ".join(report.topics) or "none"
    typer.echo(f"wrote {report.out}: {report.issues} issue(s), {report.files} file(s), topics {topics}")


@app.command("check")
@handle_errors
def check(
    issue: str = typer.Argument(None, help="One issue (id or slug). Default: every archived issue."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Recompute every archived figure at today's data and list those that changed (then see `newsletter errata`).

    Example: nearshore archive check --format json
    """
    from nearshore.data.snapshot import open_store
    from nearshore.delivery.errata import check_archive

    with database() as db, open_store() as store:
        changes = check_archive(db, store, issue)
    rows = [[c.issue, c.fact_id, c.period, c.old, c.new, c.source, c.old_vintage, c.new_vintage] for c in changes]
    emit(
        ["issue", "fact", "period", "published", "today", "source", "published vintage", "today's vintage"],
        rows,
        fmt,
        title="archived figures that changed",
        footer=[f"{len(rows)} figure(s) changed" if rows else "every archived figure matches today's data"],
    )
