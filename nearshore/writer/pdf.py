"""The brief as PDF, drawn with fpdf2 (pure Python, a base dependency): the article first (headline, key numbers,
sections with their tables and charts), then the notes, the methodology, and the Reproduce appendix last.

A chart that does not fit the space left on a page is drawn smaller when most of it fits; otherwise the text
flows on and the chart opens the next page, so no page is left half empty before a chart.
"""

from __future__ import annotations

import importlib.util
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nearshore.errors import ConfigError
from nearshore.writer import citations
from nearshore.writer.charts import Chart, png_size, render_png
from nearshore.writer.colophon import BriefInfo, label_text, source_lines
from nearshore.writer.facts import Fact, FactTable, display, note_label
from nearshore.writer.notes import REPRODUCE_INTRO, note_text, period_words, reproduction
from nearshore.writer.pdf_lines import break_lines, plain_layout
from nearshore.writer.plan import Draft

_FONT = "DejaVu"
_MONO = "Courier"  # a core font: every character 600/1000 of the size wide
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")
_MARKDOWN = re.compile(r"\*\*|__|~~|--|\\|\[")  # what fpdf2's markdown reads: without it, text is plain
CAPTION_MM = 9.0  # the caption line under a chart
SHRINK = 0.6  # a chart is drawn smaller down to this fraction of its height rather than moved to the next page


def _fonts() -> Path:
    """matplotlib's DejaVu fonts (its `get_data_path()`), found without importing matplotlib (0.5 s), which a
    brief whose charts are cached does not otherwise need."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise ConfigError("PDF output needs matplotlib's fonts: pip install matplotlib (a dependency of nearshore)")
    return Path(spec.origin).with_name("mpl-data") / "fonts" / "ttf"


class _Marks(citations.Footnotes):
    def sub(self, text: str) -> str:
        def mark(ids: tuple[str, ...]) -> str:
            numbers = ",".join(str(self.number(fact_id)) for fact_id in ids)
            return "\x00" + numbers.translate(_SUPERSCRIPT) + "\x01"  # a printed footnote mark: 15.6%²

        # adjacent citations print as one mark, '25%²³,²⁴' (not '25%²³²⁴', which reads as note 2324)
        return citations.replace(text, mark).replace("\x01\x00", ",").replace("\x00", "").replace("\x01", "")


def _latin(text: str) -> str:
    """Text for a core PDF font (Courier, fast to lay out for the long SQL): Latin-1, anything else as '?'."""
    return text.replace("“", '"').replace("”", '"').replace("’", "'").encode("latin-1", "replace").decode("latin-1")


def _plain(text: str) -> str:
    """Markdown the PDF does not draw, as text: links as 'text (url)', code spans without their backticks."""
    return _LINK.sub(r"\1 (\2)", text).replace("`", "")


def brief_pdf(draft: Draft, facts: FactTable, charts: Sequence[Chart], info: BriefInfo, checked: int) -> bytes:
    """The PDF bytes. `info` is the BriefInfo used for the HTML (label, methodology, rejections)."""
    return bytes(layout(draft, facts, charts, info, checked).pdf.output())


def layout(draft: Draft, facts: FactTable, charts: Sequence[Chart], info: BriefInfo, checked: int) -> _Page:
    """The laid-out document (its `placed` and `breaks` record where each chart went and why pages broke)."""
    page = _Page(_new_document(citations.without_citations(draft.headline)), _Marks(facts.by_id))
    page.pdf.set_text_color(90, 90, 96)
    page.para(label_text(info), 7.5, "I")
    page.pdf.set_text_color(20, 20, 20)
    page.para(citations.without_citations(draft.headline), 17, "B", 3)
    page.para(draft.standfirst, 11)
    keys = [facts.by_id[fact_id] for fact_id in draft.key_numbers if fact_id in facts.by_id]
    if keys:
        _key_numbers(page.pdf, keys, page.marks)
    for section in draft.sections:
        page.section(section.title, section.markdown, [c for c in charts if c.after == section.id])
    page.flush()
    page.notes(facts)
    page.heading("Methodology and sources")
    for line in info.methodology:
        page.para(line, 8.5)
    page.para("Sources: " + "; ".join(source_lines(facts, page.marks.order)) + ".", 8.5)
    page.para(f"Verification: {checked} figures checked against their cited facts; none failed.", 8.5)
    page.reproduce(facts)
    return page


def _new_document(title: str) -> Any:
    try:
        from fpdf import FPDF
    except ImportError:
        raise ConfigError("PDF output needs fpdf2: pip install fpdf2 (a dependency of nearshore)") from None
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_margins(20, 18, 20)
    fonts = _fonts()
    pdf.add_font(_FONT, "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font(_FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.add_font(_FONT, "I", str(fonts / "DejaVuSans-Oblique.ttf"))
    pdf.set_title(title)
    pdf.set_creator("nearshore")
    pdf.add_page()
    return pdf


def _blocks(markdown: str) -> list[list[str]]:
    """A section's markdown as blocks: a paragraph or list item (one line), or a table (its rows)."""
    out: list[list[str]] = []
    for line in markdown.split("\n"):
        if not line.strip():
            continue
        if line.startswith("|") and out and out[-1][0].startswith("|"):
            out[-1].append(line)
        else:
            out.append([line])
    return out


class _Page:
    """Writes the brief's parts into the document, numbering citations as footnote marks."""

    def __init__(self, pdf: Any, marks: _Marks) -> None:
        self.pdf, self.marks = pdf, marks
        self.pending: list[Chart] = []
        self.placed: list[tuple[str, int, float]] = []  # (chart id, page, scale) as drawn
        self.breaks: list[float] = []  # space (mm) left on a page that a waiting chart's page break ended

    def room(self) -> float:
        return float(self.pdf.page_break_trigger - self.pdf.get_y())

    def para(
        self, text: str, size: float = 10, style: str = "", gap: float = 2.5, markdown: bool = True, font: str = _FONT
    ) -> None:
        self.pdf.set_font(font, style, size)
        text = self.marks.sub(_plain(text) if markdown else text)
        if not (markdown and _MARKDOWN.search(text)) and plain_layout(self.pdf, text):
            self.plain(text, font, style, size, gap, markdown)
            return
        if self.pending:
            height = self.pdf.multi_cell(0, size * 0.5, text, markdown=markdown, dry_run=True, output="HEIGHT")
            self.place_pending(height)
            self.pdf.set_font(font, style, size)  # a chart drawn here set its caption's font
        self.pdf.multi_cell(0, size * 0.5, text, markdown=markdown, align="L", new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(gap)

    def plain(self, text: str, font: str, style: str, size: float, gap: float, markdown: bool) -> None:
        """A paragraph without markdown, as `para` draws it with multi_cell, without multi_cell's line breaking
        (see pdf_lines): broken into the same lines, each drawn as one cell."""
        lines = break_lines(self.pdf, text) or [""]
        height = size * 0.5
        if self.pending:
            self.place_pending(height * len(lines))
            self.pdf.set_font(font, style, size)
        for line in lines:
            self.pdf.cell(0, height, line, markdown=markdown, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(gap)

    def heading(self, text: str) -> None:
        keep_with_next(self.pdf, 30)
        self.para(text, 12, "B", 1)

    def section(self, title: str, markdown: str, charts: Sequence[Chart]) -> None:
        keep_with_next(self.pdf, 30)
        self.para(title, 13, "B", 1.5)
        for block in _blocks(markdown):
            first = block[0].strip()
            if first.startswith("|"):
                self.table(block)
            elif first.endswith(":") or (first.startswith("**") and first.endswith("**")):
                keep_with_next(self.pdf, 20)  # a lead-in or a sub-heading stays with what follows
                self.para(first)
            else:
                self.para(("• " + first[2:]) if first.startswith("- ") else first)
        for chart in charts:
            self.chart(chart)

    def table(self, rows: list[str]) -> None:
        cells = [
            [c.strip() for c in r.strip().strip("|").split("|")] for r in rows if not re.match(r"^\|[\s:|-]+\|$", r)
        ]
        self.pdf.set_font(_FONT, "", 7.5)
        self.place_pending(8.0 * min(len(cells), 4))
        self.pdf.set_font(_FONT, "", 7.5)
        with self.pdf.table(
            col_widths=_widths(cells), line_height=3.6, padding=1, first_row_as_headings=True, text_align="LEFT"
        ) as table:
            for row in cells:
                line = table.row()
                for cell in row:
                    line.cell(self.marks.sub(_plain(cell)))
        self.pdf.ln(3)

    def image_height(self, chart: Chart) -> float:
        width_in, height_in = png_size(chart)
        return float(self.pdf.epw * height_in / width_in)

    def chart(self, chart: Chart) -> None:
        """Draw the chart here: whole, a little smaller, or (keeping the order of charts) on the next page."""
        image = self.image_height(chart)
        scale = min(1.0, (self.room() - CAPTION_MM - 1) / image)
        if not self.pending and scale >= SHRINK:
            self._draw(chart, scale)
        else:
            self.pending.append(chart)

    def _draw(self, chart: Chart, scale: float) -> None:
        self.placed.append((chart.id, self.pdf.page, scale))
        width = self.pdf.epw * scale
        image = io.BytesIO(render_png(chart, dpi=130))
        self.pdf.image(
            image, x=self.pdf.l_margin + (self.pdf.epw - width) / 2, w=width, alt_text=chart.alt, title=chart.title
        )
        self.pdf.set_font(_FONT, "I", 7.5)
        caption = f"{chart.caption} Source: {chart.source}." if chart.caption else f"Source: {chart.source}."
        self.pdf.multi_cell(0, 3.75, caption, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2.5)

    def place_pending(self, needed: float) -> None:
        """Before text of `needed` mm: a waiting chart goes here if it fits, or opens the page the text needs."""
        while self.pending:
            if self.image_height(self.pending[0]) + CAPTION_MM <= self.room():
                self._draw(self.pending.pop(0), 1.0)
            elif needed > self.room():
                self.breaks.append(self.room())
                self.pdf.add_page()
            else:
                return

    def flush(self) -> None:
        while self.pending:
            self.place_pending(self.room() + 1)

    def notes(self, facts: FactTable) -> None:
        """One note per cited fact, written for people."""
        self.heading("Notes")
        for number, fact_id in enumerate(self.marks.order, start=1):
            self.para(f"{number}. {note_text(facts.by_id[fact_id])}", 7.5, gap=0.8, markdown=False)

    def reproduce(self, facts: FactTable) -> None:
        """The Reproduce appendix: ids, exact values and sources per note, then each distinct query once."""
        found = reproduction([facts.by_id[i] for i in self.marks.order])
        self.pdf.add_page()
        self.heading("Reproduce")
        self.para(REPRODUCE_INTRO, 7.5, "I", 1.5)
        for number, line in enumerate(found.lines, start=1):
            self.para(_latin(f"{number}. {line}"), 6, gap=0.6, markdown=False, font=_MONO)  # not markdown
        if found.queries:
            self.heading("Queries")
            for name, sql in found.queries:
                self.para(_latin(f"{name}. {sql}"), 6, gap=0.8, markdown=False, font=_MONO)


def _widths(cells: list[list[str]]) -> list[float]:
    """Column widths from the text: never narrower than the longest word, wide text capped so others keep room."""
    out = []
    for i in range(len(cells[0])):
        texts = [citations.without_citations(row[i]) for row in cells]
        word = max((len(w) for t in texts for w in t.split()), default=1)
        out.append(float(max(word + 2, min(max(len(t) for t in texts), 38))))
    return out


def keep_with_next(pdf: Any, height: float) -> None:
    """Start a new page unless `height` mm (a heading and the lines it introduces) fits on this one."""
    if pdf.will_page_break(height):
        pdf.add_page()


def _key_numbers(pdf: Any, keys: Sequence[Fact], marks: _Marks) -> None:
    """The key numbers as a ruled box: label and period on the left, the figure on the right."""
    pdf.ln(1)
    pdf.set_draw_color(29, 29, 31)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.ln(1.5)
    pdf.set_font(_FONT, "B", 8)
    pdf.cell(0, 5, "KEY NUMBERS", new_x="LMARGIN", new_y="NEXT")
    value_width = 45
    for fact in keys:
        pdf.set_font(_FONT, "", 9)
        pdf.set_text_color(91, 91, 96)
        pdf.cell(pdf.epw - value_width, 6, f"{note_label(fact)}, {period_words(fact.period)}")
        pdf.set_font(_FONT, "B", 10)
        pdf.set_text_color(20, 20, 20)
        pdf.cell(
            value_width, 6, marks.sub(display(fact) + citations.cite(fact.id)), align="R", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(1)
    pdf.set_draw_color(217, 217, 222)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.ln(5)
