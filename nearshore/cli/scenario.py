"""`nearshore scenario`: what a tariff or a rule change would do: `gravity estimate|counterfactual`, `tariff`
(partial equilibrium) and `rules` (a rule change over a portfolio of BOMs)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import typer

from nearshore.cli.output import FORMAT_OPTION, Format, emit, handle_errors, note

if TYPE_CHECKING:
    from nearshore.scenarios.gravity.panel import Columns
    from nearshore.scenarios.result import ScenarioResult

app = typer.Typer(
    help="Scenarios: structural gravity, partial-equilibrium tariff effects, rule changes over BOM portfolios.\n\n"
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


def _show(result: ScenarioResult, table: str, fmt: Format, quiet: bool = False) -> None:
    """Print one table; its footer (assumptions, sources, notes) unless `quiet` (JSON keeps them in its summary)."""
    shown = result.table(table)
    rows = shown.table_rows() if fmt is Format.table else shown.plain_rows()
    footer = () if quiet else result.footer()
    emit(shown.headers(), rows, fmt, title=shown.title, footer=footer, meta=result.summary())


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
    _finish(run_counterfactual(request).result, table, write, quiet, fmt)


def _date(text: str | None, option: str) -> Any:
    import datetime as dt

    from nearshore.errors import InputError

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} {text!r} is not a date: write YYYY-MM-DD", field=option, value=text) from None


def _finish(result: ScenarioResult, table: str, write: Path | None, quiet: bool, fmt: Format) -> None:
    if write is not None:
        for path in result.write(write):
            note(f"wrote {path}", quiet)
    _show(result, table, fmt, quiet)


@app.command("tariff")
@handle_errors
def tariff_cmd(
    scenario: Path = typer.Argument(None, help="Scenario file (YAML): policy edits the tariff engine applies."),
    at: str = typer.Option(None, "--at", help="The scenario's date (the engine at another date), YYYY-MM-DD."),
    date: str = typer.Option(None, "--date", help="Baseline date (default: the policy's last recorded action)."),
    level: str = typer.Option(
        "hts10", "--level", help="hts10 (DataWeb HTS10 x partner) or hs2 (chapters, every partner)."
    ),
    year: int = typer.Option(None, "--year", "-y", help="Market year (default: the latest complete year)."),
    products: list[str] = typer.Option([], "--product", help="Keep HS prefixes (repeat)."),
    partners: list[str] = typer.Option([], "--partner", help="Keep ISO3 partners (repeat)."),
    elasticities: Path = typer.Option(
        None, "--elasticities", help="CSV code,import_demand,substitution,export_supply."
    ),
    export_supply: float = typer.Option(None, "--export-supply", help="One export supply elasticity (inf allowed)."),
    top: int = typer.Option(50, "--top", min=0, help="Products listed (largest effect first; 0 = all)."),
    table: str = typer.Option("partners", "--table", help="totals, partners, sectors, products or elasticities."),
    as_of: str = typer.Option(None, "--as-of", help="Read the store as it stood at this vintage."),
    write: Path = typer.Option(None, "--write", help="Also write every table as CSV and result.json here."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only the table: no notes, assumptions or sources."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Partial-equilibrium effects of a tariff scenario (WITS-SMART): creation, diversion, price effect, revenue,
    consumer surplus and welfare, by partner, sector and product, with the elasticities used.

    Example: nearshore scenario tariff usmca_ch87.yaml --table partners
    """
    from nearshore.analytics.result import choose
    from nearshore.data.snapshot import open_store
    from nearshore.scenarios.pe.report import TABLES
    from nearshore.scenarios.pe.service import TariffRequest, simulate_tariff

    choose(table, TABLES, "--table")
    request = TariffRequest(
        scenario,
        _date(at, "--at"),
        _date(date, "--date"),
        cast(Any, level),  # TariffRequest checks it against its closed set
        year,
        tuple(products) or None,
        tuple(p.upper() for p in partners) or None,
        elasticities,
        export_supply,
        top,
        as_of,
    )
    with open_store(read_only=True) as store:
        result = simulate_tariff(store, request)
    _finish(result, table, write, quiet, fmt)


@app.command("rules")
@handle_errors
def rules_cmd(
    portfolio: Path = typer.Argument(..., help="BOMs: a .jsonl or .parquet file, or a folder with volumes.csv."),
    changes: Path = typer.Argument(..., help="The rule-change file (YAML)."),
    date: str = typer.Option(None, "--date", help="Determination date (default: the file's date, else today)."),
    duty_date: str = typer.Option(None, "--duty-date", help="Date of the tariff rates (default: --date)."),
    no_fixes: bool = typer.Option(False, "--no-fixes", help="Skip the search for each BOM's cheapest fix."),
    top: int = typer.Option(100, "--top", min=0, help="BOMs listed (0 = every BOM that flips)."),
    workers: int = typer.Option(
        1, "--workers", min=1, help="Processes judging parts of a large .jsonl file (for idle cores)."
    ),
    table: str = typer.Option("boms", "--table", help="totals or boms."),
    write: Path = typer.Option(None, "--write", help="Also write totals.csv, boms.csv and result.json here."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only the table: no notes, assumptions or sources."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """A rule-of-origin change over a portfolio of BOMs: which flip, by what margin, the annual duty consequence
    and the cheapest fix, with portfolio totals.

    Example: nearshore scenario rules portfolio.jsonl review.yaml --table totals
    """
    from nearshore.analytics.result import choose
    from nearshore.scenarios.rules.report import TABLES
    from nearshore.scenarios.rules.service import RulesRequest, run_rules

    choose(table, TABLES, "--table")
    request = RulesRequest(
        portfolio, changes, _date(date, "--date"), _date(duty_date, "--duty-date"), not no_fixes, top, workers
    )
    _finish(run_rules(request), table, write, quiet, fmt)
