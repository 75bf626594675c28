"""The one interface between the query layer and an engine that runs its SQL.

The query layer writes SQL that DuckDB and Spark SQL both accept: explicit GROUP BY lists, CASE inside
aggregates, CAST, substr, window functions inside a subquery, literals written inline. The few things engines
spell differently go through `Engine`; `DuckDBEngine` (duckdb.py) is the DuckDB implementation. A second engine
implements the members below, and every reader (analytics, tariffs, writer, CLI) runs on it unchanged.

Anything the layer reads from is a `Reader`: an object with an `engine` (the DuckDB `Store` is one).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Result:
    """A small query result: column names and rows, plus the SQL that produced it."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    sql: str = ""

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None

    def __len__(self) -> int:
        return len(self.rows)


class Engine(Protocol):
    """What an engine supplies: running a statement, and its own spelling of five things."""

    @property
    def name(self) -> str:
        """Short name, e.g. 'duckdb', 'spark' (said in messages and provenance)."""
        ...

    def execute(self, sql: str) -> Result:
        """Run one statement (literals inline, no parameters) and return every row; engine errors become
        `StoreError` (an out-of-memory error with a hint how to give the engine more)."""
        ...

    def literal(self, value: object) -> str:
        """`value` as a SQL literal: None as NULL, booleans, numbers, strings quoted and escaped."""
        ...

    def relation(self, table: str, key: Sequence[str], as_of: str | None) -> str:
        """A parenthesised relation of `table`'s rows: current ones (`superseded_by IS NULL`) when `as_of` is
        None, else the newest row per `key` with `vintage <= as_of` (`as_of` is already validated)."""
        ...

    def starts_with(self, column: str, prefix: str) -> str:
        """A condition: the text in `column` starts with `prefix` (a plain string, quoted by the engine)."""
        ...

    def sorted_distinct(self, expression: str, condition: str | None = None) -> str:
        """An aggregate: the distinct non-null values of `expression` (over rows meeting `condition`), as a
        sorted list."""
        ...


def plain_literal(value: object) -> str | None:
    """None, a boolean or a number as the SQL literal every engine reads alike; None for text, which each
    engine quotes its own way."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return None


class Reader(Protocol):
    """Something the query layer can read: it has an engine (`Store.engine` for the DuckDB store)."""

    @property
    def engine(self) -> Engine: ...


class Remembering:
    """An engine that runs each distinct statement once and answers its repeats from memory, each time with a
    fresh list of the rows (a caller may sort or extend its own). Only for a span of reads over data nobody
    changes meanwhile; see `remembered`."""

    def __init__(self, engine: Engine) -> None:
        self.inner = engine
        self.seen: dict[str, Result] = {}

    @property
    def name(self) -> str:
        return self.inner.name

    def execute(self, sql: str) -> Result:
        found = self.seen.get(sql)
        if found is None:
            found = self.seen[sql] = self.inner.execute(sql)
        return Result(found.columns, list(found.rows), found.sql)

    def literal(self, value: object) -> str:
        return self.inner.literal(value)

    def relation(self, table: str, key: Sequence[str], as_of: str | None) -> str:
        return self.inner.relation(table, key, as_of)

    def starts_with(self, column: str, prefix: str) -> str:
        return self.inner.starts_with(column, prefix)

    def sorted_distinct(self, expression: str, condition: str | None = None) -> str:
        return self.inner.sorted_distinct(expression, condition)


class _Swappable(Protocol):
    engine: Any  # settable: the Store's is its DuckDBEngine


@contextmanager
def remembered(reader: _Swappable) -> Iterator[None]:
    """Within the block, `reader` runs each distinct statement once (`Remembering`): for a run of reads that asks
    some questions more than once (a brief's parts each read the partners' totals), over a store that nobody
    writes meanwhile (read-only, or opened by this process alone and only read in the block)."""
    engine = reader.engine
    if isinstance(engine, Remembering):
        yield
        return
    reader.engine = Remembering(engine)
    try:
        yield
    finally:
        reader.engine = engine


__all__ = ["Engine", "Reader", "Remembering", "Result", "plain_literal", "remembered"]
