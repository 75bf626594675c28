"""One call for `nearshore scenario tariff`: read the market, price it with the tariff engine before and after,
run the SMART model, and report.

    from nearshore.scenarios.pe import TariffRequest, simulate_tariff
    result = simulate_tariff(store, TariffRequest(scenario=Path("usmca_ch87.yaml")))
    result.figure("partners", "tariff_new", partner="MEX").display()
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from nearshore.scenarios.pe import elasticities as el
from nearshore.scenarios.pe.market import Market, read_market
from nearshore.scenarios.pe.model import Lines, Parameters, simulate
from nearshore.scenarios.pe.policy_edits import scenario_policy
from nearshore.scenarios.pe.rates import line_rates
from nearshore.scenarios.pe.report import Inputs, report
from nearshore.scenarios.pe.request import TariffRequest
from nearshore.scenarios.pe.scenario_file import TariffScenario, at_date, read_scenario
from nearshore.scenarios.result import ScenarioResult

if TYPE_CHECKING:
    from nearshore.data.store import Store
    from nearshore.tariffs.schedule import Schedule


def simulate_tariff(
    store: Store,
    request: TariffRequest,
    progress: Callable[[str], None] | None = None,
    *,
    schedule: Schedule | None = None,
) -> ScenarioResult:
    """The PE effects of the request's scenario on the store's market (see docs/scenarios.md); `progress` hears
    each stage. `schedule`: the HTS schedule already loaded for the store (the brief shares its own, and with it
    the rate arrays cached on it); by default it is loaded."""
    from nearshore.tariffs import load_policy, load_schedule

    step = progress or _quiet
    step("reading the scenario and the tariff policy")
    scenario = _scenario(request)
    override = el.read_table(request.elasticities) if request.elasticities else None
    base_policy = load_policy()
    baseline_date = request.baseline_date or base_policy.recorded_to
    on = request.at or scenario.date or baseline_date
    policy = scenario_policy(scenario, on, base_policy)
    schedule = schedule or load_schedule(store, as_of=request.as_of)
    step("reading the market")
    market = read_market(store, request.level, request.year, request.products, request.partners, request.as_of)
    weights = _weights(store, request) if request.level == "hs2" else None
    step("rating every line before and after")
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
    step("simulating")
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


def _quiet(label: str) -> None:
    return None


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
