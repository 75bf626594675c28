"""The gravity panel, prepared for estimation: bilateral trade at (exporter, importer, year) with fixed-effect ids.

One SQL text, written in the subset DuckDB and Spark SQL share, runs on either engine (`engine="duckdb"` or
`"spark"`), so the two give the same panel row for row and the SQL kept on the result reproduces it on the engine
that made it. Estimation is not done here: the result is a pyarrow Table for pyfixest (or anything else).

Input: an exported store dataset (`nearshore data export`; its `trade_flows` table: current rows, partners that are
countries, annual rows, all programmes (`program = 'ALL'`, not the USMCA-claimed subsets), one flow on its usual
basis (general imports, total exports), TOTAL or HS rows of the coarsest level each reporter x partner x year has,
so no flow is counted twice: its TOTAL row if loaded, else its HS chapters, and so on, as the gravity estimation
reads the store in nearshore/scenarios/gravity/store.py), or a Parquet file or folder with an exporter, importer,
year and value column (named by `columns`).

Output columns, sorted by exporter, importer, year:

    exporter          STRING   ISO3 of the exporting country
    importer          STRING   ISO3 of the importing country
    year              INT      a kept year: first year + k * year_step
    trade             DOUBLE   sum of the value (U.S. dollars for a store dataset); 0 for an observed pair in a
                               kept year with no recorded flow (when zeros=True, as PPML needs)
    source_rows       BIGINT   input rows summed into the figure (0 for a filled zero)
    exporter_year_id  INT      0-based dense id of (exporter, year), in that sort order
    importer_year_id  INT      0-based dense id of (importer, year)
    pair_id           INT      0-based dense id of (exporter, importer)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from nearshore.data.export.location import resolve
from nearshore.data.export.manifest import MANIFEST
from nearshore.data.export.reader import Dataset, open_dataset, open_parquet
from nearshore.data.query.gravity import (
    ROLES,
    GravitySpec,
    file_rows_sql,
    gravity_sql,
    sources_sql,
    store_rows_sql,
)
from nearshore.errors import InputError
from nearshore.settings import Settings

GravityEngine = Literal["duckdb", "spark"]
ENGINES: Final = ("duckdb", "spark")
OUTPUT_COLUMNS: Final = (
    "exporter",
    "importer",
    "year",
    "trade",
    "source_rows",
    "exporter_year_id",
    "importer_year_id",
    "pair_id",
)


def output_schema() -> Any:
    import pyarrow as pa

    types = (pa.string(), pa.string(), pa.int32(), pa.float64(), pa.int64(), pa.int32(), pa.int32(), pa.int32())
    return pa.schema(list(zip(OUTPUT_COLUMNS, types, strict=True)))


@dataclass(frozen=True)
class GravityPanel:
    table: Any  # pyarrow.Table with OUTPUT_COLUMNS
    sql: str
    engine: str
    input: str

    def write(self, path: str | Path) -> int:
        """Write the panel to one local Parquet file, whole or not at all (temporary name, then rename)."""
        import os

        import pyarrow.parquet as pq

        target = Path(path)
        if not target.parent.is_dir():
            raise InputError(f"--out {target}: the folder {target.parent} does not exist; create it first")
        partial_file = target.with_name(f".{target.name}.partial")
        try:
            pq.write_table(self.table, partial_file, compression="zstd")
            os.replace(partial_file, target)
        except OSError as exc:
            partial_file.unlink(missing_ok=True)
            raise InputError(
                f"--out {target}: cannot write there ({exc.strerror or exc}); choose another path"
            ) from None
        return int(self.table.num_rows)


def prepare_gravity(
    source: str | Path,
    *,
    spec: GravitySpec | None = None,
    engine: GravityEngine = "duckdb",
    columns: Mapping[str, str] | None = None,
    spark: Any = None,
    settings: Settings | None = None,
) -> GravityPanel:
    """The estimation panel from an exported dataset or a Parquet file (see the module docstring)."""
    spec = spec or GravitySpec()
    spec.check()
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; engines: {', '.join(ENGINES)}")
    location = resolve(source, settings)
    data: _StoreInput | _FileInput
    if location.exists(location.path(MANIFEST)):
        rows_sql, data = store_rows_sql(spec), _StoreInput(open_dataset(source, settings))
    else:
        unknown = sorted(set(columns or {}) - set(ROLES))
        if unknown:
            raise InputError(f"unknown column role(s) {', '.join(unknown)}; roles: {', '.join(ROLES)}")
        mapping = {role: (columns or {}).get(role, role) for role in ROLES}
        dataset = open_parquet(source, [mapping[r] for r in ROLES], settings)
        uri = "file://" + location.root if location.local else location.uri
        rows_sql, data = file_rows_sql(mapping), _FileInput(dataset, uri)
    sql = gravity_sql(rows_sql, spec)
    if engine == "spark" and spark is None:
        from nearshore.data.spark.session import spark_session

        spark = spark_session(settings)
    run = _run_spark if engine == "spark" else _run_duckdb
    if spec.source is None:
        sources = run(data, sources_sql(rows_sql), spark).column(0).to_pylist()
        if len(sources) > 1:
            raise InputError(
                f"{location.uri}: sources {', '.join(sorted(map(str, sources)))} all hold {spec.flow}; summing them "
                "would count trade twice. Choose one (--source NAME)"
            )
    return GravityPanel(run(data, sql, spark).cast(output_schema()), sql, engine, location.uri)


@dataclass(frozen=True)
class _StoreInput:
    dataset: Dataset
    view: str = "trade_flows"

    def arrow(self) -> Any:
        return self.dataset.arrow("trade_flows")

    def frame(self, spark: Any) -> Any:
        from nearshore.data.spark.datasets import read_table

        return read_table(spark, self.dataset, "trade_flows")


@dataclass(frozen=True)
class _FileInput:
    dataset: Any  # pyarrow.dataset.Dataset, columns checked
    uri: str
    view: str = "input"

    def arrow(self) -> Any:
        return self.dataset

    def frame(self, spark: Any) -> Any:
        return spark.read.parquet(self.uri)


def _run_duckdb(data: _StoreInput | _FileInput, sql: str, spark: Any) -> Any:
    import duckdb

    con = duckdb.connect()
    try:
        con.register(data.view, data.arrow())
        relation = con.sql(sql)
        fetch = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
        return fetch()
    finally:
        con.close()


def _run_spark(data: _StoreInput | _FileInput, sql: str, spark: Any) -> Any:
    data.frame(spark).createOrReplaceTempView(data.view)
    return spark.sql(sql).toArrow()


__all__ = [
    "ENGINES",
    "OUTPUT_COLUMNS",
    "GravityEngine",
    "GravityPanel",
    "GravitySpec",
    "gravity_sql",
    "prepare_gravity",
]
