"""Entry lines for batch duty: read from CSV or JSON, every cell checked, as columns (`Entries`).

Every bad cell of a file is reported at once (`ValidationFailed`, "no duty was calculated"), located by row and
column; the columns are REQUIRED and OPTIONAL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from nearshore.errors import Problem, ValidationFailed
from nearshore.tariffs.duty import (
    AMOUNT_LIMIT,
    HTS_FIX,
    ORIGIN_FIX,
    Entry,
    amount_problems,
    amount_text,
    hts_problem,
    origin_problem,
)

REQUIRED = ("hts", "origin", "value", "date")
OPTIONAL = ("quantity", "unit", "usmca", "program", "metal_value", "us_content", "auto_part")
OUTCOME = "no duty was calculated"


def invalid_entries(problems: list[Problem]) -> ValidationFailed:
    """Every problem of the entry file: nothing is written and no duty was calculated."""
    return ValidationFailed(problems, outcome=OUTCOME)


Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Entries:
    """Entry lines as columns: text and dates as Arrow arrays, numbers as numpy (NaN = not given)."""

    hts: Any  # pyarrow string arrays
    origin: Any
    on: Any  # pyarrow date32
    value: Floats
    quantity: Floats
    metal_value: Floats
    us_content: Floats
    usmca: npt.NDArray[np.bool_]
    unit: Any
    program: Any
    auto_part: npt.NDArray[np.int8] | None = None  # 1 yes, 0 no, -1 not said (None: not said for every row)
    # a text column's row codes and distinct values where the reader has them (each column is encoded once)
    codes: dict[str, tuple[npt.NDArray[np.int64], list[str]]] = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.value)

    def entry(self, i: int) -> Entry:
        def opt(a: Floats) -> float | None:
            return None if np.isnan(a[i]) else float(a[i])

        said = -1 if self.auto_part is None else int(self.auto_part[i])
        return Entry(
            self.hts[i].as_py() or "",
            self.origin[i].as_py() or "",
            float(self.value[i]),
            self.on[i].as_py(),
            opt(self.quantity),
            self.unit[i].as_py() or None,
            bool(self.usmca[i]),
            self.program[i].as_py() or None,
            opt(self.metal_value),
            opt(self.us_content),
            None if said < 0 else bool(said),
        )


def _problem(file: str, row: int | None, column: str | None, value: object, what: str, fix: str) -> ValidationFailed:
    return invalid_entries([Problem(file, row, column, None if value is None else str(value)[:60], what, fix)])


def json_columns(text: str, file: str) -> dict[str, list[Any]]:
    import json

    fix = "write a list of objects with hts, origin, value, date"
    try:
        records = json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise _problem(file, None, None, None, "is nested too deeply to be an entry file", fix) from None
    except json.JSONDecodeError as exc:
        what = f"not readable JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        raise _problem(file, exc.lineno, None, None, what, fix) from None
    except ValueError as exc:
        raise _problem(file, None, None, None, f"not usable JSON: {exc}", fix) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise _problem(file, None, None, type(records).__name__, "expected a list of entry objects", fix)
    return {name: [r.get(name) for r in records] for name in (*REQUIRED, *OPTIONAL)}


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number; give a number or leave the field out")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise ValueError(f"key {twice[0]!r} is given twice in one entry (JSON would keep the last); keep one")
    return dict(pairs)


def _lines(data: bytes) -> Iterator[str]:
    """The lines of UTF-8 bytes with their "\n", one at a time, as iterating io.StringIO over their text gives
    them (without decoding the whole file: the header of a large file is read from its first line)."""
    start = 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end + 1
        yield data[start:end].decode("utf-8")
        start = end


BLOCK = 1 << 24  # bytes of CSV parsed a block at a time: Arrow's default (1 MB) makes ~45 chunks of a 1M-line
# file, each column then combined into one array; 16 MB blocks are parsed in parallel too and cost less to combine


def csv_table(data: bytes, file: str) -> Any:
    """The CSV (UTF-8 bytes, checked: base.read_utf8) as an Arrow table, the known columns as text (every cell
    is checked afterwards)."""
    import csv
    import io

    import pyarrow as pa
    import pyarrow.csv as pacsv

    header = [h.strip() for h in next(csv.reader(_lines(data)), [])]
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if twice:
        raise _problem(file, 1, twice[0], None, "is a column twice", "keep one column of each name")
    bad: list[Problem] = []
    lines: list[str] = []  # the file's lines, split on the first row Arrow gives no number for
    after: dict[str, int] = {}  # per row text, the index after the line it was last found on

    def line_of(text: str) -> int | None:
        """The line of a row Arrow gives no number for (blocks parsed in parallel): the next line with its text
        after the one found for it last, so that rows with the same text are each on their own line."""
        if not lines:
            lines.extend(data.decode("utf-8").splitlines())
        number = next((n for n in range(after.get(text, 0), len(lines)) if lines[n] == text), None)
        if number is not None:
            after[text] = number + 1
        return None if number is None else number + 1

    def invalid(row: Any) -> str:
        what = f"has {row.actual_columns} cells for {row.expected_columns} columns"
        number = row.number or line_of(row.text or "")
        bad.append(Problem(file, number, None, (row.text or "")[:60], what, "quote cells that hold commas"))
        return "skip"

    known = set(REQUIRED) | set(OPTIONAL)
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(block_size=BLOCK),
            parse_options=pacsv.ParseOptions(invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(column_types={h: pa.string() for h in header if h in known}),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        fix = "save the entry file as CSV (comma-separated, UTF-8) with a header row"
        raise _problem(file, None, None, None, f"not a readable CSV file: {exc}", fix) from None
    if bad:
        raise invalid_entries(sorted(bad, key=lambda p: p.row or 0))  # in file order, as parsed in parallel
    return table


def yes_no(problems: list[Problem], file: str, i: int, value: Any, column: str = "auto_part") -> int:
    """1 yes, 0 no, -1 not said; anything else ('maybe') is a problem, never read as no."""
    text = "" if value is None else str(value).strip().lower()
    if text in ("", "none"):
        return -1
    if text in ("1", "true", "yes", "y"):
        return 1
    if text in ("0", "false", "no", "n"):
        return 0
    problems.append(Problem(file, i + 2, column, str(value)[:60], "not yes/no", "write 1 or 0 (or leave empty)"))
    return -1


def entries_from_columns(columns: dict[str, list[Any]], file: str = "entries") -> Entries:
    """Entry lines from columns of cells (None or "" for an empty cell); every bad cell is reported at once."""
    import pyarrow as pa

    _check_columns(columns, file)
    n = len(columns["hts"])
    problems: list[Problem] = []

    def cells(name: str) -> list[Any]:
        return columns.get(name) or [None] * n

    def text(name: str) -> Any:
        return pa.array([str(v or "") for v in cells(name)], pa.string())

    result = Entries(
        hts=text("hts"),
        origin=text("origin"),
        on=pa.array(_dates(columns["date"], problems, file), pa.date32()),
        value=floats(cells("value"), "value", problems, file, required=True),
        quantity=floats(cells("quantity"), "quantity", problems, file),
        metal_value=floats(cells("metal_value"), "metal_value", problems, file),
        us_content=floats(cells("us_content"), "us_content", problems, file),
        usmca=np.array([yes_no(problems, file, i, v, "usmca") == 1 for i, v in enumerate(cells("usmca"))], dtype=bool),
        unit=text("unit"),
        program=text("program"),
        auto_part=np.array([yes_no(problems, file, i, v) for i, v in enumerate(cells("auto_part"))], dtype=np.int8),
    )
    check_amounts(result, problems, file)
    _check_codes(columns, problems, file)
    if problems:
        raise invalid_entries(problems)
    return result


def _check_columns(columns: dict[str, list[Any]], file: str) -> None:
    """The required columns are there and the file has entry lines."""
    missing = [c for c in REQUIRED if c not in columns or (columns[c] and all(v is None for v in columns[c]))]
    check_shape(missing, len(columns["hts"]) if "hts" in columns else 0, file)


def check_shape(missing: list[str], lines: int, file: str) -> None:
    """No required column is `missing` and there are entry lines."""
    fix = f"the columns are {', '.join(REQUIRED)} and optionally {', '.join(OPTIONAL)}"
    if missing:
        raise invalid_entries([Problem(file, 1, c, None, "required column missing", fix) for c in missing])
    if not lines:
        fix = "add one line per entry (hts, origin, value, date)"
        raise invalid_entries([Problem(file, None, None, None, "no entry lines", fix)])


def _check_codes(columns: dict[str, list[Any]], problems: list[Problem], file: str) -> None:
    """Each HTS cell is digits (with dots) and each origin a name or code, per row (duty.hts_problem)."""
    for i, hts in enumerate(columns["hts"]):
        problem = hts_problem(str(hts or ""))
        if problem:
            problems.append(Problem(file, i + 2, "hts", str(hts)[:60], problem, HTS_FIX))
    for i, origin in enumerate(columns["origin"]):
        problem = origin_problem(str(origin or ""))
        if problem:
            problems.append(Problem(file, i + 2, "origin", str(origin)[:60], problem, ORIGIN_FIX))


def _dates(cells: list[Any], problems: list[Problem], file: str) -> list[date]:
    dates = []
    for i, text in enumerate(cells):
        try:
            dates.append(date.fromisoformat(str(text)))
        except ValueError:
            problems.append(Problem(file, i + 2, "date", str(text), "not a date", "write it as YYYY-MM-DD"))
            dates.append(date.min)
    return dates


def floats(
    cells: list[Any],
    name: str,
    problems: list[Problem],
    file: str,
    *,
    required: bool = False,
    rows: list[int] | None = None,
) -> Floats:
    """The column as numbers, NaN where empty (a problem when `required`) or not a number (a problem). A text
    cell must be a plain number (ASCII digits, a point, thousands commas as a spreadsheet writes them); a
    JSON number is taken as it is (duty.amount_problems refuses one that is not finite). `rows`: the row
    index of each cell (default: its position)."""
    from nearshore.data.sources.base import Problems, number

    out = np.full(len(cells), np.nan)
    collected = Problems(file)
    for k, v in enumerate(cells):
        i = k if rows is None else rows[k]
        if v is None or v == "":
            if required:
                problems.append(Problem(file, i + 2, name, "", "missing", "give the customs value in USD"))
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            problems.append(Problem(file, i + 2, name, str(v)[:60], "not a number", "fix the cell"))
        elif isinstance(v, str):
            value = number(collected, i + 2, name, v, negative=True, fix="write a plain number, e.g. 10000")
            out[k] = np.nan if value is None else value
        elif isinstance(v, int) and abs(v) >= 10**300:
            problems.append(Problem(file, i + 2, name, str(v)[:60], "not a finite amount", "fix the cell"))
        else:
            out[k] = float(v)
    problems.extend(collected.items)
    return out


def check_amounts(entries: Entries, problems: list[Problem], file: str) -> None:
    """Amounts that are infinite or above AMOUNT_LIMIT, negative amounts, and metal or U.S. content above the
    customs value (duty.amount_problems), per row; a row whose value is missing or unreadable is reported so
    already (NaN there means 'not given')."""

    def opt(a: Floats, i: int) -> float | None:
        return None if np.isnan(a[i]) else float(a[i])

    value = entries.value
    amounts = (value, entries.quantity, entries.metal_value, entries.us_content)
    with np.errstate(invalid="ignore"):
        huge = np.logical_or.reduce([np.abs(a) >= AMOUNT_LIMIT for a in amounts])  # inf included, NaN not
        suspect = ~np.isnan(value) & (
            huge
            | (value < 0)
            | (entries.quantity < 0)
            | (entries.metal_value < 0)
            | (entries.us_content < 0)
            | (entries.metal_value > value)
            | (entries.us_content > value)
        )
    for i in map(int, np.flatnonzero(suspect)):
        for name, amount, what, fix in amount_problems(
            float(value[i]), opt(entries.quantity, i), opt(entries.metal_value, i), opt(entries.us_content, i)
        ):
            problems.append(Problem(file, i + 2, name, amount_text(amount), what, fix))


__all__ = [
    "OPTIONAL",
    "OUTCOME",
    "REQUIRED",
    "Entries",
    "Floats",
    "check_amounts",
    "check_shape",
    "csv_table",
    "entries_from_columns",
    "floats",
    "invalid_entries",
    "json_columns",
    "yes_no",
]
