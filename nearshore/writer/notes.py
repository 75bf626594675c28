"""Notes for people, and the Reproduce appendix for machines, shared by every output format.

A note says what the figure is, for when, the value as the brief shows it, and where it comes from in the
publisher's words ("U.S. Census Bureau, U.S. International Trade in Goods by country (FT-900), July 2026
release"). The Reproduce appendix gives, per note, the fact id, the unrounded value, the store's source ids and
vintages, the comparison and the query, each distinct SQL query printed once (Q1, Q2, ...).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from nearshore.writer.facts import Fact, display, exact, note_label
from nearshore.writer.outline import MONTH_NAMES

MONTHS: Final = MONTH_NAMES
# The store's source ids in the publishers' words.
SOURCE_TITLES: Final = {
    "census-country": "U.S. Census Bureau, U.S. International Trade in Goods by country (FT-900)",
    "census-duties": "U.S. Census Bureau, International Trade API, imports for consumption and calculated duties",
    "census-hs2": "U.S. Census Bureau, International Trade API, U.S. general imports by HS chapter and country",
    "census-api": "U.S. Census Bureau, International Trade API",
    "dataweb": "U.S. International Trade Commission, DataWeb, U.S. imports for consumption by HTS10",
    "hts": "U.S. International Trade Commission, Harmonized Tariff Schedule of the United States",
    "tariff-policy": "nearshore tariff policy file (each measure with its legal text)",
    "comtrade": "United Nations, UN Comtrade",
    "nearshore store": "nearshore store",
}
_YM = re.compile(r"^(\d{4})-(\d{2})$")
_YMD = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def month_words(text: str) -> str:
    """'2025-12' -> 'December 2025'; anything else unchanged."""
    m = _YM.match(text.strip())
    return f"{MONTHS[int(m.group(2)) - 1]} {m.group(1)}" if m else text


def period_words(period: str) -> str:
    """A fact's period for a reader: 'December 2025', 'March-December 2025', '2025 against 2024', '1 July 2026'."""
    text = period.split(" (")[0].strip()
    start, sep, end = text.partition("..")
    if sep and _YM.match(start) and _YM.match(end):
        first, last = month_words(start).split(), month_words(end).split()
        return f"{first[0]}-{last[0]} {last[1]}" if first[1] == last[1] else f"{' '.join(first)} to {' '.join(last)}"
    if sep:
        return f"{end} against {start}"
    if _YMD.fullmatch(text.removeprefix("from ")):
        on = date.fromisoformat(text.removeprefix("from "))
        words = f"{on.day} {MONTHS[on.month - 1]} {on.year}"
        return f"from {words}" if text.startswith("from ") else words
    return month_words(text)


def _vintage_words(vintage: str) -> str:
    if _YM.match(vintage):
        return f"{month_words(vintage)} release"
    if vintage.startswith("HTS "):
        return vintage.replace("-basic", " Basic Edition")
    if vintage.startswith("policy "):
        return f"policy file {vintage.removeprefix('policy ')}"
    return vintage


def source_words(fact: Fact) -> str:
    """Where a fact comes from, in the publishers' words, with its releases."""
    ids = [s.strip() for s in fact.source.split(";") if s.strip()]
    if not all(s in SOURCE_TITLES for s in ids):
        return " ".join(fact.source.split())  # a legal text or a quoted source, given in words already
    titles = "; ".join(SOURCE_TITLES[s] for s in ids)
    vintages = [v.strip() for v in fact.vintage.split(",") if v.strip()]
    return f"{titles}, {', '.join(_vintage_words(v) for v in vintages)}" if vintages else titles


def shown_value(fact: Fact) -> str:
    """The value as the brief shows it; a negative change or growth keeps its minus sign in a note."""
    shown = display(fact)
    negative = fact.value < 0 and fact.unit in ("percent", "pp") and re.search(r"change|growth", fact.label, re.I)
    return f"minus {shown}" if negative else shown


def note_text(fact: Fact) -> str:
    """One note: 'Mexico's share of U.S. imports, 2025: 15.6%. U.S. Census Bureau, ... (FT-900), July 2026
    release.' A date (a fact of unit year whose period is a day) is the note's value."""
    source = source_words(fact).rstrip(".")
    if fact.unit == "year" and _YMD.fullmatch(fact.period):
        return f"{note_label(fact)}: {period_words(fact.period)}. {source}."
    return f"{note_label(fact)}, {period_words(fact.period)}: {shown_value(fact)}. {source}."


@dataclass(frozen=True)
class Reproduction:
    """The Reproduce appendix: one line per note (in note order), then the distinct queries."""

    lines: tuple[str, ...]
    queries: tuple[tuple[str, str], ...]  # (Q1, SQL on one line)


def reproduction(facts: Sequence[Fact]) -> Reproduction:
    queries: dict[str, str] = {}
    lines = []
    for fact in facts:
        text = f"{fact.id}: {exact(fact)}; period {fact.period}; source {fact.source}"
        if fact.vintage:
            text += f"; vintage {fact.vintage}"
        if fact.comparison:
            text += f"; comparison: {fact.comparison}"
        if fact.query:
            sql = " ".join(fact.query.split())
            text += f"; query {queries.setdefault(sql, f'Q{len(queries) + 1}')}"
        lines.append(text)
    return Reproduction(tuple(lines), tuple((q, sql) for sql, q in queries.items()))


REPRODUCE_INTRO: Final = (
    "For each note: the fact id in the facts file, the unrounded value, the store's source ids and vintages, and "
    "the query that computes it on the nearshore store (each query printed once below)."
)

__all__ = [
    "REPRODUCE_INTRO",
    "SOURCE_TITLES",
    "Reproduction",
    "month_words",
    "note_text",
    "period_words",
    "reproduction",
    "shown_value",
    "source_words",
]
