"""USMCA utilisation: the share of U.S. imports for consumption from Mexico or Canada entered under USMCA
(special programme indicator S/S+), overall, by month, by HS chapter or by named sector; its change over a
span of months; and the products with the largest unclaimed value (where qualifying would matter most).

Two sources: DataWeb HTS10 rows (program 'USMCA' = value claimed, 'ALL' = all imports for consumption) and
the Census USMCA-claimed series (aggregates 0021 Mexico / 0022 Canada) over Census imports for consumption
(census-duties rows).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Final, Literal

from nearshore.analytics import query as q
from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period, Provenance, choose
from nearshore.analytics.sectors import HS_SCOPE, SECTOR_SUM_NOTE, all_sectors, chapter_name, get_sector
from nearshore.errors import InputError

if TYPE_CHECKING:
    from nearshore.data.store import Store

UtilBy = Literal["total", "month", "chapter", "sector"]
UTIL_BYS: Final = ("total", "month", "chapter", "sector")
UtilSource = Literal["dataweb", "census"]
UTIL_SOURCES: Final = ("dataweb", "census")
CLAIMED_AGGREGATE: Final = {"MEX": "AGG_0021", "CAN": "AGG_0022"}
CENSUS_NOTE: Final = (
    "Census USMCA-claimed imports for consumption (aggregate 0021 Mexico / 0022 Canada, $M "
    "rounded to 0.1) over Census imports for consumption"
)
DATAWEB_NOTE: Final = "DataWeb imports for consumption by HTS10; USMCA = special programme indicator S or S+"


def _partner(partner: str) -> tuple[str, str]:
    who = q.partner(partner)
    if who.id not in CLAIMED_AGGREGATE:
        raise InputError(f"USMCA utilisation is for imports from MEX or CAN, not {who.id} ({who.name})")
    return who.id, who.name


def _months_filter(year: int, month: int | None) -> str:
    return f"year = {int(year)} AND month IS NOT NULL" + (f" AND month = {int(month)}" if month else "")


def _dataweb(
    store: Store, pid: str, year: int, month: int | None, group: str, as_of: str | None
) -> tuple[str, dict[str, tuple[float, float]], Provenance]:
    scope = replace(HS_SCOPE, partners=(pid,), programs=("ALL", "USMCA"))
    rel = q.rel(store, as_of)
    base = scope.where()
    sql = (
        f"SELECT {group} AS grp, sum(value_usd) FILTER (WHERE program = 'ALL') AS total, "
        f"coalesce(sum(value_usd) FILTER (WHERE program = 'USMCA'), 0) AS claimed, "
        f"count(DISTINCT month) AS months "
        f"FROM {rel} WHERE {base} AND {_months_filter(year, month)} GROUP BY grp ORDER BY grp"
    )
    rows = [r for r in store.query(sql).rows if r[1] is not None]
    by_month = group.startswith("lpad(month")
    if not rows or (month is None and not by_month and max(int(r[3]) for r in rows) < 12):
        wanted = f"DataWeb imports from {pid} in {year}" + (f"-{month:02d}" if month else " (12 months)")
        raise q.not_found(store, scope, as_of, wanted)
    prov = q.provenance(store, scope, as_of, sql, DATAWEB_NOTE, extra_filter=_months_filter(year, month))
    return sql, {str(r[0]): (float(r[1] or 0.0), float(r[2])) for r in rows}, prov


def _census(
    store: Store, pid: str, year: int, month: int | None, by: str, as_of: str | None
) -> tuple[dict[str, tuple[float, float]], Provenance]:
    if by not in ("total", "month"):
        raise InputError(f"the Census USMCA series has no product detail: use --by total or month, not {by!r}")
    claimed_scope = q.Scope(flow="imports", basis="consumption", program="USMCA", partners=(CLAIMED_AGGREGATE[pid],))
    total_scope = q.Scope(flow="imports", basis="consumption", partners=(pid,), source="census-duties")
    claimed_sql = q.monthly_sql(store, claimed_scope, [], year, month, as_of)
    total_sql = q.monthly_sql(store, total_scope, [], year, month, as_of)
    claimed = {int(r[1]): float(r[2]) for r in store.query(claimed_sql).rows}
    total = {int(r[1]): float(r[2]) for r in store.query(total_sql).rows}
    months = sorted(claimed.keys() & total.keys())
    wanted = f"{year}" + (f"-{month:02d}" if month else "")
    if not months:
        scope = claimed_scope if not claimed else total_scope
        raise q.not_found(store, scope, as_of, f"Census USMCA-claimed imports and their total for {wanted}")
    if month is None and by == "total" and len(months) < 12:
        raise q.not_found(store, claimed_scope, as_of, f"all 12 months of {year} ({len(months)} found)")
    prov = q.provenance(
        store, claimed_scope, as_of, claimed_sql, CENSUS_NOTE, extra_filter=_months_filter(year, month)
    ).merge(q.provenance(store, total_scope, as_of, total_sql, extra_filter=_months_filter(year, month)))
    if by == "month":
        return {f"{m:02d}": (total[m], claimed[m]) for m in months}, prov
    return {"all": (sum(total[m] for m in months), sum(claimed[m] for m in months))}, prov


def utilisation(
    store: Store,
    partner: str,
    *,
    year: int,
    month: int | None = None,
    by: str = "total",
    source: str = "dataweb",
    as_of: str | None = None,
) -> FigureTable:
    """Imports for consumption, the value claimed under USMCA, the unclaimed value and the claimed share."""
    choose(by, UTIL_BYS, "group-by")
    choose(source, UTIL_SOURCES, "source")
    pid, name = _partner(partner)
    if source == "census":
        values, prov = _census(store, pid, year, month, by, as_of)
    elif by == "sector":
        _, hs6, prov = _dataweb(store, pid, year, month, "substr(commodity, 1, 6)", as_of)
        prov = prov.with_note(SECTOR_SUM_NOTE)
        values = {}
        for sector in all_sectors():
            total = sum(t for code, (t, _) in hs6.items() if sector.covers(code))
            claimed = sum(c for code, (_, c) in hs6.items() if sector.covers(code))
            values[sector.id] = (total, claimed)
    else:
        group = {"total": "'all'", "month": "lpad(month::VARCHAR, 2, '0')", "chapter": "substr(commodity, 1, 2)"}[by]
        _, values, prov = _dataweb(store, pid, year, month, group, as_of)
    rows = []
    for key in values:
        total, claimed = values[key]
        period = (
            Period.month(year, int(key))
            if by == "month"
            else (Period.month(year, month) if month else Period.year(year))
        )
        label = (
            "all goods" if by in ("total", "month") else chapter_name(key) if by == "chapter" else get_sector(key).name
        )
        subject = (("partner", pid), (by, key))
        rows.append(
            FigureRow(
                (key, label),
                (
                    Figure(
                        total,
                        "USD",
                        f"U.S. imports for consumption from {name}, {label}",
                        period,
                        prov,
                        scale="billions",
                        subject=subject,
                    ),
                    Figure(
                        claimed,
                        "USD",
                        f"imports from {name} claimed under USMCA, {label}",
                        period,
                        prov,
                        scale="billions",
                        subject=subject,
                    ),
                    Figure(
                        total - claimed,
                        "USD",
                        f"imports from {name} not claimed under USMCA, {label}",
                        period,
                        prov,
                        scale="billions",
                        subject=subject,
                    ),
                    Figure(
                        100.0 * claimed / total,
                        "percent",
                        f"USMCA-claimed share of imports from {name}, {label}",
                        period,
                        prov,
                        comparison="claimed under USMCA (S/S+) / all imports for consumption",
                        subject=subject,
                    )
                    if total
                    else None,
                ),
            )
        )
    if by in ("chapter", "sector"):
        rows.sort(key=lambda r: -(r.figures[0].value if r.figures[0] else 0.0))
    period_words = Period.month(year, month).words if month else str(year)
    return FigureTable(
        f"USMCA utilisation, imports from {name}, {period_words}",
        (by, "name"),
        ("imports", "claimed", "unclaimed", "share"),
        tuple(rows),
        prov,
    )


def utilisation_change(
    store: Store,
    partner: str,
    *,
    start: tuple[int, int],
    end: tuple[int, int],
    source: str = "dataweb",
    as_of: str | None = None,
) -> Figure:
    """The change in the USMCA-claimed share between two months, in percentage points."""
    a = utilisation(store, partner, year=start[0], month=start[1], source=source, as_of=as_of)
    b = utilisation(store, partner, year=end[0], month=end[1], source=source, as_of=as_of)
    fa, fb = a.figure("share"), b.figure("share")
    pid = q.partner(partner)
    return Figure(
        fb.value - fa.value,
        "pp",
        f"change in the USMCA-claimed share of imports from {pid.name}",
        Period.span(start[0], start[1], end[0], end[1]),
        a.provenance.merge(b.provenance),
        comparison=f"{fb.display()} in {fb.period.words} vs {fa.display()} in {fa.period.words}",
        subject=(("partner", pid.id),),
    )


def unclaimed(
    store: Store, partner: str, *, year: int, month: int | None = None, n: int = 10, as_of: str | None = None
) -> FigureTable:
    """The HTS10 products with the largest value not claimed under USMCA: where qualifying matters most."""
    if n < 1:
        raise InputError(f"n must be at least 1, not {n}")
    pid, name = _partner(partner)
    scope = replace(HS_SCOPE, partners=(pid,), programs=("ALL", "USMCA"))
    base = scope.where()
    sql = (
        f"SELECT commodity, sum(value_usd) FILTER (WHERE program = 'ALL') AS total, "
        f"coalesce(sum(value_usd) FILTER (WHERE program = 'USMCA'), 0) AS claimed "
        f"FROM {q.rel(store, as_of)} WHERE {base} AND {_months_filter(year, month)} "
        f"GROUP BY commodity HAVING total IS NOT NULL "
        f"ORDER BY total - claimed DESC, commodity LIMIT {int(n)}"
    )
    found = store.query(sql).rows
    if not found:
        raise q.not_found(store, scope, as_of, f"DataWeb imports from {pid} in {year}")
    prov = q.provenance(store, scope, as_of, sql, DATAWEB_NOTE, extra_filter=_months_filter(year, month))
    period = Period.month(year, month) if month else Period.year(year)
    rows = []
    for rank, (code, total, claimed) in enumerate(found, start=1):
        subject = (("partner", pid), ("commodity", str(code)))
        rows.append(
            FigureRow(
                (rank, str(code), chapter_name(str(code)[:2])),
                (
                    Figure(
                        float(total) - float(claimed),
                        "USD",
                        f"imports of HTS {code} from {name} not claimed under USMCA",
                        period,
                        prov,
                        scale="millions",
                        subject=subject,
                    ),
                    Figure(
                        float(total),
                        "USD",
                        f"imports of HTS {code} from {name}",
                        period,
                        prov,
                        scale="millions",
                        subject=subject,
                    ),
                    Figure(
                        100.0 * float(claimed) / float(total),
                        "percent",
                        f"USMCA-claimed share of imports of HTS {code} from {name}",
                        period,
                        prov,
                        comparison="claimed / all imports for consumption",
                        subject=subject,
                    ),
                ),
            )
        )
    return FigureTable(
        f"Largest unclaimed imports from {name}, {period.words}",
        ("rank", "hts10", "chapter"),
        ("unclaimed", "imports", "claimed_share"),
        tuple(rows),
        prov,
    )


__all__ = ["UTIL_BYS", "UTIL_SOURCES", "unclaimed", "utilisation", "utilisation_change"]
