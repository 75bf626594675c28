"""Helpers every source module shares: reading tabular files, checking values, collecting problems."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import math
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nearshore.errors import InputError, Problem, SourceFormatError, ValidationFailed

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
# A gzip-compressed CSV (.csv.gz) may expand to this many bytes; more is not an official file (or a zip bomb).
MAX_TEXT_BYTES = 1 << 30
# No trade figure (U.S. dollars, quantities) comes near this; a larger cell is corrupted, e.g. 1e308.
LIMIT = 1e15
# ASCII digits only: `str.isdigit` and `float` also take Arabic-Indic, fullwidth and superscript digits, and
# `float` takes "1_000". Thousands separators are allowed only as a spreadsheet writes them (1,234,567).
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?(?:[eE][+-]?[0-9]{1,3})?|[+-]?\.[0-9]+")


@dataclass
class Problems:
    """Collects every problem in a file so the user sees them all at once."""

    file: str
    items: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, row: int | None, column: str | None, value: object, message: str, fix: str = "") -> None:
        self.items.append(Problem(self.file, row, column, None if value is None else str(value), message, fix))

    def warn(self, row: int | None, column: str | None, message: str) -> None:
        where = self.file + (f", row {row}" if row is not None else "") + (f", column {column!r}" if column else "")
        self.warnings.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed(self.items)


def digits(text: str) -> bool:
    """True for ASCII digits only (`str.isdigit` also takes Arabic-Indic, fullwidth and superscript digits)."""
    return text.isascii() and text.isdigit()


def require_file(path: Path) -> None:
    if not path.exists():
        raise InputError(
            f"{path}: no such file. Check the path, or list the official files with `ls ../shared/data/raw`"
        )
    if path.is_dir():
        raise InputError(f"{path}: is a directory; give the path of one file")
    if path.stat().st_size == 0:
        raise SourceFormatError(Problem(str(path), None, None, None, "the file is empty", "download it again"))


def read_rows(path: Path, sheet: str | None = None) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Header and (line number, cells) pairs of a CSV or XLSX file. Line numbers count the header as 1."""
    require_file(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    text = _decode(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
        rows = [(reader.line_num, cells) for cells in reader if "".join(cells).strip()]
    except StopIteration:
        raise SourceFormatError(Problem(str(path), 1, None, None, "no header row")) from None
    except csv.Error as exc:
        raise SourceFormatError(
            Problem(str(path), reader.line_num, None, None, f"not a readable CSV file: {exc}")
        ) from None
    if not text.endswith(("\n", "\r")):
        raise SourceFormatError(
            Problem(
                str(path),
                reader.line_num,
                None,
                None,
                "the last line does not end with a line break: the file is cut short",
                "download or export the file again",
            )
        )
    return header, iter(rows)


def _raw_bytes(path: Path) -> bytes:
    """The file's bytes; a `.gz` file decompressed, with a clear error when it is cut short or corrupted."""
    if path.suffix.lower() != ".gz":
        return path.read_bytes()
    try:
        with gzip.open(path, "rb") as handle:
            raw = handle.read(MAX_TEXT_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise SourceFormatError(
            Problem(str(path), None, None, None, f"not a readable gzip file: {exc}", "download the file again")
        ) from None
    if len(raw) > MAX_TEXT_BYTES:
        raise SourceFormatError(
            Problem(
                str(path),
                None,
                None,
                None,
                f"expands to more than {MAX_TEXT_BYTES:,} bytes, far beyond any official file",
                "give the official file itself",
            )
        )
    return raw


def read_text(path: Path) -> str:
    """The text of a UTF-8 file a user gives (a BOM, an entry file): SourceFormatError on the line of an
    undecodable byte or a NUL."""
    return _decode(path)


def read_utf8(path: Path) -> bytes:
    """The bytes of a UTF-8 file a user gives, checked as `read_text` checks them (a BOM dropped), for a reader
    that takes bytes (Arrow's CSV reader): a file of ASCII alone is not decoded at all."""
    raw = _no_nul(path, _raw_bytes(path))
    if not raw.isascii():
        _text(path, raw)  # SourceFormatError on the line of an undecodable byte
    return raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw


def _decode(path: Path) -> str:
    """The text of a UTF-8 file (a BOM is dropped); an undecodable byte is reported on its own line."""
    return _text(path, _no_nul(path, _raw_bytes(path)))


def _no_nul(path: Path, raw: bytes) -> bytes:
    nul = raw.find(b"\0")
    if nul >= 0:
        raise SourceFormatError(
            Problem(
                str(path),
                raw[:nul].count(b"\n") + 1,
                None,
                None,
                f"a NUL byte at byte {nul}: this is not a text file, or it is corrupted",
                "give the CSV file itself, downloaded again",
            )
        )
    return raw


def _text(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceFormatError(
            Problem(
                str(path),
                line,
                None,
                raw[exc.start : exc.end].hex(" "),
                f"not UTF-8 text: {exc.reason} at byte {exc.start}",
                "save the file as UTF-8 (in Excel: CSV UTF-8)",
            )
        ) from None


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise SourceFormatError(
            Problem(
                str(path),
                None,
                None,
                None,
                f"not a readable XLSX file: {exc}",
                "download the file again, or give its CSV export",
            )
        ) from None
    names = book.sheetnames
    if sheet is not None and sheet not in names:
        raise SourceFormatError(Problem(str(path), None, None, sheet, f"no sheet named {sheet!r}; sheets: {names}"))
    worksheet = book[sheet] if sheet is not None else book[names[0]]
    rows_iter = worksheet.iter_rows(values_only=True)
    first = next(rows_iter, None)
    if first is None:
        raise SourceFormatError(Problem(str(path), 1, None, None, "the sheet is empty"))
    header = ["" if c is None else str(c).strip() for c in first]

    def rows() -> Iterator[tuple[int, list[str]]]:
        for lineno, cells in enumerate(rows_iter, start=2):
            values = ["" if c is None else str(c) for c in cells]
            if any(v.strip() for v in values):
                yield lineno, values

    return header, rows()


def require_columns(path: Path, header: Sequence[str], needed: Sequence[str], layout: str) -> dict[str, int]:
    """Column positions by name; a clear error listing what is missing."""
    index = {name: i for i, name in enumerate(header)}
    missing = [name for name in needed if name not in index]
    if missing:
        raise SourceFormatError(
            Problem(
                str(path),
                1,
                None,
                ", ".join(header[:12]) + ("..." if len(header) > 12 else ""),
                f"wrong layout: columns {missing} are missing for {layout}",
                "check that this is the right file for this source (see `nearshore data load --help`)",
            )
        )
    return index


def number(
    problems: Problems,
    row: int,
    column: str,
    text: str,
    *,
    negative: bool = False,
    fix: str | None = None,
    limit: float = LIMIT,
) -> float | None:
    """A finite number up to `limit` from a cell, or None after recording a problem (with `fix` when given)."""
    cleaned = text.strip()
    if not _NUMBER.fullmatch(cleaned):
        problems.add(row, column, text, "not a number", fix or "fix the cell or re-export the file")
        return None
    value = float(cleaned.replace(",", ""))
    if not math.isfinite(value) or abs(value) > limit:
        problems.add(
            row, column, text, f"not a plausible figure (above {limit:g})", fix or "fix the cell or re-export the file"
        )
        return None
    if value < 0 and not negative:
        problems.add(
            row,
            column,
            text,
            "negative value where trade values cannot be negative",
            fix or "fix the cell; a negative here means a corrupted or mis-aligned file",
        )
        return None
    return value
