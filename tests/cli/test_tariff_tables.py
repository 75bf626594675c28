"""The `tariff batch` table (cli/tariff_tables.batch) formats its numbers a column at a time: the same cells as
formatting each row's numbers one by one with format.number and format.percent, for rows held as an Arrow table
(what the batch service returns) and for plain rows."""

from __future__ import annotations

import random
from typing import Any

import pyarrow as pa

from nearshore import format as fmt
from nearshore.cli import tariff_tables
from nearshore.services.base import Result, columns
from nearshore.services.columnar import TableRows

NAMES = ("row", "hts", "origin", "date", "value", "duty", "effective_rate", "layers")


def _per_cell(rows: Any) -> list[tuple[Any, ...]]:
    """The cells as the table showed them before: each row's numbers formatted one by one."""
    rate = [("" if r[6] is None else fmt.percent(r[6], 2, fraction=True)) for r in rows]
    return [(*r[:4], fmt.number(r[4], 0), fmt.number(r[5], 0), rate[i]) for i, r in enumerate(rows)]


def _rows(n: int) -> list[tuple[Any, ...]]:
    draw = random.Random(3)
    amounts = [0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 499.5, 1e-9, 999_999_999.5, 1e15 + 0.5, 4.2e17, -1234.5]
    rates = [0.0, 0.29805, 0.00005, -0.00005, 0.979, 1.0, 12.5, 0.123456789, float("nan")]
    rows = []
    for i in range(n):
        value = amounts[i] if i < len(amounts) else round(draw.uniform(0, 10 ** draw.randint(0, 12)), 2)
        duty = -value if i < len(amounts) else draw.uniform(0, value)
        rate = rates[i] if i < len(rates) else duty / value if value else 0.0
        code = f"{draw.randint(100, 9999):04d}.{draw.randint(0, 99):02d}.{draw.randint(0, 99):02d}"
        rows.append((i + 2, code, draw.choice(["MEX", "CAN", "CHN"]), "2025-06-01", value, duty, rate, "base 2.5%"))
    return rows


def _result(rows: Any) -> Result[dict[str, Any]]:
    return Result("Duty on entry lines", columns(*NAMES), rows, {})


def test_rows_held_as_arrow_columns_show_the_cells_of_per_cell_formatting() -> None:
    rows = _rows(3_000)
    data = {name: [r[i] for r in rows] for i, name in enumerate(NAMES)}
    arrays = {name: pa.array(values) for name, values in data.items()}
    for name in ("hts", "origin", "date", "layers"):
        arrays[name] = arrays[name].dictionary_encode()
    table = TableRows(pa.table(arrays))
    shown = tariff_tables.batch(_result(table))
    assert shown.columns == ["row", "hts", "origin", "date", "value $", "duty $", "rate"]
    assert shown.rows == _per_cell(table)
    assert shown.rows[4] == (6, rows[4][1], rows[4][2], "2025-06-01", "3", "-3", "97.90%")
    assert shown.rows[3][4:] == ("2", "-2", "-0.01%")


def test_plain_rows_and_a_missing_rate() -> None:
    rows = [(*r[:6], None if i % 7 == 0 else r[6], r[7]) for i, r in enumerate(_rows(500))]
    shown = tariff_tables.batch(_result(rows))
    assert shown.rows == _per_cell(rows)
    assert shown.rows[0][6] == ""
