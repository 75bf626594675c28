"""What a determination tells the user besides the verdict: the de minimis headroom, a vehicle section it did
not use, and what to add for the duty consequence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from nearshore.origin.bom_io import bom_from_mapping
from nearshore.origin.determine import determine
from tests.origin.helpers import bom_dict

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ON = dt.date(2026, 3, 1)


def test_duty_without_a_transaction_value_says_what_to_add():
    from nearshore.origin.report import check_bom

    report = check_bom(EXAMPLES / "vehicle.yaml", ON)
    assert report.duty.message == (
        "duty consequence not computed: the BOM gives no transaction value; add good.transaction_value "
        "(the customs value in U.S. dollars) to see the duty"
    )


def test_de_minimis_headroom_names_the_failing_materials():
    """bom.yaml: the piston kit (9.60) fails the shift; s. 5(1) allows 10% of TV 182.00, so 8.60 more."""
    from nearshore.origin.report import check_bom

    footer = check_bom(EXAMPLES / "bom.yaml", ON).footer()
    assert (
        "De minimis (value): the value of materials failing the shift can rise by 8.60 (4.7 points) before the "
        "test fails"
    ) in footer


def test_a_vehicle_section_on_a_part_is_noted_not_silently_dropped():
    doc = bom_dict(
        [{"description": "casting", "hs": "7325.99", "origin": "MX", "value": 20}],
        hs="8708.80",
        transaction_value=100,
    )
    doc["vehicle"] = {"class": "passenger"}
    result = determine(bom_from_mapping(doc, "arm.yaml"), ON)
    assert result.notes == (
        "the vehicle: section was not used: HS 8708.80 is not a passenger vehicle, light truck or heavy truck "
        "(SOR/2020-155 s. 12); for a part, give good.for_vehicle instead",
    )
