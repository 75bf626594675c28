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
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

from nearshore.errors import InputError, Problem, ValidationFailed
from nearshore.scenarios.rules.holding import Holding
from nearshore.scenarios.rules.records import RecordReader

OUTCOME: Final = "nothing was determined"
MAX_PROBLEMS: Final = 200


def read_portfolio(path: Path) -> list[Holding]:
    if path.is_dir():
        return _folder(path)
    if not path.is_file():
        raise InputError(
            f"{path}: no such file or folder; give a .jsonl or .parquet file of BOMs, or a folder of BOM files "
            "with volumes.csv",
            file=str(path),
        )
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return _records(str(path), _jsonl(path))
    if suffix == ".parquet":
        return _records(str(path), _parquet(path))
    raise InputError(
        f"{path}: unknown portfolio format {suffix!r}; use .jsonl, .parquet or a folder of BOM files",
        file=str(path),
        value=suffix,
    )


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


def _jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, ValueError(f"is not JSON: {exc.msg} at column {exc.colno}")


def _parquet(path: Path) -> Iterator[tuple[int, Any]]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises many kinds for a damaged file
        raise InputError(f"{path}: cannot be read as Parquet ({exc})", file=str(path)) from None
    number = 0
    for batch in table.to_batches():
        for row in batch.to_pylist():
            number += 1
            yield number, row


def _records(source: str, rows: Iterator[tuple[int, Any]]) -> list[Holding]:
    reader = RecordReader(source)
    out: list[Holding] = []
    seen: dict[str, int] = {}
    with bulk():
        for number, raw in rows:
            holding = reader.holding(number, raw)
            if holding is not None:
                first = seen.setdefault(holding.bom.source, number)
                if first != number:
                    fix = f"give each BOM its own id (line {first} has it too)"
                    reader.problems.append(
                        Problem(source, number, "id", holding.bom.source, "is given twice", fix, "line")
                    )
                out.append(holding)
            if len(reader.problems) >= MAX_PROBLEMS:
                break
    if reader.problems:
        raise ValidationFailed(reader.problems, outcome=OUTCOME)
    if not out:
        raise InputError(f"{source}: holds no BOM; write one BOM per line", file=source)
    return out


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


__all__ = ["Holding", "bulk", "read_portfolio"]
