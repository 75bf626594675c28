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

This module reads and checks the file (unknown keys, wrong types, rates outside 0-1000%, unknown countries,
authorities and product lists, every problem located by its key path); `policy_edits.scenario_policy` applies it.
Withdrawing a preference removes the USMCA claim: those lines pay the engine's rate for goods that do not claim
it. Rates are fractions (0.25) or percent texts ("25%").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from nearshore.data.reference.countries import census_table
from nearshore.scenarios.checks import FileChecker, read_yaml
from nearshore.tariffs.panel import AUTHORITY_COLUMNS
from nearshore.tariffs.policy import Products
from nearshore.tariffs.policy.derive import PRODUCTS_DIR, read_product_list

TOP_KEYS: Final = ("name", "description", "date", "changes")
MAX_RATE: Final = 10.0
OUTCOME: Final = "nothing was simulated"
USMCA_PARTNERS: Final = frozenset({"CAN", "MEX"})


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


def read_scenario(path: Path) -> TariffScenario:
    """Parse and check a scenario file; every problem is reported with its key and value, nothing is run."""
    data, checksum = read_yaml(path, OUTCOME)
    return parse_scenario(data, str(path), checksum)


def parse_scenario(data: Any, source: str, checksum: str = "") -> TariffScenario:
    c = FileChecker(source, OUTCOME)
    c.keys(data, TOP_KEYS, "scenario", ("changes",))
    if not isinstance(data, Mapping):
        c.done()
    on = _date(c, data["date"], "scenario.date") if data.get("date") is not None else None
    raw_changes = data.get("changes")
    if not isinstance(raw_changes, list):
        c.add("scenario.changes", raw_changes, "is not a list", "list the changes, one per item (- set_rate: ...)")
        raw_changes = []
    changes = [_change(c, raw, f"changes[{index}]") for index, raw in enumerate(raw_changes)]
    texts = {key: c.text(data[key], f"scenario.{key}") for key in ("name", "description") if key in data}
    c.done()
    name = texts.get("name") or Path(source).stem
    kept = tuple(change for change in changes if change is not None)
    return TariffScenario(name, texts.get("description") or "", source, checksum, on, kept)


def at_date(on: dt.date) -> TariffScenario:
    """The tariff engine at another date, nothing else changed."""
    return TariffScenario(f"at-{on.isoformat()}", f"the tariff engine on {on.isoformat()}", "option --at", "", on, ())


def _change(c: FileChecker, raw: Any, where: str) -> Change | None:
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


def _set_rate(c: FileChecker, args: Mapping[str, Any], where: str) -> Change | None:
    if not c.keys(args, ("measure", "rate", "countries", "floor", "citation"), where, ("measure", "rate")):
        return None
    measure = c.text(args["measure"], f"{where}.measure")
    rate = _rate(c, args["rate"], f"{where}.rate")
    countries = _countries(c, args.get("countries"), f"{where}.countries")
    floor = c.flag(args.get("floor", False), f"{where}.floor")
    citation = c.text(args["citation"], f"{where}.citation") if "citation" in args else ""
    if measure is None or rate is None or floor is None or citation is None:
        return None
    who = f" for {', '.join(sorted(countries))}" if countries else ""
    text = f"{measure} at {rate:.4g}{' (floor)' if floor else ''}{who}"
    args = {"measure": measure, "rate": rate, "countries": countries, "floor": floor, "citation": citation}
    return Change("set_rate", args, text)


def _end_measure(c: FileChecker, args: Mapping[str, Any], where: str) -> Change | None:
    if not c.keys(args, ("measure",), where, ("measure",)):
        return None
    measure = c.text(args["measure"], f"{where}.measure")
    return None if measure is None else Change("end_measure", {"measure": measure}, f"{measure} ended")


def _remove_exemption(c: FileChecker, args: Mapping[str, Any], where: str) -> Change | None:
    if not c.keys(args, ("measure", "exemption"), where, ("measure", "exemption")):
        return None
    measure = c.text(args["measure"], f"{where}.measure")
    exemption = c.text(args["exemption"], f"{where}.exemption")
    if measure is None or exemption is None:
        return None
    text = f"exemption {exemption} of {measure} removed"
    return Change("remove_exemption", {"measure": measure, "exemption": exemption}, text)


ADD_KEYS: Final = ("id", "authority", "heading", "countries", "products", "rate", "exempt_usmca", "citation")


def _add_measure(c: FileChecker, args: Mapping[str, Any], where: str) -> Change | None:
    if not c.keys(args, ADD_KEYS, where, ("id", "authority", "rate")):
        return None
    ident = c.text(args["id"], f"{where}.id")
    rate = _rate(c, args["rate"], f"{where}.rate")
    countries = _countries(c, args.get("countries"), f"{where}.countries")
    products = _products(c, args.get("products", "all"), f"{where}.products")
    exempt = c.flag(args.get("exempt_usmca", False), f"{where}.exempt_usmca")
    heading = c.text(args.get("heading", "scenario"), f"{where}.heading")
    citation = c.text(args["citation"], f"{where}.citation") if "citation" in args else ""
    if args["authority"] not in AUTHORITY_COLUMNS:
        fix = f"use one of: {', '.join(AUTHORITY_COLUMNS)}"
        c.add(f"{where}.authority", args["authority"], "is not an authority the engine knows", fix)
        return None
    if ident is None or rate is None or products is None or exempt is None or heading is None or citation is None:
        return None
    who = ", ".join(sorted(countries)) if countries else "every country"
    text = f"new measure {ident}: {rate:.4g} on {products.spec} from {who}" + (", USMCA exempt" if exempt else "")
    measure = {
        "id": ident,
        "authority": args["authority"],
        "heading": heading,
        "countries": sorted(countries) if countries else "all",
        "products": products.spec,
        "rate": rate,
        "exempt_usmca": exempt,
        "citation": citation,
    }
    return Change("add_measure", measure, text)


def _withdraw(c: FileChecker, args: Mapping[str, Any], where: str) -> Change | None:
    if not c.keys(args, ("products", "countries", "program"), where, ("products",)):
        return None
    if str(args.get("program", "USMCA")).upper() != "USMCA":
        c.add(f"{where}.program", args["program"], "is not a preference the store has claims of", "use USMCA")
        return None
    products = _products(c, args["products"], f"{where}.products")
    countries = _countries(c, args.get("countries", sorted(USMCA_PARTNERS)), f"{where}.countries")
    if countries is not None and not countries <= USMCA_PARTNERS:
        others = ", ".join(sorted(countries - USMCA_PARTNERS))
        c.add(f"{where}.countries", others, "cannot claim USMCA", "list CAN and/or MEX")
        return None
    if products is None:
        return None
    who = ", ".join(sorted(countries or USMCA_PARTNERS))
    text = f"USMCA preference withdrawn for {products.spec} from {who}"
    return Change("withdraw_preference", {"products": products, "countries": countries}, text)


_PARSERS: Final[dict[str, Callable[[FileChecker, Mapping[str, Any], str], Change | None]]] = {
    "set_rate": _set_rate,
    "add_measure": _add_measure,
    "end_measure": _end_measure,
    "remove_exemption": _remove_exemption,
    "withdraw_preference": _withdraw,
}


def _rate(c: FileChecker, raw: Any, where: str) -> float | None:
    """A fraction (0.25) or a percent text ('25%'), from 0 to 1000%."""
    fix = "write a fraction (0.25) or a percent ('25%') from 0 to 1000%"
    text = raw.strip() if isinstance(raw, str) else None
    try:
        if isinstance(raw, bool) or (text is not None and not text.endswith("%")):
            raise ValueError
        value = float(text[:-1]) / 100.0 if text is not None else float(raw)
    except (TypeError, ValueError):
        c.add(where, raw, "is not a rate", fix)
        return None
    if not 0.0 <= value <= MAX_RATE:
        c.add(where, raw, "is out of range", fix)
        return None
    return value


def _countries(c: FileChecker, raw: Any, where: str) -> frozenset[str] | None:
    """ISO 3166 alpha-3 codes the Census country table knows (one code or a list), None when not given."""
    if raw is None:
        return None
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not items or not all(isinstance(x, str) for x in items):
        c.add(where, raw, "is not a list of ISO 3166 alpha-3 codes", "write e.g. [MEX, CAN]")
        return None
    known = {partner.id for partner in census_table().values()}
    unknown = [x for x in items if x.upper() not in known]
    if unknown:
        c.add(where, ", ".join(unknown), "is not an ISO 3166 alpha-3 country code", "write e.g. MEX, CAN, CHN")
        return None
    return frozenset(x.upper() for x in items)


def _products(c: FileChecker, raw: Any, where: str) -> Products | None:
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


def _date(c: FileChecker, raw: Any, where: str) -> dt.date | None:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        c.add(where, raw, "is not a date", "write YYYY-MM-DD")
        return None


__all__ = ["OUTCOME", "Change", "TariffScenario", "at_date", "parse_scenario", "read_scenario"]
