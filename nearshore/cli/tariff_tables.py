"""The `nearshore tariff` results laid out for an 80-column terminal: fewer, shorter columns, the long ones
(legal basis, layers) as lines under the table. JSON and CSV carry every column at full precision."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nearshore import format as fmt
from nearshore.cli.output import Table
from nearshore.services.base import Result
from nearshore.services.columnar import TableRows


def _percent(fraction: float | None, places: int = 2) -> str:
    return "" if fraction is None else fmt.percent(fraction, places, fraction=True)


def duty(result: Result[Any]) -> Table:
    """Layer, heading, basis, amount it is on, rate, duty; each layer's legal basis under the table."""
    rows = result.rows
    layers = [f"{r[0]} ({r[2]}): {r[7]}" for r in rows[:-1]]
    return Table(
        ["layer", "heading", "basis", "on", "rate", "amount"],
        [(r[0], *r[2:7]) for r in rows],
        result.title,
        [*result.notes, *layers],
    )


def compare(result: Result[Any]) -> Table:
    """Per origin: duty, rate, fees, freight and insurance together, landed cost; the duty layers underneath."""
    rows = [
        (
            r[0],
            fmt.number(r[2], 2),
            _percent(r[3]),
            fmt.number(r[4], 2),
            fmt.number(r[5], 2),
            fmt.number(r[6] + r[7], 2),
            fmt.number(r[8], 2),
        )
        for r in result.rows
    ]
    layers = [f"{r[0]} duty: {r[9]}" for r in result.rows if r[9]]
    columns = ["origin", "duty", "rate", "mpf", "hmf", "freight+ins", "landed"]
    return Table(columns, rows, result.title, [*result.notes, *layers])


def batch(result: Result[Any]) -> Table:
    """One row per entry line, amounts in whole dollars; the notes go to stderr (see cli/tariff.py). The numbers
    are formatted a column at a time (format.numbers), the same texts as format.number cell by cell."""
    row, hts, origin, on, value, duty, rate = _columns(result.rows, 7)
    texts = (fmt.numbers(value, 0), fmt.numbers(duty, 0), fmt.percents(rate, 2, fraction=True))
    rows = list(zip(row, hts, origin, on, *texts, strict=True))
    return Table(["row", "hts", "origin", "date", "value $", "duty $", "rate"], rows, result.title)


def _columns(rows: Sequence[Sequence[Any]], count: int) -> list[list[Any]]:
    """The first `count` columns of the rows as lists (rows held as an Arrow table are read column by column)."""
    if isinstance(rows, TableRows):
        return [_values(rows.table.column(i)) for i in range(count)]
    return [[r[i] for r in rows] for i in range(count)]


def _values(column: Any) -> list[Any]:
    """An Arrow column as Python values; a dictionary column's texts are taken per row from its dictionary (what
    `to_pylist` gives, several times faster)."""
    import numpy as np
    import pyarrow as pa

    from nearshore.arrow import to_numpy

    array = column.combine_chunks()
    if not pa.types.is_dictionary(array.type) or array.null_count:
        return list(array.to_pylist())
    values = np.empty(len(array.dictionary), dtype=object)
    values[:] = array.dictionary.to_pylist()
    return list(values[to_numpy(array.indices)].tolist())


def policy(result: Result[Any]) -> Table:
    """Each measure with its heading, the countries it covers and when each rate starts."""

    def starts(rates: list[dict[str, Any]]) -> str:
        return "; ".join(
            f"{fmt.rate(p['rate'])} from {p['start']}" + (f" ({', '.join(p['countries'])})" if p["countries"] else "")
            for p in rates
        )

    rows = [
        (f"{m['id']}\n{m['heading']}", m["countries"].replace(",", ", "), starts(m["rates"]))
        for m in result.payload["measures"]
    ]
    footer = [*result.notes, "every column (products, basis, periods' ends, exemptions): --format csv or json"]
    return Table(["measure, heading", "countries", "rates"], rows, result.title, footer)


def panel(result: Result[Any]) -> Table:
    """The one summary row as field / value lines."""
    fields = [(c.name, value) for c, value in zip(result.columns, result.rows[0], strict=True)]
    return Table(["field", "value"], fields, result.title, result.notes)


def effective(result: Result[Any]) -> Table:
    """Per month and the year: imports in $M, USMCA share, modelled and collected rates, the gap in points."""
    rows = [
        (
            r[0],
            fmt.number(fmt.scaled(r[1], "millions"), 0),
            _percent(r[2], 1),
            _percent(r[4]),
            _percent(r[6]),
            "" if r[7] is None else fmt.number(r[7], 2, signed=True),
        )
        for r in result.rows
    ]
    columns = ["period", "imports $M", "usmca share", "modelled", "collected", "gap pts"]
    return Table(columns, rows, result.title, result.notes)


def series(result: Result[Any]) -> Table:
    """Per step: partner, first day, total and each authority in percent (IEEPA's three parts as one); a daily
    series (from = to on every row) is shown as it is."""
    from nearshore.tariffs.series import COMPONENTS

    index = {name: 4 + i for i, name in enumerate(COMPONENTS)}

    def pct(value: float) -> str:
        return fmt.number(value * 100, 2)

    rows = []
    for r in result.rows:
        ieepa = r[index["ieepa_fentanyl"]] + r[index["ieepa_reciprocal"]] + r[index["ieepa_country"]]
        parts = (r[3], r[index["mfn"]], r[index["s232"]], r[index["s301"]], ieepa, r[index["s122"]], r[index["s201"]])
        rows.append((r[0], r[1], *(pct(v) for v in parts)))
    columns = ["partner", "from", "total %", "mfn", "232", "301", "IEEPA", "122", "201"]
    return Table(columns, rows, result.title, list(result.notes))
