"""The SQL pieces every reader shares: a table's current or as-of rows, the WHERE clause of a Scope and a When,
and the expressions of the group dimensions. Literals are written inline through the engine (validated or
quoted), so a statement kept in a figure's provenance can be pasted into the engine and re-run as is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from nearshore.data import schema
from nearshore.data.query.engine import Engine, Reader
from nearshore.data.query.scope import Scope, When, check_dims
from nearshore.errors import StoreError

# The month as one integer, 202503 for March 2025.
YEAR_MONTH: Final = "CAST(year AS INTEGER) * 100 + month"
_DIM_SQL: Final = {
    "partner": "partner",
    "commodity": "commodity",
    "month": "month",
    **{f"hs{n}": f"substr(commodity, 1, {n})" for n in (2, 4, 6, 8, 10)},
}


def table(reader: Reader, name: str, as_of: str | None = None) -> str:
    """SQL for the rows of store table `name` current now, or as they stood at vintage `as_of`."""
    if name not in schema.TABLES:
        raise StoreError(f"unknown table {name!r}; tables: {', '.join(schema.TABLES)}")
    if as_of is not None:
        from nearshore.data.batch import check_vintage  # pyarrow: loaded only when a vintage is given

        check_vintage(as_of)
    return reader.engine.relation(name, schema.TABLES[name][1], as_of)


def values(engine: Engine, items: Sequence[object]) -> str:
    return ", ".join(engine.literal(v) for v in items)


def scope_where(engine: Engine, scope: Scope) -> str:
    """The conditions selecting a scope's rows."""
    if scope.programs:
        program = f"program IN ({values(engine, scope.programs)})"
    else:
        program = f"program = {engine.literal(scope.program)}"
    parts = [
        f"flow = {engine.literal(scope.flow)}",
        f"basis = {engine.literal(scope.basis)}",
        program,
        f"classification = {engine.literal(scope.classification)}",
    ]
    if scope.source is not None:
        parts.append(f"source = {engine.literal(scope.source)}")
    if scope.partners is not None:
        parts.append(f"partner IN ({values(engine, scope.partners)})")
    else:
        parts.append(f"partner_kind IN ({values(engine, scope.partner_kinds)})")
    if scope.level is not None:
        parts.append(f"level = {int(scope.level)}")
    if scope.with_duty:
        parts.append("duty_usd IS NOT NULL")
    if scope.commodities is not None:
        ors = " OR ".join(engine.starts_with("commodity", p) for p in scope.commodities)
        parts.append(f"({ors or 'FALSE'})")
    return " AND ".join(parts)


def when_where(when: When) -> list[str]:
    """The conditions selecting a When's periods (none for every period)."""
    parts: list[str] = []
    if when.monthly or when.month is not None or when.start is not None:
        parts.append("month IS NOT NULL")
    if when.years is not None:
        years = [str(int(y)) for y in when.years]
        parts.append(f"year = {years[0]}" if len(years) == 1 else f"year IN ({', '.join(years) or 'NULL'})")
    if when.month is not None:
        parts.append(f"month = {int(when.month)}")
    if when.start is not None and when.end is not None:
        lo, hi = int(when.start[0]) * 100 + int(when.start[1]), int(when.end[0]) * 100 + int(when.end[1])
        parts.append(f"{YEAR_MONTH} BETWEEN {lo} AND {hi}")
    return parts


def where(engine: Engine, scope: Scope, when: When | None = None) -> str:
    return " AND ".join([scope_where(engine, scope), *when_where(when or When())])


def dims(group: Sequence[str]) -> list[tuple[str, str]]:
    """(expression, output name) of each group dimension, validated."""
    return [(_DIM_SQL[d], d) for d in check_dims(tuple(group))]


def select_list(group: Sequence[str]) -> str:
    """'expr AS name, ' for each dimension (empty for none), to start a SELECT list."""
    return "".join(f"{expr} AS {name}, " for expr, name in dims(group))


def group_list(group: Sequence[str], *more: str) -> str:
    """The GROUP BY expressions of the dimensions and `more` columns, comma-separated."""
    return ", ".join([expr for expr, _ in dims(group)] + list(more))


__all__ = ["YEAR_MONTH", "dims", "group_list", "scope_where", "select_list", "table", "values", "when_where", "where"]
