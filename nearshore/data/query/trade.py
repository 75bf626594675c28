"""Readers of the trade_flows table: totals by year, month or span of months, the split of a value between all
imports and those claimed under a programme, and what a scope holds (periods, vintages, partners).

Each returns a `Result` whose `sql` is the statement run, with literals inline, for a figure's provenance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nearshore.data.query.engine import Reader, Result
from nearshore.data.query.scope import Scope, When
from nearshore.data.query.sql import YEAR_MONTH, dims, group_list, select_list, table, when_where, where


def _rows(reader: Reader, as_of: str | None) -> str:
    return table(reader, "trade_flows", as_of)


def yearly(
    reader: Reader,
    scope: Scope,
    group: Sequence[str] = (),
    years: Sequence[int] | None = None,
    as_of: str | None = None,
) -> Result:
    """Annual totals per group: the published annual rows where the source has them, else the sum of the
    12 months (a year with fewer months in the scope gives no row). Columns: *group, year, value_usd, duty_usd."""
    e = reader.engine
    cond = where(e, scope, When(tuple(years) if years else None))
    sel, grp = select_list(group), group_list(group, "year")
    out = "".join(f"{name}, " for _, name in dims(group))
    rows = f"(SELECT * FROM {_rows(reader, as_of)} WHERE {cond})"
    # The current rows are read by each part from the table itself: DuckDB materialises a CTE read three times,
    # every column of every row in scope (3-4x the cost of the sums); the as-of rows' window runs once, in a CTE.
    start, s = (f"WITH s AS {rows},\n", "s") if as_of else ("WITH ", f"{rows} s")
    sql = (
        f"{start}a AS (SELECT {sel}year, sum(value_usd) AS value_usd, sum(duty_usd) AS duty_usd FROM {s} "
        f"WHERE month IS NULL GROUP BY {grp}),\n"
        f"n AS (SELECT year, count(DISTINCT month) AS months FROM {s} WHERE month IS NOT NULL GROUP BY year),\n"
        f"m AS (SELECT {sel}year, sum(value_usd) AS value_usd, sum(duty_usd) AS duty_usd FROM {s} "
        f"WHERE month IS NOT NULL AND year NOT IN (SELECT year FROM a) GROUP BY {grp})\n"
        f"SELECT {out}year, value_usd, duty_usd FROM a\n"
        f"UNION ALL SELECT {out}m.year, value_usd, duty_usd FROM m JOIN n ON m.year = n.year "
        f"WHERE n.months = 12"
    )
    return e.execute(sql)


def monthly(
    reader: Reader,
    scope: Scope,
    group: Sequence[str] = (),
    year: int | None = None,
    month: int | None = None,
    as_of: str | None = None,
) -> Result:
    """Monthly totals per group (of `year`, or of every year; one `month`, or every month).
    Columns: *group, year, month, value_usd, duty_usd."""
    e = reader.engine
    cond = where(e, scope, When.year(year, month, monthly=True))
    sql = (
        f"SELECT {select_list(group)}year, month, sum(value_usd) AS value_usd, sum(duty_usd) AS duty_usd "
        f"FROM {_rows(reader, as_of)} WHERE {cond} GROUP BY {group_list(group, 'year', 'month')}"
    )
    return e.execute(sql)


def span(
    reader: Reader,
    scope: Scope,
    start: tuple[int, int],
    end: tuple[int, int],
    as_of: str | None = None,
) -> Result:
    """The total over the months `start`..`end` inclusive, with how many distinct months were found.
    Columns: value_usd, duty_usd, months (one row)."""
    e = reader.engine
    sql = (
        f"SELECT sum(value_usd) AS value_usd, sum(duty_usd) AS duty_usd, count(DISTINCT {YEAR_MONTH}) AS months "
        f"FROM {_rows(reader, as_of)} WHERE {where(e, scope, When.span(start, end))}"
    )
    return e.execute(sql)


def claims(
    reader: Reader,
    scope: Scope,
    group: Sequence[str],
    when: When,
    as_of: str | None = None,
    *,
    program: str = "USMCA",
    top: int | None = None,
) -> Result:
    """All imports (programme ALL) and those claimed under `program` per group, with the months found.
    Columns: *group, total, claimed, months; ordered by the groups, or with `top` the `top` groups with the
    largest unclaimed value (total - claimed) that have a total.

    `scope` should select both programmes (`programs=("ALL", program)`)."""
    e = reader.engine
    grouped = bool(group)
    sql = (
        f"SELECT {select_list(group)}sum(CASE WHEN program = 'ALL' THEN value_usd END) AS total, "
        f"coalesce(sum(CASE WHEN program = {e.literal(program)} THEN value_usd END), 0) AS claimed, "
        f"count(DISTINCT month) AS months FROM {_rows(reader, as_of)} WHERE {where(e, scope, when)}"
        + (f" GROUP BY {group_list(group)}" if grouped else "")
    )
    names = ", ".join(name for _, name in dims(group))
    if top is not None:
        order = "total - claimed DESC" + (f", {names}" if names else "")
        sql = f"SELECT * FROM ({sql}) AS g WHERE total IS NOT NULL ORDER BY {order} LIMIT {int(top)}"
    elif grouped:
        sql += f" ORDER BY {names}"
    return e.execute(sql)


def vintages(reader: Reader, scope: Scope, year: int | None = None, as_of: str | None = None) -> Result:
    """The newest vintage among a scope's rows per (year, month); month NULL for annual rows.
    Columns: year, month, vintage."""
    e = reader.engine
    sql = (
        f"SELECT year, month, max(vintage) AS vintage FROM {_rows(reader, as_of)} "
        f"WHERE {where(e, scope, When.year(year))} GROUP BY year, month"
    )
    return e.execute(sql)


def latest_month(reader: Reader, scope: Scope, year: int, as_of: str | None = None) -> int | None:
    """The last month of `year` the scope holds, or None."""
    e = reader.engine
    found = e.execute(
        f"SELECT max(month) FROM {_rows(reader, as_of)} WHERE {where(e, scope, When.year(year))}"
    ).scalar()
    return None if found is None else int(found)


@dataclass(frozen=True)
class Extent:
    """What a scope holds: the first and last year, the last month with monthly rows (None when it has none),
    and how many rows."""

    first_year: int | None
    last_year: int | None
    last_month: tuple[int, int] | None
    rows: int


def extent(reader: Reader, scope: Scope, as_of: str | None = None) -> Extent:
    e = reader.engine
    row = e.execute(
        f"SELECT min(year), max(year), max(CASE WHEN month IS NOT NULL THEN {YEAR_MONTH} END), count(*) "
        f"FROM {_rows(reader, as_of)} WHERE {where(e, scope)}"
    ).rows[0]
    last = None if row[2] is None else (int(row[2]) // 100, int(row[2]) % 100)
    first_year = None if row[0] is None else int(row[0])
    last_year = None if row[1] is None else int(row[1])
    return Extent(first_year, last_year, last, int(row[3]))


def partners(reader: Reader, scope: Scope, as_of: str | None = None, limit: int | None = None) -> list[str]:
    """The partners a scope holds rows for, sorted (the first `limit` of them)."""
    e = reader.engine
    sql = f"SELECT DISTINCT partner FROM {_rows(reader, as_of)} WHERE {where(e, scope)} ORDER BY partner"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [str(r[0]) for r in e.execute(sql).rows]


def bilateral(
    reader: Reader,
    source: str,
    flow: str,
    years: Sequence[int] | None = None,
    as_of: str | None = None,
) -> Result:
    """Annual values of one `source` by reporter, partner country, year and commodity level (digits; 0 for a
    TOTAL row), over every basis and classification: the flows a gravity panel is built from.
    Columns: reporter, partner, year, level, value_usd, vintages (the sorted distinct vintages read)."""
    e = reader.engine
    cond = [
        f"source = {e.literal(source)}",
        f"flow = {e.literal(flow)}",
        "partner_kind = 'country'",
        "month IS NULL",
        *when_where(When(tuple(int(y) for y in years) if years else None)),
    ]
    sql = (
        f"SELECT reporter, partner, year, level, sum(value_usd) AS value_usd, "
        f"{e.sorted_distinct('vintage')} AS vintages FROM {_rows(reader, as_of)} WHERE {' AND '.join(cond)} "
        f"GROUP BY reporter, partner, year, level ORDER BY reporter, partner, year, level"
    )
    return e.execute(sql)


__all__ = [
    "Extent",
    "bilateral",
    "claims",
    "extent",
    "latest_month",
    "monthly",
    "partners",
    "span",
    "vintages",
    "yearly",
]
