"""Rows held as columns write the text the row-by-row writers write: csv.writer for CSV, the JSON envelope
(envelope.dumps) for JSON, repr for each number; the reference is the materialised rows through those writers."""

from __future__ import annotations

import csv
import io
import random

import numpy as np
import pyarrow as pa
import pytest

from nearshore.services import columnar
from nearshore.services.base import Result, columns
from nearshore.services.columnar import CHUNK, TableRows, float_text, write_csv, write_json
from nearshore.services.envelope import dumps, envelope


def numbers() -> list[float]:
    rng = random.Random(3)
    edge = [0.0, -0.0, 1.0, 100.0, -5.0, 1e-4, 9.99e-5, 1e-5, 4e-08, 0.1 + 0.2, 1e15, 1e16, 1.5e16, 123456789012.34]
    edge += [float("inf"), float("-inf"), float("nan"), 2.5e-300, 1.7976931348623157e308]
    spread = [rng.uniform(-1, 1) * 10 ** rng.randint(-8, 17) for _ in range(20_000)]
    cents = [round(rng.uniform(0, 1e7), 2) for _ in range(20_000)]
    money = [0.01, -0.01, 0.1, 0.5, 99.99, -12.3, 1234567890123.45, 9999999999999.99, 10000000000000.01, 1e13]
    money += [-c for c in cents[:5000]] + [round(rng.uniform(-1e13, 1e13), 2) for _ in range(5000)]
    return edge + spread + cents + money + [c / rng.uniform(1, 1e6) for c in cents[:5000]]


def test_float_text_is_repr():
    values = numbers()
    assert float_text(np.array(values)).to_pylist() == [repr(v) for v in values]
    cents = [v for v in values if v == v and abs(v) < 1e13 and round(v, 2) == v]  # whole cents alone
    assert float_text(np.array(cents)).to_pylist() == [repr(v) for v in cents]


def table(n: int) -> pa.Table:
    rng = random.Random(5)
    texts = ["base 2.5%", 'say "free"', "a, b", "line\nbreak", ""]
    return pa.table(
        {
            "row": np.arange(2, n + 2, dtype=np.int64),
            "hts": [rng.choice(["8708.99.81", "Korea, South", 'x"y']) for _ in range(n)],
            "value": [round(rng.uniform(0, 1e6), 2) for _ in range(n)],
            "rate": [rng.random() / 7 for _ in range(n)],
            "layers": pa.DictionaryArray.from_arrays(
                pa.array([rng.randrange(len(texts)) for _ in range(n)], pa.int32()), pa.array(texts)
            ),
        }
    )


def reference_csv(rows: TableRows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows.table.column_names)
    writer.writerows(list(rows))
    return out.getvalue()


def test_csv_is_what_the_csv_module_writes():
    rows = TableRows(table(CHUNK + 1000))  # more than one chunk
    out = io.BytesIO()
    write_csv(rows.table, out)
    assert out.getvalue().decode("utf-8") == reference_csv(rows)


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_csv_chunks_made_on_threads_are_written_in_order(monkeypatch, workers):
    monkeypatch.setattr(columnar, "WRITE_CHUNK", 997)  # 11 chunks: more than the threads hold at once
    rows = TableRows(table(10_500))
    out = io.BytesIO()
    write_csv(rows.table, out, workers=workers)
    assert out.getvalue().decode("utf-8") == reference_csv(rows)


def test_csv_ends_lines_after_any_last_column():
    # the line end is joined to the last column: a dictionary (as the batch's layers), a number or plain text
    full = table(500)
    for last in ("layers", "rate", "hts"):
        rows = TableRows(full.select([*(c for c in full.column_names if c != last), last]))
        out = io.BytesIO()
        write_csv(rows.table, out)
        assert out.getvalue().decode("utf-8") == reference_csv(rows), last


def test_json_is_the_envelope_of_the_rows():
    for n in (0, 1, CHUNK + 3):
        rows = TableRows(table(n))
        result = Result("t", columns(*rows.table.column_names), rows, {"a": 1}, ("note",))
        out = io.StringIO()
        write_json(result, out)
        materialised = Result("t", result.columns, tuple(rows), {"a": 1}, ("note",))
        assert out.getvalue() == dumps(envelope(materialised)), n


def test_rows_are_tuples_on_demand():
    rows = TableRows(table(10))
    assert len(rows) == 10
    assert rows[0][0] == 2
    assert rows[-1][0] == 11
    assert rows[2:4] == [rows[2], rows[3]]
    assert rows == list(rows)
    assert rows[::3] == list(rows)[::3]
