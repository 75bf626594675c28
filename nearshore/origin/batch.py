"""`origin batch`: one summary row per BOM of a folder of BOM files or of a JSON-lines or Parquet portfolio file.

Apart from `origin.report` (a single BOM's full check: what-if, duty), so that a portfolio file is determined
without importing the BOM file readers (YAML), the what-if search or the duty interface.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from nearshore.data.reference.hs import dotted
from nearshore.origin.bom import BOM
from nearshore.origin.determine import determine, require_in_force
from nearshore.origin.frozen import filled_at_once
from nearshore.origin.result import Determination

BOM_SUFFIXES = (".yaml", ".yml", ".json", ".csv")


@filled_at_once
@dataclass(frozen=True)
class BatchRow:
    file: str
    hs: str
    qualifies: bool | None
    criterion: str | None
    detail: str


def _key_detail(result: Determination) -> str:
    """The one line that explains the answer: for a good that fails, its first failing test (one with a
    figure first); for one that qualifies, its closest value test, else the rule it met."""
    tests = result.deciding_tests if result.qualifies else result.all_tests
    if not result.qualifies:
        failing = [t for t in tests if not t.passed]
        key = next((t for t in failing if t.value is not None), failing[0] if failing else None)
    else:
        measured = [t for t in tests if t.value is not None and t.margin is not None]
        key = min(measured, key=lambda t: t.margin or 0.0) if measured else None
    if key is not None:
        return f"{key.name}: {key.summary()}"
    if result.qualifies:
        return result.basis.split(": ", 1)[0]
    return "; ".join(result.notes) or "no rule alternative is met"


def bom_files(directory: Path) -> list[Path]:
    return sorted(p for p in Path(directory).iterdir() if p.suffix.lower() in BOM_SUFFIXES and p.is_file())


def check_directory(
    directory: Path | str, on: dt.date | None = None, progress: Callable[[Path], None] | None = None
) -> Iterator[BatchRow]:
    """Determine every BOM in a directory; a BOM with problems (an input error) gives a row saying so and the
    others go on; any other error stops the run."""
    from nearshore.origin.bom_io import load_bom
    from nearshore.scenarios.rules.portfolio import bulk

    on = require_in_force(on or dt.date.today())
    with bulk():  # the cyclic collector off, as for a portfolio file: ~10 % of the CPU of 1,000 YAML BOMs
        for path in bom_files(Path(directory)):
            yield _batch_row(path.name, functools.partial(load_bom, path), on)
            if progress is not None:
                progress(path)


def check_portfolio(
    path: Path, on: dt.date | None = None, progress: Callable[[int], None] | None = None
) -> Iterator[BatchRow]:
    """Determine every BOM of a JSON-lines or Parquet portfolio file (one BOM a line or row, the format of
    `scenario rules`; annual_volume and unit_value optional). A record with problems gives a row naming its first
    problem (file, line, field) and the others go on; the row's name is the record's `id`, else `line N`."""
    from nearshore.scenarios.rules.portfolio import bulk, portfolio_rows
    from nearshore.scenarios.rules.records import RecordReader

    on = require_in_force(on or dt.date.today())
    reader = RecordReader(str(path), volumes=False)
    with bulk():
        for number, raw in portfolio_rows(path):
            known = len(reader.problems)
            holding = reader.holding(number, raw)
            name = str(raw["id"]) if isinstance(raw, dict) and "id" in raw else f"line {number}"
            if holding is None:
                yield BatchRow(name, "", None, None, f"invalid BOM: {reader.problems[known]}")
            else:
                yield _batch_row(name, functools.partial(_given, holding.bom), on)
            if progress is not None:
                progress(number)


def _given(bom: BOM) -> BOM:
    return bom


def _batch_row(name: str, load: Callable[[], BOM], on: dt.date) -> BatchRow:
    """The summary row of one BOM; an input error (a BOM with problems, a code without a rule) says so."""
    from nearshore.errors import InputError

    try:
        result = determine(load(), on)
    except InputError as exc:
        first = str(exc).splitlines()
        return BatchRow(name, "", None, None, "invalid BOM: " + (first[1].strip() if len(first) > 1 else first[0]))
    return BatchRow(name, _dotted(result.hs), result.qualifies, result.criterion, _key_detail(result))


_dotted = functools.lru_cache(maxsize=4096)(dotted)  # a portfolio's goods share a few codes


__all__ = ["BOM_SUFFIXES", "BatchRow", "bom_files", "check_directory", "check_portfolio"]
