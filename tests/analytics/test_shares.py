from __future__ import annotations

import pytest

from nearshore.analytics.shares import share, top
from nearshore.errors import DataNotFound, InputError, UnknownCodeError
from tests.analytics.golden import new_country_rows, old_country_rows, rank_of, recorded

pytestmark = pytest.mark.shared


@pytest.mark.parametrize(("iso", "code"), [("MEX", "2010"), ("CAN", "1220"), ("CHN", "5700")])
def test_2021_import_shares_match_the_census_file(full_store, shared_raw, iso, code):
    rows = old_country_rows(shared_raw, 2021)
    expected = 100.0 * float(rows[code]["IYR"]) / float(rows["0015"]["IYR"])
    golden, tol = recorded()[f"share_imports_2021_{iso}"]
    assert expected == pytest.approx(golden, abs=tol)
    fig = share(full_store, iso, flow="imports", year=2021).figure("share", partner=iso)
    assert fig.value == pytest.approx(expected, rel=1e-9)
    assert fig.unit == "percent"
    assert fig.provenance.vintages == ("2022-03",)
    assert "own World" in fig.provenance.notes[0]


def _independent_rank(raw, year: int) -> int:
    if year <= 2021:
        rows = old_country_rows(raw, year)
        values = {c: float(r["IYR"]) for c, r in rows.items() if c >= "1000"}
        return rank_of(values, "2010")
    rows = new_country_rows(raw, year)
    values = {c: float(r["IYR"]) for c, r in rows.items() if not c.startswith("AGG_")}
    return rank_of(values, "MEX")


def test_mexico_rank_history(full_store, shared_raw):
    table = share(full_store, "Mexico", flow="imports")
    golden = recorded()
    for year in range(2015, 2026):
        rank = table.figure("rank", period=str(year)).value
        assert rank == _independent_rank(shared_raw, year), year
        if year >= 2021:
            assert rank == golden[f"rank_imports_MEX_{year}"][0]
    recent = table.figure("rank", period="2023")
    assert recent.display() == "#1"
    assert "sum over countries" in " ".join(recent.provenance.notes)


def test_top_partners_with_rank_change(full_store, shared_raw):
    table = top(full_store, flow="imports", year=2023, n=3)
    assert [r.keys[1] for r in table.rows] == ["MEX", "CHN", "CAN"]
    assert table.figure("rank_change", partner="MEX").value == 1
    assert table.figure("rank_change", partner="CHN").value == -1
    rows = new_country_rows(shared_raw, 2023)
    world = sum(float(r["IYR"]) for c, r in rows.items() if not c.startswith("AGG_"))
    expected = 100 * float(rows["MEX"]["IYR"]) / world
    assert table.figure("share", partner="MEX").value == pytest.approx(expected)


def test_monthly_two_way_share(full_store, shared_raw):
    rows = new_country_rows(shared_raw, 2025)
    countries = {c: r for c, r in rows.items() if not c.startswith("AGG_")}
    world = sum(float(r["IMAR"]) + float(r["EMAR"]) for r in countries.values())
    expected = 100 * (float(rows["CAN"]["IMAR"]) + float(rows["CAN"]["EMAR"])) / world
    fig = share(full_store, "CAN", flow="total", year=2025, month=3).figure("share")
    assert fig.value == pytest.approx(expected, rel=1e-9)
    assert fig.period.label == "2025-03"


def test_missing_year_says_what_is_held(full_store):
    with pytest.raises(DataNotFound) as info:
        share(full_store, "MEX", year=2030)
    assert str(info.value).startswith(
        "no data for imports in 2030: the store holds years 1985-2025 (monthly to 2025-12) of imports "
        "(general, program ALL, TOTAL) for every partner of kind country; "
        "load more with `nearshore data load SOURCE FILE`"
    )


def test_missing_year_at_an_earlier_vintage_names_the_vintage(full_store):
    # as of the 2022-03 release the store ends in January 2022: the message must say the vintage is why
    with pytest.raises(DataNotFound) as info:
        share(full_store, "MEX", year=2024, as_of="2022-03")
    assert str(info.value).startswith(
        "no data for imports in 2024: the store holds years 1985-2022 (monthly to 2022-01) of imports "
        "(general, program ALL, TOTAL) for every partner of kind country as of vintage 2022-03 (later vintages "
        "may hold more); load more with `nearshore data load SOURCE FILE`"
    )


def test_empty_store_and_bad_arguments(store):
    with pytest.raises(DataNotFound, match="the store holds nothing of imports"):
        share(store, "MEX", year=2024)
    with pytest.raises(UnknownCodeError, match="unknown partner 'Atlantis'"):
        share(store, "Atlantis", year=2024)
    with pytest.raises(InputError, match="flow 'both' is not one of: imports, exports, total"):
        share(store, "MEX", flow="both", year=2024)
    with pytest.raises(InputError, match="month 3 was given without a year"):
        share(store, "MEX", month=3)


def test_as_of_reads_the_older_vintage(full_store, shared_raw):
    old = old_country_rows(shared_raw, 2022)["2010"]["IJAN"]
    new = new_country_rows(shared_raw, 2022)["MEX"]["IJAN"]
    current = share(full_store, "MEX", year=2022, month=1).figure("value")
    before = share(full_store, "MEX", year=2022, month=1, as_of="2022-03").figure("value")
    assert current.value == pytest.approx(float(new) * 1e6, abs=1)
    assert before.value == pytest.approx(float(old) * 1e6, abs=1)
    assert before.provenance.vintages == ("2022-03",)
    assert "own World" in before.provenance.notes[0]


def test_aggregates_have_no_share(full_store):
    with pytest.raises(UnknownCodeError, match=r"AGG_0003 \(European Union\) is an aggregate, not a country"):
        share(full_store, "0003", year=2024)


def test_world_row_of_an_older_release_is_not_mixed_with_newer_country_rows(full_store, shared_raw):
    rows = new_country_rows(shared_raw, 2022)
    world = sum(float(r["IJAN"]) for c, r in rows.items() if not c.startswith("AGG_"))
    fig = share(full_store, "MEX", year=2022, month=1).figure("share")
    assert fig.value == pytest.approx(100 * float(rows["MEX"]["IJAN"]) / world, rel=1e-9)
    assert "sum over countries" in " ".join(fig.provenance.notes)


def test_monthly_shares_and_ranks_for_a_year(full_store, shared_raw):
    rows = new_country_rows(shared_raw, 2025)
    countries = {c: r for c, r in rows.items() if not c.startswith("AGG_")}
    table = share(full_store, "MEX", year=2025, monthly=True)
    assert [r.keys[1] for r in table.rows] == [f"2025-{m:02d}" for m in range(1, 13)]
    for month in ("JAN", "FEB"):
        values = {c: float(r["I" + month]) for c, r in countries.items()}
        period = "2025-01" if month == "JAN" else "2025-02"
        assert table.figure("rank", period=period).value == rank_of(values, "MEX")
