"""A portfolio of bills of materials with their annual volumes and unit values, read in bulk.

- one JSON-lines file (`.jsonl`, `.ndjson`) or Parquet file (`.parquet`): one BOM per line (row) with the keys
  of a BOM document (`good`, `materials`, optional `vehicle`, `rule`) plus `id`, `annual_volume` (units a
  year), `unit_value` (U.S. dollars a unit; default the good's transaction value when it is in USD) and optional
  `hts` (the HTS line the good enters under; default `good.hs` when it has 8 or 10 digits); see records.py;
- a folder of BOM files (YAML/JSON/CSV, read by the origin engine's own reader) with `volumes.csv` beside them
  (`file,annual_volume,unit_value[,hts]`).

`vehicle.labour.plants` (a list of `{wage_usd, high_wage_labour, high_wage_materials, high_wage_transport}`)
lets a wage-rate change decide which plants count (Holding.at_wage). Every problem of every record is reported
(up to 200) with its line and field; nothing is determined on a file with problems.
"""

from __future__ import annotations

import csv
import gc
import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

from nearshore.errors import InputError, Problem, ValidationFailed
from nearshore.scenarios.rules.holding import Holding
from nearshore.scenarios.rules.records import RecordReader

OUTCOME: Final = "nothing was determined"
MAX_PROBLEMS: Final = 200
Span = tuple[int, int | None, int]  # start byte, end byte (None: the end), number of the first line


def read_portfolio(path: Path) -> list[Holding]:
    """Every BOM of the portfolio at `path`, or ValidationFailed listing the problems (nothing determined)."""
    if path.is_dir():
        return _folder(path)
    records = read_records(str(path), portfolio_rows(path))
    check([records], str(path))
    return records.holdings


def portfolio_kind(path: Path) -> str:
    """ "jsonl" or "parquet" for a portfolio file; InputError for anything else."""
    if not path.is_file():
        raise InputError(
            f"{path}: no such file or folder; give a .jsonl or .parquet file of BOMs, or a folder of BOM files "
            "with volumes.csv",
            file=str(path),
        )
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".parquet":
        return "parquet"
    raise InputError(
        f"{path}: unknown portfolio format {suffix!r}; use .jsonl, .parquet or a folder of BOM files",
        file=str(path),
        value=suffix,
    )


def portfolio_rows(path: Path) -> Iterator[tuple[int, Any]]:
    """(line or row number, parsed record) of each BOM of a JSON-lines or Parquet portfolio file."""
    return jsonl_rows(path) if portfolio_kind(path) == "jsonl" else _parquet(path)


@contextmanager
def bulk() -> Iterator[None]:
    """Keep the cyclic garbage collector off while a portfolio is read and determined: its passes over the
    growing heap of BOMs, materials and determinations (millions of small objects) would cost more than the work.
    On the way out the objects that exist are frozen (`gc.freeze`), so that the collector does not walk them all
    at once afterwards; they hold no reference cycles, and reference counting frees them as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def jsonl_rows(path: Path, span: Span | None = None) -> Iterator[tuple[int, Any]]:
    """(line number, parsed record) of each non-blank line, of the whole file or of one span of it."""
    start, end, first = span or (0, None, 1)
    with path.open("rb") as handle:
        handle.seek(start)
        data = handle.read() if end is None else handle.read(end - start)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = start + exc.start
        raise InputError(f"{path}: is not UTF-8 text (byte {byte:,})", file=str(path), value=str(byte)) from None
    for number, line in enumerate(text.split("\n"), start=first):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, ValueError(f"is not JSON: {exc.msg} at column {exc.colno}")


def spans(path: Path, parts: int) -> list[Span]:
    """About equal byte ranges of a JSON-lines file, each starting at a line, with the number of that line."""
    data = path.read_bytes()
    cuts = [0]
    for k in range(1, parts):
        cut = data.find(b"\n", len(data) * k // parts)
        if cut < 0 or cut + 1 <= cuts[-1]:
            continue
        cuts.append(cut + 1)
    cuts.append(len(data))
    return [(a, b, data.count(b"\n", 0, a) + 1) for a, b in itertools.pairwise(cuts) if b > a]


def _parquet(path: Path) -> Iterator[tuple[int, Any]]:
    import pyarrow.parquet as pq

    # one file: ParquetFile reads it without read_table's dataset layer (and its pandas import, ~0.5 s); in this
    # thread, as decoding the row groups is a small part of a run and Arrow's thread pool costs CPU to start
    try:
        table = pq.ParquetFile(path).read(use_threads=False)
    except Exception as exc:  # pyarrow raises many kinds for a damaged file
        raise InputError(f"{path}: cannot be read as Parquet ({exc})", file=str(path)) from None
    number = 0
    for batch in table.to_batches():
        for row in batch.to_pylist():
            number += 1
            yield number, row


@dataclass
class Records:
    """The BOMs read from (part of) a portfolio file, the problems found, and the line of each id."""

    holdings: list[Holding]
    problems: list[Problem]
    lines: dict[str, int]


def read_records(source: str, rows: Iterator[tuple[int, Any]]) -> Records:
    """Every record checked and built (up to MAX_PROBLEMS problems); duplicate ids are problems too."""
    reader = RecordReader(source)
    out = Records([], reader.problems, {})
    with bulk():
        for number, raw in rows:
            holding = reader.holding(number, raw)
            if holding is not None:
                _seen(out, source, holding.bom.source, number)
                out.holdings.append(holding)
            if len(reader.problems) >= MAX_PROBLEMS:
                break
    return out


def _seen(records: Records, source: str, ident: str, number: int) -> None:
    first = records.lines.setdefault(ident, number)
    if first != number:
        fix = f"give each BOM its own id (line {first} has it too)"
        records.problems.append(Problem(source, number, "id", ident, "is given twice", fix, "line"))


def check(parts: list[Records], source: str) -> None:
    """Raise when the parts of a file have problems (an id in two parts included) or hold no BOM."""
    problems = [p for part in parts for p in part.problems]
    merged = Records([], problems, dict(parts[0].lines) if parts else {})
    for part in parts[1:]:
        for ident, number in part.lines.items():
            _seen(merged, source, ident, number)
    if problems:
        raise ValidationFailed(sorted(problems, key=lambda p: p.row or 0)[:MAX_PROBLEMS], outcome=OUTCOME)
    if not any(part.lines for part in parts):
        raise InputError(f"{source}: holds no BOM; write one BOM per line", file=source)


def _folder(folder: Path) -> list[Holding]:
    volumes = folder / "volumes.csv"
    if not volumes.is_file():
        raise InputError(
            f"{folder}: no volumes.csv; add one with columns file,annual_volume,unit_value[,hts]", file=str(folder)
        )
    problems: list[Problem] = []
    out = []
    with volumes.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            holding = _volume_row(folder, str(volumes), reader.line_num, row, problems)
            if holding is not None:
                out.append(holding)
    if problems:
        raise ValidationFailed(problems, outcome=OUTCOME)
    if not out:
        raise InputError(f"{volumes}: lists no BOM file; add one row per file", file=str(volumes))
    return out


def _volume_row(folder: Path, source: str, line: int, row: dict[str, str], problems: list[Problem]) -> Holding | None:
    from nearshore.origin.bom_io import load_bom

    before = len(problems)
    numbers: dict[str, float | None] = {}
    for key, positive in (("annual_volume", False), ("unit_value", True)):
        text = (row.get(key) or "").strip()
        try:
            numbers[key] = float(text) if text else None
        except ValueError:
            numbers[key] = None
            problems.append(Problem(source, line, key, text, "is not a number", "write a plain number"))
            continue
        value = numbers[key]
        if value is not None and (value < 0 or (positive and value == 0)):
            problems.append(Problem(source, line, key, text, "is not above zero", "check the value"))
    name = (row.get("file") or "").strip()
    if not name or not (folder / name).is_file():
        problems.append(Problem(source, line, "file", name, "names no file in the folder", "give a BOM file name"))
        return None
    if numbers["annual_volume"] is None:
        problems.append(Problem(source, line, "annual_volume", None, "is missing", "give units a year"))
    if len(problems) > before:
        return None
    bom = load_bom(folder / name)
    unit = numbers["unit_value"] if numbers["unit_value"] is not None else bom.good.transaction_value
    if unit is None:
        problems.append(Problem(source, line, "unit_value", None, "is missing", "give the unit value in U.S. dollars"))
        return None
    hts = (row.get("hts") or "").replace(".", "") or (bom.good.hs if len(bom.good.hs) >= 8 else None)
    return Holding(replace(bom, source=name), numbers["annual_volume"] or 0.0, unit, hts)


__all__ = [
    "Holding",
    "Records",
    "bulk",
    "check",
    "jsonl_rows",
    "portfolio_kind",
    "read_portfolio",
    "read_records",
    "spans",
]
