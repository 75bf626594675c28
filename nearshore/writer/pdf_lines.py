"""Line breaking for the PDF's plain paragraphs (the notes and the Reproduce appendix), done here rather than by
fpdf2's multi_cell, whose line breaker re-measures the whole line at every character (quadratic in the line's
length: the notes and the long SQL of the appendix were most of the PDF's cost).

`break_lines` gives exactly the lines multi_cell gives for one paragraph in one font without markdown: it sums
the font's integer character widths as fpdf2 does and compares them with the room left, with fpdf2's tolerance,
at the same points. `plain_layout` says when that holds (no character spacing, stretching, text shaping or
symbol font); anything else goes to multi_cell.
"""

from __future__ import annotations

import re
from typing import Any

NBSP = "\xa0"  # multi_cell draws a no-break space as a space, and never breaks at it
_UNEVEN = re.compile("[\n\r\xad]")  # newlines and soft hyphens: left to multi_cell


def plain_layout(pdf: Any, text: str) -> bool:
    """Whether `break_lines` breaks `text` in the current font as multi_cell would."""
    font = pdf.current_font
    return not (
        _UNEVEN.search(text)
        or pdf.char_spacing
        or pdf.font_stretching != 100
        or pdf.text_shaping
        or getattr(font, "is_symbol", False)
    )


def break_lines(pdf: Any, text: str) -> list[str]:
    """`text` (one paragraph in the current font) in the lines multi_cell(0, ...) breaks it into at the current
    position, as drawn: a space that would overflow ends the line and is dropped; another character that would
    overflow ends it at the last space (dropped), else (a word longer than the line) before itself."""
    from fpdf.fonts import CoreFont
    from fpdf.line_break import BREAKING_SPACE_SYMBOLS_STR as spaces
    from fpdf.util import FloatTolerance

    font, size, k = pdf.current_font, pdf.font_size_pt, pdf.k
    units = [font.cw[c] for c in text] if isinstance(font, CoreFont) else [font.cw[ord(c)] for c in text]
    room = pdf.w - pdf.r_margin - pdf.x
    room -= pdf.c_margin  # multi_cell's two inner margins, taken off one at a time as fpdf2 does
    room -= pdf.c_margin
    lines: list[str] = []
    i, end = 0, len(text)
    while i < end:
        start, space, total = i, -1, 0
        while i < end and not FloatTolerance.greater_than(total * size * 0.001 / k + units[i] * size * 0.001 / k, room):
            if text[i] in spaces:
                space = i
            total += units[i]
            i += 1
        if i == end:
            lines.append(text[start:])
        elif text[i] in spaces:
            lines.append(text[start:i])
            i += 1
        elif space >= 0:
            lines.append(text[start:space])
            i = space + 1
        elif i == start:
            raise ValueError(f"the character {text[i]!r} is wider than the line")
        else:
            lines.append(text[start:i])
    return [line.replace(NBSP, " ") for line in lines]


__all__ = ["NBSP", "break_lines", "plain_layout"]
