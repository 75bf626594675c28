"""`nearshore newsletter`: subscribers, issues, sending, bounces, the scheduled run and errata.

Each command calls one service of nearshore/services/newsletter.py (which opens the newsletter database:
NEARSHORE_DATABASE_URL, or an SQLite file in the data directory) and prints its result.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from nearshore.cli.commands import command
from nearshore.cli.output import FORMAT_OPTION, QUIET_OPTION, Format, say, show
from nearshore.services import newsletter

if TYPE_CHECKING:
    from nearshore.services.base import Result

app = typer.Typer(
    no_args_is_help=True,
    help="The newsletter: subscribers, issues, sending, bounces, errata.\n\nExample: nearshore newsletter run",
)


@command(app, "subscribe", newsletter.subscribe)
def subscribe(result: Result[Any]) -> None:
    """Sign a reader up: records a pending subscription and mails the confirmation link (double opt-in).

    Example: nearshore newsletter subscribe reader@example.org --topic us-mexico --frequency weekly
    """
    say(result)


@command(app, "confirm", newsletter.confirm)
def confirm(result: Result[Any]) -> None:
    """Confirm a sign-up with the token from its confirmation link (what the link's page does).

    Example: nearshore newsletter confirm 'WyJ...'
    """
    say(result)


@command(app, "unsubscribe", newsletter.unsubscribe)
def unsubscribe(result: Result[Any]) -> None:
    """Unsubscribe with the token of an unsubscribe link (what the one-click POST does).

    Example: nearshore newsletter unsubscribe 'Ik1O...'
    """
    say(result)


@command(app, "list", newsletter.subscribers)
def list_(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """List subscribers.

    Example: nearshore newsletter list --status active --format csv
    """
    show(result, fmt)


@command(app, "remove", newsletter.remove)
def remove(result: Result[Any]) -> None:
    """Unsubscribe an address on the operator's behalf (kept so it is never mailed again; see `erase`).

    Example: nearshore newsletter remove reader@example.org
    """
    say(result)


@command(app, "import", newsletter.import_subscribers)
def import_(result: Result[Any]) -> None:
    """Import subscribers from a CSV; duplicates are merged; any bad row stops the import (all are listed).

    Example: nearshore newsletter import readers.csv --confirmed
    """
    say(result)


@command(app, "export", newsletter.export)
def export(
    result: Result[Any],
    out: Path = typer.Option(None, "--out", "-o", help="File to write. Default: standard output."),
) -> None:
    """Export subscribers as CSV.

    Example: nearshore newsletter export --out subscribers.csv
    """
    if out is None:
        sys.stdout.write(result.payload)
        return
    out.write_text(result.payload, encoding="utf-8")
    typer.echo(f"wrote {out}")


@command(app, "subscriber", newsletter.subscriber)
def subscriber(result: Result[Any]) -> None:
    """Everything held about one address, as JSON (a data subject's access request).

    Example: nearshore newsletter subscriber reader@example.org > reader.json
    """
    typer.echo(json.dumps(result.payload, indent=2))


@command(app, "erase", newsletter.erase, confirm=lambda request: f"erase every record of {request.email}?")
def erase(result: Result[Any], yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation.")) -> None:
    """Delete everything held about one address (subscription, send log, bounce reports).

    Example: nearshore newsletter erase reader@example.org --yes
    """
    say(result)


@command(app, "issue", newsletter.issue)
def issue(result: Result[Any]) -> None:
    """Build today's issue from the verified brief (stored and archived; sent by `send` or `run`).

    Example: nearshore newsletter issue --topic us-mexico --preview out/issue.html
    """
    say(result)


@command(app, "issues", newsletter.issues)
def issues(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """List the issues built, with their send-log counts.

    Example: nearshore newsletter issues --format json
    """
    show(result, fmt)


@command(app, "send", newsletter.send)
def send(result: Result[Any], quiet: bool = QUIET_OPTION) -> None:
    """Send an issue to every active subscriber of its topic who has not had it; run again to resume.

    Example: nearshore newsletter send us-mexico/latest
    """
    say(result, quiet)


@command(app, "bounces", newsletter.bounces)
def bounces(result: Result[Any]) -> None:
    """Apply delivery status notifications (RFC 3464) and abuse reports (ARF) to the subscribers.

    Example: nearshore newsletter bounces --mbox /var/mail/bounces
    """
    say(result)


@command(app, "run", newsletter.run)
def run(result: Result[Any], quiet: bool = QUIET_OPTION) -> None:
    """Build what is new, send to whoever is due, purge stale sign-ups: the command cron or systemd calls.

    Example: nearshore newsletter run --dry-run
    """
    say(result, quiet)


@command(app, "errata", newsletter.errata)
def errata(result: Result[Any], quiet: bool = QUIET_OPTION) -> None:
    """Correct an archived issue with today's figures and mail the correction to those who received it.

    Example: nearshore newsletter errata us-mexico/2026-05-11 --note "Census revised March imports"
    """
    say(result, quiet)
