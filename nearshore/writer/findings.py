"""What the verifier reports: each figure verified against its fact (`Match`), each problem (`Finding`), and
the `Report` of one text. A finding is located by line (by page in a PDF) and names its kind:

    uncited, unknown-fact     a figure with no citation after it; a citation of an id not in the table
    mismatch, wrong-unit, scale, year, year-as-value   the figure is not the cited fact as shown
    direction                 a rise or fall word against the sign of the cited change ('fell 3%' of +3%)
    path                      'from X to Y', 'X, up from Y' against the order of the two cited values
    balance                   'deficit' or 'surplus' (or 'imports outran exports') against the cited balance
    superlative               'largest', 'highest', 'lowest'... against the cited fact (a rank, a peak)
    partner                   the sentence names a partner, and not the one the cited fact is about
    currency                  an amount in a currency other than the cited fact's ('EUR 197.0 billion')
    note                      a note that is not its fact's (another fact's label or value, a changed number)
    reference                 a footnote mark that leads to another fact's note
    alt-text                  a chart's alt text that its data do not support (a value, a month, a year)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FindingKind = Literal[
    "uncited",
    "unknown-fact",
    "mismatch",
    "wrong-unit",
    "scale",
    "direction",
    "year",
    "year-as-value",
    "path",
    "balance",
    "superlative",
    "partner",
    "currency",
    "note",
    "reference",
    "alt-text",
]


@dataclass(frozen=True)
class Finding:
    """One unsupported or mismatched figure, located by line."""

    kind: FindingKind
    figure: str
    line: int
    message: str
    fact_ids: tuple[str, ...] = ()
    where: str = "line"  # what `line` counts: a line of the text, or a page of a PDF

    def __str__(self) -> str:
        return f"{self.where} {self.line}: {self.figure!r}: {self.message}"


@dataclass(frozen=True)
class Match:
    """A figure and the fact it was verified against."""

    figure: str
    line: int
    fact_id: str


@dataclass(frozen=True)
class Report:
    """What the verifier found in one text: verified figures and findings."""

    source: str
    matches: tuple[Match, ...] = ()
    findings: tuple[Finding, ...] = ()
    cited: tuple[str, ...] = field(default=())
    notes: int = 0  # notes checked against their facts (a rendered brief)
    alt_texts: int = 0  # chart alt texts checked against the charts' data

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def checked(self) -> int:
        return len(self.matches) + len(self.findings)

    def summary(self) -> str:
        if self.ok:
            extra = f", {self.notes} note(s)" if self.notes else ""
            extra += f", {self.alt_texts} chart alt text(s)" if self.alt_texts else ""
            return f"{self.source}: all {len(self.matches)} figure(s){extra} verified against their cited facts"
        lines = "\n".join(f"  - {f}" for f in self.findings)
        return f"{self.source}: {len(self.findings)} of {self.checked} figure(s) failed verification:\n{lines}"


__all__ = ["Finding", "FindingKind", "Match", "Report"]
