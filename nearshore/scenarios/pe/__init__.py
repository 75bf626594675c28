"""Partial-equilibrium tariff simulation: the WITS-SMART single-market model over the store's imports, with
tariffs before and after from the tariff engine (a scenario file edits its policy data). See docs/scenarios.md."""

from __future__ import annotations

from nearshore.scenarios.pe.elasticities import Choice, Table, read_table
from nearshore.scenarios.pe.market import Market, read_market
from nearshore.scenarios.pe.model import Effects, Lines, Parameters, simulate
from nearshore.scenarios.pe.policy_edits import scenario_policy
from nearshore.scenarios.pe.scenario_file import TariffScenario, parse_scenario, read_scenario
from nearshore.scenarios.pe.service import TariffRequest, simulate_tariff

__all__ = [
    "Choice",
    "Effects",
    "Lines",
    "Market",
    "Parameters",
    "Table",
    "TariffRequest",
    "TariffScenario",
    "parse_scenario",
    "read_market",
    "read_scenario",
    "read_table",
    "scenario_policy",
    "simulate",
    "simulate_tariff",
]
