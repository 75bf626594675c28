"""Output helpers shared by every command: --format table|json|csv, clean errors and exit codes."""

from __future__ import annotations

import csv
import enum
import functools
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

import typer

P = ParamSpec("P")
R = TypeVar("R")


class Format(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FORMAT_OPTION = typer.Option(Format.table, "--format", "-f", help="Output format: table, json or csv.")
QUIET_OPTION = typer.Option(False, "--quiet", "-q", help="No progress bars or notes, only the result.")


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return value
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (int, str, bool, dict)):
        return value
    return str(value)


def emit(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: Format,
    *,
    title: str | None = None,
    footer: Sequence[str] = (),
    meta: dict[str, Any] | None = None,
) -> None:
    """Print rows as a Rich table (with the footer lines under it), JSON or CSV."""
    if fmt is Format.json:
        payload: dict[str, Any] = {
            "columns": list(columns),
            "rows": [dict(zip(columns, map(_plain, r), strict=True)) for r in rows],
        }
        if title:
            payload["title"] = title
        if footer:
            payload["notes"] = list(footer)
        if meta:
            payload.update(meta)
        sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")
        return
    if fmt is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[("" if v is None else v) for v in r] for r in rows])
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=title, title_justify="left", header_style="bold")
    cells = [["" if v is None else _cell(v) for v in row] for row in rows]
    numeric = [_numeric([row[i] for row in rows]) for i in range(len(columns))]
    headers = [_header(c) for c in columns]
    for header, is_number, width in zip(
        headers, numeric, _fixed_widths(headers, cells, numeric, console.width), strict=True
    ):
        table.add_column(header, justify="right" if is_number else "left", width=width)
    for row in cells:
        table.add_row(*row)
    console.print(table)
    for line in footer:
        console.print(line, style="dim", highlight=False, markup=False)


def _fixed_widths(
    headers: Sequence[str], cells: Sequence[Sequence[str]], numeric: Sequence[bool], width: int
) -> list[int | None]:
    """Numbers, then ids, codes and periods, keep the width of their longest cell (the header on one line
    if there is room, else wrapped) while the table fits the terminal; prose columns (None: Rich decides)
    take the wrapping."""
    count = len(headers)
    longest = [max([len(row[i]) for row in cells], default=0) for i in range(count)]
    wrapped = [max([longest[i]] + [len(word) for word in headers[i].split()]) for i in range(count)]
    flat = [max(longest[i], len(headers[i])) for i in range(count)]
    token = [all(" " not in row[i] and len(row[i]) <= 22 for row in cells) for i in range(count)]
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


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:,.4g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def fail(message: str, code: int = 1) -> None:
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn nearshore's domain errors into a clean message and the error's exit code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from nearshore.errors import NearshoreError

        try:
            return func(*args, **kwargs)
        except NearshoreError as exc:
            fail(str(exc), exc.exit_code)
            raise AssertionError("unreachable") from exc

    return wrapper


def note(message: str, quiet: bool = False) -> None:
    if quiet:
        return
    from rich.console import Console

    Console(stderr=True, soft_wrap=True).print(message, style="dim", highlight=False, markup=False)
