"""The USITC DataWeb "Query Export" workbook (`DataWeb-Query-Export.xlsx`), read for the `dataweb` source.

Sheets: `Query Parameters` (two columns: name, value) and one sheet per measure, each with the columns
`Data Type, Country, Year, [Month,] HTS Number, Description, Quantity Description, <measure>` and a last
`Total:` row. The value sheet (`Customs Value`, or `FAS Value` for exports) gives `value_usd`;
`Calculated Duties` gives `duty_usd` and `First Unit of Quantity` gives `quantity` and `unit`, where present.
The trade flow comes from the `Trade Flow` parameter; the default vintage from the `Download Date`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nearshore.data.batch import Batch, ColumnBuffer
from nearshore.data.reference.countries import Partner, resolve_partner
from nearshore.data.sources import checks
from nearshore.data.sources.base import Problems, digits, number, require_columns
from nearshore.data.sources.checks import CodeCache, Newest, file_batch, integer
from nearshore.errors import Problem, SourceFormatError, UnknownCodeError

PARAMETERS_SHEET = "Query Parameters"
VALUE_SHEETS = ("Customs Value", "General Customs Value", "FAS Value")
DUTY_SHEET = "Calculated Duties"
QUANTITY_SHEET = "First Unit of Quantity"
KEY_COLUMNS = ("Country", "Year", "HTS Number")
FIRST_YEAR = 1989

FLOWS = {
    "imports for consumption": ("imports", "consumption"),
    "general imports": ("imports", "general"),
    "total exports": ("exports", "total"),
    "domestic exports": ("exports", "domestic"),
}
# DataWeb country names that neither the Census list nor ISO 3166 (pycountry) spell this way.
NAME_ALIASES = {
    "democratic republic of the congo": "COD",
    "republic of the congo": "COG",
    "falkland islands": "FLK",
    "macau": "MAC",
    "burma": "MMR",
}
# Special Program Indicator values that mean a USMCA claim.
USMCA_SPI = {"S", "S+", "USMCA"}

_Key = tuple[str, int, int | None, str, str]


def resolve_country(name: str) -> Partner:
    """A partner from a DataWeb country name ('Czechia (Czech Republic)', 'Côte d`Ivoire', 'Macau')."""
    plain = unicodedata.normalize("NFKD", name.replace("`", "'")).encode("ascii", "ignore").decode().strip()
    head, _, rest = plain.partition("(")
    candidates = [name.strip(), plain, head.strip(), rest.rstrip(") ").strip()]
    for candidate in candidates:
        alias = NAME_ALIASES.get(candidate.lower())
        if alias:
            return resolve_partner(alias)
        if candidate:
            try:
                return resolve_partner(candidate)
            except UnknownCodeError:
                continue
    raise UnknownCodeError(f"unknown country name {name!r}: not a Census, ISO 3166 or DataWeb country name")


def _sheet_rows(sheet: Any) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    rows = sheet.iter_rows(values_only=True)
    first = next(rows, None) or ()
    header = ["" if c is None else str(c).strip() for c in first]
    numbered = ((n, list(cells)) for n, cells in enumerate(rows, start=2))
    return header, ((n, cells) for n, cells in numbered if any(c not in (None, "") for c in cells))


def _layout_error(path: Path, book: Any, message: str, fix: str) -> SourceFormatError:
    """A workbook without a sheet it needs; the value shown is the list of sheets it has."""
    return SourceFormatError(
        Problem(str(path), None, None, ", ".join(book.sheetnames), f"wrong layout: {message}", fix)
    )


def _parameters(path: Path, book: Any) -> dict[str, Any]:
    if PARAMETERS_SHEET not in book.sheetnames:
        raise _layout_error(
            path,
            book,
            f"no {PARAMETERS_SHEET!r} sheet, so the trade flow is unknown",
            "export from DataWeb again with the query parameters sheet (the default)",
        )
    return {
        str(r[0]).strip(): r[1]
        for r in book[PARAMETERS_SHEET].iter_rows(values_only=True)
        if r and r[0] is not None and len(r) > 1
    }


class _Reader:
    """Reads one measure sheet into rows keyed by (country, year, month, hts, program)."""

    def __init__(self, path: Path, problems: Problems) -> None:
        self.path = path
        self.problems = problems
        self.partners: CodeCache = CodeCache(resolve_country)

    def read(self, sheet: Any, measure: str) -> dict[_Key, tuple[int, float, str, Partner]]:
        header, rows = _sheet_rows(sheet)
        index = require_columns(self.path, header, [*KEY_COLUMNS, measure], f"a DataWeb {measure!r} sheet")
        month_col = index.get("Month")
        program_col = next((i for i, h in enumerate(header) if "program" in h.lower()), None)
        unit_col = index.get("Quantity Description")
        where = f"{sheet.title}!"
        out: dict[_Key, tuple[int, float, str, Partner]] = {}
        total_sum = 0.0
        for lineno, cells in rows:
            cells = cells + [None] * (len(header) - len(cells))
            text = ["" if c is None else str(c).strip() for c in cells]
            if text[0].lower().startswith("total"):
                self._check_total(lineno, measure, text[index[measure]], total_sum)
                continue
            value = number(self.problems, lineno, where + measure, text[index[measure]])
            year = checks.year(
                self.problems, lineno, where + "Year", text[index["Year"]], FIRST_YEAR, "DataWeb's HTS data start"
            )
            month = (
                None if month_col is None else integer(self.problems, lineno, where + "Month", text[month_col], 1, 12)
            )
            hts = _hts(self.problems, lineno, where + "HTS Number", text[index["HTS Number"]])
            partner = self.partners.get(
                self.problems,
                lineno,
                where + "Country",
                text[index["Country"]],
                "add the name to dataweb_export.NAME_ALIASES",
            )
            if value is None or year is None or hts is None or partner is None:
                continue
            if month_col is not None and month is None:
                continue
            program = "ALL" if program_col is None else _program(text[program_col])
            key = (partner.id, year, month, hts, program)
            if key in out:
                self.problems.add(
                    lineno,
                    where + "Country",
                    text[index["Country"]],
                    f"duplicate row for {partner.id} {year} HTS {hts} (first at row {out[key][0]})",
                    "export the file again",
                )
                continue
            total_sum += value
            unit = "" if unit_col is None else text[unit_col].removeprefix("Value for:").strip()
            out[key] = (lineno, value, unit, partner)
        return out

    def _check_total(self, lineno: int, measure: str, text: str, total_sum: float) -> None:
        stated = number(self.problems, lineno, measure, text)
        if stated is not None and abs(stated - total_sum) > 1.0:
            self.problems.add(
                lineno,
                measure,
                text,
                f"the file's total does not equal the sum of its rows ({total_sum:,.0f})",
                "the file is truncated or edited; export it again",
            )


def _hts(problems: Problems, lineno: int, column: str, text: str) -> str | None:
    code = text.replace(".", "")
    if digits(code) and len(code) in (2, 4, 6, 8, 10):
        return code
    problems.add(
        lineno,
        column,
        text,
        "not an HTS code of 2-10 digits",
        "keep the leading zeros: export the column as text",
    )
    return None


def _program(text: str) -> str:
    value = text.strip().upper()
    return "USMCA" if value in USMCA_SPI else (value or "ALL")


def parse(path: Path, *, vintage: str | None = None, source: str = "dataweb") -> Batch:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise SourceFormatError(
            Problem(str(path), None, None, None, f"not a readable XLSX file: {exc}", "download the export again")
        ) from None
    try:
        return _parse_book(path, book, vintage, source)
    finally:
        book.close()


_Measure = dict[_Key, tuple[int, float, str, Partner]]


def _parse_book(path: Path, book: Any, vintage: str | None, source: str) -> Batch:
    params = _parameters(path, book)
    flow, basis = _flow(path, params)
    value_sheet = _value_sheet(path, book)
    problems = Problems(str(path))
    reader = _Reader(path, problems)
    values = reader.read(book[value_sheet], value_sheet)
    duties = reader.read(book[DUTY_SHEET], DUTY_SHEET) if DUTY_SHEET in book.sheetnames else {}
    quantities = reader.read(book[QUANTITY_SHEET], QUANTITY_SHEET) if QUANTITY_SHEET in book.sheetnames else {}
    if not values and not problems.items:
        problems.add(None, value_sheet, None, "no data rows", "export the query again")
    problems.raise_if_any()

    out = ColumnBuffer("trade_flows")
    newest = Newest()
    dropped = _add_rows(out, newest, values, duties, quantities, flow, basis, value_sheet)
    if dropped:
        problems.warn(None, value_sheet, f"{dropped} rows with a zero value were not stored")
    inferred, reason = _download_vintage(params)
    return file_batch(
        path,
        problems,
        out.columns,
        source=source,
        target="trade_flows",
        vintage=vintage,
        newest=newest,
        inferred=inferred,
        reason=reason,
    )


def _flow(path: Path, params: dict[str, Any]) -> tuple[str, str]:
    """The (flow, basis) named by the `Trade Flow` parameter."""
    flow_text = str(params.get("Trade Flow", "")).strip()
    if flow_text.lower() not in FLOWS:
        raise SourceFormatError(
            Problem(
                str(path),
                None,
                f"{PARAMETERS_SHEET}!Trade Flow",
                flow_text,
                f"unsupported trade flow; supported: {', '.join(k.title() for k in FLOWS)}",
                "export one of these flows from DataWeb",
            )
        )
    return FLOWS[flow_text.lower()]


def _value_sheet(path: Path, book: Any) -> str:
    """The first of VALUE_SHEETS the workbook has."""
    value_sheet = next((s for s in VALUE_SHEETS if s in book.sheetnames), None)
    if value_sheet is None:
        raise _layout_error(
            path,
            book,
            f"none of the value sheets {list(VALUE_SHEETS)}",
            "export the query with 'Customs Value' (imports) or 'FAS Value' (exports) in Data To Report",
        )
    return value_sheet


def _add_rows(
    out: ColumnBuffer,
    newest: Newest,
    values: _Measure,
    duties: _Measure,
    quantities: _Measure,
    flow: str,
    basis: str,
    value_sheet: str,
) -> int:
    """Adds one trade_flows row per value with its duty and quantity; returns how many zero rows were dropped."""
    dropped = 0
    for key, (lineno, value, _unit, partner) in values.items():
        duty = duties.get(key)
        quantity = quantities.get(key)
        if value == 0 and (duty is None or duty[1] == 0):
            dropped += 1
            continue
        _pid, year, month, hts, program = key
        newest.see(year, month, lineno, f"{value_sheet}!Year")
        out.add(
            reporter="USA",
            **partner.columns(),
            flow=flow,
            basis=basis,
            year=year,
            month=month,
            classification="HS",
            commodity=hts,
            level=len(hts),
            value_usd=value,
            duty_usd=None if duty is None else duty[1],
            quantity=None if quantity is None else quantity[1],
            unit=None if quantity is None else quantity[2],
            program=program,
        )
    return dropped


def _download_vintage(params: dict[str, Any]) -> tuple[str | None, str]:
    """The vintage the export's Download Date gives (None: the newest data month is used), and why."""
    downloaded = params.get("Download Date")
    if isinstance(downloaded, dt.datetime):
        return downloaded.strftime("%Y-%m-%d"), "the export's Download Date"
    return None, "the newest data month"
