"""USITC DataWeb exports: USMCA utilisation CSVs (HTS10 x Canada/Mexico) and DataWeb "Query Export" workbooks.

Layouts:
- monthly `..._YYYY_MM.csv` with `hts10, cty_code, usmca_share, total_value, usmca_value` (imports for
  consumption, customs value, USD): each (hts10, country) with a non-zero value gives two `trade_flows` rows,
  program 'ALL' (total_value) and program 'USMCA' (usmca_value, SPI S/S+);
- annual `..._YYYY.csv` with `hts10, cty_code, usmca_share`: `program_shares` rows (program 'USMCA');
- a DataWeb `.xlsx` Query Export (see `dataweb_export`): `trade_flows` rows by HTS x country x period.
The period of a CSV is not a column: it comes from the file name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from nearshore.data.batch import Batch, ColumnBuffer
from nearshore.data.reference.countries import Partner, census_partner
from nearshore.data.sources import dataweb_export
from nearshore.data.sources.base import Problems, digits, number, require_columns
from nearshore.data.sources.checks import CodeCache, Newest, file_batch, full_width, read_table, this_month
from nearshore.data.store import LoadReport, Store
from nearshore.errors import InputError

NAME = "dataweb"
TITLE = "USITC DataWeb: USMCA-claimed imports by HTS10 (CSV, monthly/annual) and Query Export workbooks"
TARGET = "trade_flows"  # annual share files go to `program_shares`

MONTHLY_COLUMNS = ("hts10", "cty_code", "usmca_share", "total_value", "usmca_value")
ANNUAL_COLUMNS = ("hts10", "cty_code", "usmca_share")
# Values are whole dollars; the claimed value may exceed the total by rounding only.
VALUE_TOLERANCE_USD = 1.0
# usmca_share is written with ~16 significant digits; anything further off is a different figure.
SHARE_TOLERANCE = 1e-6

_PERIOD = re.compile(r"_([0-9]{4})(?:_([0-9]{2}))?$")
# DataWeb's HTS-based import statistics start in 1989, with the HTS.
FIRST_YEAR = 1989


def period_from_name(path: Path, monthly: bool) -> tuple[int, int | None]:
    """(year, month) from a file name ending `_YYYY_MM` (monthly) or `_YYYY` (annual)."""
    match = _PERIOD.search(path.stem)
    want = (
        "_YYYY_MM (e.g. usmca_product_shares_2025_01.csv)" if monthly else "_YYYY (e.g. usmca_product_shares_2024.csv)"
    )
    kind = "monthly values" if monthly else "annual shares"
    if match is None or (match.group(2) is None) == monthly:
        raise InputError(
            f"{path}: the file name does not say which {'month' if monthly else 'year'} the data are for; "
            f"this layout holds {kind}, so name the file ending in {want}"
        )
    year, month = int(match.group(1)), None if match.group(2) is None else int(match.group(2))
    now = this_month()
    if month is not None and not 1 <= month <= 12:
        raise InputError(f"{path}: month {match.group(2)!r} in the file name is not 01-12; rename the file")
    if not FIRST_YEAR <= year <= now[0] or (year, month or 1) > now:
        raise InputError(
            f"{path}: the period {match.group(0)[1:]!r} in the file name is not a published one (DataWeb data run "
            f"from {FIRST_YEAR} to this month, {now[0]:04d}-{now[1]:02d}); rename the file with its data period"
        )
    return year, month


def parse(path: Path, *, vintage: str | None = None) -> Batch:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return dataweb_export.parse(path, vintage=vintage, source=NAME)
    header, rows = read_table(path)
    if "total_value" in header or "usmca_value" in header:
        return _parse_monthly(path, header, rows, vintage)
    if "usmca_share" in header:
        return _parse_annual(path, header, rows, vintage)
    require_columns(path, header, MONTHLY_COLUMNS, "a DataWeb USMCA utilisation file")
    raise AssertionError("unreachable")


def _hts10(problems: Problems, lineno: int, text: str) -> str | None:
    code = text.strip()
    if len(code) == 10 and digits(code):
        return code
    problems.add(
        lineno,
        "hts10",
        text,
        "not a 10-digit HTS code",
        "keep the leading zeros: export the column as text, not as a number",
    )
    return None


_Row = tuple[int, list[str], dict[str, int], str, Partner, float | None]


def _rows(
    path: Path,
    header: list[str],
    rows: Iterable[tuple[int, list[str]]],
    columns: tuple[str, ...],
    problems: Problems,
) -> Iterator[_Row]:
    """Rows with a valid HTS10, known country and share, each (hts10, country) once."""
    index = require_columns(path, header, columns, "a DataWeb USMCA utilisation file")
    partners: CodeCache = CodeCache(census_partner)
    seen: dict[tuple[str, str], int] = {}
    for lineno, cells in rows:
        if not full_width(problems, header, lineno, cells):
            continue
        hts = _hts10(problems, lineno, cells[index["hts10"]])
        partner: Partner | None = partners.get(
            problems,
            lineno,
            "cty_code",
            cells[index["cty_code"]].strip(),
            "use a Census Schedule C code, e.g. 1220 Canada, 2010 Mexico",
        )
        share = number(problems, lineno, "usmca_share", cells[index["usmca_share"]])
        if share is not None and share > 1:
            problems.add(
                lineno,
                "usmca_share",
                cells[index["usmca_share"]],
                "a share above 1",
                "usmca_share is a fraction from 0 to 1",
            )
            share = None
        if hts is None or partner is None:
            continue
        key = (hts, partner.census_code)
        if key in seen:
            problems.add(
                lineno,
                "hts10",
                hts,
                f"duplicate row for HTS {hts} and country {partner.census_code} (first at row {seen[key]})",
                "remove the duplicate",
            )
            continue
        seen[key] = lineno
        yield lineno, cells, index, hts, partner, share


def _parse_monthly(path: Path, header: list[str], rows: Iterable[tuple[int, list[str]]], vintage: str | None) -> Batch:
    year, month = period_from_name(path, monthly=True)
    problems = Problems(str(path))
    kept: list[tuple[Partner, str, float, float]] = []
    dropped = 0
    for lineno, cells, index, hts, partner, share in _rows(path, header, rows, MONTHLY_COLUMNS, problems):
        total = number(problems, lineno, "total_value", cells[index["total_value"]])
        claimed = number(problems, lineno, "usmca_value", cells[index["usmca_value"]])
        if total is None or claimed is None or share is None:
            continue
        if claimed > total + VALUE_TOLERANCE_USD:
            problems.add(
                lineno,
                "usmca_value",
                cells[index["usmca_value"]],
                f"USMCA-claimed value exceeds the total value {total:.0f}",
                "the columns are swapped or the file is corrupted; export it again",
            )
            continue
        expected = claimed / total if total else 0.0
        if abs(share - expected) > SHARE_TOLERANCE:
            problems.add(
                lineno,
                "usmca_share",
                cells[index["usmca_share"]],
                f"does not equal usmca_value / total_value = {expected:.6f}",
                "the row is inconsistent; export the file again",
            )
            continue
        if total == 0 and claimed == 0:
            dropped += 1
            continue
        kept.append((partner, hts, total, claimed))
    if not kept and not problems.items:
        problems.add(None, None, None, "no data rows with a non-zero value", "export the file again")
    if dropped:
        problems.warn(None, None, f"{dropped} rows with zero total and USMCA value were not stored")
    return file_batch(
        path,
        problems,
        _monthly_columns(kept, year, month),
        source=NAME,
        target="trade_flows",
        vintage=vintage,
        newest=Newest((year, month or 12)),
        reason="the data month, from the file name",
    )


def _monthly_columns(
    kept: list[tuple[Partner, str, float, float]], year: int, month: int | None
) -> dict[str, list[Any]]:
    """Two rows per kept (hts10, country): program 'ALL' with the total, 'USMCA' with the claimed value."""
    n = 2 * len(kept)

    def twice(values: Iterable[Any]) -> list[Any]:
        return [v for v in values for _ in (0, 1)]

    columns: dict[str, list[Any]] = {
        "reporter": ["USA"] * n,
        "partner": twice(p.id for p, _, _, _ in kept),
        "partner_code": twice(p.census_code for p, _, _, _ in kept),
        "partner_name": twice(p.name for p, _, _, _ in kept),
        "partner_kind": twice(p.kind for p, _, _, _ in kept),
        "flow": ["imports"] * n,
        "basis": ["consumption"] * n,
        "year": [year] * n,
        "month": [month] * n,
        "classification": ["HS"] * n,
        "commodity": twice(h for _, h, _, _ in kept),
        "level": [10] * n,
        "value_usd": [v for _, _, total, claimed in kept for v in (total, claimed)],
        "program": ["ALL", "USMCA"] * len(kept),
    }
    return {name: columns.get(name, [None] * n) for name in ColumnBuffer("trade_flows").names}


def _parse_annual(path: Path, header: list[str], rows: Iterable[tuple[int, list[str]]], vintage: str | None) -> Batch:
    year, _ = period_from_name(path, monthly=False)
    problems = Problems(str(path))
    out = ColumnBuffer("program_shares")
    for _lineno, _cells, _index, hts, partner, share in _rows(path, header, rows, ANNUAL_COLUMNS, problems):
        if share is None:
            continue
        out.add(
            reporter="USA",
            partner=partner.id,
            partner_code=partner.census_code,
            year=year,
            month=None,
            classification="HS",
            commodity=hts,
            program="USMCA",
            share=share,
        )
    if not len(out) and not problems.items:
        problems.add(None, None, None, "no data rows", "export the file again")
    return file_batch(
        path,
        problems,
        out.columns,
        source=NAME,
        target="program_shares",
        vintage=vintage,
        newest=Newest((year, 12)),
        reason="the last month of the data year",
    )


def load(store: Store, path: Path, *, vintage: str | None = None) -> LoadReport:
    return store.load(parse(path, vintage=vintage))


__all__ = ["NAME", "TARGET", "TITLE", "load", "parse", "period_from_name"]
