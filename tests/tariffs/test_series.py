"""The tariff series, worked by hand on a small store: four HTS lines, a year of DataWeb rows for Mexico and of
Census chapter rows for Viet Nam and Mexico.

Rates are the HTS 2025 Basic Edition's (copied into `MINI_HTS` below): 4202.21.60.00 general 10%, 4202.21.90.00
9%, 4202.22.15.00 16%, 6109.10.00 16.5%, all Free under USMCA (S). Policy (version 2026.12.1, each rate from its
order): IEEPA Mexico 25% from 2025-03-04 (EO 14194), USMCA goods exempt from 2025-03-07 (9903.01.04), ended
2026-02-23; Section 122 10% from 2026-02-24 to 2026-07-23, USMCA goods exempt (9903.03.07/.08); reciprocal 10%
from 2025-04-05, Viet Nam 46% on 2025-04-09, 10% again from 2025-04-10 and 20% from 2025-08-07 (EO 14257,
EO 14266, EO 14326 Annex I). None of the four lines is in Annex II, note 2(aa)(ii) or a Section 232 list.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nearshore.data.batch import Batch
from nearshore.data.sources import hts
from nearshore.data.store import Store
from nearshore.errors import DataNotFound, InputError
from nearshore.tariffs.policy import load_policy
from nearshore.tariffs.schedule import load_schedule
from nearshore.tariffs.series import tariff_series

HEADER = (
    '"HTS Number","Indent","Description","Unit of Quantity","General Rate of Duty","Special Rate of Duty",'
    '"Column 2 Rate of Duty","Quota Quantity","Additional Duties"'
)
MINI_HTS = [
    HEADER,
    '"4202","0","Trunks, suitcases and similar containers:","","","","","",""',
    '"4202.21","2","With outer surface of leather or of composition leather:","","","","","",""',
    '"4202.21.60.00","4","Valued not over $20 each","[""No.""]","10%","Free (A,AU,S,SG) 8% (E)","35%","",""',
    '"4202.21.90.00","4","Valued over $20 each","[""No.""]","9%","Free (A,AU,S,SG) 7.2% (E)","35%","",""',
    '"4202.22","2","With outer surface of sheeting of plastics or of textile materials:","","","","","",""',
    '"4202.22.15.00","3","With outer surface of sheeting of plastics","[""No.""]","16%","Free (A,AU,S,SG)","45%","",""',
    '"6109","0","T-shirts, singlets, tank tops and similar garments, knitted or crocheted:","","","","","",""',
    '"6109.10.00","1","Of cotton","","16.5%","Free (AU,S,SG)","90%","",""',
    '"6109.10.00.12","4","Men\'s (338)","[""doz."",""kg""]","","","","",""',
]
# Mexico by month: line -> (value, claimed January-June, claimed July-December)
MEX_MONTHLY = {
    "4202216000": (100.0, 40.0, 60.0),  # a year of $1,200: 50% claimed, 60% in July-December
    "6109100012": (200.0, 0.0, 0.0),  # $2,400, never claimed
    "4202216010": (25.0, 0.0, 0.0),  # $300, not in the revision: rated as 4202.21.60 (its 8-digit subheading)
    "9801001012": (50.0, 0.0, 0.0),  # $600, chapter 98: unrated, kept at 0
}
# Census general imports by chapter, per month
VNM_MONTHLY = {"42": 100.0, "61": 300.0, "99": 50.0}  # $1,200 / $3,600 / $600 a year
MEX_CHAPTERS = {"42": 750.0}  # $9,000 a year


def _trade(rows: list[dict[str, object]], source: str) -> Batch:
    common = {
        "reporter": "USA",
        "partner_kind": "country",
        "flow": "imports",
        "year": 2024 if source == "census-hs2" else 2025,
        "quantity": None,
        "unit": None,
        "duty_usd": None,
        "classification": "HS",
    }
    full = [{**common, **r} for r in rows]
    columns = {name: [r[name] for r in full] for name in full[0]}
    return Batch.from_columns(
        source=source, target="trade_flows", origin="hand", checksum=source, vintage="2026-05", columns=columns
    )


def _dataweb() -> Batch:
    mex = {"partner": "MEX", "partner_code": "2010", "partner_name": "Mexico", "basis": "consumption", "level": 10}
    rows: list[dict[str, object]] = []
    for month in range(1, 13):
        for code, (value, early, late) in MEX_MONTHLY.items():
            claimed = early if month <= 6 else late
            rows.append({**mex, "month": month, "commodity": code, "value_usd": value, "program": "ALL"})
            rows.append({**mex, "month": month, "commodity": code, "value_usd": claimed, "program": "USMCA"})
    return _trade(rows, "dataweb")


def _chapters() -> Batch:
    who = {
        "VNM": ("5520", "Vietnam", VNM_MONTHLY),
        "MEX": ("2010", "Mexico", MEX_CHAPTERS),
    }
    rows: list[dict[str, object]] = []
    for partner, (code, name, chapters) in who.items():
        for month in range(1, 13):
            for chapter, value in chapters.items():
                rows.append(
                    {
                        "partner": partner,
                        "partner_code": code,
                        "partner_name": name,
                        "basis": "general",
                        "level": 2,
                        "month": month,
                        "commodity": chapter,
                        "value_usd": value,
                        "program": "ALL",
                    }
                )
    return _trade(rows, "census-hs2")


@pytest.fixture
def mini(store: Store, tmp_path: Path):
    path = tmp_path / "hts_2025_basic_edition.csv"
    path.write_text("\n".join(MINI_HTS) + "\n", encoding="utf-8")
    hts.load(store, path)
    store.load(_dataweb())
    store.load(_chapters())
    return store, load_schedule(store, "2025-basic")


def _series(mini, partners, **kw):
    store, schedule = mini
    return tariff_series(
        store, schedule, load_policy(), partners=partners, start=date(2025, 1, 1), end=date(2026, 12, 31), **kw
    )


def test_mexico_by_hts10_line_with_second_half_claims(mini):
    """$4,500 a year. Claimed shares (July-December): A 60%, the rest 0.

    Before March: A $480 unclaimed x 10% = $48; B $2,400 x 16.5% = $396; C $300 x 10% = $30; D unrated:
    $474 / $4,500 = 10.533%. 4-6 March (no USMCA exemption yet): + 25% on all of A, B, C ($3,900) = $975 ->
    $1,449 = 32.2%. From 7 March: + 25% on the unclaimed $3,180 = $795 -> $1,269 = 28.2%. From 2026-02-24:
    Section 122 10% on the unclaimed $318 -> $792 = 17.6%. From 2026-07-24: 10.533% again.
    """
    series = _series(mini, ["MEX"])
    steps = series.of("MEX")
    assert [(s.start, s.end) for s in steps] == [
        (date(2025, 1, 1), date(2025, 3, 3)),
        (date(2025, 3, 4), date(2025, 3, 6)),
        (date(2025, 3, 7), date(2026, 2, 23)),
        (date(2026, 2, 24), date(2026, 7, 23)),
        (date(2026, 7, 24), date(2026, 12, 31)),
    ]
    assert [s.total for s in steps] == pytest.approx([474 / 4500, 1449 / 4500, 1269 / 4500, 792 / 4500, 474 / 4500])
    april = series.at("MEX", date(2025, 4, 10))
    assert april.rates["mfn"] == pytest.approx(474 / 4500)
    assert april.rates["ieepa_fentanyl"] == pytest.approx(795 / 4500)
    assert series.at("MEX", date(2026, 3, 1)).rates["s122"] == pytest.approx(318 / 4500)
    (basis,) = series.bases
    assert (basis.level, basis.imports, basis.unrated) == ("HTS10", 4500.0, 600.0)
    assert basis.claimed == pytest.approx(720 / 4500)
    assert "6.7% of the value on codes the schedule revision lacks" in basis.text


def test_the_claim_assumption_changes_only_the_claimed_lines(mini):
    """On 2025-04-10 with A's year share (50%): A $600 x 35% = $210; B $996; C $105 -> $1,311 = 29.13%.
    With no claims: A $1,200 x 35% = $420 -> $1,521 = 33.8%."""
    assert _series(mini, ["MEX"], claims="year").at("MEX", date(2025, 4, 10)).total == pytest.approx(1311 / 4500)
    assert _series(mini, ["MEX"], claims="none").at("MEX", date(2025, 4, 10)).total == pytest.approx(1521 / 4500)


def test_a_partner_weighted_by_chapter_takes_the_plain_mean_of_its_lines(mini):
    """Viet Nam, $5,400 a year. Chapter 42: lines at 10%, 9%, 16% -> MFN mean 11.667%; chapter 61: 16.5%;
    chapter 99 unrated. MFN: ($1,200 x 11.667% + $3,600 x 16.5%) / $5,400 = $734 / $5,400 = 13.59%.
    Reciprocal 20% on chapters 42 and 61 from 2025-08-07: $960 / $5,400 = 17.78%; 46% on 2025-04-09 only."""
    series = _series(mini, ["VNM"])
    september = series.at("VNM", date(2025, 9, 1))
    assert september.rates["mfn"] == pytest.approx(734 / 5400)
    assert september.rates["ieepa_reciprocal"] == pytest.approx(960 / 5400)
    assert september.total == pytest.approx(1694 / 5400)
    assert series.at("VNM", date(2025, 4, 9)).rates["ieepa_reciprocal"] == pytest.approx(4800 * 0.46 / 5400)
    assert series.at("VNM", date(2025, 4, 9)).end == date(2025, 4, 9)
    assert series.at("VNM", date(2025, 1, 2)).total == pytest.approx(734 / 5400)
    (basis,) = series.bases
    assert (basis.level, basis.imports, basis.unrated) == ("HS2", 5400.0, 600.0)


def test_all_weights_every_partner_by_its_chapter_file_total(mini):
    """ALL on 2025-09-01: Mexico's HTS10 rate (28.2%) counts for its Census $9,000, Viet Nam's (31.37%) for
    $5,400: ($9,000 x 28.2% + $1,694) / $14,400 = $4,232 / $14,400 = 29.39%."""
    series = _series(mini, ["ALL", "MEX"])
    assert series.at("ALL", date(2025, 9, 1)).total == pytest.approx(4232 / 14400)
    assert series.at("MEX", date(2025, 9, 1)).total == pytest.approx(1269 / 4500)
    assert series.bases[0].imports == 14400.0
    assert series.partners == ("ALL", "MEX")


def test_mexico_by_chapter_on_request(mini):
    """--weights hs2: Mexico's chapter 42 at the mean of its three lines without a claim on 2025-09-01:
    (35% + 34% + 41%) / 3 = 36.67%."""
    series = _series(mini, ["MEX"], weights="hs2")
    assert series.at("MEX", date(2025, 9, 1)).total == pytest.approx(1.10 / 3)
    assert series.bases[0].level == "HS2"


def test_daily_rows_carry_each_step_forward(mini):
    series = _series(mini, ["MEX"])
    days = list(series.daily())
    assert len(days) == (date(2026, 12, 31) - date(2025, 1, 1)).days + 1
    assert days[62][0] == date(2025, 3, 4)
    assert days[62][1].total == pytest.approx(1449 / 4500)
    assert days[61][1].total == pytest.approx(474 / 4500)


def test_bad_requests_say_what_to_fix(mini):
    with pytest.raises(InputError, match="--claims 'monthly' is not one of second-half, year, none"):
        _series(mini, ["MEX"], claims="monthly")
    with pytest.raises(InputError, match="--weights 'hs10' is not one of auto, hs2"):
        _series(mini, ["MEX"], weights="hs10")
    with pytest.raises(DataNotFound, match="no imports from CHN"):
        _series(mini, ["CHN"])
    with pytest.raises(DataNotFound, match="all twelve months of 2024"):
        _series(mini, ["MEX"], hts10_year=2024)
    store, schedule = mini
    with pytest.raises(InputError, match="is before --from"):
        tariff_series(store, schedule, load_policy(), partners=["MEX"], start=date(2025, 5, 1), end=date(2025, 4, 1))
