"""Which product-specific rules govern a good: the BOM's own rule, or the shipped GN 11 rules.

Bridges the determination engine to `nearshore.origin.rules` (rules_for / the rule model). Tariff-shift
results are memoised per (shift, good) and material, since one BOM set reuses the same few rules.
"""

from __future__ import annotations

import datetime as dt
import functools

from nearshore.data.reference.hs import at_level, dotted
from nearshore.errors import DataNotFound
from nearshore.origin.bom import BOM, RuleOverride
from nearshore.origin.rules.index import RuleBook, rules_for, shipped_rules
from nearshore.origin.rules.model import (
    Alternative,
    CodeRange,
    Condition,
    ProductRule,
    RvcRequirement,
    TariffShift,
)


@functools.lru_cache(maxsize=100_000)
def shift_memo(shift: TariffShift, good_hs: str) -> dict[str, bool]:
    """The memo of `shift.satisfied_by(material, good_hs)` results by material code, filled by the caller.

    Keyed by the (frozen, hashable) shift itself, so equal rules share a memo and no id is ever reused; one
    memo per (shift, good) keeps the per-material look-up a plain dict access in the determination loop.
    """
    return {}


def override_rule(bom: BOM, rule: RuleOverride) -> ProductRule:
    """A ProductRule built from the `rule:` section of a BOM (one alternative)."""
    hs = bom.good.hs
    conditions: list[Condition] = []
    if rule.shift != "none":
        scope = (CodeRange.single(at_level(hs, rule.shift)),)
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
        scope=(CodeRange.single(at_level(hs, "subheading")),),
        text=text,
        alternatives=(Alternative(tuple(conditions), text=text),),
    )


def rules_for_good(bom: BOM, on: dt.date, book: RuleBook | None = None) -> list[ProductRule]:
    """The rules to apply: the BOM's `rule:` if given, else the shipped (or `book`'s) rules in force on `on`.

    An HS code no rule covers gives an empty list (the engine then tests criteria A and C only).
    """
    if bom.rule is not None:
        return [override_rule(bom, bom.rule)]
    book = book or shipped_rules()
    good = bom.good
    key = (good.hs, on, good.country, good.export_to, good.for_vehicle, good.original_equipment)
    memo = _chosen.get(id(book))
    if memo is None or memo[0] is not book:
        memo = _chosen[id(book)] = (book, {})
    rules = memo[1].get(key)
    if rules is None:
        rules = _book_rules(bom, on, book)
        if len(memo[1]) < _CHOSEN_LIMIT:
            memo[1][key] = rules
    return list(rules)


# book id -> (book, good's rule inputs -> the rules chosen): a portfolio's BOMs share a few codes. The book is
# kept with its memo so that its id is never reused while the memo lives.
_chosen: dict[int, tuple[RuleBook, dict[tuple[object, ...], list[ProductRule]]]] = {}
_CHOSEN_LIMIT = 100_000


def _book_rules(bom: BOM, on: dt.date, book: RuleBook) -> list[ProductRule]:
    """`rules_for_good`'s answer from the book: it depends on the good's code, country, export_to, for_vehicle
    and original_equipment (the memo's key) and on the date."""
    try:
        found = rules_for(dotted(bom.good.hs), book)
    except DataNotFound:
        return []
    rules = [r for r in found if not r.is_note and r.in_force(on)]
    return _for_trade(_for_use(rules, bom), bom)


def _for_trade(rules: list[ProductRule], bom: BOM) -> list[ProductRule]:
    """Pick the trade-direction variant ('Canada-US', 'Mexico-US', 'all other trade') by producer country and
    `good.export_to`; without `export_to` every variant is kept (the report shows each)."""
    scoped = [r for r in rules if r.trade_scope]
    if not scoped or bom.good.export_to is None:
        return rules
    pair = {bom.good.country, bom.good.export_to}
    wanted = "Canada-US" if pair == {"CA", "US"} else "Mexico-US" if pair == {"MX", "US"} else "all other trade"
    return [r for r in rules if not r.trade_scope or r.trade_scope == wanted]


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
