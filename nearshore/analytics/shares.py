"""Partner shares and ranks: a partner's share of U.S. imports, exports or two-way trade, its rank among
countries, and the top-N partners with their rank changes, by year or month.

World totals come from the source's own World row where it publishes one for the period in the same release
as the countries' rows (Census country file 1985-2021), otherwise from the sum over countries and unallocated
partners; each result says which.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from nearshore.analytics import series as q
from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period, Provenance
from nearshore.data import query
from nearshore.data.query import Scope, When
from nearshore.errors import DataNotFound, InputError, UnknownCodeError

if TYPE_CHECKING:
    from nearshore.data.query.engine import Reader
    from nearshore.data.reference import Partner

PeriodKey = tuple[int, int | None]


@dataclass(frozen=True)
class PartnerValues:
    """Values of every country per period, the world total per period and how it was obtained."""

    flow: str
    values: dict[PeriodKey, dict[str, float]]
    world: dict[PeriodKey, float]
    world_published: dict[PeriodKey, bool]
    provenance: Provenance

    def ranks(self, key: PeriodKey) -> dict[str, int]:
        ordered = sorted(self.values.get(key, {}).items(), key=lambda kv: (-kv[1], kv[0]))
        return {pid: i for i, (pid, _) in enumerate(ordered, start=1)}


def _period(key: PeriodKey) -> Period:
    return Period.year(key[0]) if key[1] is None else Period.month(key[0], key[1])


def _rows(
    store: Reader,
    scope: Scope,
    group: tuple[str, ...],
    year: int | None,
    month: int | None,
    as_of: str | None,
    monthly: bool = False,
) -> tuple[str, dict[tuple[object, ...], float]]:
    if month is None and not monthly:
        result = query.yearly(store, scope, group, [year] if year is not None else None, as_of)
        n = len(group)
        return result.sql, {(*r[:n], r[n], None): float(r[n + 1]) for r in result.rows}
    result = query.monthly(store, scope, group, year, month, as_of)
    return result.sql, {tuple(r[: len(group) + 2]): float(r[len(group) + 2]) for r in result.rows}


def _vintages(store: Reader, scope: Scope, year: int | None, as_of: str | None) -> dict[PeriodKey, str]:
    """The newest vintage among a scope's rows per month, and per year (over its annual and monthly rows)."""
    out: dict[PeriodKey, str] = {}
    for y, m, vintage in query.vintages(store, scope, year, as_of).rows:
        if m is not None:
            out[(int(y), int(m))] = str(vintage)
        out[(int(y), None)] = max(out.get((int(y), None), ""), str(vintage))
    return out


def _one_flow(
    store: Reader, flow: str, year: int | None, month: int | None, as_of: str | None, monthly: bool = False
) -> PartnerValues:
    scope = Scope.for_flow(flow)
    sql, found = _rows(store, scope, ("partner",), year, month, as_of, monthly)
    values: dict[PeriodKey, dict[str, float]] = defaultdict(dict)
    for (pid, y, m), v in found.items():
        values[(int(str(y)), None if m is None else int(str(m)))][str(pid)] = v
    published, summed = q.world_scope(scope)
    wsql, wfound = _rows(store, published, (), year, month, as_of, monthly)
    ssql, sfound = _rows(store, summed, (), year, month, as_of, monthly)
    country_vintage = _vintages(store, scope, year, as_of)
    world_vintage = _vintages(store, published, year, as_of)
    world: dict[PeriodKey, float] = {}
    is_published: dict[PeriodKey, bool] = {}
    for key in values:
        # The World row is used only when it comes from the same release as the countries' rows.
        if key in wfound and world_vintage.get(key) == country_vintage.get(key):
            world[key], is_published[key] = wfound[key], True
        elif key in sfound:
            world[key], is_published[key] = sfound[key], False
    notes = []
    if any(is_published.values()):
        notes.append(q.WORLD_PUBLISHED_NOTE)
    if not all(is_published.values()):
        notes.append(q.WORLD_SUMMED_NOTE)
    prov = query.provenance(
        store,
        Scope.for_flow(flow, partner_kinds=("country", "other", "world")),
        as_of,
        ";\n".join([sql, wsql, ssql]),
        *notes,
        when=When.year(year),
    )
    return PartnerValues(flow, dict(values), world, is_published, prov)


def partner_values(
    store: Reader,
    flow: str,
    *,
    year: int | None = None,
    month: int | None = None,
    monthly: bool = False,
    as_of: str | None = None,
) -> PartnerValues:
    """Every country's value and the world total per period; flow 'total' = imports + exports."""
    q.check_flow(flow)
    if month is not None and year is None:
        raise InputError(f"month {month} was given without a year: give --year too (e.g. --year 2025 --month 3)")
    if month is not None and not 1 <= month <= 12:
        raise InputError(f"month {month} is not 1-12")
    if flow != "total":
        return _one_flow(store, flow, year, month, as_of, monthly)
    imp = _one_flow(store, "imports", year, month, as_of, monthly)
    exp = _one_flow(store, "exports", year, month, as_of, monthly)
    values: dict[PeriodKey, dict[str, float]] = {}
    for key in imp.values.keys() & exp.values.keys():
        a, b = imp.values[key], exp.values[key]
        values[key] = {p: a.get(p, 0.0) + b.get(p, 0.0) for p in a.keys() | b.keys()}
    world = {k: imp.world[k] + exp.world[k] for k in values if k in imp.world and k in exp.world}
    published = {k: imp.world_published[k] and exp.world_published[k] for k in world}
    prov = imp.provenance.merge(exp.provenance).with_note("two-way trade = general imports + total exports")
    return PartnerValues("total", values, world, published, prov)


def _check_found(
    store: Reader, pv: PartnerValues, flow: str, year: int | None, month: int | None, as_of: str | None
) -> None:
    if pv.values:
        return
    wanted = f"{flow} in {year}" + (f"-{month:02d}" if month else "") if year else flow
    raise q.not_found(store, Scope.for_flow("imports" if flow == "total" else flow), as_of, wanted)


def share(
    store: Reader,
    partner: str,
    *,
    flow: str = "imports",
    year: int | None = None,
    month: int | None = None,
    monthly: bool = False,
    as_of: str | None = None,
) -> FigureTable:
    """A partner's value, the world total, its share (percent) and rank among countries, per period.

    year None: every year in the store (a rank history); year and month: that month only; `monthly`: every
    month (of `year`, or of every year held) instead of annual figures.
    """
    who = q.partner(partner)
    pv = partner_values(store, flow, year=year, month=month, monthly=monthly, as_of=as_of)
    _check_found(store, pv, flow, year, month, as_of)
    rows = [
        _share_row(pv, who, flow, key)
        for key in sorted(pv.values)
        if pv.values[key].get(who.id) is not None and key in pv.world
    ]
    if not rows:
        raise _no_share(store, who, flow, year, as_of)
    return FigureTable(
        f"{who.name}: share of {q.FLOW_WORDS[flow]}",
        ("partner", "period"),
        ("value", "world", "share", "rank"),
        tuple(rows),
        pv.provenance,
    )


def _share_row(pv: PartnerValues, who: Partner, flow: str, key: PeriodKey) -> FigureRow:
    """The partner's value, the world total, its share and its rank in one period."""
    words = q.FLOW_WORDS[flow]
    value = pv.values[key][who.id]
    period = _period(key)
    subject = (("partner", who.id), ("flow", flow))
    prov = _row_provenance(pv, key)
    rank = pv.ranks(key)[who.id]
    return FigureRow(
        (who.id, period.label),
        (
            Figure(
                value,
                "USD",
                f"{words} with {who.name}"
                if flow == "total"
                else f"{words} {'from' if flow == 'imports' else 'to'} {who.name}",
                period,
                prov,
                scale="billions",
                decimals=1,
                subject=subject,
            ),
            Figure(
                pv.world[key],
                "USD",
                f"{words}, world total",
                period,
                prov,
                scale="billions",
                subject=(("flow", flow),),
            ),
            Figure(
                100.0 * value / pv.world[key],
                "percent",
                f"{who.name}'s share of {words}",
                period,
                prov,
                comparison=f"{flow} {who.id} / {flow} world",
                subject=subject,
            ),
            Figure(
                float(rank),
                "rank",
                f"{who.name}'s rank among partner countries in {words}",
                period,
                prov,
                comparison=f"among {len(pv.values[key])} countries",
                decimals=0,
                subject=subject,
            ),
        ),
    )


def _no_share(
    store: Reader, who: Partner, flow: str, year: int | None, as_of: str | None
) -> UnknownCodeError | DataNotFound:
    """Why the partner has no share: it is not a country, or the store holds none of its rows."""
    wanted = f"{who.name} ({who.id}) {flow}" + (f" in {year}" if year else "")
    if who.kind != "country":
        article = "an" if who.kind[0] in "aeiou" else "a"
        return UnknownCodeError(
            f"{who.id} ({who.name}) is {article} {who.kind}, not a country: "
            "shares and ranks are computed for countries (e.g. MEX, CAN, CHN)"
        )
    return q.not_found(store, Scope.for_flow("imports" if flow == "total" else flow, partners=(who.id,)), as_of, wanted)


def top(
    store: Reader, *, flow: str = "imports", year: int, month: int | None = None, n: int = 10, as_of: str | None = None
) -> FigureTable:
    """The top-n partner countries for a year (or month) with value, share, rank, the previous period's
    rank (a year earlier) and the change in rank (positive = moved up)."""
    if n < 1:
        raise InputError(f"n must be at least 1, not {n}")
    pv = partner_values(store, flow, year=year, month=month, as_of=as_of)
    _check_found(store, pv, flow, year, month, as_of)
    key: PeriodKey = (year, month)
    prev_key: PeriodKey = (year - 1, month)
    before = partner_values(store, flow, year=year - 1, month=month, as_of=as_of)
    ranks, prev_ranks = pv.ranks(key), before.ranks(prev_key)
    period, prev_period = _period(key), _period(prev_key)
    prov = pv.provenance.merge(before.provenance)
    words = q.FLOW_WORDS[flow]
    rows = []
    for pid, rank in sorted(ranks.items(), key=lambda kv: kv[1])[:n]:
        name = _name(pid)
        value = pv.values[key][pid]
        subject = (("partner", pid), ("flow", flow))
        old = prev_ranks.get(pid)
        rows.append(
            FigureRow(
                (rank, pid, name),
                (
                    Figure(value, "USD", f"{words}, {name}", period, prov, scale="billions", subject=subject),
                    Figure(
                        100.0 * value / pv.world[key],
                        "percent",
                        f"{name}'s share of {words}",
                        period,
                        prov,
                        comparison=f"{flow} {pid} / {flow} world",
                        subject=subject,
                    ),
                    None
                    if old is None
                    else Figure(
                        float(old), "rank", f"{name}'s rank in {words}", prev_period, prov, decimals=0, subject=subject
                    ),
                    None
                    if old is None
                    else Figure(
                        float(old - rank),
                        "count",
                        f"{name}'s change in rank in {words}",
                        Period(prev_period.start_year, prev_period.start_month, period.start_year, period.start_month),
                        prov,
                        comparison=f"rank {period.label} vs {prev_period.label} (positive = moved up)",
                        decimals=0,
                        subject=subject,
                    ),
                ),
            )
        )
    return FigureTable(
        f"Top {n} partners in {words}, {period.words}",
        ("rank", "partner", "name"),
        ("value", "share", "previous_rank", "rank_change"),
        tuple(rows),
        prov,
    )


def _row_provenance(pv: PartnerValues, key: PeriodKey) -> Provenance:
    """The table's provenance with only the world-total note that applies to this period."""
    wrong = q.WORLD_SUMMED_NOTE if pv.world_published.get(key) else q.WORLD_PUBLISHED_NOTE
    return replace(pv.provenance, notes=tuple(n for n in pv.provenance.notes if n != wrong))


def _name(pid: str) -> str:
    try:
        return q.partner(pid).name
    except UnknownCodeError:
        return pid


__all__ = ["PartnerValues", "partner_values", "share", "top"]
