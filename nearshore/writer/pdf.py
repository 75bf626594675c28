"""The brief as PDF, drawn with fpdf2 (pure Python; the `pdf` extra): text with numbered footnote marks,
the key numbers, the charts as PNG with their alt text, the notes, and the methodology."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nearshore.errors import ConfigError
from nearshore.writer import citations
from nearshore.writer.charts import Chart, render_png
from nearshore.writer.colophon import BriefInfo, label_text, source_lines
from nearshore.writer.facts import Fact, FactTable, display, exact, note_label
from nearshore.writer.plan import Draft

_FONT = "DejaVu"
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _fonts() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


class _Marks(citations.Footnotes):
    def sub(self, text: str) -> str:
        def mark(ids: tuple[str, ...]) -> str:
            numbers = ",".join(str(self.number(fact_id)) for fact_id in ids)
            return numbers.translate(_SUPERSCRIPT)  # a printed footnote mark: 15.6%²

        return citations.replace(text, mark)


def brief_pdf(draft: Draft, facts: FactTable, charts: Sequence[Chart], info: BriefInfo, checked: int) -> bytes:
    """The PDF bytes. `info` is the BriefInfo used for the HTML (label, methodology, rejections)."""
    page = _Page(_new_document(citations.without_citations(draft.headline)), _Marks(facts.by_id))
    page.pdf.set_text_color(90, 90, 96)
    page.para(label_text(info), 7.5, "I")
    page.pdf.set_text_color(20, 20, 20)
    page.para(draft.headline, 17, "B", 3)
    page.para(draft.standfirst, 11)
    keys = [facts.by_id[fact_id] for fact_id in draft.key_numbers if fact_id in facts.by_id]
    if keys:
        _key_numbers(page.pdf, keys, page.marks)
    for section in draft.sections:
        page.section(section.title, section.markdown, [c for c in charts if c.after == section.id])
    # a reader of the PDF meets the method before the notes and their SQL, which run to several pages
    page.heading("Methodology and sources")
    for line in info.methodology:
        page.para(line, 8.5)
    page.para("Sources: " + "; ".join(source_lines(facts, page.marks.order)) + ".", 8.5)
    page.para(f"Verification: {checked} figures checked against their cited facts; none failed.", 8.5)
    page.notes(facts)
    return bytes(page.pdf.output())


def _new_document(title: str) -> Any:
    try:
        from fpdf import FPDF
    except ImportError:
        raise ConfigError("PDF output needs fpdf2: pip install 'nearshore[pdf]'") from None
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


class _Page:
    """Writes the brief's parts into the document, numbering citations as footnote marks."""

    def __init__(self, pdf: Any, marks: _Marks) -> None:
        self.pdf, self.marks = pdf, marks

    def para(self, text: str, size: float = 10, style: str = "", gap: float = 2.5, markdown: bool = True) -> None:
        self.pdf.set_font(_FONT, style, size)
        self.pdf.multi_cell(0, size * 0.5, self.marks.sub(text), markdown=markdown, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(gap)

    def heading(self, text: str) -> None:
        keep_with_next(self.pdf, 30)
        self.para(text, 12, "B", 1)

    def section(self, title: str, markdown: str, charts: Sequence[Chart]) -> None:
        keep_with_next(self.pdf, 30)
        self.para(title, 13, "B", 1.5)
        for block in markdown.split("\n"):
            if block.strip().endswith(":"):  # a list's lead-in stays with the list
                keep_with_next(self.pdf, 20)
            if block.strip():
                self.para(("• " + block[2:]) if block.startswith("- ") else block)
        for chart in charts:
            image = io.BytesIO(render_png(chart, dpi=130))
            self.pdf.image(image, w=self.pdf.epw, alt_text=chart.alt, title=chart.title)
            self.para(f"Source: {chart.source}.", 7.5, "I")  # the title is drawn in the chart

    def notes(self, facts: FactTable) -> None:
        """One note per cited fact; each distinct query printed once, under Queries, and referred to by number."""
        self.heading("Notes")
        queries: dict[str, int] = {}
        for number, fact_id in enumerate(self.marks.order, start=1):
            fact = facts.by_id[fact_id]
            query = f"; query Q{queries.setdefault(fact.query, len(queries) + 1)}" if fact.query else ""
            self.para(
                f"{number}. {note_label(fact)}: {display(fact)} ({exact(fact)}); "
                f"period {fact.period}; source {fact.source}; vintage {fact.vintage}{query}; fact {fact.id}",
                7.5,
                gap=0.8,
                markdown=False,  # notes hold SQL ('SELECT *'), which is not markdown
            )
        if queries:
            self.heading("Queries")
            self.para("The SQL each note refers to, run on the nearshore store.", 7.5, "I", 1)
            for query, number in queries.items():
                self.para(f"Q{number}. {' '.join(query.split())}", 6.5, gap=0.8, markdown=False)


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
        pdf.cell(pdf.epw - value_width, 6, f"{fact.label}, {fact.period}")
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
