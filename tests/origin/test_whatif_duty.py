"""What-if analysis and the duty-consequence interface."""

from __future__ import annotations

import datetime as dt

import pytest

from nearshore.origin.bom_io import bom_from_mapping, load_bom
from nearshore.origin.determine import determine
from nearshore.origin.duty import DutyCalculator, DutyQuote, duty_consequence
from nearshore.origin.whatif import what_if
from tests.origin.helpers import DATA, bom_dict

ON = dt.date(2024, 1, 15)


def test_flips_smallest_value_first():
    doc = bom_dict(
        [
            {"description": "big", "hs": "7318.15", "origin": "CN", "value": 40},
            {"description": "small", "hs": "7318.16", "origin": "CN", "value": 15},
            {"description": "tiny", "hs": "7318.19", "origin": "CN", "value": 2},
            {"description": "local", "origin": "MX", "value": 43},
        ],
        rule={"rvc": {"net_cost": 50}},
        net_cost=100,
    )
    bom = bom_from_mapping(doc, "t")
    scenarios = what_if(bom, ON)
    assert [f.description for f in scenarios.flips] == ["small", "big"]  # 57 VNM -> 42 or 17; tiny gives 55
    assert scenarios.headroom == ()
    assert scenarios.lines()[0] == "sourcing line 2 (small, value 15.00) as originating makes it qualify (criterion B)"


def test_headroom_and_rule_change():
    bom = load_bom(DATA / "net_cost_example4.yaml")  # RVC 54.5% vs 50%
    scenarios = what_if(bom, ON)
    (room,) = scenarios.headroom
    assert room.amount == pytest.approx(88 * 0.5 - 40)  # VNM may rise to 44
    assert [(r.delta, r.qualifies) for r in scenarios.rule_changes] == [(5.0, False)]


class FlatRates:
    """A DutyCalculator at the interface edge: 0% with USMCA, 25% without."""

    def duty(self, hts, origin, value, date, usmca):
        rate = 0.0 if usmca else 0.25
        return DutyQuote(rate, value * rate, "USMCA free" if usmca else "MFN + IEEPA 25%")


def test_duty_consequence_through_the_protocol():
    assert isinstance(FlatRates(), DutyCalculator)
    bom = load_bom(DATA / "set_pants.yaml")
    result = determine(bom, ON)
    consequence = duty_consequence(result, bom.good.tv, "MX", FlatRates())
    assert consequence.available
    assert consequence.message == (
        "originating: USMCA free (0.00%, 0.00); saves 25.00 against MFN + IEEPA 25% (25.00%)"
    )
    failing = determine(load_bom(DATA / "set_shirt_tie.yaml"), ON)
    assert duty_consequence(failing, 100.0, "MX", FlatRates()).message == (
        "not originating: MFN + IEEPA 25% (25.00%, 25.00)"
    )


def test_no_tariff_engine_says_so(monkeypatch):
    from nearshore import tariffs
    from nearshore.errors import DataNotFound

    def no_schedule(store):
        raise DataNotFound("no HTS schedule in the store")

    monkeypatch.setattr(tariffs, "load_schedule", no_schedule)
    result = determine(load_bom(DATA / "set_pants.yaml"), ON)
    assert duty_consequence(result, 100.0, "MX").message == (
        "duty consequence not computed: no tariff engine is available"
    )


def test_combination_when_no_single_material_suffices():
    values = {"a": 24, "b": 22, "c": 20, "d": 18}
    doc = bom_dict(
        [{"description": k, "hs": "7318.15", "origin": "CN", "value": v} for k, v in values.items()]
        + [{"description": "local", "origin": "MX", "value": 16}],
        rule={"rvc": {"net_cost": 50}},
        net_cost=100,
    )
    scenarios = what_if(bom_from_mapping(doc, "t"), ON)  # VNM 84: one flip leaves >= 60, two leave 38
    assert scenarios.flips == ()
    assert [f.description for f in scenarios.combination] == ["a", "b"]
    assert scenarios.lines()[0] == (
        "no single material suffices; sourcing line 1, line 2 (value 46.00) as originating does"
    )


def test_bicycle_b_designation_as_intermediate_is_suggested():
    scenarios = what_if(load_bom(DATA / "bicycle_b.yaml"), ON)  # s. 8(28) Example 3: Situation B -> C
    assert [f.line for f in scenarios.designations] == [5]
    assert "designating line 5 (bicycle frame (self-produced)) as an intermediate material" in scenarios.lines()[2]


def test_duty_consequence_needs_us_dollars_and_a_non_us_producer():
    result = determine(load_bom(DATA / "bearings_b.yaml"), ON)  # produced in Canada, values in CAD
    assert duty_consequence(result, 3.0, "CA", FlatRates(), "CAD").message == (
        "duty consequence not computed: values are in CAD; the U.S. duty needs U.S. dollars"
    )
    assert duty_consequence(result, 3.0, "US", FlatRates()).message.endswith("this good is produced in the U.S.")


def test_why_the_engine_could_not_run_is_in_the_result(monkeypatch):
    from nearshore import tariffs
    from nearshore.errors import DataNotFound

    def no_schedule(store):
        raise DataNotFound("no HTS schedule in the store")

    monkeypatch.setattr(tariffs, "load_schedule", no_schedule)
    consequence = duty_consequence(determine(load_bom(DATA / "set_pants.yaml"), ON), 100.0, "MX")
    assert (consequence.available, consequence.error_code, consequence.reason) == (
        False,
        "data_not_found",
        "no HTS schedule in the store",
    )
    assert consequence.text() == (
        "duty consequence not computed: no tariff engine is available (no HTS schedule in the store)"
    )
    assert consequence.as_dict()["error_code"] == "data_not_found"


class Raising:
    """A tariff engine that fails with `error` on every call."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def duty(self, hts: str, origin: str, value: float, date: dt.date, usmca: bool) -> DutyQuote:
        raise self.error


def test_only_the_errors_of_pricing_this_good_are_turned_into_a_message():
    from nearshore.errors import ConfigError, PolicyCoverageError, UnknownCodeError

    result = determine(load_bom(DATA / "set_pants.yaml"), ON)
    for error in (UnknownCodeError("HTS '6203.42' is a heading, not a tariff line"), PolicyCoverageError("too early")):
        consequence = duty_consequence(result, 100.0, "MX", Raising(error))
        assert consequence.message == f"duty consequence not computed: {error}"
        assert consequence.error_code == error.code
        assert consequence.text() == consequence.message  # the message already says why
    with pytest.raises(ConfigError, match="broken policy"):  # not a property of this good: raised, not hidden
        duty_consequence(result, 100.0, "MX", Raising(ConfigError("broken policy")))
