"""One call for `nearshore scenario rules`: determine every BOM of a portfolio under the rules in force and under
the changed rules (judge.py), look for the cheapest fix of each BOM that stops qualifying (fixes.py), price the
annual duty consequence with the tariff engine, and report.

    from nearshore.scenarios.rules import RulesRequest, run_rules
    result = run_rules(RulesRequest(Path("portfolio.jsonl"), Path("review.yaml")))
    result.figure("totals", "lose", portfolio="all").display()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from nearshore.errors import TariffError, UnknownCodeError
from nearshore.origin.determine import require_in_force
from nearshore.origin.duty import DutyCalculator, find_duty_calculator
from nearshore.scenarios.result import ScenarioResult
from nearshore.scenarios.rules.assess import evaluate
from nearshore.scenarios.rules.changes import read_changes
from nearshore.scenarios.rules.portfolio import bulk
from nearshore.scenarios.rules.report import Outcome, report
from nearshore.scenarios.rules.request import RulesRequest

if TYPE_CHECKING:
    from nearshore.data.store import Store


def run_rules(
    request: RulesRequest,
    calculator: DutyCalculator | None = None,
    *,
    store: Store | None = None,
    progress: Callable[[str], None] | None = None,
) -> ScenarioResult:
    """The rule change over the portfolio (see docs/scenarios.md); `calculator` prices the duty (default: the
    tariff engine over the HTS schedule of `store`, else of the configured store); `progress` hears each stage."""
    step = progress or _quiet
    today = dt.date.today()
    step("reading the change file")
    change = read_changes(request.changes, request.on or today)
    on = require_in_force(request.on or change.date or today)
    with bulk():
        step("judging the portfolio before and after the change")
        outcomes = evaluate(request.portfolio, change, on, request.fixes, request.workers)
        duty_on = request.duty_date or on
        step("pricing the duty of the BOMs that flip")
        _price(outcomes, _engine(store) if calculator is None else lambda headings: calculator, duty_on)
        return report(outcomes, change, request, on, duty_on)


def _quiet(label: str) -> None:
    return None


def _engine(store: Store | None) -> Callable[[Sequence[str]], DutyCalculator]:
    """The tariff engine over the lines of the given headings: of `store`, else of the configured store."""

    def make(headings: Sequence[str]) -> DutyCalculator:
        if store is None:
            return find_duty_calculator(headings)
        from nearshore import tariffs
        from nearshore.origin.duty import TariffEngineDuty

        return TariffEngineDuty(tariffs.load_schedule(store, headings=headings), tariffs.load_policy())

    return make


def _price(
    outcomes: list[Outcome],
    calculator: Callable[[Sequence[str]], DutyCalculator],
    on: dt.date,
) -> None:
    """Annual duty before and after for the BOMs whose answer changes: annual value x (rate after - rate before),
    the rate with a USMCA claim when the good qualifies and without when not (one quote per line, origin, claim).
    A good produced in the U.S., without an HTS line, or that the engine cannot price gets a note instead."""
    changed = [o for o in outcomes if o.flipped]
    priced = [o for o in changed if o.hts and o.country != "US"]
    for o in changed:
        if not o.hts:
            o.duty_note = "no HTS line: give hts (8 or 10 digits)"
        elif o.country == "US":
            o.duty_note = "a U.S. good: no U.S. import duty"
    if not priced:
        return
    headings = sorted({(o.hts or "")[:4] for o in priced})
    calc = calculator(headings)
    rates: dict[tuple[str, str, bool], float | str] = {}
    for o in priced:
        hts = o.hts or ""
        for claim in (o.before, o.after):
            if (hts, o.country, claim) not in rates:
                rates[(hts, o.country, claim)] = _rate(calc, hts, o.country, on, claim)
        before, after = rates[(hts, o.country, o.before)], rates[(hts, o.country, o.after)]
        if isinstance(before, str) or isinstance(after, str):
            o.duty_note = before if isinstance(before, str) else str(after)
        else:
            o.duty_change = o.annual_value * (after - before)


def _rate(calc: DutyCalculator, hts: str, origin: str, on: dt.date, claim: bool) -> float | str:
    try:
        return calc.duty(hts, origin, 1_000_000.0, on, claim).rate
    except (TariffError, UnknownCodeError) as exc:
        return f"duty not computed: {exc}"


__all__ = ["RulesRequest", "run_rules"]
