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

A threshold given from the date replaces the law's phase-in schedule from that date on (later scheduled steps
included). Every problem (unknown keys, wrong types, percents outside 0-100) is reported with its key path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

from nearshore.origin.automotive.phase import Step, step_on
from nearshore.origin.bom import VEHICLE_CLASSES
from nearshore.origin.general import DE_MINIMIS_SHARE
from nearshore.origin.rules.model import LEVELS, Level
from nearshore.origin.thresholds import LAW, Read, Thresholds, changed
from nearshore.scenarios.checks import FileChecker, read_yaml

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
    """Goods of `heading` need a change of `level` (where their rule asks for a less strict one)."""

    heading: str
    level: Level


@dataclass(frozen=True)
class RuleChange:
    """A parsed change file. `psr_products` None: the RVC points apply to every good's product-specific rule."""

    name: str
    description: str
    source: str
    checksum: str
    date: dt.date | None
    thresholds: Thresholds
    wage_usd: float
    psr_products: tuple[str, ...] | None
    psr_points: float
    shifts: tuple[ShiftChange, ...]
    caps: tuple[Cap, ...]
    texts: tuple[str, ...]

    def describe(self) -> str:
        return self.description or "; ".join(self.texts) or "no change"

    @property
    def changed(self) -> frozenset[Read]:
        """The origin engine's thresholds the file changes (see nearshore.origin.thresholds)."""
        return changed(LAW, self.thresholds)

    def loosens(self, on: dt.date) -> bool:
        """Whether a part of the change in force on `on` is less strict than the law: a threshold below the law's
        (a de minimis share above it), negative RVC points, a wage rate below US$16. A stricter shift and the caps
        only add requirements. A change that does not loosen cannot make a good qualify that does not qualify
        under the law (every test of the origin engine passes less often under stricter thresholds)."""
        if self.psr_points < 0 or self.wage_usd < DEFAULT_WAGE:
            return True
        return any(_looser(self.thresholds, name, key, on) for name, key in self.changed)

    def psr_delta(self, hs: str) -> float:
        """The points added to the product-specific RVC thresholds of a good of HS `hs`."""
        wanted = self.psr_products is None or any(hs.startswith(p) for p in self.psr_products)
        return self.psr_points if wanted else 0.0

    def shift_for(self, hs: str) -> Level | None:
        """The stricter change of classification a good of HS `hs` needs, if any (the last one given wins)."""
        found = [s.level for s in self.shifts if hs.startswith(s.heading)]
        return found[-1] if found else None


def _looser(th: Thresholds, name: str, key: str, on: dt.date) -> bool:
    if name == "de_minimis_share":
        return (th.de_minimis_share or 0.0) > (LAW.de_minimis_share or DE_MINIMIS_SHARE)
    if name == "steel_aluminum_share":
        return th.steel_aluminum_share < LAW.steel_aluminum_share
    new, law = step_on(getattr(th, name)[key], on), step_on(getattr(LAW, name)[key], on)
    if new is None or law is None:
        return new is not None
    pairs = ((new.net_cost, law.net_cost), (new.transaction_value, law.transaction_value), (new.extra, law.extra))
    return any(a is not None and b is not None and a < b for a, b in pairs) or (
        new.transaction_value is not None and law.transaction_value is None
    )


def read_changes(path: Path, on: dt.date) -> RuleChange:
    """Parse and check a change file; `on` is the determination date (the changes apply from the file's date,
    else from it)."""
    data, checksum = read_yaml(path, OUTCOME)
    return parse_changes(data, str(path), on, checksum)


def parse_changes(data: Any, source: str, on: dt.date, checksum: str = "") -> RuleChange:
    c = FileChecker(source, OUTCOME)
    if not c.keys(data, TOP_KEYS, "file", ("changes",)) and not isinstance(data, Mapping):
        c.done()
    raw: Any = data.get("changes", {})
    if not c.keys(raw, CHANGE_KEYS, "changes"):
        raw = {}
    when = _date(c, data.get("date"))
    start = when or on
    texts: list[str] = []
    th = replace(LAW, source=f"{source} (from {start.isoformat()})")
    th = _vehicle_rvc(c, raw.get("vehicle_rvc"), start, th, texts)
    th = _part_rvc(c, raw.get("part_rvc"), start, th, texts)
    th, wage = _lvc(c, raw.get("lvc"), start, th, texts)
    th = _shares(c, raw, th, texts)
    products, points = _psr(c, raw.get("psr_rvc"), texts)
    shifts = _shifts(c, raw.get("tariff_shift"), texts)
    caps = _caps(c, raw.get("caps"), texts)
    name = c.text(data["name"], "file.name") if "name" in data else Path(source).stem
    description = c.text(data["description"], "file.description") if "description" in data else ""
    c.done()
    return RuleChange(
        name or "", description or "", source, checksum, when, th, wage, products, points, shifts, caps, tuple(texts)
    )


def _date(c: FileChecker, raw: Any) -> dt.date | None:
    if raw is None:
        return None
    try:
        return raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw))
    except ValueError:
        c.add("file.date", raw, "is not a date", "write YYYY-MM-DD")
        return None


def _percent(c: FileChecker, raw: Any, where: str) -> float | None:
    return c.number(raw, where, 0.0, 100.0, "80")


def _vehicle_rvc(c: FileChecker, raw: Any, start: dt.date, th: Thresholds, texts: list[str]) -> Thresholds:
    if raw is None or not c.keys(raw, VEHICLE_CLASSES, "changes.vehicle_rvc"):
        return th
    table = dict(th.vehicle_rvc)
    for klass, value in raw.items():
        share = _percent(c, value, f"changes.vehicle_rvc.{klass}")
        if share is not None:
            table[klass] = (*table[klass], Step(start, share))
            texts.append(f"{klass} RVC {share:g}% (net cost)")
    return replace(th, vehicle_rvc=table)


def _part_rvc(c: FileChecker, raw: Any, start: dt.date, th: Thresholds, texts: list[str]) -> Thresholds:
    if raw is None or not c.keys(raw, PART_TABLES, "changes.part_rvc"):
        return th
    table = dict(th.part_rvc)
    for name, values in raw.items():
        where = f"changes.part_rvc.{name}"
        law = step_on(table[name], start)
        needs_tv = law is not None and law.transaction_value is not None
        required = ("net_cost", "transaction_value") if needs_tv else ("net_cost",)
        if not c.keys(values, ("net_cost", "transaction_value"), where, required):
            continue
        nc = _percent(c, values["net_cost"], f"{where}.net_cost")
        tv = _percent(c, values["transaction_value"], f"{where}.transaction_value") if needs_tv else None
        if nc is not None and (tv is not None or not needs_tv):
            table[name] = (*table[name], Step(start, nc, tv))
            texts.append(f"Table {name} parts RVC {nc:g}% NC" + (f" / {tv:g}% TV" if tv is not None else ""))
    return replace(th, part_rvc=table)


def _lvc(c: FileChecker, raw: Any, start: dt.date, th: Thresholds, texts: list[str]) -> tuple[Thresholds, float]:
    """Totals by class and the high-wage points (for every class, with its total in force when not given)."""
    if raw is None or not c.keys(raw, (*VEHICLE_CLASSES, "high_wage", "wage_usd"), "changes.lvc"):
        return th, DEFAULT_WAGE
    extra = _percent(c, raw["high_wage"], "changes.lvc.high_wage") if "high_wage" in raw else None
    table = dict(th.lvc)
    for klass in VEHICLE_CLASSES:
        law = step_on(table[klass], start)
        total = _percent(c, raw[klass], f"changes.lvc.{klass}") if klass in raw else None
        if law is None or (total is None and extra is None):
            continue
        step = Step(start, law.net_cost if total is None else total, extra=law.extra if extra is None else extra)
        table[klass] = (*table[klass], step)
        texts.append(f"{klass} LVC {step.net_cost:g}% with {step.extra or 0:g} points high-wage")
    wage = DEFAULT_WAGE
    if "wage_usd" in raw:
        given = c.number(raw["wage_usd"], "changes.lvc.wage_usd", 0.01, 1000.0, "18 (U.S. dollars an hour)")
        if given is not None:
            wage = given
            texts.append(f"high-wage rate US${wage:g}/hour")
    return replace(th, lvc=table), wage


def _shares(c: FileChecker, raw: Mapping[str, Any], th: Thresholds, texts: list[str]) -> Thresholds:
    if raw.get("steel_aluminum") is not None:
        share = _percent(c, raw["steel_aluminum"], "changes.steel_aluminum")
        if share is not None:
            th = replace(th, steel_aluminum_share=share)
            texts.append(f"steel and aluminum purchases {share:g}% originating")
    if raw.get("de_minimis") is not None:
        share = _percent(c, raw["de_minimis"], "changes.de_minimis")
        if share is not None:
            th = replace(th, de_minimis_share=share)
            texts.append(f"de minimis {share:g}%")
    return th


def _psr(c: FileChecker, raw: Any, texts: list[str]) -> tuple[tuple[str, ...] | None, float]:
    if raw is None or not c.keys(raw, ("products", "points"), "changes.psr_rvc", ("points",)):
        return None, 0.0
    products = raw.get("products")
    codes = None if products is None else _prefixes(products)
    if products is not None and codes is None:
        c.add("changes.psr_rvc.products", products, "is not a list of HS prefixes", 'write e.g. ["8708", "8481"]')
    points = c.number(raw["points"], "changes.psr_rvc.points", -100.0, 100.0, "5")
    if points is None or (products is not None and codes is None):
        return None, 0.0
    texts.append(f"product-specific RVC thresholds {points:+g} points for {', '.join(codes or ['every good'])}")
    return codes, points


def _prefixes(raw: Any) -> tuple[str, ...] | None:
    if not isinstance(raw, list) or not raw:
        return None
    codes = tuple(str(p).replace(".", "") for p in raw if isinstance(p, str))
    ok = len(codes) == len(raw) and all(x.isdigit() and 2 <= len(x) <= 10 for x in codes)
    return codes if ok else None


def _shifts(c: FileChecker, raw: Any, texts: list[str]) -> tuple[ShiftChange, ...]:
    out: list[ShiftChange] = []
    for k, item in enumerate(_items(c, raw, "changes.tariff_shift")):
        where = f"changes.tariff_shift[{k}]"
        if not c.keys(item, ("heading", "level"), where, ("heading", "level")):
            continue
        heading = str(item["heading"]).replace(".", "")
        level = item["level"]
        if not (isinstance(item["heading"], str) and heading.isdigit() and len(heading) == 4):
            c.add(f"{where}.heading", item["heading"], "is not an HS heading", "write 4 digits in quotes, e.g. '8708'")
        elif level not in LEVELS:
            c.add(f"{where}.level", level, "is not a level", f"write one of {', '.join(LEVELS)}")
        else:
            out.append(ShiftChange(heading, level))
            texts.append(f"heading {heading}: a change of {level} required")
    return tuple(out)


def _caps(c: FileChecker, raw: Any, texts: list[str]) -> tuple[Cap, ...]:
    out: list[Cap] = []
    for k, item in enumerate(_items(c, raw, "changes.caps")):
        where = f"changes.caps[{k}]"
        if not c.keys(item, ("country", "max_share", "core_parts"), where, ("country",)):
            continue
        country = item["country"]
        share = _percent(c, item["max_share"], f"{where}.max_share") if "max_share" in item else None
        core = c.flag(item["core_parts"], f"{where}.core_parts") if "core_parts" in item else True
        if not (isinstance(country, str) and len(country) == 2 and country.isalpha()):
            c.add(f"{where}.country", country, "is not an ISO 3166 alpha-2 code", "write e.g. CN")
        elif share is None and core is True and "max_share" not in item:
            c.add(where, None, "caps nothing", "give max_share (percent of value) or core_parts: false")
        elif core is not None and (share is not None or "max_share" not in item):
            out.append(Cap(country.upper(), share, core))
            if share is not None:
                texts.append(f"non-originating {country.upper()} materials at most {share:g}% of value")
            if not core:
                texts.append(f"no non-originating {country.upper()} core parts (Table A.1)")
    return tuple(out)


def _items(c: FileChecker, raw: Any, where: str) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        c.add(where, raw, "is not a list", "list the items, one per line (- ...)")
        return []
    return raw


__all__ = ["Cap", "RuleChange", "ShiftChange", "parse_changes", "read_changes"]
