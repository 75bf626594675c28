"""Criterion D, the parts provision (SOR/2020-155 s. 3(4)(a), 3(5)(a); 19 U.S.C. 4531(c)(1)(D)(ii)(I)).

4531(c)(1)(D)(ii): "one or more of the nonoriginating materials provided for as parts under the HTS ... do not satisfy
the requirements set forth in Annex 4-B ... because (I) both the good and its materials are classified under the same
subheading"; then (iii) RVC 60% (transaction value) or 50% (net cost). s. 3(5)(a): "whether a heading or subheading
provides for a good and its parts is to be made on the basis of the nomenclature of the heading or subheading". The
rule in these BOMs is a change of subheading (`rule:`), so a material of the good's own subheading fails it.
"""

from __future__ import annotations

import datetime as dt

from nearshore.origin.bom_io import bom_from_mapping
from nearshore.origin.determine import determine
from nearshore.origin.parts import parts_subheadings, provides_for_parts
from tests.origin.helpers import bom_dict

ON = dt.date(2026, 3, 1)
CTSH = {"shift": "subheading"}


def _chair(material: dict, hs: str = "9402.10", tv: float = 200):
    doc = bom_dict(
        [{"description": "frame", "hs": "7308.90", "origin": "MX", "value": 90}, material],
        rule=CTSH,
        hs=hs,
        transaction_value=tv,
    )
    return determine(bom_from_mapping(doc, "chair.yaml"), ON)


def test_a_finished_article_bought_in_is_not_a_part():
    """A complete barber's chair of 9402.10 bought in China (80) and sold on at 200: it fails the change of
    subheading because it is in the good's own subheading, but it is not declared a part of the good, so the
    parts provision does not apply (before: RVC (200 - 80) / 200 = 60% made it originate)."""
    result = _chair({"description": "complete barber chair", "hs": "9402.10", "origin": "CN", "value": 80})
    assert not result.qualifies
    (test,) = [t for t in result.tests if t.name == "Parts provision"]
    assert not test.passed
    assert "line 2 (complete barber chair) in the good's subheading 9402.10 not declared a part" in test.inputs
    assert test.citation.startswith("SOR/2020-155 s. 3(4)(a), 3(5)(a); 19 U.S.C. 4531(c)(1)(D)(ii)(I)")
    assert not any(t.name.startswith("RVC") for t in result.tests)


def test_declared_parts_in_a_subheading_for_goods_and_parts_qualify_at_sixty_percent():
    """9402.10 reads "Dentists', barbers' or similar chairs and parts thereof": it provides for the good and its
    parts. Chair parts (80) declared parts: RVC (200 - 80) / 200 = 60%, "not less than 60 percent" -> criterion D."""
    part = {"description": "chair mechanism", "hs": "9402.10", "origin": "CN", "value": 80, "part": True}
    result = _chair(part)
    assert result.qualifies
    assert result.criterion == "D"
    decision, rvc = result.tests
    assert decision.passed
    assert "provides for the good and its parts" in decision.inputs
    assert (rvc.name, rvc.value, rvc.required) == ("RVC (transaction value)", 60.0, 60.0)
    # at 81 the RVC is 59.5%: no
    assert not _chair({**part, "value": 81}).qualifies


def test_a_subheading_that_names_no_parts_gives_no_parts_provision():
    """8479.89 "Other" (machines of 84.79): its nomenclature names no parts (they are in 8479.90 "Parts"), so a
    material of 8479.89 cannot be a part "provided for" there, declared or not."""
    part = {"description": "sub-machine", "hs": "8479.89", "origin": "CN", "value": 40, "part": True}
    result = _chair(part, hs="8479.89")
    (test,) = [t for t in result.tests if t.name == "Parts provision"]
    assert not test.passed
    assert "subheading 8479.89 does not provide for both a good and its parts" in test.inputs
    assert not result.qualifies


def test_the_derived_table_reads_the_nomenclature():
    table = parts_subheadings()
    assert table["870830"] == "Brakes and servo-brakes; parts thereof:"
    assert "950300" in table  # an undivided heading: toys ...; parts and accessories thereof
    assert "847989" not in table  # "Other"
    assert "940190" not in table  # "Parts": parts alone, not the good
    assert "902140" not in table  # "Hearing aids, excluding parts and accessories thereof"
    assert provides_for_parts("Other, including parts:")
    assert not provides_for_parts("Other, except parts:")
    assert not provides_for_parts("Containing less than 1 part hafnium to 500 parts zirconium by weight")
