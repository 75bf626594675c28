"""What would change the answer: materials whose origin flips the result, value headroom, rule changes."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from nearshore.origin.bom import BOM, Material
from nearshore.origin.determine import determine
from nearshore.origin.result import Determination
from nearshore.origin.rules.model import ProductRule

# Up to this many materials, each change is tried on its own (a determination each); beyond it the search uses
# bisection over groups in which qualifying is monotone (see `_sufficient`), so a BOM of n lines costs about
# (groups x log n) determinations instead of n, each of them O(n).
EXACT = 64
MAX_LISTED = 20  # flips printed by `WhatIf.lines` (all are in `as_dict`)

Change = Callable[[Material], Material]


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
        for f in self.flips[:MAX_LISTED]:
            out.append(
                f"sourcing line {f.line} ({f.description or f.hs}, value {f.value:,.2f}) as originating "
                f"makes it qualify (criterion {f.criterion})"
            )
        if len(self.flips) > MAX_LISTED:
            out.append(f"... and {len(self.flips) - MAX_LISTED:,} more materials, each of which would (see the JSON)")
        for f in self.designations[:MAX_LISTED]:
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
    designations: list[Flip] = []
    combination: list[Flip] = []
    if not result.qualifies:
        candidates = sorted(
            (m for m in bom.materials if m.vnm > 0 or (not m.originating and m.counts_for_shift)),
            key=lambda m: m.value,
        )
        flips = _sufficient(bom, on, rules, result, candidates, lambda m: m.as_originating())
        intermediate = [m for m in bom.materials if m.self_produced and not m.intermediate]
        designations = _sufficient(bom, on, rules, result, intermediate, _designated)
        if not flips:
            combination = _combination(bom, on, rules, candidates)
    headroom = _headroom(result) if result.qualifies else []
    changes = []
    for delta in deltas:
        trial = determine(bom, on, rules=rules, threshold_delta=delta)
        changes.append(RuleChange(delta, trial.qualifies, trial.criterion))
    return WhatIf(
        tuple(flips), tuple(headroom), tuple(changes), tuple(combination), tuple(designations), result.qualifies
    )


def _designated(m: Material) -> Material:
    return replace(m, intermediate=True, originating=True)


def _trial(
    bom: BOM, on: dt.date, rules: Sequence[ProductRule] | None, materials: Iterable[Material], change: Change
) -> Determination:
    """The determination with `materials` (of the BOM, by identity) changed."""
    chosen = {id(m) for m in materials}
    return determine(
        bom.with_materials(tuple(change(x) if id(x) in chosen else x for x in bom.materials)), on, rules=rules
    )


def _sufficient(
    bom: BOM,
    on: dt.date,
    rules: Sequence[ProductRule] | None,
    result: Determination,
    materials: Sequence[Material],
    change: Change,
) -> list[Flip]:
    """The materials whose change alone makes the good qualify, in the order given.

    A change takes a material out of the shift's failing materials (where it was one) and lowers the VNM by its
    own part. Among materials that differ only in their amounts (`_groups`), one with a larger VNM and value
    does at least as much for every test, so whether the change suffices is monotone in (VNM, value):
    bisection finds the least that does, every larger one does too, and `_criteria` finds each one's criterion.
    The property test (tests/origin/test_whatif_search.py) holds this against trying every material.
    """
    if len(materials) <= EXACT:
        return [flip for m in materials if (flip := _flip(bom, on, rules, m, change)) is not None]
    found: dict[int, Flip] = {}
    for group in _groups(bom, result, materials):
        found.update(_bisect(bom, on, rules, group, change))
    return [found[id(m)] for m in materials if id(m) in found]


def _flip(bom: BOM, on: dt.date, rules: Sequence[ProductRule] | None, m: Material, change: Change) -> Flip | None:
    trial = _trial(bom, on, rules, [m], change)
    return Flip(m.line, m.description, m.hs, m.value, trial.criterion) if trial.qualifies else None


def _as(m: Material, like: Flip) -> Flip:
    """The flip of `m` under the criterion of `like` (a change that does at least as much)."""
    return Flip(m.line, m.description, m.hs, m.value, like.criterion)


# Fields of a material that are amounts or words (what a group may differ in), or its code (of which only its
# relation to the good's code goes into the group's signature); every other field (the flags, origin, ref,
# within, and any field added later) must be equal within a group.
_AMOUNTS_AND_WORDS = frozenset(
    {"line", "description", "evidence", "hs", "value", "non_originating_content", "adjustments", "quantity"}
    | {"weight", "production_vnm", "fungible_share", "accumulation"}
)
_KIND_FIELDS = tuple(f.name for f in fields(Material) if f.name not in _AMOUNTS_AND_WORDS)


def _groups(bom: BOM, result: Determination, materials: Sequence[Material]) -> list[list[Material]]:
    """Materials that differ only in their amounts, each group ordered by (VNM, value): the same alternatives
    whose shift each fails, the same relation to the good's code (chapter, heading, subheading), the same kind
    (every field but amounts and words), and whether an accumulation or fungible share is given. A textile good
    (Chapters 50-63) weighs its materials too (s. 5(6)): there each material is its own group."""
    good = bom.good.hs
    textile = 50 <= int(good[:2]) <= 63
    groups: dict[tuple[object, ...], list[Material]] = {}
    for i, m in enumerate(materials):
        failing = frozenset(j for j, alt in enumerate(result.alternatives) if m.line in alt.failed_lines)
        code = m.hs or ""
        relation = tuple(code[:n] == good[:n] for n in (2, 4, 6))
        kind = tuple(getattr(m, name) for name in _KIND_FIELDS)
        given = (m.accumulation is None, m.fungible_share is None)
        signature = (i if textile else -1, failing, relation, kind, given)
        groups.setdefault(signature, []).append(m)
    return [sorted(g, key=lambda m: (m.vnm, m.value)) for g in groups.values()]


def _bisect(
    bom: BOM, on: dt.date, rules: Sequence[ProductRule] | None, group: list[Material], change: Change
) -> dict[int, Flip]:
    """Flips of a group ordered by (VNM, value): the least sufficient found by bisection, and all above it.
    Where the values do not rise with the VNM the order is no chain, and each material is tried."""
    if any(b.value < a.value for a, b in itertools.pairwise(group)):
        return {id(m): f for m in group if (f := _flip(bom, on, rules, m, change)) is not None}
    low, high, best = 0, len(group) - 1, None
    while low <= high:
        middle = (low + high) // 2
        flip = _flip(bom, on, rules, group[middle], change)
        if flip is not None:
            best, high = (middle, flip), middle - 1
        else:
            low = middle + 1
    if best is None:
        return {}
    first, flip = best
    found = {first: flip}
    last = len(group) - 1
    if last != first:
        found[last] = _flip(bom, on, rules, group[last], change) or _as(group[last], flip)  # it does more
    _criteria(bom, on, rules, group, change, found, first, last)
    return {id(group[i]): found[i] for i in range(first, last + 1)}


def _criteria(
    bom: BOM,
    on: dt.date,
    rules: Sequence[ProductRule] | None,
    group: list[Material],
    change: Change,
    found: dict[int, Flip],
    low: int,
    high: int,
) -> None:
    """The criterion of every sufficient change between `low` and `high` (both known). A larger change passes
    every test a smaller one passes, so the criterion met first (A, C, B, D) can only move earlier along the
    group: where both ends agree, everything between agrees; elsewhere split and look."""
    stack = [(low, high)]
    while stack:
        low, high = stack.pop()
        if high - low <= 1:
            continue
        if found[low].criterion == found[high].criterion:
            for i in range(low + 1, high):
                found[i] = _as(group[i], found[low])
            continue
        middle = (low + high) // 2
        found[middle] = _flip(bom, on, rules, group[middle], change) or _as(group[middle], found[high])
        stack += [(low, middle), (middle, high)]


def _combination(
    bom: BOM, on: dt.date, rules: Sequence[ProductRule] | None, candidates: Sequence[Material]
) -> list[Flip]:
    """Flip materials largest VNM first until the good qualifies (a sufficient set, few materials). Flipping more
    never hurts, so the shortest sufficient prefix is found by bisection."""
    ordered = sorted(candidates, key=lambda m: -max(m.vnm, m.value))

    def trial(count: int) -> Determination:
        return _trial(bom, on, rules, ordered[:count], Material.as_originating)

    low, high, best = 1, len(ordered), None
    while low <= high:
        middle = (low + high) // 2
        result = trial(middle)
        if result.qualifies:
            best, high = (middle, result), middle - 1
        else:
            low = middle + 1
    if best is None:
        return []
    count, result = best
    return [Flip(x.line, x.description, x.hs, x.value, result.criterion) for x in ordered[:count]]
