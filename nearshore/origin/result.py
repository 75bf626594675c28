"""Result objects of an origin determination: each test with its inputs, result and margin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from nearshore.origin.frozen import filled_at_once

if TYPE_CHECKING:
    from nearshore.origin.bom import Material

Criterion = Literal["A", "B", "C", "D", "E"]
CRITERIA: dict[Criterion, str] = {
    "A": "wholly obtained or produced entirely in the territory of one or more USMCA countries (s. 3(1))",
    "B": "produced using non-originating materials that satisfy the product-specific rule (s. 3(2))",
    "C": "produced entirely from originating materials (s. 3(3))",
    "D": "parts provision / unassembled goods with the regional value content of s. 3(4)",
    "E": "a good of Table 2.10.1 imported from the territory of a USMCA country (s. 3(7); 19 U.S.C. 4531(c)(1)(E))",
}
EPSILON = 1e-9


@filled_at_once
@dataclass(frozen=True)
class Test:
    """One test run: its name, legal citation, outcome, measured value vs requirement and the inputs used."""

    name: str
    citation: str
    passed: bool
    value: float | None = None
    required: float | None = None
    comparison: Literal[">=", "<="] = ">="
    unit: str = "%"
    inputs: str = ""
    base: float | None = None  # the value a percentage is taken of (TV, NC, total cost, weight)

    @property
    def margin(self) -> float | None:
        if self.value is None or self.required is None:
            return None
        return self.value - self.required if self.comparison == ">=" else self.required - self.value

    def summary(self) -> str:
        if self.value is None or self.required is None:
            return self.inputs
        word = "required" if self.comparison == ">=" else "allowed"
        limit = "at least" if self.comparison == ">=" else "at most"
        margin = round(self.margin or 0.0, 9) + 0.0
        digits = self._digits()
        return (
            f"{self.value:.{digits}f}{self.unit} vs {limit} {self.required:g}{self.unit} {word} "
            f"(margin {margin:+.{digits}f} points)"
        )

    def _digits(self) -> int:
        """One decimal, or more when one decimal would show a failing value as meeting the limit."""
        assert self.value is not None
        assert self.required is not None
        for digits in (1, 2, 3, 4, 6):
            shown = round(self.value, digits)
            meets = shown >= self.required if self.comparison == ">=" else shown <= self.required
            if meets == self.passed:
                return digits
        return 6

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "citation": self.citation,
            "passed": self.passed,
            "value": None if self.value is None else round(self.value, 4),
            "required": self.required,
            "margin": None if self.margin is None else round(self.margin, 4),
            "unit": self.unit,
            "inputs": self.inputs,
            "summary": self.summary(),
        }


class ShiftResult(NamedTuple):
    """A non-originating material's tariff-shift outcome under one rule alternative."""

    line: int
    description: str
    hs: str | None
    value: float
    passed: bool
    rule_text: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "description": self.description,
            "hs": self.hs,
            "value": self.value,
            "passed": self.passed,
            "rule": self.rule_text,
        }


@filled_at_once
@dataclass(frozen=True)
class AlternativeResult:
    """The outcome of one alternative of one product-specific rule."""

    rule_id: str
    citation: str
    label: str
    text: str
    qualifies: bool
    tests: tuple[Test, ...] = ()
    checked: tuple[Material, ...] = ()  # the non-originating materials the shift test looked at
    de_minimis_used: bool = False
    unverified: tuple[str, ...] = ()
    met_but_conditions: bool = False
    failed_lines: frozenset[int] = frozenset()
    rule_text: str = ""

    @property
    def shifts(self) -> tuple[ShiftResult, ...]:
        """Each checked material's tariff-shift outcome (built on demand: determinations are made in bulk)."""
        failed = self.failed_lines
        return tuple(
            ShiftResult(m.line, m.description, m.hs, m.value, m.line not in failed, self.rule_text)
            for m in self.checked
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "citation": self.citation,
            "label": self.label,
            "text": self.text,
            "qualifies": self.qualifies,
            "de_minimis_used": self.de_minimis_used,
            "tests": [t.as_dict() for t in self.tests],
            "materials": [s.as_dict() for s in self.shifts],
            "unverified_conditions": list(self.unverified),
        }


@filled_at_once
@dataclass(frozen=True)
class Determination:
    """Does the good originate, under which criterion, and every test that led there."""

    source: str
    description: str
    hs: str
    date: dt.date
    qualifies: bool
    criterion: Criterion | None
    basis: str
    vnm: float
    rvc: dict[str, float | None]
    tests: tuple[Test, ...] = ()
    alternatives: tuple[AlternativeResult, ...] = ()
    automotive: tuple[Test, ...] = ()
    de_minimis_used: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def deciding_tests(self) -> tuple[Test, ...]:
        """The tests behind the answer: general ones, the qualifying alternative's, the automotive ones."""
        chosen = next((a for a in self.alternatives if a.qualifies), None)
        return self.tests + (chosen.tests if chosen else ()) + self.automotive

    @property
    def all_tests(self) -> tuple[Test, ...]:
        chosen = next((a for a in self.alternatives if a.qualifies), None)
        alt_tests = chosen.tests if chosen else tuple(t for a in self.alternatives for t in a.tests)
        return self.tests + alt_tests + self.automotive

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "description": self.description,
            "hs": self.hs,
            "date": self.date.isoformat(),
            "qualifies": self.qualifies,
            "criterion": self.criterion,
            "criterion_text": CRITERIA[self.criterion] if self.criterion else None,
            "basis": self.basis,
            "vnm": round(self.vnm, 6),
            "rvc": {k: None if v is None else round(v, 4) for k, v in self.rvc.items()},
            "de_minimis_used": self.de_minimis_used,
            "tests": [t.as_dict() for t in self.tests],
            "alternatives": [a.as_dict() for a in self.alternatives],
            "automotive": [t.as_dict() for t in self.automotive],
            "notes": list(self.notes),
        }
