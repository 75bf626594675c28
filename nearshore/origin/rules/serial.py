"""Rules to and from plain JSON; the one schema of the shipped rule file and of users' rule files.

A rule is an object:

    {"id": "GN11-87-018", "citation": "GN 11(o), Chapter 87, rule 18", "chapter": "87",
     "kind": "psr", "scope": ["8707"], "text": "...", "rule_number": 18,
     "applies_to": "For a good of heading 8707 for use in a heavy truck", "qualifier": null,
     "trade_scope": null, "flags": [], "unparsed_reason": null,
     "alternatives": [{"label": "(A)", "text": "...", "conditions": [
         {"type": "tariff_shift", "level": "chapter", "to": ["8707"], "except": [], "from": [],
          "allow_within": false, "within_level": null, "outside_group": false, "also_from_level": null},
         {"type": "rvc", "transaction_value": null, "net_cost": 70},
         {"type": "no_change", "to": ["8707"]},
         {"type": "process", "kind": "process", "text": "the good is both cut and sewn ..."}]}]}

Codes are written with or without dots; a range is "7208-7216"; a code narrowed to some goods is
{"code": "5903.10", "description": "fabric of man-made fibers"} (or {"start", "end", "description"}).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

from nearshore.data.reference.hs import normalise
from nearshore.errors import InvalidHSCode, Problem
from nearshore.origin.rules.model import (
    LEVELS,
    RULE_KINDS,
    Alternative,
    CodeRange,
    Condition,
    Level,
    NoChangeRequired,
    ProcessKind,
    ProcessRule,
    ProductRule,
    RuleKind,
    RvcRequirement,
    TariffShift,
)

PROCESS_KINDS: tuple[ProcessKind, ...] = get_args(ProcessKind)
CONDITION_TYPES = ("tariff_shift", "rvc", "no_change", "process")


def range_to_json(r: CodeRange) -> str | dict[str, str]:
    text = r.code_text
    if r.description is None:
        return text
    return {"code": text, "description": r.description}


def condition_to_json(c: Condition) -> dict[str, Any]:
    if isinstance(c, TariffShift):
        return {
            "type": "tariff_shift",
            "level": c.level,
            "to": [range_to_json(r) for r in c.to_scope],
            "from": [range_to_json(r) for r in c.from_scope],
            "except": [range_to_json(r) for r in c.exceptions],
            "allow_within": c.allow_within,
            "within_level": c.within_level,
            "outside_group": c.outside_group,
            "also_from_level": c.also_from_level,
        }
    if isinstance(c, RvcRequirement):
        return {"type": "rvc", "transaction_value": c.transaction_value, "net_cost": c.net_cost}
    if isinstance(c, NoChangeRequired):
        return {"type": "no_change", "to": [range_to_json(r) for r in c.to_scope]}
    return {"type": "process", "kind": c.kind, "text": c.text}


def rule_to_json(rule: ProductRule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "citation": rule.citation,
        "chapter": rule.chapter,
        "kind": rule.kind,
        "scope": [range_to_json(r) for r in rule.scope],
        "text": rule.text,
        "rule_number": rule.rule_number,
        "applies_to": rule.applies_to,
        "qualifier": rule.qualifier,
        "trade_scope": rule.trade_scope,
        "flags": list(rule.flags),
        "unparsed_reason": rule.unparsed_reason,
        "valid_from": rule.valid_from,
        "valid_until": rule.valid_until,
        "alternatives": [
            {"label": a.label, "text": a.text, "conditions": [condition_to_json(c) for c in a.conditions]}
            for a in rule.alternatives
        ],
    }


class _Reader:
    """Reads one rule object, collecting every problem with the field path where it sits."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, field: str, value: object, message: str, fix: str = "") -> None:
        self.problems.append(Problem("", None, field, None if value is None else str(value), message, fix, "line"))

    def text(self, obj: dict[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(f"{path}{key}", None, "is missing", f"add a {key!r} string")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(f"{path}{key}", value, "must be a non-empty string")
            return None
        return value

    def level(self, value: object, field: str, *, optional: bool = False) -> Level | None:
        if value is None and optional:
            return None
        for level in LEVELS:
            if value == level:
                return level
        self.fail(field, value, "unknown level", f"allowed values are {', '.join(LEVELS)}")
        return None

    def date(self, obj: dict[str, Any], key: str) -> str | None:
        value = obj.get(key)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            self.fail(key, value, "is not a date", "write an ISO date such as 2023-07-01, or null")
            return None

    def ranges(self, value: object, field: str) -> tuple[CodeRange, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(field, value, "must be a list of codes", 'e.g. ["8708.29", "7208-7216"]')
            return ()
        out = []
        for i, item in enumerate(value):
            r = self.code_range(item, f"{field}[{i}]")
            if r is not None:
                out.append(r)
        return tuple(out)

    def code_range(self, item: object, field: str) -> CodeRange | None:
        description = None
        if isinstance(item, dict):
            description = item.get("description")
            if "code" in item:
                item = item["code"]
            elif "start" in item:
                item = f"{item['start']}-{item.get('end', item['start'])}"
        if not isinstance(item, str):
            self.fail(field, item, "must be a code string", 'write "8708.29" or "7208-7216"')
            return None
        start_text, _, end_text = item.partition("-")
        try:
            start = normalise(start_text)
            end = normalise(end_text) if end_text else start
        except InvalidHSCode:
            self.fail(field, item, "is not an HS code or range", 'write "8708.29" or "7208-7216"')
            return None
        if len(start) != len(end) or end < start:
            self.fail(field, item, "is not a valid range", "start and end need the same digits, start first")
            return None
        return CodeRange(start, end, description if isinstance(description, str) else None)

    def threshold(self, value: object, field: str) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            self.fail(field, value, "must be a percentage between 0 and 100 or null")
            return None
        return float(value)

    def condition(self, obj: object, path: str) -> Condition | None:
        if not isinstance(obj, dict):
            self.fail(path, obj, "must be an object")
            return None
        kind = obj.get("type")
        if kind == "tariff_shift":
            level = self.level(obj.get("level"), f"{path}.level")
            to_scope = self.ranges(obj.get("to"), f"{path}.to")
            if not obj.get("to"):
                self.fail(f"{path}.to", obj.get("to"), "needs at least one code", 'e.g. "to": ["8708.29"]')
            shift = TariffShift(
                level=level or "heading",
                to_scope=to_scope,
                exceptions=self.ranges(obj.get("except"), f"{path}.except"),
                allow_within=bool(obj.get("allow_within", False)),
                from_scope=self.ranges(obj.get("from"), f"{path}.from"),
                outside_group=bool(obj.get("outside_group", False)),
                also_from_level=self.level(obj.get("also_from_level"), f"{path}.also_from_level", optional=True),
                within_level=self.level(obj.get("within_level"), f"{path}.within_level", optional=True),
            )
            return shift
        if kind == "rvc":
            tv = self.threshold(obj.get("transaction_value"), f"{path}.transaction_value")
            nc = self.threshold(obj.get("net_cost"), f"{path}.net_cost")
            if tv is None and nc is None:
                self.fail(path, None, "an rvc condition needs transaction_value or net_cost")
            return RvcRequirement(tv, nc)
        if kind == "no_change":
            return NoChangeRequired(self.ranges(obj.get("to"), f"{path}.to"))
        if kind == "process":
            text = self.text(obj, "text", f"{path}.") or ""
            process_kind = obj.get("kind", "other")
            if process_kind not in PROCESS_KINDS:
                self.fail(f"{path}.kind", process_kind, "unknown kind", f"allowed: {', '.join(PROCESS_KINDS)}")
                process_kind = "other"
            return ProcessRule(text, process_kind)
        self.fail(f"{path}.type", kind, "unknown condition type", f"allowed: {', '.join(CONDITION_TYPES)}")
        return None

    def kind(self, obj: dict[str, Any]) -> RuleKind:
        raw = obj.get("kind", "psr")
        for kind in RULE_KINDS:
            if raw == kind:
                return kind
        self.fail("kind", raw, "unknown rule kind", f"allowed values are {', '.join(RULE_KINDS)}")
        return "psr"

    def alternatives(self, obj: dict[str, Any], kind: RuleKind) -> list[Alternative]:
        """The rule's alternatives; a product-specific rule needs one unless it says why it was not parsed."""
        raw = obj.get("alternatives", [])
        if not isinstance(raw, list):
            self.fail("alternatives", raw, "must be a list")
            raw = []
        alternatives = []
        for i, alt in enumerate(raw):
            path = f"alternatives[{i}]"
            if not isinstance(alt, dict) or not isinstance(alt.get("conditions"), list) or not alt["conditions"]:
                self.fail(path, None, "must be an object with a non-empty 'conditions' list")
                continue
            conditions = [self.condition(c, f"{path}.conditions[{j}]") for j, c in enumerate(alt["conditions"])]
            label, text = str(alt.get("label", "")), str(alt.get("text", ""))
            alternatives.append(Alternative(tuple(c for c in conditions if c is not None), label, text))
        if kind == "psr" and not raw and not obj.get("unparsed_reason"):
            self.fail(
                "alternatives",
                None,
                "a product-specific rule needs at least one alternative",
                'add "alternatives" (or "unparsed_reason" saying why there are none)',
            )
        return alternatives

    def rule(self, obj: object) -> ProductRule | None:
        if not isinstance(obj, dict):
            self.fail("(rule)", type(obj).__name__, "a rule must be a JSON object")
            return None
        rule_id = self.text(obj, "id", "")
        citation = self.text(obj, "citation", "")
        text = self.text(obj, "text", "")
        kind = self.kind(obj)
        scope = self.ranges(obj.get("scope"), "scope")
        if not obj.get("scope"):
            self.fail("scope", obj.get("scope"), "needs at least one code", 'e.g. "scope": ["6401.10"]')
        alternatives = self.alternatives(obj, kind)
        number = obj.get("rule_number")
        if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
            self.fail("rule_number", number, "must be an integer or null")
            number = None
        flags = obj.get("flags", [])
        valid_from, valid_until = self.date(obj, "valid_from"), self.date(obj, "valid_until")
        if self.problems or rule_id is None or citation is None or text is None:
            return None
        chapter = obj.get("chapter") or scope[0].start[:2]
        return ProductRule(
            id=rule_id,
            citation=citation,
            chapter=str(chapter),
            kind=kind,
            scope=scope,
            text=text,
            alternatives=tuple(alternatives),
            rule_number=number,
            applies_to=obj.get("applies_to"),
            qualifier=obj.get("qualifier"),
            trade_scope=obj.get("trade_scope"),
            flags=tuple(str(f) for f in flags) if isinstance(flags, list) else (),
            unparsed_reason=obj.get("unparsed_reason"),
            valid_from=valid_from,
            valid_until=valid_until,
        )


def rule_from_json(obj: object) -> tuple[ProductRule | None, list[Problem]]:
    """A rule and the problems found reading it (the rule is None when there are any)."""
    reader = _Reader()
    rule = reader.rule(obj)
    return rule, reader.problems
