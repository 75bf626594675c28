"""One call per command: read the panel, build what is needed, estimate or simulate.

The command line (and later the API) fills a request and calls `run_estimate` or `run_counterfactual`; these
decide which columns to read, where trade costs come from, and return the library's results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nearshore.errors import InputError
from nearshore.scenarios.gravity.changes import CONSTANTS, Change, GESettings, SetVariable
from nearshore.scenarios.gravity.costs import TradeCosts, given_costs, pair_costs, variable_costs
from nearshore.scenarios.gravity.counterfactual import GEOutcome, simulate
from nearshore.scenarios.gravity.estimate import GravityEstimate, GravitySpec, estimate
from nearshore.scenarios.gravity.panel import Columns, Panel, header_of, read_panel
from nearshore.scenarios.gravity.store import store_panel

if TYPE_CHECKING:
    from nearshore.data.store import Store


@dataclass(frozen=True)
class EstimateRequest:
    """`data` a panel file, or None for the store's Comtrade loads joined with `covariates`."""

    spec: GravitySpec
    data: Path | None = None
    covariates: Path | None = None
    columns: Columns = field(default_factory=Columns)


@dataclass(frozen=True)
class CounterfactualRequest:
    """Trade costs: `betas` given (with `betas_source`), or `policy` variables for the pair-effects procedure
    (`covariates`/`log_covariates` then fill pairs without trade, on the `years` sample), or else estimated
    by PPML on the year from `covariates`/`log_covariates`."""

    data: Path
    changes: tuple[Change, ...]
    year: int | None = None
    settings: GESettings = field(default_factory=GESettings)
    columns: Columns = field(default_factory=Columns)
    betas: dict[str, float] | None = None
    betas_source: str = ""
    policy: tuple[str, ...] = ()
    covariates: tuple[str, ...] = ()
    log_covariates: tuple[str, ...] = ()
    years: tuple[int, ...] | None = None


def run_estimate(request: EstimateRequest, store: Store | None = None) -> GravityEstimate:
    """Estimate on the panel file, or on the store's Comtrade flows (`store`, else the configured one opened)."""
    spec = request.spec
    variables = [*spec.covariates, *spec.log_covariates]
    if request.data is not None:
        panel = read_panel(request.data, request.columns, variables)
    elif request.covariates is None:
        raise InputError("give a panel with --data, or the trade-cost file for the store's flows with --covariates")
    elif store is not None:
        panel = store_panel(store, request.covariates, variables, columns=request.columns, years=spec.years)
    else:
        from nearshore.data.snapshot import open_store

        with open_store(read_only=True) as opened:
            panel = store_panel(opened, request.covariates, variables, columns=request.columns, years=spec.years)
    return estimate(panel, spec)


def run_counterfactual(request: CounterfactualRequest) -> GEOutcome:
    header = header_of(request.data) if request.data.exists() else []
    panel = read_panel(request.data, request.columns, _variables(request, header))
    costs = _costs(request, panel)
    return simulate(panel, costs, request.changes, year=request.year, settings=request.settings)


def _variables(request: CounterfactualRequest, header: list[str]) -> list[str]:
    names: list[str] = [*request.policy, *request.covariates, *request.log_covariates]
    for name in request.betas or {}:
        if name in CONSTANTS:
            continue
        logged = name.startswith("ln_") and name not in header and name[3:] in header
        names.append(name[3:] if logged else name)
    names += [c.variable for c in request.changes if isinstance(c, SetVariable)]
    names += [c for c in (request.settings.output, request.settings.expenditure) if c]
    return list(dict.fromkeys(names))


def _costs(request: CounterfactualRequest, panel: Panel) -> TradeCosts:
    if request.betas is not None:
        return given_costs(request.betas, request.betas_source or "given coefficients")
    if request.policy:
        gravity = GravitySpec(
            "ppml", request.covariates, request.log_covariates, domestic=True, years=request.years, cluster="none"
        )
        if request.year is None:
            raise InputError("pair trade costs come from a panel: name the baseline year with --year")
        return pair_costs(panel, request.policy, gravity, request.year)
    if not (request.covariates or request.log_covariates):
        raise InputError(
            "no trade costs: give coefficients (--beta/--betas), policy variables for pair effects (--policy), "
            "or the variables to estimate them from (--x/--log-x)"
        )
    year = request.year if request.year is not None else (panel.years[0] if len(panel.years) == 1 else None)
    if year is None:
        raise InputError(f"{panel.origin} has several years: name the baseline year with --year")
    return variable_costs(panel.select(panel.year == year), request.covariates, request.log_covariates)


__all__ = ["CounterfactualRequest", "EstimateRequest", "run_counterfactual", "run_estimate"]
