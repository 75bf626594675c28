"""Tariff scenario files: a policy change written as edits of the tariff engine's own policy data.

    name: usmca-ch87-withdrawn
    description: USMCA preference withdrawn for chapter 87
    date: 2026-06-01                  # the scenario's date (default: the baseline date)
    changes:
      - withdraw_preference: {products: "chapters:87", countries: [MEX, CAN]}
      - set_rate: {measure: s232-autos, rate: 15%}
      - set_rate: {measure: ieepa-reciprocal, rate: 50%, countries: [CHN]}
      - add_measure: {id: mex-25, authority: IEEPA country, heading: "scenario", countries: [MEX],
                      rate: 25%, exempt_usmca: true}
      - end_measure: {measure: s122-balance-of-payments}
      - remove_exemption: {measure: ieepa-reciprocal, exemption: annex-ii}

Every change is applied to the policy YAML's data (a rate period from the scenario date that wins over the
recorded ones, a new measure, a measure ended the day before, an exemption removed) and the modified policy is
parsed and run by the same engine (`nearshore.tariffs`), so no rate is typed in the scenario engine. Withdrawing
a preference removes the claim: those lines pay the engine's rate for goods that do not claim it. Rates are
fractions (0.25) or percent texts ("25%"), between 0 and 1000%.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from nearshore.data.sources.base import require_file
from nearshore.errors import Problem, ValidationFailed
from nearshore.tariffs.panel import AUTHORITY_COLUMNS
from nearshore.tariffs.policy import POLICY_FILE, Policy, Products, load_policy, parse_policy
from nearshore.tariffs.policy.derive import PRODUCTS_DIR, read_product_list

TOP_KEYS: Final = ("name", "description", "date", "changes")
LOADER: Final = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the policy file is large
MAX_RATE: Final = 10.0
OUTCOME: Final = "nothing was simulated"
Raw = dict[str, Any]


@dataclass(frozen=True)
class Change:
    """One edit: `kind` and its checked arguments; `text` says it in words."""

    kind: str
    args: Mapping[str, Any]
    text: str


@dataclass(frozen=True)
class TariffScenario:
    """A parsed scenario file (or the engine at another date: no changes)."""

    name: str
    description: str
    source: str
    checksum: str
    date: dt.date | None
    changes: tuple[Change, ...]

    def describe(self) -> str:
        return self.description or "; ".join(c.text for c in self.changes) or "the tariff engine at another date"

    def withdrawals(self) -> list[tuple[Products, frozenset[str] | None]]:
        """(products, countries) whose preference claims the scenario withdraws."""
        return [(c.args["products"], c.args["countries"]) for c in self.changes if c.kind == "withdraw_preference"]


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, where: str, value: Any, message: str, fix: str) -> None:
        shown = None if value is None else str(value)
        self.problems.append(Problem(self.source, None, where, shown, message, fix, by="line"))

    def keys(self, raw: Mapping[str, Any], allowed: Sequence[str], required: Sequence[str], where: str) -> bool:
        ok = True
        for key in raw:
            if key not in allowed:
                self.add(f"{where}.{key}", raw[key], "is not a known key", f"the keys are {', '.join(allowed)}")
                ok = False
        for key in required:
            if key not in raw:
                self.add(f"{where}.{key}", None, "is missing", f"give {key}")
                ok = False
        return ok


def read_scenario(path: Path) -> TariffScenario:
    """Parse and check a scenario file; every problem is reported with its key and value, nothing is run."""
    require_file(path)
    text = path.read_bytes()
    try:
        data = yaml.load(text.decode("utf-8"), Loader=LOADER)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problem = Problem(str(path), None, None, None, f"cannot be parsed as YAML: {exc}", "fix the syntax")
        raise ValidationFailed([problem], outcome=OUTCOME) from None
    return parse_scenario(data, str(path), hashlib.sha256(text).hexdigest())


def parse_scenario(data: Any, source: str, checksum: str = "") -> TariffScenario:
    c = _Checker(source)
    if not isinstance(data, Mapping):
        c.add("scenario", None, "is not a mapping with name, description, date and changes", "see docs/scenarios.md")
        raise ValidationFailed(c.problems, outcome=OUTCOME)
    c.keys(data, TOP_KEYS, ("changes",), "scenario")
    on = _date(c, data.get("date"), "scenario.date") if data.get("date") is not None else None
    raw_changes = data.get("changes")
    changes: list[Change] = []
    if raw_changes is not None and not isinstance(raw_changes, list):
        c.add("scenario.changes", raw_changes, "is not a list", "list the changes, one per item")
    for index, raw in enumerate(raw_changes or []):
        change = _change(c, raw, f"changes[{index}]")
        if change is not None:
            changes.append(change)
    for key in ("name", "description"):
        if key in data and not isinstance(data[key], str):
            c.add(f"scenario.{key}", data[key], "is not a text", "write it in words")
    if c.problems:
        raise ValidationFailed(c.problems, outcome=OUTCOME)
    name = str(data.get("name") or Path(source).stem)
    return TariffScenario(name, str(data.get("description") or ""), source, checksum, on, tuple(changes))


def at_date(on: dt.date) -> TariffScenario:
    """The tariff engine at another date, nothing else changed."""
    return TariffScenario(f"at-{on.isoformat()}", f"the tariff engine on {on.isoformat()}", "option --at", "", on, ())


def _change(c: _Checker, raw: Any, where: str) -> Change | None:
    if not isinstance(raw, Mapping) or len(raw) != 1:
        c.add(where, raw, "is not one change", f"write one of: {', '.join(_PARSERS)} with its arguments")
        return None
    kind, args = next(iter(raw.items()))
    parser = _PARSERS.get(str(kind))
    if parser is None:
        c.add(f"{where}.{kind}", None, "is not a known change", f"the changes are {', '.join(_PARSERS)}")
        return None
    if not isinstance(args, Mapping):
        c.add(f"{where}.{kind}", args, "has no arguments", "give them as key: value pairs")
        return None
    return parser(c, args, f"{where}.{kind}")


def _set_rate(c: _Checker, args: Mapping[str, Any], where: str) -> Change | None:
    if not c.keys(args, ("measure", "rate", "countries", "floor", "citation"), ("measure", "rate"), where):
        return None
    rate = _rate(c, args["rate"], f"{where}.rate")
    countries = _countries(c, args.get("countries"), f"{where}.countries")
    if rate is None:
        return None
    who = f" for {', '.join(sorted(countries))}" if countries else ""
    floor = bool(args.get("floor", False))
    text = f"{args['measure']} at {rate:.4g}{' (floor)' if floor else ''}{who}"
    out = {"measure": str(args["measure"]), "rate": rate, "countries": countries, "floor": floor}
    return Change("set_rate", {**out, "citation": str(args.get("citation", ""))}, text)


def _end_measure(c: _Checker, args: Mapping[str, Any], where: str) -> Change | None:
    if not c.keys(args, ("measure",), ("measure",), where):
        return None
    return Change("end_measure", {"measure": str(args["measure"])}, f"{args['measure']} ended")


def _remove_exemption(c: _Checker, args: Mapping[str, Any], where: str) -> Change | None:
    if not c.keys(args, ("measure", "exemption"), ("measure", "exemption"), where):
        return None
    text = f"exemption {args['exemption']} of {args['measure']} removed"
    return Change("remove_exemption", {"measure": str(args["measure"]), "exemption": str(args["exemption"])}, text)


ADD_KEYS: Final = ("id", "authority", "heading", "countries", "products", "rate", "exempt_usmca", "citation")


def _add_measure(c: _Checker, args: Mapping[str, Any], where: str) -> Change | None:
    if not c.keys(args, ADD_KEYS, ("id", "authority", "rate"), where):
        return None
    rate = _rate(c, args["rate"], f"{where}.rate")
    countries = _countries(c, args.get("countries"), f"{where}.countries")
    products = _products(c, args.get("products", "all"), f"{where}.products")
    if str(args["authority"]) not in AUTHORITY_COLUMNS:
        c.add(
            f"{where}.authority",
            args["authority"],
            "is not an authority the engine knows",
            f"use one of: {', '.join(AUTHORITY_COLUMNS)}",
        )
        return None
    if rate is None or products is None:
        return None
    who = ", ".join(sorted(countries)) if countries else "every country"
    exempt = bool(args.get("exempt_usmca", False))
    text = f"new measure {args['id']}: {rate:.4g} on {products.spec} from {who}" + (", USMCA exempt" if exempt else "")
    measure = {
        "id": str(args["id"]),
        "authority": str(args["authority"]),
        "heading": str(args.get("heading", "scenario")),
        "countries": sorted(countries) if countries else "all",
        "products": products.spec,
        "rate": rate,
        "exempt_usmca": exempt,
        "citation": str(args.get("citation", "")),
    }
    return Change("add_measure", measure, text)


def _withdraw(c: _Checker, args: Mapping[str, Any], where: str) -> Change | None:
    if not c.keys(args, ("products", "countries", "program"), ("products",), where):
        return None
    if str(args.get("program", "USMCA")).upper() != "USMCA":
        c.add(f"{where}.program", args["program"], "is not a preference the store has claims of", "use USMCA")
        return None
    products = _products(c, args["products"], f"{where}.products")
    countries = _countries(c, args.get("countries", ["CAN", "MEX"]), f"{where}.countries")
    if products is None:
        return None
    who = ", ".join(sorted(countries or ())) or "CAN, MEX"
    text = f"USMCA preference withdrawn for {products.spec} from {who}"
    return Change("withdraw_preference", {"products": products, "countries": countries}, text)


_PARSERS: Final[dict[str, Callable[[_Checker, Mapping[str, Any], str], Change | None]]] = {
    "set_rate": _set_rate,
    "add_measure": _add_measure,
    "end_measure": _end_measure,
    "remove_exemption": _remove_exemption,
    "withdraw_preference": _withdraw,
}


def _rate(c: _Checker, raw: Any, where: str) -> float | None:
    fix = "write a fraction (0.25) or a percent ('25%') between 0 and 1000%"
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = float(str(raw).strip()[:-1]) / 100.0 if str(raw).strip().endswith("%") else float(raw)
    except ValueError:
        c.add(where, raw, "is not a rate", fix)
        return None
    if not 0.0 <= value <= MAX_RATE:
        c.add(where, raw, "is out of range", fix)
        return None
    return value


def _countries(c: _Checker, raw: Any, where: str) -> frozenset[str] | None:
    if raw is None:
        return None
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(x, str) and len(x) == 3 and x.isalpha() for x in items):
        c.add(where, raw, "is not a list of ISO 3166 alpha-3 codes", "write e.g. [MEX, CAN]")
        return None
    return frozenset(x.upper() for x in items)


def _products(c: _Checker, raw: Any, where: str) -> Products | None:
    """all, chapters:87,88, codes:8703,870840, list:NAME (a policy product list)."""
    spec = str(raw).strip()
    kind, _, rest = spec.partition(":")
    if spec == "all":
        return Products(spec, None)
    items = tuple(x.strip().replace(".", "") for x in rest.split(",") if x.strip())
    if kind in ("chapters", "codes") and items and all(x.isdigit() and 2 <= len(x) <= 10 for x in items):
        return Products(spec, items)
    if kind == "list" and items:
        try:
            return Products(spec, tuple(code for name in items for code in read_product_list(name)))
        except FileNotFoundError:
            c.add(where, raw, "names no product list of the policy", f"the lists are in {PRODUCTS_DIR}")
            return None
    c.add(where, raw, "is not a product scope", "write all, chapters:87, codes:8703,870840 or list:NAME")
    return None


def _date(c: _Checker, raw: Any, where: str) -> dt.date | None:
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        c.add(where, raw, "is not a date", "write YYYY-MM-DD")
        return None


def scenario_policy(scenario: TariffScenario, on: dt.date, base: Policy | None = None) -> Policy:
    """The shipped policy with the scenario's edits, effective from `on`, parsed by the tariff engine."""
    base = base or load_policy()
    edits = [ch for ch in scenario.changes if ch.kind != "withdraw_preference"]
    if not edits:
        return base
    data = copy.deepcopy(_raw_policy(base.path or str(POLICY_FILE)))
    c = _Checker(scenario.source)
    measures: list[Raw] = data["measures"]
    for index, change in enumerate(scenario.changes):
        if change.kind != "withdraw_preference":
            _APPLY[change.kind](c, measures, change, on, f"changes[{index}].{change.kind}")
    if c.problems:
        raise ValidationFailed(c.problems, outcome=OUTCOME)
    # The engine caches its per-line product masks by policy path and version: the same scopes keep the key.
    same_scopes = _scopes(data) == _scopes(_raw_policy(base.path or str(POLICY_FILE)))
    key = base.path if same_scopes else f"{base.path}#scenario={scenario.checksum or scenario.name}:{_digest(data)}"
    return parse_policy(data, key, PRODUCTS_DIR)


@functools.cache
def _raw_policy(path: str) -> Raw:
    with open(path.split("#", 1)[0], encoding="utf-8") as handle:
        data: Raw = yaml.load(handle, Loader=LOADER)
    return data


def _scopes(data: Raw) -> str:
    keys = ("id", "products", "basis", "metal", "end_use_default")
    rows = [
        ([m.get(k) for k in keys], [(e.get("id"), e.get("products")) for e in m.get("exemptions", [])])
        for m in data["measures"]
    ]
    return json.dumps(rows, sort_keys=True, default=str)


def _digest(data: Raw) -> str:
    return hashlib.sha256(_scopes(data).encode()).hexdigest()[:12]


def _find(c: _Checker, measures: list[Raw], measure_id: str, where: str) -> Raw | None:
    for measure in measures:
        if measure["id"] == measure_id:
            return measure
    known = ", ".join(m["id"] for m in measures)
    c.add(f"{where}.measure", measure_id, "is not a measure of the tariff policy", f"the measures are {known}")
    return None


def _citation(change: Change) -> str:
    return change.args.get("citation") or f"scenario: {change.text}"


def _apply_set_rate(c: _Checker, measures: list[Raw], change: Change, on: dt.date, where: str) -> None:
    measure = _find(c, measures, change.args["measure"], where)
    if measure is None:
        return
    period: Raw = {"rate": change.args["rate"], "start": on.isoformat(), "end": None, "citation": _citation(change)}
    if change.args["floor"]:
        period["floor"] = True
    countries = change.args["countries"]
    if countries:
        # country-specific periods win over general ones; the first matching one wins: put it first
        measure["country_rates"] = [{**period, "countries": sorted(countries)}, *measure.get("country_rates", [])]
    else:
        measure["rates"] = [period, *measure.get("rates", [])]


def _apply_end(c: _Checker, measures: list[Raw], change: Change, on: dt.date, where: str) -> None:
    measure = _find(c, measures, change.args["measure"], where)
    if measure is None:
        return
    last = (on - dt.timedelta(days=1)).isoformat()
    for key in ("rates", "country_rates"):
        kept = []
        for period in measure.get(key, []):
            if str(period["start"]) >= on.isoformat():
                continue
            if period.get("end") is None or str(period["end"]) >= on.isoformat():
                period = {**period, "end": last}
            kept.append(period)
        measure[key] = kept


def _apply_remove_exemption(c: _Checker, measures: list[Raw], change: Change, on: dt.date, where: str) -> None:
    measure = _find(c, measures, change.args["measure"], where)
    if measure is None:
        return
    exemptions = measure.get("exemptions", [])
    kept = [e for e in exemptions if e["id"] != change.args["exemption"]]
    if len(kept) == len(exemptions):
        known = ", ".join(e["id"] for e in exemptions) or "none"
        c.add(
            f"{where}.exemption",
            change.args["exemption"],
            f"is not an exemption of {measure['id']}",
            f"its exemptions: {known}",
        )
    measure["exemptions"] = kept


def _apply_add(c: _Checker, measures: list[Raw], change: Change, on: dt.date, where: str) -> None:
    args = change.args
    if any(m["id"] == args["id"] for m in measures):
        c.add(f"{where}.id", args["id"], "is already a measure of the tariff policy", "give the new measure another id")
        return
    measure: Raw = {
        "id": args["id"],
        "authority": args["authority"],
        "heading": args["heading"],
        "countries": args["countries"],
        "products": args["products"],
        "rates": [{"rate": args["rate"], "start": on.isoformat(), "end": None, "citation": _citation(change)}],
        "citation": _citation(change),
    }
    if args["exempt_usmca"]:
        measure["exemptions"] = [
            {"id": "usmca", "usmca": True, "rate": 0.0, "citation": "scenario: USMCA goods exempt"}
        ]
    measures.append(measure)


_APPLY: Final[dict[str, Callable[[_Checker, list[Raw], Change, dt.date, str], None]]] = {
    "set_rate": _apply_set_rate,
    "end_measure": _apply_end,
    "remove_exemption": _apply_remove_exemption,
    "add_measure": _apply_add,
}

__all__ = ["Change", "TariffScenario", "at_date", "parse_scenario", "read_scenario", "scenario_policy"]
