"""Part 6 of SOR/2020-155 beyond s. 13-18: other vehicles and their parts (s. 20, Tables F and G), the chassis
of s. 15(4), the alternative staging regime (s. 19), and a heavy truck end to end (s. 13, 17, 18(2)).

Each case is worked by hand from the section cited; RVC(NC) = (NC - VNM) / NC x 100 (s. 7(3)).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.errors import InvalidBOM
from nearshore.origin.automotive.other_tables import table_f, table_f_row, table_g, table_g_material
from nearshore.origin.bom_io import bom_from_mapping, load_bom
from nearshore.origin.determine import determine
from tests.envelope import payload_of

ON = dt.date(2026, 3, 1)
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "heavy_truck.yaml"


def _doc(hs, materials, *, vehicle=None, rule=None, **good):
    base = {"description": "good", "hs": hs, "country": "MX", "currency": "USD", "total_cost": 1000}
    base.update(good)
    doc = {"good": base, "materials": materials}
    if vehicle is not None:
        doc["vehicle"] = vehicle
    if rule is not None:
        doc["rule"] = rule
    return doc


def _run(doc, on=ON):
    return determine(bom_from_mapping(doc, "test.yaml"), on)


def _rvc_tests(result):
    return [t for a in result.alternatives for t in a.tests if t.name.startswith("RVC")]


def _non_originating(value, hs="8544.30", **extra):
    return {"description": "imported part", "hs": hs, "origin": "CN", "value": value, **extra}


# --- s. 20(2)-(3): the vehicles -------------------------------------------------------------------------


@pytest.mark.parametrize(("vnm", "qualifies"), [(375, True), (376, False)])
def test_diesel_passenger_vehicle_needs_62_5_not_75(vnm, qualifies):
    # s. 20(2)(b): a diesel passenger vehicle of 8703.32: 62.5% NC "despite section 13"; NC 1000:
    # VNM 375 -> 62.5% exactly (passes), 376 -> 62.4% (fails). Under s. 13 it would need 75%.
    doc = _doc("8703.32", [_non_originating(vnm)], other_vehicle="diesel_passenger")
    result = _run(doc)
    assert result.qualifies is qualifies
    (test,) = _rvc_tests(result)
    assert test.required == 62.5
    assert "s. 20(2)(b)" in test.citation
    assert result.automotive == ()  # no core parts, LVC or steel test for an other vehicle


def test_tractor_is_recognised_by_its_code_at_60():
    # s. 20(3)(a)(i): an agricultural tractor of 8701.91 (heading 87.01 other than 8701.20): 60% NC.
    result = _run(_doc("8701.91", [_non_originating(400)]))
    (test,) = _rvc_tests(result)
    assert (test.required, round(test.value, 1), result.qualifies) == (60, 60.0, True)
    assert "s. 20(3)(a)(i)" in test.citation


def test_road_tractor_is_a_heavy_truck_not_an_other_vehicle():
    # s. 12: a road tractor of HS 2012 8701.20 (HS 2022 8701.21-8701.29) is a heavy truck; s. 13 applies.
    result = _run(_doc("8701.21", [_non_originating(200)]))
    assert "s. 13" in _rvc_tests(result)[0].citation
    assert [t.name for t in result.automotive] == ["Vehicle data"]


def test_other_vehicle_kind_must_fit_the_code():
    result = _run(_doc("8703.32", [_non_originating(100)], other_vehicle="dumper"))
    assert any("does not fit HS 8703.32" in n for n in result.notes)


def test_unknown_other_vehicle_kind_is_a_bad_bom():
    with pytest.raises(InvalidBOM) as err:
        bom_from_mapping(_doc("8703.32", [], other_vehicle="tank"), "bad.yaml")
    assert "good.other_vehicle" in str(err.value)
    assert "is not a kind of vehicle of SOR/2020-155 s. 20" in str(err.value)
    assert "allowed: bus_15_or_fewer" in str(err.value)


# --- s. 20(2)(h), 20(3)(b)-(c): the parts ---------------------------------------------------------------


def test_table_f_part_for_an_other_vehicle_gets_60_under_its_rvc_alternative():
    # s. 20(3)(c): seats of 9401.20 (Table F) for a bus of 16 or more persons: "the RVC requirement is 60%
    # under the net cost method" replaces the rule's 50%; VNM 450 of NC 1000 -> 55% fails 60%.
    rule = {"shift": "none", "rvc": {"net_cost": 50}}
    result = _run(_doc("9401.20", [_non_originating(450)], rule=rule, other_vehicle="bus_16_or_more"))
    (test,) = _rvc_tests(result)
    assert (test.required, round(test.value, 1), test.passed) == (60, 55.0, False)
    assert "s. 20(3)(c) (Table F 9401.20" in test.citation


def test_bearings_are_excepted_from_20_3_c():
    # s. 20(3)(c) excepts 8482.10-8482.80, 8483.20 and 8483.30: the rule's own 50% stays.
    rule = {"shift": "none", "rvc": {"net_cost": 50}}
    result = _run(_doc("8482.10", [_non_originating(450)], rule=rule, other_vehicle="bus_16_or_more"))
    (test,) = _rvc_tests(result)
    assert (test.required, test.passed) == (50, True)


def test_table_f_part_under_a_shift_alternative_keeps_it():
    # s. 20(3)(c) governs only "a good in Table F that is subject to an RVC requirement".
    rule = {"shift": "heading"}
    result = _run(_doc("9401.20", [_non_originating(450)], rule=rule, other_vehicle="bus_16_or_more"))
    assert result.qualifies
    assert _rvc_tests(result) == []


@pytest.mark.parametrize(
    ("kind", "required", "paragraph"),
    [
        ("off_road_passenger", 62.5, "s. 20(2)(h)"),
        ("tractor", 60, "s. 20(3)(b)"),
    ],
)
def test_engine_for_an_other_vehicle(kind, required, paragraph):
    rule = {"shift": "none", "rvc": {"net_cost": 50}}
    result = _run(_doc("8408.20", [_non_originating(370)], rule=rule, other_vehicle=kind))
    (test,) = _rvc_tests(result)
    assert (test.required, round(test.value, 1)) == (required, 63.0)
    assert paragraph in test.citation
    assert result.qualifies


def test_aftermarket_part_keeps_its_rule():
    rule = {"shift": "none", "rvc": {"net_cost": 50}}
    doc = _doc("9401.20", [_non_originating(450)], rule=rule, other_vehicle="bus_16_or_more", original_equipment=False)
    assert _rvc_tests(_run(doc))[0].required == 50


# --- s. 20(4)-(5): VNM of Table F and G materials -------------------------------------------------------


def test_table_f_material_may_count_its_own_vnm():
    # s. 20(4)(a): a radiator of 8708.91 (Table F) for a diesel passenger vehicle ((2)(b)) uses a
    # non-originating pump of 8413.30 (Table F) worth 300 whose own production used 90 of VNM, and a
    # non-originating bracket (7326.90, not in Table F) worth 101 that gives a production_vnm too (ignored).
    # VNM = min(300, 90) + 101 = 191 -> RVC (1000 - 191) / 1000 = 80.9% >= 60% (s. 20(3)(c));
    # counting the pump at its value, VNM 401 -> 59.9% fails.
    materials = [
        _non_originating(300, "8413.30", production_vnm=90),
        _non_originating(101, "7326.90", production_vnm=10),
    ]
    rule = {"shift": "none", "rvc": {"net_cost": 50}}
    result = _run(_doc("8708.91", materials, rule=rule, other_vehicle="diesel_passenger"))
    assert result.vnm == 191
    (test,) = _rvc_tests(result)
    assert (test.required, round(test.value, 1), test.passed) == (60, 80.9, True)
    assert any("s. 20(4)(a)(ii)" in n and "90.00 instead of 300.00" in n for n in result.notes)
    plain = [{k: v for k, v in m.items() if k != "production_vnm"} for m in materials]
    without = _run(_doc("8708.91", plain, rule=rule, other_vehicle="diesel_passenger"))
    assert (without.vnm, round(_rvc_tests(without)[0].value, 1), without.qualifies) == (401, 59.9, False)


def test_table_g_material_of_an_engine_for_a_tractor():
    # s. 20(4): an engine (Table G component) for a tractor ((3)(a)): its cast block (Table G material) may
    # count the VNM used to produce it (150 instead of 500); the gasket set (not in Table G) counts whole.
    materials = [
        {"description": "Cast block, grey iron", "hs": "8409.99", "origin": "CN", "value": 500, "production_vnm": 150},
        {"description": "gasket set", "hs": "8484.10", "origin": "CN", "value": 100, "production_vnm": 5},
    ]
    rule = {"shift": "none", "rvc": {"net_cost": 50}}
    result = _run(_doc("8408.20", materials, rule=rule, other_vehicle="tractor"))
    assert result.vnm == 250  # 150 + 100
    (test,) = _rvc_tests(result)
    assert (test.required, round(test.value, 1)) == (60, 75.0)


def test_vehicle_itself_sums_all_non_originating_materials():
    # s. 20(5): for the vehicle, VNM is the sum of all non-originating materials: production_vnm is ignored.
    materials = [_non_originating(450, "8413.30", production_vnm=10)]
    result = _run(_doc("8701.91", materials))
    assert result.vnm == 450
    assert not result.qualifies


# --- Tables F and G ---------------------------------------------------------------------------------------


def test_table_f_and_g_rows_read_from_the_text():
    assert table_f_row("8482.50.00") == ("848250", "Ball or roller bearings", False)  # "8482.10 through 8482.80"
    assert table_f_row("4009.11") is not None
    assert table_f_row("4009.11")[0] == "4009"
    assert table_f()["401039"] == ("Other endless transmission belts (V-belts)", True)  # 4010.39.aa
    assert table_f()["850780"][1] is True  # one of "8507.20.aa, 8507.30.aa, 8507.40.aa and 8507.80.aa"
    engine = [m for codes, _, m in table_g() if codes == ("8407", "8408")]
    gear_box = [(kind, m) for codes, kind, m in table_g() if codes == ("870840",)]
    assert len(engine) == 23
    assert engine[0] == "cast block"
    assert engine[-1].startswith("radiator assemblies")
    assert ("torque convertor type transmissions", "torque convertor assembly") in gear_box
    assert table_g_material("8408.20", "Turbocharger, VGT") == "turbochargers and superchargers"
    assert table_g_material("8708.40", "cast block") is None


# --- s. 15(4): chassis of 8708.99 ---------------------------------------------------------------------------


@pytest.mark.parametrize(("chassis", "qualifies"), [(True, False), (False, True)])
def test_heavy_truck_chassis_only_under_an_rvc_alternative(chassis, qualifies):
    # s. 15(4): "a chassis classified in 8708.99 ... for use in a heavy truck, is originating only if it
    # satisfies the applicable RVC requirement": a shift-only alternative cannot qualify a chassis, but
    # still qualifies any other part of 8708.99.
    doc = _doc(
        "8708.99",
        [_non_originating(600, "7216.31")],
        rule={"shift": "heading"},
        for_vehicle="heavy_truck",
        chassis=chassis,
    )
    result = _run(doc)
    assert result.qualifies is qualifies
    if chassis:
        assert "s. 15(4)" in result.alternatives[0].tests[0].inputs


# --- s. 19: alternative staging regime ----------------------------------------------------------------------


def _staged_vehicle(until="2026-12-31", exempt=False):
    return {
        "class": "passenger",
        "alternative_staging": {"until": until, "steel_aluminum_exempt": exempt},
        "labour": {
            "high_wage_labour": 60,
            "high_wage_materials": 50,
            "rd_it_wages": 10,
            "production_wages": 100,
            "high_wage_assembly_plant": True,
        },
        "steel_aluminum": [{"metal": "steel", "value": 100, "originating": False}],
    }


def test_alternative_staging_regime_requirements():
    # s. 19(4): NC 1000, VNM 370 -> RVC 63% >= 62.5% (a) though < 75% of s. 13; no core parts (s. 19(5));
    # LVC (60 + 50) / 1000 = 11 points >= 10, + technology 10 (10/100, cap 10) + assembly 5 = 26% >= 25% (d);
    # steel 0% < 70% (c) fails unless the regime exempts the producer.
    result = _run(_doc("8703.23", [_non_originating(370)], vehicle=_staged_vehicle()))
    (test,) = _rvc_tests(result)
    assert (test.required, "s. 19(4)(a)" in test.citation) == (62.5, True)
    names = {t.name: t for t in result.automotive}
    assert "Core parts (Table A.2)" not in names
    assert (names["LVC high-wage material and labour"].required, names["LVC total"].required) == (10, 25)
    assert round(names["LVC total"].value, 1) == 26.0
    assert names["LVC total"].passed
    assert not names["Steel purchases originating"].passed
    assert not result.qualifies
    exempt = _run(_doc("8703.23", [_non_originating(370)], vehicle=_staged_vehicle(exempt=True)))
    assert exempt.qualifies
    assert "Steel purchases originating" not in [t.name for t in exempt.automotive]


def test_alternative_staging_regime_ends():
    # s. 19(2): the regime runs until the end of its approved period; afterwards s. 13-18 apply.
    result = _run(_doc("8703.23", [_non_originating(370)], vehicle=_staged_vehicle(until="2025-06-30")))
    assert _rvc_tests(result)[0].required == 75
    assert any(t.name.startswith("Core parts") for t in result.automotive)


# --- heavy truck end to end ------------------------------------------------------------------------------


def test_heavy_truck_example_end_to_end():
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    good, mats, labour = raw["good"], raw["materials"], raw["vehicle"]["labour"]
    nc = good["total_cost"] - good["excluded_costs"]
    vnm = sum(m["value"] for m in mats if m["origin"] not in ("US", "CA", "MX"))
    hwm = (labour["high_wage_labour"] + labour["high_wage_materials"] + labour["high_wage_transport"]) / nc * 100
    lvc = hwm + min(labour["rd_it_wages"] / labour["production_wages"] * 100, 10) + 5
    result = determine(load_bom(EXAMPLE), ON)
    assert result.qualifies
    assert result.criterion == "B"
    (test,) = _rvc_tests(result)
    assert test.required == 64  # s. 13 heavy trucks from 2024-07-01
    assert test.value == pytest.approx((nc - vnm) / nc * 100)
    names = {t.name: t for t in result.automotive}
    assert list(names) == [
        "LVC high-wage material and labour",
        "LVC total",
        "Steel purchases originating",
        "Aluminum purchases originating",
    ]  # no core parts test for heavy trucks
    assert names["LVC high-wage material and labour"].value == pytest.approx(hwm)
    assert names["LVC total"].value == pytest.approx(lvc)
    assert names["LVC total"].required == 45
    assert names["Steel purchases originating"].value == pytest.approx(75.0)
    # from 2027-07-01 heavy trucks need 70% (s. 13): still passes at 83.4%
    assert _rvc_tests(determine(load_bom(EXAMPLE), dt.date(2027, 7, 1)))[0].required == 70


# --- s. 8(6): nested intermediate materials ------------------------------------------------------------


def _nested(inner_designated):
    # A gear box (8708.40) of NC 1000: a self-produced housing assembly designated as an intermediate material
    # (originating, its own rule has an RVC) holds a self-produced gear set (also RVC-ruled) and an imported
    # casting of 150 (inside the housing's value, so not a direct material: s. 7(4)(b), 8(6)-(8));
    # imported bolts 100 are the only direct non-originating material: RVC (1000 - 100) / 1000 = 90%.
    return [
        {
            "description": "housing assembly",
            "hs": "8708.40",
            "origin": "MX",
            "value": 600,
            "ref": "housing",
            "self_produced": True,
            "intermediate": True,
            "rvc_required": True,
        },
        {
            "description": "gear set",
            "hs": "8708.40",
            "origin": "MX",
            "value": 200,
            "ref": "gears",
            "within": "housing",
            "self_produced": True,
            "intermediate": inner_designated,
            "rvc_required": True,
        },
        {"description": "casting", "hs": "7325.10", "origin": "CN", "value": 150, "within": "housing"},
        _non_originating(100, "7318.15"),
    ]


def test_nested_intermediate_designations_are_refused():
    # s. 8(6): the housing (an intermediate material subject to an RVC) holds the gear set, also subject to an
    # RVC: both cannot be designated.
    rule = {"shift": "none", "rvc": {"net_cost": 50}}
    result = _run(_doc("8708.40", _nested(True), rule=rule))
    assert not result.qualifies
    (test,) = [t for t in result.tests if t.name == "Intermediate material designations"]
    assert not test.passed
    assert test.citation == "SOR/2020-155 s. 8(6)"
    assert "(gear set) is designated inside designated" in test.inputs


def test_nested_material_undesignated_is_fine_and_out_of_the_vnm():
    # The housing's origin comes from its inputs (s. 8(7)(a)): GN 11(o) ch. 87 rule 31 (A) for gear boxes, a change
    # from any other heading, which the casting of 73.25 makes (the gear set originates); the rule's words "gear
    # boxes of 8708.40" are a description the producer attests (conditions_met: true, which covers the
    # intermediate materials' rules too).
    rule = {"shift": "none", "rvc": {"net_cost": 50}}
    result = _run(_doc("8708.40", _nested(False), rule=rule, conditions_met=True))
    assert result.qualifies
    assert result.vnm == 100
    assert round(result.rvc["net_cost"], 1) == 90.0
    assert "designated intermediate material: originating, determined from its 2 listed input(s)" in result.notes[0]
    # without the attestation the housing cannot be shown to originate: all 600 of it is non-originating
    unattested = _run(_doc("8708.40", _nested(False), rule=rule))
    assert unattested.vnm == 700
    assert "not originating (the BOM said originating)" in unattested.notes[0]


def test_within_must_name_a_self_produced_material():
    materials = [_non_originating(100, "7318.15", within="nowhere")]
    with pytest.raises(InvalidBOM) as err:
        bom_from_mapping(_doc("8708.40", materials), "bad.yaml")
    assert "materials[0].within" in str(err.value)
    assert "names no other self-produced or accumulated material's ref" in str(err.value)


def test_check_command_shows_tables_f_and_g_for_an_engine(tmp_path):
    # `nearshore origin check --format json`: an engine for a tractor (s. 20(3)(b)) is listed in Table F
    # (8408.20) and is a Table G component; its cast block counts at its production VNM (s. 20(4)).
    doc = _doc(
        "8408.20",
        [
            {"description": "cast block", "hs": "8409.99", "origin": "CN", "value": 500, "production_vnm": 150},
            {"description": "gasket set", "hs": "8484.10", "origin": "CN", "value": 100},
        ],
        rule={"shift": "none", "rvc": {"net_cost": 50}},
        other_vehicle="tractor",
    )
    path = tmp_path / "engine.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    result = CliRunner().invoke(app, ["origin", "check", str(path), "--date", "2026-03-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = payload_of(result.output)
    notes = " ".join(report["notes"])
    assert "Table F (SOR/2020-155 Part 6) lists 8408.20" in notes
    assert "Table G component" in notes
    assert "cast block" in notes
    assert report["vnm"] == 250


def test_part_outside_tables_f_and_g_keeps_its_rule_with_a_note():
    rule = {"shift": "none", "rvc": {"net_cost": 50}}
    result = _run(_doc("8512.30", [_non_originating(450)], rule=rule, other_vehicle="bus_16_or_more"))
    assert _rvc_tests(result)[0].required == 50
    assert any("neither in Table F nor an engine or gear box" in n for n in result.notes)


@pytest.mark.parametrize(("on", "required"), [(dt.date(2025, 6, 30), 62.5), (dt.date(2025, 7, 1), 75)])
def test_table_a1_part_for_an_eligible_vehicle(on, required):
    # s. 19(4)(b)(i): a Table A.1 part (suspension of 8708.80) for an eligible vehicle: 62.5% NC while the
    # regime runs (here until 2025-06-30, s. 19(2)), then s. 14(13): 75% from 2023-07-01.
    rule = {"shift": "none", "rvc": {"net_cost": 50, "transaction_value": 60}}
    doc = _doc("8708.80", [_non_originating(300)], rule=rule, for_vehicle="passenger", staging_until="2025-06-30")
    tests = {t.name: t for t in _rvc_tests(_run(doc, on))}
    assert tests["RVC (net cost)"].required == required
    assert _run(doc, on).qualifies is (required == 62.5)  # 70% NC
