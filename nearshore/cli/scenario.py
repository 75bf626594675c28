"""`nearshore scenario`: what a tariff or a rule change would do. `gravity estimate|counterfactual` for now."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import typer

from nearshore.cli.output import FORMAT_OPTION, Format, emit, handle_errors, note

if TYPE_CHECKING:
    from nearshore.scenarios.gravity.panel import Columns
    from nearshore.scenarios.result import ScenarioResult

app = typer.Typer(
    help="Scenarios: structural gravity estimates and general-equilibrium counterfactuals.\n\n"
    "Example: nearshore scenario gravity counterfactual --data panel.csv --year 2006 --beta pta=0.47 "
    "--set pta=0:USA,CAN,MEX",
    no_args_is_help=True,
)
gravity = typer.Typer(
    help="Structural gravity (Yotov et al. 2016; Anderson, Larch & Yotov 2018).\n\n"
    "Example: nearshore scenario gravity estimate --data panel.csv --log-x dist --x rta --years 1986-2006/4",
    no_args_is_help=True,
)
app.add_typer(gravity, name="gravity")

DATA = typer.Option(None, "--data", "-d", help="Panel file (CSV or Parquet): one row per exporter, importer, year.")
EXPORTER = typer.Option("exporter", "--exporter-col", help="Column with the exporter's ISO3 code.")
IMPORTER = typer.Option("importer", "--importer-col", help="Column with the importer's ISO3 code.")
YEAR_COL = typer.Option("year", "--year-col", help="Column with the year.")
TRADE = typer.Option("trade", "--trade-col", help="Column with the trade flow (>= 0; domestic flows included).")
PAIR = typer.Option(None, "--pair-col", help="Column with the pair id (default: the unordered pair of countries).")
X = typer.Option([], "--x", help="A trade-cost variable entered as it is (repeat: --x rta --x cntg).")
LOG_X = typer.Option([], "--log-x", help="A variable entered in logs, e.g. --log-x dist (becomes ln_dist).")
YEARS = typer.Option(None, "--years", help="Sample years: '1986-2006/4', '1986-2006' or '1986,1990'.")


def _columns(exporter: str, importer: str, year: str, trade: str, pair: str | None) -> Columns:
    from nearshore.scenarios.gravity.panel import Columns

    return Columns(exporter, importer, year, trade, pair)


def _show(result: ScenarioResult, table: str, fmt: Format) -> None:
    shown = result.table(table)
    rows = shown.table_rows() if fmt is Format.table else shown.plain_rows()
    emit(shown.headers(), rows, fmt, title=shown.title, footer=result.footer(), meta=result.summary())


@gravity.command("estimate")
@handle_errors
def estimate_cmd(
    data: Path = DATA,
    covariates: Path = typer.Option(
        None, "--covariates", help="Without --data: trade-cost file joined to the store's Comtrade flows."
    ),
    x: list[str] = X,
    log_x: list[str] = LOG_X,
    method: str = typer.Option("ppml", "--method", help="ppml or ols (log trade, zero flows dropped)."),
    pair_fe: bool = typer.Option(False, "--pair-fe", help="Country-pair fixed effects."),
    intra_fe: bool = typer.Option(False, "--intra-fe", help="One intra-national dummy per country."),
    domestic: bool = typer.Option(False, "--domestic", help="Keep intra-national flows (default: international)."),
    border_years: bool = typer.Option(False, "--border-years", help="International-border x year dummies."),
    years: str = YEARS,
    cluster: str = typer.Option("pair", "--cluster", help="pair (clustered by country pair) or none (robust)."),
    total: list[str] = typer.Option([], "--total", help="Also report the sum of these coefficients (repeat)."),
    exporter: str = EXPORTER,
    importer: str = IMPORTER,
    year_col: str = YEAR_COL,
    trade: str = TRADE,
    pair: str = PAIR,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Estimate a structural gravity equation by PPML (or OLS) with exporter-year and importer-year fixed effects.

    Standard errors are clustered by country pair. Needs the extra: pip install 'nearshore[scenarios]'.

    Example: nearshore scenario gravity estimate --data agtpa.csv.gz --pair-col pair_id --x rta --pair-fe
    --domestic --border-years --years 1986-2006/4
    """
    from nearshore.scenarios.gravity.estimate import GravitySpec
    from nearshore.scenarios.gravity.options import parse_years
    from nearshore.scenarios.gravity.service import EstimateRequest, run_estimate

    spec = GravitySpec(
        cast(Any, method),  # GravitySpec checks it against its closed set
        tuple(x),
        tuple(log_x),
        pair_fe,
        intra_fe,
        domestic,
        border_years,
        parse_years(years) if years else None,
        cast(Any, cluster),
        tuple(total),
    )
    request = EstimateRequest(spec, data, covariates, _columns(exporter, importer, year_col, trade, pair))
    _show(run_estimate(request).result, "coefficients", fmt)


@gravity.command("counterfactual")
@handle_errors
def counterfactual_cmd(
    data: Path = typer.Option(..., "--data", "-d", help="Panel file with every pair, domestic flows included."),
    year: int = typer.Option(None, "--year", "-y", help="Baseline year (needed when the file has several)."),
    set_: list[str] = typer.Option([], "--set", help="'rta=0:USA,CAN,MEX': a variable set among countries."),
    cost: list[str] = typer.Option([], "--cost", help="'CHN>USA:25': cost of CHN's goods in USA +25%."),
    tariff: list[str] = typer.Option([], "--tariff", help="'CHN>USA:25': USA's tariff on CHN +25 points."),
    beta: list[str] = typer.Option([], "--beta", help="A trade-cost coefficient, e.g. lndist=-0.39 (repeat)."),
    betas: Path = typer.Option(None, "--betas", help="CSV of coefficients: variable,coefficient."),
    policy: list[str] = typer.Option([], "--policy", help="Costs from pair fixed effects with this policy variable."),
    x: list[str] = X,
    log_x: list[str] = LOG_X,
    years: str = YEARS,
    sigma: float = typer.Option(7.0, "--sigma", help="Elasticity of substitution (> 1)."),
    reference: str = typer.Option("DEU", "--reference", help="Country whose inward resistance is 1."),
    closure: str = typer.Option("full", "--closure", help="full, one-step (gegravity's) or conditional."),
    output_col: str = typer.Option(None, "--output-col", help="Column with output Y (default: sum of flows)."),
    expenditure_col: str = typer.Option(None, "--expenditure-col", help="Column with expenditure E."),
    tolerance: float = typer.Option(1e-10, "--tolerance", help="Largest relative price change at the solution."),
    max_iterations: int = typer.Option(10_000, "--max-iterations", min=1, help="Iteration limit."),
    table: str = typer.Option("countries", "--table", help="countries or pairs."),
    write: Path = typer.Option(None, "--write", help="Also write countries.csv, pairs.csv, result.json here."),
    exporter: str = EXPORTER,
    importer: str = IMPORTER,
    year_col: str = YEAR_COL,
    trade: str = TRADE,
    pair: str = PAIR,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No notes, only the result."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """General-equilibrium effects of a trade-cost change: per country and per pair.

    Trade costs come from --beta/--betas, from pair fixed effects (--policy), or are estimated by PPML
    on the year from --x/--log-x. The full closure solves prices, output and resistances jointly.

    Example: nearshore scenario gravity counterfactual --data sample.csv --beta pta=0.471 --beta lndist=-0.39
    --beta international=-3.41 --output-col Y --expenditure-col E --sigma 5 --set pta=1:CAN,JPN
    """
    from nearshore.analytics.result import choose
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

    choose(table, ("countries", "pairs"), "--table")
    choose(closure, ("full", "one-step", "conditional"), "--closure")
    given = {**(read_betas(betas) if betas else {}), **parse_betas(beta)} if (beta or betas) else None
    changes: tuple[Change, ...] = (*map(parse_set, set_), *map(parse_cost, cost), *map(parse_tariff, tariff))
    settings = GESettings(
        sigma, reference.upper(), cast(Any, closure), tolerance, max_iterations, output_col, expenditure_col
    )
    request = CounterfactualRequest(
        data,
        changes,
        year,
        settings,
        _columns(exporter, importer, year_col, trade, pair),
        given,
        f"file {betas}" if betas else "option --beta",
        tuple(policy),
        tuple(x),
        tuple(log_x),
        parse_years(years) if years else None,
    )
    outcome = run_counterfactual(request)
    if write is not None:
        for path in outcome.result.write(write):
            note(f"wrote {path}", quiet)
    _show(outcome.result, table, fmt)
