"""Scenarios as services: structural gravity estimates and general-equilibrium counterfactuals.

Each service turns its request into the engine's own request (nearshore/scenarios/gravity/service.py) and
returns one table of the engine's `ScenarioResult` as rows (the coefficients; the countries or the pairs), its
assumptions and provenance as notes, and the whole `ScenarioResult` as payload (every table, the assumptions).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

from nearshore.analytics.result import choose
from nearshore.services.base import Context, Result, StoreAccess, figure_columns, figure_rows, service
from nearshore.services.fields import Request, opt

if TYPE_CHECKING:
    from nearshore.scenarios.gravity.panel import Columns
    from nearshore.scenarios.result import ScenarioResult

CLOSURES = ("full", "one-step", "conditional")
TABLES = ("countries", "pairs")
X = opt("A trade-cost variable entered as it is (repeat: --x rta --x cntg).", "--x")
LOG_X = opt("A variable entered in logs, e.g. --log-x dist (becomes ln_dist).", "--log-x")
YEARS = opt("Sample years: '1986-2006/4', '1986-2006' or '1986,1990'.", "--years")


@dataclass(frozen=True, kw_only=True)
class PanelColumns(Request):
    """Which column of the panel file holds what (the fields every gravity request shares)."""

    exporter: Annotated[str, opt("Column with the exporter's ISO3 code.", "--exporter-col")] = "exporter"
    importer: Annotated[str, opt("Column with the importer's ISO3 code.", "--importer-col")] = "importer"
    year_col: Annotated[str, opt("Column with the year.", "--year-col")] = "year"
    trade: Annotated[str, opt("Column with the trade flow (>= 0; domestic flows included).", "--trade-col")] = "trade"
    pair: Annotated[
        str | None, opt("Column with the pair id (default: the unordered pair of countries).", "--pair-col")
    ] = None

    def columns(self) -> Columns:
        from nearshore.scenarios.gravity.panel import Columns

        return Columns(self.exporter, self.importer, self.year_col, self.trade, self.pair)


@dataclass(frozen=True, kw_only=True)
class GravityEstimateRequest(PanelColumns):
    data: Annotated[
        Path | None, opt("Panel file (CSV or Parquet): one row per exporter, importer, year.", "--data", "-d")
    ] = None
    covariates: Annotated[
        Path | None, opt("Without --data: trade-cost file joined to the store's Comtrade flows.", "--covariates")
    ] = None
    x: Annotated[tuple[str, ...], X] = ()
    log_x: Annotated[tuple[str, ...], LOG_X] = ()
    method: Annotated[str, opt("ppml or ols (log trade, zero flows dropped).", "--method")] = "ppml"
    pair_fe: Annotated[bool, opt("Country-pair fixed effects.", "--pair-fe")] = False
    intra_fe: Annotated[bool, opt("One intra-national dummy per country.", "--intra-fe")] = False
    domestic: Annotated[bool, opt("Keep intra-national flows (default: international).", "--domestic")] = False
    border_years: Annotated[bool, opt("International-border x year dummies.", "--border-years")] = False
    years: Annotated[str | None, YEARS] = None
    cluster: Annotated[str, opt("pair (clustered by country pair) or none (robust).", "--cluster")] = "pair"
    total: Annotated[tuple[str, ...], opt("Also report the sum of these coefficients (repeat).", "--total")] = ()


def _estimate_access(r: GravityEstimateRequest) -> StoreAccess:
    """The store's Comtrade flows are read only without --data (and with the covariates to join them to)."""
    return "read" if r.data is None and r.covariates is not None else "none"


@service("scenario.gravity.estimate", GravityEstimateRequest, store=_estimate_access)
def gravity_estimate(ctx: Context, r: GravityEstimateRequest) -> Result[ScenarioResult]:
    """Estimate a structural gravity equation by PPML (or OLS) with exporter-year and importer-year fixed effects."""
    from nearshore.scenarios.gravity.estimate import GravitySpec
    from nearshore.scenarios.gravity.options import parse_years
    from nearshore.scenarios.gravity.service import EstimateRequest, run_estimate

    spec = GravitySpec(
        cast(Any, r.method),  # GravitySpec checks it against its closed set
        r.x,
        r.log_x,
        r.pair_fe,
        r.intra_fe,
        r.domestic,
        r.border_years,
        parse_years(r.years) if r.years else None,
        cast(Any, r.cluster),
        r.total,
    )
    request = EstimateRequest(spec, r.data, r.covariates, r.columns())
    return scenario_table(
        run_estimate(request, store=ctx.db if _estimate_access(r) == "read" else None).result, "coefficients"
    )


@dataclass(frozen=True, kw_only=True)
class GravityCounterfactualRequest(PanelColumns):
    data: Annotated[Path, opt("Panel file with every pair, domestic flows included.", "--data", "-d")]
    year: Annotated[int | None, opt("Baseline year (needed when the file has several).", "--year", "-y")] = None
    sets: Annotated[tuple[str, ...], opt("'rta=0:USA,CAN,MEX': a variable set among countries.", "--set")] = ()
    cost: Annotated[tuple[str, ...], opt("'CHN>USA:25': cost of CHN's goods in USA +25%.", "--cost")] = ()
    tariff: Annotated[tuple[str, ...], opt("'CHN>USA:25': USA's tariff on CHN +25 points.", "--tariff")] = ()
    beta: Annotated[tuple[str, ...], opt("A trade-cost coefficient, e.g. lndist=-0.39 (repeat).", "--beta")] = ()
    betas: Annotated[Path | None, opt("CSV of coefficients: variable,coefficient.", "--betas")] = None
    policy: Annotated[tuple[str, ...], opt("Costs from pair fixed effects with this policy variable.", "--policy")] = ()
    x: Annotated[tuple[str, ...], X] = ()
    log_x: Annotated[tuple[str, ...], LOG_X] = ()
    years: Annotated[str | None, YEARS] = None
    sigma: Annotated[float, opt("Elasticity of substitution (> 1).", "--sigma")] = 7.0
    reference: Annotated[str, opt("Country whose inward resistance is 1.", "--reference")] = "DEU"
    closure: Annotated[str, opt("full, one-step (gegravity's) or conditional.", "--closure")] = "full"
    output_col: Annotated[str | None, opt("Column with output Y (default: sum of flows).", "--output-col")] = None
    expenditure_col: Annotated[str | None, opt("Column with expenditure E.", "--expenditure-col")] = None
    tolerance: Annotated[float, opt("Largest relative price change at the solution.", "--tolerance")] = 1e-10
    max_iterations: Annotated[int, opt("Iteration limit.", "--max-iterations", min=1)] = 10_000
    table: Annotated[str, opt("countries or pairs.", "--table")] = "countries"

    def __post_init__(self) -> None:
        super().__post_init__()
        choose(self.table, TABLES, "--table")
        choose(self.closure, CLOSURES, "--closure")


@service("scenario.gravity.counterfactual", GravityCounterfactualRequest, store="none")
def gravity_counterfactual(ctx: Context, r: GravityCounterfactualRequest) -> Result[ScenarioResult]:
    """General-equilibrium effects of a trade-cost change: per country and per pair."""
    from nearshore.scenarios.gravity.changes import Change, GESettings
    from nearshore.scenarios.gravity.options import (
        parse_betas,
        parse_cost,
        parse_set,
        parse_tariff,
        parse_years,
        read_betas,
    )
    from nearshore.scenarios.gravity.service import CounterfactualRequest, run_counterfactual

    given = {**(read_betas(r.betas) if r.betas else {}), **parse_betas(r.beta)} if (r.beta or r.betas) else None
    changes: tuple[Change, ...] = (*map(parse_set, r.sets), *map(parse_cost, r.cost), *map(parse_tariff, r.tariff))
    settings = GESettings(
        r.sigma,
        r.reference.upper(),
        cast(Any, r.closure),
        r.tolerance,
        r.max_iterations,
        r.output_col,
        r.expenditure_col,
    )
    request = CounterfactualRequest(
        r.data,
        changes,
        r.year,
        settings,
        r.columns(),
        given,
        f"file {r.betas}" if r.betas else "option --beta",
        r.policy,
        r.x,
        r.log_x,
        parse_years(r.years) if r.years else None,
    )
    return scenario_table(run_counterfactual(request).result, r.table)


def scenario_table(scenario: ScenarioResult, name: str) -> Result[ScenarioResult]:
    """One table of a scenario as the rows (values in each column's display unit at full precision), the
    assumptions and provenance as notes, the whole scenario as payload."""
    table = scenario.table(name)
    return Result(
        title=table.title,
        columns=figure_columns(table),
        rows=figure_rows(table),
        payload=scenario,
        notes=tuple(scenario.footer()),
        provenance=scenario.provenance,
    )


__all__ = [
    "GravityCounterfactualRequest",
    "GravityEstimateRequest",
    "PanelColumns",
    "gravity_counterfactual",
    "gravity_estimate",
    "scenario_table",
]
