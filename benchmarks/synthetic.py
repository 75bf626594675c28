"""Synthetic HS codes for the store and stats benchmarks: every HS chapter (01-97 but the reserved 77), skewed
like trade, as a DuckDB SQL expression of an integer column.

A code's chapter is drawn with weight falling steeply along CHAPTERS: a rough order of U.S. imports by value
(machinery, electrical equipment, vehicles, pharmaceuticals, fuels, instruments, precious stones first), then the
other chapters in code order. The draw is u**3 over the list (u uniform from the code's hash), so about half the
codes fall in the first 12 % of the list and every chapter still gets some. The other eight digits come from a
second hash. Deterministic: the same integer gives the same code.
"""

from __future__ import annotations

LEADING = ["84", "85", "87", "30", "27", "90", "71", "94", "39", "73", "61", "62", "29", "95", "40", "64", "88"]
CHAPTERS = LEADING + [f"{c:02d}" for c in range(1, 98) if c != 77 and f"{c:02d}" not in LEADING]


def hs10_sql(column: str) -> str:
    """SQL for a 10-digit HS code made from the integer `column`."""
    chapters = ", ".join(f"'{c}'" for c in CHAPTERS)
    rank = f"1 + floor({len(CHAPTERS)} * pow((hash({column}) % 1000003) / 1000003.0, 3))::INTEGER"
    return f"[{chapters}][{rank}] || lpad((hash({column}, 7) % 100000000)::VARCHAR, 8, '0')"


__all__ = ["CHAPTERS", "hs10_sql"]
