"""The brief's facts, computed with the analytics library: one function per part of the brief, each adding
facts with stable ids and the outline role they fill. A part whose data the store lacks adds nothing and
records why (the section then drops those roles); no number is ever made up.

For a set of partners (north-america: Canada and Mexico) amounts are summed and shares recomputed from the
sums (see combine.py); ranks are left out, since a set of countries has no rank among countries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from nearshore.analytics import (
    balance,
    composition,
    duty_rate,
    growth,
    share,
    utilisation,
    utilisation_change,
)
from nearshore.analytics.result import Figure, FigureTable, Provenance
from nearshore.errors import DataNotFound, InputError
from nearshore.writer import combine
from nearshore.writer.facts import Extreme, Fact, fact_from_figure

if TYPE_CHECKING:
    from nearshore.data.store import Store

TARIFF_EVENT = "ieepa-ca-mx-effective"  # events.yaml: IEEPA tariffs on Canada and Mexico in effect


@dataclass
class Collector:
    """Facts by id, the role each fills, and why any role was left out."""

    facts: dict[str, Fact] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def add(self, role: str | None, fact_id: str, figure: Figure, label: str | None = None) -> Fact:
        return self.put(role, fact_from_figure(fact_id, figure, label))

    def put(self, role: str | None, fact: Fact) -> Fact:
        self.facts[fact.id] = fact
        if role:
            self.roles[role] = fact.id
        return fact

    def miss(self, what: str, reason: str) -> None:
        self.missing.append(f"{what} left out: {reason}")


@dataclass(frozen=True)
class Context:
    """What every part needs: the store, the partners (ISO3 ids), their name, the fact-id prefix, the year,
    the vintage, and each partner's share history (analytics `share` over every year held)."""

    store: Store
    partners: tuple[str, ...]
    name: str
    prefix: str
    year: int
    as_of: str | None
    history: dict[str, FigureTable]

    @property
    def single(self) -> bool:
        return len(self.partners) == 1


def year_fact(fact_id: str, year: int, period: str, label: str, provenance: Provenance, comparison: str = "") -> Fact:
    """A fact whose value is a year (the year a share peaked, the first year of a run at a rank)."""
    return Fact(
        fact_id,
        float(year),
        "year",
        period,
        label,
        "; ".join(provenance.sources) or "nearshore store",
        ", ".join(provenance.vintages),
        provenance.query,
        comparison,
    )


def guarded(c: Collector, what: str, part: Callable[[], object]) -> None:
    """Run one part; missing data (DataNotFound) or an unusable option (InputError) leaves it out."""
    try:
        part()
    except (DataNotFound, InputError) as exc:
        c.miss(what, str(exc))


def year_table(ctx: Context, partner: str, year: int) -> FigureTable:
    """Analytics `share` for one partner and year (its provenance names only that year's rows)."""
    return share(ctx.store, partner, year=year, as_of=ctx.as_of)


def share_figure(ctx: Context, year: int, tables: dict[str, FigureTable] | None = None) -> Figure:
    """The partners' (summed) share of U.S. imports in `year`: from `tables` (one `share` table per partner
    for that year) when given, else from the share history."""
    key = str(year)
    source = tables or ctx.history
    if ctx.single:
        return source[ctx.partners[0]].figure("share", period=key)
    values = [source[p].figure("value", period=key) for p in ctx.partners]
    world = source[ctx.partners[0]].figure("world", period=key)
    return combine.ratio(
        values, [world], f"{ctx.name}'s share of U.S. imports", f"imports {'+'.join(ctx.partners)} / imports world"
    )


def share_series(ctx: Context) -> list[tuple[int, Figure]]:
    """(year, share) for every year all partners have, oldest first."""
    years = set.intersection(*({int(str(r.keys[1])) for r in ctx.history[p].rows} for p in ctx.partners))
    return [(y, share_figure(ctx, y)) for y in sorted(years) if y <= ctx.year]


def relationship(c: Collector, ctx: Context) -> None:
    """Imports, share and rank (this year and last), growth, exports, balance, the share's peak year."""
    p, y = ctx.prefix, ctx.year
    now = {q: year_table(ctx, q, y) for q in ctx.partners}
    parts = [now[q].figure("value") for q in ctx.partners]
    c.add("imports", f"{p}.imports.value.{y}", combine.total(parts, f"U.S. imports from {ctx.name}"))
    c.add("share", f"{p}.imports.share.{y}", share_figure(ctx, y, now))
    try:
        before = {q: year_table(ctx, q, y - 1) for q in ctx.partners}
    except DataNotFound as exc:
        c.miss("share_prev, share_change, rank_prev", str(exc))
        before = {}
    if before:
        c.add("share_prev", f"{p}.imports.share.{y - 1}", share_figure(ctx, y - 1, before))
        c.add(
            "share_change",
            f"{p}.imports.share.change.{y - 1}_{y}",
            combine.change(
                share_figure(ctx, y, now),
                share_figure(ctx, y - 1, before),
                f"change in {ctx.name}'s share of U.S. imports",
            ),
        )
    series = share_series(ctx)
    peak_year, _ = max(series, key=lambda item: item[1].value)
    if peak_year == y:  # this year's share is the series' highest: 'the highest share' may cite it
        c.put("share", replace(c.facts[f"{p}.imports.share.{y}"], extreme="largest"))
    prov = ctx.history[ctx.partners[0]].provenance
    c.put(
        "peak_year",
        year_fact(
            f"{p}.imports.share.peak",
            peak_year,
            f"{series[0][0]}-{y}",
            f"year of {ctx.name}'s highest share of U.S. imports",
            prov,
            f"shares of U.S. imports {series[0][0]}-{y}",
        ),
    )
    if ctx.single:
        ranks(c, ctx, now, before)
    else:
        c.miss("rank, rank_prev", f"{ctx.name} together are not one country; ranks are among countries")
    guarded(c, "imports_growth", lambda: flow_growth(c, ctx, "imports"))
    guarded(c, "exports, exports_growth", lambda: flow_growth(c, ctx, "exports"))
    guarded(c, "balance", lambda: balance_fact(c, ctx))


def ranks(c: Collector, ctx: Context, now: dict[str, FigureTable], before: dict[str, FigureTable]) -> None:
    p, y, pid = ctx.prefix, ctx.year, ctx.partners[0]
    table = ctx.history[pid]
    by_year = {int(str(r.keys[1])): r.get(table.measures, "rank") for r in table.rows}
    rank = c.add("rank", f"{p}.imports.rank.{y}", now[pid].figure("rank"))
    if before:
        c.add("rank_prev", f"{p}.imports.rank.{y - 1}", before[pid].figure("rank"))
    since = y
    while since - 1 in by_year and (f := by_year[since - 1]) is not None and f.value == rank.value:
        since -= 1
    if since < y and since - 1 in by_year:
        c.put(
            "rank_since",
            year_fact(
                f"{p}.imports.rank.since",
                since,
                f"{since}-{y}",
                f"first year of {ctx.name}'s current run at its rank in U.S. imports",
                table.provenance,
                f"rank {int(rank.value)} every year {since}-{y}",
            ),
        )


def flow_growth(c: Collector, ctx: Context, flow: str) -> None:
    p, y = ctx.prefix, ctx.year
    tables = [growth(ctx.store, q, flow=flow, year=y, as_of=ctx.as_of) for q in ctx.partners]
    words = "imports from" if flow == "imports" else "exports to"
    if ctx.single:
        value, rate = tables[0].figure("value"), tables[0].figure("growth")
    else:
        value = combine.total([t.figure("value") for t in tables], f"U.S. {words} {ctx.name}")
        base = combine.total([t.figure("base_value") for t in tables], f"U.S. {words} {ctx.name}")
        rate = combine.growth(value, base, f"growth of U.S. {words} {ctx.name}")
    if flow == "exports":
        c.add("exports", f"{p}.exports.value.{y}", value)
    c.add(f"{flow}_growth", f"{p}.{flow}.growth.{y}", rate)


def balance_fact(c: Collector, ctx: Context) -> None:
    figures = [balance(ctx.store, q, year=ctx.year, as_of=ctx.as_of).figure("balance") for q in ctx.partners]
    total = combine.total(figures, f"U.S. goods balance with {ctx.name}")
    word = "deficit" if total.value < 0 else "surplus"
    c.add(
        "balance",
        f"{ctx.prefix}.balance.{ctx.year}",
        total,
        f"U.S. goods {word} with {ctx.name} (exports minus imports)",
    )


def sectors(c: Collector, ctx: Context) -> list[tuple[str, float]]:
    """Each named sector's share (and value) of U.S. imports from the partners; returns (name, share)."""
    p, y = ctx.prefix, ctx.year
    tables = [composition(ctx.store, q, year=y, as_of=ctx.as_of) for q in ctx.partners]
    totals: list[Figure] = []
    if not ctx.single:
        for q in ctx.partners:
            chapters = composition(ctx.store, q, year=y, by="chapter", as_of=ctx.as_of)
            totals.append(
                combine.total(
                    [r.figures[0] for r in chapters.rows if r.figures[0]],
                    f"U.S. imports for consumption from {q}, all HS codes",
                )
            )
    out = []
    for row in tables[0].rows:
        sid, name = str(row.keys[0]), str(row.keys[1])
        if ctx.single:
            value, share = row.get(tables[0].measures, "value"), row.get(tables[0].measures, "share")
        else:
            parts = [t.figure("value", sector=sid) for t in tables]
            value = combine.total(parts, f"U.S. imports from {ctx.name}, {name}")
            share = combine.ratio(
                parts,
                totals,
                f"share of U.S. imports from {ctx.name}, {name}",
                f"sector {sid} / all HS codes, imports for consumption from {'+'.join(ctx.partners)}",
            )
        if value is None or share is None or value.value == 0:
            continue
        c.add(f"sector:{name}", f"{p}.sector.{sid}.share.{y}", share)
        c.add(f"sector_value:{name}", f"{p}.sector.{sid}.value.{y}", value)
        if sid == "automotive":
            c.roles["auto_share"] = f"{p}.sector.{sid}.share.{y}"
        out.append((name, share.value))
    mark_extremes(c, [c.roles[f"sector:{name}"] for name, _ in out])
    return out


def mark_extremes(c: Collector, fact_ids: Sequence[str]) -> None:
    """The largest and the smallest of comparable facts (the sectors' shares or tariff rates), so prose may call
    them so; facts tied at an end are all marked."""
    if len(fact_ids) < 2:
        return
    values = [c.facts[i].value for i in fact_ids]
    high, low = max(values), min(values)
    if high == low:
        return
    for fact_id, value in zip(fact_ids, values, strict=True):
        if value in (high, low):
            extreme: Extreme = "largest" if value == high else "smallest"
            c.facts[fact_id] = replace(c.facts[fact_id], extreme=extreme)


def usmca(c: Collector, ctx: Context, source: str = "dataweb") -> list[tuple[str, float]]:
    """The USMCA-claimed share by month of the year (DataWeb, or the Census series with source="census"),
    first and last month (roles `usmca_month_first`, `usmca_month_last`) and the change."""
    p, y = ctx.prefix, ctx.year
    tables = [utilisation(ctx.store, q, year=y, by="month", source=source, as_of=ctx.as_of) for q in ctx.partners]
    months = sorted(set.intersection(*({str(r.keys[0]) for r in t.rows} for t in tables)))
    shares: list[tuple[str, Figure]] = []
    for month in months:
        if ctx.single:
            share = tables[0].figure("share", month=month)
        else:
            claimed = [t.figure("claimed", month=month) for t in tables]
            imports = [t.figure("imports", month=month) for t in tables]
            share = combine.ratio(
                claimed,
                imports,
                f"USMCA-claimed share of imports from {ctx.name}",
                "claimed under USMCA (S/S+) / all imports for consumption",
            )
        shares.append((month, share))
    first, last = shares[0], shares[-1]
    label = f"USMCA-claimed share of U.S. imports from {ctx.name}"
    c.add("usmca_month_last", f"{p}.usmca.share.{y}-{last[0]}", last[1], label)
    if len(shares) > 1:
        c.add("usmca_month_first", f"{p}.usmca.share.{y}-{first[0]}", first[1], label)
        if ctx.single:
            moved = utilisation_change(
                ctx.store,
                ctx.partners[0],
                start=(y, int(first[0])),
                end=(y, int(last[0])),
                source=source,
                as_of=ctx.as_of,
            )
        else:
            moved = combine.change(last[1], first[1], f"change in the USMCA-claimed share of imports from {ctx.name}")
        c.add("usmca_change", f"{p}.usmca.change.{y}-{first[0]}_{y}-{last[0]}", moved)
    else:
        c.miss("usmca_month_first, usmca_change", f"only one month of {y} holds USMCA claims")
    return [(f"{y}-{m}", s.value) for m, s in shares]


def duty(c: Collector, ctx: Context, year: int, role: str) -> None:
    tables = [duty_rate(ctx.store, q, year=year, as_of=ctx.as_of) for q in ctx.partners]
    if ctx.single:
        rate = tables[0].figure("rate")
    else:
        rate = combine.ratio(
            [t.figure("duties") for t in tables],
            [t.figure("imports") for t in tables],
            f"collected duty rate on imports from {ctx.name}",
            "calculated duties / imports for consumption",
            decimals=2,
        )
    c.add(role, f"{ctx.prefix}.duty.rate.{year}", rate)


def china(c: Collector, ctx: Context, table: FigureTable) -> None:
    c.add("china_share", f"chn.imports.share.{ctx.year}", table.figure("share", period=str(ctx.year)))


__all__ = [
    "TARIFF_EVENT",
    "Collector",
    "Context",
    "guarded",
    "relationship",
    "sectors",
    "share_figure",
    "share_series",
    "usmca",
    "year_fact",
]
