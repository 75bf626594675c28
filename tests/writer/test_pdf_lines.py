"""The PDF's plain paragraphs (the notes, the Reproduce appendix) are broken into lines by nearshore itself, for
speed: the lines, and the drawn pages, are those fpdf2's own multi_cell gives for the same text."""

from __future__ import annotations

import io
import random

import pypdf
import pytest

from nearshore.writer.pdf import _FONT, _Marks, _new_document, _Page
from nearshore.writer.pdf_lines import break_lines, plain_layout

FONTS = [("Courier", "", 6.0), ("Courier", "", 9.0), (_FONT, "", 7.5), (_FONT, "I", 7.5), (_FONT, "B", 12.0)]


def texts() -> list[str]:
    """Edge cases around a line's width, then seeded random text of words, runs of spaces and no-break spaces."""
    edges = ["", " ", "a", "x" * 500, "a " * 300, "  lead  and   trail  ", " " * 120 + "z"]
    for width in range(60, 125, 3):
        edges += ["w" * width + " b", "w" * width + "  b", "a " + "i" * width, "W" * width]
    rng = random.Random(12)
    vocabulary = ["SELECT", "sum(value_usd)", "x", "", ";", "=", "(a,b)", "\xa0", "Mexico’s", "15.6%", "—", "ü"]
    words = [rng.choice(vocabulary) for _ in range(4000)]
    return edges + [" ".join(words[i : i + rng.randint(0, 120)]) for i in range(0, 4000, 40)]


@pytest.mark.parametrize(("font", "style", "size"), FONTS)
def test_lines_break_where_fpdf2_breaks_them(font: str, style: str, size: float) -> None:
    pdf = _new_document("lines")
    pdf.set_font(font, style, size)
    for text in texts():
        if font == "Courier":
            text = text.encode("latin-1", "replace").decode("latin-1")  # what a core font can draw
        assert plain_layout(pdf, text)
        expected = pdf.multi_cell(0, size * 0.5, text, dry_run=True, output="LINES")
        assert (break_lines(pdf, text) or [""]) == expected, text
    pdf.output()  # closes the font files


def test_text_multi_cell_would_break_otherwise_is_left_to_it() -> None:
    pdf = _new_document("lines")
    pdf.set_font("Courier", "", 6)
    assert not plain_layout(pdf, "two\nlines")
    assert not plain_layout(pdf, "soft\xadhyphen")
    pdf.set_char_spacing(1)
    assert not plain_layout(pdf, "spaced")
    pdf.output()  # closes the font files


def page_streams(pdf: object) -> list[bytes]:
    streams = [page.get_contents() for page in pypdf.PdfReader(io.BytesIO(bytes(pdf.output()))).pages]  # type: ignore[attr-defined]
    return [stream.get_data() if stream is not None else b"" for stream in streams]


@pytest.mark.parametrize("markdown", [False, True])
def test_a_plain_paragraph_is_drawn_as_multi_cell_draws_it(markdown: bool) -> None:
    paragraphs = texts()[:60] + [f"{n}. " + "SELECT month, commodity FROM t WHERE a = 1 " * n for n in range(60)]
    if markdown:  # markdown the PDF draws (bold, underline) goes to multi_cell; the rest is plain text to it
        paragraphs += ["The **largest** sector", "and a -- dash", "a \\ b"] * 3
    page = _Page(_new_document("lines"), _Marks(()))
    reference = _new_document("lines")
    for n, text in enumerate(paragraphs):
        font, style, size = FONTS[n % len(FONTS)]
        if markdown and any(m in text for m in ("**", "[", "--", "\\")):
            font, style, size = _FONT, "", 9.0  # the markdown's bold in italic is a font the PDF does not load
        if font == "Courier":
            text = text.encode("latin-1", "replace").decode("latin-1")
        page.para(text, size, style, gap=0.6, markdown=markdown, font=font)
        reference.set_font(font, style, size)
        reference.multi_cell(0, size * 0.5, text, markdown=markdown, align="L", new_x="LMARGIN", new_y="NEXT")
        reference.ln(0.6)
    drawn = page_streams(page.pdf)
    assert len(drawn) > 3  # the text runs over several pages
    assert drawn == page_streams(reference)
