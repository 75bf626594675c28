"""`nearshore data export`: the store's tables as partitioned Parquet, with a manifest of their provenance.

Every table is exported whole (current and superseded rows, with `vintage`, `load_id` and `superseded_by`), so
a reader on another engine can ask for the figures current now or as they stood at a vintage, and trace each
row to its load. Each table is partitioned by the requested columns it has (`trade_flows` and `program_shares`
by year and partner; `hts_schedule` and `loads` have neither and are written whole). DuckDB streams each table
as Arrow batches to pyarrow's dataset writer, so a table larger than memory exports too.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from nearshore.data import schema
from nearshore.data.export.commit import commit, describe, staging, write_arrow
from nearshore.data.export.location import resolve
from nearshore.data.export.manifest import Manifest
from nearshore.data.query.catalog import LOAD_COLUMNS
from nearshore.data.store import Store
from nearshore.errors import DatasetError, InputError
from nearshore.settings import Settings

EXPORT_TABLES: Final = (*schema.TABLES, "loads")
BATCH_ROWS: Final = 500_000


@dataclass(frozen=True)
class ExportReport:
    uri: str
    manifest: Manifest
    seconds: float


def table_columns(table: str) -> tuple[str, ...]:
    if table == "loads":
        return LOAD_COLUMNS
    return schema.column_names(table)


def check_partitioning(partition_by: Sequence[str], tables: Sequence[str]) -> None:
    """Partition columns must be columns of an exported table; a table lacking one is written without it."""
    unknown = [t for t in tables if t not in EXPORT_TABLES]
    if unknown:
        raise InputError(f"unknown table(s) {', '.join(unknown)}; tables: {', '.join(EXPORT_TABLES)}")
    known = {c for t in tables for c in table_columns(t)}
    bad = [c for c in partition_by if c not in known]
    if bad:
        raise InputError(
            f"--partition-by {','.join(partition_by)}: {', '.join(bad)} is not a column of the exported tables; "
            "use columns such as year, partner, source (e.g. --partition-by year,partner)"
        )
    if len(set(partition_by)) != len(partition_by):
        raise InputError(f"--partition-by {','.join(partition_by)} names a column twice")


def _reader(store: Store, table: str) -> Any:
    """The whole table as a pyarrow RecordBatchReader, streamed from DuckDB."""
    store.con.execute("SET enable_progress_bar = false")  # a bar on stdout would corrupt --format json
    relation = store.con.table(table)
    stream = getattr(relation, "to_arrow_reader", None) or relation.fetch_arrow_reader
    return stream(BATCH_ROWS)


def provenance(store: Store) -> dict[str, Any]:
    """Where the exported rows come from: the store, and per source its tables, vintages, load ids and files."""
    import pyarrow as pa

    loads: list[dict[str, Any]] = pa.table(store.con.table("loads").to_arrow_table()).to_pylist()
    sources: dict[str, dict[str, Any]] = {}
    for load in sorted(loads, key=lambda r: int(r["load_id"])):
        entry = sources.setdefault(
            load["source"], {"source": load["source"], "tables": [], "vintages": [], "load_ids": [], "files": []}
        )
        for key, value in (("tables", load["target"]), ("vintages", load["vintage"]), ("files", load["origin"])):
            if value not in entry[key]:
                entry[key].append(value)
        entry["load_ids"].append(int(load["load_id"]))
    for entry in sources.values():
        entry["vintages"].sort()
    return {
        "store": store.path,
        "schema_version": schema.SCHEMA_VERSION,
        "sources": list(sources.values()),
        "loads": [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in loads],
    }


def export_store(
    store: Store,
    to: str | Path,
    *,
    partition_by: Sequence[str] = ("year", "partner"),
    tables: Sequence[str] = EXPORT_TABLES,
    settings: Settings | None = None,
) -> ExportReport:
    """Write the store's `tables` to `to` (a folder or URI) as Hive-partitioned Parquet plus the manifest."""
    check_partitioning(partition_by, tables)
    started = time.perf_counter()
    location = resolve(to, settings)
    entries = []
    with staging(location) as stage:
        for table in tables:
            parts = [c for c in partition_by if c in table_columns(table)]
            reader = _reader(store, table)
            write_arrow(stage, table, reader, parts)
            entry = describe(stage, table, reader.schema, parts)
            expected = int(store.con.table(table).shape[0])
            if entry.rows != expected:
                raise DatasetError(
                    f"exporting {table} to {location.uri}: {entry.rows} rows written but the store holds {expected}; "
                    "nothing was committed, run the export again",
                    file=location.uri,
                )
            entries.append(entry)
        manifest = commit(stage, "store-export", entries, provenance(store))
    return ExportReport(location.uri, manifest, time.perf_counter() - started)


__all__ = ["EXPORT_TABLES", "ExportReport", "check_partitioning", "export_store", "provenance", "table_columns"]
