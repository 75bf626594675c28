"""`nearshore data fetch`: official figures straight from the Census and UN Comtrade APIs into the store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from nearshore.cli.commands import command
from nearshore.cli.output import FORMAT_OPTION, QUIET_OPTION, Format, Table, plain_table, show
from nearshore.services import data

if TYPE_CHECKING:
    from nearshore.services.base import Result

app = typer.Typer(
    help="Fetch official data from the source APIs into the store.\n\n"
    "Example: nearshore data fetch census --flow imports --partner MEX --from 2025-01 --to 2025-03",
    no_args_is_help=True,
)

NOTE_WIDTH = 60


def _short(message: str) -> str:
    """A long note cut for a terminal table (the error line under it has the first failure whole)."""
    if message.startswith("http") and ": " in message:
        message = message.split(": ", 1)[1]  # the URL is in the error line
    return message if len(message) <= NOTE_WIDTH else message[: NOTE_WIDTH - 1] + "…"


def _periods(result: Result[Any]) -> Table:
    table = plain_table(result)
    return Table(table.columns, [[*row[:-1], _short(str(row[-1]))] for row in result.rows], table.title, table.footer)


@command(app, "census", data.fetch_census)
def census(result: Result[Any], fmt: Format = FORMAT_OPTION, quiet: bool = QUIET_OPTION) -> None:
    """Fetch U.S. monthly trade from the Census International Trade API, one load per month (resumable).

    Needs CENSUS_API_KEY (free at https://api.census.gov/data/key_signup.html).

    Example: nearshore data fetch census --flow imports --partner MEX,CAN --from 2025-01 --to 2025-06
    """
    show(result, fmt, _periods, quiet=quiet)


@command(app, "comtrade", data.fetch_comtrade)
def comtrade(result: Result[Any], fmt: Format = FORMAT_OPTION, quiet: bool = QUIET_OPTION) -> None:
    """Fetch trade from the UN Comtrade API, one load per period (resumable).

    Without COMTRADE_API_KEY the public preview is used (at most 500 records a call).

    Example: nearshore data fetch comtrade --reporter MEX --partner USA --flow X --period 2021 --level 4
    """
    show(result, fmt, _periods, quiet=quiet)
