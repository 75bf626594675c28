"""A brief for a year without DataWeb HTS10 claims (2024 in the snapshot) takes the USMCA-claimed shares
from the Census series (aggregate 0021 over Census imports for consumption) instead of leaving them out."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from .conftest import Written, write

COUNTRY = "census_country_trade/census_country_all_partners_2022_2025.csv"
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
DUTIES = "census_duties_by_country/census_calculated_duties_can_mex_chn_2018_2025_monthly.csv"


@pytest.fixture(scope="module")
def mexico_2024(tmp_path_factory: pytest.TempPathFactory) -> Written:
    return write(tmp_path_factory.mktemp("mex2024"), "--year", "2024", "--format", "md,html")


def _census_claimed_share(raw: Path, month: int) -> float:
    """USMCA-claimed imports from Mexico (Census aggregate 0021, $M) over Census imports for consumption."""
    with (raw / COUNTRY).open(newline="", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["census_cty_code"] == "0021" and r["year"] == "2024")
    claimed = float(row["I" + MONTHS[month - 1]]) * 1e6
    with (raw / DUTIES).open(newline="", encoding="utf-8") as handle:
        total = next(
            float(r["imports_for_consumption_customs_value_usd"])
            for r in csv.DictReader(handle)
            if r["country_code_iso3"] == "MEX" and r["year"] == "2024" and r["month"] == str(month)
        )
    return 100.0 * claimed / total


def test_usmca_section_uses_the_census_series(mexico_2024: Written, raw_dir: Path) -> None:
    facts = mexico_2024.facts()
    for month in (1, 12):
        fact = facts[f"mex.usmca.share.2024-{month:02d}"]
        assert fact["source"] == "census-country; census-duties"
        # Census rounds the 0021 series to $0.1M: a tolerance of 0.01 points is ample
        assert fact["value"] == pytest.approx(_census_claimed_share(raw_dir, month), abs=0.01)
    md = mexico_2024.path(".md").read_text(encoding="utf-8")
    assert "## USMCA claims and the duty paid" in md
    assert "in December 2024" in md.replace("\n", " ")
    html = mexico_2024.path(".html").read_text(encoding="utf-8")
    assert (
        "Source: U.S. Census Bureau, USMCA-claimed imports (FT-900 series 0021/0022) over imports "
        "for consumption.</figcaption>"
    ) in html
    assert "USMCA-claimed shares are the Census USMCA-claimed imports for consumption" in html


def test_sources_line_names_each_source_once(mexico_2024: Written) -> None:
    html = mexico_2024.path(".html").read_text(encoding="utf-8")
    line = next(x for x in html.splitlines() if x.startswith("<p>Sources: "))
    names = [part.split(" (")[0] for part in line.removeprefix("<p>Sources: ").removesuffix(".</p>").split("; ")]
    assert len(names) == len(set(names)), line
    assert "U.S. Census Bureau, U.S. International Trade in Goods by country" in names
    assert "U.S. Census Bureau, International Trade API, imports for consumption and calculated duties" in names
    assert "U.S. Census Bureau, International Trade API, U.S. general imports by HS chapter and country" in names
    assert sum(name.startswith("nearshore tariff policy file") for name in names) == 1
