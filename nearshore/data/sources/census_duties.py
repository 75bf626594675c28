"""Census calculated duties and imports for consumption by country, monthly (all commodities).

Two layouts:
- CSV `year, month, country_code_iso3, census_cty_code, calculated_duties_usd,
  imports_for_consumption_customs_value_usd[, effective_rate]` (whole U.S. dollars);
- the Census International Trade API JSON (`timeseries/intltrade/imports/hs`): an array of arrays, header
  row first, values as strings, with `CTY_CODE`, `CAL_DUT_MO`, `CON_VAL_MO` and `time` ('YYYY-MM') or
  `YEAR` + `MONTH`.
Each row becomes one `trade_flows` row: imports for consumption, classification 'TOTAL', program 'ALL',
value_usd = CON_VAL_MO, duty_usd = CAL_DUT_MO.
"""

from __future__ import annotations

from pathlib import Path

from nearshore.data.batch import Batch, ColumnBuffer
from nearshore.data.reference.countries import Partner, census_partner
from nearshore.data.sources import checks
from nearshore.data.sources.base import Problems, number, require_columns
from nearshore.data.sources.checks import (
    CodeCache,
    Newest,
    file_batch,
    full_width,
    integer,
    read_json,
    read_table,
)
from nearshore.data.store import LoadReport, Store
from nearshore.errors import Problem, SourceFormatError

NAME = "census-duties"
TITLE = "Census calculated duties and imports for consumption by country, monthly (CSV or API JSON)"
TARGET = "trade_flows"

CSV_COLUMNS = (
    "year",
    "month",
    "country_code_iso3",
    "census_cty_code",
    "calculated_duties_usd",
    "imports_for_consumption_customs_value_usd",
)
API_COLUMNS = ("CTY_CODE", "CAL_DUT_MO", "CON_VAL_MO")
# effective_rate in the CSV is rounded to 5 decimals.
RATE_TOLERANCE = 0.5e-5 + 1e-9
# The Harmonized System, which the Census HS-based series use, took effect in the U.S. in 1989.
FIRST_YEAR = 1989
HS_SERIES = "the U.S. adopted the HS"
# The Census API's total over all countries.
_ALL_COUNTRIES = Partner("WLD", "-", "Total for all countries", "world")

# Canonical field names, from either layout.
_CSV_NAMES = {
    "census_cty_code": "code",
    "country_code_iso3": "iso3",
    "calculated_duties_usd": "duty",
    "imports_for_consumption_customs_value_usd": "value",
    "year": "year",
    "month": "month",
    "effective_rate": "rate",
}
_API_NAMES = {
    "CTY_CODE": "code",
    "CTY_NAME": "name",
    "CAL_DUT_MO": "duty",
    "CON_VAL_MO": "value",
    "time": "time",
    "YEAR": "year",
    "MONTH": "month",
}


def _partner(code: str) -> Partner:
    return _ALL_COUNTRIES if code == "-" else census_partner(code)


def _json_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    data = read_json(path)
    if not isinstance(data, list) or not data or not all(isinstance(r, list) for r in data):
        raise SourceFormatError(
            Problem(
                str(path),
                None,
                None,
                None,
                "wrong layout: the Census API returns an array of arrays with the header row first",
                "save the API response body unchanged",
            )
        )
    header = [str(h) for h in data[0]]
    return header, [(n, ["" if c is None else str(c) for c in r]) for n, r in enumerate(data[1:], start=2)]


def _layout(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], dict[str, str]]:
    """Header, rows and the column name -> field map of either layout."""
    if path.suffix.lower() == ".json":
        header, rows = _json_rows(path)
        require_columns(path, header, API_COLUMNS, "the Census API imports response")
        if "time" not in header and not {"YEAR", "MONTH"} <= set(header):
            require_columns(path, header, ["time"], "the Census API imports response (time or YEAR, MONTH)")
        return header, rows, _API_NAMES
    header, rows = read_table(path)
    require_columns(path, header, CSV_COLUMNS, "the Census duties CSV")
    return header, rows, _CSV_NAMES


def parse(path: Path, *, vintage: str | None = None) -> Batch:
    header, rows, names = _layout(path)
    fields = {names[h]: i for i, h in enumerate(header) if h in names}
    column = {v: k for k, v in names.items()}
    problems = Problems(str(path))
    partners: CodeCache = CodeCache(_partner)
    out = ColumnBuffer(TARGET)
    seen: dict[tuple[str, int, int], int] = {}
    newest = Newest()
    for lineno, cells in rows:
        if not full_width(problems, header, lineno, cells):
            continue
        row = {key: cells[i].strip() for key, i in fields.items()}
        checked = _row(problems, lineno, row, column, partners)
        if checked is None:
            continue
        partner, year, month, duty, value = checked
        key = (partner.census_code, year, month)
        if key in seen:
            problems.add(
                lineno,
                column["code"],
                row["code"],
                f"duplicate row for {partner.id} {year}-{month:02d} (first at row {seen[key]})",
                "remove the duplicate",
            )
            continue
        seen[key] = lineno
        newest.see(year, month, lineno, column.get("time") or column["month"])
        out.add(
            reporter="USA",
            **partner.columns(row.get("name")),
            flow="imports",
            basis="consumption",
            year=year,
            month=month,
            classification="TOTAL",
            commodity="",
            level=0,
            value_usd=value,
            duty_usd=duty,
            program="ALL",
        )
    if not len(out) and not problems.items:
        problems.add(None, None, None, "no data rows", "download the file again")
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


def _row(
    problems: Problems, lineno: int, row: dict[str, str], column: dict[str, str], partners: CodeCache
) -> tuple[Partner, int, int, float, float] | None:
    """(partner, year, month, duty, value) of a row whose cells are valid and agree, else None after problems."""
    year, month = _period(problems, lineno, row, column)
    partner = partners.get(
        problems, lineno, column["code"], row["code"], "use a Census Schedule C code, e.g. 2010 Mexico"
    )
    duty = number(problems, lineno, column["duty"], row["duty"])
    value = number(problems, lineno, column["value"], row["value"])
    if partner is not None and "iso3" in row and row["iso3"] != partner.id:
        problems.add(
            lineno,
            column["iso3"],
            row["iso3"],
            f"does not match Census code {partner.census_code} ({partner.id}, {partner.name})",
            "the file's code columns disagree; fix one of them",
        )
        return None
    if year is None or month is None or partner is None or duty is None or value is None:
        return None
    if duty > value:
        problems.add(
            lineno,
            column["duty"],
            row["duty"],
            f"calculated duty exceeds the import value {value:.0f}",
            "the duty and value columns are swapped or corrupted",
        )
        return None
    if row.get("rate") and value:
        _check_rate(problems, lineno, row["rate"], duty / value)
    return partner, year, month, duty, value


def _period(
    problems: Problems, lineno: int, row: dict[str, str], column: dict[str, str]
) -> tuple[int | None, int | None]:
    if "time" in row:
        year_text, _, month_text = row["time"].partition("-")
        if not month_text:
            problems.add(
                lineno,
                "time",
                row["time"],
                "not a month written YYYY-MM",
                "request monthly data (time=YYYY-MM)",
            )
            return None, None
        return (
            checks.year(problems, lineno, "time", year_text, FIRST_YEAR, HS_SERIES),
            integer(problems, lineno, "time", month_text, 1, 12),
        )
    return (
        checks.year(problems, lineno, column["year"], row["year"], FIRST_YEAR, HS_SERIES),
        integer(problems, lineno, column["month"], row["month"], 1, 12),
    )


def _check_rate(problems: Problems, lineno: int, text: str, computed: float) -> None:
    rate = number(problems, lineno, "effective_rate", text)
    if rate is not None and abs(rate - computed) > RATE_TOLERANCE:
        problems.add(
            lineno,
            "effective_rate",
            text,
            f"does not equal duties / imports = {computed:.5f}",
            "the row is inconsistent; download the file again",
        )


def load(store: Store, path: Path, *, vintage: str | None = None) -> LoadReport:
    return store.load(parse(path, vintage=vintage))


__all__ = ["NAME", "TARGET", "TITLE", "load", "parse"]
