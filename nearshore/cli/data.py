"""`nearshore data`: what the store holds, and loading, fetching and snapshotting official data."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import typer

from nearshore.cli.output import FORMAT_OPTION, QUIET_OPTION, Format, emit, handle_errors, note
from nearshore.settings import Settings

app = typer.Typer(
    help="The official-data store: info, load, loads, snapshot.\n\nExample: nearshore data info",
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

    with open_store() as store:
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
    from nearshore.data.snapshot import open_store

    with open_store() as store:
        result = store.query(
            "SELECT load_id, source, target AS table, origin, vintage, checksum, loaded_at, rows, replaced, "
            "superseded FROM loads ORDER BY load_id"
        )
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


# -- datasets for other engines (docs/scale.md) --------------------------------------------------------------------

SPARK_MASTER_OPTION = typer.Option(
    None, "--spark-master", help="Spark master: local[2], local[*] or spark://host:port (default: the setting)."
)


def _settings(spark_master: str | None) -> Settings:
    return Settings.load(spark_master=spark_master) if spark_master else Settings.load()


@app.command("export")
@handle_errors
def export(
    to: str = typer.Option(..., "--to", help="Folder or URI (s3a://, hdfs://, abfss://) to write the dataset to."),
    partition_by: str = typer.Option("year,partner", "--partition-by", help="Partition columns, comma-separated."),
    tables: str = typer.Option(None, "--tables", help="Tables to export (default: all, with loads)."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The store's tables as partitioned Parquet with a manifest of their provenance, committed whole.

    Example: nearshore data export --to ./export --partition-by year,partner
    """
    from nearshore.data.export import EXPORT_TABLES, export_store
    from nearshore.data.snapshot import open_store

    chosen = [t.strip() for t in tables.split(",") if t.strip()] if tables else list(EXPORT_TABLES)
    with open_store() as store:
        report = export_store(
            store, to, partition_by=[c.strip() for c in partition_by.split(",") if c.strip()], tables=chosen
        )
    rows = [
        [t.name, ",".join(t.partition_by), t.rows, len(t.files), sum(f.bytes for f in t.files)]
        for t in report.manifest.tables.values()
    ]
    emit(
        ["table", "partitioned by", "rows", "files", "bytes"],
        rows,
        fmt,
        title=f"exported to {report.uri}",
        footer=[f"manifest: {report.uri.rstrip('/')}/_nearshore_manifest.json", f"{report.seconds:.1f} s"],
    )


@app.command("tariff-panels")
@handle_errors
def tariff_panels(
    to: str = typer.Option(..., "--to", help="Folder or URI to write the panel dataset to (partitioned by date)."),
    dates: str = typer.Option("all", "--dates", help="'all' (every effective date) or YYYY-MM-DD,YYYY-MM-DD."),
    partners: str = typer.Option(None, "--partners", help="Comma-separated partners (default: every country)."),
    engine: str = typer.Option("numpy", "--engine", help="numpy (this process) or spark (one task per date)."),
    spark_master: str = SPARK_MASTER_OPTION,
    revision: str = typer.Option(None, "--revision", help="HTS revision to use (default: the newest loaded)."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The HTS10 x partner tariff panel at every effective date, as Parquet partitioned by date.

    Example: nearshore data tariff-panels --to ./panels --engine spark --spark-master local[2]
    """
    from nearshore.tariffs.panel_dates import panels_from_store

    report = panels_from_store(
        to,
        dates=dates,
        partners=partners,
        engine=cast(Any, engine),
        revision=revision,
        settings=_settings(spark_master),
    )
    entry = report.manifest.tables["tariff_panel"]
    emit(
        ["dates", "lines", "partners", "rows", "files", "engine", "seconds"],
        [
            [
                len(report.dates),
                report.lines,
                report.partners,
                entry.rows,
                len(entry.files),
                report.engine,
                round(report.seconds, 1),
            ]
        ],
        fmt,
        title=f"tariff panels written to {report.uri}",
        footer=[f"dates: {report.dates[0]} to {report.dates[-1]}"],
    )


@app.command("gravity")
@handle_errors
def gravity(
    source: str = typer.Option(..., "--from", help="An exported dataset, or a Parquet file/folder of bilateral rows."),
    out: Path = typer.Option(..., "--out", help="Parquet file to write the prepared panel to."),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb or spark."),
    year_step: int = typer.Option(1, "--year-step", help="Keep every n-th year from the first (e.g. 4)."),
    flow: str = typer.Option("imports", "--flow", help="Whose records: imports (the importer's) or exports."),
    data_source: str = typer.Option(None, "--source", help="Store source to use (e.g. census-country, comtrade)."),
    exporter_column: str = typer.Option("exporter", "--exporter-column", help="Plain file: the exporter column."),
    importer_column: str = typer.Option("importer", "--importer-column", help="Plain file: the importer column."),
    year_column: str = typer.Option("year", "--year-column", help="Plain file: the year column."),
    value_column: str = typer.Option("value", "--value-column", help="Plain file: the trade value column."),
    zeros: bool = typer.Option(True, "--zeros/--no-zeros", help="Fill unrecorded flows of observed pairs with 0."),
    spark_master: str = SPARK_MASTER_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The gravity panel prepared for estimation: trade by exporter, importer, year, with fixed-effect ids.

    Example: nearshore data gravity --from ./export --out gravity.parquet --year-step 4 --engine spark
    """
    from nearshore.data.spark.gravity import GravitySpec, prepare_gravity

    mapping = {"exporter": exporter_column, "importer": importer_column, "year": year_column, "value": value_column}
    spec = GravitySpec(year_step=year_step, flow=cast(Any, flow), source=data_source, zeros=zeros)
    panel = prepare_gravity(
        source,
        spec=spec,
        engine=cast(Any, engine),
        columns=mapping,
        settings=_settings(spark_master),
    )
    rows = panel.write(out)
    t = panel.table
    emit(
        ["rows", "pairs", "years", "exporters", "importers", "engine"],
        [
            [
                rows,
                len(set(t["pair_id"].to_pylist())),
                len(set(t["year"].to_pylist())),
                len(set(t["exporter"].to_pylist())),
                len(set(t["importer"].to_pylist())),
                panel.engine,
            ]
        ],
        fmt,
        title=f"gravity panel written to {out}",
        footer=[f"input {panel.input}; the SQL that reproduces it on {panel.engine}: --format json (key 'sql')"],
        meta={"sql": panel.sql, "out": str(out)},
    )
