"""`nearshore scenario`: what a tariff or a rule change would do. `gravity estimate|counterfactual` for now."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from nearshore.cli.commands import command
from nearshore.cli.output import FORMAT_OPTION, Format, note, show
from nearshore.services import scenarios

if TYPE_CHECKING:
    from nearshore.services.base import Result

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
    if write is not None:  # every table and the assumptions as files, written whole (ScenarioResult.write)
        for path in result.payload.write(write):
            note(f"wrote {path}", quiet)
    show(result, fmt)
