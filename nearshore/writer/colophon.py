"""What a brief says about how it was made: the machine-writing label, the methodology, the sources line.

Shared by every output format (render.py for HTML and Markdown, pdf.py for PDF).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nearshore.writer.facts import FactTable

if TYPE_CHECKING:
    from nearshore.writer.quotes import Quote


@dataclass(frozen=True)
class BriefInfo:
    """What the label and the methodology say about how the brief was made."""

    writer: str = "template"
    generated: str = ""
    methodology: tuple[str, ...] = (
        "Every figure is computed from the official data named in its note, at the release shown; the "
        "Reproduce appendix gives its exact value and the query that computes it on the nearshore store. Shares "
        "and growth rates are computed from unrounded values and rounded only for display.",
    )
    rejected: tuple[str, ...] = ()  # LLM drafts that failed verification, reported in the notes
    quotes: tuple[Quote, ...] = ()  # the quotations the brief may print, word for word


def label_text(info: BriefInfo) -> str:
    how = (
        "the template writer (deterministic, from the facts)"
        if info.writer == "template"
        else "a language model, each section verified and, where it failed, replaced by the template text"
    )
    return (
        f"Machine-written by nearshore with {how}. Every figure was checked by the nearshore verifier "
        "against the fact it cites; each note names its source and release, and the Reproduce appendix gives "
        "the exact value and query."
    )


def source_lines(facts: FactTable, cited: Sequence[str]) -> list[str]:
    """One line per source, in order of first citation, in the publishers' words: each store source with every
    release the cited facts read of it ('U.S. Census Bureau, ... (FT-900) (March 2022, July 2026 releases)'), the
    tariff policy file once, and each legal text or quoted source once."""
    from nearshore.writer.notes import SOURCE_TITLES, month_words

    by_id = facts.by_id
    vintages: dict[str, set[str]] = {}
    for fact in (by_id[i] for i in cited if i in by_id):
        ids = [s.strip() for s in fact.source.split(";") if s.strip()]
        if fact.vintage.startswith("policy "):
            vintages.setdefault(
                f"nearshore tariff policy file, {fact.vintage} (each measure's legal text is in its note)", set()
            )
        elif all(s in SOURCE_TITLES for s in ids):
            for source in ids:
                found = {v.strip() for v in fact.vintage.split(",") if v.strip()}
                vintages.setdefault(SOURCE_TITLES[source], set()).update(found)
        else:  # a legal text or a quoted source: 'Title: detail (url)' is named by its title
            vintages.setdefault(" ".join(fact.source.split(": ", 1)[0].split()), set())
    lines = []
    for source, held in vintages.items():
        months = [month_words(v) for v in sorted(held)]
        kind = "release" if len(months) == 1 else "releases"
        lines.append(f"{source} ({', '.join(months)} {kind})" if months else source)
    return lines
