"""One call for `nearshore scenario rules`: determine every BOM of a portfolio under the rules in force and under
the changed rules, and report which flip, by what margin, the annual duty consequence and the cheapest fix.

Both determinations are the origin engine's (`nearshore.origin.determine`): the changed thresholds are made
active with `nearshore.origin.thresholds.using`, product-specific RVC changes go through its `threshold_delta`,
stricter tariff shifts through its `rules` (the good's rules with the shift's level replaced). A cap on
non-originating materials from a named country is a new requirement, tested here on the BOM's materials.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from nearshore.origin.automotive.tables import tables_of
from nearshore.origin.bom import BOM
from nearshore.origin.determine import determine
from nearshore.origin.duty import DutyCalculator, find_duty_calculator
from nearshore.origin.psr import rules_for_good
from nearshore.origin.result import Determination, Test
from nearshore.origin.rules.model import Alternative, ProductRule, TariffShift
from nearshore.origin.thresholds import using
from nearshore.origin.whatif import what_if
from nearshore.scenarios.result import ScenarioResult
from nearshore.scenarios.rules.changes import DEFAULT_WAGE, Cap, RuleChange, read_changes
from nearshore.scenarios.rules.portfolio import Holding, read_portfolio
from nearshore.scenarios.rules.report import Outcome, report

ISO3 = {"MX": "MEX", "CA": "CAN"}


@dataclass(frozen=True)
class RulesRequest:
    """portfolio: .jsonl/.parquet file or folder; changes: the change file; on: determination date (default the
    file's date, else today); duty_date: the tariff engine's date (default `on` capped at the policy's coverage
    start); fixes: look for the cheapest fix of each BOM that stops qualifying; top: BOMs listed (0 = all)."""

    portfolio: Path
    changes: Path
    on: dt.date | None = None
    duty_date: dt.date | None = None
    fixes: bool = True
    top: int = 100


def run_rules(request: RulesRequest, calculator: DutyCalculator | None = None) -> ScenarioResult:
    holdings = read_portfolio(request.portfolio)
    on = request.on or dt.date.today()
    change = read_changes(request.changes, on)
    on = request.on or change.date or on
    outcomes = [_one(h, change, on, request.fixes) for h in holdings]
    duty_on = request.duty_date or on
    _price(outcomes, calculator, duty_on)
    return report(outcomes, change, request, on, duty_on)


def _one(holding: Holding, change: RuleChange, on: dt.date, fixes: bool) -> Outcome:
    base_bom = holding.at_wage(DEFAULT_WAGE)
    before = determine(base_bom, on)
    bom = holding.at_wage(change.wage_usd) if change.wage_usd != DEFAULT_WAGE else base_bom
    rules = _stricter(bom, on, change)
    delta = change.psr_points if _in(bom.good.hs, change.psr_products) else 0.0
    with using(change.thresholds):
        after = determine(bom, on, rules=rules, threshold_delta=delta)
        checked = [(cap, t) for cap in change.caps for t in _cap_tests(bom, cap)]
        caps = [t for _, t in checked]
        qualifies = after.qualifies and all(t.passed for t in caps)
        failing = [cap.country for cap, t in checked if not t.passed]
        fix = _fix(bom, on, rules, after, failing) if fixes and before.qualifies and not qualifies else ""
    return Outcome(holding, before, after, tuple(caps), qualifies, _margin(before), _margin(after, caps), fix)


def _in(hs: str, prefixes: Sequence[str]) -> bool:
    return bool(prefixes) and any(hs.startswith(p) for p in prefixes)


def _stricter(bom: BOM, on: dt.date, change: RuleChange) -> list[ProductRule] | None:
    """The good's rules with the change of classification raised to the changed level, or None (unchanged)."""
    wanted = [s for s in change.shifts if bom.good.hs.startswith(s.heading)]
    if not wanted or bom.rule is not None:
        return None
    level = wanted[-1].level
    rules = rules_for_good(bom, on)
    out = []
    for rule in rules:
        alternatives = tuple(
            Alternative(
                tuple(replace(c, level=level) if isinstance(c, TariffShift) else c for c in alt.conditions),
                alt.label,
                alt.text,
            )
            for alt in rule.alternatives
        )
        out.append(replace(rule, alternatives=alternatives))
    return out or None


def _cap_tests(bom: BOM, cap: Cap) -> list[Test]:
    """The cap's tests on the non-originating materials of its country."""
    mine = [m for m in bom.materials if m.origin == cap.country and m.vnm > 0]
    tests = []
    citation = "rule-change file (a cap no USMCA text has today)"
    if cap.max_share is not None:
        base = bom.good.tv or (bom.good.net_cost.value if bom.good.net_cost else None)
        share = 100.0 * sum(m.vnm for m in mine) / base if base else 0.0
        tests.append(
            Test(
                f"Cap on {cap.country} materials",
                citation,
                share <= cap.max_share + 1e-9,
                share,
                cap.max_share,
                "<=",
                inputs=f"{len(mine)} {cap.country} material(s)",
                base=base,
            )
        )
    if not cap.core_parts:
        core = [m for m in mine if m.hs and "A.1" in tables_of(m.hs)]
        listed = ", ".join(f"line {m.line}" for m in core)
        tests.append(Test(f"No {cap.country} core parts", citation, not core, inputs=listed or "none"))
    return tests


def _margin(result: Determination, caps: Sequence[Test] = ()) -> float | None:
    """The tightest margin of the value tests behind the answer (points): the smallest of the passing ones when it
    qualifies, the largest shortfall of the failing ones when it does not."""
    tests = [*(result.deciding_tests if result.qualifies else result.all_tests), *caps]
    margins = [
        t.margin
        for t in tests
        if t.margin is not None and t.passed == (result.qualifies and all(c.passed for c in caps))
    ]
    if not margins:
        return None
    return min(margins)


def _fix(bom: BOM, on: dt.date, rules: list[ProductRule] | None, after: Determination, capped: Sequence[str]) -> str:
    """The cheapest change that makes it qualify again: the origin what-if's smallest material (or set) to source
    as originating; for a cap, the capped country's materials to source elsewhere."""
    if capped and after.qualifies:
        mine = [m for m in bom.materials if m.origin in capped and m.vnm > 0]
        who = "/".join(sorted(set(capped)))
        return f"source the {len(mine)} {who} material(s) in USMCA countries (value {sum(m.value for m in mine):,.2f})"
    found = what_if(bom, on, rules=rules, deltas=(), result=after)
    if found.flips:
        f = found.flips[0]
        return f"source line {f.line} ({f.description or f.hs}, value {f.value:,.2f}) as originating"
    if found.combination:
        total = sum(f.value for f in found.combination)
        return f"source {len(found.combination)} materials as originating (value {total:,.2f})"
    return "no sourcing change found: see the failing tests"


def _price(outcomes: list[Outcome], calculator: DutyCalculator | None, on: dt.date) -> None:
    """Annual duty before and after for the BOMs whose answer changes (rates cached by line, origin, claim)."""
    changed = [o for o in outcomes if o.flipped and o.holding.hts and o.holding.bom.good.country in ISO3]
    if not changed:
        return
    calc = calculator or find_duty_calculator()
    rates: dict[tuple[str, str, bool], Any] = {}
    for o in changed:
        hts, origin = o.holding.hts or "", ISO3[o.holding.bom.good.country]
        for claim in (True, False):
            if (hts, origin, claim) not in rates:
                rates[(hts, origin, claim)] = _rate(calc, hts, origin, on, claim)
        before, after = rates[(hts, origin, o.before.qualifies)], rates[(hts, origin, o.qualifies)]
        if isinstance(before, str) or isinstance(after, str):
            o.duty_note = before if isinstance(before, str) else str(after)
        else:
            o.duty_change = o.holding.annual_value * (after - before)


def _rate(calc: DutyCalculator, hts: str, origin: str, on: dt.date, claim: bool) -> float | str:
    from nearshore.errors import TariffError, UnknownCodeError

    try:
        return calc.duty(hts, origin, 1_000_000.0, on, claim).rate
    except (TariffError, UnknownCodeError) as exc:
        return f"duty not computed: {exc}"


__all__ = ["RulesRequest", "run_rules"]
