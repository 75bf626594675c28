"""A small fact table for the writer's tests. The values are made up for the tests (round, easy to check by
eye), not official figures; the brief's real facts come from the analytics library."""

from __future__ import annotations

import pytest

from nearshore.writer.facts import Fact, FactTable

SRC = "Test fixture (made-up values)"


def fact(
    id: str, value: float, unit: str, period: str, label: str, comparison: str = "", decimals: int | None = None
) -> Fact:
    return Fact(
        id=id,
        value=value,
        unit=unit,
        period=period,
        label=label,
        source=SRC,
        vintage="2026-01",
        query=f"fixture:{id}",
        comparison=comparison,
        decimals=decimals,
    )


FACTS = (
    fact("mex.imports.value.2024", 505_851_000_000, "USD", "2024", "U.S. goods imports from Mexico"),
    fact("mex.imports.value.2023", 475_216_000_000, "USD", "2023", "U.S. goods imports from Mexico"),
    fact("mex.imports.growth.2024", 6.45, "percent", "2024", "Growth of U.S. imports from Mexico", "2023"),
    fact("mex.imports.share.2024", 15.49, "percent", "2024", "Mexico's share of U.S. goods imports"),
    fact("mex.imports.share.2019", 14.33, "percent", "2019", "Mexico's share of U.S. goods imports"),
    fact("mex.imports.share.change.2019_2024", 1.16, "pp", "2019-2024", "Change in Mexico's import share"),
    fact("mex.imports.rank.2024", 1, "rank", "2024", "Mexico's rank among U.S. import sources"),
    fact("mex.imports.rank.2019", 2, "rank", "2019", "Mexico's rank among U.S. import sources"),
    fact("can.imports.share.2024", 12.64, "percent", "2024", "Canada's share of U.S. goods imports"),
    fact("can.imports.rank.2024", 3, "rank", "2024", "Canada's rank among U.S. import sources"),
    fact("chn.imports.share.2024", 13.38, "percent", "2024", "China's share of U.S. goods imports"),
    fact("chn.imports.rank.2024", 2, "rank", "2024", "China's rank among U.S. import sources"),
    fact("mex.balance.2024", -171_809_000_000, "USD", "2024", "U.S. goods trade balance with Mexico"),
    fact("mex.exports.value.2024", 334_042_000_000, "USD", "2024", "U.S. goods exports to Mexico"),
    fact("mex.exports.growth.2024", -0.8, "percent", "2024", "Growth of U.S. exports to Mexico", "2023"),
    fact("mex.auto.share.2024", 31.4, "percent", "2024", "Automotive share of imports from Mexico"),
    fact("mex.auto.value.2024", 158_830_000_000, "USD", "2024", "U.S. automotive imports from Mexico"),
    fact("mex.electronics.share.2024", 22.05, "percent", "2024", "Electronics share of imports from Mexico"),
    fact("mex.aero.value.2024", 2_150_000_000, "USD", "2024", "U.S. aerospace imports from Mexico"),
    fact(
        "mex.usmca.share.2025-06",
        85.0,
        "percent",
        "2025-06",
        "USMCA-claimed share of dutiable-eligible imports",
    ),
    fact("mex.usmca.share.2024-06", 49.45, "percent", "2024-06", "USMCA-claimed share of imports"),
    fact("mex.usmca.change.2024_2025", 35.55, "pp", "2024-06..2025-06", "Change in USMCA-claimed share"),
    fact("mex.duty.rate.2025", 4.2, "percent", "2025", "Calculated duty rate on imports from Mexico"),
    fact("mex.usmca.share.2024", 49.74, "percent", "2024", "USMCA-claimed share of imports from Mexico"),
    fact("mex.usmca.share.2023", 50.6, "percent", "2023", "USMCA-claimed share of imports from Mexico"),
    fact("mex.usmca.share.2024-01", 50.5, "percent", "2024-01", "USMCA-claimed share of imports from Mexico"),
    fact("mex.usmca.share.2024-12", 48.7, "percent", "2024-12", "USMCA-claimed share of imports from Mexico"),
    fact("mex.usmca.change.2024-01_2024-12", -1.8, "pp", "2024-01..2024-12", "Change in the USMCA-claimed share"),
    fact("mex.usmca.unclaimed.2024", 254_200_000_000, "USD", "2024", "Imports from Mexico not claimed under USMCA"),
    fact("mex.duty.rate.2024", 0.24, "percent", "2024", "Calculated duty rate on imports from Mexico", decimals=2),
    fact("mex.ratio.imports_exports.2024", 1.514, "ratio", "2024", "Imports-to-exports ratio with Mexico"),
    fact("mex.share.peak.year", 2024, "year", "2015-2024", "Year of Mexico's highest import share"),
    fact("mex.partners.count.2024", 12_345, "count", "2024", "Number of importing firms (fixture)"),
)


@pytest.fixture
def facts() -> FactTable:
    return FactTable(FACTS, allowed_years=(2026,), meta={"topic": "us-mexico"})


ROLES = {
    "imports": "mex.imports.value.2024",
    "imports_growth": "mex.imports.growth.2024",
    "share": "mex.imports.share.2024",
    "share_prev": "mex.imports.share.2019",
    "share_change": "mex.imports.share.change.2019_2024",
    "rank": "mex.imports.rank.2024",
    "rank_prev": "mex.imports.rank.2019",
    "exports": "mex.exports.value.2024",
    "exports_growth": "mex.exports.growth.2024",
    "balance": "mex.balance.2024",
    "peak_year": "mex.share.peak.year",
    "sector:Automotive": "mex.auto.share.2024",
    "sector_value:Automotive": "mex.auto.value.2024",
    "sector:Electronics": "mex.electronics.share.2024",
    "usmca_share": "mex.usmca.share.2024",
    "usmca_share_prev_year": "mex.usmca.share.2023",
    "usmca_month_first": "mex.usmca.share.2024-01",
    "usmca_month_last": "mex.usmca.share.2024-12",
    "usmca_change": "mex.usmca.change.2024-01_2024-12",
    "usmca_unclaimed": "mex.usmca.unclaimed.2024",
    "duty_rate": "mex.duty.rate.2024",
    "auto_share": "mex.auto.share.2024",
    "china_share": "chn.imports.share.2024",
}
KEY_NUMBERS = (
    "mex.imports.value.2024",
    "mex.imports.share.2024",
    "mex.imports.rank.2024",
    "mex.balance.2024",
    "mex.usmca.share.2024",
)


@pytest.fixture
def outline():
    from nearshore.writer.template import standard_outline

    return standard_outline("us-mexico", "Mexico", 2024, ROLES, KEY_NUMBERS)
