"""The verifier: every figure in a brief's prose must equal the fact it cites, shown at its precision.

Binding rule: the figures in a sentence bind to the next citation group after them (`15.5%[[fact:a]]`, or
`$5 billion and 3%[[fact:a]][[fact:b]]`); each must equal one fact of that group. A figure with no citation
after it in its sentence is unsupported. Years are dates when they are the period of a fact cited in the same
sentence, the value of a cited `year` fact, or in the table's allowed years; a year standing where a value
goes (directly before a citation, with no date word before it) must equal a cited `year` fact.

Equality is on the shown precision: '15.5%' matches 15.45 (halves round away from zero) but not 15.449;
'$505.9 billion' matches 505_949_000_000. Amounts are compared at their scale ($B vs $M), percents only with
percent facts and percentage points only with `pp` facts. Signs are carried by words: 'fell 3.2%' needs a
negative fact, 'rose 3.2%' a positive one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Literal

from nearshore.errors import InputError
from nearshore.writer.apparatus import Apparatus, check_apparatus, html_apparatus, markdown_apparatus
from nearshore.writer.citations import Citation, cite, starts_with_citation
from nearshore.writer.extract import Block, html_blocks, markdown_blocks
from nearshore.writer.facts import (
    Fact,
    FactTable,
    currency_of,
    direction_of,
    display,
    extreme_of,
    fmt_number,
    money_scale,
    raw_value,
    round_half_up,
)
from nearshore.writer.figures import ProseFigure, SentenceEnd, blank_citations, tokens
from nearshore.writer.findings import Finding, FindingKind, Match, Report
from nearshore.writer.wording import Bound, Cited, check_sentence

_UNITS_FOR: dict[str, tuple[str, ...]] = {
    "money": ("USD",),
    "percent": ("percent",),
    "pp": ("pp",),
    "rank": ("rank",),
    "scaled": ("USD", "count"),
    "ratio": ("ratio",),
    "number": ("count", "ratio", "index", "rank"),
    "year": ("year",),
    "worded": (),
}
_KIND_NAMES = {
    "money": "a dollar amount",
    "percent": "a percent",
    "pp": "a change in percentage points",
    "rank": "a rank",
    "scaled": "a scaled amount",
    "ratio": "a ratio",
    "number": "a number",
    "year": "a year",
    "worded": "a number written in words",
}


def verify_blocks(blocks: Sequence[Block], facts: FactTable, source: str = "<text>", where: str = "line") -> Report:
    """Verify prose blocks: each figure against its cited fact, and the words bound to it (wording.py).
    `where` names what a block's `line` counts ('page' for a PDF)."""
    matches: list[Match] = []
    findings: list[Finding] = []
    cited: list[str] = []
    by_id = facts.by_id
    for block in blocks:
        context = _Block(block, facts, by_id, blank_citations(block.text), where)
        sentences = [_Sentence(context, 0)]
        for token in tokens(block.text):
            if isinstance(token, SentenceEnd):
                sentences[-1].end = token.offset + 1
                sentences.append(_Sentence(context, token.offset + 1))
            elif isinstance(token, Citation):
                sentences[-1].cite(token)
            else:
                sentences[-1].add(token)
        for sentence in sentences:
            sentence.close()
            matches.extend(sentence.matches)
            findings.extend(sentence.findings)
            cited.extend(i for i in sentence.cited if i not in cited)
    return Report(source, tuple(matches), tuple(findings), tuple(cited))


def verify_text(text: str, facts: FactTable, source: str = "<text>") -> Report:
    """Verify markdown prose with `[[fact:id]]` (or `[^id]`) citations."""
    return verify_blocks(markdown_blocks(text), facts, source)


def verify_document(text: str, kind: Literal["md", "html"], facts: FactTable, source: str = "<brief>") -> Report:
    """Verify a rendered brief: its prose, and its notes, footnote marks and chart alt texts (apparatus.py)."""
    if kind == "html":
        return _with_apparatus(verify_blocks(html_blocks(text), facts, source), html_apparatus(text), facts)
    return _with_apparatus(verify_blocks(markdown_blocks(text), facts, source), markdown_apparatus(text), facts)


def verify_pdf(data: bytes, facts: FactTable, source: str = "<brief>.pdf") -> Report:
    """Verify a brief's PDF from its text (pdf_text.py): prose, notes and alt texts, located by page."""
    from nearshore.writer.pdf_text import read_pdf

    pdf = read_pdf(data, facts, source)
    return _with_apparatus(verify_blocks(pdf.blocks, facts, source, "page"), pdf.apparatus, facts, "page")


def _with_apparatus(prose: Report, apparatus: Apparatus, facts: FactTable, where: str = "line") -> Report:
    findings, notes, alts = check_apparatus(apparatus, facts, prose.cited, where)
    return replace(prose, findings=prose.findings + tuple(findings), notes=notes, alt_texts=alts)


KINDS: dict[str, Literal["md", "html", "pdf"]] = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}


def check_file(path: Path, facts_path: Path | None = None) -> Report:
    """Verify a written brief (.md, .html or .pdf) against its facts file (default: `<name>.facts.json`)."""
    if not path.is_file():
        what = "is a directory" if path.is_dir() else "no such file"
        raise InputError(f"{path}: {what}; give a brief written by `nearshore brief` (.md, .html or .pdf)")
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"{path}: cannot check a {path.suffix.lower() or 'suffix-less'} file; give the brief's .md, .html or .pdf"
        )
    facts = FactTable.load(facts_path or facts_beside(path))
    if kind == "pdf":
        return verify_pdf(path.read_bytes(), facts, str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); give the brief as written"
        ) from None
    return verify_document(text, kind, facts, str(path))


def facts_beside(path: Path) -> Path:
    """Where the facts file of a brief lives: `brief.facts.json` beside `brief.md`, else `facts.json`."""
    candidate = path.with_name(path.stem + ".facts.json")
    if candidate.is_file() or not (path.parent / "facts.json").is_file():
        return candidate
    return path.parent / "facts.json"


@dataclass(frozen=True)
class _Block:
    """A block being verified: its text with the citations blanked (for reading words), and the table."""

    block: Block
    facts: FactTable
    by_id: dict[str, Fact]
    plain: str
    where: str


class _Sentence:
    """Figures waiting for their citation, within one sentence (`start` to `end` of the block's text)."""

    def __init__(self, context: _Block, start: int) -> None:
        self.context = context
        self.block = context.block
        self.facts = context.facts
        self.by_id = context.by_id
        self.start = start
        self.end = len(context.block.text)
        self.bound: list[Bound] = []
        self.groups: list[Cited] = []
        self.pending: list[ProseFigure] = []
        self.dates: list[ProseFigure] = []
        self.cited_facts: list[Fact] = []
        self.cited: list[str] = []
        self.matches: list[Match] = []
        self.findings: list[Finding] = []

    def line(self, offset: int) -> int:
        return self.block.line + self.block.text.count("\n", 0, offset)

    def add(self, figure: ProseFigure) -> None:
        if figure.kind == "year" and (figure.date_context or not self._directly_cited(figure)):
            self.dates.append(figure)
        else:
            self.pending.append(figure)

    def _directly_cited(self, figure: ProseFigure) -> bool:
        rest = self.block.text[figure.offset + len(figure.text) :].lstrip()
        return starts_with_citation(rest)

    def cite(self, citation: Citation) -> None:
        group: list[Fact] = []
        for fact_id in citation.ids:
            self.cited.append(fact_id)
            fact = self.by_id.get(fact_id)
            if fact is None:
                self.findings.append(
                    Finding(
                        "unknown-fact",
                        cite(fact_id),
                        self.line(citation.offset),
                        f"cites fact {fact_id!r}, which is not in the fact table; cite one of the table's ids",
                        (fact_id,),
                    )
                )
            else:
                group.append(fact)
        self.cited_facts.extend(group)
        self.groups.append(Cited(citation.offset, tuple(group)))
        for figure in self.pending:
            self._check(figure, group, citation.ids)
        self.pending = []

    def close(self) -> None:
        for figure in self.pending:
            self.findings.append(
                Finding(
                    "uncited",
                    figure.text,
                    self.line(figure.offset),
                    f"{_KIND_NAMES[figure.kind]} with no fact citation after it in its sentence; "
                    "follow it with [[fact:ID]] or remove it",
                )
            )
        self.pending = []
        allowed = set(self.facts.allowed_years)
        for fact in self.cited_facts:
            allowed.update(fact.years())
            if fact.unit == "year":
                allowed.add(int(fact.value))
        for figure in self.dates:
            if int(figure.shown) in allowed:
                continue
            cited = ", ".join(f"{f.id} ({f.period})" for f in self.cited_facts) or "none"
            self.findings.append(
                Finding(
                    "year",
                    figure.text,
                    self.line(figure.offset),
                    f"year {figure.text} is not the period of any fact cited in its sentence "
                    f"(cited: {cited}) nor an allowed year; cite a fact for that year or remove it",
                )
            )
        self.dates = []
        for problem in check_sentence(self.context.plain, self.start, self.end, self.bound, self.groups):
            self.findings.append(
                self._finding(problem.kind, problem.words, problem.offset, problem.message, problem.fact_ids)
            )

    def _finding(self, kind: FindingKind, figure: str, offset: int, message: str, ids: tuple[str, ...]) -> Finding:
        return Finding(kind, figure, self.line(offset), message, ids, self.context.where)

    def _check(self, figure: ProseFigure, group: list[Fact], ids: tuple[str, ...]) -> None:
        line = self.line(figure.offset)
        if not group:
            return  # the unknown-fact finding already reports this citation
        fitting = [f for f in group if f.unit in _UNITS_FOR[figure.kind]]
        for fact in fitting:
            if _equal(figure, fact):
                self.bound.append(Bound(figure, tuple(group), fact))
                direction = _direction_problem(figure, fact)
                currency = _currency_problem(figure, fact)
                if direction:
                    self.findings.append(Finding("direction", figure.text, line, direction, ids, self.context.where))
                elif currency:
                    self.findings.append(Finding("currency", figure.text, line, currency, ids, self.context.where))
                else:
                    self.matches.append(Match(figure.text, line, fact.id))
                return
        leading = [f for f in group if extreme_of(f) == "largest"]
        if figure.kind == "rank" and not fitting and leading and figure.shown == 1 and not figure.top:
            self.bound.append(Bound(figure, tuple(group), leading[0]))  # 'the largest sector': the top share
            self.matches.append(Match(figure.text, line, leading[0].id))
            return
        self.bound.append(Bound(figure, tuple(group), None))
        self.findings.append(self._explain(figure, group, fitting, ids, line))

    def _explain(
        self, figure: ProseFigure, group: list[Fact], fitting: list[Fact], ids: tuple[str, ...], line: int
    ) -> Finding:
        names = ", ".join(f"{f.id} = {display(f)} ({f.unit})" for f in group)
        elsewhere = [f.id for f in self.facts if f.id not in ids and _equal(figure, f)]
        hint = f"; it matches {', '.join(elsewhere)}, which is not the fact cited here" if elsewhere else ""
        if figure.kind == "worded":
            return Finding(
                "wrong-unit",
                figure.text,
                line,
                f"a figure written in words cannot be checked; write it in digits as the cited fact shows it ({names})",
                ids,
            )
        if figure.kind == "year":
            return Finding(
                "year-as-value",
                figure.text,
                line,
                f"the year {figure.text} stands as a value cited to {names}; a year may be "
                "used only as a date (e.g. 'in 2024'), or cite a fact whose unit is 'year'",
                ids,
            )
        if figure.kind == "money":
            for fact in fitting:
                _, scale = money_scale(abs(fact.value))
                if scale != figure.scale and _equal(figure, fact, scale):
                    factor = max(scale, figure.scale) / min(scale, figure.scale)
                    shown = f"{figure.text} is off by a factor of {factor:,.0f}"
                    return Finding(
                        "scale",
                        figure.text,
                        line,
                        f"{shown}: the cited fact {fact.id} is {display(fact)}",
                        ids,
                    )
        if not fitting:
            swap = {"percent": "pp", "pp": "percent"}.get(figure.kind)
            swapped = [f for f in group if f.unit == swap and _equal(figure, f)]
            if swapped:
                fact = swapped[0]
                return Finding(
                    "wrong-unit",
                    figure.text,
                    line,
                    f"written as {_KIND_NAMES[figure.kind]} but the cited fact {fact.id} is in "
                    f"{'percentage points' if fact.unit == 'pp' else 'percent'}; write "
                    f"{display(fact)!r}",
                    ids,
                )
            return Finding(
                "wrong-unit",
                figure.text,
                line,
                f"{_KIND_NAMES[figure.kind]}, but no cited fact has a fitting unit (cited: {names}){hint}",
                ids,
            )
        expected = "; ".join(f"{f.id} shown at this precision is {_as_shown(figure, f)}" for f in fitting)
        return Finding("mismatch", figure.text, line, f"does not match the cited fact: {expected}{hint}", ids)


def _equal(figure: ProseFigure, fact: Fact, scale: float | None = None) -> bool:
    if figure.kind == "rank":
        if fact.unit != "rank":
            return False
        return fact.value <= float(figure.shown) if figure.top else Decimal(repr(fact.value)) == figure.shown
    if figure.kind == "year":
        return fact.unit == "year" and Decimal(repr(fact.value)) == figure.shown
    divisor = figure.scale if scale is None else scale
    return round_half_up(abs(fact.value) / divisor, figure.decimals) == figure.shown


def _as_shown(figure: ProseFigure, fact: Fact) -> str:
    if figure.kind in ("rank", "year"):
        return repr(display(fact))
    shown = fmt_number(abs(fact.value) / figure.scale, figure.decimals)
    if figure.kind == "money":
        word = {1e12: " trillion", 1e9: " billion", 1e6: " million", 1e3: " thousand"}.get(figure.scale, "")
        shown = f"${shown}{word}"
    elif figure.kind == "percent":
        shown += "%"
    elif figure.kind == "pp":
        shown += " percentage points"
    return f"{shown!r} ({raw_value(fact.value, fact.unit)} {fact.unit})"


def _direction_problem(figure: ProseFigure, fact: Fact) -> str:
    """A rise or fall word against the cited change: its direction (up or down), else its sign."""
    if not figure.direction:
        return ""
    went = direction_of(fact)
    went = went if went in ("up", "down", "unchanged") else ""
    if not went:
        went = "up" if fact.value > 0 else "down" if fact.value < 0 else ""
    if figure.direction == "rise" and went == "down":
        return f"says a rise but the cited fact {fact.id} is negative ({fact.value:g}); say it fell"
    if figure.direction == "fall" and went == "up":
        return f"says a fall but the cited fact {fact.id} is positive ({fact.value:g}); say it rose"
    return ""  # a change of exactly zero takes either word: it is shown as 0.0 either way


def _currency_problem(figure: ProseFigure, fact: Fact) -> str:
    """An amount written in another currency than its fact's: 'EUR 197.0 billion' of a U.S. dollar fact."""
    currency = currency_of(fact)
    if figure.kind != "money" or not currency or figure.currency in ("", currency):
        return ""
    return (
        f"written in {figure.currency}, but the cited fact {fact.id} is in {currency} ({display(fact)}); "
        f"write it in {currency}"
    )


__all__ = [
    "KINDS",
    "Finding",
    "FindingKind",
    "Match",
    "Report",
    "check_file",
    "facts_beside",
    "verify_blocks",
    "verify_document",
    "verify_pdf",
    "verify_text",
]
