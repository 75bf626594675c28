"""The U.S. tariff engine: the HTS schedule parsed, policy measures on top, stacking, duty, landed cost, panels.

    schedule = load_schedule(store)                 # an HTS revision from the store
    result = calculate(Entry("8708.99.81", "MX", 10000.0, date(2025, 6, 1)), schedule, load_policy())
    result.total, result.components                 # each layer: heading, basis, rate, amount, citation
    series = tariff_series(store, schedule, load_policy(), partners=["MEX", "ALL"], start=..., end=...)

See docs/tariffs.md.
"""

from __future__ import annotations

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
