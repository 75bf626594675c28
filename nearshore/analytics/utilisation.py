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

from nearshore.analytics import series as q
from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period, Provenance, choose
from nearshore.analytics.sectors import HS_SCOPE, SECTOR_SUM_NOTE, all_sectors, chapter_name, get_sector
from nearshore.data import query
from nearshore.data.query import Scope, When
from nearshore.errors import InputError

if TYPE_CHECKING:
    from nearshore.data.query.engine import Reader

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


def _months(year: int, month: int | None) -> When:
    """The monthly rows of `year`, or of one month of it."""
    return When.year(year, month, monthly=True)


# The group dimensions of each breakdown, and how a row's key is written.
_GROUPS: Final[dict[str, tuple[str, ...]]] = {"total": (), "month": ("month",), "chapter": ("hs2",), "sector": ("hs6",)}


def _key(by: str, value: object) -> str:
    if by == "total":
        return "all"
    return f"{int(str(value)):02d}" if by == "month" else str(value)


def _dataweb(
    store: Reader, pid: str, year: int, month: int | None, by: str, as_of: str | None
) -> tuple[str, dict[str, tuple[float, float]], Provenance]:
    scope = replace(HS_SCOPE, partners=(pid,), programs=("ALL", "USMCA"))
    group = _GROUPS[by]
    result = query.claims(store, scope, group, _months(year, month), as_of)
    n = len(group)
    rows = [r for r in result.rows if r[n] is not None]
    if not rows or (month is None and by != "month" and max(int(r[n + 2]) for r in rows) < 12):
        wanted = f"DataWeb imports from {pid} in {year}" + (f"-{month:02d}" if month else " (12 months)")
        raise q.not_found(store, scope, as_of, wanted)
    prov = query.provenance(store, scope, as_of, result.sql, DATAWEB_NOTE, when=_months(year, month))
    values = {_key(by, r[0] if n else None): (float(r[n] or 0.0), float(r[n + 1])) for r in rows}
    return result.sql, values, prov


def _census(
    store: Reader, pid: str, year: int, month: int | None, by: str, as_of: str | None
) -> tuple[dict[str, tuple[float, float]], Provenance]:
    if by not in ("total", "month"):
        raise InputError(f"the Census USMCA series has no product detail: use --by total or month, not {by!r}")
    claimed_scope = Scope(flow="imports", basis="consumption", program="USMCA", partners=(CLAIMED_AGGREGATE[pid],))
    total_scope = Scope(flow="imports", basis="consumption", partners=(pid,), source="census-duties")
    claimed_result = query.monthly(store, claimed_scope, (), year, month, as_of)
    total_result = query.monthly(store, total_scope, (), year, month, as_of)
    claimed = {int(r[1]): float(r[2]) for r in claimed_result.rows}
    total = {int(r[1]): float(r[2]) for r in total_result.rows}
    months = sorted(claimed.keys() & total.keys())
    wanted = f"{year}" + (f"-{month:02d}" if month else "")
    if not months:
        scope = claimed_scope if not claimed else total_scope
        raise q.not_found(store, scope, as_of, f"Census USMCA-claimed imports and their total for {wanted}")
    if month is None and by == "total" and len(months) < 12:
        raise q.not_found(store, claimed_scope, as_of, f"all 12 months of {year} ({len(months)} found)")
    when = _months(year, month)
    prov = query.provenance(store, claimed_scope, as_of, claimed_result.sql, CENSUS_NOTE, when=when).merge(
        query.provenance(store, total_scope, as_of, total_result.sql, when=when)
    )
    if by == "month":
        return {f"{m:02d}": (total[m], claimed[m]) for m in months}, prov
    return {"all": (sum(total[m] for m in months), sum(claimed[m] for m in months))}, prov


def utilisation(
    store: Reader,
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
    values, prov = _values(store, pid, year, month, by, source, as_of)
    rows = [_row(pid, name, by, key, total, claimed, year, month, prov) for key, (total, claimed) in values.items()]
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


def _values(
    store: Reader, pid: str, year: int, month: int | None, by: str, source: str, as_of: str | None
) -> tuple[dict[str, tuple[float, float]], Provenance]:
    """(all imports, claimed) per key of the breakdown `by`, from the chosen source, and their provenance."""
    if source == "census":
        return _census(store, pid, year, month, by, as_of)
    if by == "sector":
        _, hs6, prov = _dataweb(store, pid, year, month, "sector", as_of)
        return _by_sector(hs6), prov.with_note(SECTOR_SUM_NOTE)
    _, values, prov = _dataweb(store, pid, year, month, by, as_of)
    return values, prov


def _by_sector(hs6: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """HS6 (all imports, claimed) pairs summed into each named sector."""
    values = {}
    for sector in all_sectors():
        total = sum(t for code, (t, _) in hs6.items() if sector.covers(code))
        claimed = sum(c for code, (_, c) in hs6.items() if sector.covers(code))
        values[sector.id] = (total, claimed)
    return values


def _row(
    pid: str,
    name: str,
    by: str,
    key: str,
    total: float,
    claimed: float,
    year: int,
    month: int | None,
    prov: Provenance,
) -> FigureRow:
    """One row of the utilisation table: imports, claimed, unclaimed and the claimed share (None with no imports)."""
    period = (
        Period.month(year, int(key)) if by == "month" else (Period.month(year, month) if month else Period.year(year))
    )
    label = "all goods" if by in ("total", "month") else chapter_name(key) if by == "chapter" else get_sector(key).name
    subject = (("partner", pid), (by, key))
    return FigureRow(
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


def utilisation_change(
    store: Reader,
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
    store: Reader, partner: str, *, year: int, month: int | None = None, n: int = 10, as_of: str | None = None
) -> FigureTable:
    """The HTS10 products with the largest value not claimed under USMCA: where qualifying matters most."""
    if n < 1:
        raise InputError(f"n must be at least 1, not {n}")
    pid, name = _partner(partner)
    scope = replace(HS_SCOPE, partners=(pid,), programs=("ALL", "USMCA"))
    result = query.claims(store, scope, ("commodity",), _months(year, month), as_of, top=n)
    found = [r[:3] for r in result.rows]
    if not found:
        raise q.not_found(store, scope, as_of, f"DataWeb imports from {pid} in {year}")
    prov = query.provenance(store, scope, as_of, result.sql, DATAWEB_NOTE, when=_months(year, month))
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
