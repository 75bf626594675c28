"""`nearshore brief`: verified, sourced trade briefs. `check` verifies a written brief against its facts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from nearshore.cli.commands import command
from nearshore.cli.output import FORMAT_OPTION, QUIET_OPTION, Format, show
from nearshore.services import brief as briefs

if TYPE_CHECKING:
    from nearshore.services.base import Result

app = typer.Typer()


@command(app, None, briefs.brief)
def brief(result: Result[Any], quiet: bool = QUIET_OPTION) -> None:
    """Write the brief: a verified, charted, fully sourced trade brief from the official data in the store.

    Writes <topic>-<year>.html, .md, .pdf and .facts.json into --out, each figure checked against its fact.

    `nearshore brief check FILE` re-checks a written brief.

    Example: nearshore brief --topic us-mexico --format html,pdf --out out
    """
    typer.echo("\n".join(result.notes))


@command(app, "check", briefs.check)
def check(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """Check every figure in a brief against the fact it cites; exit 9 if any is unsupported.

    Example: nearshore brief check out/us-mexico-2024.md
    """
    if fmt is Format.table and not result.rows:
        typer.echo(f"{result.payload['file']}: {result.notes[0]}")
        return
    show(result, fmt)
