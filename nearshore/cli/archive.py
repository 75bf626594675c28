"""`nearshore archive`: the static archive with Atom and RSS feeds, and the check of archived figures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from nearshore.cli.commands import command
from nearshore.cli.output import FORMAT_OPTION, Format, say, show
from nearshore.services import archive

if TYPE_CHECKING:
    from nearshore.services.base import Result

app = typer.Typer(
    no_args_is_help=True,
    help="The newsletter archive: static site, feeds, errata check.\n\nExample: nearshore archive build site/archive",
)


@command(app, "build", archive.build)
def build(result: Result[Any]) -> None:
    """Write the archive: an index by date and topic, one page per issue, Atom and RSS feeds.

    Example: nearshore archive build site/archive --url https://brief.example.org/archive
    """
    say(result)


@command(app, "check", archive.check)
def check(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """Recompute every archived figure at today's data and list those that changed (then see `newsletter errata`).

    Example: nearshore archive check --format json
    """
    show(result, fmt)
