"""Census International Trade API pull of U.S. general imports by HS chapter x partner x month, saved as CSV.

Layout (`census_imports_hs2_country_monthly/`, CSV or `.csv.gz`): `year, month, hs2, cty_code, cty_name,
gen_val_mo` = the API's YEAR, MONTH, I_COMMODITY (COMM_LVL HS2), CTY_CODE, CTY_NAME and GEN_VAL_MO (general
imports, customs value, whole U.S. dollars). Rows for every Schedule C partner plus the API's group rows (`-`
all countries, `0003`-`0028` groupings, `1XXX`-`7XXX` continents; see `census_api`).

Checks beyond each cell: one row per (year, month, chapter, code); the file's own totals agree with its
country rows, to the dollar, wherever the members of a group are fixed: all countries (`-`), the continents
(Mexico counted in North America) and USMCA (`0020` = Canada + Mexico); group names are the API's.
Rows -> `trade_flows`: reporter USA, flow imports, basis general, classification HS, commodity = chapter,
level 2, program ALL, monthly; partners as the `census-api` client stores them (countries, `WLD`, EU and the
other groupings the country file shares). Zero values and other group rows are not stored (warnings count them).
Default vintage: the newest data month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from nearshore.data.batch import Batch, ColumnBuffer
from nearshore.data.reference.countries import Partner
from nearshore.data.sources import checks
from nearshore.data.sources.base import Problems, number, require_columns
from nearshore.data.sources.census_api import GROUPS, api_partner, members
from nearshore.data.sources.checks import CodeCache, Newest, file_batch, full_width, integer, read_table
from nearshore.data.store import LoadReport, Store

NAME = "census-hs2"
TITLE = "Census API U.S. general imports by HS chapter x partner, monthly (CSV or .csv.gz)"
TARGET = "trade_flows"

COLUMNS = ("year", "month", "hs2", "cty_code", "cty_name", "gen_val_mo")
FIRST_YEAR = 1989  # the Harmonized System took effect in the U.S. in 1989
# HS chapters 01-97 (77 is reserved) and the U.S. chapters 98 and 99.
CHAPTERS = frozenset(f"{n:02d}" for n in range(1, 100) if n != 77)
# Values are whole dollars, so a total and the sum of its members agree exactly.
TOTAL_TOLERANCE_USD = 0.5
_FIX = "download the file again: it is cut, edited or mixes two pulls"


@dataclass(frozen=True)
class _Cell:
    """One valid row: where it is, its period, chapter, code and value."""

    lineno: int
    year: int
    month: int
    hs2: str
    code: str
    name: str
    value: float


def parse(path: Path, *, vintage: str | None = None) -> Batch:
    header, rows = read_table(path)
    index = require_columns(path, header, COLUMNS, "the Census API HS2 x country imports file")
    problems = Problems(str(path))
    cells = _cells(problems, header, rows, index)
    if not cells and not problems.items:
        problems.add(None, None, None, "no data rows", "download the file again")
    _check_totals(problems, cells)
    problems.raise_if_any()
    out = ColumnBuffer(TARGET)
    newest = Newest()
    zero = grouped = 0
    partners = {code: api_partner(code) for code in {cell.code for cell in cells}}
    for cell in cells:
        newest.see(cell.year, cell.month, cell.lineno, "month")
        partner = partners[cell.code]
        if partner is None:
            grouped += 1
        elif cell.value == 0:
            zero += 1
        else:
            out.add(**_row(cell, partner))
    if zero:
        problems.warn(None, "gen_val_mo", f"{zero} rows with a zero value were not stored")
    if grouped:
        problems.warn(
            None,
            "cty_code",
            f"{grouped} rows of API groupings that the store does not hold (continents, OECD, ...) were checked "
            "against their countries where their members are fixed, and not stored",
        )
    return file_batch(
        path,
        problems,
        out.columns,
        source=NAME,
        target=TARGET,
        vintage=vintage,
        newest=newest,
        reason="the newest data month",
    )


def _row(cell: _Cell, partner: Partner) -> dict[str, object]:
    return {
        "reporter": "USA",
        **partner.columns(cell.name),
        "flow": "imports",
        "basis": "general",
        "year": cell.year,
        "month": cell.month,
        "classification": "HS",
        "commodity": cell.hs2,
        "level": 2,
        "value_usd": cell.value,
        "program": "ALL",
    }


def _cells(
    problems: Problems, header: list[str], rows: Iterable[tuple[int, list[str]]], index: dict[str, int]
) -> list[_Cell]:
    """Every row whose cells are valid, each (year, month, chapter, code) once."""
    codes: CodeCache = CodeCache(api_partner)
    seen: dict[tuple[int, int, str, str], int] = {}
    periods: dict[tuple[str, str], tuple[int, int]] = {}  # the few distinct (year, month) texts, once checked
    out: list[_Cell] = []
    for lineno, raw in rows:
        if not full_width(problems, header, lineno, raw):
            continue
        cells = {name: raw[i].strip() for name, i in index.items()}
        year, month = periods.get((cells["year"], cells["month"])) or _period(problems, lineno, cells, periods)
        hs2 = _chapter(problems, lineno, cells["hs2"])
        code = _code(problems, codes, lineno, cells["cty_code"], cells["cty_name"])
        value = number(problems, lineno, "gen_val_mo", cells["gen_val_mo"])
        if value is not None and not value.is_integer():
            problems.add(lineno, "gen_val_mo", cells["gen_val_mo"], "not whole dollars", "the API sends whole dollars")
            continue
        if year is None or month is None or hs2 is None or code is None or value is None:
            continue
        key = (year, month, hs2, code)
        if key in seen:
            problems.add(
                lineno,
                "cty_code",
                code,
                f"duplicate row for {code} chapter {hs2} {year}-{month:02d} (first at row {seen[key]})",
                "remove the duplicate; the API answers each partner, chapter and month once",
            )
            continue
        seen[key] = lineno
        out.append(_Cell(lineno, year, month, hs2, code, cells["cty_name"], value))
    return out


def _period(
    problems: Problems, lineno: int, cells: dict[str, str], known: dict[tuple[str, str], tuple[int, int]]
) -> tuple[int | None, int | None]:
    year = checks.year(problems, lineno, "year", cells["year"], FIRST_YEAR, "the U.S. adopted the HS")
    month = integer(problems, lineno, "month", cells["month"], 1, 12)
    if year is not None and month is not None:
        known[cells["year"], cells["month"]] = (year, month)
    return year, month


def _chapter(problems: Problems, lineno: int, text: str) -> str | None:
    if text in CHAPTERS:
        return text
    problems.add(lineno, "hs2", text, "not an HS chapter 01-99 (two digits; 77 is reserved)", _FIX)
    return None


def _code(problems: Problems, codes: CodeCache, lineno: int, code: str, name: str) -> str | None:
    """The partner or group code; a group row must carry the API's name for that group."""
    if code in GROUPS:
        if name.upper() != GROUPS[code]:
            problems.add(
                lineno,
                "cty_name",
                name,
                f"the API's group {code} is {GROUPS[code]}, not this name: a mislabelled or shifted row",
                _FIX,
            )
            return None
        return code
    found = codes.get(problems, lineno, "cty_code", code, "use a Census Schedule C code, e.g. 2010 Mexico")
    return None if found is None else code


def _check_totals(problems: Problems, cells: list[_Cell]) -> None:
    """Each group row with fixed members equals the sum of its country rows in the same month and chapter."""
    countries: dict[tuple[int, int, str], dict[str, float]] = defaultdict(dict)
    groups: list[_Cell] = []
    for cell in cells:
        if cell.code in GROUPS or cell.code == "-":
            groups.append(cell)
        else:
            countries[cell.year, cell.month, cell.hs2][cell.code] = cell.value
    for group in groups:
        values = countries.get((group.year, group.month, group.hs2), {})
        codes = members(group.code, values)
        if codes is None:
            continue
        total = sum(values[c] for c in codes)
        if abs(total - group.value) > TOTAL_TOLERANCE_USD:
            problems.add(
                group.lineno,
                "gen_val_mo",
                f"{group.value:.0f}",
                f"the file's {group.name or group.code} total for chapter {group.hs2} {group.year}-"
                f"{group.month:02d} is not the sum of its {len(codes)} country rows ({total:,.0f})",
                _FIX,
            )


def load(store: Store, path: Path, *, vintage: str | None = None) -> LoadReport:
    return store.load(parse(path, vintage=vintage))


__all__ = ["NAME", "TARGET", "TITLE", "load", "parse"]
