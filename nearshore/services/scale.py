"""Beyond one machine, as services: the store exported as partitioned Parquet, the tariff panel at every effective
date, and the gravity panel prepared for estimation, on DuckDB or Spark (docs/scale.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from nearshore.data.query.provenance import Provenance
from nearshore.services.base import Context, Result, columns, service
from nearshore.services.engine import SPARK_MASTER, spark
from nearshore.services.fields import Request, opt

DATASET_TO = opt("Folder or URI (s3a://, hdfs://, abfss://) to write the dataset to.", "--to")


@dataclass(frozen=True, kw_only=True)
class DatasetExportRequest(Request):
    to: Annotated[str, DATASET_TO]
    partition_by: Annotated[str, opt("Partition columns, comma-separated.", "--partition-by")] = "year,partner"
    tables: Annotated[str | None, opt("Tables to export, comma-separated (default: all, with loads).", "--tables")] = (
        None
    )


@service("data.export", DatasetExportRequest, writes=True)
def export(ctx: Context, r: DatasetExportRequest) -> Result[dict[str, Any]]:
    """The store's tables as partitioned Parquet with a manifest of their provenance, committed whole."""
    from nearshore.data.export import EXPORT_TABLES, MANIFEST, export_store

    chosen = [t.strip() for t in r.tables.split(",") if t.strip()] if r.tables else list(EXPORT_TABLES)
    parts = [c.strip() for c in r.partition_by.split(",") if c.strip()]
    ctx.step(f"exporting {len(chosen)} table(s) to {r.to}")
    report = export_store(ctx.db, r.to, partition_by=parts, tables=chosen, settings=ctx.settings)
    manifest = f"{report.uri.rstrip('/')}/{MANIFEST}"
    rows = tuple(
        (t.name, ",".join(t.partition_by), t.rows, len(t.files), sum(f.bytes for f in t.files))
        for t in report.manifest.tables.values()
    )
    return Result(
        f"exported to {report.uri}",
        columns("table", "partitioned by", "rows", "files", "bytes"),
        rows,
        {"uri": report.uri, "manifest": manifest, "export_id": report.manifest.export_id, "seconds": report.seconds},
        notes=(f"manifest: {manifest}", f"export id {report.manifest.export_id}; {report.seconds:.1f} s"),
        messages=(f"wrote {sum(r[3] for r in rows)} files to {report.uri}",),
    )


@dataclass(frozen=True, kw_only=True)
class TariffPanelsRequest(Request):
    to: Annotated[str, opt("Folder or URI to write the panel dataset to (partitioned by date).", "--to")]
    dates: Annotated[str, opt("'all' (every effective date) or YYYY-MM-DD,YYYY-MM-DD.", "--dates")] = "all"
    partners: Annotated[str | None, opt("Comma-separated partners (default: every country).", "--partners")] = None
    engine: Annotated[Literal["numpy", "spark"], opt("numpy (this process) or spark (one task per date).")] = "numpy"
    spark_master: Annotated[str | None, SPARK_MASTER] = None
    revision: Annotated[str | None, opt("HTS revision to use (default: the newest loaded).", "--revision")] = None


@service("data.tariff-panels", TariffPanelsRequest, writes=True)
def tariff_panels(ctx: Context, r: TariffPanelsRequest) -> Result[dict[str, Any]]:
    """The HTS10 x partner tariff panel at every effective date, as Parquet partitioned by date."""
    from nearshore.tariffs.duty import resolve_origin
    from nearshore.tariffs.panel_dates import parse_dates, write_panels
    from nearshore.tariffs.policy import load_policy
    from nearshore.tariffs.schedule import load_schedule

    chosen = parse_dates(r.dates)
    policy = load_policy()
    who = [resolve_origin(p.strip(), policy).id for p in r.partners.split(",") if p.strip()] if r.partners else None
    schedule = load_schedule(ctx.db, r.revision)
    session = spark(ctx, r.spark_master) if r.engine == "spark" else None
    done: list[object] = []

    def step(key: object) -> None:
        done.append(key)
        ctx.step(f"panel on {key}", len(done), len(chosen) if chosen else None)

    report = write_panels(
        schedule,
        policy,
        r.to,
        dates=chosen,
        partners=who,
        engine=r.engine,
        spark=session,
        settings=ctx.settings,
        progress=step,
    )
    entry = report.manifest.tables["tariff_panel"]
    row = (len(report.dates), report.lines, report.partners, entry.rows, len(entry.files), report.engine)
    return Result(
        f"tariff panels written to {report.uri}",
        columns("dates", "lines", "partners", "rows", "files", "engine"),
        (row,),
        {"uri": report.uri, "export_id": report.manifest.export_id, "seconds": report.seconds},
        notes=(
            f"dates: {report.dates[0]} to {report.dates[-1]}; HTS {schedule.revision}, policy {policy.version}",
            f"{report.seconds:.1f} s",
        ),
        provenance=Provenance(("hts", "tariff policy"), (f"HTS {schedule.revision}", f"policy {policy.version}")),
    )


@dataclass(frozen=True, kw_only=True)
class GravityPrepareRequest(Request):
    source: Annotated[str, opt("An exported dataset, or a Parquet file/folder of bilateral rows.", "--from")]
    out: Annotated[Path, opt("Parquet file to write the prepared panel to.", "--out")]
    engine: Annotated[Literal["duckdb", "spark"], opt("duckdb or spark.", "--engine")] = "duckdb"
    year_step: Annotated[int, opt("Keep every n-th year from the first (e.g. 4).", "--year-step", min=1)] = 1
    flow: Annotated[
        Literal["imports", "exports"], opt("Whose records: imports (the importer's) or exports.", "--flow")
    ] = "imports"
    data_source: Annotated[str | None, opt("Store source to use (e.g. census-country, comtrade).", "--source")] = None
    exporter_column: Annotated[str, opt("Plain file: the exporter column.", "--exporter-column")] = "exporter"
    importer_column: Annotated[str, opt("Plain file: the importer column.", "--importer-column")] = "importer"
    year_column: Annotated[str, opt("Plain file: the year column.", "--year-column")] = "year"
    value_column: Annotated[str, opt("Plain file: the trade value column.", "--value-column")] = "value"
    zeros: Annotated[bool, opt("Fill unrecorded flows of observed pairs with 0.", "--zeros/--no-zeros")] = True
    spark_master: Annotated[str | None, SPARK_MASTER] = None


@service("data.gravity", GravityPrepareRequest, store="none", writes=True)
def gravity(ctx: Context, r: GravityPrepareRequest) -> Result[dict[str, Any]]:
    """The gravity panel prepared for estimation: trade by exporter, importer, year, with fixed-effect ids."""
    from nearshore.data.spark.gravity import GravitySpec, prepare_gravity

    mapping = {
        "exporter": r.exporter_column,
        "importer": r.importer_column,
        "year": r.year_column,
        "value": r.value_column,
    }
    spec = GravitySpec(year_step=r.year_step, flow=r.flow, source=r.data_source, zeros=r.zeros)
    session = spark(ctx, r.spark_master) if r.engine == "spark" else None
    ctx.step(f"preparing the gravity panel from {r.source} on {r.engine}")
    panel = prepare_gravity(r.source, spec=spec, engine=r.engine, columns=mapping, spark=session, settings=ctx.settings)
    written = panel.write(r.out)
    t = panel.table
    counts = [len(set(t[c].to_pylist())) for c in ("pair_id", "year", "exporter", "importer")]
    return Result(
        f"gravity panel written to {r.out}",
        columns("rows", "pairs", "years", "exporters", "importers", "engine"),
        ((written, *counts, panel.engine),),
        {"out": r.out, "rows": written, "input": panel.input},
        notes=(f"input {panel.input}; the SQL that reproduces it on {panel.engine}: --format json (provenance.sql)",),
        provenance=Provenance(query=panel.sql),
    )


__all__ = [
    "DatasetExportRequest",
    "GravityPrepareRequest",
    "TariffPanelsRequest",
    "export",
    "gravity",
    "tariff_panels",
]
