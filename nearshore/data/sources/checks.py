"""Checks shared by the file sources (dataweb, census-duties, comtrade): row width, codes, vintage, JSON,
and the Batch every parse ends with."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from nearshore.data.batch import Batch, file_checksum
from nearshore.data.sources.base import Problems, read_rows, require_file
from nearshore.errors import Problem, SourceFormatError, UnknownCodeError

T = TypeVar("T")


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
    cleaned = text.strip()
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    if not cleaned.isdigit() or not low <= int(cleaned) <= high:
        problems.add(lineno, column, text, f"not a whole number from {low} to {high}", "fix the cell")
        return None
    return int(cleaned)


def choose_vintage(problems: Problems, vintage: str | None, inferred: str, reason: str) -> str:
    """The given vintage, or the inferred one with a warning saying where it came from."""
    if vintage is not None:
        return vintage
    problems.warn(None, None, f"no --vintage given; using {inferred} ({reason})")
    return inferred


def finish_batch(
    problems: Problems,
    columns: dict[str, list[Any]],
    *,
    source: str,
    target: str,
    origin: str,
    checksum: str,
    vintage: str | None,
    inferred: str,
    reason: str,
) -> Batch:
    """The Batch a parse ends with: ValidationFailed listing every problem, else the rows with the problems'
    warnings, at `vintage` or, when none is given, at `inferred` with a warning naming `reason`."""
    problems.raise_if_any()
    chosen = choose_vintage(problems, vintage, inferred, reason)
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
    inferred: str,
    reason: str,
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
        inferred=inferred,
        reason=reason,
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
            return json.load(handle)
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
