"""Adversarial bills of materials: the example BOMs (YAML), one as JSON and one as CSV, the edits an adversarial
user makes to them, and the oracle every `origin check` must satisfy.

The oracle: the check either gives a determination whose JSON holds only finite numbers (no NaN, no Infinity),
or it is refused with a NearshoreError whose exit code is 2-6 and which names the file (or the field) at fault;
never a traceback. Used by test_bom_fuzz.py (hypothesis, a fixed budget) and scripts/fuzz_inputs.py (long
campaigns in worker processes that also bound time and memory).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from nearshore.errors import NearshoreError
from nearshore.origin.duty import DutyCalculator
from tests.data_sources.fuzzing import Edit, Outcome, apply

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ON = dt.date(2026, 3, 1)

# Values an adversarial user writes in a BOM: YAML's own NaN and infinity, numbers beyond any float, text where
# a number or a list goes, a mapping or list where a scalar goes, aliases, tags, other digit scripts.
NASTY = (
    ".nan",
    ".inf",
    "-.inf",
    "1e999",
    "9" * 310,
    "-5",
    "0",
    "true",
    "null",
    "~",
    "[abc]",
    "[engine]",
    "{a: 1}",
    "'60'",
    '"60"',
    "[]",
    "{}",
    "steel",
    "5",
    "150",
    "2026-13-01",
    "*nowhere",
    "&a 5",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGVsbG8=",
    '"\\u0000"',
    "\u0661\u0662",
    "1_000",
    "0x1F",
    "12,3",
    "x" * 2000,
    "'" + "y" * 200_000 + "'",
)
Kind = Literal["value", "nest", "alias", "indent", "bytes"]
KINDS: tuple[Kind, ...] = ("value", "value", "value", "nest", "alias", "indent", "bytes", "bytes")
BYTE_KINDS = ("truncate", "delete_line", "duplicate_line", "insert", "flip", "cell")


@dataclass(frozen=True)
class BomEdit:
    """One edit of a BOM file: its kind, where (two positions in [0, 1)), and a text to put in."""

    kind: Kind
    at: float
    other: float = 0.0
    text: str = ""


@dataclass(frozen=True)
class BomSeed:
    name: str
    data: bytes

    def file(self, edits: Sequence[BomEdit] = ()) -> bytes:
        data = self.data
        for edit in edits:
            data = edit_bom(data, edit, self.name.endswith(".csv"))
        return data


def _csv_bom() -> bytes:
    doc = yaml.safe_load((EXAMPLES / "bom.yaml").read_text(encoding="utf-8"))
    good = {k: v for k, v in doc["good"].items() if not isinstance(v, (dict, list))}
    materials = doc["materials"]
    columns = ["record", *good, *sorted({k for m in materials for k in m} - set(good))]
    rows = [columns, ["good", *(good.get(c, "") for c in columns[1:])]]
    rows += [["material", *(m.get(c, "") for c in columns[1:])] for m in materials]

    def cell(value: object) -> str:
        text = str(value)
        return f'"{text}"' if "," in text else text

    return "".join(",".join(cell(v) for v in row) + "\n" for row in rows).encode()


def seeds() -> list[BomSeed]:
    """The example BOMs as shipped (docs/examples), the disc-brake BOM as JSON and as CSV."""
    out = [BomSeed(p.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*.yaml"))]
    doc = yaml.safe_load((EXAMPLES / "bom.yaml").read_text(encoding="utf-8"))
    out.append(BomSeed("bom.json", json.dumps(doc, default=str, indent=1).encode()))
    out.append(BomSeed("bom.csv", _csv_bom()))
    return out


_BOMB = (
    "lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9))
).encode()


def edit_bom(data: bytes, edit: BomEdit, csv: bool = False) -> bytes:
    """`data` with one edit: a YAML value replaced, deep nesting or an alias bomb inserted, an indent changed;
    or a byte-level edit (cut, a line dropped or repeated, latin-1 inserted, a bit flipped, a cell)."""
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    n = min(int(edit.at * len(lines)), len(lines) - 1)
    if edit.kind == "bytes" or csv:
        kind = BYTE_KINDS[min(int(edit.other * len(BYTE_KINDS)), len(BYTE_KINDS) - 1)]
        return apply(data, Edit(kind, edit.at, edit.other * 7 % 1, edit.text))  # type: ignore[arg-type]
    line = lines[n]
    if edit.kind == "value" and b":" in line:
        key, _, _ = line.partition(b":")
        lines[n] = key + b": " + edit.text.encode("utf-8", "replace") + b"\n"
    elif edit.kind == "nest":
        depth = 10 + int(edit.other * 3000)
        key, _, _ = line.partition(b":")
        lines[n] = key + b": " + b"[" * depth + b"]" * depth + b"\n"
    elif edit.kind == "alias":
        return _BOMB + data.replace(b"value: ", b"value: *l8 #", 1) if edit.other < 0.5 else _BOMB + data
    elif edit.kind == "indent":
        lines[n] = b" " * int(edit.other * 7) + line.lstrip(b" ")
    return b"".join(lines)


def random_edits(rng: random.Random, count: int) -> list[BomEdit]:
    """Edits for the long campaigns (the tests draw them with hypothesis instead)."""
    return [
        BomEdit(rng.choice(KINDS), rng.random(), rng.random(), rng.choice(NASTY) if rng.random() < 0.8 else "x")
        for _ in range(count)
    ]


def check_outcome(path: Path, calculator: DutyCalculator | None) -> Outcome:
    """Check a BOM file as `nearshore origin check --format json` does, and judge the outcome."""
    from nearshore.origin.report import check_bom

    try:
        report = check_bom(path, ON, calculator=calculator)
        text = json.dumps(report.as_dict(), default=str, allow_nan=False)
        rendered = [*report.rows(), *report.footer()]
    except NearshoreError as exc:
        if not 2 <= exc.exit_code <= 6:
            return Outcome("crash", f"exit code {exc.exit_code}: {exc}")
        if not (exc.file or exc.field or path.name in str(exc)):
            return Outcome("crash", f"an unlocated message: {exc}")
        return Outcome("refused", str(exc)[:300])
    except Exception as exc:  # anything else is a crash: a traceback for the user
        return Outcome("crash", f"{type(exc).__name__}: {exc}"[:400])
    if not text or not rendered:
        return Outcome("crash", "an empty report")
    return Outcome("loaded", "")


def engine() -> DutyCalculator | None:
    """The duty calculator of the user's store (seeded from the snapshot), built once for many checks."""
    from nearshore.origin.duty import find_duty_calculator

    return find_duty_calculator()
