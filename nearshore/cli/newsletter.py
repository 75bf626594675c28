"""`nearshore newsletter`: subscribers, issues, sending, bounces, the scheduled run and errata.

Each command opens the newsletter database (NEARSHORE_DATABASE_URL, or an SQLite file in the data directory),
calls one function of nearshore.delivery and prints the result.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from nearshore.cli.output import FORMAT_OPTION, QUIET_OPTION, Format, emit, handle_errors, note

if TYPE_CHECKING:
    from nearshore.delivery.db import Database
    from nearshore.delivery.send import SendReport

app = typer.Typer(
    no_args_is_help=True,
    help="The newsletter: subscribers, issues, sending, bounces, errata.\n\nExample: nearshore newsletter run",
)
TOPIC_HELP = "us-mexico, us-canada or north-america; repeat for several."
ISSUE_HELP = "An issue id or slug, e.g. us-mexico/2026-05-11 (or us-mexico/latest)."


@contextlib.contextmanager
def database() -> Iterator[Database]:
    """The newsletter database, or a ConfigError naming the extra to install."""
    try:
        from nearshore.delivery.db import open_database
    except ImportError as exc:
        from nearshore.errors import ConfigError

        raise ConfigError(
            f"the newsletter needs the 'newsletter' extra ({exc.name} is missing): pip install 'nearshore[newsletter]'"
        ) from None
    db = open_database()
    try:
        yield db
    finally:
        db.close()


@contextlib.contextmanager
def progress_bar(label: str, quiet: bool) -> Iterator[Callable[[int, int], None]]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
        disable=quiet or not sys.stderr.isatty(),
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def send_lines(report: SendReport) -> list[str]:
    lines = [
        f"{report.mailing}: {report.sent} sent, {report.failed} failed, {report.deferred} deferred, "
        f"{report.skipped} skipped (unsubscribed since planning), {report.already} sent earlier; "
        f"{report.seconds:.1f} s ({report.rate:.0f} messages/s)"
    ]
    lines += [f"  {line}" for line in report.failures[:20]]
    return lines


@app.command("subscribe")
@handle_errors
def subscribe(
    email: str = typer.Argument(..., help="The reader's e-mail address."),
    topics: list[str] = typer.Option(["us-mexico"], "--topic", "-t", help=TOPIC_HELP),
    frequency: str = typer.Option("weekly", "--frequency", help="daily, weekly or monthly."),
    name: str = typer.Option("", "--name", help="The reader's name (plain text)."),
) -> None:
    """Sign a reader up: records a pending subscription and mails the confirmation link (double opt-in).

    Example: nearshore newsletter subscribe reader@example.org --topic us-mexico --frequency weekly
    """
    from nearshore.delivery.service import sign_up

    with database() as db:
        signup = sign_up(db, email, topics, frequency, name)
    view = signup.subscriber
    if signup.confirm_url is None:
        typer.echo(f"{view.email} is already subscribed ({', '.join(view.topics)}, {view.frequency}); updated")
    else:
        typer.echo(f"confirmation mailed to {view.email} ({', '.join(view.topics)}, {view.frequency})")


@app.command("confirm")
@handle_errors
def confirm(token: str = typer.Argument(..., help="The token of a confirmation link.")) -> None:
    """Confirm a sign-up with the token from its confirmation link (what the link's page does).

    Example: nearshore newsletter confirm 'WyJ...'
    """
    from nearshore.delivery.config import NewsletterConfig
    from nearshore.delivery.optin import confirm as confirm_token
    from nearshore.settings import Settings

    with database() as db:
        view = confirm_token(db, NewsletterConfig.from_settings(Settings.load()), token)
    typer.echo(f"{view.email} is subscribed ({', '.join(view.topics)}, {view.frequency})")


@app.command("unsubscribe")
@handle_errors
def unsubscribe(token: str = typer.Argument(..., help="The token of an unsubscribe link.")) -> None:
    """Unsubscribe with the token of an unsubscribe link (what the one-click POST does).

    Example: nearshore newsletter unsubscribe 'Ik1O...'
    """
    from nearshore.delivery.config import NewsletterConfig
    from nearshore.delivery.optin import unsubscribe as unsubscribe_token
    from nearshore.settings import Settings

    with database() as db:
        view = unsubscribe_token(db, NewsletterConfig.from_settings(Settings.load()), token)
    typer.echo(f"{view.email} is unsubscribed")


@app.command("list")
@handle_errors
def list_(
    status: str = typer.Option(None, "--status", help="pending, active, unsubscribed or suppressed."),
    topic: str = typer.Option(None, "--topic", "-t", help="Only subscribers of this topic."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """List subscribers.

    Example: nearshore newsletter list --status active --format csv
    """
    from nearshore.delivery.subscribers import list_subscribers

    with database() as db:
        views = list_subscribers(db, status, topic)
    columns = ["email", "name", "status", "frequency", "topics", "created_at", "confirmed_at"]
    rows = [[v.as_dict()[c] if c != "topics" else " ".join(v.topics) for c in columns] for v in views]
    emit(columns, rows, fmt, title="newsletter subscribers", footer=[f"{len(rows)} subscriber(s)"])


@app.command("remove")
@handle_errors
def remove(email: str = typer.Argument(..., help="The address to unsubscribe.")) -> None:
    """Unsubscribe an address on the operator's behalf (kept so it is never mailed again; see `erase`).

    Example: nearshore newsletter remove reader@example.org
    """
    from nearshore.delivery.subscribers import remove as remove_address

    with database() as db:
        view = remove_address(db, email)
    typer.echo(f"{view.email} is {view.status}")


@app.command("import")
@handle_errors
def import_(
    file: Path = typer.Argument(..., help="CSV with columns email and optionally name, topics, frequency."),
    confirmed: bool = typer.Option(False, "--confirmed", help="The addresses opted in elsewhere: make them active."),
    topics: list[str] = typer.Option(["us-mexico"], "--topic", "-t", help="Topics for rows without any."),
    frequency: str = typer.Option("weekly", "--frequency", help="Frequency for rows without one."),
) -> None:
    """Import subscribers from a CSV; duplicates are merged; any bad row stops the import (all are listed).

    Example: nearshore newsletter import readers.csv --confirmed
    """
    from nearshore.delivery.subscribers import import_csv

    with database() as db:
        report = import_csv(db, file, confirmed=confirmed, topics=topics, frequency=frequency)
    state = "active" if confirmed else "pending (no mail sent)"
    typer.echo(f"{report.rows} row(s): {report.added} added as {state}, {report.merged} merged")


@app.command("export")
@handle_errors
def export(
    out: Path = typer.Option(None, "--out", "-o", help="File to write. Default: standard output."),
    status: str = typer.Option(None, "--status", help="Only this status."),
) -> None:
    """Export subscribers as CSV.

    Example: nearshore newsletter export --out subscribers.csv
    """
    from nearshore.delivery.subscribers import export_csv

    with database() as db:
        text = export_csv(db, status)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}")


@app.command("subscriber")
@handle_errors
def subscriber(email: str = typer.Argument(..., help="The address whose data to export.")) -> None:
    """Everything held about one address, as JSON (a data subject's access request).

    Example: nearshore newsletter subscriber reader@example.org > reader.json
    """
    from nearshore.delivery.subscribers import subscriber_data

    with database() as db:
        typer.echo(json.dumps(subscriber_data(db, email), indent=2))


@app.command("erase")
@handle_errors
def erase(
    email: str = typer.Argument(..., help="The address to erase."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Delete everything held about one address (subscription, send log, bounce reports).

    Example: nearshore newsletter erase reader@example.org --yes
    """
    from nearshore.delivery.subscribers import erase as erase_address

    if not yes and not typer.confirm(f"erase every record of {email}?"):
        raise typer.Exit(1)
    with database() as db:
        counts = erase_address(db, email)
    typer.echo(f"erased {email}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))


@app.command("issue")
@handle_errors
def issue(
    topic: str = typer.Option("us-mexico", "--topic", "-t", help="us-mexico, us-canada or north-america."),
    year: int = typer.Option(None, "--year", "-y", help="Year of the brief. Default: the latest complete year."),
    preview: Path = typer.Option(None, "--preview", help="Also write the mail as HTML for a browser."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild today's issue (only if nobody has it yet)."),
) -> None:
    """Build today's issue from the verified brief (stored and archived; sent by `send` or `run`).

    Example: nearshore newsletter issue --topic us-mexico --preview out/issue.html
    """
    from nearshore.delivery.issues import build_issue, preview_html

    with database() as db:
        info = build_issue(db, topic, year=year, rebuild=rebuild)
        lines = [f"issue {info.slug} (#{info.id}): {info.subject}", f"verified: {info.verified} figures in the mail"]
        lines += [f"what changed: {c.text} ({c.source})" for c in info.changes] or ["what changed: first issue"]
        if preview is not None:
            preview.parent.mkdir(parents=True, exist_ok=True)
            preview.write_text(preview_html(db, info.id), encoding="utf-8")
            lines.append(f"preview: {preview}")
    typer.echo("\n".join(lines))


@app.command("issues")
@handle_errors
def issues(
    topic: str = typer.Option(None, "--topic", "-t", help="Only this topic."), fmt: Format = FORMAT_OPTION
) -> None:
    """List the issues built, with their send-log counts.

    Example: nearshore newsletter issues --format json
    """
    from nearshore.delivery.issues import list_issues
    from nearshore.delivery.send import count

    with database() as db:
        rows: list[list[Any]] = []
        for i in list_issues(db, topic):
            sent = count(db, i.slug)
            rows.append([i.id, i.slug, i.subject, sent.get("sent", 0), sent.get("pending", 0), i.errata])
    emit(["id", "slug", "subject", "sent", "pending", "errata"], rows, fmt, title="newsletter issues")


@app.command("send")
@handle_errors
def send(issue_ref: str = typer.Argument(..., help=ISSUE_HELP), quiet: bool = QUIET_OPTION) -> None:
    """Send an issue to every active subscriber of its topic who has not had it; run again to resume.

    Example: nearshore newsletter send us-mexico/latest
    """
    from nearshore.delivery.service import send_issue

    with database() as db, progress_bar("sending", quiet) as tick:
        report = send_issue(db, issue_ref, progress=tick)
    typer.echo("\n".join(send_lines(report)))


@app.command("bounces")
@handle_errors
def bounces(
    mbox: Path = typer.Option(None, "--mbox", help="An mbox file of bounces and complaints."),
    imap: bool = typer.Option(False, "--imap", help="Read the unseen messages of the IMAP folder in the settings."),
) -> None:
    """Apply delivery status notifications (RFC 3464) and abuse reports (ARF) to the subscribers.

    Example: nearshore newsletter bounces --mbox /var/mail/bounces
    """
    from nearshore.delivery.bounces import apply_events, read_imap, read_mbox
    from nearshore.delivery.config import IMAPConfig, NewsletterConfig
    from nearshore.errors import InputError
    from nearshore.settings import Settings

    if (mbox is None) == (not imap):
        raise InputError("give either --mbox FILE or --imap")
    settings = Settings.load()
    messages = read_mbox(mbox) if mbox is not None else read_imap(IMAPConfig.from_settings(settings))
    with database() as db:
        summary = apply_events(db, messages, NewsletterConfig.from_settings(settings).soft_bounces)
    typer.echo(
        f"{summary.reports} message(s), {summary.events} report(s) ({summary.new} new), {summary.soft} soft "
        f"bounce(s), {summary.ignored} not a bounce or complaint; suppressed: {', '.join(summary.suppressed) or 'none'}"
    )


@app.command("run")
@handle_errors
def run(
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would be built and sent; do nothing."),
    topics: list[str] = typer.Option(None, "--topic", "-t", help="Only these topics. Default: all."),
    quiet: bool = QUIET_OPTION,
) -> None:
    """Build what is new, send to whoever is due, purge stale sign-ups: the command cron or systemd calls.

    Example: nearshore newsletter run --dry-run
    """
    from nearshore.delivery.addresses import TOPICS, check_topics
    from nearshore.delivery.schedule import run_newsletter

    chosen = check_topics(topics) if topics else TOPICS
    with database() as db, progress_bar("sending", quiet) as tick:
        report = run_newsletter(db, topics=chosen, dry_run=dry_run, progress=tick)
    lines = report.lines()
    for topic in report.topics:
        if topic.report is not None:
            lines += send_lines(topic.report)
    if not report.topics:
        note("no topic has active subscribers", quiet)
    typer.echo("\n".join(lines))


@app.command("errata")
@handle_errors
def errata(
    issue_ref: str = typer.Argument(..., help=ISSUE_HELP),
    text: str = typer.Option("", "--note", help="A sentence explaining the correction."),
    no_send: bool = typer.Option(False, "--no-send", help="Correct the archive page only; mail nobody."),
    quiet: bool = QUIET_OPTION,
) -> None:
    """Correct an archived issue with today's figures and mail the correction to those who received it.

    Example: nearshore newsletter errata us-mexico/2026-05-11 --note "Census revised March imports"
    """
    from nearshore.delivery.errata import add_erratum

    with database() as db, progress_bar("sending", quiet) as tick:
        result = add_erratum(db, issue_ref, note=text, send=not no_send, progress=tick)
    lines = [f"correction {result.number} to {result.issue}: {len(result.changes)} figure(s)"]
    lines += [f"  {c.label} ({c.period}): {c.old} -> {c.new} ({c.source})" for c in result.changes]
    if result.report is not None:
        lines += send_lines(result.report)
    typer.echo("\n".join(lines))
