"""Single totals the other modules build on: one flow for a set of partners over a span of months, or for a
year, with the provenance of the rows read and DataNotFound when any month is missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from nearshore.analytics import series as q
from nearshore.analytics.result import Provenance
from nearshore.data import query
from nearshore.data.query import Scope, When

if TYPE_CHECKING:
    from nearshore.data.query.engine import Reader


@dataclass(frozen=True)
class Total:
    value: float
    provenance: Provenance


def months_between(start: tuple[int, int], end: tuple[int, int]) -> int:
    return (end[0] - start[0]) * 12 + end[1] - start[1] + 1


def span_total(
    store: Reader,
    flow: str,
    partners: tuple[str, ...] | None,
    start: tuple[int, int],
    end: tuple[int, int],
    *,
    as_of: str | None = None,
    scope: Scope | None = None,
) -> Total:
    """Sum of monthly values from `start` to `end` (inclusive) of imports, exports or both ('total').

    `partners` None means the world, summed over countries and unallocated partners. Every month must be
    present, else DataNotFound says what the store holds.
    """
    q.check_flow(flow)
    if scope is not None and flow == "total":
        raise ValueError("a custom scope needs a single flow")
    if months_between(start, end) < 1:
        raise ValueError(f"span {start}..{end} is empty")
    flows = ("imports", "exports") if flow == "total" else (flow,)
    value, provs = 0.0, []
    for one in flows:
        base = scope or Scope.for_flow(one)
        sc = base.with_partners(*partners) if partners else q.world_scope(base)[1]
        result = query.span(store, sc, start, end, as_of)
        row = result.rows[0]
        if row[0] is None or int(row[2]) < months_between(start, end):
            have = 0 if row[2] is None else int(row[2])
            wanted = (
                f"{one} {start[0]}-{start[1]:02d}..{end[0]}-{end[1]:02d} "
                f"({have} of {months_between(start, end)} months found)"
            )
            raise q.not_found(store, sc, as_of, wanted)
        value += float(row[0])
        notes = () if partners else (q.WORLD_SUMMED_NOTE,)
        provs.append(query.provenance(store, sc, as_of, result.sql, *notes, when=When.span(start, end)))
    prov = provs[0].merge(*provs[1:])
    if flow == "total":
        prov = prov.with_note("two-way trade = imports + exports")
    return Total(value, prov)


def year_total(
    store: Reader,
    flow: str,
    partners: tuple[str, ...] | None,
    year: int,
    *,
    as_of: str | None = None,
    scope: Scope | None = None,
) -> Total:
    """A year's value: the published annual rows where the source has them, else the 12 months summed.

    `scope` replaces the Census partner-total scope (then `flow` must be imports or exports)."""
    q.check_flow(flow)
    if scope is not None and flow == "total":
        raise ValueError("a custom scope needs a single flow")
    flows = ("imports", "exports") if flow == "total" else (flow,)
    value, provs = 0.0, []
    for one in flows:
        base = scope or Scope.for_flow(one)
        notes: tuple[str, ...]
        if partners:
            sc, notes = base.with_partners(*partners), ()
        else:
            published, summed = q.world_scope(base)
            rows = query.yearly(store, published, (), [year], as_of).rows
            sc, notes = (published, (q.WORLD_PUBLISHED_NOTE,)) if rows else (summed, (q.WORLD_SUMMED_NOTE,))
        result = query.yearly(store, sc, (), [year], as_of)
        rows = result.rows
        if not rows or rows[0][1] is None:
            raise q.not_found(store, sc, as_of, f"{one} in {year}")
        value += sum(float(r[1]) for r in rows)
        provs.append(query.provenance(store, sc, as_of, result.sql, *notes, when=When.year(year)))
    prov = provs[0].merge(*provs[1:])
    if flow == "total":
        prov = prov.with_note("two-way trade = imports + exports")
    return Total(value, prov)


def latest_month(
    store: Reader, flow: str, partners: tuple[str, ...] | None, year: int, *, as_of: str | None = None
) -> int:
    """The last month of `year` the store holds for this flow and these partners."""
    base = Scope.for_flow("imports" if flow == "total" else flow)
    sc = base.with_partners(*partners) if partners else q.world_scope(base)[1]
    month = query.latest_month(store, sc, year, as_of)
    if month is None:
        raise q.not_found(store, sc, as_of, f"{sc.flow} in {year}")
    return month


__all__ = ["Total", "latest_month", "months_between", "span_total", "year_total"]
