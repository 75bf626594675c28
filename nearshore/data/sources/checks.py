"""Checks shared by the file sources: row width, codes, whole numbers and years, the newest period against
the vintage, JSON, and the Batch every parse ends with."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from nearshore.data.batch import Batch, check_vintage, file_checksum
from nearshore.data.sources.base import Problems, read_rows, require_file
from nearshore.errors import InputError, Problem, SourceFormatError, UnknownCodeError

T = TypeVar("T")
# ASCII digits ('2025', or '2025.0' from a spreadsheet); nine at most, so int() never meets a huge string.
_WHOLE = re.compile(r"([0-9]{1,9})(?:\.0*)?")


def full_width(problems: Problems, header: list[str], lineno: int, cells: list[str]) -> bool:
    """True when a row has as many cells as the header; otherwise a problem (truncated or mis-aligned)."""
    if len(cells) == len(header):
        return True
    problems.add(
        lineno,
        None,
        len(cells),
        f"row has {len(cells)} cells, the header has {len(header)}: truncated or mis-aligned",
        "download or export the file again",
    )
    return False


class CodeCache:
    """Memoised code lookups (countries repeat on every row); unknown codes become problems."""

    def __init__(self, lookup: Callable[[str], T]) -> None:
        self.lookup = lookup
        self.known: dict[str, Any] = {}
        self.unknown: dict[str, str] = {}

    def get(self, problems: Problems, lineno: int, column: str, code: str, fix: str = "") -> Any:
        if code in self.known:
            return self.known[code]
        message = self.unknown.get(code)
        if message is None:
            try:
                self.known[code] = self.lookup(code)
                return self.known[code]
            except UnknownCodeError as exc:
                message = self.unknown[code] = str(exc).split(":")[0]
        problems.add(lineno, column, code, message, fix)
        return None


def integer(problems: Problems, lineno: int, column: str, text: str, low: int, high: int) -> int | None:
    """An integer in [low, high] from a cell ('2025', '2025.0'), or None after recording a problem."""
    match = _WHOLE.fullmatch(text.strip())
    if match is None or not low <= int(match.group(1)) <= high:
        problems.add(lineno, column, text, f"not a whole number from {low} to {high}", "fix the cell")
        return None
    return int(match.group(1))


def this_month(today: date | None = None) -> tuple[int, int]:
    today = today or date.today()
    return today.year, today.month


def year(problems: Problems, lineno: int, column: str, text: str, first: int, series: str) -> int | None:
    """A data year from `first` (the start of the `series`) to this year, or None after recording a problem."""
    last = this_month()[0]
    match = _WHOLE.fullmatch(text.strip())
    if match is None or not first <= int(match.group(1)) <= last:
        problems.add(
            lineno,
            column,
            text,
            f"not a year from {first} ({series}) to {last}",
            "fix the cell; a year after this one cannot be in an official file",
        )
        return None
    return int(match.group(1))


@dataclass
class Newest:
    """The newest period of a file's data and the row holding it: the default vintage, and the check that no
    figure is newer than the vintage it is loaded at (a release cannot hold later data)."""

    period: tuple[int, int] = (0, 0)
    row: int | None = None
    column: str | None = None

    def see(self, year: int, month: int | None, row: int | None, column: str | None) -> None:
        """Note a figure of `year` (`month` None: the whole year, complete in December)."""
        period = (year, month or 12)
        if period > self.period:
            self.period, self.row, self.column = period, row, column

    @property
    def label(self) -> str:
        return f"{self.period[0]:04d}-{self.period[1]:02d}"


def check_newest(problems: Problems, newest: Newest, vintage: str) -> None:
    """A problem, on the row holding it, when the newest period is after the vintage (or after this month)."""
    now = "{:04d}-{:02d}".format(*this_month())
    limit, against = (vintage[:7], f"the vintage {vintage}") if vintage[:7] <= now else (now, "this month")
    if newest.period != (0, 0) and newest.label > limit:
        problems.add(
            newest.row,
            newest.column,
            newest.label,
            f"data for {newest.label} are after {against}: a release cannot hold later figures",
            "check the year and month of this row, and give the release month with --vintage",
        )


def check_vintage_given(vintage: str) -> str:
    """A --vintage that is a date and not after this month (a release cannot come from the future)."""
    now = "{:04d}-{:02d}".format(*this_month())
    if check_vintage(vintage)[:7] > now:
        raise InputError(f"--vintage {vintage} is after this month ({now}): give the month the data were released")
    return vintage


def finish_batch(
    problems: Problems,
    columns: dict[str, list[Any]],
    *,
    source: str,
    target: str,
    origin: str,
    checksum: str,
    vintage: str | None,
    newest: Newest,
    reason: str,
    inferred: str | None = None,
) -> Batch:
    """The Batch a parse ends with: ValidationFailed listing every problem, else the rows with the problems'
    warnings, at `vintage` or, when none is given, at `inferred` (default: the newest data period) with a
    warning naming `reason`. Data newer than the vintage or this month is a problem, so a mistyped year never
    becomes a vintage."""
    if vintage is not None:
        check_vintage_given(vintage)
    chosen = vintage or inferred or newest.label
    check_newest(problems, newest, chosen)
    problems.raise_if_any()
    if vintage is None:
        problems.warn(None, None, f"no --vintage given; using {chosen} ({reason})")
    return Batch.from_columns(
        source=source,
        target=target,
        origin=origin,
        checksum=checksum,
        vintage=chosen,
        columns=columns,
        warnings=problems.warnings,
    )


def file_batch(
    path: Path,
    problems: Problems,
    columns: dict[str, list[Any]],
    *,
    source: str,
    target: str,
    vintage: str | None,
    newest: Newest,
    reason: str,
    inferred: str | None = None,
) -> Batch:
    """`finish_batch` for rows read from one file: the origin is the path, the checksum the file's."""
    return finish_batch(
        problems,
        columns,
        source=source,
        target=target,
        origin=str(path),
        checksum=file_checksum(path),
        vintage=vintage,
        newest=newest,
        reason=reason,
        inferred=inferred,
    )


def read_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and all (line number, cells) rows of a CSV file, read at once so the file is closed."""
    header, rows = read_rows(path)
    return header, list(rows)


def read_json(path: Path) -> Any:
    """A JSON document, or an error naming the line and column where it breaks (e.g. a truncated file)."""
    require_file(path)
    try:
        with path.open(encoding="utf-8-sig") as handle:
            return parse_json(handle.read())
    except json.JSONDecodeError as exc:
        raise SourceFormatError(
            Problem(
                str(path),
                exc.lineno,
                None,
                None,
                f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                "the file is truncated or corrupted; download it again",
            )
        ) from None
    except UnicodeDecodeError as exc:
        raise SourceFormatError(
            Problem(str(path), None, None, None, f"not UTF-8 text: {exc.reason}", "save the file as UTF-8")
        ) from None
    except ValueError as exc:
        raise SourceFormatError(
            Problem(str(path), None, None, None, f"not usable JSON: {exc}", "download the file again")
        ) from None


def parse_json(text: str | bytes) -> Any:
    """`json.loads` that refuses what no official API sends: NaN/Infinity, and nesting deep enough to exhaust
    the stack (ValueError, like any other malformed JSON)."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("nested too deeply to be a data file (more than the interpreter's recursion limit)") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
