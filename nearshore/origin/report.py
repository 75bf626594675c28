"""One call per CLI command: check a BOM file (determination + what-if + duty); batches are `origin.batch`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nearshore.data.reference.hs import dotted
from nearshore.origin.batch import BOM_SUFFIXES, BatchRow, bom_files, check_directory, check_portfolio
from nearshore.origin.bom import BOM
from nearshore.origin.bom_io import load_bom
from nearshore.origin.determine import determine
from nearshore.origin.duty import DutyCalculator, DutyConsequence, duty_consequence
from nearshore.origin.psr import rules_for_good
from nearshore.origin.result import Determination
from nearshore.origin.rules.index import RuleBook, load_rule_file, shipped_rules
from nearshore.origin.rules.model import ProductRule
from nearshore.origin.whatif import WhatIf, what_if


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


__all__ = [
    "BOM_SUFFIXES",
    "BatchRow",
    "OriginReport",
    "bom_files",
    "check_bom",
    "check_directory",
    "check_portfolio",
]
