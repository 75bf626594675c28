"""Table 2.10.1 goods (SOR/2020-155 s. 3(7), Schedule 2; 19 U.S.C. 4531(c)(1)(E)).

s. 3(7): "A good is originating in the territory of a CUSMA country if the good is referred to in Schedule 2 and is
imported from the territory of a CUSMA country." 4531(c)(1)(E): "the good itself, as imported, is listed in table
2.10.1 of the USMCA and is imported into the territory of the United States from the territory of a USMCA country."
s. 3(9) Example 5: storage units of 8471.70 bought outside the region and resold from Country A, with no production,
"are considered originating goods ... because they are referred to in Schedule 2".
"""

from __future__ import annotations

import datetime as dt

from nearshore.origin.bom_io import bom_from_mapping
from nearshore.origin.certificate import certify
from nearshore.origin.determine import determine
from nearshore.origin.schedule2 import listed_rows, table_2_10_1

ON = dt.date(2026, 3, 1)


def _resold(hs: str, claim: bool):
    doc = {
        "good": {
            "description": "storage units",
            "hs": hs,
            "country": "CA",
            "currency": "USD",
            "transaction_value": 100,
            "table_2_10_1": claim,
        },
        "materials": [{"description": "the same units, bought in", "hs": hs, "origin": "CN", "value": 90}],
    }
    bom = bom_from_mapping(doc, "storage.yaml")
    return bom, determine(bom, ON)


def test_example_5_storage_units_originate_as_a_table_good():
    """8471.70 is in Schedule 2 (group D, Storage Units). Without the claim the units fail their rule (a change
    to 8471.70 from any other subheading; the bought-in units are 8471.70, 90% of the value, over de minimis)."""
    _, plain = _resold("8471.70", claim=False)
    assert not plain.qualifies
    bom, claimed = _resold("8471.70", claim=True)
    assert claimed.qualifies
    assert claimed.criterion == "E"
    test = next(t for t in claimed.tests if t.name == "Table 2.10.1 good")
    assert test.passed
    assert "listed in Table 2.10.1 (D Storage Units; the whole subheading); imported from CA" in test.inputs
    assert test.citation == "SOR/2020-155 s. 3(7), Schedule 2; 19 U.S.C. 4531(c)(1)(E)"
    assert certify(bom, claimed, "Ana Ruiz, Trade Manager").criterion == "E"


def test_a_claim_for_a_good_not_in_the_table_is_refused():
    """8471.90 (other ADP goods) is not in Schedule 2: the claim fails and the rule decides (not originating)."""
    _, result = _resold("8471.90", claim=True)
    test = next(t for t in result.tests if t.name == "Table 2.10.1 good")
    assert not test.passed
    assert "HS 8471.90 is not in Table 2.10.1" in test.inputs
    assert not result.qualifies


def test_rows_that_take_part_of_a_subheading_say_what_the_good_must_be():
    """Schedule 2 lists computer power supplies as Canadian tariff items 8504.40.30 and 8504.40.90 only."""
    _, result = _resold("8504.40", claim=True)
    test = next(t for t in result.tests if t.name == "Table 2.10.1 good")
    assert "only Canadian tariff items 8504.40.30, 8504.40.90: the claim states the good is such" in test.inputs
    assert [r.code for r in listed_rows("851770")] == ["851770"]
    assert listed_rows("851770")[0].description == "parts of LAN equipment of subheading 8517.62"


def test_the_derived_table_has_every_row_of_schedule_2():
    rows = table_2_10_1()
    assert len(rows) == 22  # A 3, B 1, C 5 (8471.60.00 printed twice), D 1, E 1, F 6, G 5
    assert sorted({r.group for r in rows}) == ["A", "B", "C", "D", "E", "F", "G"]
