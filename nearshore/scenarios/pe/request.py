"""What a PE tariff simulation is asked to do (`simulate_tariff`), checked when it is made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from nearshore.analytics.result import choose
from nearshore.errors import InputError
from nearshore.scenarios.pe.market import LEVELS, Level


@dataclass(frozen=True)
class TariffRequest:
    """What to simulate.

    scenario       a scenario file (YAML: policy edits, see scenario_file.py), or None with `at`
    at             the scenario's date: the engine at another date (overrides the file's `date`)
    baseline_date  the tariffs before (default: the policy's last recorded action)
    level          hts10 (DataWeb HTS10 x partner) or hs2 (Census HS chapter x every partner)
    year           the market year (default: the latest complete year in the store)
    products       HS prefixes to keep; partners: ISO3 codes to keep
    elasticities   a CSV of elasticities by HS prefix over the shipped table
    export_supply  one export supply elasticity for every product (inf allowed), over the table
    top            products listed in the products table (largest absolute effect first; 0 = all)
    as_of          read the store as it stood at this vintage
    """

    scenario: Path | None = None
    at: dt.date | None = None
    baseline_date: dt.date | None = None
    level: Level = "hts10"
    year: int | None = None
    products: tuple[str, ...] | None = None
    partners: tuple[str, ...] | None = None
    elasticities: Path | None = None
    export_supply: float | None = None
    top: int = 50
    as_of: str | None = None

    def __post_init__(self) -> None:
        choose(self.level, LEVELS, "level")
        if self.scenario is None and self.at is None:
            raise InputError("give a scenario file, or the date to compare with (--at YYYY-MM-DD)", field="scenario")
        if self.export_supply is not None and not self.export_supply > 0:
            raise InputError(
                f"export supply elasticity {self.export_supply} has the wrong sign: it is positive (inf for infinite)",
                field="export_supply",
                value=self.export_supply,
            )
        if self.top < 0:
            raise InputError(
                f"top {self.top} is negative: give the number of products to list (0 = all)",
                field="top",
                value=self.top,
            )


__all__ = ["TariffRequest"]
