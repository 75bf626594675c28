"""Edge cases of the determination: thresholds, rounding, missing data, ranges, accumulation, criteria."""

from __future__ import annotations

import datetime as dt

import pytest

from nearshore.errors import InvalidBOM
from nearshore.origin.bom_io import bom_from_mapping
from nearshore.origin.determine import determine
from nearshore.origin.rules.model import Alternative, CodeRange, ProductRule, TariffShift
from tests.origin.helpers import bom_dict

ON = dt.date(2024, 1, 15)
NC50 = {"rvc": {"net_cost": 50}}


def check(doc, **kw):
    return determine(bom_from_mapping(doc, "test"), ON, **kw)


def two_materials(vnm, total=100.0):
    return [
        {"description": "originating", "origin": "US", "value": total - vnm},
        {"description": "imported", "hs": "7318.15", "origin": "CN", "value": vnm},
    ]


def test_exactly_at_threshold_passes_with_zero_margin():
    result = check(bom_dict(two_materials(50.0), rule=NC50, net_cost=100))
    test = result.alternatives[0].tests[0]
    assert result.qualifies
    assert test.margin == 0.0
    assert test.summary() == "50.0% vs at least 50% required (margin +0.0 points)"


def test_rounding_never_shows_a_fail_as_a_pass():
    result = check(bom_dict(two_materials(50.04), rule=NC50, net_cost=100))
    test = result.alternatives[0].tests[0]
    assert not result.qualifies
    assert test.summary() == "49.96% vs at least 50% required (margin -0.04 points)"


def test_net_cost_rule_without_net_cost_fails_saying_why():
    result = check(bom_dict(two_materials(20.0), rule=NC50, transaction_value=100))
    assert not result.qualifies
    assert result.alternatives[0].tests[-1].inputs == (
        "the rule allows only the net cost method and the BOM does not give that value"
    )


def test_originating_material_without_hs_is_fine():
    doc = bom_dict([{"description": "local part", "origin": "MX", "value": 10}], rule=NC50, net_cost=20)
    result = check(doc)
    assert result.qualifies
    assert result.criterion == "C"


def test_tariff_shift_between_headings_in_the_same_range():
    good = "7210.49"
    doc = bom_dict(
        [{"description": "cold-rolled coil", "hs": "7209.16", "origin": "CN", "value": 50}],
        hs=good,
        transaction_value=100,
    )
    group = (CodeRange("7208", "7216"),)
    outside = ProductRule(
        "r",
        "GN 11 test",
        "72",
        "psr",
        group,
        "outside the group",
        (Alternative((TariffShift("heading", group, outside_group=True),)),),
    )
    inside = ProductRule(
        "r2",
        "GN 11 test",
        "72",
        "psr",
        group,
        "another heading",
        (Alternative((TariffShift("heading", group),)),),
    )
    assert not check(doc, rules=[outside]).qualifies
    assert check(doc, rules=[inside]).qualifies


def test_accumulation_across_two_countries():
    doc = bom_dict(
        [
            {"description": "Canadian originating casting", "hs": "7325.99", "origin": "CA", "value": 30},
            {
                "description": "U.S. subassembly, supplier statement",
                "hs": "8479.90",
                "origin": "US",
                "originating": False,
                "value": 40,
                "accumulation": {"vnm": 10},
            },
            {"description": "Chinese fasteners", "hs": "7318.15", "origin": "CN", "value": 10},
        ],
        rule=NC50,
        country="MX",
        net_cost=100,
    )
    result = check(doc)
    assert result.vnm == pytest.approx(20.0)
    assert result.rvc["net_cost"] == pytest.approx(80.0)
    assert result.qualifies
    assert result.criterion == "B"


def test_parts_provision_criterion_d():
    # 9402.10 "Dentists', barbers' or similar chairs and parts thereof": the chair parts, declared parts, fail
    # the subheading shift only because they share the good's subheading (s. 3(4)(a)): RVC (200 - 30) / 200 = 85%
    doc = bom_dict(
        [
            {"description": "frame", "hs": "7308.90", "origin": "MX", "value": 90},
            {"description": "chair parts", "hs": "9402.10", "origin": "CN", "value": 30, "part": True},
        ],
        rule={"shift": "subheading"},
        hs="9402.10",
        transaction_value=200,
    )
    result = check(doc)
    assert result.qualifies
    assert result.criterion == "D"
    assert [t.name for t in result.tests] == ["Parts provision", "RVC (transaction value)"]
    assert result.tests[1].value == pytest.approx(85.0)


def test_wholly_obtained_is_criterion_a():
    doc = bom_dict(
        [{"description": "ore", "origin": "CA", "value": 5}],
        hs="2601.11",
        transaction_value=10,
        wholly_obtained=True,
    )
    assert check(doc).criterion == "A"


@pytest.mark.parametrize(
    ("material", "good", "paragraph"),
    [("2009.11", "2009.11", "(c)"), ("1905.90", "1905.90", "(k)"), ("5209.12", "5209.11", "(l)")],
)
def test_de_minimis_exceptions(material, good, paragraph):
    doc = bom_dict(
        [{"description": "imported input", "hs": material, "origin": "BR", "value": 5}],
        rule={"shift": "heading"},
        hs=good,
        transaction_value=100,
    )
    result = check(doc)
    assert not result.qualifies
    if paragraph == "(l)":  # Chapters 50-63 use the weight rule instead, which needs weights
        assert result.alternatives[0].tests[1].citation == "SOR/2020-155 s. 5(6)-(7)"
    else:
        assert result.alternatives[0].tests[1].inputs == f"not available for line 1 (s. 5(3){paragraph})"


def test_threshold_delta_raises_every_requirement():
    doc = bom_dict(two_materials(47.0), rule=NC50, net_cost=100)
    assert check(doc).qualifies
    assert not check(doc, threshold_delta=5.0).qualifies


def test_indirect_and_packing_materials_are_disregarded():
    doc = bom_dict(
        [
            *two_materials(40.0),
            {"description": "gloves", "indirect": True, "value": 30},
            {"description": "shipping crate", "hs": "4415.10", "origin": "CN", "packing": True, "value": 30},
        ],
        rule=NC50,
        net_cost=100,
    )
    assert check(doc).vnm == pytest.approx(40.0)


def test_shipped_rule_variants_picked_by_trade_direction_and_use():
    from nearshore.origin.psr import rules_for_good

    def rules(**good):
        doc = bom_dict([{"description": "local", "origin": "CA", "value": 1}], transaction_value=10, **good)
        return [r.trade_scope for r in rules_for_good(bom_from_mapping(doc, "t"), ON)]

    assert rules(hs="5112.19", country="CA", export_to="US") == ["Canada-US"]
    assert rules(hs="5112.19", country="MX", export_to="CA") == ["all other trade"]
    assert sorted(rules(hs="5112.19", country="CA")) == ["Canada-US", "all other trade"]

    def uses(**good):
        doc = bom_dict([{"description": "local", "origin": "MX", "value": 1}], hs="8708.30", net_cost=10, **good)
        return [r.applies_to for r in rules_for_good(bom_from_mapping(doc, "t"), ON)]

    (oe,) = uses(for_vehicle="passenger")
    assert "for use in a passenger vehicle" in oe
    (other,) = uses()
    assert "any other good" in other


def test_fungible_material_counts_its_non_originating_share():
    doc = bom_dict(
        [
            {
                "description": "resin from commingled inventory (average method)",
                "hs": "3901.10",
                "value": 40,
                "fungible_originating_share": 0.75,
            },
            {"description": "local parts", "origin": "MX", "value": 60},
        ],
        rule={"rvc": {"net_cost": 50}},
        net_cost=100,
    )
    result = check(doc)
    assert result.vnm == pytest.approx(10.0)  # s. 8(18): 25% of 40 is non-originating
    assert result.qualifies


def test_fungible_share_above_one_is_rejected():
    from nearshore.errors import InvalidBOM

    doc = bom_dict([{"hs": "3901.10", "value": 40, "fungible_originating_share": 1.5}], net_cost=100)
    with pytest.raises(InvalidBOM) as info:
        bom_from_mapping(doc, "t")
    assert str(info.value.problems[0]) == (
        "t, column 'materials[0].fungible_originating_share': is more than 1 (value '1.5'). give the "
        "originating share from your inventory method as a fraction between 0 and 1"
    )


def test_de_minimis_uses_the_more_favourable_base():
    doc = bom_dict(
        [{"description": "same-heading part", "hs": "8479.90", "origin": "CN", "value": 12}],
        rule={"shift": "heading"},
        hs="8479.89",
        transaction_value=100,
        total_cost=150,
    )
    test = check(doc).alternatives[0].tests[1]
    assert (test.name, test.passed) == ("De minimis (value)", True)
    assert test.value == pytest.approx(8.0)
    assert test.inputs == "failing materials 12.00 of total cost 150.00"


def test_apparel_shift_looks_only_at_the_classifying_component():
    doc = bom_dict(
        [
            {"description": "body fabric", "hs": "6006.22", "origin": "MX", "value": 5, "weight": 80},
            {
                "description": "sleeve fabric",
                "hs": "6006.22",
                "origin": "CN",
                "value": 3,
                "weight": 20,
                "component": False,
            },
        ],
        rule={"shift": "chapter", "except": ["60"]},
        hs="6110.20",
        transaction_value=20,
    )
    result = check(doc)  # s. 5(9): the sleeves are disregarded
    assert result.qualifies
    assert result.alternatives[0].shifts == ()


def test_unassembled_good_criterion_d():
    doc = bom_dict(
        [
            {"description": "kit parts", "hs": "8471.30", "origin": "CN", "value": 30},
            {"description": "local parts", "origin": "MX", "value": 50},
        ],
        rule={"shift": "subheading"},
        hs="8471.30",
        transaction_value=100,
        unassembled=True,
    )
    result = check(doc)
    assert (result.qualifies, result.criterion) == (True, "D")
    assert result.basis == "unassembled good (s. 3(4)(b)), SOR/2020-155"
    assert result.tests[0].citation.startswith("SOR/2020-155 s. 3(4)(b)")


def test_wholly_obtained_good_needs_no_materials():
    doc = {
        "good": {
            "hs": "0102.29",
            "country": "MX",
            "currency": "USD",
            "transaction_value": 900,
            "wholly_obtained": True,
        }
    }
    assert check(doc).criterion == "A"
    doc["good"]["wholly_obtained"] = False
    with pytest.raises(InvalidBOM, match="column 'materials': is missing or empty"):
        bom_from_mapping(doc, "t")
