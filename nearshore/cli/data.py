"""`nearshore data`: what the store holds, and loading, fetching and snapshotting official data."""

from __future__ import annotations

from pathlib import Path

import typer

from nearshore.cli.output import FORMAT_OPTION, QUIET_OPTION, Format, emit, handle_errors, note

app = typer.Typer(help="The official-data store: info, load, fetch, snapshot.", no_args_is_help=True)


@app.command("info")
@handle_errors
def info(fmt: Format = FORMAT_OPTION) -> None:
    """What the store holds, per source: vintages, coverage, row counts, and where the file is.

    Example: nearshore data info --format json
    """
    from nearshore.data.info import store_info
    from nearshore.data.snapshot import open_store

    with open_store() as store:
        result = store_info(store)
    columns = ["source", "table", "vintages", "years", "months", "partners", "aggregates",
               "classification", "flows", "rows", "superseded", "loads"]
    rows = [
        [s.source, s.table, list(s.vintages), f"{s.years[0]}-{s.years[1]}" if s.years else "",
         s.months, s.partners, s.aggregates, list(s.classifications), list(s.flows), s.rows,
         s.superseded_rows, s.loads]
        for s in result.sources
    ]
    footer = [f"store: {result.path}"]
    if result.empty:
        footer.append("the store is empty: load official files with `nearshore data load SOURCE PATH`")
    emit(columns, rows, fmt, title="nearshore store", footer=footer, meta={"store": result.path})


@app.command("load")
@handle_errors
def load(
    source: str = typer.Argument(..., help="Source name: census-country, dataweb, comtrade, census-duties, hts."),
    path: Path = typer.Argument(..., help="The official file to load."),
    vintage: str = typer.Option(None, "--vintage", help="Release of the data, YYYY-MM or YYYY-MM-DD."),
    fmt: Format = FORMAT_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Load an official file into the store, in one transaction (all or nothing).

    Example: nearshore data load census-country country.xlsx --vintage 2026-07
    """
    from nearshore.data.snapshot import open_store
    from nearshore.data.sources import get_source

    module = get_source(source)
    with open_store() as store:
        report = module.load(store, path, vintage=vintage)
    for warning in report.warnings:
        note(f"warning: {warning}", quiet)
    emit(
        ["load_id", "source", "table", "vintage", "rows", "replaced", "superseded", "warnings"],
        [[report.load_id, report.source, report.target, report.vintage, report.rows, report.replaced,
          report.superseded, len(report.warnings)]],
        fmt, title=f"loaded {path}",
    )
