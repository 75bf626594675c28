"""Goods a rule describes rather than codes: an exception or a source described in words asks the producer
to attest only when a material could be of those goods (HTSUS GN 11(o))."""

from __future__ import annotations

import datetime as dt

from nearshore.origin.bom_io import bom_from_mapping
from nearshore.origin.determine import determine
from tests.origin.helpers import bom_dict

ON = dt.date(2026, 3, 1)


def test_a_source_named_in_the_goods_own_subheading_makes_the_change():
    """GN 11(o) ch. 87 rule 31 (B): "A change to gear boxes of subheading 8708.40 from any other good of
    subheadings 8708.40 or 8708.99 ..., provided there is a regional value content of not less than 50 percent
    under the net cost method". Gear-box parts of 8708.40 from Japan satisfy the change; RVC (NC)
    (100 - 30) / 100 = 70% >= 50%. Alternative (A) (change of heading) fails on those same parts."""
    doc = bom_dict(
        [{"description": "gear sets and shafts", "hs": "8708.40", "origin": "JP", "value": 30}],
        hs="8708.40",
        description="gear box, industrial vehicle",
        net_cost=100,
        conditions_met=["B"],
    )
    result = determine(bom_from_mapping(doc, "gearbox.yaml"), ON)
    assert (result.qualifies, result.criterion) == (True, "B")
    chosen = next(a for a in result.alternatives if a.qualifies)
    assert chosen.citation == "HTSUS GN 11(o), chapter 87, rule 31"
    assert chosen.label == "(B)"
    assert chosen.tests[0].inputs.startswith("1 of 1 non-originating materials meet")
    assert [t.summary() for t in chosen.tests[1:]] == ["70.0% vs at least 50% required (margin +20.0 points)"]


def test_a_described_except_from_code_asks_no_attestation():
    """GN 11(o) ch. 85 rule 89 (A): "A change to heading 8537 from any other heading, except from printed
    circuit assemblies of subheading 8538.90 ...". A control panel without any 8538.90 material meets (A)
    from codes alone; the description of the excepted goods is not a condition on the producer."""
    doc = bom_dict(
        [
            {"description": "programmable controller", "hs": "8537.10", "origin": "US", "value": 900},
            {"description": "circuit breakers", "hs": "8536.20", "origin": "CN", "value": 150},
            {"description": "enclosure", "hs": "7326.90", "origin": "MX", "value": 200},
        ],
        hs="8537.10",
        description="control panel",
        transaction_value=2000,
    )
    result = determine(bom_from_mapping(doc, "panel.yaml"), ON)
    assert (result.qualifies, result.criterion) == (True, "B")
    first = result.alternatives[0]
    assert (first.label, first.qualifies, first.unverified) == ("(A)", True, ())


def test_a_described_source_is_asked_for_only_when_a_material_lies_in_it():
    """Ch. 87 rule 31 (B) names "any other good of 8708.40" and 8708.99 as sources: with no material of
    those codes, (B) needs no material-description attestation (its goods condition on the good remains)."""
    doc = bom_dict(
        [{"description": "bearings", "hs": "8482.10", "origin": "JP", "value": 30}],
        hs="8708.30",
        description="brake assembly",
        net_cost=100,
    )
    result = determine(bom_from_mapping(doc, "brake.yaml"), ON)
    unverified = {a.label: a.unverified for a in result.alternatives}
    assert unverified["(D)"] == ("the good is any other good of 8708.30",)
    with_part = bom_dict(
        [{"description": "pistons", "hs": "8708.30", "origin": "JP", "value": 30}],
        hs="8708.30",
        description="brake assembly",
        net_cost=100,
    )
    result = determine(bom_from_mapping(with_part, "brake.yaml"), ON)
    unverified = {a.label: a.unverified for a in result.alternatives}
    assert unverified["(D)"] == (
        "the good is any other good of 8708.30",
        "material description: 8708.30 (mounted brake linings or parts of brakes or servo-brakes)",
    )
