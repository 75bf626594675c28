"""Diesel passenger vehicles go to s. 20 by their code (SOR/2020-155 s. 1, 20(2)(b)).

s. 1, "passenger vehicle means a vehicle of subheadings 8703.21 through 8703.90, except for (a) a vehicle with a
compression-ignition engine of subheadings 8703.31 through 8703.33 or a vehicle of subheading 8703.90 with both a
compression-ignition engine and an electric motor for propulsion". s. 20(2): "Despite section 13 and Schedule 1, the
RVC requirement is 62.5% under the net cost method for ... (b) a passenger vehicle with a compression-ignition engine
as the primary motor of propulsion of subheading 8703.21 through 8703.90".
"""

from __future__ import annotations

import datetime as dt

import pytest

from nearshore.origin.automotive.vehicle import vehicle_class_of
from nearshore.origin.bom_io import bom_from_mapping
from nearshore.origin.determine import determine

ON = dt.date(2026, 3, 1)


def _car(hs: str, engine: float):
    doc = {
        "good": {"description": "car", "hs": hs, "country": "MX", "currency": "USD", "total_cost": 10000},
        "materials": [
            {"description": "engine", "hs": "8408.20", "origin": "DE", "value": engine},
            {"description": "body", "hs": "8707.10", "origin": "MX", "value": 10000 - engine - 2000},
        ],
    }
    return determine(bom_from_mapping(doc, "car.yaml"), ON)


@pytest.mark.parametrize("hs", ["8703.32", "8703.31", "8703.33", "8703.50", "8703.70"])
def test_a_diesel_car_needs_62_5_percent_net_cost_and_nothing_else(hs):
    """Net cost 10,000, a German diesel engine of 3,500: RVC (10,000 - 3,500) / 10,000 = 65% >= 62.5%, no vehicle:
    section (core parts, labour value, steel) needed. Under s. 13 a passenger vehicle would need 75% and those
    tests. 8703.50 and 8703.70 are HS 2022's "both compression-ignition ... and electric motor" vehicles, HS 2012
    8703.90 in paragraph (a) of the definition."""
    result = _car(hs, 3500)
    assert vehicle_class_of(hs.replace(".", "")) is None
    assert result.qualifies
    (rvc,) = [t for a in result.alternatives for t in a.tests if t.name.startswith("RVC")]
    assert (rvc.value, rvc.required) == (65.0, 62.5)
    assert "20(2)(b)" in rvc.citation
    assert result.automotive == ()


def test_a_diesel_car_below_62_5_percent_does_not_qualify():
    """Engine 4,000: RVC 60% < 62.5%."""
    result = _car("8703.32", 4000)
    assert not result.qualifies


def test_a_spark_ignition_car_stays_a_passenger_vehicle():
    """8703.23 (spark-ignition): a passenger vehicle under s. 13, needing the vehicle: section's tests."""
    assert vehicle_class_of("870323") == "passenger"
    result = _car("8703.23", 3500)
    assert not result.qualifies
    assert [t.name for t in result.automotive] == ["Vehicle data"]
