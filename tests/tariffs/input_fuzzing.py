"""Adversarial tariff inputs: single entry lines (what `tariff duty` and the duty service take) and entry files
(what `tariff batch` reads), and the oracle each must satisfy.

The oracle: a duty whose every figure is finite (total, rate, each layer's basis and amount), or a refusal with
a NearshoreError whose exit code is 2-6 and which names the field or the file at fault; never a traceback.
The schedule is a small HTS file loaded into a throwaway store (no official file needed). Used by
test_input_fuzz.py and scripts/fuzz_inputs.py.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nearshore.errors import NearshoreError
from nearshore.tariffs.duty import Entry
from nearshore.tariffs.policy import Policy
from nearshore.tariffs.schedule import Schedule
from tests.data_sources.fuzzing import Edit, Outcome, apply

LINES = ("8703.23.01.90", "8703.23.01", "0101.30.00", "0101.21.00.10")
ORIGINS = ("MX", "CA", "CN", "VN", "DE", "US", "USA", "Mexico", "MEX", "2010", "EU", "🇲🇽", "", " ", "ZZ", "M\u00e9x")
HTS_TEXTS = (*LINES, "-8708.99.81", "8708.99.81", "9903.88.03", "87", "８７０３.２３", "8703..23", "x", "", "0" * 40)
NUMBERS = (
    0.0,
    1.0,
    799.0,
    800.0,
    10_000.0,
    -1.0,
    -0.0,
    1e15,
    1e300,
    math.inf,
    -math.inf,
    math.nan,
    5e-324,
)
PROGRAMS = (None, "S", "S+", "KR", "AU", "A+", "", "ZZZ", "\u0000")
CELLS = ("nan", "inf", "-inf", "1e999", "1_000", "12,3,4", "\u0661", "maybe", "", "-5", "[]", "0x1F", "9" * 400)


def small_schedule() -> Schedule:
    """The test HTS file of the source fuzzing (a few lines of chapters 1 and 87), loaded into a throwaway store."""
    import tempfile

    from nearshore.data.sources import hts
    from nearshore.data.store import Store
    from nearshore.tariffs.schedule import load_schedule
    from tests.data_sources.fuzzing import _hts_csv

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hts_2025_basic_edition.csv"
        path.write_bytes(_hts_csv())
        with Store(":memory:") as store:
            hts.load(store, path)
            return load_schedule(store)


def finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def judge(exc: NearshoreError, *where: str) -> Outcome:
    if not 2 <= exc.exit_code <= 6:
        return Outcome("crash", f"exit code {exc.exit_code}: {exc}")
    if not (exc.file or exc.field or any(w and w in str(exc) for w in where)):
        return Outcome("crash", f"an unlocated message: {exc}")
    return Outcome("refused", str(exc)[:300])


def entry_outcome(entry: Entry, schedule: Schedule, policy: Policy) -> Outcome:
    """The duty on one entry (as `tariff duty` and the duty service compute it), judged."""
    from nearshore.tariffs.duty import calculate

    try:
        result = calculate(entry, schedule, policy)
    except NearshoreError as exc:
        return judge(exc)
    except Exception as exc:  # anything else is a traceback for the user
        return Outcome("crash", f"{type(exc).__name__}: {exc}"[:400])
    figures = [result.total, result.effective_rate]
    figures += [x for c in result.components for x in (c.basis_amount, c.rate, c.amount)]
    if not all(finite(x) for x in figures):
        return Outcome("crash", f"a figure that is not finite: {figures}")
    return Outcome("loaded", "")


@dataclass(frozen=True)
class EntrySeed:
    name: str
    data: bytes

    def file(self, edits: Sequence[Edit] = ()) -> bytes:
        data = self.data
        for edit in edits:
            data = apply(data, edit)
        return data


ROWS = [
    {"hts": "8703.23.01.90", "origin": "MX", "value": 30000, "date": "2025-06-01", "usmca": "1"},
    {"hts": "8703.23.01.90", "origin": "CN", "value": 25000, "date": "2025-06-01", "metal_value": 5000},
    {"hts": "0101.30.00", "origin": "CA", "value": 1200, "date": "2025-03-15", "quantity": 2, "unit": "No."},
    {"hts": "0101.21.00.10", "origin": "VN", "value": 700, "date": "2025-12-01", "auto_part": "0"},
]


def entry_seeds() -> list[EntrySeed]:
    columns = ["hts", "origin", "value", "date", "usmca", "metal_value", "quantity", "unit", "auto_part"]
    csv = ",".join(columns) + "\n" + "".join(",".join(str(r.get(c, "")) for c in columns) + "\n" for r in ROWS)
    return [EntrySeed("entries.csv", csv.encode()), EntrySeed("entries.json", json.dumps(ROWS, indent=1).encode())]


def file_outcome(path: Path, schedule: Schedule, policy: Policy) -> Outcome:
    """An entry file read and rated as `tariff batch` does, judged."""
    from nearshore.tariffs.batch import duty_vectorised, read_entries

    try:
        entries = read_entries(path)
        result = duty_vectorised(entries, schedule, policy, file=str(path))
    except NearshoreError as exc:
        return judge(exc, path.name)
    except Exception as exc:  # anything else is a traceback for the user
        return Outcome("crash", f"{type(exc).__name__}: {exc}"[:400])
    totals = [float(t) for t in result.duty]
    result.layers()  # the layer texts the batch prints
    if not all(math.isfinite(t) for t in totals):
        return Outcome("crash", f"a total that is not finite: {totals[:5]}")
    return Outcome("loaded", "")


def random_entry(rng: random.Random) -> Entry:
    """An entry line for the long campaigns (the tests draw them with hypothesis): each field valid three times
    in four, so that entries reach the rating, not only the first check."""

    def pick(valid: Any, nasty: Sequence[Any]) -> Any:
        return valid() if rng.random() < 0.75 else rng.choice(nasty)

    def amount() -> float:
        return round(rng.uniform(0, 1e6), 2)

    start = dt.date(2025, 1, 1)
    return Entry(
        hts=pick(lambda: rng.choice(LINES), HTS_TEXTS),
        origin=pick(lambda: rng.choice(("MX", "CA", "CN", "VN", "DE", "Mexico")), ORIGINS),
        value=pick(amount, NUMBERS),
        on=pick(lambda: start + dt.timedelta(days=rng.randrange(480)), [dt.date(1900, 1, 1), dt.date(2099, 12, 31)]),
        quantity=pick(lambda: None, NUMBERS),
        unit=rng.choice((None, "No.", "kg", "liters", "")),
        usmca=rng.random() < 0.4,
        program=rng.choice(PROGRAMS),
        metal_value=pick(lambda: None, NUMBERS),
        us_content=pick(lambda: None, NUMBERS),
        auto_part=rng.choice((None, True, False)),
    )
