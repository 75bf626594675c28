"""The PDF's monospace text (the Reproduce appendix) is broken into lines by nearshore itself, for speed: the
lines, and the drawn pages, are those fpdf2's own multi_cell gives for the same text."""

from __future__ import annotations

import io
import random

import pypdf
import pytest
from fpdf import FPDF

from nearshore.writer.pdf import _Marks, _new_document, _Page, mono_chars, mono_lines

SIZES = (6.0, 7.5, 9.0)


def texts(chars: int) -> list[str]:
    """Edge cases around the line's width, then seeded random text of words, runs of spaces and no-break spaces."""
    edges = ["", " ", "a", "x" * 500, "a " * 300, "  lead  and   trail  ", " " * (chars + 3) + "z"]
    for width in (chars - 1, chars, chars + 1):
        edges += ["w" * width + " b", "w" * width + "  b", "a " + "w" * width, "w" * width]
    rng = random.Random(12)
    words = [rng.choice(["SELECT", "sum(value_usd)", "x", "", ";", "=", "(a,b)", "\xa0"]) for _ in range(4000)]
    return edges + [" ".join(words[i : i + rng.randint(0, 120)]) for i in range(0, 4000, 40)]


@pytest.mark.parametrize("size", SIZES)
def test_monospace_lines_break_where_fpdf2_breaks_them(size: float) -> None:
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.add_page()
    pdf.set_font("Courier", "", size)
    chars = mono_chars(pdf)
    assert chars == int((pdf.epw - 2 * pdf.c_margin) / (0.6 * size * 25.4 / 72))  # 600/1000 of the size each
    for text in texts(chars):
        expected = pdf.multi_cell(0, size * 0.5, text, dry_run=True, output="LINES")
        assert (mono_lines(text, chars) or [""]) == expected, text


def page_streams(pdf: FPDF) -> list[bytes]:
    streams = [page.get_contents() for page in pypdf.PdfReader(io.BytesIO(bytes(pdf.output()))).pages]
    return [stream.get_data() if stream is not None else b"" for stream in streams]


def test_a_monospace_paragraph_is_drawn_as_multi_cell_draws_it() -> None:
    paragraphs = texts(88)[:40] + [f"{n}. " + "SELECT month, commodity FROM t WHERE a = 1 " * n for n in range(60)]
    page = _Page(_new_document("monospace"), _Marks(()))
    reference = _new_document("monospace")
    for n, text in enumerate(paragraphs):
        size, gap = SIZES[n % 3], 0.6
        page.para(text, size, gap=gap, markdown=False, font="Courier")
        reference.set_font("Courier", "", size)
        reference.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        reference.ln(gap)
    drawn = page_streams(page.pdf)
    assert len(drawn) > 3  # the text runs over several pages
    assert drawn == page_streams(reference)
