"""One call for `nearshore scenario tariff`: read the market, price it with the tariff engine before and after,
run the SMART model, and report.

    from nearshore.scenarios.pe import TariffRequest, simulate_tariff
    result = simulate_tariff(store, TariffRequest(scenario=Path("usmca_ch87.yaml")))
    result.figure("partners", "tariff_new", partner="MEX").display()
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nearshore.analytics.result import choose
from nearshore.errors import InputError
from nearshore.scenarios.pe import elasticities as el
from nearshore.scenarios.pe.market import LEVELS, Level, Market, read_market
from nearshore.scenarios.pe.model import Lines, Parameters, simulate
from nearshore.scenarios.pe.policy_edits import scenario_policy
from nearshore.scenarios.pe.rates import line_rates
from nearshore.scenarios.pe.report import Inputs, report
from nearshore.scenarios.pe.scenario_file import TariffScenario, at_date, read_scenario
from nearshore.scenarios.result import ScenarioResult

if TYPE_CHECKING:
    from nearshore.data.store import Store


@dataclass(frozen=True)
class TariffRequest:
    """What to simulate.

    scenario       a scenario file (YAML: policy edits, see scenario_file.py), or None with `at`
    at             the scenario's date: the engine at another date (overrides the file's `date`)
    baseline_date  the tariffs before (default: the policy's last recorded action)
    level          hts10 (DataWeb HTS10 x partner) or hs2 (Census HS chapter x every partner)
    year           the market year (default: the latest complete year in the store)
    products       HS prefixes to keep; partners: ISO3 codes to keep
    elasticities   a CSV of elasticities by HS prefix over the shipped table
    export_supply  one export supply elasticity for every product (inf allowed), over the table
    top            products listed in the products table (largest absolute effect first; 0 = all)
    as_of          read the store as it stood at this vintage
    """

    scenario: Path | None = None
    at: dt.date | None = None
    baseline_date: dt.date | None = None
    level: Level = "hts10"
    year: int | None = None
    products: tuple[str, ...] | None = None
    partners: tuple[str, ...] | None = None
    elasticities: Path | None = None
    export_supply: float | None = None
    top: int = 50
    as_of: str | None = None

    def __post_init__(self) -> None:
        choose(self.level, LEVELS, "level")
        if self.scenario is None and self.at is None:
            raise InputError("give a scenario file, or the date to compare with (--at YYYY-MM-DD)", field="scenario")
        if self.export_supply is not None and not self.export_supply > 0:
            raise InputError(
                f"export supply elasticity {self.export_supply} has the wrong sign: it is positive (inf for infinite)",
                field="export_supply",
                value=self.export_supply,
            )
        if self.top < 0:
            raise InputError(
                f"top {self.top} is negative: give the number of products to list (0 = all)",
                field="top",
                value=self.top,
            )


def simulate_tariff(store: Store, request: TariffRequest) -> ScenarioResult:
    """The PE effects of the request's scenario on the store's market (see docs/scenarios.md)."""
    from nearshore.tariffs import load_policy, load_schedule

    scenario = _scenario(request)
    override = el.read_table(request.elasticities) if request.elasticities else None
    base_policy = load_policy()
    baseline_date = request.baseline_date or base_policy.recorded_to
    on = request.at or scenario.date or baseline_date
    policy = scenario_policy(scenario, on, base_policy)
    schedule = load_schedule(store, as_of=request.as_of)
    market = read_market(store, request.level, request.year, request.products, request.partners, request.as_of)
    weights = _weights(store, request) if request.level == "hs2" else None
    before = line_rates(market, schedule, base_policy, baseline_date, (), weights)
    after = line_rates(market, schedule, policy, on, scenario.withdrawals(), weights, like=base_policy)
    keep = np.isfinite(before.values) & np.isfinite(after.values) & (market.imports > 0)
    codes = sorted({c for c, k in zip(market.codes, keep, strict=True) if k})
    index = {c: k for k, c in enumerate(codes)}
    product = np.array([index.get(c, -1) for c in market.codes])[keep]
    choices = el.choose(codes, override)
    params = el.parameters(choices)
    if request.export_supply is not None:
        params = Parameters(params.import_demand, params.substitution, np.full(len(codes), request.export_supply))
    lines = Lines(product, market.imports[keep], before.values[keep], after.values[keep])
    effects = simulate(lines, params)
    inputs = Inputs(
        market,
        keep,
        codes,
        product,
        choices,
        scenario,
        baseline_date,
        on,
        policy,
        base_policy,
        schedule.revision,
        (*before.notes, *after.notes),
        request,
    )
    return report(inputs, effects)


def _scenario(request: TariffRequest) -> TariffScenario:
    if request.scenario is not None:
        return read_scenario(request.scenario)
    assert request.at is not None
    return at_date(request.at)


def _weights(store: Store, request: TariffRequest) -> Market | None:
    """The store's HTS10 imports (with claims) that weight chapter rates, when it holds any."""
    from nearshore.errors import DataNotFound

    try:
        return read_market(store, "hts10", None, request.products, request.partners, request.as_of)
    except DataNotFound:
        return None


__all__ = ["TariffRequest", "simulate_tariff"]
