"""The structure of a USMCA product-specific rule (HTSUS General Note 11(o) / Annex 4-B).

A rule (`ProductRule`) covers a scope of HS codes and offers one or more `Alternative`s; the good
qualifies under the rule when it meets every condition of at least one alternative. Conditions are:

- `TariffShift`: each non-originating material must undergo a change in tariff classification;
- `RvcRequirement`: a regional value content threshold by method (transaction value / net cost);
- `NoChangeRequired`: "No change in tariff classification required" (the alternative then rests
  on its other conditions, usually an RVC);
- `ProcessRule`: a condition kept as its legal text because it cannot be checked from codes alone
  (textile processes, "provided that" component or weight limits, goods descriptions).

HS codes are handled as digit strings: chapter 2 digits, heading 4, subheading 6, tariff item 8
(or 10 for statistical suffixes), normalised and printed by `nearshore.data.reference.hs`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, get_args

from nearshore.data.reference import hs as hscode

Level = Literal["chapter", "heading", "subheading", "tariff_item"]
LEVELS: tuple[Level, ...] = get_args(Level)
LEVEL_DIGITS: dict[Level, int] = {level: hscode.LEVEL_DIGITS[level] for level in LEVELS}

RuleKind = Literal["psr", "chapter_rule", "heading_rule", "subheading_rule", "section_rule"]
RULE_KINDS: tuple[RuleKind, ...] = get_args(RuleKind)


@dataclass(frozen=True)
class CodeRange:
    """An inclusive range of HS codes at one level ('7208'-'7216'); a single code has start == end.

    `description` narrows the range to some goods of it ("carrageenan of subheading 1302.39"); it
    is kept as text and ignored by `contains`.
    """

    start: str
    end: str
    description: str | None = None

    @classmethod
    def single(cls, code: str, description: str | None = None) -> CodeRange:
        digits = hscode.normalise(code)
        return cls(digits, digits, description)

    @property
    def level(self) -> Level:
        for level, digits in LEVEL_DIGITS.items():
            if len(self.start) <= digits:
                return level
        return "tariff_item"

    def contains(self, hs: str) -> bool:
        """True when the code (any length, digits) falls in the range at the range's own precision.

        A code shorter than the range (e.g. a 6-digit good against a tariff-item range) is
        compared on its own digits, so '870829' is inside '87082950'-'87082950'.
        """
        n = len(self.start)
        code = hs[:n]
        start, end = self.start[: len(code)], self.end[: len(code)]
        return start <= code <= end

    @property
    def code_text(self) -> str:
        """'8708.29' or '7208-7216', without the description."""
        start = hscode.dotted(self.start)
        return start if self.start == self.end else f"{start}-{hscode.dotted(self.end)}"

    def __str__(self) -> str:
        return f"{self.code_text} ({self.description})" if self.description else self.code_text


def in_any(ranges: tuple[CodeRange, ...], hs: str) -> bool:
    return any(r.contains(hs) for r in ranges)


@dataclass(frozen=True)
class TariffShift:
    """A change in tariff classification required of every non-originating material.

    - `level`: the level at which "any other ..." is measured (chapter, heading, subheading, item).
    - `to_scope`: the goods the shift leads to ("A change to heading 87.08 ...").
    - `from_scope`: the only classifications a material may come from ("from heading 8708");
      empty means "from any other <level>".
    - `exceptions`: "except from ..." codes; a material classified there never satisfies the shift.
    - `allow_within`: a material of the same code as the good also satisfies it ("from within
      that subheading", "from any other good within that heading"); `within_level` names that
      code's level when it is not the level of `to_scope`.
    - `outside_group`: the material must come from outside the whole `to_scope` group
      ("from any heading outside that group"). Without it, a material of another code inside
      the group satisfies a group rule ("including another subheading within that group").
    - `also_from_level`: "whether or not there is also a change from any other <level>": a
      material differing from the good at that level satisfies the shift as well. The same
      field holds "from <codes> or any other <level>".
    """

    level: Level
    to_scope: tuple[CodeRange, ...]
    exceptions: tuple[CodeRange, ...] = ()
    allow_within: bool = False
    from_scope: tuple[CodeRange, ...] = ()
    outside_group: bool = False
    also_from_level: Level | None = None
    within_level: Level | None = None

    def satisfied_by(self, material_hs: str, good_hs: str) -> bool:
        """Does a non-originating material of `material_hs` undergo this change in a good of `good_hs`?

        Both codes may carry dots. Only the classification is checked: descriptions in the scope
        ("a smoked good of ...") and any other condition of the alternative are the caller's.
        In order: a material in `exceptions` fails; one sharing the good's code passes when the
        rule allows a change from within it (`allow_within`); one differing from the good at
        `also_from_level` passes (with `outside_group`, only from outside the group); with a
        `from_scope` the material must lie in it and differ from the good at `level`, unless the
        source range is described goods of the good's own code; otherwise
        it must differ from the good at `level` (and lie outside the group when `outside_group`).
        """
        material, good = hscode.normalise(material_hs), hscode.normalise(good_hs)
        if in_any(self.exceptions, material):
            return False
        if self.allow_within and same(material, good, self.within_level or self.scope_level):
            return True
        outside = not (self.outside_group and in_any(self.to_scope, material))
        if self.also_from_level is not None and differs(material, good, self.also_from_level) and outside:
            return True
        if self.from_scope:
            return any(
                r.contains(material) and (differs(material, good, self.level) or _names_own_goods(r, good))
                for r in self.from_scope
            )
        if self.outside_group and in_any(self.to_scope, material):
            return False
        return differs(material, good, self.level)

    @property
    def scope_level(self) -> Level:
        """The level of the goods' codes in `to_scope` (subheading for '8708.29')."""
        return self.to_scope[0].level if self.to_scope else self.level

    def describe(self) -> str:
        """A short structured reading, e.g. 'CTH to 8708 except 7208-7216'."""
        code = {"chapter": "CC", "heading": "CTH", "subheading": "CTSH", "tariff_item": "CTI"}[self.level]
        text = f"{code} to {', '.join(map(str, self.to_scope))}"
        if self.from_scope:
            text += f" from {', '.join(map(str, self.from_scope))}"
        if self.outside_group:
            text += " (from outside the group)"
        if self.allow_within:
            text += " (or from within the same code)"
        if self.exceptions:
            text += f" except {', '.join(map(str, self.exceptions))}"
        if self.also_from_level:
            text += f" (whether or not also a change of {self.also_from_level})"
        return text


def _names_own_goods(source: CodeRange, good: str) -> bool:
    """A described source inside the good's own code ("gear boxes of subheading 8708.40 from any other
    good of subheadings 8708.40 or 8708.99"): the change is between goods of that code, so a material
    of it qualifies; the description is the alternative's `goods` condition."""
    return source.description is not None and source.contains(good)


def differs(material: str, good: str, level: Level) -> bool:
    """True when the two codes differ in their first digits at `level`."""
    n = LEVEL_DIGITS[level]
    if len(material) < n or len(good) < n:
        n = min(len(material), len(good))
    return material[:n] != good[:n]


def same(material: str, good: str, level: Level) -> bool:
    return not differs(material, good, level)


@dataclass(frozen=True)
class RvcRequirement:
    """Regional value content thresholds in percent; None where the method is not allowed."""

    transaction_value: float | None
    net_cost: float | None

    def describe(self) -> str:
        parts = []
        if self.transaction_value is not None:
            parts.append(f"RVC {self.transaction_value:g}% (transaction value)")
        if self.net_cost is not None:
            parts.append(f"RVC {self.net_cost:g}% (net cost)")
        return " or ".join(parts)

    def satisfied_by(self, transaction_value_pct: float | None, net_cost_pct: float | None) -> bool:
        """True when either allowed method's computed RVC (percent) reaches its threshold."""
        tv = (
            self.transaction_value is not None
            and transaction_value_pct is not None
            and (transaction_value_pct >= self.transaction_value)
        )
        nc = self.net_cost is not None and net_cost_pct is not None and net_cost_pct >= self.net_cost
        return tv or nc


@dataclass(frozen=True)
class NoChangeRequired:
    """'No change in tariff classification required' (or '... to a good of <to_scope>'): no shift test."""

    to_scope: tuple[CodeRange, ...] = ()

    def describe(self) -> str:
        return "no change in tariff classification required"


ProcessKind = Literal["process", "component", "weight", "goods", "other"]


@dataclass(frozen=True)
class ProcessRule:
    """A condition kept as legal text: it cannot be evaluated from HS codes and values alone."""

    text: str
    kind: ProcessKind = "other"

    def describe(self) -> str:
        return f"{self.kind} condition: {self.text}"


Condition = TariffShift | RvcRequirement | NoChangeRequired | ProcessRule


@dataclass(frozen=True)
class Alternative:
    """One way to qualify: every condition must hold. `label` is the printed '(A)', '(B)'..."""

    conditions: tuple[Condition, ...]
    label: str = ""
    text: str = ""

    @property
    def tariff_shifts(self) -> tuple[TariffShift, ...]:
        return tuple(c for c in self.conditions if isinstance(c, TariffShift))

    @property
    def rvc(self) -> RvcRequirement | None:
        return next((c for c in self.conditions if isinstance(c, RvcRequirement)), None)

    @property
    def mechanical(self) -> bool:
        """True when every condition can be checked from codes and values (no ProcessRule)."""
        return not any(isinstance(c, ProcessRule) for c in self.conditions)

    def describe(self) -> str:
        return " AND ".join(c.describe() for c in self.conditions)


@dataclass(frozen=True)
class ProductRule:
    """One rule of GN 11(o) with its citation, the codes it covers and its parsed alternatives.

    `alternatives` is empty for notes (chapter/heading/subheading/section rules) and for rules
    that could not be parsed (then `unparsed_reason` says why). `applies_to` keeps a leading
    "For a good of heading 8707 for use in a heavy truck" restriction; `qualifier` the phase or
    trade-direction label ("phase 2 (2023-07-01 and thereafter)", "Canada-US trade"), and
    `valid_from` / `valid_until` the phase window as ISO dates (see `in_force`).
    """

    id: str
    citation: str
    chapter: str
    kind: RuleKind
    scope: tuple[CodeRange, ...]
    text: str
    alternatives: tuple[Alternative, ...] = ()
    rule_number: int | None = None
    applies_to: str | None = None
    qualifier: str | None = None
    trade_scope: str | None = None
    flags: tuple[str, ...] = field(default=())
    unparsed_reason: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None

    def in_force(self, on: dt.date) -> bool:
        """True when `on` falls in the rule's window: from `valid_from` (ISO date, inclusive) to
        `valid_until` (ISO date, exclusive: the day the next phase begins); open ends are unbounded."""
        if self.valid_from and on < dt.date.fromisoformat(self.valid_from):
            return False
        return not (self.valid_until and on >= dt.date.fromisoformat(self.valid_until))

    @property
    def parsed(self) -> bool:
        return self.unparsed_reason is None

    @property
    def is_note(self) -> bool:
        """A chapter/heading/subheading/section note: kept as text, not a rule with alternatives."""
        return self.kind != "psr" and not self.alternatives and self.unparsed_reason is None

    def covers(self, code: str) -> bool:
        return in_any(self.scope, hscode.normalise(code))

    @property
    def scope_text(self) -> str:
        return ", ".join(str(r) for r in self.scope)

    def row(self) -> tuple[str, str, str, str, str, str]:
        """The rule as a table row; see RULE_COLUMNS."""
        condition = "; ".join(p for p in (self.applies_to, self.qualifier, self.trade_scope) if p)
        return (self.id, self.citation, self.scope_text, condition, self.text, self.summary())

    def __str__(self) -> str:
        lines = [f"{self.citation} [{self.id}] covers {self.scope_text}"]
        lines += [f"  {p}" for p in (self.applies_to, self.qualifier) if p]
        lines.append(f"  text: {self.text}")
        lines += [f"  {a.label or '-'} {a.describe()}" for a in self.alternatives]
        if self.unparsed_reason:
            lines.append(f"  not parsed: {self.unparsed_reason}")
        return "\n".join(lines)

    def summary(self) -> str:
        if self.unparsed_reason:
            return f"not parsed: {self.unparsed_reason}"
        if not self.alternatives:
            return "note"
        return " | ".join(f"{a.label + ' ' if a.label else ''}{a.describe()}" for a in self.alternatives)


RULE_COLUMNS = ("id", "citation", "scope", "applies to", "text", "structure")
