"""What would change the answer: materials whose origin flips the result, value headroom, rule changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from nearshore.origin.bom import BOM, Material
from nearshore.origin.determine import determine
from nearshore.origin.result import Determination
from nearshore.origin.rules.model import ProductRule


@dataclass(frozen=True)
class Flip:
    """A non-originating material that, if sourced as originating, makes the good qualify."""

    line: int
    description: str
    hs: str | None
    value: float
    criterion: str | None


@dataclass(frozen=True)
class Headroom:
    """How much more non-originating value a passing test can take before it fails."""

    test: str
    amount: float
    share_points: float


@dataclass(frozen=True)
class RuleChange:
    delta: float
    qualifies: bool
    criterion: str | None


@dataclass(frozen=True)
class WhatIf:
    flips: tuple[Flip, ...]
    headroom: tuple[Headroom, ...]
    rule_changes: tuple[RuleChange, ...]
    combination: tuple[Flip, ...] = ()  # when no single change suffices: a set that does (largest VNM first)
    designations: tuple[Flip, ...] = ()  # self-produced materials whose designation as intermediate suffices
    qualifies: bool | None = None  # the answer the scenarios start from

    def as_dict(self) -> dict[str, Any]:
        return {
            "materials_that_make_it_qualify": [f.__dict__ for f in self.flips],
            "headroom": [h.__dict__ for h in self.headroom],
            "rule_changes": [r.__dict__ for r in self.rule_changes],
            "combination_that_makes_it_qualify": [f.__dict__ for f in self.combination],
            "intermediate_designations_that_make_it_qualify": [f.__dict__ for f in self.designations],
        }

    def lines(self) -> list[str]:
        out = []
        for f in self.flips:
            out.append(
                f"sourcing line {f.line} ({f.description or f.hs}, value {f.value:,.2f}) as originating "
                f"makes it qualify (criterion {f.criterion})"
            )
        for f in self.designations:
            out.append(
                f"designating line {f.line} ({f.description or f.hs}) as an intermediate material makes it "
                f"qualify, if that material itself originates (SOR/2020-155 s. 8(6)-(7))"
            )
        if self.combination:
            listed = ", ".join(f"line {f.line}" for f in self.combination)
            total = sum(f.value for f in self.combination)
            out.append(f"no single material suffices; sourcing {listed} (value {total:,.2f}) as originating does")
        if self.qualifies is False and not (self.flips or self.combination or self.designations):
            out.append("no material sourced as originating makes it qualify, alone or together: see the failing tests")
        for h in self.headroom:
            out.append(
                f"{h.test}: {_what_rises(h.test)} can rise by {h.amount:,.2f} "
                f"({h.share_points:.1f} points) before the test fails"
            )
        for r in self.rule_changes:
            verdict = f"still qualifies ({r.criterion})" if r.qualifies else "would NOT qualify"
            out.append(f"with every RVC threshold {r.delta:+g} points: {verdict}")
        return out


def _what_rises(test: str) -> str:
    """The value a headroom is of: the failing materials for the shift's de minimis (s. 5(1)), else all VNM."""
    return "the value of materials failing the shift" if test == "De minimis (value)" else "non-originating value"


def _headroom(result: Determination) -> list[Headroom]:
    """Extra VNM each passing value test absorbs: base x margin / 100 (RVC and value de minimis)."""
    out = []
    for test in result.deciding_tests:
        if test.passed and test.base is not None and test.margin is not None:
            out.append(Headroom(test.name, test.base * test.margin / 100.0, test.margin))
    return out


def what_if(
    bom: BOM,
    on: dt.date | None = None,
    *,
    rules: Sequence[ProductRule] | None = None,
    deltas: Sequence[float] = (5.0,),
    result: Determination | None = None,
) -> WhatIf:
    """Flips (smallest value first) when it fails; headroom when it passes; rule-change scenarios."""
    on = on or dt.date.today()
    result = result or determine(bom, on, rules=rules)
    flips: list[Flip] = []
    candidates: list[Material] = []
    if not result.qualifies:
        candidates = sorted(
            (m for m in bom.materials if m.vnm > 0 or (not m.originating and m.counts_for_shift)),
            key=lambda m: m.value,
        )
        for m in candidates:
            changed = tuple(x.as_originating() if x is m else x for x in bom.materials)
            trial = determine(bom.with_materials(changed), on, rules=rules)
            if trial.qualifies:
                flips.append(Flip(m.line, m.description, m.hs, m.value, trial.criterion))
    designations: list[Flip] = []
    for m in bom.materials if not result.qualifies else ():
        if m.self_produced and not m.intermediate:
            designated = replace(m, intermediate=True, originating=True)
            changed = tuple(designated if x is m else x for x in bom.materials)
            trial = determine(bom.with_materials(changed), on, rules=rules)
            if trial.qualifies:
                designations.append(Flip(m.line, m.description, m.hs, m.value, trial.criterion))
    combination: list[Flip] = []
    if not result.qualifies and not flips:
        combination = _combination(bom, on, rules, candidates)
    headroom = _headroom(result) if result.qualifies else []
    changes = []
    for delta in deltas:
        trial = determine(bom, on, rules=rules, threshold_delta=delta)
        changes.append(RuleChange(delta, trial.qualifies, trial.criterion))
    return WhatIf(
        tuple(flips), tuple(headroom), tuple(changes), tuple(combination), tuple(designations), result.qualifies
    )


def _combination(
    bom: BOM, on: dt.date, rules: Sequence[ProductRule] | None, candidates: Sequence[Material]
) -> list[Flip]:
    """Flip materials largest VNM first until the good qualifies (a sufficient set, few materials)."""
    chosen: list[Material] = []
    for m in sorted(candidates, key=lambda m: -max(m.vnm, m.value)):
        chosen.append(m)
        ids = {id(x) for x in chosen}
        changed = tuple(x.as_originating() if id(x) in ids else x for x in bom.materials)
        trial = determine(bom.with_materials(changed), on, rules=rules)
        if trial.qualifies:
            return [Flip(x.line, x.description, x.hs, x.value, trial.criterion) for x in chosen]
    return []
