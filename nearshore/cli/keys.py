"""`nearshore api-key`: the keys that `nearshore serve` accepts for writes (stored hashed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from nearshore.cli.commands import command
from nearshore.cli.output import FORMAT_OPTION, Format, show
from nearshore.services import keys

if TYPE_CHECKING:
    from nearshore.services.base import Result

app = typer.Typer(
    no_args_is_help=True,
    help="API keys for the HTTP API's writes (nearshore serve).\n\nExample: nearshore api-key create erp",
)


@command(app, "create", keys.create)
def create(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """Make an API key; it is printed once (stdout) and only its hash is kept.

    Example: nearshore api-key create erp-prod
    """
    if fmt is Format.json:
        show(result, fmt)
        return
    typer.echo(f"{result.title}; {result.notes[0]}", err=True)
    typer.echo(result.payload.key)


@command(app, "list", keys.listing)
def listing(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """List the API keys: id, name, active or revoked (never the keys themselves).

    Example: nearshore api-key list
    """
    show(result, fmt)


@command(app, "revoke", keys.revoke)
def revoke(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """Revoke an API key by id or name; the server refuses it from the next call on.

    Example: nearshore api-key revoke erp-prod
    """
    show(result, fmt) if fmt is not Format.table else typer.echo(result.title)
