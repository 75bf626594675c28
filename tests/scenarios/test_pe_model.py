"""The SMART model against cases worked by hand (one product, two partners) and its invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nearshore.scenarios.pe.model import Lines, Parameters, simulate


def _two_partners(t1_a: float, e: float = -1.0, s: float = 2.0, x: float = math.inf) -> dict[str, np.ndarray]:
    """Product 0 from A and B, 100 each, no tariff before; A's tariff goes to t1_a."""
    lines = Lines(np.array([0, 0]), np.array([100.0, 100.0]), np.zeros(2), np.array([t1_a, 0.0]))
    return simulate(lines, Parameters(np.array([e]), np.array([s]), np.array([x]))).values


def test_infinite_supply_by_hand() -> None:
    # tau_A = 0.10; creation_A = -1 x 100 x 0.10 = -10. Shares: 0.5 x 1.1^-2 / (0.5 x 1.1^-2 + 0.5)
    # = 0.826446 / 1.826446 = 0.452489; diversion_A = 200 x (0.452489 - 0.5) = -9.50226, B +9.50226.
    v = _two_partners(0.10)
    share = 0.5 * 1.1**-2 / (0.5 * 1.1**-2 + 0.5)
    assert v["creation"] == pytest.approx([-10.0, 0.0])
    assert v["diversion"] == pytest.approx([200 * (share - 0.5), 200 * (0.5 - share)])
    assert v["diversion"][0] == pytest.approx(-9.502262, abs=1e-6)
    assert v["price_effect"] == pytest.approx([0.0, 0.0])
    # revenue: 0.10 x (100 - 10 - 9.502262) = 8.0497738; consumer surplus of A: -0.10 x (100 + 80.497738) / 2
    assert v["revenue_change"][0] == pytest.approx(8.0497738, abs=1e-6)
    assert v["consumer_surplus"][0] == pytest.approx(-9.0248869, abs=1e-6)
    assert v["welfare"].sum() == pytest.approx(8.0497738 - 9.0248869, abs=1e-6)


def test_finite_supply_by_hand() -> None:
    # x = 2: creation_A = -1 x 100 x 0.10 / (1 - (-1/2)) = -6.6667; world price of A falls
    # pi = -6.6667 / (100 x 2) = -3.3333%; price effect = 100 x pi = -3.3333. Check: the domestic price of A rises
    # 0.10 - 0.0333 = 6.667% and demand falls 6.667% with e = -1.
    v = _two_partners(0.10, x=2.0)
    assert v["creation"][0] == pytest.approx(-20.0 / 3.0)
    assert v["price_effect"][0] == pytest.approx(-10.0 / 3.0)
    assert v["creation"][1] == 0.0
    assert v["price_effect"][1] == 0.0
    assert (v["creation"][0] / 100) == pytest.approx(-1.0 * (0.10 + v["price_effect"][0] / 100))


def test_no_change_no_effect() -> None:
    v = _two_partners(0.0, x=3.0)
    for name in (
        "creation",
        "diversion",
        "price_effect",
        "total_effect",
        "revenue_change",
        "consumer_surplus",
        "welfare",
    ):
        assert v[name] == pytest.approx([0.0, 0.0])


def test_diversion_nets_to_zero_in_every_market() -> None:
    rng = np.random.default_rng(3)
    product = rng.integers(0, 40, size=400)
    lines = Lines(product, rng.uniform(0, 1e6, 400), rng.uniform(0, 0.3, 400), rng.uniform(0, 0.6, 400))
    params = Parameters(-rng.uniform(0.5, 3, 40), rng.uniform(0.5, 8, 40), rng.uniform(1, 99, 40))
    diversion = simulate(lines, params)["diversion"]
    assert np.abs(np.bincount(product, weights=diversion, minlength=40)).max() < 1e-6
    # SMART's ceiling: no partner loses more than it sells
    assert (lines.imports + diversion >= -1e-9).all()


def test_doubling_import_demand_doubles_creation() -> None:
    once, twice = _two_partners(0.25, e=-0.8), _two_partners(0.25, e=-1.6)
    assert twice["creation"] == pytest.approx(2 * once["creation"])
    assert twice["diversion"] == pytest.approx(once["diversion"])  # diversion depends on substitution only
