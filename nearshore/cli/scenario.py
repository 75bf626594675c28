"""`nearshore scenario`: what a tariff or a rule change would do. `gravity estimate|counterfactual` for now."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from nearshore.cli.commands import command
from nearshore.cli.output import FORMAT_OPTION, Format, Table, note, plain_table, show
from nearshore.services import scenario_changes, scenarios

if TYPE_CHECKING:
    from nearshore.services.base import Result

app = typer.Typer(
    help="Scenarios: structural gravity estimates and general-equilibrium counterfactuals; a tariff change (partial "
    "equilibrium) and a rules-of-origin change over a BOM portfolio.\n\n"
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


@command(gravity, "estimate", scenarios.gravity_estimate)
def estimate(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """Estimate a structural gravity equation by PPML (or OLS) with exporter-year and importer-year fixed effects.

    Standard errors are clustered by country pair. Needs the extra: pip install 'nearshore[scenarios]'.

    Example: nearshore scenario gravity estimate --data agtpa.csv.gz --pair-col pair_id --x rta --pair-fe
    --domestic --border-years --years 1986-2006/4
    """
    show(result, fmt)


@command(gravity, "counterfactual", scenarios.gravity_counterfactual)
def counterfactual(
    result: Result[Any],
    write: Path = typer.Option(None, "--write", help="Also write countries.csv, pairs.csv, result.json here."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No notes, only the result."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """General-equilibrium effects of a trade-cost change: per country and per pair.

    Trade costs come from --beta/--betas, from pair fixed effects (--policy), or are estimated by PPML
    on the year from --x/--log-x. The full closure solves prices, output and resistances jointly.

    Example: nearshore scenario gravity counterfactual --data sample.csv --beta pta=0.471 --beta lndist=-0.39
    --beta international=-3.41 --output-col Y --expenditure-col E --sigma 5 --set pta=1:CAN,JPN
    """
    _finish(result, write, quiet, fmt)


WRITE = typer.Option(None, "--write", help="Also write every table as CSV and result.json here.")
QUIET = typer.Option(False, "--quiet", "-q", help="Only the table: no notes, assumptions or sources.")


def _table_alone(result: Result[Any]) -> Table:
    """The table without the notes under it (--quiet; JSON keeps them)."""
    return replace(plain_table(result), footer=())


def _finish(result: Result[Any], write: Path | None, quiet: bool, fmt: Format) -> None:
    if write is not None:  # every table and the assumptions as files, written whole (ScenarioResult.write)
        for path in result.payload.write(write):
            note(f"wrote {path}", quiet)
    show(result, fmt, _table_alone if quiet else plain_table, quiet=quiet)


@command(app, "tariff", scenario_changes.scenario_tariff)
def tariff(result: Result[Any], write: Path = WRITE, quiet: bool = QUIET, fmt: Format = FORMAT_OPTION) -> None:
    """Partial-equilibrium effects of a tariff scenario (WITS-SMART): creation, diversion, price effect, revenue,
    consumer surplus and welfare, by partner, sector and product, with the elasticities used.

    The scenario is a YAML file of edits to the tariff engine's policy data, or the engine at another date (--at).

    Example: nearshore scenario tariff docs/examples/scenarios/usmca_ch87.yaml --table partners
    """
    _finish(result, write, quiet, fmt)


@command(app, "rules", scenario_changes.scenario_rules)
def rules(result: Result[Any], write: Path = WRITE, quiet: bool = QUIET, fmt: Format = FORMAT_OPTION) -> None:
    """A rule-of-origin change over a portfolio of BOMs: which flip, by what margin, the annual duty consequence
    and the cheapest fix, with portfolio totals.

    Example: nearshore scenario rules portfolio.jsonl review_2026.yaml --table totals
    """
    _finish(result, write, quiet, fmt)
