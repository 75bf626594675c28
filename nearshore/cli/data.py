"""`nearshore data`: what the store holds, and loading, fetching and snapshotting official data."""

from __future__ import annotations

from pathlib import Path

import typer

from nearshore.cli.output import FORMAT_OPTION, QUIET_OPTION, Format, emit, handle_errors, note

app = typer.Typer(
    help="The official-data store: info, load, loads, seed, snapshot.\n\nExample: nearshore data info",
    no_args_is_help=True,
)


@app.command("info")
@handle_errors
def info(fmt: Format = FORMAT_OPTION) -> None:
    """What the store holds, per source: vintages, coverage, row counts, and where the file is.

    Example: nearshore data info --format json
    """
    from nearshore.data.info import store_info
    from nearshore.data.snapshot import open_store

    with open_store(read_only=True) as store:
        result = store_info(store)
    columns = [
        "source",
        "table",
        "vintages",
        "years",
        "months",
        "partners",
        "aggregates",
        "classification",
        "flows",
        "rows",
        "superseded",
        "loads",
    ]
    rows = [
        [
            s.source,
            s.table,
            list(s.vintages),
            f"{s.years[0]}-{s.years[1]}" if s.years else "",
            s.months,
            s.partners,
            s.aggregates,
            list(s.classifications),
            list(s.flows),
            s.rows,
            s.superseded_rows,
            s.loads,
        ]
        for s in result.sources
    ]
    footer = [f"store: {result.path}"]
    if result.empty:
        footer.append("the store is empty: load official files with `nearshore data load SOURCE PATH`")
    if fmt is Format.table and rows:
        # one small block per source fits a terminal; one wide row per source does not
        for number, row in enumerate(rows, start=1):
            emit(
                ["", "value"],
                [[name, row[i]] for i, name in enumerate(columns) if i > 1],
                fmt,
                title=f"{row[0]} -> {row[1]}",
                footer=footer if number == len(rows) else (),
            )
        return
    emit(columns, rows, fmt, title="nearshore store", footer=footer, meta={"store": result.path})


@app.command("load")
@handle_errors
def load(
    source: str = typer.Argument(
        ..., help="Source name: census-country, census-hs2, dataweb, comtrade, census-duties, hts, trade-parquet."
    ),
    path: Path = typer.Argument(..., help="The official file to load."),
    vintage: str = typer.Option(None, "--vintage", help="Release of the data, YYYY-MM or YYYY-MM-DD."),
    force: bool = typer.Option(
        False, "--force", help="hts: load a schedule even if it has far fewer general rates than the loaded one."
    ),
    fmt: Format = FORMAT_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Load an official file into the store, in one transaction (all or nothing).

    Example: nearshore data load census-country country.xlsx --vintage 2026-07
    """
    from nearshore.data.snapshot import open_store
    from nearshore.data.sources import get_source, load_file

    get_source(source)  # an unknown name fails before the store is opened
    with open_store() as store:
        report = load_file(store, source, path, vintage=vintage, force=force)
    for warning in report.warnings:
        note(f"warning: {warning}", quiet)
    emit(
        ["load_id", "source", "table", "vintage", "rows", "replaced", "superseded", "warnings"],
        [
            [
                report.load_id,
                report.source,
                report.target,
                report.vintage,
                report.rows,
                report.replaced,
                report.superseded,
                len(report.warnings),
            ]
        ],
        fmt,
        title=f"loaded {path}",
    )


@app.command("seed")
@handle_errors
def seed(fmt: Format = FORMAT_OPTION) -> None:
    """Fill an empty store from the embedded snapshot (a store that holds loads is left as it is).

    Example: nearshore data seed
    """
    from nearshore.data.snapshot import seed as seed_store

    report = seed_store()
    done = "seeded from the embedded snapshot" if report.seeded else "already holds data: left as it is"
    emit(["store", "seeded", "loads"], [[report.path, report.seeded, report.loads]], fmt, title=f"store {done}")


snapshot_app = typer.Typer(
    help="The embedded default data shipped inside the package.\n\nExample: nearshore data snapshot build",
    no_args_is_help=True,
)
app.add_typer(snapshot_app, name="snapshot")


@snapshot_app.command("build")
@handle_errors
def snapshot_build(
    raw: Path = typer.Option(None, "--raw", help="Folder of official files (default: ../shared/data/raw)."),
    out: Path = typer.Option(None, "--out", help="Output folder (default: the package's snapshot folder)."),
    fmt: Format = FORMAT_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Rebuild the embedded snapshot from the official raw files with nearshore's own loaders.

    Example: nearshore data snapshot build --raw ../shared/data/raw
    """
    from rich.progress import Progress

    from nearshore.data.snapshot import snapshot_dir
    from nearshore.data.snapshot.builder import build_snapshot, read_plan
    from nearshore.settings import Settings

    raw_dir = raw or Settings.load().raw_dir()
    plan = read_plan()
    with Progress(disable=quiet, transient=True) as progress:
        task = progress.add_task("loading official files", total=len(plan))

        def step(entry: object) -> None:
            progress.update(task, advance=1, description=f"loading {getattr(entry, 'file', '')}")

        manifest = build_snapshot(raw_dir, out or snapshot_dir(), plan=plan, progress=step)
    emit(
        ["table", "file", "rows", "bytes"],
        [[t["table"], t["file"], t["rows"], t["bytes"]] for t in manifest["tables"]],
        fmt,
        title="snapshot built",
        footer=[f"{len(manifest['loads'])} official files loaded"],
    )


@app.command("loads")
@handle_errors
def loads(fmt: Format = FORMAT_OPTION) -> None:
    """The provenance of every load in the store: source, file or request, checksum, vintage, time, rows.

    Example: nearshore data loads --format csv
    """
    from nearshore.data.query import load_listing
    from nearshore.data.snapshot import open_store

    with open_store(read_only=True) as store:
        result = load_listing(store)
    footer = [f"store: {store.path}"]
    if fmt is Format.table:
        # on a terminal: the file's name; json and csv carry every column whole
        index = {name: i for i, name in enumerate(result.columns)}
        rows = [
            [
                r[index["load_id"]],
                r[index["source"]],
                Path(str(r[index["origin"]])).name,
                r[index["vintage"]],
                r[index["rows"]],
            ]
            for r in result.rows
        ]
        emit(
            ["id", "source", "file", "vintage", "rows"],
            rows,
            fmt,
            title="loads",
            footer=[*footer, "tables, full paths, checksums and load times: --format json or csv"],
        )
        return
    emit(result.columns, result.rows, fmt, title="loads", footer=footer)
