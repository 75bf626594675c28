"""Which product-specific rules govern a good: the BOM's own rule, or the shipped GN 11 rules.

Bridges the determination engine to `nearshore.origin.rules` (rules_for / the rule model). Tariff-shift
results are cached per (shift, material, good), since one BOM set reuses the same few rules.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from typing import Any

from nearshore.data.reference.hs import dotted
from nearshore.errors import DataNotFound
from nearshore.origin.bom import BOM, RuleOverride
from nearshore.origin.rules.model import (
    Alternative,
    CodeRange,
    Condition,
    ProductRule,
    RvcRequirement,
    TariffShift,
)

_SHIFT_CACHE: dict[tuple[TariffShift, str], dict[str, bool]] = {}
_LEVEL_DIGITS = {"chapter": 2, "heading": 4, "subheading": 6}


def shift_memo(shift: TariffShift, good_hs: str) -> dict[str, bool]:
    """The memo of `shift.satisfied_by(material, good_hs)` results by material code.

    Keyed by the (frozen, hashable) shift itself, so equal rules share a memo and no id is ever reused.
    """
    key = (shift, good_hs)
    memo = _SHIFT_CACHE.get(key)
    if memo is None:
        if len(_SHIFT_CACHE) > 100_000:
            _SHIFT_CACHE.clear()
        memo = _SHIFT_CACHE[key] = {}
    return memo


def shift_ok(shift: TariffShift, material_hs: str, good_hs: str) -> bool:
    """`shift.satisfied_by`, memoised."""
    memo = shift_memo(shift, good_hs)
    hit = memo.get(material_hs)
    if hit is None:
        hit = memo[material_hs] = shift.satisfied_by(material_hs, good_hs)
    return hit


def override_rule(bom: BOM, rule: RuleOverride) -> ProductRule:
    """A ProductRule built from the `rule:` section of a BOM (one alternative)."""
    hs = bom.good.hs
    conditions: list[Condition] = []
    if rule.shift != "none":
        scope = (CodeRange.single(hs[: _LEVEL_DIGITS[rule.shift]]),)
        exceptions = tuple(CodeRange.single(code) for code in rule.except_from)
        conditions.append(TariffShift(rule.shift, scope, exceptions))
    if rule.rvc:
        conditions.append(RvcRequirement(rule.rvc.get("transaction_value"), rule.rvc.get("net_cost")))
    text = rule.text or "; ".join(c.describe() for c in conditions) or "no requirement"
    return ProductRule(
        id="bom",
        citation=f"rule given in {bom.source}",
        chapter=hs[:2],
        kind="psr",
        scope=(CodeRange.single(hs[:6]),),
        text=text,
        alternatives=(Alternative(tuple(conditions), text=text),),
    )


def _in_force(rule: ProductRule, on: dt.date) -> bool:
    """The rule's phase window (`ProductRule.in_force`), when the rule model has one."""
    check = getattr(rule, "in_force", None)
    return bool(check(on)) if callable(check) else True


@functools.cache
def _rules_for() -> Any:
    """`nearshore.origin.rules.rules_for` (looked up once; None if the rules package lacks it)."""
    return getattr(importlib.import_module("nearshore.origin.rules"), "rules_for", None)


def rules_for_good(bom: BOM, on: dt.date, book: object | None = None) -> list[ProductRule]:
    """The rules to apply: the BOM's `rule:` if given, else the shipped (or `book`'s) rules in force on `on`.

    An HS code no rule covers gives an empty list (the engine then tests criteria A and C only).
    """
    if bom.rule is not None:
        return [override_rule(bom, bom.rule)]
    rules_for = _rules_for()
    if rules_for is None:
        return []
    try:
        found: list[ProductRule] = list(rules_for(dotted(bom.good.hs), book))
    except DataNotFound:
        return []
    rules = [r for r in found if not r.is_note and _in_force(r, on)]
    return _for_trade(_for_use(rules, bom), bom)


def _for_trade(rules: list[ProductRule], bom: BOM) -> list[ProductRule]:
    """Pick the trade-direction variant ('Canada-US', 'Mexico-US', 'all other trade') by producer country and
    `good.export_to`; without `export_to` every variant is kept (the report shows each)."""
    scoped = [r for r in rules if getattr(r, "trade_scope", None)]
    if not scoped or bom.good.export_to is None:
        return rules
    pair = {bom.good.country, bom.good.export_to}
    wanted = "Canada-US" if pair == {"CA", "US"} else "Mexico-US" if pair == {"MX", "US"} else "all other trade"
    return [r for r in rules if not getattr(r, "trade_scope", None) or r.trade_scope == wanted]


_VEHICLE_WORDS = {
    "passenger": "passenger vehicle",
    "light_truck": "light truck",
    "heavy_truck": "heavy truck",
}


def _for_use(rules: list[ProductRule], bom: BOM) -> list[ProductRule]:
    """Keep the variant for the good's use: 'for use in a passenger vehicle...' (original equipment under
    Part 6) or 'for any other good'; rules without such a restriction always apply."""
    good = bom.good
    vehicle = good.for_vehicle if good.original_equipment else None

    def fits(rule: ProductRule) -> bool:
        text = (rule.applies_to or "").lower()
        if "for use in" in text:
            return vehicle is not None and _VEHICLE_WORDS[vehicle] in text
        if "any other good" in text:
            return vehicle is None or not any("for use in" in (r.applies_to or "").lower() for r in rules)
        return True

    return [r for r in rules if fits(r)]
