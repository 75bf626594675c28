"""Census FT-900 partner file (`country.xlsx` or its CSV): U.S. goods trade by partner, monthly, $ millions.

Imports are general imports (customs value); exports are total exports (F.A.S.). Aggregate series (EU,
regions, world, and the USMCA/NAFTA-claimed imports for consumption 0021/0022/0005/0006) are stored as what
they are (partner_kind 'aggregate' or 'world'), never mixed with countries.
"""

from __future__ import annotations

from pathlib import Path

from nearshore.data.batch import Batch, ColumnBuffer
from nearshore.data.reference.countries import Partner, census_partner
from nearshore.data.sources.base import MONTHS, Problems, number, read_rows, require_columns
from nearshore.data.sources.checks import file_batch
from nearshore.data.store import LoadReport, Store
from nearshore.errors import UnknownCodeError

NAME = "census-country"
TITLE = "Census FT-900 country.xlsx: U.S. general imports and total exports by partner, monthly ($M)"
TARGET = "trade_flows"

MILLION = 1_000_000.0
# Each of the 12 months and the annual total is rounded separately to 0.1 $M in the published file.
ROUNDING_TOLERANCE = 13 * 0.05 + 1e-6
# Beyond this the months and the year disagree for a reason other than rounding: the file is wrong.
ERROR_TOLERANCE_SHARE = 0.001

_CLAIMED = {"0021": ("USMCA", "MEX"), "0022": ("USMCA", "CAN"), "0005": ("NAFTA", "MEX"), "0006": ("NAFTA", "CAN")}
_FLOWS = (("I", "imports", "general"), ("E", "exports", "total"))


def _layout(path: Path, header: list[str]) -> tuple[str, str | None]:
    """Which column holds the Census code and which the source's ISO3, by the file's layout."""
    if "CTY_CODE" in header:
        return "CTY_CODE", None
    if "census_cty_code" in header:
        return "census_cty_code", "country_code"
    require_columns(path, header, ["year", "CTY_CODE", "CTYNAME"], "the Census country file")
    raise AssertionError("unreachable")


def _unpublished_months(rows: list[tuple[int, dict[str, str]]]) -> dict[int, set[int]]:
    """Months of the newest year that are zero for every partner and flow: not yet published."""
    years = {int(float(r["year"])) for _, r in rows if r.get("year", "").strip().replace(".", "").isdigit()}
    if not years:
        return {}
    newest = max(years)
    empty: set[int] = set()
    for month in range(12, 0, -1):
        cells = [
            r.get(flow + MONTHS[month - 1], "0")
            for _, r in rows
            if r.get("year", "").startswith(str(newest))
            for flow in "IE"
        ]
        try:
            if any(float(c or 0) != 0 for c in cells):
                break
        except ValueError:
            break
        empty.add(month)
    return {newest: empty} if empty else {}


def parse(path: Path, *, vintage: str | None = None) -> Batch:
    header, raw_rows = read_rows(path, sheet="country" if path.suffix.lower() == ".xlsx" else None)
    code_col, iso_col = _layout(path, header)
    value_cols = [f + m for f in "IE" for m in (*MONTHS, "YR")]
    require_columns(path, header, ["year", code_col, *value_cols], "the Census country file")
    problems = Problems(str(path))
    rows: list[tuple[int, dict[str, str]]] = []
    seen = 0
    for lineno, cells in raw_rows:
        seen += 1
        if len(cells) != len(header):
            problems.add(
                lineno,
                None,
                len(cells),
                f"row has {len(cells)} cells, the header has {len(header)}: truncated or mis-aligned",
                "download the file again",
            )
            continue
        rows.append((lineno, dict(zip(header, cells, strict=True))))
    if not seen:
        problems.add(None, None, None, "no data rows", "download the file again")
    problems.raise_if_any()

    unpublished = _unpublished_months(rows)
    for year, months in unpublished.items():
        problems.warn(
            None,
            None,
            f"{year}: months {sorted(months)} are zero for every partner (not yet "
            f"published); they and the partial {year} annual totals are not loaded",
        )
    out = ColumnBuffer(TARGET)
    newest_month = (0, 0)
    for lineno, row in rows:
        year_text = row["year"].strip()
        try:
            year = int(float(year_text))
        except ValueError:
            problems.add(lineno, "year", year_text, "not a year", "fix the cell")
            continue
        try:
            partner = census_partner(row[code_col])
        except UnknownCodeError as exc:
            problems.add(lineno, code_col, row[code_col], str(exc).split(":")[0])
            continue
        if iso_col and row[iso_col].strip() not in (partner.id, f"AGG_{partner.census_code}"):
            problems.add(
                lineno,
                iso_col,
                row[iso_col],
                f"does not match Census code {partner.census_code} ({partner.id}, {partner.name})",
                "the file's code columns disagree; re-export it",
            )
            continue
        name = row.get("CTYNAME", "").strip() or partner.name
        skip = unpublished.get(year, set())
        for prefix, flow, basis in _FLOWS:
            values = [number(problems, lineno, prefix + m, row[prefix + m]) for m in (*MONTHS, "YR")]
            if any(v is None for v in values):
                continue
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
                    newest_month = max(newest_month, (year, month))
            if not skip:
                out.add(**common, month=None, value_usd=float(round(annual * MILLION)))
    return file_batch(
        path,
        problems,
        out.columns,
        source=NAME,
        target=TARGET,
        vintage=vintage,
        inferred=f"{newest_month[0]:04d}-{newest_month[1]:02d}",
        reason="the newest data month",
    )


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
