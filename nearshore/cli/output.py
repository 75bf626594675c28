"""How every command prints: --format table|json|csv of a service's result, notes and errors on stderr.

JSON is the envelope of nearshore/services/envelope.py (the HTTP API sends the same document); CSV carries the
rows at full precision; a table is laid out for the terminal (a command may pass its own layout).
"""

from __future__ import annotations

import csv
import enum
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from nearshore import format as fmt
from nearshore.services.base import Result
from nearshore.services.columnar import TableRows
from nearshore.services.envelope import dumps, envelope

if TYPE_CHECKING:
    from rich.console import Console as RichConsole
    from rich.table import Table as RichTable


class Format(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FORMAT_OPTION = typer.Option(Format.table, "--format", "-f", help="Output format: table, json or csv.")
QUIET_OPTION = typer.Option(False, "--quiet", "-q", help="No progress bars or notes, only the result.")


@dataclass(frozen=True)
class Table:
    """What a terminal table shows: header labels, cells, title, lines under it, and per column the digits
    after the point (None: numbers print by magnitude, see format.cell)."""

    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    title: str | None = None
    footer: Sequence[str] = ()
    decimals: Sequence[int | None] = ()


Layout = Callable[[Result[Any]], Table]


def plain_table(result: Result[Any]) -> Table:
    """A result as a table: every column, the notes under it."""
    return Table(
        [c.label for c in result.columns],
        result.rows,
        result.title,
        result.notes,
        [c.decimals for c in result.columns],
    )


def show(result: Result[Any], fmt: Format, layout: Layout = plain_table, *, quiet: bool = False) -> None:
    """Print a service's result: its messages on stderr, then the JSON envelope, the CSV rows, or a table
    (laid out by `layout` for the terminal)."""
    for message in result.messages:
        note(message, quiet)
    if isinstance(result.rows, TableRows) and fmt is not Format.table:
        _stream(result, fmt)
    elif fmt is Format.json:
        sys.stdout.write(dumps(envelope(result)) + "\n")
    elif fmt is Format.csv:
        emit([c.label for c in result.columns], result.rows, Format.csv)
    else:
        table = layout(result)
        emit(table.columns, table.rows, Format.table, title=table.title, footer=table.footer, decimals=table.decimals)


def _stream(result: Result[Any], fmt: Format) -> None:
    """Rows held as columns, written a chunk at a time (the same text as the row-by-row writers)."""
    from nearshore.services.columnar import write_csv, write_json

    if fmt is Format.json:
        write_json(result, sys.stdout)
        sys.stdout.write("\n")
        return
    sys.stdout.flush()
    write_csv(result.rows.table, sys.stdout.buffer)  # type: ignore[attr-defined]
    sys.stdout.buffer.flush()


def say(result: Result[Any], quiet: bool = False) -> None:
    """Print a result that is a sentence: its messages on stderr, then its title and the lines under it."""
    for message in result.messages:
        note(message, quiet)
    typer.echo("\n".join([result.title, *result.notes]))


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(map(str, value))
    return value


def emit(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: Format = Format.table,
    *,
    title: str | None = None,
    footer: Sequence[str] = (),
    decimals: Sequence[int | None] = (),
) -> None:
    """Print rows as CSV (full precision; a list as its items joined by spaces) or as a Rich table (numbers
    whole and on the right, prose wrapped, `decimals` digits per column) with the footer lines under it.
    A table of one-line text in one-cell-wide characters is written by cli/table_text.py, byte for byte
    Rich's text at a fraction of its cost (the module doc says when). JSON is always the envelope: see `show`."""
    if fmt is Format.json:
        raise ValueError("JSON output is the envelope of a service result: use show()")
    if fmt is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_csv_cell(v) for v in row] for row in rows])
        return
    from rich.console import Console

    from nearshore.cli import table_text

    console = Console()
    places = list(decimals) or [None] * len(columns)
    rows = rows if isinstance(rows, list) else list(rows)  # rows held as columns (TableRows) are read once
    values = [[row[i] for row in rows] for i in range(len(columns))]
    cells = list(zip(*[_texts(column, places[i]) for i, column in enumerate(values)], strict=True))
    numeric = [_numeric(column) for column in values]
    headers = [_header(c) for c in columns]
    widths = _fixed_widths(headers, cells, numeric, console.width)
    if not table_text.render(console, headers, cells, numeric, widths, title, rich_frame):  # Rich's text, faster
        rich_table(console, headers, cells, numeric, widths, title)
    for line in footer:
        console.print(line, style="dim", highlight=False, markup=False)


def rich_table(
    console: RichConsole,
    headers: Sequence[str],
    cells: Sequence[Sequence[str]],
    right: Sequence[bool],
    widths: Sequence[int | None],
    title: str | None,
) -> None:
    """Print the table with Rich (the frame of `rich_frame`, then the rows)."""
    shown = rich_frame(headers, right, widths, title)
    for row in cells:
        shown.add_row(*row)
    console.print(shown)


def rich_frame(
    headers: Sequence[str], right: Sequence[bool], widths: Sequence[int | None], title: str | None
) -> RichTable:
    """The Rich table every command prints, without rows: the title on the left, bold headers, `right`-justified
    columns, `widths` fixed (None: Rich decides). cli/table_text.py prints its title, header and borders."""
    from rich.table import Table

    shown = Table(title=title, title_justify="left", header_style="bold")
    for header, is_right, width in zip(headers, right, widths, strict=True):
        shown.add_column(header, justify="right" if is_right else "left", width=width)
    return shown


def _fixed_widths(
    headers: Sequence[str], cells: Sequence[Sequence[str]], numeric: Sequence[bool], width: int
) -> list[int | None]:
    """Numbers, then ids, codes and periods, keep the width of their longest cell (the header on one line
    if there is room, else wrapped) while the table fits the terminal; prose columns (None: Rich decides)
    take the wrapping."""
    count = len(headers)
    columns = [[row[i] for row in cells] for i in range(count)]
    longest = [max(map(len, column), default=0) for column in columns]
    wrapped = [max([longest[i]] + [len(word) for word in headers[i].split()]) for i in range(count)]
    flat = [max(longest[i], len(headers[i])) for i in range(count)]
    token = [longest[i] <= 22 and " " not in "\n".join(columns[i]) for i in range(count)]
    room = width - 3 * count - 1  # borders and padding
    none = [False] * count
    for fits, keep, prose in ((flat, token, 20), (wrapped, token, 20), (wrapped, token, 10), (wrapped, none, 10)):
        kept = [numeric[i] or keep[i] for i in range(count)]
        if sum(fits[i] if kept[i] else min(wrapped[i], prose) for i in range(count)) <= room:
            return [fits[i] if kept[i] else None for i in range(count)]
    return [None] * count


def _header(column: str) -> str:
    name, paren, rest = column.partition(" (")
    return name.replace("_", " ") + paren + rest  # 'rank_change (count)'; not 'dataweb (trade_flows)'


def _numeric(values: Sequence[Any]) -> bool:
    present = [v for v in values if v is not None and v != ""]
    return bool(present) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present)


def _texts(values: list[Any], decimals: int | None) -> list[str]:
    """A column's cells as text: '' for None, otherwise `_cell`; a column of floats with `decimals` is formatted
    at once (format.numbers), text as it is."""
    if all(type(v) is str for v in values):
        return values
    if decimals is not None and all(v is None or isinstance(v, float) for v in values):
        return fmt.numbers(values, decimals)
    return ["" if v is None else _cell(v, decimals) for v in values]


def _cell(value: Any, decimals: int | None) -> str:
    if isinstance(value, float):
        return fmt.number(value, decimals) if decimals is not None else fmt.cell(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print `error: message` on stderr and exit with `code`."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def note(message: str, quiet: bool = False) -> None:
    """A dim line on stderr (nothing with --quiet)."""
    if quiet:
        return
    from rich.console import Console

    Console(stderr=True, soft_wrap=True).print(message, style="dim", highlight=False, markup=False)
