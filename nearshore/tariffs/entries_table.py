"""Entry lines from an Arrow table of text cells (a CSV file), checked column by column.

The same checks and the same problems as `entries.entries_from_columns`, in the same order, without a Python
object per cell: text columns are checked once per distinct value (dictionary encoding), numbers that are plainly
numbers are cast by Arrow, and only the cells that fail (or that need the full number rules) go through the
per-cell Python checks, which name the row, column, value and fix.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from nearshore.arrow import blank, dictionary_codes, from_numpy, literal, to_numpy
from nearshore.errors import Problem, SourceFormatError
from nearshore.tariffs.duty import HTS_FIX, ORIGIN_FIX, hts_problem, origin_problem
from nearshore.tariffs.entries import (
    OPTIONAL,
    REQUIRED,
    Entries,
    Floats,
    check_amounts,
    check_shape,
    csv_table,
    entries_from_columns,
    floats,
    invalid_entries,
    json_columns,
    yes_no,
)

# a cell Arrow casts exactly as the per-cell rules read it: digits, an optional point and decimals (below 1e15)
_PLAIN_NUMBER = r"^[0-9]{1,15}(\.[0-9]{1,17})?$"
_EPOCH = date(1970, 1, 1)


def entries_from_table(table: Any, file: str) -> Entries:
    """Entry lines from a table of text columns; every bad cell is reported at once (ValidationFailed). The
    columns are checked on worker threads (Arrow's kernels let go of the GIL), each into its own list of
    problems, listed in the order of the columns as the per-cell path lists them."""
    from concurrent.futures import ThreadPoolExecutor

    n = table.num_rows
    check_shape([c for c in REQUIRED if c not in table.column_names], n, file)

    def text(name: str) -> Any:
        if name not in table.column_names:
            return blank(n)
        column = table.column(name).combine_chunks()
        return column.fill_null(literal("")) if column.null_count else column

    def number(name: str, found: list[Problem]) -> Floats:  # an optional amount: not given, every cell NaN
        return _numbers(text(name), name, found, file) if name in table.column_names else np.full(n, np.nan)

    def said(name: str, found: list[Problem]) -> npt.NDArray[np.int8]:  # yes/no not given: -1 on every row
        return _yes_no(text(name), name, found, file) if name in table.column_names else np.full(n, -1, np.int8)

    hts, origin, on = text("hts"), text("origin"), text("date")
    codes: dict[str, tuple[npt.NDArray[np.int64], list[str]]] = {}
    checks: dict[str, Callable[[list[Problem]], Any]] = {
        "date": lambda found: _dates(on, found, file, codes),
        "value": lambda found: _numbers(text("value"), "value", found, file, required=True),
        "quantity": lambda found: number("quantity", found),
        "metal_value": lambda found: number("metal_value", found),
        "us_content": lambda found: number("us_content", found),
        "usmca": lambda found: said("usmca", found),
        "auto_part": lambda found: said("auto_part", found),
        "hts": lambda found: _codes(hts, "hts", hts_problem, HTS_FIX, found, file),
        "origin": lambda found: _codes(origin, "origin", origin_problem, ORIGIN_FIX, found, file),
    }
    found: dict[str, list[Problem]] = {name: [] for name in checks}
    with ThreadPoolExecutor(2, thread_name_prefix="entries") as pool:
        running = {name: pool.submit(check, found[name]) for name, check in checks.items()}
        done = {name: future.result() for name, future in running.items()}
    codes["hts"], codes["origin"] = done["hts"], done["origin"]
    for name in ("unit", "program"):
        if name not in table.column_names:  # every cell empty
            codes[name] = (np.zeros(n, dtype=np.int64), [""] if n else [])
    result = Entries(
        hts=hts,
        origin=origin,
        on=done["date"],
        value=done["value"],
        quantity=done["quantity"],
        metal_value=done["metal_value"],
        us_content=done["us_content"],
        usmca=done["usmca"] == 1,
        unit=text("unit"),
        program=text("program"),
        auto_part=done["auto_part"],
        codes=codes,
    )
    problems = [p for name in list(checks)[:7] for p in found[name]]
    check_amounts(result, problems, file)
    problems += found["hts"] + found["origin"]
    if problems:
        raise invalid_entries(problems)
    return result


def read_entries(path: Path) -> Entries:
    """Entry lines from CSV (pyarrow reader) or JSON (a list of objects) with the REQUIRED columns. Whatever
    the file holds, the result is entries or a ValidationFailed naming the file, the row and the fix: a byte
    that is not UTF-8 (on its line), a NUL, a row with more cells than columns, a column twice, a key twice in
    a JSON object, NaN or Infinity in JSON, nesting too deep."""
    from nearshore.data.sources.base import read_text, read_utf8, require_file

    require_file(path)
    file = str(path)
    json = path.suffix.lower() == ".json"
    try:
        data = read_text(path) if json else read_utf8(path)
    except SourceFormatError as exc:
        raise invalid_entries([exc.problem]) from None
    if isinstance(data, str):
        return entries_from_columns(json_columns(data, file), file)
    return entries_from_table(csv_table(data, file), file)


def _distinct(column: Any) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Each row's index into the column's distinct values, and those values."""
    return dictionary_codes(column)


def _rows_of(codes: npt.NDArray[np.int64], bad: list[int]) -> list[int]:
    """The rows (in order) whose value is one of the `bad` distinct values."""
    if not bad:
        return []
    return [int(i) for i in np.flatnonzero(np.isin(codes, np.array(bad, dtype=np.int64)))]


def _dates(
    column: Any, problems: list[Problem], file: str, found: dict[str, tuple[npt.NDArray[np.int64], list[str]]]
) -> Any:
    """The dates as Arrow date32; found["on"]: each row's index into the distinct cells, and their ISO dates."""
    import pyarrow as pa

    codes, values = _distinct(column)
    days = np.zeros(len(values), dtype=np.int32)
    iso, bad = [], []
    for k, value in enumerate(values):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = date.min
            bad.append(k)
        days[k] = (day - _EPOCH).days
        iso.append(day.isoformat())
    for i in _rows_of(codes, bad):
        problems.append(Problem(file, i + 2, "date", values[codes[i]], "not a date", "write it as YYYY-MM-DD"))
    found["on"] = (codes, iso)
    return from_numpy(days[codes]).cast(pa.date32())


def _numbers(column: Any, name: str, problems: list[Problem], file: str, *, required: bool = False) -> Floats:
    """As entries.floats: plain numbers cast by Arrow, empty cells NaN, every other cell by the per-cell rules."""
    import pyarrow as pa
    import pyarrow.compute as pc

    plain = pc.match_substring_regex(column, _PLAIN_NUMBER)
    out = to_numpy(pc.cast(pc.if_else(plain, column, literal(None)), pa.float64()))  # a new array: writable
    empty = to_numpy(pc.equal(column, literal("")))
    if required:
        for i in np.flatnonzero(empty):
            problems.append(Problem(file, int(i) + 2, name, "", "missing", "give the customs value in USD"))
    rest = np.flatnonzero(~to_numpy(plain) & ~empty)
    if len(rest):
        cells = column.take(from_numpy(rest)).to_pylist()
        out[rest] = floats(cells, name, problems, file, rows=[int(i) for i in rest])
    return out


def _yes_no(column: Any, name: str, problems: list[Problem], file: str) -> npt.NDArray[np.int8]:
    """As entries.yes_no per cell: 1 yes, 0 no, -1 not said; anything else is a problem on its row."""
    codes, values = _distinct(column)
    said = np.array([yes_no([], file, 0, v, name) for v in values], dtype=np.int8)
    unclear = [k for k, v in enumerate(values) if said[k] == -1 and v.strip().lower() not in ("", "none")]
    for i in _rows_of(codes, unclear):
        yes_no(problems, file, i, values[codes[i]], name)
    return said[codes] if len(values) else np.zeros(len(codes), dtype=np.int8)


def _codes(
    column: Any,
    name: str,
    check: Callable[[str], str | None],
    fix: str,
    problems: list[Problem],
    file: str,
) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Each distinct code checked once (duty.hts_problem, duty.origin_problem); a problem on every row with it.
    Returns each row's index into the distinct values, and those values."""
    codes, values = _distinct(column)
    found = [check(v) for v in values]
    for i in _rows_of(codes, [k for k, what in enumerate(found) if what]):
        value = values[codes[i]]
        problems.append(Problem(file, i + 2, name, value[:60], found[codes[i]] or "", fix))
    return codes, values


__all__ = ["OPTIONAL", "REQUIRED", "entries_from_table", "read_entries"]
