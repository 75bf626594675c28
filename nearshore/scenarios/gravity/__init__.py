"""Structural gravity: estimation (PPML/OLS with high-dimensional fixed effects) and general-equilibrium
counterfactuals (the GEPPML model of Anderson, Larch & Yotov 2018). See docs/scenarios.md."""

from __future__ import annotations

from nearshore.scenarios.gravity.changes import Change, CostChange, GESettings, SetVariable, TariffChange
from nearshore.scenarios.gravity.costs import TradeCosts, given_costs, pair_costs, variable_costs
from nearshore.scenarios.gravity.counterfactual import GEOutcome, simulate
from nearshore.scenarios.gravity.estimate import GravityEstimate, GravitySpec, estimate
from nearshore.scenarios.gravity.ge import Closure, Economy, Equilibrium, Solver
from nearshore.scenarios.gravity.panel import Columns, Panel, read_panel
from nearshore.scenarios.gravity.store import store_panel

__all__ = [
    "Change",
    "Closure",
    "Columns",
    "CostChange",
    "Economy",
    "Equilibrium",
    "GEOutcome",
    "GESettings",
    "GravityEstimate",
    "GravitySpec",
    "Panel",
    "SetVariable",
    "Solver",
    "TariffChange",
    "TradeCosts",
    "estimate",
    "given_costs",
    "pair_costs",
    "read_panel",
    "simulate",
    "store_panel",
    "variable_costs",
]
