"""Every worked example of SOR/2020-155 that carries numbers, reproduced (tests/data/origin/README.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.origin.helpers import run


@pytest.mark.parametrize(
    ("name", "method", "printed", "qualifies"),
    [
        ("net_cost_example4.yaml", "net_cost", 54.5, True),  # s. 7(22) Example 4
        ("bicycle_a.yaml", "net_cost", 76.5, True),  # s. 8(28) Example 3 Situation A
        ("bicycle_b.yaml", "net_cost", 42.9, False),  # Situation B (printed truncated; 42.98)
        ("bicycle_c.yaml", "net_cost", 76.1, True),  # Situation C
        ("water_pump.yaml", "net_cost", 72.0, True),  # s. 4(4) Example 1
        ("bearings_a.yaml", "net_cost", 47.4, False),  # s. 9(8) Example 1 Situation A
        ("bearings_b.yaml", "net_cost", 72.7, True),  # Situation B, s. 9(2)(a)
        ("bearings_c.yaml", "net_cost", 70.2, True),  # Situation C, s. 9(2)(b)
        ("bearings_d.yaml", "net_cost", 59.6, True),  # Situation D, s. 9(2)(b)
        ("bearings_e.yaml", "transaction_value", 75.0, True),  # Situation E, s. 9(3)
    ],
)
def test_rvc_examples(name, method, printed, qualifies):
    result = run(name)
    assert result.rvc[method] == pytest.approx(printed, abs=0.1)
    assert result.qualifies is qualifies
    assert result.criterion == ("B" if qualifies else None)


def test_bicycle_b_is_42_98_unrounded():
    assert run("bicycle_b.yaml").rvc["net_cost"] == pytest.approx((22.80 - 13.00) / 22.80 * 100, abs=1e-9)


def test_water_pump_uses_table_b_threshold_by_date():
    after = run("water_pump.yaml")
    test = next(t for t in after.all_tests if t.name == "RVC (net cost)")
    assert test.required == 70.0
    assert "Table B" in test.citation
    assert test.summary() == "72.0% vs at least 70% required (margin +2.0 points)"
    before = run("water_pump.yaml", dt.date(2021, 1, 1))
    assert next(t for t in before.all_tests if t.name == "RVC (net cost)").required == 62.5


@pytest.mark.parametrize(
    ("name", "share", "qualifies"),
    [
        ("set_paint.yaml", 4.0, True),
        ("set_pants.yaml", 8.0, True),
        ("set_chef.yaml", 9.7, True),
        ("set_shirt_tie.yaml", 13.0, False),
    ],
)
def test_set_examples(name, share, qualifies):
    result = run(name)
    test = next(t for t in result.tests if t.name == "Set (non-originating goods)")
    assert test.value == pytest.approx(share)
    assert test.citation.startswith("SOR/2020-155 s. 6(2)-(4); 19 U.S.C. 4531(m)")
    assert result.qualifies is qualifies


def test_aluminium_powder_de_minimis():
    result = run("aluminium_powder.yaml")
    assert result.qualifies
    assert result.criterion == "B"
    assert result.de_minimis_used
    shift = result.alternatives[0].shifts
    assert [(s.hs, s.passed) for s in shift] == [("760200", False)]


def test_diaper_weight_de_minimis():
    result = run("diaper.yaml")
    assert result.qualifies
    assert result.de_minimis_used
    weights = {t.name: t.value for t in result.alternatives[0].tests if "weight" in t.name}
    assert weights == {
        "De minimis (weight)": pytest.approx(6.0),
        "De minimis (elastomeric weight)": pytest.approx(6.0),
    }


def test_blouse_exactly_at_both_weight_limits():
    result = run("blouse.yaml")
    tests = {t.name: t for t in result.alternatives[0].tests}
    assert tests["De minimis (weight)"].value == pytest.approx(10.0)
    assert tests["De minimis (elastomeric weight)"].value == pytest.approx(7.0)
    assert result.qualifies
    assert result.de_minimis_used


def test_barbers_chairs_parts_of_same_subheading():
    result = run("barbers_chairs.yaml")
    assert result.qualifies
    assert result.alternatives[0].shifts[0].passed is False


def test_chainring_intermediate_material():
    result = run("chainring.yaml")  # s. 8(28) Example 2
    assert result.vnm == pytest.approx(5.50)
    other_costs = 6.50 + 2.50 + 0.10  # other product costs, period costs, other costs printed in the example
    assert 10.60 + 3.00 + 5.50 + other_costs == pytest.approx(28.20)
    assert result.rvc["net_cost"] == pytest.approx((28.20 - 5.50) / 28.20 * 100)


def test_net_cost_allocation_examples():
    from nearshore.origin.bom import NetCost

    assert NetCost(9_000, 1_200).value == 7_800  # s. 7(22) Example 5
    assert NetCost(5_220, 290 + 116 + 290).value == 4_524  # Example 6, Good A
    assert NetCost(3_780, 210 + 84 + 210).value == 3_276  # Example 6, Good B


def test_sweater_component_weight_de_minimis():
    result = run("sweater.yaml")  # s. 5(15) Example 9
    assert result.qualifies
    tests = {t.name: t.value for t in result.alternatives[0].tests if "weight" in t.name}
    assert tests == {
        "De minimis (weight)": pytest.approx(5.0),
        "De minimis (elastomeric weight)": pytest.approx(5.0),
    }
    assert [s.line for s in result.alternatives[0].shifts] == [8]  # the sleeves (line 9) are not checked
