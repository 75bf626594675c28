"""Scenarios: what a tariff or a rule change does to trade, duties and qualification.

Each engine lives in its own folder (`gravity/` for structural gravity; the partial-equilibrium tariff model and
the rule-change portfolio join beside it) and returns a `ScenarioResult`: analytics' figure tables with unit,
period and provenance, plus the `Assumption`s the figures rest on. See docs/scenarios.md. The names are imported
on first use (the result imports the analytics).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nearshore._lazy import exports as _exports

if TYPE_CHECKING:
    from nearshore.scenarios.result import Assumption, ScenarioResult

__getattr__, __dir__ = _exports(__name__, dict.fromkeys(("Assumption", "ScenarioResult"), f"{__name__}.result"))

__all__ = ["Assumption", "ScenarioResult"]
