"""The general-equilibrium solver on synthetic economies: invariants, an independent exact-hat-algebra
solution of the same model, and solves that fail loudly."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest

from nearshore.analytics import Figure
from nearshore.errors import InputError, NotConverged
from nearshore.scenarios.gravity import (
    CostChange,
    GESettings,
    SetVariable,
    TariffChange,
    given_costs,
    simulate,
)
from nearshore.scenarios.gravity.ge import Closure, Economy, Solver, baseline, resistances
from tests.scenarios.conftest import synthetic_panel

COSTS = given_costs({"ln_dist": -0.9, "rta": 0.5, "border": -2.0}, "the synthetic model")
REMOVE = (SetVariable("rta", 0.0, ("C00", "C03", "C06")),)


def settings(closure: Closure = "full", **changes: Any) -> GESettings:
    return dataclasses.replace(GESettings(sigma=6.0, reference="C01", closure=closure), **changes)


@pytest.mark.parametrize("closure", ["full", "one-step", "conditional"])
def test_no_change_no_effect(closure: Closure) -> None:
    panel = synthetic_panel(8)
    unchanged = (SetVariable("rta", 1.0, ("C00", "C03")),)  # (0+3) % 3 == 0: already in an RTA
    outcome = simulate(panel, COSTS, unchanged, settings=settings(closure))
    table = outcome.result.table("countries")
    for measure in table.measures:
        assert all(abs(f.value) < 1e-9 for f in table.column(measure) if f is not None), measure


def values(figures: list[Figure | None]) -> list[float]:
    """The values of a column in which every row has a figure."""
    assert None not in figures
    return [f.value for f in figures if f is not None]


def exact_hat_algebra(trade: np.ndarray, cost_change: np.ndarray, sigma: float, reference: int) -> np.ndarray:
    """Factory-gate price changes of the same endowment economy by exact hat algebra (Dekle, Eaton & Kortum
    2008): baseline import shares and the cost change, each country's sales proportional to its output (the
    common factor is world expenditure over world output when expenditure is a fixed multiple of output),
    the reference country's price index unchanged. Nothing from the solver's code."""
    output, expenditure = trade.sum(axis=1), trade.sum(axis=0)
    shares = trade / expenditure
    phi = expenditure / output
    price = np.ones(len(output))
    for _ in range(10_000):
        weight = shares * cost_change * price[:, None] ** (1 - sigma)
        demand = (weight / weight.sum(axis=0) * (phi * price * output)).sum(axis=1)
        updated: np.ndarray = price * (demand / (price * output)) ** (1 / sigma)
        index = (shares * cost_change * updated[:, None] ** (1 - sigma)).sum(axis=0) ** (1 / (1 - sigma))
        updated /= index[reference]
        if np.max(np.abs(updated / price - 1)) < 1e-14:
            return updated
        price = updated
    raise AssertionError("the reference solution did not converge")


def test_full_closure_matches_exact_hat_algebra() -> None:
    panel = synthetic_panel(9)
    outcome = simulate(panel, COSTS, REMOVE, settings=settings("full", tolerance=1e-12))
    countries = outcome.economy.countries
    members = [countries.index(c) for c in ("C00", "C03", "C06")]
    change = np.ones((len(countries), len(countries)))
    for a in members:
        for b in members:
            if a != b:
                change[a, b] = np.exp(-0.5)  # t^(1-sigma) loses the RTA coefficient
    expected = exact_hat_algebra(outcome.baseline.trade, change, 6.0, countries.index("C01"))
    np.testing.assert_allclose(outcome.scenario.price, expected, rtol=1e-9)


def test_full_equilibrium_clears_markets() -> None:
    """Every country sells the same multiple of its output (world expenditure / world output, which is 1
    when trade is balanced) and buys exactly its expenditure."""
    outcome = simulate(synthetic_panel(7), COSTS, REMOVE, settings=settings("full", tolerance=1e-12))
    scenario = outcome.scenario
    ratio = scenario.expenditure.sum() / scenario.output.sum()
    assert ratio != pytest.approx(1.0, abs=1e-9)  # this economy has deficits: the check below is not trivial
    np.testing.assert_allclose(scenario.trade.sum(axis=1), scenario.output * ratio, rtol=1e-9)
    np.testing.assert_allclose(scenario.trade.sum(axis=0), scenario.expenditure, rtol=1e-9)
    assert scenario.imr[outcome.economy.index("C01")] == pytest.approx(1.0)


def test_removing_an_agreement_hurts_its_members_trade_with_each_other() -> None:
    outcome = simulate(synthetic_panel(9), COSTS, REMOVE, settings=settings())
    pairs = outcome.result.table("pairs")
    countries = outcome.result.table("countries")
    assert pairs.figure("trade_change", exporter="C00", importer="C03").value < -30
    members = [outcome.economy.index(c) for c in ("C00", "C03", "C06")]
    others = [k for k in range(9) if k not in members]
    before, after = outcome.baseline.trade, outcome.scenario.trade
    assert after[np.ix_(others, members)].sum() > before[np.ix_(others, members)].sum()  # diverted to outsiders
    for member in ("C00", "C03", "C06"):
        assert countries.figure("welfare", country=member).value < 0
        assert countries.figure("domestic", country=member).value > 0


def test_welfare_does_not_depend_on_the_reference_country() -> None:
    panel = synthetic_panel(7)
    first = simulate(panel, COSTS, REMOVE, settings=settings(reference="C01"))
    second = simulate(panel, COSTS, REMOVE, settings=settings(reference="C05"))
    welfare = [o.result.table("countries").column("welfare") for o in (first, second)]
    np.testing.assert_allclose(values(welfare[0]), values(welfare[1]), rtol=1e-7, atol=1e-10)
    prices = [o.result.table("countries").column("price") for o in (first, second)]
    assert not np.allclose(values(prices[0]), values(prices[1]))  # nominal: it does


def test_a_tariff_is_a_cost_change_with_elasticity_minus_sigma() -> None:
    """(1+t)^(-sigma) = (1+c)^(1-sigma) when 1+c = (1+t)^(sigma/(sigma-1))."""
    panel = synthetic_panel(6)
    tariff = simulate(panel, COSTS, (TariffChange("C02", "C04", 10.0),), settings=settings())
    percent = 100 * (1.1 ** (6.0 / 5.0) - 1)
    cost = simulate(panel, COSTS, (CostChange("C02", "C04", percent),), settings=settings())
    np.testing.assert_allclose(tariff.scenario.trade, cost.scenario.trade, rtol=1e-9)
    assert [a.name for a in tariff.result.assumptions][-1] == "tariff_revenue"


def test_solver_that_does_not_converge_says_so() -> None:
    with pytest.raises(NotConverged) as caught:
        simulate(synthetic_panel(8), COSTS, REMOVE, settings=settings(max_iterations=3))
    error = caught.value
    assert error.iterations == 3
    assert error.residual > error.tolerance
    assert "did not converge after 3 iterations" in str(error)
    assert f"{error.residual:.3g}" in str(error)
    assert error.exit_code == 8


def test_resistances_that_do_not_converge_say_so() -> None:
    rng = np.random.default_rng(1)
    costs = rng.uniform(0.1, 1.0, (5, 5))
    shares = np.full(5, 0.2)
    with pytest.raises(NotConverged, match=r"resistances did not converge after 2 iterations: the largest"):
        resistances(costs, shares, shares, 0, tolerance=1e-14, max_iterations=2)


def test_solver_settings_are_checked() -> None:
    with pytest.raises(InputError, match=r"sigma must be > 1 \(goods are substitutes\); got 0.5"):
        Solver(sigma=0.5)
    with pytest.raises(InputError, match="closure 'partial' is not one of: full, one-step, conditional"):
        Solver(closure="partial")  # type: ignore[arg-type]  # a closure that does not exist, on purpose
    economy = Economy(("A", "B"), np.array([1.0, 2.0]), np.array([1.0, 2.0]), np.array([[1.0, 0.1], [0.1, 1.0]]))
    assert baseline(economy, Solver(reference=1)).imr[1] == pytest.approx(1.0)
    with pytest.raises(InputError, match=r"output of B is 0; every country needs a positive output"):
        Economy(("A", "B"), np.array([1.0, 0.0]), np.array([1.0, 2.0]), np.ones((2, 2)))
    with pytest.raises(InputError, match=r"baseline trade cost for A->B is inf"):
        Economy(("A", "B"), np.ones(2), np.ones(2), np.array([[1.0, np.inf], [1.0, 1.0]]))
