"""Landed cost: the merchandise processing fee (MPF) with each fiscal year's minimum and maximum, the harbor
maintenance fee (HMF), and their exemptions, hand-worked from the published figures.

- MPF: 0.3464% ad valorem, 19 CFR 24.23(b)(1)(i). FY2025 (2024-10-01..2025-09-30): minimum $32.71, maximum
  $634.62 (Federal Register doc. 2024-15990, CBP CSMS # 61572319); FY2026 (from 2025-10-01): $33.58 and $651.50
  (CBP Dec. 25-10, 90 FR 34665). USMCA originating goods: none (19 U.S.C. 58c(b)(10)).
- HMF: 0.125% of the value of cargo unloaded from a vessel (26 U.S.C. 4461; 19 CFR 24.24), no cap; not on air,
  truck or rail shipments.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from nearshore.tariffs.landed import LandedCost, compare_origins
from nearshore.tariffs.policy import load_policy
from nearshore.tariffs.schedule import Schedule


def landed(schedule: Schedule, value: float, on: str, origins: list[str], **kw: Any) -> dict[str, LandedCost]:
    costs = compare_origins(
        schedule, load_policy(), hts="8708.99.81", value=value, on=date.fromisoformat(on), origins=origins, **kw
    )
    return {c.origin: c for c in costs}


@pytest.mark.parametrize(
    ("value", "on", "mpf"),
    [
        (10_000, "2025-06-01", 34.64),  # 0.3464% x 10,000, between the FY2025 bounds
        (5_000, "2025-06-01", 32.71),  # 17.32 raised to the FY2025 minimum
        (1_000_000, "2025-06-01", 634.62),  # 3,464 capped at the FY2025 maximum
        (5_000, "2025-10-01", 33.58),  # FY2026 minimum from 2025-10-01
        (1_000_000, "2025-10-01", 651.50),  # FY2026 maximum
        (1_000_000, "2025-09-30", 634.62),  # last day of FY2025
    ],
)
def test_mpf_minimum_and_maximum_by_fiscal_year(schedule, value, on, mpf):
    assert landed(schedule, value, on, ["CN"])["CHN"].fees.mpf == mpf


def test_hmf_has_no_cap_and_is_for_ocean_cargo_only(schedule):
    assert landed(schedule, 1_000_000, "2025-06-01", ["CN"])["CHN"].fees.hmf == 1250.0
    for mode in ("air", "truck", "rail"):
        assert landed(schedule, 1_000_000, "2025-06-01", ["CN"], mode=mode)["CHN"].fees.hmf == 0.0


def test_fee_exemptions(schedule):
    # USMCA originating goods pay no MPF; the HMF still applies to ocean cargo
    costs = landed(schedule, 10_000, "2025-06-01", ["MX", "CN", "US"], usmca=True, freight={"MX": 150.0})
    assert costs["MEX"].fees.mpf == 0.0
    assert costs["MEX"].fees.hmf == 12.5
    assert costs["MEX"].total == 10_000 + 0 + 12.5 + 150
    assert costs["CHN"].total == pytest.approx(10_000 + 5_750 + 34.64 + 12.5)
    assert costs["USA"].total == 10_000  # made in the U.S.: no duty, no fees
    # de minimis (value at or under $800, before the suspension for all countries on 2025-08-29): no formal
    # entry, so no MPF; China lost de minimis on 2025-05-02 and pays the minimum
    costs = landed(schedule, 500, "2025-06-01", ["VN", "CN"])
    assert costs["VNM"].fees.mpf == 0.0
    assert costs["VNM"].duty.total == 0.0
    assert costs["CHN"].fees.mpf == 32.71
    assert landed(schedule, 500, "2025-09-01", ["VN"])["VNM"].fees.mpf == 32.71
