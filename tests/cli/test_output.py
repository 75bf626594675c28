"""`emit`'s table on an 80-column terminal: numbers whole and on the right, headers wrap, prose wraps."""

from __future__ import annotations

import pytest

from nearshore.cli.output import Format, emit


def _table(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, columns: list[str], rows: list[list[object]]
) -> list[str]:
    monkeypatch.setenv("COLUMNS", "80")
    emit(columns, rows, Format.table, title="t", footer=["source: x; vintage: 2026-07"])
    return capsys.readouterr().out.splitlines()


def test_numbers_stay_whole_and_right_aligned(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    columns = ["rank", "partner", "name", "value ($B)", "share (%)", "previous_rank", "rank_change (count)"]
    rows = [[6, "DEU", "Germany (Federal Republic of Germany)", 155.8, 4.564, 4, -2]]
    lines = _table(capsys, monkeypatch, columns, rows)
    assert all(len(line) <= 80 for line in lines)
    body = next(line for line in lines if "DEU" in line)
    cells = [cell.strip() for cell in body.split("│")[1:-1]]
    assert cells[0] == "6"
    assert cells[3:] == ["155.8", "4.564", "4", "-2"]  # nothing cut to '…'
    assert body.split("│")[1] == "    6 "  # right-aligned
    header = " ".join(lines[1:5])
    assert "previous" in header  # snake_case headers wrap instead of being cut
    assert "change" in header
    assert "…" not in header


def test_periods_are_not_cut_and_prose_wraps(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    chapter = "Nuclear reactors, boilers, machinery and mechanical appliances; parts thereof"
    rows = [["2025-01..2025-12", "8471500150", chapter, 35762.9, 80553.7, 55.6]]
    lines = _table(
        capsys, monkeypatch, ["period", "hts10", "chapter", "unclaimed ($M)", "imports ($M)", "share (%)"], rows
    )
    assert all(len(line) <= 80 for line in lines)
    text = "\n".join(lines)
    for whole in ("2025-01..2025-12", "8471500150", "35,762.9", "80,553.7", "55.6"):
        assert whole in text
    assert "…" not in text
    assert "parts thereof" in text  # the prose wraps, and is not cut


def test_a_column_is_shown_as_its_cells_one_by_one() -> None:
    from nearshore.cli import output

    floats = [2.675, None, -0.125, 1e15 + 0.5, 0.0, -0.0, 1_234_567.891, 1e-7, float("nan")]
    mixed = [1, 2.5, "x", [1, 2], None, True]
    for column in (floats, mixed, ["a", "b c"], [None, None], []):
        for decimals in (None, 0, 2):
            expected = ["" if v is None else output._cell(v, decimals) for v in column]
            assert output._texts(column, decimals) == expected
    assert output._texts(floats, 2)[:4] == ["2.68", "", "-0.13", "1,000,000,000,000,000.50"]
