"""The U.S. tariff engine: the HTS schedule parsed, policy measures on top, stacking, duty, landed cost, panels.

    schedule = load_schedule(store)                 # an HTS revision from the store
    result = calculate(Entry("8708.99.81", "MX", 10000.0, date(2025, 6, 1)), schedule, load_policy())
    result.total, result.components                 # each layer: heading, basis, rate, amount, citation
    series = tariff_series(store, schedule, load_policy(), partners=["MEX", "ALL"], start=..., end=...)

See docs/tariffs.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nearshore._lazy import exports as _exports

if TYPE_CHECKING:
    from nearshore.tariffs.batch import BatchResult, Entries, duty_loop, duty_vectorised, read_entries
    from nearshore.tariffs.duty import Component, DutyResult, Entry, calculate
    from nearshore.tariffs.effective import EffectiveRate, MonthRate, effective_rate
    from nearshore.tariffs.landed import Fees, LandedCost, compare_origins
    from nearshore.tariffs.panel import Panel, build_panel, write_panel
    from nearshore.tariffs.policy import Measure, Policy, load_policy
    from nearshore.tariffs.rates import Rate, Term, parse_rate
    from nearshore.tariffs.schedule import Coverage, CoverageIssue, Line, Schedule, load_schedule
    from nearshore.tariffs.series import Step, TariffSeries, tariff_series
    from nearshore.tariffs.special import SpecialRate, parse_special

# public name -> the module that defines it, imported on first use (NumPy and DuckDB stay out of a lookup)
_ON_FIRST_USE = {
    "BatchResult": "nearshore.tariffs.batch",
    "Component": "nearshore.tariffs.duty",
    "Coverage": "nearshore.tariffs.schedule",
    "CoverageIssue": "nearshore.tariffs.schedule",
    "DutyResult": "nearshore.tariffs.duty",
    "EffectiveRate": "nearshore.tariffs.effective",
    "Entries": "nearshore.tariffs.batch",
    "Entry": "nearshore.tariffs.duty",
    "Fees": "nearshore.tariffs.landed",
    "LandedCost": "nearshore.tariffs.landed",
    "Line": "nearshore.tariffs.schedule",
    "Measure": "nearshore.tariffs.policy",
    "MonthRate": "nearshore.tariffs.effective",
    "Panel": "nearshore.tariffs.panel",
    "Policy": "nearshore.tariffs.policy",
    "Rate": "nearshore.tariffs.rates",
    "Schedule": "nearshore.tariffs.schedule",
    "SpecialRate": "nearshore.tariffs.special",
    "Step": "nearshore.tariffs.series",
    "TariffSeries": "nearshore.tariffs.series",
    "Term": "nearshore.tariffs.rates",
    "build_panel": "nearshore.tariffs.panel",
    "calculate": "nearshore.tariffs.duty",
    "compare_origins": "nearshore.tariffs.landed",
    "duty_loop": "nearshore.tariffs.batch",
    "duty_vectorised": "nearshore.tariffs.batch",
    "effective_rate": "nearshore.tariffs.effective",
    "load_policy": "nearshore.tariffs.policy",
    "load_schedule": "nearshore.tariffs.schedule",
    "parse_rate": "nearshore.tariffs.rates",
    "parse_special": "nearshore.tariffs.special",
    "read_entries": "nearshore.tariffs.batch",
    "tariff_series": "nearshore.tariffs.series",
    "write_panel": "nearshore.tariffs.panel",
}


__getattr__, __dir__ = _exports(__name__, _ON_FIRST_USE)

__all__ = [
    "BatchResult",
    "Component",
    "Coverage",
    "CoverageIssue",
    "DutyResult",
    "EffectiveRate",
    "Entries",
    "Entry",
    "Fees",
    "LandedCost",
    "Line",
    "Measure",
    "MonthRate",
    "Panel",
    "Policy",
    "Rate",
    "Schedule",
    "SpecialRate",
    "Step",
    "TariffSeries",
    "Term",
    "build_panel",
    "calculate",
    "compare_origins",
    "duty_loop",
    "duty_vectorised",
    "effective_rate",
    "load_policy",
    "load_schedule",
    "parse_rate",
    "parse_special",
    "read_entries",
    "tariff_series",
    "write_panel",
]
