"""USITC Harmonized Tariff Schedule exports (CSV or JSON from hts.usitc.gov) -> the `hts_schedule` table.

Rate texts are stored verbatim; `nearshore.tariffs` parses them. Each row keeps its position in the schedule
(indent-only text lines included, with code ''), so the tree and the statistical-line inheritance can be rebuilt.
Several revisions coexist: `revision` comes from the `revision=` argument or the file name
(hts_2025_basic_edition.csv -> '2025-basic', hts_2025_revision_6.json -> '2025-rev-6').

A load replaces a revision whole (the store keys `hts_schedule` by source and revision), so lines of two files
never mix. Before that, the file is checked the way the official export is laid out: every row complete, each
HTS number once, general rates on the 8-digit lines of chapters 01-97 and additional duties only in chapter 99
(anything else means swapped or shifted columns); and a file that would leave most general rates of the loaded
revision behind is refused unless `force=True` (`nearshore data load hts PATH --force`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from nearshore.data.batch import Batch, ColumnBuffer, file_checksum
from nearshore.data.sources.base import Problems, digits, read_rows, require_columns, require_file
from nearshore.data.sources.checks import full_width, parse_json, read_json
from nearshore.data.store import LoadReport, Store
from nearshore.errors import InputError, Problem, SourceFormatError

NAME = "hts"
TITLE = "USITC Harmonized Tariff Schedule export (CSV or JSON): lines, units and rate texts"
TARGET = "hts_schedule"

CSV_COLUMNS = (
    "HTS Number",
    "Indent",
    "Description",
    "Unit of Quantity",
    "General Rate of Duty",
    "Special Rate of Duty",
    "Column 2 Rate of Duty",
    "Quota Quantity",
    "Additional Duties",
)
# JSON field -> CSV column (hts.usitc.gov REST/JSON export field names)
JSON_FIELDS = {
    "htsno": "HTS Number",
    "indent": "Indent",
    "description": "Description",
    "units": "Unit of Quantity",
    "general": "General Rate of Duty",
    "special": "Special Rate of Duty",
    "other": "Column 2 Rate of Duty",
    "quotaQuantity": "Quota Quantity",
    "additionalDuties": "Additional Duties",
}
# The first HTS took effect in 1989; the next year's basic edition is published ahead of January.
FIRST_YEAR = 1989
MAX_INDENT = 20
# Chapters of a whole schedule: 01-97 (77 is reserved) and the U.S. chapters 98 and 99.
CHAPTERS = frozenset(f"{n:02d}" for n in range(1, 100) if n != 77)
# Column checks: more than this many lines (and this share of them) out of the official pattern means the
# columns are swapped or shifted, not a one-off.
PATTERN_LINES = 10
PATTERN_SHARE = 0.05
# A file keeping fewer than this share of the loaded revision's general rates is refused unless forced.
KEPT_RATES = 0.5

_CODE = re.compile(r"[0-9]{4}(\.[0-9]{2}){0,3}")
_REVISION = re.compile(r"([0-9]{4})[_\-\s]*(?:(basic)|rev(?:ision)?[_\-\s]*([0-9]{1,3}))", re.IGNORECASE)
_FIX = "export the schedule again from hts.usitc.gov"


def revision_from_name(path: Path) -> str | None:
    """'hts_2025_basic_edition.csv' -> '2025-basic'; 'hts_2025_revision_6.json' -> '2025-rev-6'."""
    match = _REVISION.search(path.stem)
    if not match:
        return None
    year, basic, number = match.groups()
    return f"{year}-basic" if basic else f"{year}-rev-{int(number)}"


def _revision(path: Path, revision: str | None) -> str:
    revision = revision or revision_from_name(path)
    if not revision:
        raise InputError(
            f"{path}: cannot tell the HTS revision from the file name; give it, e.g. "
            "revision='2025-rev-6' (CLI: nearshore tariff schedule --load PATH --revision 2025-rev-6)"
        )
    year = revision[:4]
    last = date.today().year + 1
    if not digits(year) or not FIRST_YEAR <= int(year) <= last:
        raise InputError(
            f"{path}: HTS revision {revision!r} is not of a year from {FIRST_YEAR} (the first HTS) to {last}; "
            "give the revision as YEAR-basic or YEAR-rev-N"
        )
    return revision


def _units(text: str) -> str:
    text = text.strip()
    if text.startswith("["):
        try:
            values = parse_json(text)
        except ValueError:
            return text
        if isinstance(values, list):
            return ", ".join(str(v).strip() for v in values if str(v).strip())
    return text


def _layout_error(path: Path, row: int | None, field: str | None, value: str, message: str) -> SourceFormatError:
    return SourceFormatError(Problem(str(path), row, field, value, message, "use the JSON export of hts.usitc.gov"))


def _json_rows(path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        data: Any = read_json(path)
    except SourceFormatError as exc:
        raise SourceFormatError(
            replace(exc.problem, message=f"not a readable JSON file: {exc.problem.message}", fix=_FIX)
        ) from None
    if not isinstance(data, list):
        raise _layout_error(
            path,
            None,
            None,
            type(data).__name__,
            "expected a list of HTS line objects (htsno, indent, description, ...)",
        )
    if data and isinstance(data[0], dict) and "htsno" not in data[0]:
        shown = ", ".join(sorted(str(k) for k in data[0])[:8])
        raise _layout_error(path, 1, "htsno", shown, "wrong layout: the objects have no 'htsno' field")
    for position, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.add(position, None, type(item).__name__, "not an HTS line object", _FIX)
            continue
        row = {}
        for field, column in JSON_FIELDS.items():
            value = item.get(field)
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            row[column] = "" if value is None else str(value)
        yield position, row


def _csv_rows(path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, str]]]:
    header, rows = read_rows(path)
    require_columns(path, header, CSV_COLUMNS, "the USITC HTS CSV export")
    for lineno, cells in rows:
        if full_width(problems, header, lineno, cells):
            yield lineno, dict(zip(header, cells, strict=True))


def _lines(path: Path, revision: str, problems: Problems) -> tuple[ColumnBuffer, list[int]]:
    """Every row of the file as an `hts_schedule` row, in order, and its row in the file; bad cells and
    repeated numbers are problems."""
    rows = _json_rows(path, problems) if path.suffix.lower() == ".json" else _csv_rows(path, problems)
    out = ColumnBuffer(TARGET)
    linenos: list[int] = []
    seen: dict[str, int] = {}
    for lineno, row in rows:
        display = row["HTS Number"].strip()
        if display and not _CODE.fullmatch(display):
            problems.add(
                lineno,
                "HTS Number",
                display,
                "not an HTS number (4 to 10 digits as 0101.21.00.10)",
                "fix the cell or re-export the file",
            )
            continue
        if display in seen:
            problems.add(
                lineno, "HTS Number", display, f"repeats the line at row {seen[display]}", "remove the duplicate"
            )
            continue
        if display:
            seen[display] = lineno
        indent = _indent(problems, lineno, row["Indent"])
        if indent is None:
            continue
        linenos.append(lineno)
        out.add(
            revision=revision,
            position=len(out) + 1,
            code=display.replace(".", ""),
            code_display=display,
            indent=indent,
            description=row["Description"].strip(),
            units=_units(row["Unit of Quantity"]),
            general_rate=row["General Rate of Duty"].strip(),
            special_rate=row["Special Rate of Duty"].strip(),
            column2_rate=row["Column 2 Rate of Duty"].strip(),
            quota_quantity=row["Quota Quantity"].strip(),
            additional_duties=row["Additional Duties"].strip(),
        )
    return out, linenos


def _indent(problems: Problems, lineno: int, text: str) -> int | None:
    cleaned = text.strip() or "0"
    if not digits(cleaned):
        problems.add(lineno, "Indent", text, "not a whole number", "fix the cell")
        return None
    if len(cleaned) > 2 or int(cleaned) > MAX_INDENT:
        problems.add(lineno, "Indent", text, f"an indent above {MAX_INDENT}; the schedule nests 11 deep at most", _FIX)
        return None
    return int(cleaned)


def _check_pattern(problems: Problems, out: ColumnBuffer, rows: list[int]) -> None:
    """Swapped or shifted rate columns: general rates missing on the tariff lines of chapters 01-97, or
    additional duties outside chapter 99, where the official export never has them."""
    codes = out.columns["code"]
    general = out.columns["general_rate"]
    extra = out.columns["additional_duties"]
    tariff = [i for i, code in enumerate(codes) if len(code) == 8 and code[:2] < "98"]
    missing = [i for i in tariff if not general[i]]
    outside = [i for i, code in enumerate(codes) if extra[i] and code[:2] != "99"]
    for found, among, column, what in (
        (missing, len(tariff), "General Rate of Duty", "is empty on {n} of {m} 8-digit lines of chapters 01-97"),
        (outside, len(codes), "Additional Duties", "is filled on {n} of {m} lines outside chapter 99"),
    ):
        if len(found) > max(PATTERN_LINES, PATTERN_SHARE * among):
            problems.add(
                rows[found[0]],
                column,
                codes[found[0]],
                what.format(n=len(found), m=among) + " (the first here), unlike any official export: "
                "the rate columns are swapped or shifted",
                "export the schedule again from hts.usitc.gov without editing its columns",
            )


def _coverage_warning(problems: Problems, out: ColumnBuffer) -> None:
    present = {code[:2] for code in out.columns["code"] if code}
    missing = sorted(CHAPTERS - present)
    if missing and present:
        shown = ", ".join(missing[:12]) + (" ..." if len(missing) > 12 else "")
        problems.warn(
            None,
            None,
            f"the file covers {len(present & CHAPTERS)} of the {len(CHAPTERS)} chapters (missing {shown}); "
            "a whole-schedule export covers all of them, so if this file should be whole it is cut short",
        )


def parse(path: Path, *, vintage: str | None = None, revision: str | None = None) -> Batch:
    require_file(path)
    revision = _revision(path, revision)
    problems = Problems(str(path))
    out, linenos = _lines(path, revision, problems)
    if not len(out) and not problems.items:
        problems.add(None, None, None, "no HTS lines", "download the file again")
    problems.raise_if_any()
    _check_pattern(problems, out, linenos)
    problems.raise_if_any()
    _coverage_warning(problems, out)
    if vintage is None:
        vintage = f"{revision[:4]}-01"
        if not revision.endswith("basic"):
            problems.warn(None, None, f"no --vintage given; using {vintage} (give the revision's effective month)")
    return Batch.from_columns(
        source=NAME,
        target=TARGET,
        origin=str(path),
        checksum=file_checksum(path),
        vintage=vintage,
        columns=out.columns,
        warnings=problems.warnings,
    )


def check_kept_rates(store: Store, batch: Batch) -> None:
    """Refuse a schedule that would leave most general rates of the revision already loaded behind."""
    revision = batch.data.column("revision")[0].as_py() if batch.rows else None
    loaded = store.query(
        f"SELECT count(*) FILTER (general_rate <> '') FROM {store.relation(TARGET)} WHERE source = ? AND revision = ?",
        [NAME, revision],
    ).scalar()
    kept = sum(1 for rate in batch.data.column("general_rate").to_pylist() if rate)
    if loaded and kept < KEPT_RATES * loaded:
        raise SourceFormatError(
            Problem(
                batch.origin,
                None,
                "General Rate of Duty",
                f"{kept:,}",
                f"the file has {kept:,} general rates where the loaded HTS {revision} has {loaded:,}: loading it "
                "would lose most of them (a cut, partial or mis-aligned file)",
                "check the file; if the new schedule really drops them, load it with "
                "`nearshore data load hts PATH --force`",
            )
        )


def load(
    store: Store, path: Path, *, vintage: str | None = None, revision: str | None = None, force: bool = False
) -> LoadReport:
    """Parse, then replace the revision in one transaction; `force` skips the check of rates kept."""
    batch = parse(path, vintage=vintage, revision=revision)
    if not force:
        check_kept_rates(store, batch)
    return store.load(batch)


__all__ = ["NAME", "TARGET", "TITLE", "check_kept_rates", "load", "parse", "revision_from_name"]
