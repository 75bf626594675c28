"""The SQL of the gravity panel preparation, in the subset DuckDB and Spark SQL share.

nearshore/data/spark/gravity.py runs it on either engine over an exported dataset's `trade_flows` (or a plain
Parquet file of bilateral rows) and keeps the text on the panel, so it re-runs on the engine that made it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from nearshore.errors import InputError

GravityFlow = Literal["imports", "exports"]
FLOWS: Final = ("imports", "exports")
ROLES: Final = ("exporter", "importer", "year", "value")
# The basis each flow is counted on in the store (Census and Comtrade: general imports, total exports).
FLOW_BASIS: Final = {"imports": "general", "exports": "total"}
_IDENTIFIER: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TEXT: Final = re.compile(r"^[A-Za-z0-9_.\- ]*$")


@dataclass(frozen=True)
class GravitySpec:
    """What to aggregate. `flow`: whose records (imports: the importer's, the usual choice); `year_step`: keep
    every n-th year from `start_year` (default: the first year in the data), as in panels with 3- or 4-year
    intervals; `zeros`: every observed pair in every kept year, 0 where no flow is recorded."""

    year_step: int = 1
    start_year: int | None = None
    end_year: int | None = None
    flow: GravityFlow = "imports"
    source: str | None = None  # store datasets: the source to use; None = the only one holding the flow
    zeros: bool = True

    def check(self) -> None:
        if self.year_step < 1:
            raise InputError(f"year step {self.year_step}: give a whole number of years, 1 or more")
        if self.flow not in FLOWS:
            raise InputError(f"flow {self.flow!r}: use one of {', '.join(FLOWS)}")
        if self.source is not None and not _TEXT.match(self.source):
            raise InputError(f"source {self.source!r}: letters, digits, '_', '-', '.' and spaces only")


def store_rows_sql(spec: GravitySpec) -> str:
    """Bilateral rows from the store's `trade_flows`: (exporter, importer, year, value, source), each flow's
    coarsest commodity level only."""
    exporter, importer = ("partner", "reporter") if spec.flow == "imports" else ("reporter", "partner")
    where = [
        "superseded_by IS NULL",
        "partner_kind = 'country'",
        "month IS NULL",
        f"flow = '{spec.flow}'",
        f"basis = '{FLOW_BASIS[spec.flow]}'",
        "classification IN ('TOTAL', 'HS')",
        "program = 'ALL'",
    ]
    if spec.source is not None:
        where.append(f"source = '{spec.source}'")
    return (
        "SELECT exporter, importer, year, value, source FROM ("
        f"SELECT {exporter} AS exporter, {importer} AS importer, year, value_usd AS value, source, level, "
        "MIN(level) OVER (PARTITION BY source, reporter, partner, year) AS coarsest "
        f"FROM trade_flows WHERE {' AND '.join(where)}) r WHERE level = coarsest"
    )


def file_rows_sql(columns: Mapping[str, str]) -> str:
    """Bilateral rows from a plain Parquet input named `input`, its columns mapped to the four roles."""
    for role in ROLES:
        if not _IDENTIFIER.match(columns[role]):
            raise InputError(f"column name {columns[role]!r} for {role}: letters, digits and '_' only")
    picked = ", ".join(f"{columns[role]} AS {role}" for role in ROLES)
    return f"SELECT {picked}, 'file' AS source FROM input"


def sources_sql(rows_sql: str) -> str:
    """The distinct sources the bilateral rows come from."""
    return f"SELECT DISTINCT source FROM ({rows_sql}) b"


def gravity_sql(rows_sql: str, spec: GravitySpec) -> str:
    """The panel from bilateral rows: kept years, sums, optional zeros, fixed-effect ids (DuckDB and Spark SQL)."""
    first = str(spec.start_year) if spec.start_year is not None else "(SELECT MIN(CAST(year AS INT)) FROM bilateral)"
    last = f" AND year <= {spec.end_year}" if spec.end_year is not None else ""
    panel = (
        "SELECT p.exporter, p.importer, y.year, COALESCE(f.trade, 0.0) AS trade, "
        "COALESCE(f.source_rows, CAST(0 AS BIGINT)) AS source_rows "
        "FROM (SELECT DISTINCT exporter, importer FROM flows) p CROSS JOIN (SELECT DISTINCT year FROM flows) y "
        "LEFT JOIN flows f ON f.exporter = p.exporter AND f.importer = p.importer AND f.year = y.year"
        if spec.zeros
        else "SELECT exporter, importer, year, trade, source_rows FROM flows"
    )
    return (
        f"WITH bilateral AS ({rows_sql}), "
        "kept AS (SELECT CAST(exporter AS STRING) AS exporter, CAST(importer AS STRING) AS importer, "
        "CAST(year AS INT) AS year, CAST(value AS DOUBLE) AS value FROM bilateral "
        "WHERE exporter IS NOT NULL AND importer IS NOT NULL AND value IS NOT NULL), "
        f"flows AS (SELECT exporter, importer, year, SUM(value) AS trade, COUNT(*) AS source_rows FROM kept "
        f"WHERE year >= {first} AND (year - {first}) % {spec.year_step} = 0{last} "
        "GROUP BY exporter, importer, year), "
        f"panel AS ({panel}) "
        "SELECT exporter, importer, year, trade, source_rows, "
        "CAST(DENSE_RANK() OVER (ORDER BY exporter, year) - 1 AS INT) AS exporter_year_id, "
        "CAST(DENSE_RANK() OVER (ORDER BY importer, year) - 1 AS INT) AS importer_year_id, "
        "CAST(DENSE_RANK() OVER (ORDER BY exporter, importer) - 1 AS INT) AS pair_id "
        "FROM panel ORDER BY exporter, importer, year"
    )


__all__ = [
    "FLOWS",
    "FLOW_BASIS",
    "ROLES",
    "GravityFlow",
    "GravitySpec",
    "file_rows_sql",
    "gravity_sql",
    "store_rows_sql",
]
