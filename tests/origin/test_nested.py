"""Materials with their inputs listed under them (`within`): the tariff shift tests those inputs, and a designated
intermediate material's origin comes from them (SOR/2020-155 s. 3(2), 3(8), 8(6)-(7), 9(1)(c), 9(7)(a)(ii))."""

from __future__ import annotations

import datetime as dt

from nearshore.origin.bom_io import bom_from_mapping
from nearshore.origin.determine import determine
from tests.origin.helpers import bom_dict

ON = dt.date(2026, 3, 1)
CTH = {"shift": "heading"}


def _run(materials, rule=CTH, **good):
    good = {"hs": "8481.80", "transaction_value": 100, **good}
    return determine(bom_from_mapping(bom_dict(materials, rule=rule, **good), "nested.yaml"), ON)


def _example_6(**z):
    """s. 3(9) Example 6: Producer A makes Good A (a valve of 8481.80) from self-produced Material Z (8487.90),
    itself made from originating Material X and non-originating Material Y of the same heading as Good A (a valve
    part of 8481.90, 30 of a transaction value of 100). The rule is a change of heading."""
    return [
        {"description": "Material Z", "hs": "8487.90", "origin": "MX", "value": 60, "self_produced": True,
         "ref": "z", **z},
        {"description": "Material X", "hs": "7326.90", "origin": "MX", "value": 30, "within": "z"},
        {"description": "Material Y", "hs": "8481.90", "origin": "CN", "value": 30, "within": "z"},
        {"description": "packing case", "origin": "MX", "value": 10},
    ]  # fmt: skip


def test_inputs_of_a_self_produced_material_make_the_change_too():
    """s. 3(2): "each of the non-originating materials used in the production of the good". Y (84.81) does not
    change heading, and 30 of 100 is over de minimis (s. 5(1), 10%): not originating. Before, Y was hidden
    under Z and the valve came out originating."""
    result = _run(_example_6())
    assert not result.qualifies
    assert [(s.hs, s.passed) for s in result.alternatives[0].shifts] == [("848190", False)]
    (de_minimis,) = [t for t in result.alternatives[0].tests if t.name == "De minimis (value)"]
    assert de_minimis.value == 30.0


def test_the_producer_may_take_the_self_produced_material_instead():
    """s. 3(8) and Example 6: "Producer A has the option of considering the self-produced Material Z to be the
    material that must undergo a change"; Z (84.87) changes heading to 84.81: Good A originates."""
    result = _run(_example_6(shift_as_material=True))
    assert result.qualifies
    assert [(s.hs, s.passed) for s in result.alternatives[0].shifts] == [("848790", True)]


def _supplied(inner_hs: str):
    """A subassembly (8481.90, 60) bought from a Mexican producer, not originating, with the supplier's statement
    of its non-originating material (s. 9(7)(a)(ii)): one part of 40 (`within`)."""
    return [
        {"description": "subassembly", "hs": "8481.90", "origin": "MX", "originating": False, "value": 60,
         "ref": "sub", "accumulation": {"vnm": 40}},
        {"description": "supplier's part", "hs": inner_hs, "origin": "CN", "value": 40, "within": "sub"},
        {"description": "housing", "origin": "US", "value": 20},
    ]  # fmt: skip


def test_accumulation_tests_the_suppliers_materials_not_the_material():
    """s. 9(1)(c): production on a non-originating material in a CUSMA country "may contribute to the originating
    status of a good". The supplier's casting (7325.10) changes heading to 84.81, so the valve originates, though
    the subassembly itself (84.81) would not change heading."""
    result = _run(_supplied("7325.10"))
    assert result.qualifies
    assert [(s.hs, s.passed) for s in result.alternatives[0].shifts] == [("732510", True)]
    assert result.vnm == 40  # the statement's VNM (s. 9(2)(a), 9(3))


def test_an_accumulated_materials_input_that_fails_the_change_fails_the_good():
    """The supplier's own non-originating part is a valve part of 84.81: no change of heading, 40 of 100 is over
    de minimis: not originating."""
    result = _run(_supplied("8481.90"))
    assert not result.qualifies
    assert [(s.hs, s.passed) for s in result.alternatives[0].shifts] == [("848190", False)]


def _with_intermediate(inner_hs: str, asserted: bool = True):
    """Net cost 100 (rule: RVC 50% by net cost, no shift). A self-produced plastic housing of 3926.90 (40),
    designated intermediate, made from a non-originating input of 15; imported bolts 20."""
    return [
        {"description": "plastic housing", "hs": "3926.90", "origin": "MX", "value": 40, "self_produced": True,
         "intermediate": True, "ref": "housing", "originating": asserted},
        {"description": "input", "hs": inner_hs, "origin": "CN", "value": 15, "within": "housing"},
        {"description": "bolts", "hs": "7318.15", "origin": "CN", "value": 20},
        {"description": "valve body", "origin": "MX", "value": 25},
    ]  # fmt: skip


def test_an_intermediate_material_originates_only_if_its_inputs_make_it():
    """s. 8(7)(a): a designated intermediate material "must qualify as an originating material". The housing's
    rule (GN 11(o) ch. 39: "A change to headings 3916 through 3926 from any other heading, including another heading
    within that group"):
    - from polyethylene of 3901.10 it changes heading: originating, so only the bolts count: RVC (100 - 20) / 100
      = 80% >= 50%: the valve originates;
    - from a plastic part of 3926.90 it does not, and 15 of its 40 (37.5%) is over de minimis: the housing is not
      originating, whatever the BOM says, its whole 40 is non-originating: RVC (100 - 60) / 100 = 40% < 50%."""
    rule = {"shift": "none", "rvc": {"net_cost": 50}}
    made = _run(_with_intermediate("3901.10"), rule=rule, transaction_value=None, net_cost=100)
    assert made.qualifies
    assert made.rvc["net_cost"] == 80.0
    assert "designated intermediate material: originating, determined from its 1 listed input(s)" in made.notes[0]
    failed = _run(_with_intermediate("3926.90"), rule=rule, transaction_value=None, net_cost=100)
    assert not failed.qualifies
    assert failed.rvc["net_cost"] == 40.0
    assert "not originating (the BOM said originating)" in failed.notes[0]
    assert "(SOR/2020-155 s. 8(7)(a))" in failed.notes[0]
