"""Scenarios: what a tariff or a rule change does to trade, duties and qualification.

Each engine lives in its own folder (`gravity/` for structural gravity; the partial-equilibrium tariff model and
the rule-change portfolio join beside it) and returns a `ScenarioResult`: analytics' figure tables with unit,
period and provenance, plus the `Assumption`s the figures rest on. See docs/scenarios.md.
"""

from __future__ import annotations

from nearshore.scenarios.result import Assumption, ScenarioResult

__all__ = ["Assumption", "ScenarioResult"]
