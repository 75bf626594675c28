"""The fact table: every figure a brief may state, with a stable id, its unit and its provenance.

A brief's prose cites facts by id (`[[fact:mex.imports.share.2024]]`); the verifier checks each figure in the
prose against the fact it cites, and the renderer turns each citation into a footnote. The table is saved as
JSON beside the brief (the machine-readable facts file) and read back by `nearshore brief check`.
"""

from __future__ import annotations

import json
import math
import re
import typing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
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
    # The words a sentence may bind to the figure (the verifier checks them); each is derived when not given
    # (direction_of, extreme_of, subject_of, currency_of), and the facts file holds the derived values.
    direction: Direction = ""  # up/down/unchanged for a change, surplus/deficit for a balance
    extreme: Extreme = ""  # largest/smallest of its comparison set (a peak year, the leading sector)
    subject: tuple[str, ...] = ()  # the partner(s) the figure is about, by name: ('Mexico',), ('Canada', 'Mexico')
    currency: str = ""  # ISO 4217 code of an amount ('USD'); '' for other units

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
        _check_words(self)

    def years(self) -> tuple[int, ...]:
        """The calendar years the fact's period names ('2024', '2019-2024', '2025-03')."""
        return tuple(int(y) for y in _YEAR.findall(self.period))


# The sign of a fact in words: a change goes up, down or stays unchanged; a balance is a surplus or a deficit.
Direction = typing.Literal["up", "down", "unchanged", "surplus", "deficit", ""]
DIRECTIONS: tuple[str, ...] = typing.get_args(Direction)
# A fact that is the largest (highest, peak) or the smallest (lowest) of what it is compared with.
Extreme = typing.Literal["largest", "smallest", ""]
EXTREMES: tuple[str, ...] = typing.get_args(Extreme)
_BALANCE = re.compile(r"\b(balance|deficit|surplus)\b", re.IGNORECASE)
_CHANGE_ID = re.compile(r"(^|\.)(growth|change)(\.|$)")
_HIGHEST = re.compile(r"\b(highest|largest|peak|peaked)\b", re.IGNORECASE)
_LOWEST = re.compile(r"\b(lowest|smallest|trough)\b", re.IGNORECASE)


def _check_words(fact: Fact) -> None:
    """The word fields as given: known values, and a direction that agrees with the sign of the value."""
    if fact.direction not in DIRECTIONS:
        raise InputError(f"fact {fact.id}: direction {fact.direction!r} is not one of {', '.join(DIRECTIONS[:-1])}")
    if fact.extreme not in EXTREMES:
        raise InputError(f"fact {fact.id}: extreme {fact.extreme!r} is not one of {', '.join(EXTREMES[:-1])}")
    subject = fact.subject
    if isinstance(subject, str) or not all(isinstance(name, str) for name in subject):
        raise InputError(f"fact {fact.id}: subject {subject!r} is not a list of partner names")
    object.__setattr__(fact, "subject", tuple(subject))
    sign = (fact.value > 0) - (fact.value < 0)
    wanted = {"up": 1, "surplus": 1, "down": -1, "deficit": -1, "unchanged": 0}.get(fact.direction, sign)
    if wanted != sign:
        raise InputError(
            f"fact {fact.id}: direction {fact.direction!r} disagrees with its value {fact.value:g}; "
            "give the direction of the value's sign, or leave it out to derive it"
        )


def is_balance(fact: Fact) -> bool:
    """A balance of trade (exports minus imports): an amount whose id or label says so."""
    return fact.unit == "USD" and bool(_BALANCE.search(fact.label) or "balance" in fact.id.split("."))


def direction_of(fact: Fact) -> Direction:
    """The fact's direction as given, else derived: a balance (its id or label says so) is a surplus or a
    deficit by its sign; a change (unit pp, or a percent whose id has 'growth' or 'change') goes up or down."""
    if fact.direction:
        return fact.direction
    sign = (fact.value > 0) - (fact.value < 0)
    if is_balance(fact):
        return "surplus" if sign > 0 else "deficit" if sign < 0 else ""
    if fact.unit == "pp" or (fact.unit == "percent" and _CHANGE_ID.search(fact.id)):
        return "up" if sign > 0 else "down" if sign < 0 else "unchanged"
    return ""


def extreme_of(fact: Fact) -> Extreme:
    """The fact's extreme as given, else from its label or id ('year of the highest share', '.peak')."""
    if fact.extreme:
        return fact.extreme
    words = f"{fact.label} {fact.id.replace('.', ' ')}"
    return "largest" if _HIGHEST.search(words) else "smallest" if _LOWEST.search(words) else ""


def subject_of(fact: Fact) -> tuple[str, ...]:
    """The partners the fact is about, as given, else the partners its label names."""
    from nearshore.writer.names import names_of

    return fact.subject or names_of(fact.label)


def currency_of(fact: Fact) -> str:
    """The currency of an amount as given, else USD for a USD fact; '' for other units."""
    return fact.currency or ("USD" if fact.unit == "USD" else "")


def _without_derived(fact: Fact) -> Fact:
    """The fact with each word field that equals its derivation left empty, as it was made before saving."""
    bare = replace(fact, direction="", extreme="", subject=(), currency="")
    return replace(
        fact,
        direction="" if fact.direction == direction_of(bare) else fact.direction,
        extreme="" if fact.extreme == extreme_of(bare) else fact.extreme,
        subject=() if fact.subject == subject_of(bare) else fact.subject,
        currency="" if fact.currency == currency_of(bare) else fact.currency,
    )


def with_words(fact: Fact) -> dict[str, Any]:
    """The fact as a facts-file item: every field, the word fields as given or derived."""
    return {
        **asdict(fact),
        "direction": direction_of(fact),
        "extreme": extreme_of(fact),
        "subject": list(subject_of(fact)),
        "currency": currency_of(fact),
    }


@dataclass(frozen=True)
class ChartData:
    """What a chart plots, so its alt text can be checked: series of (x label, value in `unit`) points."""

    id: str
    series: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]  # (series name, points)
    unit: Unit = "percent"

    @classmethod
    def of(cls, chart: ChartLike) -> ChartData:
        return cls(chart.id, tuple((s.name, tuple((str(x), float(v)) for x, v in s.points)) for s in chart.series))


def _charts(items: Any, origin: str) -> tuple[ChartData, ...]:
    """The charts of a facts file (none in a file written before charts were recorded)."""
    try:
        return tuple(
            ChartData(
                str(c["id"]),
                tuple((str(name), tuple((str(x), float(v)) for x, v in points)) for name, points in c["series"]),
                _chart_unit(c.get("unit", "percent")),
            )
            for c in items
        )
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        raise InputError(
            f"{origin}: a chart is malformed ({exc}); each chart needs id and series of [name, [[x, value], ...]]"
        ) from None


def _chart_unit(unit: Any) -> Unit:
    for known in typing.get_args(Unit):
        if unit == known:
            return known  # type: ignore[no-any-return]  # one of the Literal's values
    raise ValueError(f"unit {unit!r} is not one of {', '.join(UNITS)}")


class _SeriesLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def points(self) -> tuple[tuple[str, float], ...]: ...


class ChartLike(Protocol):
    """What the writer's `Chart` offers: an id and its series."""

    @property
    def id(self) -> str: ...
    @property
    def series(self) -> tuple[_SeriesLike, ...]: ...


@dataclass(frozen=True)
class FactTable:
    """Facts by id, plus the years the prose may name without citing a fact (e.g. a review's year)."""

    facts: tuple[Fact, ...]
    allowed_years: tuple[int, ...] = ()
    meta: Mapping[str, str] = field(default_factory=dict)
    charts: tuple[ChartData, ...] = ()  # the data of the brief's charts, which their alt texts state

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

    def with_charts(self, charts: Iterable[ChartLike]) -> FactTable:
        """The table with the data of `charts` (written to the facts file, read back by the verifier)."""
        return replace(self, charts=tuple(ChartData.of(c) for c in charts))

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
            "facts": [with_words(f) for f in self.facts],
        }
        if self.charts:
            payload["charts"] = [asdict(c) for c in self.charts]
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
                facts.append(_without_derived(Fact(**{**item, "value": float(item["value"])})))
            except (TypeError, KeyError, ValueError) as exc:
                raise InputError(
                    f"{origin}: fact #{index} is malformed ({exc}); each fact needs id, value, "
                    "unit, period, label, source, vintage"
                ) from None
        years = tuple(int(y) for y in payload.get("allowed_years", []))
        meta = {str(k): str(v) for k, v in payload.get("meta", {}).items()}
        return cls(tuple(facts), years, meta, _charts(payload.get("charts", []), origin))

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
    """The fact's label as a note starts it: 'Change in Mexico's share...' (labels are written mid-sentence), on
    one line: a line break inside a label would end the note in Markdown."""
    label = " ".join(fact.label.split())
    return label[:1].upper() + label[1:]


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
    "DIRECTIONS",
    "EXTREMES",
    "FACTS_FORMAT",
    "UNITS",
    "ChartData",
    "ChartLike",
    "Direction",
    "Extreme",
    "Fact",
    "FactTable",
    "FigureLike",
    "Unit",
    "currency_of",
    "describe",
    "direction_of",
    "display",
    "exact",
    "extreme_of",
    "fact_from_figure",
    "fmt_number",
    "is_balance",
    "money_scale",
    "note_label",
    "ordinal_rank",
    "raw_value",
    "round_half_up",
    "subject_of",
    "with_words",
]
