"""cli/table_text.py against Rich itself: over seeded generated tables, whatever it writes is byte for byte what
Rich prints for the same table (on a file, or a terminal with or without colour), and it declines (writing
nothing) whatever it cannot prove (wide or combining characters, markup, emoji codes, tabs, line breaks, a
recording console)."""

from __future__ import annotations

import io
import random

import pytest
from rich.console import Console

from nearshore.cli import output, table_text
from nearshore.cli.output import Format, emit

WORDS = ["duty", "rate", "of", "MX", "8708.99.81", "bom-00042", "yes", "no", "De", "minimis", "(value):", "5.3%"]
WORDS += ["non-originating", "materials", "Nuclear", "reactors,", "boilers", "-2", "1,234.5", "0.075", "x" * 31]
ODD = ["café", "naïve", "…", "Zürich", "中文", "e\u0301", "ﾃｽﾄ", ":smile:", "[bold]x[/]", "[", "a\tb", "a\nb", " "]


def _text(rng: random.Random, odd: float) -> object:
    pick = rng.random()
    if pick < 0.1:
        return None
    if pick < 0.15:
        return ""
    if pick < 0.35:
        return rng.choice([rng.randint(-(10**6), 10**6), round(rng.uniform(-1e5, 1e5), rng.randint(0, 4))])
    pool = WORDS + ODD if rng.random() < odd else WORDS
    text = " ".join(rng.choice(pool) for _ in range(rng.choice([1, 1, 2, 3, 6, 14])))
    return rng.choice([text, text, text, f" {text}", f"{text}  "])


def _table(rng: random.Random, odd: float) -> tuple[list[str], list[list[object]]]:
    count = rng.randint(1, 8)
    columns = [
        rng.choice(["rank", "partner name", "value ($B)", "share_of_total (%)", "hts10", "detail", "é"])
        for _ in range(count)
    ]
    kinds = [rng.random() < 0.4 for _ in range(count)]  # a numeric column
    rows = []
    for _ in range(rng.choice([0, 1, 3, 8, 20])):
        rows.append(
            [rng.randint(-999, 10**7) if kinds[i] and rng.random() < 0.9 else _text(rng, odd) for i in range(count)]
        )
    return columns, rows


def _consoles(width: int) -> list[dict[str, object]]:
    return [
        {"width": width},
        {"width": width, "force_terminal": True, "color_system": None},
        {"width": width, "force_terminal": True, "color_system": "truecolor"},
        {"width": width, "force_terminal": True, "color_system": "standard", "no_color": True},
        {"width": width, "force_terminal": True, "color_system": "256"},
    ]


@pytest.mark.parametrize("seed", range(8))
def test_the_text_is_riches_or_nothing_is_written(seed: int) -> None:
    rng = random.Random(seed)
    written = declined = styled = 0
    for case in range(120):
        columns, rows = _table(rng, odd=0.3 if case % 3 == 0 else 0.0)
        headers = [output._header(c) for c in columns]
        cells = [["" if v is None else output._cell(v, None) for v in row] for row in rows]
        right = [output._numeric([row[i] for row in rows]) for i in range(len(columns))]
        width = rng.choice([20, 40, 60, 79, 80, 81, 100, 120, 200])
        widths = output._fixed_widths(headers, cells, right, width)
        if case % 4 == 1:  # any layout Rich is given, also narrower than the cells (Rich cuts them with '…')
            widths = [rng.choice([None, rng.randint(1, 30)]) for _ in columns]
            right = [rng.random() < 0.5 for _ in columns]  # text on the right too
        title = rng.choice([None, "", "origin of 50 BOMs", "a title longer than a narrow table is wide, so it wraps"])
        for settings in _consoles(width):
            ours, theirs = io.StringIO(), io.StringIO()
            console = Console(file=ours, **settings)  # type: ignore[arg-type]
            done = table_text.render(console, headers, cells, right, widths, title, output.rich_frame)
            output.rich_table(Console(file=theirs, **settings), headers, cells, right, widths, title)  # type: ignore[arg-type]
            if done:
                assert ours.getvalue() == theirs.getvalue(), (seed, case, settings)
                written += 1
            else:
                assert ours.getvalue() == ""
                declined += 1
            styled += done and bool(settings.get("color_system"))
    assert written > 300  # both paths are exercised
    assert declined > 80
    assert styled > 180  # colour terminals too: Rich styles only the title and the header


@pytest.mark.parametrize("text", ["中文", "e\u0301", ":smile:", "[bold]x[/]", "a[b", "a\tb", "a\nb", "\x1b[1m"])
def test_what_rich_shows_otherwise_goes_to_rich(text: str) -> None:
    out = io.StringIO()
    assert not table_text.render(
        Console(file=out, width=80), ["a", "b"], [["x", text]], [False, False], [None, None], None, output.rich_frame
    )
    assert out.getvalue() == ""


def test_a_recording_console_goes_to_rich() -> None:
    out = io.StringIO()
    console = Console(file=out, width=80, record=True)
    assert not table_text.render(console, ["a"], [["x"]], [False], [None], None, output.rich_frame)
    assert out.getvalue() == ""


def test_accented_latin_and_ellipsis_take_the_fast_path() -> None:
    ours, theirs = io.StringIO(), io.StringIO()
    cells = [["Zürich café … naïve " * 5, "1"]]
    assert table_text.render(
        Console(file=ours, width=50), ["a", "b"], cells, [False, True], [None, 1], "t", output.rich_frame
    )
    output.rich_table(Console(file=theirs, width=50), ["a", "b"], cells, [False, True], [None, 1], "t")
    assert ours.getvalue() == theirs.getvalue()


@pytest.mark.parametrize("columns_env", ["40", "80", "132"])
def test_emit_prints_what_rich_printed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, columns_env: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns_env)
    rng = random.Random(int(columns_env))
    for _ in range(30):
        columns, rows = _table(rng, odd=0.0)
        emit(columns, rows, Format.table, title="t", footer=["source: x"], decimals=[1] * len(columns))
        fast = capsys.readouterr().out
        with monkeypatch.context() as patch:
            patch.setattr(table_text, "render", lambda *args: False)
            emit(columns, rows, Format.table, title="t", footer=["source: x"], decimals=[1] * len(columns))
        assert fast == capsys.readouterr().out
