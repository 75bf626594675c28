"""`nearshore data fetch`: official figures straight from the Census and UN Comtrade APIs into the store."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from nearshore.cli.output import FORMAT_OPTION, QUIET_OPTION, Format, emit, fail, handle_errors, note

if TYPE_CHECKING:
    from nearshore.data.fetch.runs import FetchReport, PeriodResult

app = typer.Typer(
    help="Fetch official data from the source APIs into the store.\n\n"
    "Example: nearshore data fetch census --flow imports --partner MEX --from 2025-01 --to 2025-03",
    no_args_is_help=True,
)

NOTE_WIDTH = 60
VINTAGE_OPTION = typer.Option(None, "--vintage", help="Release of the data, YYYY-MM. Default: this month.")


@contextmanager
def _progress(total: int, label: str, quiet: bool) -> Iterator[Callable[[PeriodResult], None]]:
    """A rich progress bar over periods; silent with --quiet or when stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        yield lambda result: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)

        def advance(result: PeriodResult) -> None:
            bar.update(task, advance=1, description=f"{label} {result.period}: {result.status}")

        yield advance


def _note(message: str, fmt: Format) -> str:
    """Full notes for json/csv; in a table a long one is cut (the error line below has it whole)."""
    if fmt is not Format.table:
        return message
    if message.startswith("http") and ": " in message:
        message = message.split(": ", 1)[1]  # the URL is in the error line
    return message if len(message) <= NOTE_WIDTH else message[: NOTE_WIDTH - 1] + "…"


def _report(report: FetchReport, fmt: Format, title: str, quiet: bool) -> None:
    columns = ["period", "status", "rows", "calls", "load_id", "note"]
    rows = [[p.period, p.status, p.rows, p.calls, p.load_id, _note(p.message, fmt)] for p in report.periods]
    footer = [
        f"vintage {report.vintage}: {report.count('loaded')} loaded, {report.count('skipped')} skipped, "
        f"{report.count('empty')} empty, {report.count('failed')} failed; {report.rows} rows"
    ]
    emit(
        columns,
        rows,
        fmt,
        title=title,
        footer=footer,
        meta={"source": report.source, "vintage": report.vintage},
    )
    if report.failed:
        note("failed periods are fetched again by the next run with the same options", quiet)
        fail(f"{len(report.failed)} period(s) failed: {report.failed[0].message}", 6)


@app.command("census")
@handle_errors
def census(
    flow: str = typer.Option(..., "--flow", help="imports or exports."),
    level: str = typer.Option("TOTAL", "--level", help="HS2, HS4, HS6, HS10 or TOTAL (all commodities)."),
    partner: str = typer.Option("", "--partner", help="Partners, comma-separated (MEX,CAN or 2010). Default: all."),
    first: str = typer.Option(..., "--from", help="First month, YYYY-MM."),
    last: str = typer.Option(None, "--to", help="Last month, YYYY-MM. Default: --from."),
    basis: str = typer.Option(None, "--basis", help="Imports: general (default) or consumption."),
    duty: bool = typer.Option(False, "--duty", help="Also store calculated duty (needs --basis consumption)."),
    commodity: str = typer.Option("", "--commodity", help="Only this HS code (as many digits as --level)."),
    vintage: str = VINTAGE_OPTION,
    fmt: Format = FORMAT_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Fetch U.S. monthly trade from the Census International Trade API, one load per month (resumable).

    Needs CENSUS_API_KEY (free at https://api.census.gov/data/key_signup.html).

    Example: nearshore data fetch census --flow imports --partner MEX,CAN --from 2025-01 --to 2025-06
    """
    from nearshore.data.fetch.census import CensusQuery, fetch
    from nearshore.data.snapshot import open_store

    query = CensusQuery.build(
        flow=flow,
        level=level,
        first=first,
        last=last,
        partners=partner.split(","),
        basis=basis,
        duty=duty,
        commodity=commodity,
    )
    with open_store() as store, _progress(len(query.months), "census", quiet) as advance:
        report = fetch(store, query, vintage=vintage, progress=advance)
    _report(report, fmt, f"census-api {query.flow} ({query.basis}) {query.level}", quiet)


@app.command("comtrade")
@handle_errors
def comtrade(
    reporter: str = typer.Option(..., "--reporter", help="Reporting country: ISO code (MEX), name or code (484)."),
    partner: str = typer.Option("", "--partner", help="Partners, comma-separated (USA,CAN). Default: all."),
    flow: str = typer.Option("M,X", "--flow", help="M (imports), X (exports) or M,X."),
    period: str = typer.Option(..., "--period", help="Years (2021, 2019-2021) or months (2021-01), comma-separated."),
    level: int = typer.Option(0, "--level", help="HS digits: 2, 4, 6, or 0 for all commodities."),
    commodity: str = typer.Option("", "--commodity", help="Only these HS codes, comma-separated."),
    vintage: str = VINTAGE_OPTION,
    fmt: Format = FORMAT_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Fetch trade from the UN Comtrade API, one load per period (resumable).

    Without COMTRADE_API_KEY the public preview is used (at most 500 records a call).

    Example: nearshore data fetch comtrade --reporter MEX --partner USA --flow X --period 2021 --level 4
    """
    from nearshore.data.fetch.comtrade import ComtradeQuery, fetch
    from nearshore.data.snapshot import open_store

    query = ComtradeQuery.build(
        reporter=reporter, period=period, flow=flow, level=level, partners=partner, commodities=commodity
    )
    with open_store() as store, _progress(len(query.periods), "comtrade", quiet) as advance:
        report = fetch(store, query, vintage=vintage, progress=advance)
    _report(report, fmt, f"comtrade-api reporter {query.reporter.id} {query.cmd_code}", quiet)
