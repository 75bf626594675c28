"""A bilateral trade panel for gravity work: read from a CSV or Parquet file, checked, held as numpy arrays.

The file has one row per exporter x importer x year, with the trade flow and the trade-cost variables in columns
the caller names (`Columns`). Every value is checked before anything is estimated or simulated: a missing column,
a value that is not a number, a negative or missing trade flow, a duplicated flow, each is reported with the file,
row and column, and nothing is computed. Row numbers count the header as row 1 in a CSV file; in a Parquet file
they are 1-based positions.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from nearshore.analytics.result import Provenance
from nearshore.data.sources.base import Problems, require_file
from nearshore.errors import InputError, ValidationFailed

FloatArray = npt.NDArray[np.float64]
TextArray = npt.NDArray[np.str_]
IntArray = npt.NDArray[np.int64]

NUMBER: Final = r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$"
MISSING: Final = ("", "NA", "NaN", "nan", "null", "NULL", ".")
MAX_PROBLEMS_PER_COLUMN: Final = 5
OUTCOME: Final = "nothing was estimated or simulated"


@dataclass(frozen=True)
class Columns:
    """Which column of the file holds what. `pair` None: the pair is the unordered pair of countries (so
    trade both ways shares one pair fixed effect and one cluster, as in Yotov et al. 2016)."""

    exporter: str = "exporter"
    importer: str = "importer"
    year: str = "year"
    trade: str = "trade"
    pair: str | None = None

    def options(self) -> dict[str, str]:
        """The CLI option that names each column, for error messages."""
        return {
            self.exporter: "--exporter-col",
            self.importer: "--importer-col",
            self.year: "--year-col",
            self.trade: "--trade-col",
            **({self.pair: "--pair-col"} if self.pair else {}),
        }


@dataclass(frozen=True)
class Panel:
    """Validated trade flows. `variables` holds the numeric columns asked for (trade-cost variables, output,
    expenditure); `origin` is the file (or store) it came from."""

    exporter: TextArray
    importer: TextArray
    year: IntArray
    trade: FloatArray
    pair: TextArray
    variables: Mapping[str, FloatArray]
    origin: str
    columns: Columns = field(default_factory=Columns)
    provenance: Provenance = field(default_factory=Provenance)

    def __len__(self) -> int:
        return len(self.trade)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(int(y) for y in np.unique(self.year))

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(str(c) for c in np.unique(np.concatenate([self.exporter, self.importer])))

    def variable(self, name: str) -> FloatArray:
        try:
            return self.variables[name]
        except KeyError:
            raise InputError(
                f"{self.origin}: no variable {name!r} was read; variables: {', '.join(self.variables) or 'none'}"
            ) from None

    def select(self, keep: npt.NDArray[np.bool_]) -> Panel:
        """The rows where `keep` is true."""
        return Panel(
            exporter=self.exporter[keep],
            importer=self.importer[keep],
            year=self.year[keep],
            trade=self.trade[keep],
            pair=self.pair[keep],
            variables={k: v[keep] for k, v in self.variables.items()},
            origin=self.origin,
            columns=self.columns,
            provenance=self.provenance,
        )

    def with_variables(self, extra: Mapping[str, FloatArray]) -> Panel:
        return Panel(
            self.exporter,
            self.importer,
            self.year,
            self.trade,
            self.pair,
            {**self.variables, **extra},
            self.origin,
            self.columns,
            self.provenance,
        )


def read_panel(path: Path, columns: Columns | None = None, variables: Sequence[str] = ()) -> Panel:
    """Read and check a trade panel from a CSV or Parquet file; raise ValidationFailed listing every problem."""
    columns = columns or Columns()
    codes = [columns.exporter, columns.importer, *([columns.pair] if columns.pair else [])]
    numbers = [columns.year, columns.trade, *variables]
    text, values, first_row = read_columns(path, codes, numbers, columns.options(), _check(columns))
    exporter, importer = text[columns.exporter], text[columns.importer]
    pair = text[columns.pair] if columns.pair else unordered_pairs(exporter, importer)
    panel = Panel(
        exporter=exporter,
        importer=importer,
        year=values[columns.year].astype(np.int64),
        trade=values[columns.trade],
        pair=pair,
        variables={name: values[name] for name in variables},
        origin=str(path),
        columns=columns,
        provenance=Provenance(sources=(str(path),), notes=(f"{len(exporter):,} flows read from {path.name}",)),
    )
    check_unique(panel, first_row)
    return panel


def read_columns(
    path: Path,
    codes: Sequence[str],
    numbers: Sequence[str],
    options: Mapping[str, str],
    check: Callable[[dict[str, FloatArray], int, Problems], None] | None = None,
) -> tuple[dict[str, TextArray], dict[str, FloatArray], int]:
    """Code columns as text and number columns as floats, every problem collected (then `check`, for
    rules on the values), and the row number of the first data row; raise ValidationFailed."""
    require_file(path)
    wanted = list(dict.fromkeys([*codes, *numbers]))
    table = _read(path, wanted, list(codes), options)
    problems = Problems(str(path))
    first_row = 2 if path.suffix.lower() != ".parquet" else 1
    text = {name: _codes(table, name, first_row, problems) for name in codes}
    values = {name: _numbers(table, name, first_row, problems) for name in numbers}
    if check is not None:
        check(values, first_row, problems)
    if problems.items:
        raise ValidationFailed(problems.items, outcome=OUTCOME)
    return text, values, first_row


def _check(columns: Columns) -> Callable[[dict[str, FloatArray], int, Problems], None]:
    def check(values: dict[str, FloatArray], first_row: int, problems: Problems) -> None:
        _check_trade(values[columns.trade], columns.trade, first_row, problems)
        _check_years(values[columns.year], columns.year, first_row, problems)

    return check


def unordered_pairs(exporter: TextArray, importer: TextArray) -> TextArray:
    """'CAN-USA' for both CAN->USA and USA->CAN."""
    first = exporter <= importer
    low = np.where(first, exporter, importer)
    high = np.where(first, importer, exporter)
    return np.char.add(np.char.add(low, "-"), high)


def check_unique(panel: Panel, first_row: int = 2) -> None:
    """One row per exporter x importer x year, or an error naming the duplicated rows."""
    names, codes = np.unique(np.concatenate([panel.exporter, panel.importer]), return_inverse=True)
    n = len(panel)
    years, year_codes = np.unique(panel.year, return_inverse=True)
    keys = (codes[:n] * len(names) + codes[n:]) * len(years) + year_codes
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    if (counts == 1).all():
        return
    problems = Problems(panel.origin)
    rows = [int(i) for i in np.flatnonzero(counts[inverse] > 1)]
    for row in rows[: MAX_PROBLEMS_PER_COLUMN * 2]:
        flow = f"{panel.exporter[row]}->{panel.importer[row]} {panel.year[row]}"
        problems.add(row + first_row, None, flow, "this flow appears more than once", "keep one row per flow")
    raise ValidationFailed(problems.items, outcome=OUTCOME)


def _read(path: Path, wanted: list[str], codes: list[str], options: Mapping[str, str]) -> pa.Table:
    header = header_of(path)
    missing = [name for name in wanted if name not in header]
    if missing:
        problems = Problems(str(path))
        for name in missing:
            how = f"name the column with {options[name]}" if name in options else "add it to the file"
            problems.add(None, name, None, "missing column", f"the file has: {', '.join(header)}; {how}")
        raise ValidationFailed(problems.items, outcome=OUTCOME)
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path, columns=wanted)
    from pyarrow import csv as pacsv

    try:
        return pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                include_columns=wanted,
                column_types={name: pa.string() for name in codes},
                null_values=[],  # every text reaches the checks, which name it ("n/a", "NA", "")
            ),
        )
    except pa.ArrowInvalid as exc:
        raise InputError(f"{path}: not a readable CSV file: {exc}. Save it as comma-separated UTF-8 text") from None


def header_of(path: Path) -> list[str]:
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(path).names)
        except (pa.ArrowInvalid, OSError) as exc:
            raise InputError(f"{path}: not a readable Parquet file: {exc}") from None
    opener: Any = open
    if path.suffix.lower() == ".gz":
        import gzip

        opener = gzip.open
    with opener(path, "rt", newline="", encoding="utf-8-sig") as handle:
        try:
            return [name.strip() for name in next(csv.reader(handle))]
        except (StopIteration, UnicodeDecodeError, csv.Error) as exc:
            raise InputError(f"{path}: no readable header row ({exc or 'empty file'})") from None


def _codes(table: pa.Table, name: str, first_row: int, problems: Problems) -> TextArray:
    values = pc.utf8_trim_whitespace(pc.cast(table.column(name), pa.string()))
    text = np.asarray(pc.coalesce(values, pa.scalar("")).to_numpy(zero_copy_only=False), dtype=str)
    for row in np.flatnonzero(text == "")[:MAX_PROBLEMS_PER_COLUMN]:
        problems.add(int(row) + first_row, name, "", "empty country code", "fill in the ISO3 code")
    return text


def _numbers(table: pa.Table, name: str, first_row: int, problems: Problems) -> FloatArray:
    column = table.column(name)
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        values = np.asarray(pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
        for row in np.flatnonzero(~np.isfinite(values))[:MAX_PROBLEMS_PER_COLUMN]:
            shown = "" if np.isnan(values[row]) else str(values[row])
            problems.add(int(row) + first_row, name, shown, "missing or infinite value", "fill it in (0 for no trade)")
        return values
    text = pc.coalesce(pc.utf8_trim_whitespace(pc.cast(column, pa.string())), pa.scalar(""))
    missing = pc.is_in(text, value_set=pa.array(MISSING)).to_numpy(zero_copy_only=False)
    numeric = pc.match_substring_regex(text, NUMBER).to_numpy(zero_copy_only=False)
    bad = np.flatnonzero(~numeric)
    for row in bad[:MAX_PROBLEMS_PER_COLUMN]:
        value = text[int(row)].as_py()
        if missing[row]:
            problems.add(int(row) + first_row, name, value, "missing value", "fill it in (0 for no trade)")
        else:
            problems.add(int(row) + first_row, name, value, "not a number", "write plain numbers, e.g. 1234.5")
    if len(bad) > MAX_PROBLEMS_PER_COLUMN:
        problems.add(None, name, None, f"{len(bad) - MAX_PROBLEMS_PER_COLUMN} more rows are not numbers")
    cleaned = pc.if_else(pa.array(numeric), text, "nan")
    return np.asarray(pc.cast(cleaned, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)


def _check_trade(trade: FloatArray, name: str, first_row: int, problems: Problems) -> None:
    negative = np.flatnonzero(trade < 0)
    for row in negative[:MAX_PROBLEMS_PER_COLUMN]:
        problems.add(
            int(row) + first_row,
            name,
            f"{trade[row]:g}",
            "negative trade flow",
            "trade values are >= 0 (0 for no trade); check the sign or the column",
        )
    if len(negative) > MAX_PROBLEMS_PER_COLUMN:
        problems.add(None, name, None, f"{len(negative) - MAX_PROBLEMS_PER_COLUMN} more negative trade flows")


def _check_years(year: FloatArray, name: str, first_row: int, problems: Problems) -> None:
    odd = np.flatnonzero(np.isfinite(year) & ((year != np.round(year)) | (year < 1000) | (year > 3000)))
    for row in odd[:MAX_PROBLEMS_PER_COLUMN]:
        problems.add(int(row) + first_row, name, f"{year[row]:g}", "not a year", "write years as e.g. 2006")


__all__ = ["Columns", "Panel", "check_unique", "header_of", "read_columns", "read_panel", "unordered_pairs"]
