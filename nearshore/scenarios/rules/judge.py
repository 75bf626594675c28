"""One BOM under the rules in force and under a rule change, both by the origin engine's `determine`.

Under the change: its thresholds are active (`origin.thresholds.using`), the product-specific RVC points go in as
`threshold_delta`, a stricter change of classification replaces the shift level of the rules the engine would
test (`origin.determine.rules_applied`: the good's rules, or a vehicle's own s. 13 / s. 20 rule), and the caps
on a country's non-originating materials are tested beside the determination.

A BOM whose determination under the rules in force read none of the thresholds the change alters (the engine
reports which it read, `origin.thresholds.recording`), with no other change applying to it, gets the same
determination under the change: it is not determined again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from nearshore.origin.automotive.tables import tables_of
from nearshore.origin.bom import BOM, Material
from nearshore.origin.determine import determine, rules_applied
from nearshore.origin.result import EPSILON, Determination, Test
from nearshore.origin.rules.model import LEVELS, Condition, Level, ProductRule, TariffShift
from nearshore.origin.thresholds import recording, using
from nearshore.scenarios.rules.changes import DEFAULT_WAGE, Cap, RuleChange
from nearshore.scenarios.rules.holding import Holding

CAP_CITATION = "rule-change file (a cap no USMCA text has today)"


@dataclass(frozen=True)
class Verdict:
    """A BOM's answer under one set of rules: the engine's determination and the caps' tests."""

    determination: Determination
    caps: tuple[Test, ...] = ()

    @property
    def qualifies(self) -> bool:
        return self.determination.qualifies and all(t.passed for t in self.caps)

    def margin(self) -> float | None:
        """Points: when it qualifies, the smallest margin of the value tests it rests on (and the caps); when
        not, the largest shortfall of the failing general, automotive and cap tests and of the closest rule
        alternative (the one whose largest shortfall is smallest)."""
        result = self.determination
        if self.qualifies:
            return _least(t.margin for t in (*result.deciding_tests, *self.caps))
        failing = [_least(t.margin for t in (*result.tests, *result.automotive, *self.caps) if not t.passed)]
        if not result.qualifies:
            alternatives = [_least(t.margin for t in a.tests if not t.passed) for a in result.alternatives]
            failing.append(max((m for m in alternatives if m is not None), default=None))
        return _least(failing)


def _least(margins: Iterable[float | None]) -> float | None:
    return min((m for m in margins if m is not None), default=None)


@dataclass(frozen=True)
class Before:
    """A BOM's answer under the rules in force, the rules the engine tested, whether the change can alter it."""

    verdict: Verdict
    rules: list[ProductRule]
    alters: bool


class Judge:
    """Determines BOMs under the rules in force and under `change`, on `on`."""

    def __init__(self, change: RuleChange, on: dt.date) -> None:
        self.change, self.on = change, on
        self.changed = change.changed
        self.loosens = change.loosens(on)

    def before(self, holding: Holding) -> Before:
        """The answer under the rules in force, and whether the change can alter it: it can when the
        determination read a threshold the change alters, or another change applies to the BOM (wage, shift, RVC
        points) -- unless the BOM does not qualify and the change only tightens the rules."""
        bom = holding.at_wage(DEFAULT_WAGE)
        with recording() as reads:
            rules = rules_applied(bom, self.on)
            result = determine(bom, self.on, rules=rules)
        alters = bool(reads & self.changed) or self._touches(holding, bom)
        if not result.qualifies and not self.loosens:
            alters = False
        reuse = not any(name == "vehicle_rvc" for name, _ in reads)  # a vehicle's rule carries its RVC threshold
        return Before(Verdict(result), rules if reuse else [], alters)

    def after(self, holding: Holding, before: Before) -> tuple[Verdict, BOM, list[ProductRule] | None]:
        """The answer under the change, the BOM it was made on (the wage rate applied) and the rules used (None:
        the engine's own choice under the changed thresholds)."""
        bom = holding.at_wage(self.change.wage_usd)
        with using(self.change.thresholds):
            rules = self.rules(bom) or before.rules or None
            result = before.verdict.determination
            if before.alters:
                result = determine(bom, self.on, rules=rules, threshold_delta=self.change.psr_delta(bom.good.hs))
        return Verdict(result, self.caps(bom)), bom, rules

    def works(self, bom: BOM, rules: list[ProductRule] | None) -> bool:
        """Whether `bom` (other materials: a fix being tried) qualifies under the change, caps included."""
        if not all(t.passed for t in self.caps(bom)):
            return False
        with using(self.change.thresholds):
            delta = self.change.psr_delta(bom.good.hs)
            return determine(bom, self.on, rules=rules, threshold_delta=delta).qualifies

    def rules(self, bom: BOM) -> list[ProductRule] | None:
        """The rules the engine tests with the change's stricter shift for the good's heading, or None (the
        engine's own choice) when no stricter shift applies. Call with the changed thresholds active (a vehicle's
        s. 13 rule carries its RVC threshold)."""
        level = self.change.shift_for(bom.good.hs)
        if level is None:
            return None
        return [_stricter(rule, level) for rule in rules_applied(bom, self.on)]

    def caps(self, bom: BOM) -> tuple[Test, ...]:
        return tuple(t for cap in self.change.caps for t in cap_tests(bom, cap))

    def _touches(self, holding: Holding, bom: BOM) -> bool:
        """Whether a change other than the thresholds applies to the BOM: wage, shift, RVC points."""
        change = self.change
        wage_matters = holding.plants and change.wage_usd != DEFAULT_WAGE
        return bool(wage_matters or change.shift_for(bom.good.hs) or change.psr_delta(bom.good.hs))


def _stricter(rule: ProductRule, level: Level) -> ProductRule:
    """`rule` with every change of classification less strict than `level` raised to it ("from any other
    <level>"; the loosening options "within", "or any other ..." dropped)."""

    def shift(condition: Condition) -> Condition:
        if isinstance(condition, TariffShift) and LEVELS.index(level) < LEVELS.index(condition.level):
            return replace(condition, level=level, allow_within=False, also_from_level=None)
        return condition

    alternatives = tuple(replace(alt, conditions=tuple(map(shift, alt.conditions))) for alt in rule.alternatives)
    return replace(rule, alternatives=alternatives)


def cap_tests(bom: BOM, cap: Cap) -> list[Test]:
    """The cap's tests on the non-originating materials of its country."""
    mine = [m for m in bom.materials if m.origin == cap.country and m.vnm > 0]
    tests = []
    if cap.max_share is not None:
        base = _base(bom)
        share = 100.0 * sum(m.vnm for m in mine) / base if base else 0.0
        inputs = f"{len(mine)} non-originating {cap.country} material(s)"
        passed = share <= cap.max_share + EPSILON
        name = f"Cap on {cap.country} materials"
        tests.append(Test(name, CAP_CITATION, passed, share, cap.max_share, "<=", inputs=inputs, base=base))
    if not cap.core_parts:
        core = [m for m in mine if m.hs and "A.1" in tables_of(m.hs)]
        listed = ", ".join(f"line {m.line}" for m in core)
        tests.append(Test(f"No {cap.country} core parts", CAP_CITATION, not core, inputs=listed or "none"))
    return tests


def _base(bom: BOM) -> float | None:
    """The value a cap's share is taken of: the transaction value, else the net cost."""
    return bom.good.tv or (bom.good.net_cost.value if bom.good.net_cost else None)


@dataclass(frozen=True)
class CapGap:
    """What sourcing must remove for the caps to hold: per capped country, the VNM above its share (`excess`),
    and the lines of its core parts when none may remain."""

    excess: dict[str, float]
    core: dict[str, frozenset[int]]

    def closed_by(self, materials: Sequence[Material]) -> bool:
        """Whether sourcing `materials` as originating makes every cap hold."""
        for country, excess in self.excess.items():
            if sum(m.vnm for m in materials if m.origin == country) < excess - EPSILON:
                return False
        return all(lines <= {m.line for m in materials if m.origin == country} for country, lines in self.core.items())


def cap_gap(bom: BOM, caps: Sequence[Cap]) -> CapGap:
    """The gap between `bom` and the caps (empty when they hold)."""
    excess: dict[str, float] = {}
    core: dict[str, frozenset[int]] = {}
    for cap in caps:
        mine = [m for m in bom.materials if m.origin == cap.country and m.vnm > 0]
        base = _base(bom)
        if cap.max_share is not None and base:
            over = sum(m.vnm for m in mine) - cap.max_share * base / 100.0
            if over > EPSILON * base:
                excess[cap.country] = max(excess.get(cap.country, 0.0), over)
        if not cap.core_parts:
            lines = frozenset(m.line for m in mine if m.hs and "A.1" in tables_of(m.hs))
            if lines:
                core[cap.country] = core.get(cap.country, frozenset()) | lines
    return CapGap(excess, core)


__all__ = ["Before", "CapGap", "Judge", "Verdict", "cap_gap", "cap_tests"]
