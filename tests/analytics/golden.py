"""Independent readers of the official files for the golden tests: plain csv, no nearshore code."""

from __future__ import annotations

import csv
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "analytics" / "golden.csv"
COUNTRY_DIR = "census_country_trade"


def recorded() -> dict[str, tuple[float, float]]:
    """figure -> (value, tolerance) as recorded in tests/data/analytics/golden.csv."""
    with GOLDEN.open(newline="", encoding="utf-8") as handle:
        return {r["figure"]: (float(r["value"]), float(r["tolerance"])) for r in csv.DictReader(handle)}


def old_country_rows(raw: Path, year: int) -> dict[str, dict[str, str]]:
    """Rows of the 1985-2022 Census file for one year, by CTY_CODE."""
    with (raw / COUNTRY_DIR / "census_country_xlsx_1985_2022jan.csv").open(newline="", encoding="utf-8") as h:
        return {r["CTY_CODE"]: r for r in csv.DictReader(h) if int(float(r["year"])) == year}


def new_country_rows(raw: Path, year: int) -> dict[str, dict[str, str]]:
    """Rows of the 2022-2025 Census file for one year, by country_code (ISO3 or AGG_xxxx)."""
    path = raw / COUNTRY_DIR / "census_country_all_partners_2022_2025.csv"
    with path.open(newline="", encoding="utf-8") as h:
        return {r["country_code"]: r for r in csv.DictReader(h) if int(float(r["year"])) == year}


def rank_of(values: dict[str, float], key: str) -> int:
    return 1 + sum(1 for k, v in values.items() if v > values[key])


def dataweb_month(raw: Path, year: int, month: int, cty: str) -> tuple[float, float]:
    """(total_value, usmca_value) summed over one DataWeb monthly file for one country code."""
    path = raw / "usitc_dataweb_usmca_utilization" / f"usmca_product_shares_{year}_{month:02d}.csv"
    total = claimed = 0.0
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["cty_code"] == cty:
                total += float(row["total_value"])
                claimed += float(row["usmca_value"])
    return total, claimed


def duties(raw: Path, iso3: str, year: int) -> list[dict[str, str]]:
    path = raw / "census_duties_by_country" / "census_calculated_duties_can_mex_chn_2018_2025_monthly.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["country_code_iso3"] == iso3 and int(r["year"]) == year]
