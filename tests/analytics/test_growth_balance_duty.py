from __future__ import annotations

import pytest

from nearshore.analytics.balance import balance, describe_balance
from nearshore.analytics.duty import duty_rate
from nearshore.analytics.growth import cagr_value, growth, implied_cagr, project
from nearshore.errors import DataNotFound, InputError
from tests.analytics.golden import duties, new_country_rows, recorded

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def test_implied_cagr_and_projection_round_trip():
    rate = implied_cagr(53.2e9, 97.4e9, 2025, 2031, label="the market")
    assert rate.value == pytest.approx(100 * ((97.4 / 53.2) ** (1 / 6) - 1))
    assert rate.display() == "10.6%"
    assert rate.period.words == "2025-2031"
    back = project(53.2e9, rate.value, 2025, 2031)
    assert back.value == pytest.approx(97.4e9)
    assert back.display() == "$97.4B"


def test_cagr_rejects_what_it_cannot_compute():
    with pytest.raises(InputError, match="at least one year"):
        cagr_value(1.0, 2.0, 0)
    with pytest.raises(InputError, match=r"positive start and end values \(got -1.0 and 2.0\)"):
        cagr_value(-1.0, 2.0, 3)


@pytest.mark.shared
def test_ytd_growth_against_the_census_file(full_store, shared_raw):
    now, before = new_country_rows(shared_raw, 2025)["MEX"], new_country_rows(shared_raw, 2024)["MEX"]
    a = sum(float(now["I" + m]) for m in MONTHS[:6])
    b = sum(float(before["I" + m]) for m in MONTHS[:6])
    table = growth(full_store, "MEX", kind="ytd", year=2025, month=6)
    assert table.figure("growth").value == pytest.approx(100 * (a - b) / b, rel=1e-9)
    assert table.figure("change").value == pytest.approx((a - b) * 1e6, rel=1e-9)
    assert table.figure("growth").period.words == "Jan 2024-Jun 2025"
    assert table.figure("growth").comparison == "Jan-Jun 2025 vs Jan-Jun 2024"


@pytest.mark.shared
def test_yoy_and_cagr_use_annual_totals(full_store, shared_raw):
    y25, y24 = (float(new_country_rows(shared_raw, y)["CAN"]["EYR"]) for y in (2025, 2024))
    table = growth(full_store, "CAN", flow="exports", year=2025)
    assert table.figure("growth").value == pytest.approx(100 * (y25 - y24) / y24, rel=1e-9)
    y22 = float(new_country_rows(shared_raw, 2022)["CAN"]["EYR"])
    cagr = growth(full_store, "CAN", flow="exports", kind="cagr", year=2025, start_year=2022)
    assert cagr.figure("cagr").value == pytest.approx(100 * ((y25 / y22) ** (1 / 3) - 1), rel=1e-9)


@pytest.mark.shared
def test_growth_for_a_missing_year(full_store):
    with pytest.raises(DataNotFound, match=r"no data for imports in 1984: the store holds years 1985-2025"):
        growth(full_store, "MEX", year=1985)
    with pytest.raises(InputError, match="growth kind 'qoq' is not one of: yoy, ytd, cagr"):
        growth(full_store, "MEX", kind="qoq", year=2025)


@pytest.mark.shared
def test_balance_matches_the_published_balance_and_sign_words(full_store, shared_raw):
    row = new_country_rows(shared_raw, 2025)["MEX"]
    table = balance(full_store, "MEX", year=2025)
    fig = table.figure("balance")
    assert fig.value == pytest.approx(float(row["balance_year"]) * 1e6, abs=0.2e6)
    assert fig.value < 0
    assert describe_balance(fig, "Mexico") == "a U.S. goods deficit of $197.0B with Mexico"
    surplus = balance(full_store, "NLD", year=2025).figure("balance")
    assert describe_balance(surplus, "the Netherlands").startswith("a U.S. goods surplus of $")


@pytest.mark.shared
def test_duty_rate_mexico_2025_golden(full_store, shared_raw):
    rows = duties(shared_raw, "MEX", 2025)
    assert len(rows) == 12
    expected = (
        100
        * sum(float(r["calculated_duties_usd"]) for r in rows)
        / sum(float(r["imports_for_consumption_customs_value_usd"]) for r in rows)
    )
    golden, tol = recorded()["duty_rate_MEX_2025"]
    assert expected == pytest.approx(golden, abs=tol)
    fig = duty_rate(full_store, "MEX", year=2025).figure("rate")
    assert fig.value == pytest.approx(expected, rel=1e-9)
    assert fig.display() == "3.67%"
    assert fig.provenance.sources == ("census-duties",)


@pytest.mark.shared
def test_duty_rate_for_a_partner_without_duty_data(full_store):
    with pytest.raises(DataNotFound) as info:
        duty_rate(full_store, "DEU", year=2025)
    assert str(info.value).startswith(
        "no data for duties on imports from DEU in 2025: the store holds nothing of imports (consumption, "
        "program ALL, TOTAL) for DEU (it holds this series for CAN, CHN, MEX); load more with"
    )


def _hs_batch(flow: str, basis: str, rows: list[tuple[str, int, float]]):
    from nearshore.data.batch import Batch, ColumnBuffer

    buf = ColumnBuffer("trade_flows")
    for code, month, value in rows:
        buf.add(
            reporter="USA",
            partner="MEX",
            partner_code="2010",
            partner_name="Mexico",
            partner_kind="country",
            flow=flow,
            basis=basis,
            year=2025,
            month=month,
            classification="HS",
            commodity=code,
            level=10,
            program="ALL",
            value_usd=value,
        )
    return Batch.from_columns(
        source=f"test-{flow}", target="trade_flows", origin="test", checksum="t", vintage="2026-01", columns=buf.columns
    )


def test_sector_balance_from_hs_rows(store):
    imports = [("8703230140", m, 100.0) for m in range(1, 13)]
    imports += [("0101210010", m, 7.0) for m in range(1, 13)]
    store.load(_hs_batch("imports", "consumption", imports))
    with pytest.raises(
        DataNotFound,
        match=r"no data for exports in 2025: the store holds nothing of exports "
        r"\(total, program ALL, HS\) for MEX",
    ):
        balance(store, "MEX", year=2025, sector="automotive")
    store.load(_hs_batch("exports", "total", [("8708999999", m, 30.0) for m in range(1, 13)]))
    table = balance(store, "MEX", year=2025, sector="automotive")
    assert table.figure("imports").value == 1200.0
    assert table.figure("exports").value == 360.0
    assert table.figure("balance").value == -840.0
    assert dict(table.figure("balance").subject) == {"partner": "MEX", "sector": "automotive"}
    march = balance(store, "MEX", year=2025, month=3, sector="automotive")
    assert march.figure("balance").value == -70.0
    with pytest.raises(InputError, match="a sector balance needs --partner"):
        balance(store, year=2025, sector="automotive")


def test_growth_path_both_ways():
    from nearshore.analytics.growth import growth_path

    implied = growth_path(53.2e9, 2025, 2031, end_value=97.4e9, label="the market")
    assert implied.figure("cagr").display() == "10.6%"
    projected = growth_path(53.2e9, 2025, 2031, rate=implied.figure("cagr").value)
    assert projected.figure("end").value == pytest.approx(97.4e9)
    assert projected.provenance.sources == ("stated",)
    with pytest.raises(InputError, match="give either the end value"):
        growth_path(1.0, 2020, 2025)
