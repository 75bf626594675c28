"""The query layer: every read of the store goes through here.

Readers ask for rows with engine-neutral specs (`Scope`: which trade rows; `When`: which periods; group
dimensions from a closed list) and get a `Result` carrying the SQL that was run. That SQL has its literals
inline, so a figure's provenance can be pasted into the engine and re-run as is. Every reader honours `as_of`
(the store as it stood at a vintage).

    engine.py      the `Engine` interface a second engine (Spark) implements, `Reader`, `Result`
    duckdb.py      `DuckDBEngine`: DuckDB's spellings (QUALIFY, starts_with, list aggregates)
    scope.py       `Scope`, `When`, the dimensions
    sql.py         shared SQL pieces: current/as-of relation, WHERE clauses, dimension expressions
    trade.py       trade_flows: yearly, monthly, span totals, programme claims, vintages, extent, partners
    provenance.py  `Provenance` and the one `provenance()`
    catalog.py     loads, row counts, per-source coverage (`nearshore data info`, `data loads`)
    hts.py         the HTS schedule: revisions and lines
    shares.py      program_shares: annual claimed shares by product and partner

`DuckDBEngine` is imported from nearshore.data.query.duckdb (importing this package does not load duckdb).
Only this package and the store's schema and load code (nearshore/data/store.py, schema.py, sources/) hold SQL;
a test greps the package for it.
"""

from __future__ import annotations

from nearshore.data.query import catalog, hts, shares
from nearshore.data.query.catalog import coverage, load_listing, load_of, loads, row_count
from nearshore.data.query.engine import Engine, Reader, Result
from nearshore.data.query.provenance import Provenance, provenance
from nearshore.data.query.scope import DEFAULT_BASIS, DIMS, Dim, Scope, When
from nearshore.data.query.sql import table
from nearshore.data.query.trade import (
    Extent,
    bilateral,
    claims,
    extent,
    latest_month,
    monthly,
    partners,
    span,
    vintages,
    yearly,
)

__all__ = [
    "DEFAULT_BASIS",
    "DIMS",
    "Dim",
    "Engine",
    "Extent",
    "Provenance",
    "Reader",
    "Result",
    "Scope",
    "When",
    "bilateral",
    "catalog",
    "claims",
    "coverage",
    "extent",
    "hts",
    "latest_month",
    "load_listing",
    "load_of",
    "loads",
    "monthly",
    "partners",
    "provenance",
    "row_count",
    "shares",
    "span",
    "table",
    "vintages",
    "yearly",
]
