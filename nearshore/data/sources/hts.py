"""USITC Harmonized Tariff Schedule exports (CSV or JSON from hts.usitc.gov) -> the `hts_schedule` table.

Rate texts are stored verbatim; `nearshore.tariffs` parses them. Each row keeps its position in the schedule
(indent-only text lines included, with code ''), so the tree and the statistical-line inheritance can be rebuilt.
Several revisions coexist: `revision` comes from the `revision=` argument or the file name
(hts_2025_basic_edition.csv -> '2025-basic', hts_2025_revision_6.json -> '2025-rev-6').
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nearshore.data.batch import Batch, ColumnBuffer, file_checksum
from nearshore.data.sources.base import Problems, read_rows, require_columns, require_file
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
_CODE = re.compile(r"^\d{4}(\.\d{2}){0,3}$")
_REVISION = re.compile(r"(\d{4})[_\-\s]*(?:(basic)|rev(?:ision)?[_\-\s]*(\d+))", re.IGNORECASE)


def revision_from_name(path: Path) -> str | None:
    """'hts_2025_basic_edition.csv' -> '2025-basic'; 'hts_2025_revision_6.json' -> '2025-rev-6'."""
    match = _REVISION.search(path.stem)
    if not match:
        return None
    year, basic, number = match.groups()
    return f"{year}-basic" if basic else f"{year}-rev-{int(number)}"


def _units(text: str) -> str:
    text = text.strip()
    if text.startswith("["):
        try:
            values = json.loads(text)
        except json.JSONDecodeError:
            return text
        return ", ".join(str(v).strip() for v in values if str(v).strip())
    return text


def _json_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SourceFormatError(
            Problem(
                str(path),
                None,
                None,
                None,
                f"not a readable JSON file: {exc}",
                "download the JSON export again from hts.usitc.gov",
            )
        ) from None
    if not isinstance(data, list) or (data and not isinstance(data[0], dict)):
        raise SourceFormatError(
            Problem(
                str(path),
                None,
                None,
                type(data).__name__,
                "expected a list of HTS line objects (htsno, indent, description, ...)",
                "use the JSON export of hts.usitc.gov",
            )
        )
    if data and "htsno" not in data[0]:
        raise SourceFormatError(
            Problem(
                str(path),
                1,
                "htsno",
                ", ".join(sorted(data[0])[:8]),
                "wrong layout: the objects have no 'htsno' field",
                "use the JSON export of hts.usitc.gov",
            )
        )
    for position, item in enumerate(data, start=1):
        row = {}
        for field, column in JSON_FIELDS.items():
            value = item.get(field)
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            row[column] = "" if value is None else str(value)
        yield position, row


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    header, rows = read_rows(path)
    require_columns(path, header, CSV_COLUMNS, "the USITC HTS CSV export")
    for lineno, cells in rows:
        cells = cells + [""] * (len(header) - len(cells))
        yield lineno, dict(zip(header, cells, strict=False))


def parse(path: Path, *, vintage: str | None = None, revision: str | None = None) -> Batch:
    require_file(path)
    revision = revision or revision_from_name(path)
    if not revision:
        raise InputError(
            f"{path}: cannot tell the HTS revision from the file name; give it, e.g. "
            "revision='2025-rev-6' (CLI: nearshore tariff schedule --load PATH --revision 2025-rev-6)"
        )
    rows = _json_rows(path) if path.suffix.lower() == ".json" else _csv_rows(path)
    problems = Problems(str(path))
    out = ColumnBuffer(TARGET)
    position = 0
    for lineno, row in rows:
        display = row["HTS Number"].strip()
        if display and not _CODE.match(display):
            problems.add(
                lineno,
                "HTS Number",
                display,
                "not an HTS number (4 to 10 digits as 0101.21.00.10)",
                "fix the cell or re-export the file",
            )
            continue
        indent_text = row["Indent"].strip() or "0"
        if not indent_text.isdigit():
            problems.add(lineno, "Indent", indent_text, "not a whole number", "fix the cell")
            continue
        position += 1
        out.add(
            revision=revision,
            position=position,
            code=display.replace(".", ""),
            code_display=display,
            indent=int(indent_text),
            description=row["Description"].strip(),
            units=_units(row["Unit of Quantity"]),
            general_rate=row["General Rate of Duty"].strip(),
            special_rate=row["Special Rate of Duty"].strip(),
            column2_rate=row["Column 2 Rate of Duty"].strip(),
            quota_quantity=row["Quota Quantity"].strip(),
            additional_duties=row["Additional Duties"].strip(),
        )
    if not len(out) and not problems.items:
        problems.add(None, None, None, "no HTS lines", "download the file again")
    problems.raise_if_any()
    year = revision[:4]
    if vintage is None:
        vintage = f"{year}-01"
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


def load(store: Store, path: Path, *, vintage: str | None = None, revision: str | None = None) -> LoadReport:
    return store.load(parse(path, vintage=vintage, revision=revision))


__all__ = ["NAME", "TARGET", "TITLE", "load", "parse", "revision_from_name"]
