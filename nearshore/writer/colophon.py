"""What a brief says about how it was made: the machine-writing label, the methodology, the sources line.

Shared by every output format (render.py for HTML and Markdown, pdf.py for PDF).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nearshore.writer.facts import FactTable


@dataclass(frozen=True)
class BriefInfo:
    """What the label and the methodology say about how the brief was made."""

    writer: str = "template"
    generated: str = ""
    methodology: tuple[str, ...] = (
        "Every figure is computed from the official data named in its note, at the vintage shown; the note's "
        "query reproduces it from the nearshore store. Shares and growth rates are computed from unrounded "
        "values and rounded only for display.",
    )
    rejected: tuple[str, ...] = ()  # LLM drafts that failed verification, reported in the notes


def label_text(info: BriefInfo) -> str:
    how = (
        "the template writer (deterministic, from the facts)"
        if info.writer == "template"
        else "a language model, each section verified and, where it failed, replaced by the template text"
    )
    return (
        f"Machine-written by nearshore with {how}. Every figure was checked by the nearshore verifier "
        "against the fact it cites; each footnote gives the fact's value, period, source, vintage and query."
    )


def source_lines(facts: FactTable, cited: Sequence[str]) -> list[str]:
    """One line per source, in order of first citation, with every vintage the cited facts read of it
    ('census-country (vintage 2022-03, 2026-07)'); a fact drawn from several sources counts for each."""
    by_id = facts.by_id
    vintages: dict[str, set[str]] = {}
    for fact in (by_id[i] for i in cited if i in by_id):
        for source in (s.strip() for s in fact.source.split(";") if s.strip()):
            vintages.setdefault(source, set()).update(v.strip() for v in fact.vintage.split(",") if v.strip())
    return [f"{source} (vintage {', '.join(sorted(v))})" if v else source for source, v in vintages.items()]
