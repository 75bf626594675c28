"""The facts the brief takes from the scenario engine and the tariff series, recomputed by calling the engines
directly: the PE model on the documented example scenario (docs/examples/scenarios/usmca_ch87.yaml, the same edit
as the file the brief ships) and `tariff_series` over the year, each partner's figures combined here by their
import weights (the brief's own combination in nearshore/writer/engines.py is not used)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from nearshore.scenarios.pe import TariffRequest, simulate_tariff
from nearshore.tariffs.policy import load_policy
from nearshore.tariffs.schedule import load_schedule
from nearshore.tariffs.series import COMPONENTS, tariff_series

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "scenarios" / "usmca_ch87.yaml"


def scenario_facts(store, prefix: str, partners: tuple[str, ...], year: int) -> dict[str, float]:
    result = simulate_tariff(store, TariffRequest(scenario=EXAMPLE, year=year, products=("87",)))
    rows = {
        p: {m: result.figure("partners", m, partner=p).value for m in result.table("partners").measures}
        for p in partners
    }
    base = sum(r["imports_base"] for r in rows.values())
    effect = sum(r["total_effect"] for r in rows.values())
    key = f"{prefix}.scenario.usmca-ch87"
    return {
        f"{key}.tariff.before.{year}": sum(r["tariff_old"] * r["imports_base"] for r in rows.values()) / base,
        f"{key}.tariff.after.{year}": sum(r["tariff_new"] * r["imports_base"] for r in rows.values()) / base,
        f"{key}.imports.change.{year}": 100 * effect / base,
        f"{key}.imports.change.usd.{year}": effect,
    }


def series_facts(store, prefix: str, partners: tuple[str, ...], year: int) -> dict[str, float]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    built = tariff_series(
        store, load_schedule(store), load_policy(), partners=list(partners), start=first, end=last, hts10_year=year
    )
    weight = {b.partner: b.imports for b in built.bases}
    total = sum(weight[p] for p in partners)

    def rate(day: date, component: str) -> float:
        return 100 * sum(built.at(p, day).rates[component] * weight[p] for p in partners) / total

    out = {f"{prefix}.tariff.series.{day}": rate(day, "total") for day in (first, last)}
    for component in COMPONENTS:
        if rate(last, component) >= 0.05:  # the authorities the brief names: those that show as 0.1% or more
            out[f"{prefix}.tariff.series.{last}.{component.replace('_', '-')}"] = rate(last, component)
    return out


def engine_facts(store, prefix: str, partners: tuple[str, ...], year: int) -> dict[str, float]:
    return {**scenario_facts(store, prefix, partners, year), **series_facts(store, prefix, partners, year)}
