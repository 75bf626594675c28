"""Part 6 of SOR/2020-155: vehicle RVC phase-in, core parts and super-core, LVC with capped credits, steel and
aluminum, and the Table A.1-E part thresholds."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from nearshore.origin.automotive.phase import LVC, PART_RVC, VEHICLE_RVC, Step, step_on
from nearshore.origin.automotive.vehicle import core_parts_test, lvc_tests, steel_aluminum_tests
from nearshore.origin.bom import CorePart, Good, LabourValue, NetCost, Purchase, Vehicle
from nearshore.origin.bom_io import load_bom
from nearshore.origin.determine import determine

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "vehicle.yaml"


def step(schedule: tuple[Step, ...], day: dt.date) -> Step:
    """The step in force on `day`, which must be after the Agreement entered into force."""
    found = step_on(schedule, day)
    assert found is not None, day
    return found


@pytest.mark.parametrize(
    ("on", "passenger", "heavy"),
    [
        ("2020-07-01", 66, 60),
        ("2021-06-30", 66, 60),
        ("2021-07-01", 69, 60),
        ("2022-07-01", 72, 60),
        ("2023-07-01", 75, 60),
        ("2024-07-01", 75, 64),
        ("2027-07-01", 75, 70),
    ],
)
def test_vehicle_rvc_phase_in(on, passenger, heavy):
    day = dt.date.fromisoformat(on)
    assert step(VEHICLE_RVC["passenger"], day).net_cost == passenger  # s. 13, 8703.21-8703.90
    assert step(VEHICLE_RVC["heavy_truck"], day).net_cost == heavy  # s. 13, 8704.22-8704.23


def test_part_and_lvc_schedules():
    day = dt.date(2023, 7, 1)
    assert (step(PART_RVC["A.1"], day).net_cost, step(PART_RVC["A.1"], day).transaction_value) == (75, 85)
    assert (step(PART_RVC["B"], day).net_cost, step(PART_RVC["C"], day).net_cost) == (70, 65)
    assert step(PART_RVC["E"], dt.date(2026, 1, 1)).net_cost == 54
    assert (step(LVC["passenger"], day).net_cost, step(LVC["passenger"], day).extra) == (40, 25)
    assert step_on(VEHICLE_RVC["passenger"], dt.date(2020, 6, 30)) is None


def test_example_vehicle_passes_every_test():
    result = determine(load_bom(EXAMPLE), dt.date(2026, 7, 1))
    assert result.qualifies
    assert result.criterion == "B"
    names = [t.name for t in result.automotive]
    assert names == [
        "Core parts (super-core, Table A.2)",
        "LVC high-wage material and labour",
        "LVC total",
        "Steel purchases originating",
        "Aluminum purchases originating",
    ]
    assert result.automotive[0].value == pytest.approx((9700 - 2290) / 9700 * 100)


def test_example_vehicle_fails_when_steel_falls_below_70_percent():
    bom = load_bom(EXAMPLE)
    assert bom.vehicle is not None
    vehicle = dataclasses.replace(
        bom.vehicle, purchases=(Purchase(1, "steel", 69.0, True), Purchase(2, "steel", 31.0, False))
    )
    result = determine(dataclasses.replace(bom, vehicle=vehicle), dt.date(2026, 7, 1))
    assert not result.qualifies
    assert "fails an automotive requirement" in result.notes[-1]


def test_vehicle_without_part6_data_cannot_qualify():
    bom = load_bom(EXAMPLE)
    result = determine(dataclasses.replace(bom, vehicle=None), dt.date(2026, 7, 1))
    assert not result.qualifies
    assert result.automotive[0].inputs.startswith("a vehicle needs a vehicle: section")


def test_core_parts_each_or_super_core():
    day = dt.date(2024, 1, 1)
    strong = CorePart(1, "engine", "840734", 100, 10)
    weak = CorePart(2, "axle", "870850", 100, 30)
    assert core_parts_test(Vehicle("passenger", core_parts=(strong,)), day).name == "Core parts (Table A.2)"
    combined = core_parts_test(Vehicle("passenger", core_parts=(strong, weak)), day)
    assert combined.name == "Core parts (super-core, Table A.2)"
    assert combined.value == pytest.approx(80.0)
    assert combined.passed
    weaker = core_parts_test(Vehicle("passenger", core_parts=(strong, CorePart(2, "axle", "870850", 100, 45))), day)
    assert not weaker.passed


def test_lvc_credits_are_capped():
    good = Good("car", "870323", "MX", "USD", net_cost=NetCost(100.0))
    labour = LabourValue(10.0, 20.0, rd_it_wages=50.0, production_wages=100.0, high_wage_assembly_plant=True)
    wage, total = lvc_tests(Vehicle("passenger", labour=labour), good, dt.date(2024, 1, 1))
    assert wage.value == pytest.approx(30.0)
    assert total.value == pytest.approx(30.0 + 10.0 + 5.0)  # technology 50% capped at 10 points
    trucks = lvc_tests(Vehicle("light_truck", labour=labour), good, dt.date(2024, 1, 1))
    assert (trucks[0].required, trucks[1].required) == (30, 45)
    assert trucks[0].passed
    assert trucks[1].passed


def test_steel_and_aluminum_are_separate():
    tests = steel_aluminum_tests(
        Vehicle(
            "heavy_truck",
            purchases=(
                Purchase(1, "steel", 70, True),
                Purchase(2, "steel", 30, False),
                Purchase(3, "aluminum", 10, False),
            ),
        )
    )
    assert [(t.name, t.passed) for t in tests] == [
        ("Steel purchases originating", True),
        ("Aluminum purchases originating", False),
    ]


def test_table_a1_part_needs_an_rvc_alternative():
    from nearshore.origin.bom_io import bom_from_mapping

    doc: dict[str, Any] = {
        "good": {
            "hs": "8708.40",
            "country": "MX",
            "currency": "USD",
            "net_cost": 100,
            "for_vehicle": "passenger",
        },
        "rule": {"shift": "heading"},
        "materials": [{"hs": "7326.90", "origin": "CN", "value": 60}],
    }
    result = determine(bom_from_mapping(doc, "t"), dt.date(2024, 1, 1))
    assert not result.qualifies
    assert result.alternatives[0].tests[0].inputs == "a Table A.1 part originates only under an RVC alternative"
    doc["good"]["original_equipment"] = False  # aftermarket: Schedule 1 rule as written (s. 14(18))
    assert determine(bom_from_mapping(doc, "t"), dt.date(2024, 1, 1)).qualifies


def test_lvc_on_the_annual_purchase_value_formula():
    good = Good("truck", "870421", "MX", "USD")  # no net cost needed for formula (b)
    labour = LabourValue(1_000.0, 0.0, annual_purchase_value=8_000.0, total_annual_purchase_value=24_000.0)
    wage, total = lvc_tests(Vehicle("light_truck", labour=labour), good, dt.date(2024, 1, 1))
    assert wage.value == pytest.approx((8_000 + 1_000) / (24_000 + 1_000) * 100)  # 36%
    assert wage.citation.endswith("s. 18(6)(b)")
    assert (wage.passed, total.passed) == (True, False)  # 36 >= 30 points, but 36 < 45 in total


def test_heavy_truck_gear_box_needs_an_rvc_alternative():
    from nearshore.origin.bom_io import bom_from_mapping

    doc = {
        "good": {
            "hs": "8708.40",
            "country": "MX",
            "currency": "USD",
            "net_cost": 100,
            "for_vehicle": "heavy_truck",
        },
        "rule": {"shift": "heading"},
        "materials": [{"hs": "7326.90", "origin": "CN", "value": 60}],
    }
    result = determine(bom_from_mapping(doc, "t"), dt.date(2024, 1, 1))
    assert not result.qualifies
    assert result.alternatives[0].tests[0].inputs == (
        "a heavy-truck engine, gear box or chassis (s. 15(4)) originates only under an RVC alternative"
    )
    doc["rule"] = {"shift": "heading", "rvc": {"net_cost": 50}}  # 40% RVC vs Table D 60% (before July 2024)
    test = determine(bom_from_mapping(doc, "t"), dt.date(2024, 1, 1)).alternatives[0].tests[-1]
    assert (test.required, test.passed) == (60, False)
