"""A tariff scenario applied to the tariff engine's policy data: each edit of the scenario file changes the policy
YAML's data (a rate period from the scenario date that wins over the recorded ones, a new measure, a measure ended
the day before the date, an exemption removed), and the result is parsed and run by the engine itself
(`nearshore.tariffs.policy.parse_policy`), so no rate is typed in the scenario engine. A problem the file's
parser cannot see (a measure or exemption the policy does not have) is located by the change's key path."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any, Final

import yaml

from nearshore.scenarios.checks import LOADER, FileChecker
from nearshore.scenarios.pe.scenario_file import OUTCOME, Change, TariffScenario
from nearshore.tariffs.policy import POLICY_FILE, Policy, load_policy, parse_policy
from nearshore.tariffs.policy.derive import PRODUCTS_DIR

Raw = dict[str, Any]


def scenario_policy(scenario: TariffScenario, on: dt.date, base: Policy | None = None) -> Policy:
    """The shipped policy with the scenario's edits, effective from `on`, parsed by the tariff engine."""
    base = base or load_policy()
    edits = [ch for ch in scenario.changes if ch.kind != "withdraw_preference"]
    if not edits:
        return base
    data = copy.deepcopy(_raw_policy(base.path or str(POLICY_FILE)))
    c = FileChecker(scenario.source, OUTCOME)
    measures: list[Raw] = data["measures"]
    for index, change in enumerate(scenario.changes):
        if change.kind != "withdraw_preference":
            _APPLY[change.kind](c, measures, change, on, f"changes[{index}].{change.kind}")
    c.done()
    # a policy of its own (the tariff engine caches per-line arrays by policy path and version)
    return parse_policy(
        data, f"{base.path}#scenario={scenario.checksum or scenario.name}:{_digest(data)}", PRODUCTS_DIR
    )


@functools.cache
def _raw_policy(path: str) -> Raw:
    with open(path.split("#", 1)[0], encoding="utf-8") as handle:
        data: Raw = yaml.load(handle, Loader=LOADER)
    return data


def _digest(data: Raw) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:12]


def _find(c: FileChecker, measures: list[Raw], measure_id: str, where: str) -> Raw | None:
    for measure in measures:
        if measure["id"] == measure_id:
            return measure
    known = ", ".join(m["id"] for m in measures)
    c.add(f"{where}.measure", measure_id, "is not a measure of the tariff policy", f"the measures are {known}")
    return None


def _citation(change: Change) -> str:
    return change.args.get("citation") or f"scenario: {change.text}"


def _apply_set_rate(c: FileChecker, measures: list[Raw], change: Change, on: dt.date, where: str) -> None:
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


def _apply_end(c: FileChecker, measures: list[Raw], change: Change, on: dt.date, where: str) -> None:
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


def _apply_remove_exemption(c: FileChecker, measures: list[Raw], change: Change, on: dt.date, where: str) -> None:
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


def _apply_add(c: FileChecker, measures: list[Raw], change: Change, on: dt.date, where: str) -> None:
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


_APPLY: Final[dict[str, Callable[[FileChecker, list[Raw], Change, dt.date, str], None]]] = {
    "set_rate": _apply_set_rate,
    "end_measure": _apply_end,
    "remove_exemption": _apply_remove_exemption,
    "add_measure": _apply_add,
}

__all__ = ["scenario_policy"]
