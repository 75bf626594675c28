"""`--claims census`: DataWeb's USMCA claims calibrated to the Census published monthly series, worked by hand."""

from __future__ import annotations

import pytest

from nearshore.data.batch import Batch
from nearshore.data.store import Store
from nearshore.tariffs.effective import calibrate_claims, effective_rate
from nearshore.tariffs.policy import load_policy

# line A: $1,000 entered, $400 claimed (room $600); line B: $500 entered, $100 claimed (room $400)
LINES = {"8708998180": (1000.0, 400.0), "3926201010": (500.0, 100.0)}


def test_calibration_spreads_missing_claims_over_the_unclaimed_room():
    # Census says $1,000 was claimed: $500 missing over $1,000 of room -> half of each line's room
    assert calibrate_claims(LINES, 1000.0) == {"8708998180": 700.0, "3926201010": 300.0}


def test_calibration_scales_claims_down_when_census_is_lower():
    # Census says $250: every claim x 250/500
    assert calibrate_claims(LINES, 250.0) == {"8708998180": 200.0, "3926201010": 50.0}


def test_calibration_never_claims_more_than_a_line_is_worth():
    # $2,000 claimed against $1,500 entered: every line fully claimed, no more
    assert calibrate_claims(LINES, 2000.0) == {"8708998180": 1000.0, "3926201010": 500.0}
    # a DataWeb claim above the line's value is clipped to it before calibrating
    assert calibrate_claims({"8708998180": (1000.0, 1200.0), "3926201010": (500.0, 0.0)}, 1250.0) == {
        "8708998180": 1000.0,
        "3926201010": 250.0,
    }
    # the DataWeb total unchanged: nothing moves
    assert calibrate_claims(LINES, 500.0) == {"8708998180": 400.0, "3926201010": 100.0}


def _rows(rows: list[dict[str, object]]) -> dict[str, list[object]]:
    common = {
        "reporter": "USA",
        "partner_kind": "country",
        "flow": "imports",
        "basis": "consumption",
        "year": 2025,
        "quantity": None,
        "unit": None,
        "duty_usd": None,
    }
    full = [{**common, **r} for r in rows]
    return {name: [r[name] for r in full] for name in full[0]}


@pytest.fixture
def hand_store(store: Store) -> Store:
    """March and April 2025 from Mexico: lines A and B as above; a Census USMCA figure for March only."""
    mex = {"partner": "MEX", "partner_code": "2010", "partner_name": "Mexico", "classification": "HS", "level": 10}
    rows: list[dict[str, object]] = []
    for month in (3, 4):
        for code, (value, claimed) in LINES.items():
            rows.append({**mex, "month": month, "commodity": code, "value_usd": value, "program": "ALL"})
            rows.append({**mex, "month": month, "commodity": code, "value_usd": claimed, "program": "USMCA"})
    rows.append(
        {
            "partner": "AGG_0021",
            "partner_code": "0021",
            "partner_name": "USMCA claimed, Mexico",
            "partner_kind": "aggregate",
            "classification": "TOTAL",
            "level": 0,
            "month": 3,
            "commodity": "",
            "value_usd": 1000.0,
            "program": "USMCA",
        }
    )
    store.load(
        Batch.from_columns(
            source="test", target="trade_flows", origin="hand", checksum="-", vintage="2025-05", columns=_rows(rows)
        )
    )
    return store


def test_census_claims_on_a_hand_built_store(hand_store: Store, schedule):
    """Rates on the 15th (HTS 2025 Basic Edition, policy): A 8708.99.81.80 general 2.5% + IEEPA Mexico 25% =
    27.5% unclaimed, Free when claimed; B 3926.20.10.10 general Free + 25% = 25% unclaimed, Free claimed.

    March, census: A $300 unclaimed x 27.5% = $82.50; B $200 x 25% = $50.00 -> $132.50 on $1,500 (8.83%).
    April, no Census figure -> DataWeb claims: A $600 x 27.5% = $165; B $400 x 25% = $100 -> $265 (17.67%).
    """
    result = effective_rate(hand_store, schedule, load_policy(), partner="MEX", year=2025, claims="census")
    march, april = result.months
    assert march.modelled_duty == pytest.approx(132.5, abs=1e-3)
    assert march.usmca_share == pytest.approx(1000 / 1500)
    assert april.modelled_duty == pytest.approx(265.0, abs=1e-3)
    assert april.usmca_share == pytest.approx(500 / 1500)
    assert result.total.modelled_duty == pytest.approx(397.5, abs=1e-3)
    assert result.claims == "census"
    assert result.notes == (
        "claims census: the store holds no Census 0021 USMCA series for 2025-04; DataWeb claims used for those "
        "months (load them: `nearshore data load census-country country.xlsx`)",
    )
    # the same store with DataWeb's own claims: March is April's $265
    monthly = effective_rate(hand_store, schedule, load_policy(), partner="MEX", year=2025, claims="monthly")
    assert monthly.months[0].modelled_duty == pytest.approx(265.0, abs=1e-3)
    assert monthly.notes == ()


def test_census_claims_is_the_default(hand_store: Store, schedule):
    result = effective_rate(hand_store, schedule, load_policy(), partner="MEX", year=2025)
    assert result.claims == "census"
    assert result.months[0].modelled_duty == pytest.approx(132.5, abs=1e-3)


def test_census_claims_for_a_partner_without_a_series(hand_store: Store, schedule):
    hand_store.load(
        Batch.from_columns(
            source="test-chn",
            target="trade_flows",
            origin="hand",
            checksum="-",
            vintage="2025-05",
            columns=_rows(
                [
                    {
                        "partner": "CHN",
                        "partner_code": "5700",
                        "partner_name": "China",
                        "classification": "HS",
                        "level": 10,
                        "month": 3,
                        "commodity": "3926201010",
                        "value_usd": 100.0,
                        "program": "ALL",
                    }
                ]
            ),
        )
    )
    result = effective_rate(hand_store, schedule, load_policy(), partner="CHN", year=2025)
    assert result.notes == (
        "claims census: Census publishes a USMCA-claimed series for Mexico (0021) and Canada "
        "(0022) only; CHN uses the DataWeb claims",
    )
