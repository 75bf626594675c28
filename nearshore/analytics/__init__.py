"""Trade analytics: shares and ranks, growth, balances, sectors, concentration, USMCA utilisation,
tariff-event windows and collected duty rates, each returned as typed Figures with their provenance
(see result.py)."""

from __future__ import annotations

from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period, Provenance

__all__ = ["Figure", "FigureRow", "FigureTable", "Period", "Provenance"]
