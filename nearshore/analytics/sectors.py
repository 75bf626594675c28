"""Sectors: the named sectors of `sectors.yaml` (HS lists with a cited basis), HS chapters and sections with
their names, and the composition of a partner's trade by sector, chapter or section from HS-level rows
(DataWeb HTS10 imports for consumption, or with basis 'general' the Census general imports by HS chapter).

On chapter-level rows (Census HS2) a sector is given only when it is made of whole chapters (energy, agriculture,
steel and aluminium): a sector defined by headings (automotive 8701-8708...) cannot be cut out of a chapter."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from importlib import resources
from typing import TYPE_CHECKING, Any, Final, Literal

from nearshore.analytics import series as q
from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period, Provenance, choose
from nearshore.data import query
from nearshore.data.query import Scope, When
from nearshore.data.reference.hs import hs_chapter, sections
from nearshore.errors import DataNotFound, InputError, UnknownCodeError

if TYPE_CHECKING:
    from nearshore.data.query.engine import Reader
    from nearshore.data.reference import Partner

GroupBy = Literal["sector", "chapter", "section"]
GROUP_BYS: Final = ("sector", "chapter", "section")
HS_SCOPE: Final = Scope(flow="imports", basis="consumption", classification="HS")
OVERLAP_NOTE: Final = "named sectors may overlap (see sectors.yaml), so sector shares need not sum to 100%"
CHAPTER_NOTE: Final = (
    "chapter-level rows (HS2): only the sectors made of whole HS chapters are given; sectors defined by headings "
    "or subheadings need HTS10 rows"
)
BASES: Final = ("consumption", "general")
SECTOR_SUM_NOTE: Final = (
    "sector value = sum of the HS6 groups whose code starts with one of the sector's prefixes (sectors.yaml)"
)
MAX_PREFIX: Final = 6
# HS-level rows must reach this percent of the partner's Census imports before shares of them are given.
COVERAGE_FLOOR: Final = 90.0


@dataclass(frozen=True)
class Sector:
    """A named sector: id, display name, HS code prefixes (2, 4 or 6 digits) and the basis for the list."""

    id: str
    name: str
    hs: tuple[str, ...]
    basis: str

    def covers(self, code: str) -> bool:
        return code.startswith(self.hs)  # any of the prefixes (str.startswith takes a tuple)

    @property
    def whole_chapters(self) -> bool:
        """True when every code of the sector is a whole HS chapter (it can be read from chapter-level rows)."""
        return all(len(p) == 2 for p in self.hs)


def sector_total(sector: Sector, by_hs6: dict[str, float]) -> float:
    """A sector's value from values by HS6 code (every sector prefix has at most 6 digits)."""
    return sum(v for code, v in by_hs6.items() if sector.covers(code))


@functools.cache
def all_sectors() -> tuple[Sector, ...]:
    """The named sectors shipped in nearshore/analytics/sectors.yaml."""
    import yaml

    text = resources.files("nearshore.analytics").joinpath("sectors.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    sectors = tuple(
        Sector(s["id"], s["name"], tuple(str(c) for c in s["hs"]), " ".join(s["basis"].split()))
        for s in data["sectors"]
    )
    for sector in sectors:
        bad = [p for p in sector.hs if not (p.isdigit() and len(p) in (2, 4, 6))]
        if bad:
            raise InputError(
                f"sectors.yaml, sector {sector.id!r}: HS prefixes must be 2, 4 or {MAX_PREFIX} digits, not {bad}"
            )
    return sectors


def get_sector(sector_id: str) -> Sector:
    for sector in all_sectors():
        if sector.id == sector_id:
            return sector
    raise InputError(f"sector {sector_id!r} is not one of: {', '.join(s.id for s in all_sectors())}")


def chapter_name(chapter: str) -> str:
    """The HS chapter title, or 'HS chapter NN' for a code that is not an HS chapter (98, 99: national)."""
    try:
        return hs_chapter(chapter).title
    except UnknownCodeError:
        return f"HS chapter {chapter}"


def _sections() -> list[tuple[str, str, tuple[str, ...]]]:
    """(roman numeral, title, chapters) of the 21 HS sections."""
    return [(s.roman, s.title, s.chapters) for s in sections()]


def _period_values(
    store: Reader, scope: Scope, group: str, year: int, month: int | None, as_of: str | None
) -> tuple[str, dict[str, float]]:
    """Values per group dimension (e.g. hs6) for the year or month."""
    if month is None:
        result = query.yearly(store, scope, (group,), [year], as_of)
        return result.sql, {str(r[0]): float(r[2]) for r in result.rows}
    result = query.monthly(store, scope, (group,), year, month, as_of)
    return result.sql, {str(r[0]): float(r[3]) for r in result.rows}


def _total(store: Reader, scope: Scope, year: int, month: int | None, as_of: str | None) -> float | None:
    if month is None:
        rows = query.yearly(store, scope, (), [year], as_of).rows
        return float(rows[0][1]) if rows and rows[0][1] is not None else None
    rows = query.monthly(store, scope, (), year, month, as_of).rows
    return float(rows[0][2]) if rows and rows[0][2] is not None else None


def check_coverage(
    store: Reader,
    partner_id: str,
    year: int,
    month: int | None = None,
    as_of: str | None = None,
    basis: str = "consumption",
) -> None:
    """Refuse HS-level rows that cover only part of the partner's imports (a DataWeb query for a few products
    loaded on its own): shares of them would pass for shares of the partner's whole trade. Compared with the
    Census partner total (general imports) when the store has it for the period."""
    hs = _total(store, replace(HS_SCOPE, partners=(partner_id,), basis=basis), year, month, as_of)
    census = _total(store, Scope.for_flow("imports", partners=(partner_id,)), year, month, as_of)
    if hs is None or not census or 100.0 * hs / census >= COVERAGE_FLOOR:
        return
    when = f"{year}" if month is None else f"{year}-{month:02d}"
    raise DataNotFound(
        f"HS-level imports from {partner_id} in {when} add up to ${hs / 1e9:,.1f} billion, only "
        f"{100.0 * hs / census:.1f}% of the ${census / 1e9:,.1f} billion of U.S. imports from {partner_id} in "
        f"the Census country data: the HS rows are a partial extract (a query for some products), so shares "
        f"of them would be wrong. Load an export of every HTS10 code for {partner_id} in {when} "
        f"(`nearshore data load dataweb FILE`)"
    )


def composition(
    store: Reader,
    partner: str,
    *,
    year: int,
    month: int | None = None,
    by: str = "sector",
    program: str = "ALL",
    basis: str = "consumption",
    as_of: str | None = None,
) -> FigureTable:
    """A partner's U.S. imports by named sector, HS chapter or HS section, with each group's share of the
    partner's total over all HS codes (percent). `basis` 'consumption' reads the HTS10 imports for consumption
    (DataWeb); 'general' the general imports by HS chapter (Census HS2), where only whole-chapter sectors exist."""
    choose(by, GROUP_BYS, "group-by")
    choose(basis, BASES, "basis")
    who = q.partner(partner)
    scope = replace(HS_SCOPE, partners=(who.id,), program=program, basis=basis)
    period = Period.year(year) if month is None else Period.month(year, month)
    sql, hs6 = _period_values(store, scope, "hs6", year, month, as_of)
    if not hs6:
        raise q.not_found(store, scope, as_of, f"HS-level imports from {who.id} in {period.label}")
    check_coverage(store, who.id, year, month, as_of, basis)
    total = sum(hs6.values())
    groups, notes = _groups(by, hs6)
    prov = query.provenance(store, scope, as_of, sql, *notes, when=When.year(year))
    rows = [_row(who, by, code, name, value, total, period, prov) for code, name, value in groups]
    rows.sort(key=lambda r: -(r.figures[0].value if r.figures[0] else 0.0))
    what = "U.S. imports" if basis == "consumption" else "U.S. general imports"
    return FigureTable(
        f"{what} from {who.name} by {by}, {period.words}", (by, "name"), ("value", "share"), tuple(rows), prov
    )


def _groups(by: str, hs6: dict[str, float]) -> tuple[list[tuple[str, str, float]], list[str]]:
    """(code, name, value) of each chapter, section or named sector, and the method notes that apply."""
    chapters: dict[str, float] = {}
    for code, value in hs6.items():
        chapters[code[:2]] = chapters.get(code[:2], 0.0) + value
    groups: list[tuple[str, str, float]] = []
    notes: list[str] = []
    if by == "chapter":
        groups = [(c, chapter_name(c), v) for c, v in sorted(chapters.items())]
    elif by == "section":
        for roman, title, members in _sections():
            value = sum(chapters.get(c, 0.0) for c in members)
            if value:
                groups.append((roman, title, value))
    else:
        notes.extend((SECTOR_SUM_NOTE, OVERLAP_NOTE))
        chapter_level = all(len(code) <= 2 for code in hs6)
        if chapter_level:
            notes.append(CHAPTER_NOTE)
        for sector in all_sectors():
            if sector.whole_chapters or not chapter_level:
                groups.append((sector.id, sector.name, sector_total(sector, hs6)))
    return groups, notes


def _row(
    who: Partner, by: str, code: str, name: str, value: float, total: float, period: Period, prov: Provenance
) -> FigureRow:
    """One group's value and its share of the partner's total over all HS codes."""
    subject = (("partner", who.id), (by, code))
    return FigureRow(
        (code, name),
        (
            Figure(
                value,
                "USD",
                f"U.S. imports from {who.name}, {name}",
                period,
                prov,
                scale="billions",
                subject=subject,
            ),
            Figure(
                100.0 * value / total,
                "percent",
                f"share of U.S. imports from {who.name}, {name}",
                period,
                prov,
                comparison=f"{by} {code} / all HS codes, imports for consumption from {who.id}",
                subject=subject,
            ),
        ),
    )


__all__ = [
    "GROUP_BYS",
    "HS_SCOPE",
    "Sector",
    "all_sectors",
    "chapter_name",
    "check_coverage",
    "composition",
    "get_sector",
]
