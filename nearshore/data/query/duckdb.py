"""The DuckDB engine: how the query layer's SQL runs on the embedded store, and DuckDB's own spellings
(QUALIFY for the as-of relation, starts_with, list aggregates). Every DuckDB-specific construct the readers need
is here; the rest of the layer writes SQL that other engines accept too."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import duckdb

from nearshore.data.query.engine import Result, plain_literal
from nearshore.errors import StoreError

MEMORY_HINT: Final = (
    "give DuckDB more memory with NEARSHORE_MEMORY_LIMIT (e.g. NEARSHORE_MEMORY_LIMIT=4GB; empty means DuckDB's "
    "default of 80% of RAM), or ask for less at once (one year or partner at a time)"
)


def out_of_memory(exc: duckdb.Error, what: str) -> StoreError:
    """The StoreError for a DuckDB out-of-memory error: what ran out, and how to give it more."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return StoreError(f"{what} ran out of memory ({first}); {MEMORY_HINT}")


def run(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None) -> Result:
    """Execute `sql` on `con`; DuckDB errors become StoreError carrying the SQL."""
    try:
        cursor = con.execute(sql, list(params or []))
        rows = cursor.fetchall()
    except duckdb.OutOfMemoryException as exc:
        raise out_of_memory(exc, "the query") from exc
    except duckdb.Error as exc:
        raise StoreError(f"query failed: {exc}\nSQL: {sql}") from exc
    columns = tuple(d[0] for d in cursor.description or [])
    return Result(columns, rows, sql)


class DuckDBEngine:
    """The `Engine` of a DuckDB connection (the store's)."""

    name: Final = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def execute(self, sql: str) -> Result:
        return run(self.con, sql)

    def literal(self, value: object) -> str:
        plain = plain_literal(value)
        return plain if plain is not None else "'" + str(value).replace("'", "''") + "'"

    def relation(self, table: str, key: Sequence[str], as_of: str | None) -> str:
        if as_of is None:
            return f"(SELECT * FROM {table} WHERE superseded_by IS NULL)"
        return (
            f"(SELECT * FROM {table} WHERE vintage <= {self.literal(as_of)} "
            f"QUALIFY vintage = max(vintage) OVER (PARTITION BY {', '.join(key)}))"
        )

    def starts_with(self, column: str, prefix: str) -> str:
        return f"starts_with({column}, {self.literal(prefix)})"

    def sorted_distinct(self, expression: str, condition: str | None = None) -> str:
        aggregate = f"list(DISTINCT {expression})" + (f" FILTER (WHERE {condition})" if condition else "")
        return f"list_sort({aggregate})"


__all__ = ["MEMORY_HINT", "DuckDBEngine", "out_of_memory", "run"]
