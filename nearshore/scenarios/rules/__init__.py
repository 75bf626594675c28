"""A rule change over a portfolio of bills of materials: which BOMs flip, by what margin, the annual duty
consequence and the cheapest fix, with the origin engine's own determinations. See docs/scenarios.md."""

from __future__ import annotations

from nearshore.scenarios.rules.changes import Cap, RuleChange, ShiftChange, parse_changes, read_changes
from nearshore.scenarios.rules.holding import Holding
from nearshore.scenarios.rules.portfolio import read_portfolio
from nearshore.scenarios.rules.service import RulesRequest, run_rules

__all__ = [
    "Cap",
    "Holding",
    "RuleChange",
    "RulesRequest",
    "ShiftChange",
    "parse_changes",
    "read_changes",
    "read_portfolio",
    "run_rules",
]
