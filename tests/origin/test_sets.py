"""Sets (SOR/2020-155 s. 6(2)-(3); 19 U.S.C. 4531(m)(1)): the set test overrides the product-specific rule.

s. 6(3): "Despite subsection (2), a set is originating only if the value of all the non-originating goods included
in the set does not exceed 10% of the value of the set." 19 U.S.C. 4531(m)(1): "Notwithstanding the rules set forth
in Annex 4-B of the USMCA, goods classifiable as goods put up in sets for retail sale ... shall not be considered to
be originating goods unless (A) each of the goods in the set is an originating good; or (B) the total value of the
nonoriginating goods in the set does not exceed 10 percent of the value of the set."
"""

from __future__ import annotations

import datetime as dt

from nearshore.origin.bom import Good, Material
from nearshore.origin.bom_io import bom_from_mapping
from nearshore.origin.determine import determine
from nearshore.origin.general import set_test
from tests.origin.helpers import bom_dict

ON = dt.date(2026, 3, 1)


def _paint_set(brushes: float):
    """A paint set of 3210.00 (s. 6(5) Example 1), transaction value 100: originating paint and wooden box, and
    paint brushes of 9603.30 made in China. GN 11(o) ch. 32: "A change to headings 3207 through 3215 from any other
    chapter", which the brushes (chapter 96) make."""
    doc = bom_dict(
        [
            {"description": "tubes of paint", "hs": "3210.00", "origin": "MX", "value": 100 - 10 - brushes},
            {"description": "paint brushes", "hs": "9603.30", "origin": "CN", "value": brushes},
            {"description": "wooden box", "hs": "4420.90", "origin": "MX", "value": 10},
        ],
        hs="3210.00",
        transaction_value=100,
        set=True,
    )
    return determine(bom_from_mapping(doc, "paint-set.yaml"), ON)


def test_a_set_over_ten_percent_is_not_originating_though_its_rule_is_met():
    """Brushes 15 of 100 = 15% > 10%: not originating (s. 6(3); 4531(m)(1)(B)), although the product-specific
    rule of 32.10 is met (the brushes change chapter)."""
    result = _paint_set(15)
    assert result.alternatives[0].qualifies  # the rule alone would let the set through
    test = next(t for t in result.tests if t.name == "Set (non-originating goods)")
    assert (test.passed, test.value, test.required) == (False, 15.0, 10.0)
    assert not result.qualifies
    assert result.criterion is None
    assert any("whatever the product-specific rule of its heading" in n for n in result.notes)


def test_a_set_at_exactly_ten_percent_originates():
    """Brushes 10 of 100 = 10%: "does not exceed 10%" (s. 6(3)), so the set originates."""
    result = _paint_set(10)
    assert result.qualifies
    assert result.criterion == "B"


def test_a_set_with_every_good_originating_needs_no_value():
    """4531(m)(1)(A): each good originating is enough; a set with a non-originating good and no value to weigh it
    against cannot be shown to originate."""
    good = Good("set", "321000", "MX", "USD", is_set=True)
    paint = Material(1, "paint", "321000", "MX", True, 50.0)
    assert set_test(good, [paint]).passed
    brush = Material(2, "brushes", "960330", "CN", False, 5.0)
    failed = set_test(good, [paint, brush])
    assert not failed.passed
    assert "the set's value is needed" in failed.inputs
