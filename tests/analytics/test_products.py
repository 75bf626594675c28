"""Sectors, concentration and USMCA utilisation against the DataWeb and Census files read with plain csv."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nearshore.analytics.concentration import concentration
from nearshore.analytics.sectors import all_sectors, composition, get_sector
from nearshore.analytics.utilisation import unclaimed, utilisation, utilisation_change
from nearshore.errors import DataNotFound, InputError
from tests.analytics.golden import dataweb_month, duties, new_country_rows, recorded

pytestmark = pytest.mark.shared


def _dataweb_rows(raw: Path, year: int, month: int, cty: str) -> list[dict[str, str]]:
    path = raw / "usitc_dataweb_usmca_utilization" / f"usmca_product_shares_{year}_{month:02d}.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["cty_code"] == cty]


@pytest.mark.parametrize("month", [1, 7])
def test_usmca_share_of_imports_from_mexico_dataweb(full_store, shared_raw, month):
    total, claimed = dataweb_month(shared_raw, 2025, month, "2010")
    expected = 100 * claimed / total
    golden, tol = recorded()[f"usmca_share_MEX_2025_{month:02d}_dataweb"]
    assert expected == pytest.approx(golden, abs=tol)
    table = utilisation(full_store, "MEX", year=2025, month=month)
    assert table.figure("share").value == pytest.approx(expected, rel=1e-12)
    assert table.figure("claimed").value == claimed
    assert table.figure("unclaimed").value == total - claimed


def test_usmca_share_census_series(full_store, shared_raw):
    claimed = float(new_country_rows(shared_raw, 2025)["AGG_0021"]["IJAN"]) * 1e6
    total = float(
        next(r for r in duties(shared_raw, "MEX", 2025) if r["month"] == "1")[
            "imports_for_consumption_customs_value_usd"
        ]
    )
    golden, tol = recorded()["usmca_share_MEX_2025_01_census"]
    assert 100 * claimed / total == pytest.approx(golden, abs=tol)
    fig = utilisation(full_store, "MEX", year=2025, month=1, source="census").figure("share")
    assert fig.value == pytest.approx(100 * claimed / total, rel=1e-9)
    assert fig.provenance.sources == ("census-country", "census-duties")


def test_utilisation_by_month_and_change_through_2025(full_store, shared_raw):
    table = utilisation(full_store, "CAN", year=2025, by="month")
    assert [r.keys[0] for r in table.rows] == [f"{m:02d}" for m in range(1, 13)]
    jan, dec = (dataweb_month(shared_raw, 2025, m, "1220") for m in (1, 12))
    change = utilisation_change(full_store, "CAN", start=(2025, 1), end=(2025, 12))
    assert change.unit == "pp"
    assert change.value == pytest.approx(100 * dec[1] / dec[0] - 100 * jan[1] / jan[0], rel=1e-9)


def test_utilisation_by_chapter_and_sector(full_store, shared_raw):
    rows = _dataweb_rows(shared_raw, 2025, 3, "2010")
    ch87 = [r for r in rows if r["hts10"].startswith("87")]
    expected = 100 * sum(float(r["usmca_value"]) for r in ch87) / sum(float(r["total_value"]) for r in ch87)
    table = utilisation(full_store, "MEX", year=2025, month=3, by="chapter")
    assert table.figure("share", chapter="87").value == pytest.approx(expected, rel=1e-9)
    auto = get_sector("automotive")
    in_auto = [r for r in rows if auto.covers(r["hts10"])]
    by_sector = utilisation(full_store, "MEX", year=2025, month=3, by="sector")
    expected_auto = sum(float(r["total_value"]) for r in in_auto)
    assert by_sector.figure("imports", sector="automotive").value == expected_auto


def test_unclaimed_products_are_ranked_by_unclaimed_value(full_store, shared_raw):
    rows = _dataweb_rows(shared_raw, 2025, 12, "1220")
    gaps = sorted(((float(r["total_value"]) - float(r["usmca_value"]), r["hts10"]) for r in rows), reverse=True)
    table = unclaimed(full_store, "CAN", year=2025, month=12, n=3)
    assert [r.keys[1] for r in table.rows] == [code for _, code in gaps[:3]]
    assert table.figure("unclaimed", rank=1).value == gaps[0][0]
    first = next(r for r in rows if r["hts10"] == gaps[0][1])
    claimed = table.figure("claimed_share", rank=1)
    assert claimed.value == pytest.approx(100 * float(first["usmca_value"]) / float(first["total_value"]), rel=1e-9)
    assert table.headers()[-1] == "claimed_share (%)"


def test_sector_composition_and_names(full_store, shared_raw):
    wanted = {"automotive", "electronics", "aerospace", "energy", "agriculture", "steel-aluminum", "medical-devices"}
    assert {s.id for s in all_sectors()} >= wanted
    assert all(s.basis and s.hs for s in all_sectors())
    rows = _dataweb_rows(shared_raw, 2025, 5, "1220")
    total = sum(float(r["total_value"]) for r in rows)
    energy = sum(float(r["total_value"]) for r in rows if r["hts10"].startswith("27"))
    table = composition(full_store, "CAN", year=2025, month=5, by="sector")
    assert table.figure("share", sector="energy").value == pytest.approx(100 * energy / total, rel=1e-9)
    chapters = composition(full_store, "CAN", year=2025, month=5, by="chapter")
    assert sum(f.value for f in chapters.column("share") if f) == pytest.approx(100.0)


def test_concentration_hhi_and_top_share(full_store, shared_raw):
    values: dict[str, float] = {}
    for r in _dataweb_rows(shared_raw, 2025, 2, "2010"):
        values[r["hts10"][:4]] = values.get(r["hts10"][:4], 0.0) + float(r["total_value"])
    values = {k: v for k, v in values.items() if v > 0}
    total = sum(values.values())
    hhi = sum((100 * v / total) ** 2 for v in values.values())
    top5 = 100 * sum(sorted(values.values(), reverse=True)[:5]) / total
    table = concentration(full_store, "MEX", year=2025, month=2, level=4, n=5)
    assert table.figure("hhi", rank="all").value == pytest.approx(hhi, rel=1e-9)
    assert table.figure("cumulative_share", rank="all").value == pytest.approx(top5, rel=1e-9)
    assert table.rows[-1].keys[1] == f"{len(values)} products"


def test_errors_name_what_is_wrong(full_store):
    with pytest.raises(InputError, match="USMCA utilisation is for imports from MEX or CAN, not CHN"):
        utilisation(full_store, "CHN", year=2025)
    with pytest.raises(
        DataNotFound,
        match=r"no data for DataWeb imports from MEX in 2024 \(12 months\): "
        r"the store holds years 2025-2026 \(monthly to 2026-02\)",
    ):
        utilisation(full_store, "MEX", year=2024)
    with pytest.raises(DataNotFound, match="DataWeb imports from MEX in 2026 \\(12 months\\)"):
        utilisation(full_store, "MEX", year=2026)
    with pytest.raises(InputError, match="sector 'toys' is not one of: automotive, electronics"):
        concentration(full_store, "MEX", year=2025, sector="toys")
    with pytest.raises(InputError, match="level 5 is not one of: 2, 4, 6, 8, 10"):
        concentration(full_store, "MEX", year=2025, level=5)
    with pytest.raises(InputError, match="no product detail"):
        utilisation(full_store, "MEX", year=2025, by="chapter", source="census")


def test_sections_use_the_hs_reference_when_present(full_store):
    try:
        from nearshore.data.reference import hs  # noqa: F401
    except ImportError:
        with pytest.raises(InputError, match=r"grouping by HS section needs nearshore\.data\.reference\.hs"):
            composition(full_store, "MEX", year=2025, month=1, by="section")
        return
    table = composition(full_store, "MEX", year=2025, month=1, by="section")
    chapters = composition(full_store, "MEX", year=2025, month=1, by="chapter")
    national = sum(f.value for f in chapters.column("share") if f and dict(f.subject)["chapter"] in ("98", "99"))
    assert sum(f.value for f in table.column("share") if f) == pytest.approx(100.0 - national)
    assert table.figure("share", section="XVII").value > 10
