"""Reading a brief's PDF back for the verifier (pypdf, the `pdf` extra): the prose as blocks with citations,
the notes, and the charts' alt texts.

The PDF prints a citation as a superscript footnote mark (`15.6%²`), its note as `2. <label>, <period>: <value>.
<source>.` and, in the Reproduce appendix, `2. <fact id>: <exact value>; ...`; the mark is read back as the
citation of that note's fact. The text is read with its font size: the
fine print (under 9 pt: the machine-writing label, chart captions, methodology, notes, queries) is not prose;
a change of size starts a new block (a heading, a key number's row), a cell of a table (fine print with a mark) is
a block of its own, except for a short run holding a mark,
which is the value of the line before it (a key number). A note that names no fact (a PDF written before notes
did) is matched to the fact whose label and exact value it gives. Alt texts come from the structure tree's
figures, in order.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from nearshore.errors import ConfigError, InputError
from nearshore.writer.apparatus import AltText, Apparatus, Note
from nearshore.writer.citations import cite
from nearshore.writer.extract import Block
from nearshore.writer.facts import FactTable, note_label, raw_value

PROSE_SIZE = 9.0  # points: smaller text is fine print
_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_MARK = re.compile(f"[{_DIGITS}]+(?:,[{_DIGITS}]+)*")
_NOTE = re.compile(r"^(?P<n>\d+)\.\s+(?P<text>.*)$", re.DOTALL)
_FACT_ID = re.compile(r"(?:;\s*)?\bfact\s+(?P<id>[a-z0-9][a-z0-9_\-]*(?:\.[a-z0-9_\-]+)+)\s*$")


@dataclass(frozen=True)
class _Run:
    """One run of text as the PDF draws it (about a line), its size in points and its page."""

    text: str
    size: float
    page: int


@dataclass(frozen=True)
class PdfText:
    blocks: tuple[Block, ...]
    apparatus: Apparatus


def read_pdf(data: bytes, facts: FactTable, source: str = "PDF") -> PdfText:
    """The prose blocks (marks turned into citations, `line` = page), the notes and the alt texts."""
    reader = _reader(data, source)
    runs = _runs(reader, source)
    notes = _notes(runs, facts)
    ids = {int(n.anchor): n.fact_id or f"note-{n.anchor}" for n in notes}
    blocks = tuple(Block(_citations(text, ids), page) for text, page in _prose(runs))
    return PdfText(blocks, Apparatus(tuple(notes), (), tuple(_alt_texts(reader))))


def _reader(data: bytes, source: str) -> Any:
    try:
        import pypdf
    except ImportError:
        raise ConfigError("checking a PDF needs pypdf: pip install 'nearshore[pdf]'") from None
    try:
        return pypdf.PdfReader(io.BytesIO(data))
    except Exception as exc:  # pypdf raises many kinds for a broken file
        raise InputError(f"{source}: not a readable PDF ({exc}); give the PDF written by `nearshore brief`") from None


def _runs(reader: Any, source: str) -> list[_Run]:
    runs: list[_Run] = []
    for page_number, page in enumerate(reader.pages, start=1):

        def visit(text: str, _cm: Any, tm: Any, _font: Any, size: float, page_number: int = page_number) -> None:
            if text.strip():
                runs.append(_Run(" ".join(text.split()), round(abs(size * tm[0]) or size, 1), page_number))

        try:
            page.extract_text(visitor_text=visit)
        except Exception as exc:  # a damaged content stream
            raise InputError(f"{source}: page {page_number} cannot be read ({exc})") from None
    return runs


def _prose(runs: list[_Run]) -> list[tuple[str, int]]:
    """(text, page) of each block of prose."""
    blocks: list[tuple[list[str], int]] = []
    previous: _Run | None = None
    for run in runs:
        if run.size < PROSE_SIZE:
            if _MARK.search(run.text):  # a table's cell: fine print that cites
                blocks.append(([run.text], run.page))
            previous = None  # fine print ends a block
            continue
        value = bool(_MARK.search(run.text)) and len(run.text.split()) <= 4
        if blocks and previous is not None and (previous.size == run.size or value):
            blocks[-1][0].append(run.text)
        else:
            blocks.append(([run.text], run.page))
        previous = run
    return [(" ".join(parts), page) for parts, page in blocks]


def _citations(text: str, ids: dict[int, str]) -> str:
    """Each footnote mark as the citation of its note's fact ('15.6%²' -> '15.6%[[fact:ID]]')."""

    def citation(m: re.Match[str]) -> str:
        numbers = [int(part.translate(str.maketrans(_DIGITS, "0123456789"))) for part in m.group(0).split(",")]
        return cite(*(ids.get(n, f"note-{n}") for n in numbers))

    return _MARK.sub(citation, text)


def _notes(runs: list[_Run], facts: FactTable) -> list[Note]:
    """The notes: fine-print paragraphs '1. ...', '2. ...' numbered from 1. Each note's fact is the id that opens
    the line of the same number in the Reproduce appendix (the second run of numbered fine print), or, in a PDF
    without the appendix, the fact the note itself names."""
    found: list[tuple[int, list[str], int]] = []
    for run in runs:
        if run.size >= PROSE_SIZE:
            if found:
                found.append((-1, [], run.page))  # a heading ends the last note
            continue
        start = _NOTE.match(run.text)
        if start:
            found.append((int(start.group("n")), [start.group("text")], run.page))
        elif found and found[-1][0] > 0:
            found[-1][1].append(run.text)
    series: list[list[tuple[str, int]]] = []
    for number, parts, page in found:
        if number == 1:
            series.append([])
        if series and number == len(series[-1]) + 1:
            series[-1].append((" ".join(parts), page))
    if not series:
        return []
    notes, lines = series[0], (series[1] if len(series) > 1 else [])
    ids = [_reproduced(text, facts) for text, _ in lines]
    return [
        Note(ids[i] if i < len(ids) and ids[i] else _fact_of(text, facts), text, page, str(i + 1))
        for i, (text, page) in enumerate(notes)
    ]


def _reproduced(line: str, facts: FactTable) -> str | None:
    """The fact id that opens a Reproduce line ('mex.imports.share.2025: 15.6 percent; ...')."""
    head = line.split(":", 1)[0].strip()
    return head if head in facts.by_id else None


def _fact_of(text: str, facts: FactTable) -> str | None:
    named = _FACT_ID.search(text)
    if named:
        return named.group("id")
    matching = [
        f.id
        for f in facts
        if text.lower().startswith(note_label(f).lower() + ":")
        and raw_value(f.value, f.unit) in text
        and f"period {f.period};" in text
    ]
    return matching[0] if len(matching) == 1 else None


def _alt_texts(reader: Any) -> list[AltText]:
    """The alt text of every figure of the structure tree, in document order."""
    found: list[AltText] = []
    stack = [reader.trailer["/Root"].get("/StructTreeRoot")]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                found.append(AltText("", str(node["/Alt"]), 1))
            kids = node.get("/K")
            if kids is not None:
                stack.append(kids)
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


__all__ = ["PROSE_SIZE", "PdfText", "read_pdf"]
