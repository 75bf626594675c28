"""Census FT-900 partner file (`country.xlsx` or its CSV): U.S. goods trade by partner, monthly, $ millions.

Imports are general imports (customs value); exports are total exports (F.A.S.). Aggregate series (EU,
regions, world, and the USMCA/NAFTA-claimed imports for consumption 0021/0022/0005/0006) are stored as what
they are (partner_kind 'aggregate' or 'world'), never mixed with countries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from nearshore.data.batch import Batch, ColumnBuffer
from nearshore.data.reference.countries import Partner, census_partner
from nearshore.data.sources import checks
from nearshore.data.sources.base import LIMIT, MONTHS, Problems, number, read_rows, require_columns
from nearshore.data.sources.checks import CodeCache, Newest, file_batch, full_width
from nearshore.data.store import LoadReport, Store

NAME = "census-country"
TITLE = "Census FT-900 country.xlsx: U.S. general imports and total exports by partner, monthly ($M)"
TARGET = "trade_flows"

MILLION = 1_000_000.0
# The first year of the Census partner series in country.xlsx.
FIRST_YEAR = 1985
# Each of the 12 months and the annual total is rounded separately to 0.1 $M in the published file.
ROUNDING_TOLERANCE = 13 * 0.05 + 1e-6
# Beyond this the months and the year disagree for a reason other than rounding: the file is wrong.
ERROR_TOLERANCE_SHARE = 0.001

_CLAIMED = {"0021": ("USMCA", "MEX"), "0022": ("USMCA", "CAN"), "0005": ("NAFTA", "MEX"), "0006": ("NAFTA", "CAN")}
_FLOWS = (("I", "imports", "general"), ("E", "exports", "total"))
_YEAR = re.compile(r"([0-9]{4})(?:\.0*)?")
_ZERO = re.compile(r"0*(\.0*)?")


def _layout(path: Path, header: list[str]) -> tuple[str, str | None]:
    """Which column holds the Census code and which the source's ISO3, by the file's layout."""
    if "CTY_CODE" in header:
        return "CTY_CODE", None
    if "census_cty_code" in header:
        return "census_cty_code", "country_code"
    require_columns(path, header, ["year", "CTY_CODE", "CTYNAME"], "the Census country file")
    raise AssertionError("unreachable")


def _year_of(text: str) -> int | None:
    match = _YEAR.fullmatch(text.strip())
    return int(match.group(1)) if match else None


def _unpublished_months(rows: list[tuple[int, dict[str, str]]]) -> dict[int, set[int]]:
    """Months of the newest year that are zero for every partner and flow: not yet published."""
    years = [(_year_of(r["year"]), r) for _, r in rows]
    newest = max((y for y, _ in years if y is not None), default=None)
    if newest is None:
        return {}
    empty: set[int] = set()
    for month in range(12, 0, -1):
        cells = [r.get(flow + MONTHS[month - 1], "0").strip() for y, r in years if y == newest for flow in "IE"]
        if any(not _ZERO.fullmatch(c) for c in cells):
            break
        empty.add(month)
    return {newest: empty} if empty else {}


def _rows(path: Path, header: list[str], raw_rows: Iterable[tuple[int, list[str]]]) -> list[tuple[int, dict[str, str]]]:
    """The data rows as dicts; rows that do not have the header's width stop the load (truncated file)."""
    problems = Problems(str(path))
    rows: list[tuple[int, dict[str, str]]] = []
    for lineno, cells in raw_rows:
        if full_width(problems, header, lineno, cells):
            rows.append((lineno, dict(zip(header, cells, strict=True))))
    if not rows and not problems.items:
        problems.add(None, None, None, "no data rows", "download the file again")
    problems.raise_if_any()
    return rows


def parse(path: Path, *, vintage: str | None = None) -> Batch:
    header, raw_rows = read_rows(path, sheet="country" if path.suffix.lower() == ".xlsx" else None)
    code_col, iso_col = _layout(path, header)
    value_cols = [f + m for f in "IE" for m in (*MONTHS, "YR")]
    require_columns(path, header, ["year", code_col, *value_cols], "the Census country file")
    rows = _rows(path, header, raw_rows)
    problems = Problems(str(path))
    unpublished = _unpublished_months(rows)
    for cut, months in unpublished.items():
        problems.warn(
            None,
            None,
            f"{cut}: months {sorted(months)} are zero for every partner (not yet "
            f"published); they and the partial {cut} annual totals are not loaded",
        )
    out = ColumnBuffer(TARGET)
    newest = Newest()
    seen: dict[tuple[str, int], int] = {}
    partners: CodeCache = CodeCache(census_partner)
    for lineno, row in rows:
        year = checks.year(problems, lineno, "year", row["year"], FIRST_YEAR, "the Census country series starts")
        partner: Partner | None = partners.get(problems, lineno, code_col, row[code_col].strip())
        if year is None or partner is None or not _same_partner(problems, lineno, row, iso_col, partner):
            continue
        if (partner.census_code, year) in seen:
            problems.add(
                lineno,
                code_col,
                row[code_col],
                f"duplicate row for {partner.census_code} ({partner.name}) {year} (first at row "
                f"{seen[partner.census_code, year]})",
                "remove the duplicate; every partner and year appears once in the Census file",
            )
            continue
        seen[partner.census_code, year] = lineno
        name = row.get("CTYNAME", "").strip() or partner.name
        for prefix, flow, basis in _FLOWS:
            _add_flow(
                problems,
                out,
                newest,
                lineno,
                row,
                partner,
                name,
                year,
                prefix,
                flow,
                basis,
                unpublished.get(year, set()),
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


def _same_partner(problems: Problems, lineno: int, row: dict[str, str], iso_col: str | None, partner: Partner) -> bool:
    """True unless the file's own ISO3 column names another partner than its Census code."""
    if not iso_col or row[iso_col].strip() in (partner.id, f"AGG_{partner.census_code}"):
        return True
    problems.add(
        lineno,
        iso_col,
        row[iso_col],
        f"does not match Census code {partner.census_code} ({partner.id}, {partner.name})",
        "the file's code columns disagree; re-export it",
    )
    return False


def _add_flow(
    problems: Problems,
    out: ColumnBuffer,
    newest: Newest,
    lineno: int,
    row: dict[str, str],
    partner: Partner,
    name: str,
    year: int,
    prefix: str,
    flow: str,
    basis: str,
    skip: set[int],
) -> None:
    """The 12 monthly rows and the annual row of one flow of one partner-year line."""
    values = [number(problems, lineno, prefix + m, row[prefix + m], limit=LIMIT / MILLION) for m in (*MONTHS, "YR")]
    if any(v is None for v in values):
        return
    monthly = [v for v in values[:12] if v is not None]
    annual = values[12]
    assert annual is not None
    if not skip:
        _check_sum(problems, lineno, prefix + "YR", monthly, annual)
    program, row_basis = "ALL", basis
    if partner.census_code in _CLAIMED and flow == "imports":
        program, row_basis = _CLAIMED[partner.census_code][0], "consumption"
    common = {
        "reporter": "USA",
        **partner.columns(name),
        "flow": flow,
        "basis": row_basis,
        "year": year,
        "classification": "TOTAL",
        "commodity": "",
        "level": 0,
        "program": program,
    }
    for month, value in enumerate(monthly, start=1):
        if month in skip:
            continue
        out.add(**common, month=month, value_usd=float(round(value * MILLION)))
        if value:
            newest.see(year, month, lineno, prefix + MONTHS[month - 1])
    if not skip:
        out.add(**common, month=None, value_usd=float(round(annual * MILLION)))


def _check_sum(problems: Problems, lineno: int, column: str, monthly: list[float], annual: float) -> None:
    diff = abs(sum(monthly) - annual)
    if diff <= ROUNDING_TOLERANCE:
        return
    if diff > max(ROUNDING_TOLERANCE * 2, ERROR_TOLERANCE_SHARE * annual):
        problems.add(
            lineno,
            column,
            f"{annual}",
            f"the 12 months sum to {sum(monthly):.1f}, not the annual total (off by {diff:.1f} $M)",
            "the file is corrupted or mis-aligned; download it again",
        )
    else:
        problems.warn(
            lineno,
            column,
            f"months sum to {sum(monthly):.1f} vs annual {annual:.1f} (off by {diff:.2f} $M, more than rounding)",
        )


def load(store: Store, path: Path, *, vintage: str | None = None) -> LoadReport:
    return store.load(parse(path, vintage=vintage))


__all__ = ["NAME", "TARGET", "TITLE", "Partner", "load", "parse"]
