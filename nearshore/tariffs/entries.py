"""Entry lines for batch duty: read from CSV or JSON, every cell checked, as columns (`Entries`).

Every bad cell of a file is reported at once (`ValidationFailed`, "no duty was calculated"), located by row and
column; the columns are REQUIRED and OPTIONAL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from nearshore.errors import Problem, ValidationFailed
from nearshore.tariffs.duty import Entry, amount_problems, amount_text

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


def read_entries(path: Path) -> Entries:
    """Entry lines from CSV (pyarrow reader) or JSON (a list of objects) with the REQUIRED columns."""
    from nearshore.data.sources.base import require_file

    require_file(path)
    if path.suffix.lower() == ".json":
        import json

        try:
            records = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise invalid_entries(
                [
                    Problem(
                        str(path),
                        None,
                        None,
                        None,
                        f"not readable JSON: {exc}",
                        "write a list of objects with hts, origin, value, date",
                    )
                ]
            ) from None
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise invalid_entries(
                [
                    Problem(
                        str(path),
                        None,
                        None,
                        type(records).__name__,
                        "expected a list of entry objects",
                        "write a list of objects with hts, origin, value, date",
                    )
                ]
            )
        columns = {name: [r.get(name) for r in records] for name in (*REQUIRED, *OPTIONAL)}
    else:
        import pyarrow.csv as pacsv

        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types={
                    "hts": "string",
                    "origin": "string",
                    "date": "string",
                    "unit": "string",
                    "program": "string",
                    "usmca": "string",
                    "auto_part": "string",
                }
            ),
        )
        columns = {
            name: table.column(name).to_pylist() for name in (*REQUIRED, *OPTIONAL) if name in table.column_names
        }
    return entries_from_columns(columns, str(path))


def _yes_no(problems: list[Problem], file: str, i: int, value: Any) -> int:
    text = "" if value is None else str(value).strip().lower()
    if text in ("", "nan", "none"):
        return -1
    if text in ("1", "true", "yes", "y"):
        return 1
    if text in ("0", "false", "no", "n"):
        return 0
    problems.append(Problem(file, i + 2, "auto_part", str(value), "not yes/no", "write 1 or 0 (or leave empty)"))
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
        value=_floats(cells("value"), "value", problems, file, required=True),
        quantity=_floats(cells("quantity"), "quantity", problems, file),
        metal_value=_floats(cells("metal_value"), "metal_value", problems, file),
        us_content=_floats(cells("us_content"), "us_content", problems, file),
        usmca=np.array([str(v).strip().lower() in ("1", "true", "yes", "y") for v in cells("usmca")], dtype=bool),
        unit=text("unit"),
        program=text("program"),
        auto_part=np.array([_yes_no(problems, file, i, v) for i, v in enumerate(cells("auto_part"))], dtype=np.int8),
    )
    _check_amounts(result, problems, file)
    if problems:
        raise invalid_entries(problems)
    return result


def _check_columns(columns: dict[str, list[Any]], file: str) -> None:
    """The required columns are there and the file has entry lines."""
    missing = [c for c in REQUIRED if c not in columns or (columns[c] and all(v is None for v in columns[c]))]
    fix = f"the columns are {', '.join(REQUIRED)} and optionally {', '.join(OPTIONAL)}"
    if missing:
        raise invalid_entries([Problem(file, 1, c, None, "required column missing", fix) for c in missing])
    if not columns["hts"]:
        fix = "add one line per entry (hts, origin, value, date)"
        raise invalid_entries([Problem(file, None, None, None, "no entry lines", fix)])


def _dates(cells: list[Any], problems: list[Problem], file: str) -> list[date]:
    dates = []
    for i, text in enumerate(cells):
        try:
            dates.append(date.fromisoformat(str(text)))
        except ValueError:
            problems.append(Problem(file, i + 2, "date", str(text), "not a date", "write it as YYYY-MM-DD"))
            dates.append(date.min)
    return dates


def _floats(cells: list[Any], name: str, problems: list[Problem], file: str, *, required: bool = False) -> Floats:
    """The column as numbers, NaN where empty (a problem when `required`) or not a number (a problem)."""
    out = np.full(len(cells), np.nan)
    for i, v in enumerate(cells):
        if v is None or v == "":
            if required:
                problems.append(Problem(file, i + 2, name, "", "missing", "give the customs value in USD"))
            continue
        try:
            out[i] = float(v)
        except (TypeError, ValueError):
            problems.append(Problem(file, i + 2, name, str(v), "not a number", "fix the cell"))
    return out


def _check_amounts(entries: Entries, problems: list[Problem], file: str) -> None:
    """Negative amounts, and metal or U.S. content above the customs value (duty.amount_problems), per row."""

    def opt(a: Floats, i: int) -> float | None:
        return None if np.isnan(a[i]) else float(a[i])

    value = entries.value
    with np.errstate(invalid="ignore"):
        suspect = (
            (value < 0)
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
    "entries_from_columns",
    "invalid_entries",
    "read_entries",
]
