"""Trade analytics: shares and ranks, growth, balances, sectors, concentration, USMCA utilisation,
tariff-event windows and collected duty rates, each returned as typed Figures with their provenance
(see result.py)."""

from __future__ import annotations

from nearshore.analytics.balance import balance, describe_balance
from nearshore.analytics.concentration import concentration
from nearshore.analytics.duty import duty_rate
from nearshore.analytics.events import Event, all_events, event_window, get_event
from nearshore.analytics.growth import cagr_value, growth, growth_path, implied_cagr, project
from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period, Provenance
from nearshore.analytics.sectors import Sector, all_sectors, composition, get_sector
from nearshore.analytics.shares import partner_values, share, top
from nearshore.analytics.utilisation import unclaimed, utilisation, utilisation_change

__all__ = [
    "Event",
    "Figure",
    "FigureRow",
    "FigureTable",
    "Period",
    "Provenance",
    "Sector",
    "all_events",
    "all_sectors",
    "balance",
    "cagr_value",
    "composition",
    "concentration",
    "describe_balance",
    "duty_rate",
    "event_window",
    "get_event",
    "get_sector",
    "growth",
    "growth_path",
    "implied_cagr",
    "partner_values",
    "project",
    "share",
    "top",
    "unclaimed",
    "utilisation",
    "utilisation_change",
]
