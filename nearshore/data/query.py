"""The query layer: filtered, grouped sums over the current (or as-of) trade-flow rows.

Analytics and the CLI ask for figures through `aggregate`; it builds one SQL statement (kept on the result for
provenance) and checks every name against closed lists so user input never reaches SQL unquoted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

from nearshore.data.store import Result, Store
from nearshore.errors import InputError

Dimension = Literal[
    "reporter",
    "partner",
    "partner_code",
    "partner_kind",
    "flow",
    "basis",
    "district",
    "year",
    "month",
    "classification",
    "commodity",
    "level",
    "hs2",
    "hs4",
    "hs6",
    "program",
    "source",
    "vintage",
]
Measure = Literal["value_usd", "duty_usd", "quantity"]

DIMENSIONS: Final = get_args(Dimension)
MEASURES: Final = get_args(Measure)

_DERIVED = {"hs2": "left(commodity, 2)", "hs4": "left(commodity, 4)", "hs6": "left(commodity, 6)"}


@dataclass(frozen=True)
class TradeFilter:
    """Which rows to sum. None means any; `annual=True` keeps only yearly rows, False only monthly rows."""

    reporter: str | None = None
    partners: tuple[str, ...] | None = None
    partner_kind: str | None = None
    flow: str | None = None
    basis: str | None = None
    years: tuple[int, ...] | None = None
    months: tuple[int, ...] | None = None
    annual: bool | None = None
    classification: str | None = None
    level: int | None = None
    commodity_prefixes: tuple[str, ...] | None = None
    program: str | None = None
    source: str | None = None
    as_of: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for column in ("reporter", "partner_kind", "flow", "basis", "classification", "level", "program", "source"):
            value = getattr(self, column)
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        for column, values in (("partner", self.partners), ("year", self.years), ("month", self.months)):
            if values is not None:
                clauses.append(f"{column} IN ({', '.join('?' * len(values))})" if values else "FALSE")
                params.extend(values)
        if self.annual is True:
            clauses.append("month IS NULL")
        elif self.annual is False:
            clauses.append("month IS NOT NULL")
        if self.commodity_prefixes is not None:
            ors = " OR ".join("starts_with(commodity, ?)" for _ in self.commodity_prefixes)
            clauses.append(f"({ors})" if ors else "FALSE")
            params.extend(self.commodity_prefixes)
        return (" AND ".join(clauses) or "TRUE"), params


def _check(names: Sequence[str], allowed: Sequence[str], what: str) -> None:
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise InputError(f"unknown {what} {unknown}; allowed: {', '.join(allowed)}")


def aggregate(
    store: Store,
    by: Sequence[str],
    where: TradeFilter | None = None,
    measures: Sequence[str] = ("value_usd",),
    *,
    order_by: Sequence[str] | None = None,
) -> Result:
    """Sum `measures` over the current trade-flow rows matching `where`, grouped by `by`."""
    _check(by, DIMENSIONS, "dimension")
    _check(measures, MEASURES, "measure")
    where = where or TradeFilter()
    relation = store.relation("trade_flows", where.as_of)
    condition, params = where.where()
    select = [f"{_DERIVED.get(d, d)} AS {d}" for d in by]
    select += [f"sum({m}) AS {m}" for m in measures]
    select.append("count(*) AS rows")
    sql = f"SELECT {', '.join(select)} FROM {relation} WHERE {condition}"
    if by:
        sql += f" GROUP BY {', '.join(_DERIVED.get(d, d) for d in by)}"
        order = list(order_by or by)
        _check(order, (*DIMENSIONS, *MEASURES), "order column")
        sql += f" ORDER BY {', '.join(order)}"
    return store.query(sql, params)


def provenance(store: Store, where: TradeFilter | None = None) -> Result:
    """The loads (source, file, vintage, checksum) behind the rows a filter selects."""
    where = where or TradeFilter()
    relation = store.relation("trade_flows", where.as_of)
    condition, params = where.where()
    return store.query(
        f"SELECT l.load_id, l.source, l.origin, l.vintage, l.checksum, l.loaded_at FROM loads l "
        f"WHERE l.load_id IN (SELECT DISTINCT load_id FROM {relation} WHERE {condition}) ORDER BY l.load_id",
        params,
    )
