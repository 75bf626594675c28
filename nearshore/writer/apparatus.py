"""The apparatus of a rendered brief, checked against the facts file: every note must be its fact's, every
footnote mark must lead to the note of the fact it cites, and every chart's alt text must say what the chart's
data show.

- **Notes.** A note names its fact's label, shows its value as the prose does (`display`), and every number in
  it is one of the fact's own (the shown and exact value, the period, the vintage, the comparison, the query):
  '95.6%' in the note of a 15.6% share, or another fact's note under this fact's mark, is refused.
- **References** (HTML). `<a href="#fact-3" data-fact="ID">3</a>` must lead to note 3, and note 3 must be ID's.
- **Alt texts.** Each percent must be a value the chart plots, and the right one where the text says which:
  'from A to B' (the first and last values), 'lowest A in P' / 'highest A' (the minimum, the maximum, at P),
  'Sector A' (that bar), 'A in P' (the value at P), a series named in the clause (its values); each year or
  month must be one the chart plots, and 'P1 to P2' its first and last; '<series> has the largest share at
  the end' must be true, and a list said to run 'largest first' must.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from nearshore.writer.citations import FOOTNOTE
from nearshore.writer.extract import NOTES_MARKER
from nearshore.writer.facts import ChartData, Fact, FactTable, display, exact, raw_value, round_half_up
from nearshore.writer.findings import Finding
from nearshore.writer.notes import note_text

_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
_NOTE_DEF = re.compile(rf"^\s*{FOOTNOTE}:\s?(?P<text>.*)$")
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)[^)]*\)")
_PERIOD = re.compile(r"(?<![\w.-])(?:1[89]|20)\d\d(?:-(?:0[1-9]|1[0-2]))?(?![\w-])")


@dataclass(frozen=True)
class Note:
    """A note as rendered: the fact it is for (None when it names none) and its text."""

    fact_id: str | None
    text: str
    line: int
    anchor: str = ""  # HTML: the note's id ('fact-3')


@dataclass(frozen=True)
class Reference:
    """A footnote mark in HTML: the fact it cites, the note it leads to, the number it shows."""

    fact_id: str
    target: str
    shown: str
    line: int


@dataclass(frozen=True)
class AltText:
    """A chart's alt text as rendered, with the id of the chart it belongs to ('' when it cannot be told)."""

    chart_id: str
    text: str
    line: int


@dataclass(frozen=True)
class Apparatus:
    notes: tuple[Note, ...] = ()
    references: tuple[Reference, ...] = ()
    alt_texts: tuple[AltText, ...] = ()


# --- reading the apparatus out of Markdown and HTML ----------------------------------------------------------


def markdown_apparatus(text: str) -> Apparatus:
    """The notes (`[^id]: ...` after the notes marker) and the chart images' alt texts of a Markdown brief."""
    notes, alts, after_marker = [], [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == NOTES_MARKER:
            after_marker = True
        definition = _NOTE_DEF.match(line)
        if definition and after_marker:
            fact_id = definition.group("fn").removeprefix("fact:")
            notes.append(Note(fact_id, definition.group("text"), number))
        for image in _IMAGE.finditer(line):
            chart_id = image.group("src").rsplit("/", 1)[-1].rsplit(".", 1)[0]
            alts.append(AltText(chart_id, image.group("alt"), number))
    return Apparatus(tuple(notes), (), tuple(alts))


class _ApparatusParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.notes: list[Note] = []
        self.references: list[Reference] = []
        self.alts: list[AltText] = []
        self.chart = ""  # the chart id of the figure being read
        self.note: tuple[str, str, int] | None = None  # (fact id, anchor, line) of the note being read
        self.note_depth = 0
        self.parts: list[str] = []
        self.reference: tuple[str, str, int] | None = None
        self.shown: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if a.get("id", "").startswith("chart-"):
            self.chart = a["id"].removeprefix("chart-")
        label = a.get("aria-label") or (a.get("alt") if tag == "img" else "")
        if self.chart and label:
            self.alts.append(AltText(self.chart, label, self.getpos()[0]))
        if tag == "li" and "data-fact-id" in a:
            self.note, self.note_depth, self.parts = (a["data-fact-id"], a.get("id", ""), self.getpos()[0]), 1, []
        elif self.note is not None and tag not in ("br", "img", "hr", "wbr"):
            self.note_depth += 1
        if tag == "a" and a.get("data-fact"):
            self.reference, self.shown = (a["data-fact"], a.get("href", "").lstrip("#"), self.getpos()[0]), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self.chart = ""
        if tag == "a" and self.reference is not None:
            fact_id, target, line = self.reference
            self.references.append(Reference(fact_id, target, "".join(self.shown).strip(), line))
            self.reference = None
        if self.note is not None:
            self.note_depth -= 1
            if self.note_depth == 0:
                fact_id, anchor, line = self.note
                self.notes.append(Note(fact_id, " ".join("".join(self.parts).split()), line, anchor))
                self.note = None

    def handle_data(self, data: str) -> None:
        if self.reference is not None:
            self.shown.append(data)
        if self.note is not None:
            self.parts.append(data)


def html_apparatus(html: str) -> Apparatus:
    """The notes (`<li data-fact-id>`), footnote marks (`<a data-fact href>`) and chart alt texts
    (`aria-label` or `alt` inside an element whose id is `chart-<id>`) of an HTML brief."""
    parser = _ApparatusParser()
    parser.feed(html)
    parser.close()
    return Apparatus(tuple(parser.notes), tuple(parser.references), tuple(parser.alts))


# --- checking it -------------------------------------------------------------------------------------------


def check_apparatus(
    apparatus: Apparatus, facts: FactTable, cited: Iterable[str], where: str = "line"
) -> tuple[list[Finding], int, int]:
    """Findings for the notes, references and alt texts; and how many notes and alt texts were checked."""
    by_id = facts.by_id
    findings = [f for note in apparatus.notes for f in _check_note(note, by_id, where)]
    noted = {n.fact_id for n in apparatus.notes}
    if apparatus.notes:
        for fact_id in dict.fromkeys(cited):
            if fact_id in by_id and fact_id not in noted:
                message = f"the text cites {fact_id}, but no note gives it; every cited fact needs its note"
                findings.append(Finding("note", fact_id, 1, message, (fact_id,), where))
    findings += _check_references(apparatus, where)
    checked_alts = 0
    for alt in apparatus.alt_texts:
        chart = _chart_for(alt, facts.charts)
        if chart is None:
            if facts.charts:
                message = f"alt text of a chart {alt.chart_id!r} the facts file does not hold"
                findings.append(Finding("alt-text", alt.text[:60], alt.line, message, (), where))
            continue  # a facts file written before charts were recorded: nothing to check against
        checked_alts += 1
        findings += [
            Finding("alt-text", words, alt.line, f"chart {chart.id}: {message}", (), where)
            for words, message in check_alt_text(alt.text, chart)
        ]
    return findings, len(apparatus.notes), checked_alts


def _chart_for(alt: AltText, charts: Sequence[ChartData]) -> ChartData | None:
    if alt.chart_id:
        return next((c for c in charts if c.id == alt.chart_id), None)
    # no id (a PDF's figures): the chart whose data explain the alt text best
    scored = sorted(charts, key=lambda c: len(check_alt_text(alt.text, c)))
    return scored[0] if scored else None


def _words(text: str) -> str:
    """Text as a reader sees it: case and runs of whitespace (a line break in a label) do not count."""
    return " ".join(text.lower().split())


def _numbers(text: str) -> list[str]:
    return [n.replace(",", "") for n in _NUMBER.findall(text)]


def _allowed_numbers(fact: Fact) -> set[str]:
    own = (
        display(fact),
        exact(fact),
        raw_value(fact.value, fact.unit),
        repr(fact.value),
        fact.period,
        fact.vintage,
        fact.source,
        fact.label,
        fact.comparison,
        fact.query,
        fact.id,
        note_text(fact),  # the note as the renderer writes it: the period and the release in words
    )
    return {n for text in own for n in _numbers(text)}


def _check_note(note: Note, by_id: dict[str, Fact], where: str) -> list[Finding]:
    fact = by_id.get(note.fact_id or "")
    shown = note.text[:60]
    if fact is None:
        message = f"a note for {note.fact_id!r}, which is not in the fact table"
        return [Finding("note", shown, note.line, message, (), where)]
    problems = []
    if _words(fact.label) not in _words(note.text):
        problems.append(f"does not give the fact's label {fact.label!r}: is it another fact's note?")
    numbers = _numbers(note.text)
    wanted = [n for n in _numbers(display(fact)) if n not in numbers]
    if wanted:
        problems.append(f"does not show the fact's value {display(fact)}")
    allowed = _allowed_numbers(fact)
    strange = [n for n in dict.fromkeys(numbers) if n not in allowed]
    if strange:
        problems.append(
            f"holds {', '.join(strange)}, which is not the fact's value ({display(fact)}, exactly "
            f"{raw_value(fact.value, fact.unit)}), period, vintage or query"
        )
    if not problems:
        return []
    return [Finding("note", shown, note.line, f"the note of {fact.id} {'; '.join(problems)}", (fact.id,), where)]


def _check_references(apparatus: Apparatus, where: str) -> list[Finding]:
    notes = {n.anchor: n for n in apparatus.notes if n.anchor}
    findings = []
    for ref in apparatus.references:
        note = notes.get(ref.target)
        if note is None:
            message = f"the mark {ref.shown!r} for {ref.fact_id} leads to #{ref.target}, which is no note"
        elif note.fact_id != ref.fact_id:
            message = f"the mark {ref.shown!r} cites {ref.fact_id} but leads to the note of {note.fact_id}"
        elif ref.target != f"fact-{ref.shown}":
            message = f"the mark shows {ref.shown!r} but leads to note {ref.target}"
        else:
            continue
        findings.append(Finding("reference", ref.shown, ref.line, message, (ref.fact_id,), where))
    return findings


# --- alt texts ---------------------------------------------------------------------------------------------

_PERCENT = re.compile(r"(?P<num>\d[\d,]*(?:\.\d+)?)\s?%")
_LEADER = re.compile(r" has the (?P<word>largest|smallest|highest|lowest) \w+ at the end")


def check_alt_text(text: str, chart: ChartData) -> list[tuple[str, str]]:
    """(words, what is wrong) for every statement of `text` the chart's data do not support."""
    xs = [x for _, points in chart.series for x, _ in points]
    periods = [x for x in dict.fromkeys(xs) if _PERIOD.fullmatch(x)]
    problems = [
        (m.group(0), f"{m.group(0)} is not a period the chart plots (it plots {_span(periods)})")
        for m in _PERIOD.finditer(text)
        if periods and m.group(0) not in periods
    ]
    for m in re.finditer(rf"({_PERIOD.pattern}) to ({_PERIOD.pattern})", text):
        first, last = chart.series[0][1][0][0], chart.series[0][1][-1][0]
        if (m.group(1), m.group(2)) != (first, last) and m.group(1) in periods and m.group(2) in periods:
            problems.append((m.group(0), f"says {m.group(0)}, but the chart runs from {first} to {last}"))
    for clause in re.split(r"(?<=[;:])\s|(?<=\.)\s", text):
        problems += _clause(clause, chart)
    problems += _order(text, chart)
    return problems


def _span(periods: Sequence[str]) -> str:
    return f"{periods[0]} to {periods[-1]}" if periods else "no periods"


def _clause(clause: str, chart: ChartData) -> list[tuple[str, str]]:
    named = [(name, points) for name, points in chart.series if _mentions(clause, name)]
    series = named or list(chart.series)
    problems = []
    for m in _PERCENT.finditer(clause):
        candidates = _candidates(clause, m, series)
        shown, decimals = m.group("num").replace(",", ""), len(m.group("num").partition(".")[2])
        if not any(str(round_half_up(v, decimals)) == shown for v in candidates):
            plotted = ", ".join(f"{v:.{max(decimals, 1)}f}%" for v in candidates[:6])
            problems.append((m.group(0), f"{m.group(0)} is not what the chart plots there ({plotted or 'nothing'})"))
    problems += _leader(clause, chart)
    return problems


def _mentions(clause: str, name: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", clause, re.IGNORECASE) is not None


def _candidates(
    clause: str, m: re.Match[str], series: Sequence[tuple[str, tuple[tuple[str, float], ...]]]
) -> list[float]:
    """The values a percent in a clause may state, narrowed by what the clause says about it."""
    before = clause[: m.start()].rstrip()
    after = clause[m.end() :]
    at = re.match(rf"\s+in\s+({_PERIOD.pattern})", after)
    points = [p for _, pts in series for p in pts]
    if at:
        points = [p for p in points if p[0] == at.group(1)]
    labels = [x for x, _ in points if not _PERIOD.fullmatch(x) and before.lower().endswith(x.lower())]
    if labels:
        return [v for x, v in points if x in labels]
    word = before.rsplit(None, 1)[-1].lower() if before else ""
    if word in ("from", "to") and not at:
        return [pts[0][1] if word == "from" else pts[-1][1] for _, pts in series if pts]
    if word in ("lowest", "highest", "smallest", "largest"):
        pick = min if word in ("lowest", "smallest") else max
        extreme = [pick(v for _, v in pts) for _, pts in series if pts]
        return [v for _, v in points if v in extreme]
    return [v for _, v in points]


def _leader(clause: str, chart: ChartData) -> list[tuple[str, str]]:
    """'<series> has the largest share at the end of the period': the series with the top last value."""
    m = _LEADER.search(clause)
    if not m or not chart.series:
        return []
    before = clause[: m.start()].rstrip()
    names = sorted((name for name, _ in chart.series), key=len, reverse=True)
    said = next((name for name in names if before.lower().endswith(name.lower())), before.rsplit(None, 1)[-1])
    pick = max if m.group("word") in ("largest", "highest") else min
    leader = pick(chart.series, key=lambda s: s[1][-1][1] if s[1] else 0.0)[0]
    if leader == said:
        return []
    return [(f"{said}{m.group(0)}", f"says {said}, but {leader} has the {m.group('word')} value at the end")]


def _order(text: str, chart: ChartData) -> list[tuple[str, str]]:
    """A list said to run 'largest first' (or 'smallest first') must."""
    m = re.search(r"\b(largest|smallest) first\b", text)
    if not m or len(chart.series) != 1:
        return []
    points = chart.series[0][1]
    at = {x: text.find(x, m.end()) for x, _ in points}
    listed = [x for x in sorted(at, key=at.__getitem__) if at[x] >= 0]
    value = dict(points)
    expected = sorted(listed, key=lambda x: -value[x] if m.group(1) == "largest" else value[x])
    if [value[x] for x in listed] == [value[x] for x in expected]:
        return []
    return [(m.group(0), f"says {m.group(0)}, but the list runs {', '.join(listed[:4])}...")]


__all__ = [
    "AltText",
    "Apparatus",
    "Note",
    "Reference",
    "check_alt_text",
    "check_apparatus",
    "html_apparatus",
    "markdown_apparatus",
]
