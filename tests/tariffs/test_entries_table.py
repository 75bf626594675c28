"""A CSV entry file checked column by column (entries_table) gives what the per-cell path gives: the same
values, and on a bad file the same problems in the same order (compared with entries_from_columns fed by the
csv module, which shares no Arrow casting or distinct-value checks)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from nearshore.errors import ValidationFailed
from nearshore.tariffs.entries import Entries, entries_from_columns
from nearshore.tariffs.entries_table import read_entries

HEADER = ["hts", "origin", "value", "date", "quantity", "usmca", "metal_value", "us_content", "auto_part", "program"]
GOOD = [
    ["8708.99.81", "MX", "10000", "2025-06-01", "", "1", "", "", "", ""],
    ["8708.99.81", "Korea, South", "1,234.50", "2025-06-01", "3", "yes", "", "", "no", "S"],
    ["7326.90.86", "CN", "1000.1", "2025-09-01", "", "", "4.25", "1e2", "1", ""],
    ["0201.10.10", "AU", "123456789012.34", "2025-06-01", "+7", "n", "", "", "", ""],
]
BAD = [
    ["8708.99.81", "MX", "ten", "2025-06-01", "", "1", "", "", "", ""],  # value not a number
    ["87a8", "🇲🇽", "", "1 June", "-1", "maybe", "", "", "perhaps", ""],  # every kind of cell
    ["8708.99.81", "MX", "100", "2025-13-01", "", "", "200", "300", "", ""],  # metal and U.S. content > value
    ["8708.99.81", "MX", "1e400", "2025-06-01", "", "", "", "", "", ""],  # not finite
    ["", "", "5", "", " ", "", "", "", "", ""],
    ["87a8", "MX", "-5", "2025-06-01", "", "", "", "", "", ""],  # the same bad code again, negative value
]


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def per_cell(path: Path) -> Entries:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return entries_from_columns({name: [r[name] for r in rows] for name in HEADER}, str(path))


def test_values_equal_the_per_cell_path(tmp_path):
    path = write(tmp_path / "e.csv", GOOD * 50)
    fast, slow = read_entries(path), per_cell(path)
    for name in ("value", "quantity", "metal_value", "us_content", "usmca", "auto_part"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name), err_msg=name)
    for name in ("hts", "origin", "on", "unit", "program"):
        assert getattr(fast, name).to_pylist() == getattr(slow, name).to_pylist(), name
    assert fast.value[3] == 123456789012.34
    assert fast.quantity[3] == 7.0


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_bom_and_text_beyond_ascii_read_as_the_text(tmp_path, bom):
    # the CSV goes to Arrow as bytes (checked as UTF-8 only where it is not all ASCII; a BOM dropped)
    rows = [["8708.99.81", "Côte d'Ivoire", "100", "2025-06-01", "", "", "", "", "", "é"], *GOOD]
    path = write(tmp_path / "e.csv", rows)
    path.write_bytes(bom + path.read_bytes())
    fast = read_entries(path)
    assert fast.origin.to_pylist() == [r[1] for r in rows]
    assert fast.program.to_pylist() == [r[9] for r in rows]
    assert fast.codes["origin"][1][0] == "Côte d'Ivoire"


def test_problems_equal_the_per_cell_path(tmp_path):
    path = write(tmp_path / "e.csv", [*GOOD, *BAD, *GOOD])
    with pytest.raises(ValidationFailed) as fast:
        read_entries(path)
    with pytest.raises(ValidationFailed) as slow:
        per_cell(path)
    assert fast.value.problems == slow.value.problems
    assert len(fast.value.problems) >= 15
    rows = {p.row for p in fast.value.problems}
    assert rows == {6, 7, 8, 9, 10, 11}  # header is line 1, four good rows before the bad ones


def test_missing_column_and_empty_file(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("hts,origin,date\n8708.99.81,MX,2025-06-01\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        read_entries(path)
    assert [(p.row, p.field, p.message) for p in info.value.problems] == [(1, "value", "required column missing")]
    path.write_text("hts,origin,value,date\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        read_entries(path)
    assert [p.message for p in info.value.problems] == ["no entry lines"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hts,origin\n",
        "hts,origin",
        'a,"b\nc",d\r\n1,2,3\r\n',
        "x\r\ny\rz\n\n",
        "\n\nh\n",
        "one line, no end",
        "é,ü\nx",
    ],
)
def test_header_lines_are_those_stringio_gives(text):
    # the header of a large file is read line by line, not from a copy of the whole text (io.StringIO)
    import io

    from nearshore.tariffs.entries import _lines

    data = text.encode("utf-8")
    assert list(_lines(data)) == list(io.StringIO(text))
    assert next(csv.reader(_lines(data)), []) == next(csv.reader(io.StringIO(text)), [])


def test_optional_columns_not_given_equal_the_per_cell_path(tmp_path):
    path = tmp_path / "e.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["hts", "origin", "value", "date"], *[r[:4] for r in GOOD * 3]])
    fast = read_entries(path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    slow = entries_from_columns({name: [r[name] for r in rows] for name in rows[0]}, str(path))
    for name in ("value", "quantity", "metal_value", "us_content", "usmca", "auto_part"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name), err_msg=name)
    assert np.isnan(fast.quantity).all()
    assert np.isnan(fast.metal_value).all()


def test_rows_with_too_many_cells_are_each_on_their_own_line_when_parsed_in_blocks(tmp_path, monkeypatch):
    # blocks parsed in parallel give no line numbers: each bad row is found by its text, the same text twice on
    # two lines, listed in file order
    from nearshore.tariffs import entries

    monkeypatch.setattr(entries, "BLOCK", 4096)
    lines = ["hts,origin,value,date", *[f"8708.99.81,MX,{i},2025-06-01" for i in range(3000)]]
    for at in (2500, 101, 1501):
        lines[at] = "8708.99.81,MX,1,2,3"
    lines[2000] = "8708.99.81,CA,9,2,3"
    path = tmp_path / "e.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        read_entries(path)
    assert [(p.row, p.value) for p in info.value.problems] == [
        (102, "8708.99.81,MX,1,2,3"),
        (1502, "8708.99.81,MX,1,2,3"),
        (2001, "8708.99.81,CA,9,2,3"),
        (2501, "8708.99.81,MX,1,2,3"),
    ]
