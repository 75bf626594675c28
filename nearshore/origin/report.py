"""One call per CLI command: check a BOM file (determination + what-if + duty), batch a directory."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nearshore.data.reference.hs import dotted
from nearshore.origin.bom import BOM
from nearshore.origin.bom_io import load_bom
from nearshore.origin.determine import determine, require_in_force
from nearshore.origin.duty import DutyCalculator, DutyConsequence, duty_consequence
from nearshore.origin.frozen import filled_at_once
from nearshore.origin.psr import rules_for_good
from nearshore.origin.result import Determination
from nearshore.origin.rules.index import RuleBook, load_rule_file, shipped_rules
from nearshore.origin.rules.model import ProductRule
from nearshore.origin.whatif import WhatIf, what_if

BOM_SUFFIXES = (".yaml", ".yml", ".json", ".csv")


@dataclass(frozen=True)
class OriginReport:
    bom: BOM
    result: Determination
    what_if: WhatIf
    duty: DutyConsequence

    columns = ("test", "citation", "result", "detail")

    def rows(self, sep: str = " | ") -> list[tuple[str, str, str, str]]:
        """One row per general test, per rule alternative (its tests joined by `sep`), per failing material.

        The verdict row names the rule met; its full text is in the footer. (A terminal lays the rows out with
        sep="\n" and the citation under the detail: nearshore/cli/origin.py.)
        """
        r = self.result
        verdict = f"QUALIFIES ({r.criterion})" if r.qualifies else "DOES NOT QUALIFY"
        out: list[tuple[str, str, str, str]] = [
            ("Verdict", "USMCA Art. 4.2; SOR/2020-155 s. 3", verdict, r.basis.split(": ", 1)[0])
        ]
        for test in self.result.tests:
            out.append((test.name, test.citation, _word(test.passed), test.summary()))
        for alt in self.result.alternatives:
            label = f" {alt.label}" if alt.label else ""
            detail = sep.join(f"{t.name}: {t.summary()}" for t in alt.tests)
            if alt.unverified:
                detail += sep + "not checkable from the BOM: " + "; ".join(alt.unverified)
            out.append((f"Rule{label}", alt.citation, _word(alt.qualifies), detail or alt.text))
            for shift in alt.shifts:
                if not shift.passed:
                    code = dotted(shift.hs) if shift.hs else "?"
                    detail = f"HS {code}, value {shift.value:,.2f}, needs: {shift.rule_text}"
                    out.append((f"  line {shift.line}: {shift.description}", "", "fails shift", detail))
        for test in self.result.automotive:
            out.append((test.name, test.citation, _word(test.passed), test.summary()))
        return out

    def footer(self) -> list[str]:
        r = self.result
        verdict = (
            f"QUALIFIES under criterion {r.criterion}: {r.basis}" if r.qualifies else "DOES NOT QUALIFY as originating"
        )
        lines = [
            verdict,
            f"de minimis used: {'yes' if r.de_minimis_used else 'no'}; as of {r.date.isoformat()}",
        ]
        lines += list(r.notes)
        lines += self.what_if.lines()
        lines.append(self.duty.text())
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {**self.result.as_dict(), "what_if": self.what_if.as_dict(), "duty": self.duty.as_dict()}


def _word(passed: bool) -> str:
    return "pass" if passed else "FAIL"


def _user_book(rules_file: Path | None) -> RuleBook | None:
    if rules_file is None:
        return None
    return shipped_rules().with_rules(load_rule_file(rules_file))


def check_bom(
    path: Path | str,
    on: dt.date | None = None,
    *,
    rules_file: Path | None = None,
    calculator: DutyCalculator | None = None,
    deltas: tuple[float, ...] = (5.0,),
) -> OriginReport:
    """Load and validate a BOM, determine origin, run the what-if analysis and the duty consequence."""
    on = on or dt.date.today()
    bom = load_bom(path)
    rules: list[ProductRule] | None = None
    if rules_file is not None:
        rules = rules_for_good(bom, on, _user_book(rules_file))
    result = determine(bom, on, rules=rules)
    scenarios = what_if(bom, on, rules=rules, result=result, deltas=deltas)
    duty = duty_consequence(result, bom.good.tv, bom.good.country, calculator, bom.good.currency)
    return OriginReport(bom, result, scenarios, duty)


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
            name = str(raw.get("id", f"line {number}")) if isinstance(raw, dict) else f"line {number}"
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
    return BatchRow(name, dotted(result.hs), result.qualifies, result.criterion, _key_detail(result))
