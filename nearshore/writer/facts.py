"""The fact table: every figure a brief may state, with a stable id, its unit and its provenance.

A brief's prose cites facts by id (`[[fact:mex.imports.share.2024]]`); the verifier checks each figure in the
prose against the fact it cites, and the renderer turns each citation into a footnote. The table is saved as
JSON beside the brief (the machine-readable facts file) and read back by `nearshore brief check`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from nearshore import format as fmt
from nearshore.errors import InputError
from nearshore.format import UNITS, Unit, money_scale, round_half_up
from nearshore.format import number as fmt_number
from nearshore.format import ordinal as ordinal_rank

FACTS_FORMAT = "nearshore-facts/1"
_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]*(\.[a-z0-9_\-]+)*$")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d|2100)(?!\d)")


@dataclass(frozen=True)
class Fact:
    """One figure with its provenance. `value` is in `unit`: dollars (not billions), percent (15.4 = 15.4%),
    percentage points, a rank (1 = largest), a count, a year or an index level."""

    id: str
    value: float
    unit: Unit
    period: str
    label: str
    source: str
    vintage: str
    query: str = ""
    comparison: str = ""
    decimals: int | None = None  # display hint: digits after the point (None: the unit's default)

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise InputError(
                f"fact id {self.id!r} is not valid: use lowercase dot-separated words, e.g. 'mex.imports.share.2024'"
            )
        if self.unit not in UNITS:
            raise InputError(f"fact {self.id}: unit {self.unit!r} is not one of {', '.join(UNITS)}")
        if not isinstance(self.value, (int, float)) or isinstance(self.value, bool):
            raise InputError(f"fact {self.id}: value {self.value!r} is not a number")
        object.__setattr__(self, "value", float(self.value))
        if not math.isfinite(self.value):
            raise InputError(f"fact {self.id}: value {self.value!r} is not a finite number")

    def years(self) -> tuple[int, ...]:
        """The calendar years the fact's period names ('2024', '2019-2024', '2025-03')."""
        return tuple(int(y) for y in _YEAR.findall(self.period))


@dataclass(frozen=True)
class FactTable:
    """Facts by id, plus the years the prose may name without citing a fact (e.g. a review's year)."""

    facts: tuple[Fact, ...]
    allowed_years: tuple[int, ...] = ()
    meta: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for fact in self.facts:
            if fact.id in seen:
                raise InputError(f"fact id {fact.id!r} appears twice in the fact table; ids must be unique")
            seen.add(fact.id)

    @property
    def by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts}

    def __contains__(self, fact_id: object) -> bool:
        return any(f.id == fact_id for f in self.facts)

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)

    def get(self, fact_id: str) -> Fact:
        for fact in self.facts:
            if fact.id == fact_id:
                return fact
        known = ", ".join(sorted(f.id for f in self.facts)[:10])
        raise InputError(f"no fact with id {fact_id!r} in the fact table (known ids include: {known})")

    def to_json(self) -> str:
        payload: dict[str, Any] = {
            "format": FACTS_FORMAT,
            "allowed_years": list(self.allowed_years),
            "meta": dict(self.meta),
            "facts": [asdict(f) for f in self.facts],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"

    def save(self, path: Path) -> None:
        path.write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def from_json(cls, text: str, origin: str = "facts JSON") -> FactTable:
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{origin}: not valid JSON ({exc.msg} at line {exc.lineno}); "
                "give the facts file written beside the brief"
            ) from None
        if not isinstance(payload, dict) or payload.get("format") != FACTS_FORMAT:
            found = payload.get("format") if isinstance(payload, dict) else type(payload).__name__
            raise InputError(
                f"{origin}: format is {found!r}, expected {FACTS_FORMAT!r}; "
                "give the facts file written beside the brief"
            )
        facts = []
        for index, item in enumerate(payload.get("facts", []), start=1):
            try:
                facts.append(Fact(**{**item, "value": float(item["value"])}))
            except (TypeError, KeyError, ValueError) as exc:
                raise InputError(
                    f"{origin}: fact #{index} is malformed ({exc}); each fact needs id, value, "
                    "unit, period, label, source, vintage"
                ) from None
        years = tuple(int(y) for y in payload.get("allowed_years", []))
        return cls(tuple(facts), years, {str(k): str(v) for k, v in payload.get("meta", {}).items()})

    @classmethod
    def load(cls, path: Path) -> FactTable:
        if not path.is_file():
            raise InputError(
                f"{path}: no such facts file; give it with --facts, or keep the .facts.json written beside the brief"
            )
        return cls.from_json(path.read_text(encoding="utf-8"), str(path))


def raw_value(value: float, unit: str = "") -> str:
    """The exact stored value, readable: '-171,809,000,000', '15.49', '2024' (a year)."""
    if unit in ("year", "rank") and value.is_integer():
        return str(int(value))
    if value.is_integer() and abs(value) < 1e18:
        return f"{value:,.0f}"
    return repr(value)


def note_label(fact: Fact) -> str:
    """The fact's label as a note starts it: 'Change in Mexico's share...' (labels are written mid-sentence)."""
    return fact.label[:1].upper() + fact.label[1:]


def exact(fact: Fact) -> str:
    """The stored value with its unit, for a note: '534,314,900,000 USD', 'rank 1', 'year 2023'."""
    raw = raw_value(fact.value, fact.unit)
    return f"{fact.unit} {raw}" if fact.unit in ("rank", "year") else f"{raw} {fact.unit}"


def display(fact: Fact, decimals: int | None = None) -> str:
    """The fact as prose shows it: '$503.1 billion', '15.4%', '2.1 percentage points', 'second-largest'
    (nearshore/format.py: rounded half-up on the decimal value, the same rounding as every stats table).

    Amounts and changes are shown without sign; the sentence carries the direction (rose/fell,
    surplus/deficit).
    """
    return fmt.prose(fact.value, fact.unit, fact.decimals if decimals is None else decimals)


def describe(fact: Fact) -> str:
    """One line for a footnote: label, value with unit, period, source, vintage and query."""
    text = f"{fact.label}: {display(fact)}"
    if fact.value < 0 and fact.unit in ("USD", "percent", "pp", "count", "index"):
        text += " (negative)"
    text += f", {fact.period}. Source: {fact.source}, vintage {fact.vintage}."
    if fact.comparison:
        text += f" Compared with: {fact.comparison}."
    if fact.query:
        text += f" Query: {fact.query}"
    return text


class _ProvenanceLike(Protocol):
    @property
    def sources(self) -> tuple[str, ...]: ...
    @property
    def vintages(self) -> tuple[str, ...]: ...
    @property
    def query(self) -> str: ...


class FigureLike(Protocol):
    """What the analytics library's `Figure` offers (value, unit, label, period, comparison, provenance)."""

    @property
    def value(self) -> float: ...
    @property
    def unit(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def period(self) -> object: ...
    @property
    def comparison(self) -> str: ...
    @property
    def provenance(self) -> _ProvenanceLike: ...
    @property
    def decimals(self) -> int: ...


def fact_from_figure(fact_id: str, figure: FigureLike, label: str | None = None) -> Fact:
    """A fact from an analytics result: same value and unit, period label, sources, vintages and query."""
    period = figure.period
    provenance = figure.provenance
    unit = figure.unit
    if unit not in UNITS:
        raise InputError(f"fact {fact_id}: unit {unit!r} is not one of {', '.join(UNITS)}")
    return Fact(
        id=fact_id,
        value=float(figure.value),
        unit=unit,  # type: ignore[arg-type]  # checked above
        period=str(getattr(period, "label", period)),
        label=label or figure.label,
        source="; ".join(provenance.sources) or "nearshore store",
        vintage=", ".join(provenance.vintages),
        query=provenance.query,
        comparison=figure.comparison,
        decimals=figure.decimals,
    )


__all__ = [
    "FACTS_FORMAT",
    "UNITS",
    "Fact",
    "FactTable",
    "FigureLike",
    "Unit",
    "describe",
    "display",
    "exact",
    "fact_from_figure",
    "fmt_number",
    "money_scale",
    "note_label",
    "ordinal_rank",
    "raw_value",
    "round_half_up",
]
