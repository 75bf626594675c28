"""A large table as text without Rich's per-cell layout, byte for byte what Rich would print.

`emit` hands its table here first; `render` writes it and returns True only when the text is provably Rich's own:

- the console is a file or a terminal in UTF-8 (Rich's box characters), not Jupyter, not legacy Windows, not
  recording. On a terminal Rich styles only the title (italic) and the header (bold), which Rich still prints:
  a table's cells are not highlighted, so its data rows are the same plain text with or without colour;
- every header and cell is one line of printable characters each one terminal cell wide (ASCII, accented Latin,
  '…'; no wide East Asian characters, combining marks, tabs or control codes), with no '[' (Rich markup) and no
  ':name:' Rich would turn into an emoji;
- every column ends at least one character wide inside its padding.

Anything else returns False and `emit` prints with Rich. The column widths follow Rich's own steps
(rich.table.Table._calculate_column_widths: each column's widest cell, the wrapping columns collapsed
with Rich's `_collapse_widths`, then `ratio_reduce`); each cell is broken with Rich's `divide_line`, trimmed,
justified and cut with '…' as rich.text.Text.wrap does. Rich itself prints the title, the header rows and the
borders (the table `frame`, output.rich_frame, builds with the same fixed widths and no rows); the data rows are
written a chunk at a time in between.
tests/cli/test_table_text.py compares the two over generated tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

CHUNK = 2_000  # rows written at a time


Frame = Callable[[Sequence[str], Sequence[bool], Sequence[int | None], str | None], "Table"]


def render(
    console: Console,
    headers: Sequence[str],
    cells: Sequence[Sequence[str]],
    right: Sequence[bool],
    fixed: Sequence[int | None],
    title: str | None,
    frame: Frame,
) -> bool:
    """Write the table (the layout `emit` gives Rich: `fixed` widths, None for a wrapping column; `right`-justified
    columns; `frame` builds Rich's table from them, output.rich_frame) to the console's file and return True, or
    write nothing and return False (see the module doc)."""
    if not headers or not _plain_console(console) or not _plain_texts([*headers, *(c for row in cells for c in row)]):
        return False
    widths = _widths(headers, cells, fixed, console.width - len(headers) - 1)
    if widths is None:
        return False
    head = _frame(console, frame(headers, right, [width - 2 for width in widths], title))
    out = console.file
    out.write(head[0])
    for chunk in _chunks(cells, widths, right):
        out.write(chunk)
    out.write(head[1])
    out.flush()
    return True


def _plain_console(console: Console) -> bool:
    return (
        not console.record and not console.is_jupyter and not console.legacy_windows and not console.options.ascii_only
    )


def _plain_texts(texts: list[str]) -> bool:
    """Each text is one line of one-cell printable characters that Rich shows as they are (no markup, no emoji
    codes). Checked on the texts joined by spaces: an emoji code has no space in it, so it lies in one text."""
    joined = " ".join(texts)
    if not joined.isprintable() or "[" in joined:
        return False
    if not joined.isascii():
        from rich.cells import cell_len

        if any(cell_len(char) != 1 for char in set(joined)):
            return False
        if any(cell_len(text) != len(text) for text in texts if not text.isascii()):
            return False
    if ":" in joined:
        from rich._emoji_replace import _emoji_replace

        return _emoji_replace(joined) == joined
    return True


def _widths(
    headers: Sequence[str], cells: Sequence[Sequence[str]], fixed: Sequence[int | None], room: int
) -> list[int] | None:
    """Each column's width with its padding, as Rich lays the table out in `room` cells; None if a column ends
    narrower than one character (Rich's edge cases are left to Rich)."""
    from rich._ratio import ratio_reduce
    from rich.table import Table

    if room < 3:
        return None
    widths = []
    for i, width in enumerate(fixed):
        if width is None:  # Rich measures the widest cell (the narrowest only matters to an expanding table)
            width = max(len(headers[i]), max((len(row[i]) for row in cells), default=0))
        widths.append(min(width + 2, room) or 1)
    if sum(widths) > room:
        wrapable = [width is None for width in fixed]
        reduced = Table._collapse_widths(widths, wrapable, room)
        if sum(reduced) > room:
            reduced = ratio_reduce(sum(reduced) - room, [1] * len(reduced), reduced, reduced)
        widths = [min(width, new) for width, new in zip(widths, reduced, strict=True)]
    return widths if min(widths) >= 3 else None


def _frame(console: Console, table: Table) -> tuple[str, str]:
    """Rich's own text of the title, the top border, the header rows and the rule under them; and the bottom
    border: `table` has the same fixed widths and no rows."""
    with console.capture() as captured:
        console.print(table)
    text = captured.get()
    cut = text.rstrip("\n").rfind("\n") + 1
    return text[:cut], text[cut:]


def _lines(text: str, width: int, right: bool) -> list[str]:
    """A cell's lines `width` wide, as rich.text.Text.wrap breaks, trims, justifies and cuts them."""
    from rich._wrap import divide_line

    offsets = divide_line(text, width, fold=False)
    pieces = [text[a:b] for a, b in zip([0, *offsets], [*offsets, len(text)], strict=True)]
    lines = []
    for piece in pieces:
        if len(piece) > width:  # Text.rstrip_end
            trailing = len(piece) - len(piece.rstrip())
            piece = piece[: len(piece) - min(trailing, len(piece) - width)]
        if right:
            piece = piece.rstrip()
        if len(piece) > width:
            piece = piece[: width - 1] + "…"
        lines.append(piece.rjust(width) if right else piece.ljust(width))
    return lines


def _chunks(cells: Sequence[Sequence[str]], widths: Sequence[int], right: Sequence[bool]) -> Iterator[str]:
    """The data rows as text, CHUNK rows at a time: cells top-aligned, blank lines under the shorter ones."""
    inner = [width - 2 for width in widths]
    columns = range(len(widths))
    if all(_one_line(cells, i, inner[i], right[i]) for i in columns):  # every cell as it is, padded
        line = " │ ".join(f"{{:{'>' if right[i] else '<'}{inner[i]}}}" for i in columns)
        template = f"│ {line} │\n"
        for start in range(0, len(cells), CHUNK):
            yield "".join([template.format(*row) for row in cells[start : start + CHUNK]])
        return
    out: list[str] = []
    for n, row in enumerate(cells, start=1):
        if all(len(row[i]) <= inner[i] for i in columns):
            line = " │ ".join(row[i].rstrip().rjust(inner[i]) if right[i] else row[i].ljust(inner[i]) for i in columns)
            out.append(f"│ {line} │\n")
        else:
            parts = [_lines(row[i], inner[i], right[i]) for i in columns]
            height = max(map(len, parts))
            for k in range(height):
                line = " │ ".join(part[k] if k < len(part) else " " * inner[i] for i, part in enumerate(parts))
                out.append(f"│ {line} │\n")
        if n % CHUNK == 0:
            yield "".join(out)
            out = []
    yield "".join(out)


def _one_line(cells: Sequence[Sequence[str]], i: int, width: int, right: bool) -> bool:
    """Every cell of column i fits `width` (and, on the right, ends without a space Rich would strip)."""
    column = [row[i] for row in cells]
    return max(map(len, column), default=0) <= width and not (right and any(c.endswith(" ") for c in column))
