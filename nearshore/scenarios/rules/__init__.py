"""A rule change over a portfolio of bills of materials: which BOMs flip, by what margin, the annual duty
consequence and the cheapest fix, with the origin engine's own determinations. See docs/scenarios.md.

The public names are imported on first use, so that a reader of the portfolio alone (`origin batch` on a
JSON-lines or Parquet file) does not import the scenario engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nearshore._lazy import exports as _exports

if TYPE_CHECKING:
    from nearshore.scenarios.rules.changes import Cap, RuleChange, ShiftChange, parse_changes, read_changes
    from nearshore.scenarios.rules.holding import Holding
    from nearshore.scenarios.rules.portfolio import read_portfolio
    from nearshore.scenarios.rules.service import RulesRequest, run_rules

_ON_FIRST_USE = {
    **dict.fromkeys(("Cap", "RuleChange", "ShiftChange", "parse_changes", "read_changes"), f"{__name__}.changes"),
    "Holding": f"{__name__}.holding",
    "read_portfolio": f"{__name__}.portfolio",
    "RulesRequest": f"{__name__}.service",
    "run_rules": f"{__name__}.service",
}

__getattr__, __dir__ = _exports(__name__, _ON_FIRST_USE)

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
