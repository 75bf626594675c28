"""Rate texts of the Harmonized Tariff Schedule, parsed into structured rates.

A rate text ("2.5%", "1.9¢/kg + 4.7%", "Free", "$1.35/kg on molybdenum content + 1.9%", "The duty provided in
the applicable subheading + 25%") becomes a `Rate`: a tuple of `Term`s joined by "+", each either ad valorem
(a fraction of a value), specific (dollars per unit) or a reference to another provision. A term may carry a
qualifier ("on the case", "on drained weight", "of the fair retail value") and a minimum or maximum clause.

Kinds: free, ad_valorem, specific, compound (specific + ad valorem), reference (the rate depends on another
provision; may be combined with numeric terms), no_change (Chapter 99: the column is not modified).
Text that fits none of these raises `RateParseError`; the schedule's coverage report lists every such text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from nearshore.errors import RateParseError

RateKind = Literal["free", "ad_valorem", "specific", "compound", "reference", "no_change"]
TermKind = Literal["ad_valorem", "specific", "reference"]

RATE_KINDS: tuple[RateKind, ...] = ("free", "ad_valorem", "specific", "compound", "reference", "no_change")


@dataclass(frozen=True)
class Term:
    """One "+"-separated part of a rate.

    ad_valorem: `value` is a fraction (0.025 for 2.5%). specific: `value` is U.S. dollars per `unit`.
    reference: `value` is 0 and `qualifier` holds the text ("The duty provided in the applicable subheading").
    `qualifier` narrows what the term applies to ("on the case", "on drained weight"); '' when it applies to
    the whole article. `minimum`/`maximum` are in the same unit as `value` when the text states them.
    """

    kind: TermKind
    value: float
    unit: str = ""
    qualifier: str = ""
    minimum: float | None = None
    maximum_text: str = ""

    @property
    def whole_article(self) -> bool:
        return not self.qualifier


@dataclass(frozen=True)
class Rate:
    text: str
    kind: RateKind
    terms: tuple[Term, ...] = ()
    condition: str = ""  # e.g. "under bond, as prescribed in U.S. note 4" for conditional free rates

    @property
    def ad_valorem(self) -> float:
        """Sum of the whole-article ad valorem terms (a fraction)."""
        return sum(t.value for t in self.terms if t.kind == "ad_valorem" and t.whole_article)

    @property
    def specific(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.kind == "specific")

    @property
    def has_components(self) -> bool:
        """True when some term applies to a part of the article or a content (case, strap, lead content)."""
        return any(t.qualifier and t.kind != "reference" for t in self.terms)


FREE = Rate("Free", "free")
NO_CHANGE = Rate("No change", "no_change")

_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?(?:\s+\d+/\d+)?"
_AD_VALOREM = re.compile(rf"^({_NUMBER})\s*(?:%|percent\b)\s*(.*)$", re.IGNORECASE)
_SPECIFIC = re.compile(rf"^(\$)?\s*({_NUMBER})\s*(¢)?\s*(?:/\s*(.+)|\s*(each)\b\s*(.*)|\s*(for each .+))$")
_NOT_LESS = re.compile(rf"not less(?: than)?\s+(\$)?\s*({_NUMBER})\s*(¢)?", re.IGNORECASE)
_UNIT_END = re.compile(r"\s+(?=(?:on|of|less|over|including)\b)|,\s*(?=including)")
_REFERENCE_STARTS = (
    "the duty provided",
    "the duty rate provided",
    "the rate",
    "a duty",
    "see ",
    "the duty upon",
    "the rate of duty",
)
_FREE_CONDITION = re.compile(r"^free\s*(?:,\s*(.+)|\((see .+)\))$", re.IGNORECASE)


def _number(text: str) -> float:
    """'2.5' -> 2.5, '33 1/3' -> 33.333..., '1,000' -> 1000."""
    text = text.replace(",", "").strip()
    whole, _, frac = text.partition(" ")
    value = Fraction(whole)
    if frac:
        value += Fraction(frac)
    return float(value)


def _clean(text: str) -> str:
    text = text.replace("\n", " ").replace("\u00a0", " ")
    text = re.sub(r"(\w)- (\w)", r"\1\2", text)  # words hyphenated across PDF lines: "import- ed"
    return re.sub(r"\s+", " ", text).strip()


def _split_terms(text: str) -> list[str]:
    # '+' joins terms; a "+" right after a letter is a programme mark (A+), never in these columns.
    return [part.strip() for part in re.split(r"\s*\+\s*", text)]


def _unit(raw: str) -> tuple[str, str]:
    """Split '/kg on drained weight' -> ('kg', 'on drained weight')."""
    raw = raw.strip()
    parts = _UNIT_END.split(raw, maxsplit=1)
    unit = parts[0].strip().rstrip(",")
    rest = parts[1].strip() if len(parts) > 1 else ""
    return re.sub(r"\s*/\s*", "/", unit), rest


def parse_term(text: str, whole: str) -> Term:
    match = _AD_VALOREM.match(text)
    if match:
        qualifier = match.group(2).strip()
        if qualifier and not qualifier[0].isalpha():
            raise RateParseError(f"rate {whole!r}: unexpected {qualifier!r} after the percentage")
        return Term("ad_valorem", round(_number(match.group(1)) / 100.0, 12), qualifier=qualifier)
    match = _SPECIFIC.match(text)
    if match:
        dollars, amount, cents, per_unit, each, each_rest, for_each = match.groups()
        if bool(dollars) == bool(cents):
            raise RateParseError(f"rate {whole!r}: amount {text!r} must be in dollars ($) or cents (¢)")
        value = round(_number(amount) / (100.0 if cents else 1.0), 12)
        if per_unit is not None:
            unit, qualifier = _unit(per_unit)
        elif each is not None:
            unit, qualifier = "each", (each_rest or "").strip()
        else:
            unit, qualifier = "piece", for_each.strip()
        minimum = None
        maximum_text = ""
        floor = _NOT_LESS.search(qualifier)
        if floor:
            minimum = round(_number(floor.group(2)) / (100.0 if floor.group(3) else 1.0), 12)
        if "shall not exceed" in qualifier:
            maximum_text = qualifier[qualifier.index("shall not exceed") :]
        if not unit or not re.match(r"^[\w.]", unit):
            raise RateParseError(f"rate {whole!r}: no unit after the amount in {text!r}")
        return Term("specific", value, unit=unit, qualifier=qualifier, minimum=minimum, maximum_text=maximum_text)
    if text.lower().startswith(_REFERENCE_STARTS):
        return Term("reference", 0.0, qualifier=text)
    raise RateParseError(f"rate {whole!r}: cannot read {text!r} as a percentage, an amount per unit or a reference")


def parse_rate(text: str) -> Rate:
    """Parse one rate text (general, column 2, or one group of the special column)."""
    cleaned = _clean(text)
    if not cleaned:
        raise RateParseError("empty rate text")
    lowered = cleaned.lower()
    if lowered == "free":
        return FREE
    if lowered.rstrip(".") == "no change":
        return NO_CHANGE
    condition = _FREE_CONDITION.match(cleaned)
    if condition:
        return Rate(cleaned, "free", condition=condition.group(1) or condition.group(2))
    terms = tuple(parse_term(part, cleaned) for part in _split_terms(cleaned))
    kinds = {t.kind for t in terms}
    kind: RateKind
    if "reference" in kinds:
        kind = "reference"
    elif kinds == {"ad_valorem"}:
        kind = "ad_valorem"
    elif kinds == {"specific"}:
        kind = "specific"
    else:
        kind = "compound"
    if kind != "reference" and all(t.value == 0 for t in terms):
        return Rate(cleaned, "free", terms)
    return Rate(cleaned, kind, terms)


__all__ = ["FREE", "NO_CHANGE", "RATE_KINDS", "Rate", "RateKind", "RateParseError", "Term", "parse_rate"]
