"""Invariants that hold for any data: growth paths round-trip; concentration bounds; shares add up."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nearshore.analytics.concentration import concentration
from nearshore.analytics.growth import implied_cagr, project
from nearshore.data.batch import Batch, ColumnBuffer
from nearshore.data.store import Store

money = st.floats(min_value=1e3, max_value=1e13, allow_nan=False, allow_infinity=False)


@given(start=money, ratio=st.floats(min_value=1e-3, max_value=1e3), years=st.integers(min_value=1, max_value=40))
def test_projecting_at_the_implied_cagr_returns_the_end_value(start, ratio, years):
    # Paths from a thousandth to a thousand times the start value; beyond that the rate in percent
    # (1 + r/100 near 0) loses the digits a round trip needs.
    end = start * ratio
    rate = implied_cagr(start, end, 2000, 2000 + years).value
    assert project(start, rate, 2000, 2000 + years).value == pytest.approx(end, rel=1e-6)


def _store_with(values: list[float]) -> Store:
    store = Store(":memory:")
    buf = ColumnBuffer("trade_flows")
    for i, value in enumerate(values):
        buf.add(
            reporter="USA",
            partner="MEX",
            partner_code="2010",
            partner_name="Mexico",
            partner_kind="country",
            flow="imports",
            basis="consumption",
            year=2025,
            month=1,
            classification="HS",
            commodity=f"{i + 1:06d}0000",
            level=10,
            program="ALL",
            value_usd=value,
        )
    store.load(
        Batch.from_columns(
            source="test", target="trade_flows", origin="test", checksum="t", vintage="2026-01", columns=buf.columns
        )
    )
    return store


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(st.floats(min_value=1.0, max_value=1e9), min_size=1, max_size=40),
    n=st.integers(min_value=1, max_value=10),
)
def test_hhi_and_top_share_bounds(values, n):
    with _store_with(values) as store:
        table = concentration(store, "MEX", year=2025, month=1, level=6, n=n)
    hhi = table.figure("hhi", rank="all").value
    top = table.figure("cumulative_share", rank="all").value
    assert 10_000 / len(values) - 1e-6 <= hhi <= 10_000 + 1e-6
    assert min(n, len(values)) / len(values) * 100 - 1e-6 <= top <= 100 + 1e-6
    shares = [f.value for f in table.column("share") if f is not None]
    assert shares == sorted(shares, reverse=True)
