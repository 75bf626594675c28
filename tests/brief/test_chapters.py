"""The 2024 brief's composition by HS chapter against the official Census file, summed here with the csv module
(a path that shares no code with nearshore): U.S. general imports from Mexico by chapter, 12 months of 2024, from
../shared/data/raw/census_imports_hs2_country_monthly (Census code 2010 = Mexico)."""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from pathlib import Path

import pytest

from .conftest import Written, write

FILE = "census_imports_hs2_country_monthly/us_imports_hs2_country_monthly_2023_2024.csv.gz"
MEXICO = "2010"


@pytest.fixture(scope="module")
def mexico_2024(tmp_path_factory: pytest.TempPathFactory) -> Written:
    return write(tmp_path_factory.mktemp("chapters"), "--year", "2024", "--format", "md")


@pytest.mark.shared
def test_chapter_shares_equal_the_census_file(mexico_2024: Written, raw_dir: Path) -> None:
    by_chapter: dict[str, float] = defaultdict(float)
    with gzip.open(raw_dir / FILE, "rt", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["cty_code"] == MEXICO and row["year"] == "2024":
                by_chapter[row["hs2"]] += float(row["gen_val_mo"])
    total = sum(by_chapter.values())
    assert total == pytest.approx(505.52e9, rel=1e-3)  # SOURCE.md: Mexico $505.52B in 2024
    facts = mexico_2024.facts()
    for chapter in ("87", "84", "85", "90", "27"):
        assert facts[f"mex.chapter.{chapter}.value.2024"]["value"] == pytest.approx(by_chapter[chapter], abs=0.5)
        assert facts[f"mex.chapter.{chapter}.share.2024"]["value"] == pytest.approx(
            100 * by_chapter[chapter] / total, rel=1e-9
        )
    energy = facts["mex.sector.energy.value.2024"]["value"]
    assert energy == pytest.approx(by_chapter["27"], abs=0.5)  # a sector of whole chapters: chapter 27
    steel = sum(by_chapter[c] for c in ("72", "73", "76"))
    assert facts["mex.sector.steel-aluminum.value.2024"]["value"] == pytest.approx(steel, abs=0.5)
    md = mexico_2024.path(".md").read_text(encoding="utf-8")
    assert "| Vehicles and parts (chapter 87) | 27.0%[^mex.chapter.87.share.2024] |" in md
    assert "sector-composition.svg" in md
