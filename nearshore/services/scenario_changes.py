"""Scenarios as services: what a tariff change does to trade (the partial-equilibrium model, WITS-SMART) and what
a rule-of-origin change does to a portfolio of BOMs.

Each service turns its request into the engine's own request (nearshore/scenarios/pe/request.py,
nearshore/scenarios/rules/request.py) and returns one table of the engine's `ScenarioResult` as rows, its
assumptions and provenance as notes, and the whole `ScenarioResult` as payload (every table, the assumptions).
Neither writes files: the command line's `--write` writes the payload's tables where the user asks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from nearshore.analytics.result import choose
from nearshore.errors import InputError
from nearshore.services.base import Context, Result, service
from nearshore.services.fields import Request, arg, opt
from nearshore.services.scenarios import scenario_table

if TYPE_CHECKING:
    from nearshore.scenarios.result import ScenarioResult


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} {text!r} is not a date: write YYYY-MM-DD", field=option, value=text) from None


@dataclass(frozen=True, kw_only=True)
class ScenarioTariffRequest(Request):
    scenario: Annotated[Path | None, arg("Scenario file (YAML): policy edits the tariff engine applies.")] = None
    at: Annotated[str | None, opt("The scenario's date (the engine at another date), YYYY-MM-DD.", "--at")] = None
    date: Annotated[str | None, opt("Baseline date (default: the policy's last recorded action).", "--date")] = None
    level: Annotated[
        Literal["hts10", "hs2"], opt("hts10 (DataWeb HTS10 x partner) or hs2 (chapters, every partner).", "--level")
    ] = "hts10"
    year: Annotated[int | None, opt("Market year (default: the latest complete year).", "--year", "-y")] = None
    products: Annotated[tuple[str, ...], opt("Keep HS prefixes (repeat).", "--product")] = ()
    partners: Annotated[tuple[str, ...], opt("Keep ISO3 partners (repeat).", "--partner")] = ()
    elasticities: Annotated[
        Path | None, opt("CSV code,import_demand,substitution,export_supply.", "--elasticities")
    ] = None
    export_supply: Annotated[float | None, opt("One export supply elasticity (inf allowed).", "--export-supply")] = None
    top: Annotated[int, opt("Products listed (largest effect first; 0 = all).", "--top", min=0)] = 50
    table: Annotated[str, opt("totals, partners, sectors, products or elasticities.", "--table")] = "partners"
    as_of: Annotated[str | None, opt("Read the store as it stood at this vintage.", "--as-of")] = None

    def __post_init__(self) -> None:
        super().__post_init__()
        from nearshore.scenarios.pe.report import TABLES

        choose(self.table, TABLES, "--table")
        _date(self.at, "--at"), _date(self.date, "--date")


@service("scenario.tariff", ScenarioTariffRequest)
def scenario_tariff(ctx: Context, r: ScenarioTariffRequest) -> Result[ScenarioResult]:
    """Partial-equilibrium effects of a tariff scenario (WITS-SMART) by partner, sector and product."""
    from nearshore.scenarios.pe.request import TariffRequest
    from nearshore.scenarios.pe.service import simulate_tariff

    request = TariffRequest(
        r.scenario,
        _date(r.at, "--at"),
        _date(r.date, "--date"),
        r.level,
        r.year,
        r.products or None,
        tuple(p.upper() for p in r.partners) or None,
        r.elasticities,
        r.export_supply,
        r.top,
        r.as_of,
    )
    return scenario_table(simulate_tariff(ctx.db, request, progress=ctx.step), r.table)


@dataclass(frozen=True, kw_only=True)
class ScenarioRulesRequest(Request):
    portfolio: Annotated[Path, arg("BOMs: a .jsonl or .parquet file, or a folder with volumes.csv.")]
    changes: Annotated[Path, arg("The rule-change file (YAML).")]
    date: Annotated[str | None, opt("Determination date (default: the file's date, else today).", "--date")] = None
    duty_date: Annotated[str | None, opt("Date of the tariff rates (default: --date).", "--duty-date")] = None
    no_fixes: Annotated[bool, opt("Skip the search for each BOM's cheapest fix.", "--no-fixes")] = False
    top: Annotated[int, opt("BOMs listed (0 = every BOM that flips).", "--top", min=0)] = 100
    workers: Annotated[
        int, opt("Processes judging parts of a large .jsonl file (for idle cores).", "--workers", min=1, max=64)
    ] = 1
    table: Annotated[str, opt("totals or boms.", "--table")] = "boms"

    def __post_init__(self) -> None:
        super().__post_init__()
        from nearshore.scenarios.rules.report import TABLES

        choose(self.table, TABLES, "--table")
        _date(self.date, "--date"), _date(self.duty_date, "--duty-date")


@service("scenario.rules", ScenarioRulesRequest)
def scenario_rules(ctx: Context, r: ScenarioRulesRequest) -> Result[ScenarioResult]:
    """A rule-of-origin change over a portfolio of BOMs: flips, margins, annual duty, cheapest fix, totals."""
    from nearshore.scenarios.rules.request import RulesRequest
    from nearshore.scenarios.rules.service import run_rules

    request = RulesRequest(
        r.portfolio,
        r.changes,
        _date(r.date, "--date"),
        _date(r.duty_date, "--duty-date"),
        not r.no_fixes,
        r.top,
        r.workers,
    )
    return scenario_table(run_rules(request, store=ctx.db, progress=ctx.step), r.table)


__all__ = ["ScenarioRulesRequest", "ScenarioTariffRequest", "scenario_rules", "scenario_tariff"]
