"""Rule-change files: what a review of the USMCA rules of origin could change, applied through the origin engine's
own data (its threshold tables, its rule objects), plus the one kind of rule the engine has no test for (a cap on
non-originating materials from a named country).

    name: review-2026
    description: autos RVC 80%, LVC 45% at $18/hour, de minimis 7%, no Chinese core parts
    date: 2027-07-01
    changes:
      vehicle_rvc: {passenger: 80, light_truck: 80}        # s. 13, net cost, from the date
      part_rvc: {A.1: {net_cost: 80, transaction_value: 90}} # Tables A.1-E; A.1 is also the core parts threshold
      lvc: {passenger: 45, high_wage: 25, wage_usd: 18}      # s. 18: total, high-wage points, plant wage rate
      steel_aluminum: 75                                     # s. 17(1), percent of purchases originating
      de_minimis: 7                                          # s. 5(1), 5(4), percent
      psr_rvc: {products: ["8708"], points: 5}               # product-specific RVC thresholds raised
      tariff_shift: [{heading: "8708", level: chapter}]      # a stricter change of classification
      caps: [{country: CN, max_share: 5}, {country: CN, core_parts: false}]
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

import yaml

from nearshore.data.sources.base import require_file
from nearshore.errors import Problem, ValidationFailed
from nearshore.origin.automotive.phase import Step
from nearshore.origin.bom import VEHICLE_CLASSES
from nearshore.origin.rules.model import LEVELS
from nearshore.origin.thresholds import LAW, Thresholds

OUTCOME: Final = "nothing was determined"
TOP_KEYS: Final = ("name", "description", "date", "changes")
CHANGE_KEYS: Final = (
    "vehicle_rvc",
    "part_rvc",
    "lvc",
    "steel_aluminum",
    "de_minimis",
    "psr_rvc",
    "tariff_shift",
    "caps",
)
PART_TABLES: Final = ("A.1", "B", "C", "D", "E")
DEFAULT_WAGE: Final = 16.0  # USMCA Art. 4-B.3 (SOR/2020-155 s. 12: high-wage rate US$16/hour)


@dataclass(frozen=True)
class Cap:
    """Non-originating materials of `country`: at most `max_share` percent of the good's value (TV, else net
    cost), or none among the core parts (Table A.1 codes) when `core_parts` is False."""

    country: str
    max_share: float | None = None
    core_parts: bool = True


@dataclass(frozen=True)
class ShiftChange:
    heading: str
    level: str


@dataclass(frozen=True)
class RuleChange:
    """A parsed change file."""

    name: str
    description: str
    source: str
    checksum: str
    date: dt.date | None
    thresholds: Thresholds
    wage_usd: float
    psr_products: tuple[str, ...]
    psr_points: float
    shifts: tuple[ShiftChange, ...]
    caps: tuple[Cap, ...]
    texts: tuple[str, ...]

    def describe(self) -> str:
        return self.description or "; ".join(self.texts) or "no change"


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, where: str, value: Any, message: str, fix: str) -> None:
        self.problems.append(
            Problem(self.source, None, where, None if value is None else str(value), message, fix, by="line")
        )

    def keys(self, raw: Any, allowed: tuple[str, ...], where: str) -> bool:
        if not isinstance(raw, Mapping):
            self.add(where, raw, "is not a mapping", f"give key: value pairs ({', '.join(allowed)})")
            return False
        bad = [k for k in raw if k not in allowed]
        for key in bad:
            self.add(f"{where}.{key}", raw[key], "is not a known key", f"the keys are {', '.join(allowed)}")
        return not bad

    def percent(self, raw: Any, where: str, low: float = 0.0) -> float | None:
        try:
            if isinstance(raw, bool):
                raise ValueError
            value = float(raw)
        except (TypeError, ValueError):
            self.add(where, raw, "is not a number", "write a percent as a number, e.g. 80")
            return None
        if not low <= value <= 100.0:
            self.add(where, raw, "is out of range", f"write a percent between {low:g} and 100")
            return None
        return value


def read_changes(path: Path, on: dt.date) -> RuleChange:
    """Parse and check a change file; `on` is the determination date (the changes apply from it)."""
    require_file(path)
    text = path.read_bytes()
    try:
        data = yaml.safe_load(text.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            [Problem(str(path), None, None, None, f"cannot be parsed as YAML: {exc}", "fix the syntax")],
            outcome=OUTCOME,
        ) from None
    return parse_changes(data, str(path), on, hashlib.sha256(text).hexdigest())


def parse_changes(data: Any, source: str, on: dt.date, checksum: str = "") -> RuleChange:
    c = _Checker(source)
    if not c.keys(data, TOP_KEYS, "file") or not c.keys(data.get("changes") or {}, CHANGE_KEYS, "changes"):
        raise ValidationFailed(c.problems, outcome=OUTCOME)
    when = data.get("date")
    if when is not None and not isinstance(when, dt.date):
        try:
            when = dt.date.fromisoformat(str(when))
        except ValueError:
            c.add("date", when, "is not a date", "write YYYY-MM-DD")
            when = None
    start = when or on
    raw: Mapping[str, Any] = data.get("changes") or {}
    texts: list[str] = []
    thresholds = replace(LAW, source=f"{source} (from {start.isoformat()})")
    thresholds = _vehicle_rvc(c, raw.get("vehicle_rvc"), start, thresholds, texts)
    thresholds = _part_rvc(c, raw.get("part_rvc"), start, thresholds, texts)
    thresholds, wage = _lvc(c, raw.get("lvc"), start, thresholds, texts)
    if raw.get("steel_aluminum") is not None:
        share = c.percent(raw["steel_aluminum"], "changes.steel_aluminum")
        if share is not None:
            thresholds = replace(thresholds, steel_aluminum_share=share)
            texts.append(f"steel and aluminum purchases {share:g}% originating")
    if raw.get("de_minimis") is not None:
        share = c.percent(raw["de_minimis"], "changes.de_minimis")
        if share is not None:
            thresholds = replace(thresholds, de_minimis_share=share)
            texts.append(f"de minimis {share:g}%")
    products, points = _psr(c, raw.get("psr_rvc"), texts)
    shifts = _shifts(c, raw.get("tariff_shift"), texts)
    caps = _caps(c, raw.get("caps"), texts)
    if c.problems:
        raise ValidationFailed(c.problems, outcome=OUTCOME)
    name = str(data.get("name") or Path(source).stem)
    return RuleChange(
        name,
        str(data.get("description") or ""),
        source,
        checksum,
        when,
        thresholds,
        wage,
        products,
        points,
        shifts,
        caps,
        tuple(texts),
    )


def _vehicle_rvc(c: _Checker, raw: Any, start: dt.date, th: Thresholds, texts: list[str]) -> Thresholds:
    if raw is None or not c.keys(raw, VEHICLE_CLASSES, "changes.vehicle_rvc"):
        return th
    table = dict(th.vehicle_rvc)
    for klass, value in raw.items():
        share = c.percent(value, f"changes.vehicle_rvc.{klass}")
        if share is not None:
            table[klass] = (*table[klass], Step(start, share))
            texts.append(f"{klass} RVC {share:g}% (net cost)")
    return replace(th, vehicle_rvc=table)


def _part_rvc(c: _Checker, raw: Any, start: dt.date, th: Thresholds, texts: list[str]) -> Thresholds:
    if raw is None or not c.keys(raw, PART_TABLES, "changes.part_rvc"):
        return th
    table = dict(th.part_rvc)
    for name, values in raw.items():
        where = f"changes.part_rvc.{name}"
        if not c.keys(values, ("net_cost", "transaction_value"), where) or "net_cost" not in values:
            c.add(
                f"{where}.net_cost", None, "is missing", "give net_cost (and transaction_value where the table has one)"
            )
            continue
        nc = c.percent(values["net_cost"], f"{where}.net_cost")
        tv = (
            c.percent(values["transaction_value"], f"{where}.transaction_value")
            if "transaction_value" in values
            else None
        )
        if nc is not None:
            table[name] = (*table[name], Step(start, nc, tv))
            texts.append(f"Table {name} parts RVC {nc:g}% NC" + (f" / {tv:g}% TV" if tv is not None else ""))
    return replace(th, part_rvc=table)


def _lvc(c: _Checker, raw: Any, start: dt.date, th: Thresholds, texts: list[str]) -> tuple[Thresholds, float]:
    allowed = (*VEHICLE_CLASSES, "high_wage", "wage_usd")
    if raw is None or not c.keys(raw, allowed, "changes.lvc"):
        return th, DEFAULT_WAGE
    table = dict(th.lvc)
    extra = c.percent(raw["high_wage"], "changes.lvc.high_wage") if "high_wage" in raw else None
    for klass in VEHICLE_CLASSES:
        if klass in raw:
            total = c.percent(raw[klass], f"changes.lvc.{klass}")
            if total is not None:
                current = table[klass][-1]
                table[klass] = (*table[klass], Step(start, total, extra=extra if extra is not None else current.extra))
                texts.append(
                    f"{klass} LVC {total:g}%" + (f" with {extra:g} points high-wage" if extra is not None else "")
                )
    wage = DEFAULT_WAGE
    if "wage_usd" in raw:
        try:
            wage = float(raw["wage_usd"])
            if not wage > 0:
                raise ValueError
            texts.append(f"high-wage rate US${wage:g}/hour")
        except (TypeError, ValueError):
            c.add("changes.lvc.wage_usd", raw["wage_usd"], "is not a wage", "write U.S. dollars per hour, e.g. 18")
    return replace(th, lvc=table), wage


def _psr(c: _Checker, raw: Any, texts: list[str]) -> tuple[tuple[str, ...], float]:
    if raw is None or not c.keys(raw, ("products", "points"), "changes.psr_rvc"):
        return (), 0.0
    products = raw.get("products") or []
    if not isinstance(products, list) or not all(str(p).replace(".", "").isdigit() for p in products):
        c.add("changes.psr_rvc.products", products, "is not a list of HS prefixes", 'write e.g. ["8708", "8481"]')
        return (), 0.0
    try:
        points = float(raw.get("points", 0))
    except (TypeError, ValueError):
        c.add("changes.psr_rvc.points", raw.get("points"), "is not a number", "write points of RVC, e.g. 5")
        return (), 0.0
    codes = tuple(str(p).replace(".", "") for p in products)
    texts.append(f"product-specific RVC thresholds {points:+g} points for {', '.join(codes) or 'every good'}")
    return codes, points


def _shifts(c: _Checker, raw: Any, texts: list[str]) -> tuple[ShiftChange, ...]:
    if raw is None:
        return ()
    out = []
    for k, item in enumerate(raw if isinstance(raw, list) else [raw]):
        where = f"changes.tariff_shift[{k}]"
        if not c.keys(item, ("heading", "level"), where):
            continue
        heading = str(item.get("heading", "")).replace(".", "")
        level = str(item.get("level", ""))
        if not (heading.isdigit() and len(heading) == 4):
            c.add(f"{where}.heading", item.get("heading"), "is not an HS heading", "write 4 digits, e.g. 8708")
        elif level not in LEVELS:
            c.add(f"{where}.level", level, "is not a level", f"write one of {', '.join(LEVELS)}")
        else:
            out.append(ShiftChange(heading, level))
            texts.append(f"heading {heading}: change of {level} required")
    return tuple(out)


def _caps(c: _Checker, raw: Any, texts: list[str]) -> tuple[Cap, ...]:
    if raw is None:
        return ()
    out = []
    for k, item in enumerate(raw if isinstance(raw, list) else [raw]):
        where = f"changes.caps[{k}]"
        if not c.keys(item, ("country", "max_share", "core_parts"), where):
            continue
        country = str(item.get("country", "")).upper()
        if not (len(country) == 2 and country.isalpha()):
            c.add(f"{where}.country", item.get("country"), "is not an ISO 3166 alpha-2 code", "write e.g. CN")
            continue
        share = c.percent(item["max_share"], f"{where}.max_share") if "max_share" in item else None
        core = bool(item.get("core_parts", True))
        out.append(Cap(country, share, core))
        if share is not None:
            texts.append(f"non-originating {country} materials at most {share:g}% of value")
        if not core:
            texts.append(f"no non-originating {country} core parts (Table A.1)")
    return tuple(out)


__all__ = ["Cap", "RuleChange", "ShiftChange", "parse_changes", "read_changes"]
