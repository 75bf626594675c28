"""The newsletter as services: sign-ups (double opt-in), subscribers, issues, sending, bounces, the scheduled
run and errata. Each wraps one function of nearshore.delivery over the newsletter database (opened from the
context's settings: NEARSHORE_DATABASE_URL, or an SQLite file in the data directory).

Services that change the newsletter database are registered with `writes`; those that read the trade store
(building an issue, the scheduled run, errata) open it read-only. No result carries a token or a confirmation
link: those go to the reader's mailbox only (an API answering a sign-up with its link would undo the opt-in).
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from nearshore.errors import ConfigError, InputError
from nearshore.services.base import Context, Result, columns, service
from nearshore.services.fields import Request, arg, opt

if TYPE_CHECKING:
    from nearshore.delivery.db import Database
    from nearshore.delivery.send import SendReport
    from nearshore.delivery.subscriber import SubscriberView

TOPICS = opt("us-mexico, us-canada or north-america; repeat for several.", "--topic", "-t")
ISSUE = arg("An issue id or slug, e.g. us-mexico/2026-05-11 (or us-mexico/latest).")
SUBSCRIBER_COLUMNS = ("email", "name", "status", "frequency", "topics", "created_at", "confirmed_at")


@contextlib.contextmanager
def database(ctx: Context) -> Iterator[Database]:
    """The newsletter database named by the context's settings, or a ConfigError naming the extra to install."""
    try:
        from nearshore.delivery.db import open_database
    except ImportError as exc:
        raise ConfigError(
            f"the newsletter needs the 'newsletter' extra ({exc.name} is missing): pip install 'nearshore[newsletter]'"
        ) from None
    db = open_database(settings=ctx.settings)
    try:
        yield db
    finally:
        db.close()


def said(title: str, payload: Any, *lines: str) -> Result[Any]:
    """A result that is a sentence (and lines under it): one row with the sentence, the payload beside it."""
    return Result(title, columns("message"), ((title,), *((line,) for line in lines)), payload, tuple(lines))


def send_lines(report: SendReport) -> list[str]:
    """What a send did, in one line, and up to 20 failures under it."""
    lines = [
        f"{report.mailing}: {report.sent} sent, {report.failed} failed, {report.deferred} deferred, "
        f"{report.skipped} skipped (unsubscribed since planning), {report.already} sent earlier; "
        f"{report.seconds:.1f} s ({report.rate:.0f} messages/s)"
    ]
    lines += [f"  {line}" for line in report.failures[:20]]
    return lines


def _topics(view: SubscriberView) -> str:
    return f"{', '.join(view.topics)}, {view.frequency}"


@dataclass(frozen=True, kw_only=True)
class SubscribeRequest(Request):
    email: Annotated[str, arg("The reader's e-mail address.")]
    topics: Annotated[tuple[str, ...], TOPICS] = ("us-mexico",)
    frequency: Annotated[str, opt("daily, weekly or monthly.", "--frequency")] = "weekly"
    name: Annotated[str, opt("The reader's name (plain text).", "--name")] = ""


@service("newsletter.subscribe", SubscribeRequest, store="none", writes=True)
def subscribe(ctx: Context, r: SubscribeRequest) -> Result[dict[str, Any]]:
    """Sign a reader up: records a pending subscription and mails the confirmation link (double opt-in). Over
    the HTTP API the caller's address counts toward the per-IP sign-up limit."""
    from nearshore.delivery.service import sign_up

    source = "cli" if ctx.client is None else "api"
    with database(ctx) as db:
        signup = sign_up(
            db, r.email, r.topics, r.frequency, r.name, ip=ctx.client, source=source, settings=ctx.settings
        )
    view = signup.subscriber
    mailed = signup.confirm_url is not None
    title = (
        f"confirmation mailed to {view.email} ({_topics(view)})"
        if mailed
        else f"{view.email} is already subscribed ({_topics(view)}); updated"
    )
    return said(title, {"subscriber": view, "confirmation_mailed": mailed})


@dataclass(frozen=True, kw_only=True)
class ConfirmRequest(Request):
    token: Annotated[str, arg("The token of a confirmation link.")]


@service("newsletter.confirm", ConfirmRequest, store="none", writes=True)
def confirm(ctx: Context, r: ConfirmRequest) -> Result[SubscriberView]:
    """Confirm a sign-up with the token from its confirmation link (what the link's page does)."""
    from nearshore.delivery.optin import confirm as confirm_token

    view = _with_token(ctx, r.token, confirm_token)
    return said(f"{view.email} is subscribed ({_topics(view)})", view)


def _with_token(ctx: Context, token: str, act: Callable[..., SubscriberView]) -> SubscriberView:
    """`act(db, config, token)`: a confirmation or an unsubscribe link followed."""
    from nearshore.delivery.config import NewsletterConfig

    with database(ctx) as db:
        return act(db, NewsletterConfig.from_settings(ctx.settings), token)


@dataclass(frozen=True, kw_only=True)
class UnsubscribeRequest(Request):
    token: Annotated[str, arg("The token of an unsubscribe link.")]


@service("newsletter.unsubscribe", UnsubscribeRequest, store="none", writes=True)
def unsubscribe(ctx: Context, r: UnsubscribeRequest) -> Result[SubscriberView]:
    """Unsubscribe with the token of an unsubscribe link (what the one-click POST does)."""
    from nearshore.delivery.optin import unsubscribe as unsubscribe_token

    view = _with_token(ctx, r.token, unsubscribe_token)
    return said(f"{view.email} is unsubscribed", view)


@dataclass(frozen=True, kw_only=True)
class SubscribersRequest(Request):
    status: Annotated[str | None, opt("pending, active, unsubscribed or suppressed.", "--status")] = None
    topic: Annotated[str | None, opt("Only subscribers of this topic.", "--topic", "-t")] = None


@service("newsletter.list", SubscribersRequest, store="none")
def subscribers(ctx: Context, r: SubscribersRequest) -> Result[list[SubscriberView]]:
    """List subscribers."""
    from nearshore.delivery.subscribers import list_subscribers

    with database(ctx) as db:
        views = list_subscribers(db, r.status, r.topic)
    rows = tuple(
        tuple(v.as_dict()[c] if c != "topics" else " ".join(v.topics) for c in SUBSCRIBER_COLUMNS) for v in views
    )
    return Result("newsletter subscribers", columns(*SUBSCRIBER_COLUMNS), rows, views, (f"{len(rows)} subscriber(s)",))


@dataclass(frozen=True, kw_only=True)
class RemoveRequest(Request):
    email: Annotated[str, arg("The address to unsubscribe.")]


@service("newsletter.remove", RemoveRequest, store="none", writes=True)
def remove(ctx: Context, r: RemoveRequest) -> Result[SubscriberView]:
    """Unsubscribe an address on the operator's behalf (kept so it is never mailed again; see `erase`)."""
    from nearshore.delivery.subscribers import remove as remove_address

    with database(ctx) as db:
        view = remove_address(db, r.email)
    return said(f"{view.email} is {view.status}", view)


@dataclass(frozen=True, kw_only=True)
class ImportRequest(Request):
    file: Annotated[Path, arg("CSV with columns email and optionally name, topics, frequency.")]
    confirmed: Annotated[bool, opt("The addresses opted in elsewhere: make them active.", "--confirmed")] = False
    topics: Annotated[tuple[str, ...], opt("Topics for rows without any.", "--topic", "-t")] = ("us-mexico",)
    frequency: Annotated[str, opt("Frequency for rows without one.", "--frequency")] = "weekly"


@service("newsletter.import", ImportRequest, store="none", writes=True)
def import_subscribers(ctx: Context, r: ImportRequest) -> Result[Any]:
    """Import subscribers from a CSV; duplicates are merged; any bad row stops the import (all are listed)."""
    from nearshore.delivery.subscribers import import_csv

    with database(ctx) as db:
        report = import_csv(db, r.file, confirmed=r.confirmed, topics=r.topics, frequency=r.frequency)
    state = "active" if r.confirmed else "pending (no mail sent)"
    return said(f"{report.rows} row(s): {report.added} added as {state}, {report.merged} merged", report)


@dataclass(frozen=True, kw_only=True)
class ExportRequest(Request):
    status: Annotated[str | None, opt("Only this status.", "--status")] = None


@service("newsletter.export", ExportRequest, store="none")
def export(ctx: Context, r: ExportRequest) -> Result[str]:
    """Export subscribers as CSV (the rows, and the CSV text as payload)."""
    from nearshore.delivery.subscribers import export_csv

    with database(ctx) as db:
        text = export_csv(db, r.status)
    header, *rows = list(csv.reader(io.StringIO(text)))
    return Result("newsletter subscribers", columns(*header), tuple(map(tuple, rows)), text)


@dataclass(frozen=True, kw_only=True)
class SubscriberRequest(Request):
    email: Annotated[str, arg("The address whose data to export.")]


@service("newsletter.subscriber", SubscriberRequest, store="none")
def subscriber(ctx: Context, r: SubscriberRequest) -> Result[dict[str, Any]]:
    """Everything held about one address (a data subject's access request): subscription, mailings, bounces."""
    from nearshore.delivery.subscribers import subscriber_data

    with database(ctx) as db:
        data = subscriber_data(db, r.email)
    rows = tuple((kind, len(data[kind])) for kind in ("deliveries", "bounces"))
    return Result(f"held about {data['subscriber']['email']}", columns("records", "count"), rows, data)


@dataclass(frozen=True, kw_only=True)
class EraseRequest(Request):
    email: Annotated[str, arg("The address to erase.")]


@service("newsletter.erase", EraseRequest, store="none", writes=True)
def erase(ctx: Context, r: EraseRequest) -> Result[dict[str, int]]:
    """Delete everything held about one address (subscription, send log, bounce reports)."""
    from nearshore.delivery.subscribers import erase as erase_address

    with database(ctx) as db:
        counts = erase_address(db, r.email)
    return said(f"erased {r.email}: " + ", ".join(f"{n} {what}" for what, n in counts.items()), counts)


@dataclass(frozen=True, kw_only=True)
class IssueRequest(Request):
    topic: Annotated[str, opt("us-mexico, us-canada or north-america.", "--topic", "-t")] = "us-mexico"
    year: Annotated[int | None, opt("Year of the brief. Default: the latest complete year.", "--year", "-y")] = None
    preview: Annotated[Path | None, opt("Also write the mail as HTML for a browser.", "--preview")] = None
    rebuild: Annotated[bool, opt("Rebuild today's issue (only if nobody has it yet).", "--rebuild")] = False


@service("newsletter.issue", IssueRequest, writes=True)
def issue(ctx: Context, r: IssueRequest) -> Result[Any]:
    """Build today's issue from the verified brief (stored and archived; sent by `send` or `run`)."""
    from nearshore.delivery.issues import build_issue, preview_html

    with database(ctx) as db:
        info = build_issue(db, r.topic, settings=ctx.settings, store=ctx.db, year=r.year, rebuild=r.rebuild)
        lines = [f"verified: {info.verified} figures in the mail"]
        lines += [f"what changed: {c.text} ({c.source})" for c in info.changes] or ["what changed: first issue"]
        if r.preview is not None:
            r.preview.parent.mkdir(parents=True, exist_ok=True)
            r.preview.write_text(preview_html(db, info.id), encoding="utf-8")
            lines.append(f"preview: {r.preview}")
    return said(f"issue {info.slug} (#{info.id}): {info.subject}", info, *lines)


@dataclass(frozen=True, kw_only=True)
class IssuesRequest(Request):
    topic: Annotated[str | None, opt("Only this topic.", "--topic", "-t")] = None


@service("newsletter.issues", IssuesRequest, store="none")
def issues(ctx: Context, r: IssuesRequest) -> Result[Any]:
    """List the issues built, with their send-log counts."""
    from nearshore.delivery.issues import list_issues
    from nearshore.delivery.send import count

    with database(ctx) as db:
        built = list_issues(db, r.topic)
        rows = []
        for i in built:
            sent = count(db, i.slug)
            rows.append((i.id, i.slug, i.subject, sent.get("sent", 0), sent.get("pending", 0), i.errata))
    cols = columns("id", "slug", "subject", "sent", "pending", "errata")
    return Result("newsletter issues", cols, tuple(rows), built)


@dataclass(frozen=True, kw_only=True)
class SendRequest(Request):
    issue: Annotated[str, ISSUE]


@service("newsletter.send", SendRequest, store="none", writes=True)
def send(ctx: Context, r: SendRequest) -> Result[SendReport]:
    """Send an issue to every active subscriber of its topic who has not had it; run again to resume."""
    from nearshore.delivery.service import send_issue

    with database(ctx) as db:
        report = send_issue(db, r.issue, settings=ctx.settings, progress=lambda d, t: ctx.step("sending", d, t))
    first, *failures = send_lines(report)
    return said(first, report, *failures)


@dataclass(frozen=True, kw_only=True)
class BouncesRequest(Request):
    mbox: Annotated[Path | None, opt("An mbox file of bounces and complaints.", "--mbox")] = None
    imap: Annotated[bool, opt("Read the unseen messages of the IMAP folder in the settings.", "--imap")] = False

    def __post_init__(self) -> None:
        super().__post_init__()
        if (self.mbox is None) == (not self.imap):
            raise InputError("give either --mbox FILE or --imap")


@service("newsletter.bounces", BouncesRequest, store="none", writes=True)
def bounces(ctx: Context, r: BouncesRequest) -> Result[Any]:
    """Apply delivery status notifications (RFC 3464) and abuse reports (ARF) to the subscribers."""
    from nearshore.delivery.bounces import apply_events, read_imap, read_mbox
    from nearshore.delivery.config import IMAPConfig, NewsletterConfig

    messages = read_mbox(r.mbox) if r.mbox is not None else read_imap(IMAPConfig.from_settings(ctx.settings))
    with database(ctx) as db:
        summary = apply_events(db, messages, NewsletterConfig.from_settings(ctx.settings).soft_bounces)
    suppressed = ", ".join(summary.suppressed) or "none"
    return said(
        f"{summary.reports} message(s), {summary.events} report(s) ({summary.new} new), {summary.soft} soft "
        f"bounce(s), {summary.ignored} not a bounce or complaint; suppressed: {suppressed}",
        summary,
    )


@dataclass(frozen=True, kw_only=True)
class RunRequest(Request):
    dry_run: Annotated[bool, opt("Say what would be built and sent; do nothing.", "--dry-run")] = False
    topics: Annotated[tuple[str, ...], opt("Only these topics. Default: all.", "--topic", "-t")] = ()


@service("newsletter.run", RunRequest, writes=True)
def run(ctx: Context, r: RunRequest) -> Result[Any]:
    """Build what is new, send to whoever is due, purge stale sign-ups: the command cron or systemd calls."""
    from nearshore.delivery.addresses import TOPICS as ALL_TOPICS
    from nearshore.delivery.addresses import check_topics
    from nearshore.delivery.schedule import run_newsletter

    chosen = check_topics(r.topics) if r.topics else ALL_TOPICS
    with database(ctx) as db:
        report = run_newsletter(
            db,
            settings=ctx.settings,
            store=ctx.db,
            topics=chosen,
            dry_run=r.dry_run,
            progress=lambda d, t: ctx.step("sending", d, t),
        )
    lines = report.lines()
    for topic in report.topics:
        if topic.report is not None:
            lines += send_lines(topic.report)
    messages = () if report.topics else ("no topic has active subscribers",)
    title, *rest = lines
    return Result(title, columns("message"), tuple((line,) for line in lines), report, tuple(rest), messages=messages)


@dataclass(frozen=True, kw_only=True)
class ErrataRequest(Request):
    issue: Annotated[str, ISSUE]
    note: Annotated[str, opt("A sentence explaining the correction.", "--note")] = ""
    no_send: Annotated[bool, opt("Correct the archive page only; mail nobody.", "--no-send")] = False


@service("newsletter.errata", ErrataRequest, writes=True)
def errata(ctx: Context, r: ErrataRequest) -> Result[Any]:
    """Correct an archived issue with today's figures and mail the correction to those who received it."""
    from nearshore.delivery.errata import add_erratum

    with database(ctx) as db:
        result = add_erratum(
            db,
            r.issue,
            note=r.note,
            settings=ctx.settings,
            store=ctx.db,
            send=not r.no_send,
            progress=lambda d, t: ctx.step("sending", d, t),
        )
    lines = [f"  {c.label} ({c.period}): {c.old} -> {c.new} ({c.source})" for c in result.changes]
    lines += send_lines(result.report) if result.report is not None else []
    return said(f"correction {result.number} to {result.issue}: {len(result.changes)} figure(s)", result, *lines)


__all__ = [
    "BouncesRequest",
    "ConfirmRequest",
    "EraseRequest",
    "ErrataRequest",
    "ExportRequest",
    "ImportRequest",
    "IssueRequest",
    "IssuesRequest",
    "RemoveRequest",
    "RunRequest",
    "SendRequest",
    "SubscribeRequest",
    "SubscriberRequest",
    "SubscribersRequest",
    "UnsubscribeRequest",
    "bounces",
    "confirm",
    "database",
    "erase",
    "errata",
    "export",
    "import_subscribers",
    "issue",
    "issues",
    "remove",
    "run",
    "said",
    "send",
    "send_lines",
    "subscribe",
    "subscriber",
    "subscribers",
    "unsubscribe",
]
