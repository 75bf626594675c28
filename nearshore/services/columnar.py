"""A result's rows held as columns (an Arrow table), and their CSV and JSON text written in chunks.

A service with a million rows (`tariff.batch`) gives `Result.rows` as `TableRows`: a sequence whose rows are made
only when asked for (a table layout, the API), while `--format csv` and `--format json` write the table a chunk at
a time, with the text the row-by-row writers give (Python's csv module, the JSON envelope) and no tuple per row.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO, overload

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from nearshore.services.base import Result

CHUNK = 65_536  # rows per chunk of JSON or of Python rows
WRITE_CHUNK = 131_072  # rows per chunk of CSV text made on a thread
_QUOTE = r'[",\r\n]'  # a cell the csv module quotes (QUOTE_MINIMAL, "\n" line ends)


class TableRows(Sequence[tuple[Any, ...]]):
    """Rows of an Arrow table whose column names are the result's column labels, in order."""

    def __init__(self, table: Any) -> None:
        self.table = table

    def __len__(self) -> int:
        return int(self.table.num_rows)

    @overload
    def __getitem__(self, i: int) -> tuple[Any, ...]: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[tuple[Any, ...]]: ...

    def __getitem__(self, i: int | slice) -> tuple[Any, ...] | Sequence[tuple[Any, ...]]:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step == 1:
                return list(_tuples(self.table.slice(start, max(stop - start, 0))))
            return [self[k] for k in range(start, stop, step)]
        k = i + len(self) if i < 0 else i
        if not 0 <= k < len(self):
            raise IndexError(i)
        return next(_tuples(self.table.slice(k, 1)))

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for batch in self.table.to_batches(CHUNK):
            yield from _tuples(batch)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


def _tuples(table: Any) -> Iterator[tuple[Any, ...]]:
    columns = [column.to_pylist() for column in table.columns]
    return iter(zip(*columns, strict=True))


def float_text(values: npt.NDArray[np.float64]) -> Any:
    """Each number as `repr(float)` writes it ('100.0', '0.075', '1e-05'), as an Arrow string array. Amounts in
    whole cents (`_cents_text`) are written from their integer cents; the others with Arrow's shortest
    round-trip digits, '.0' on whole numbers, and repr itself where the layouts differ (exponents, |x| < 1e-4 or
    >= 1e16, not finite)."""
    import numpy as np
    import pyarrow.compute as pc

    from nearshore.arrow import from_numpy

    values = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        cents = np.rint(values * 100.0)
        money = (np.abs(cents) < 1e15) & (cents / 100.0 == values) & ~((values == 0) & np.signbit(values))
    if not money.any():
        return _shortest_text(values)
    text = _cents_text(np.where(money, cents, 0.0).astype(np.int64))
    if money.all():
        return text
    rest = ~money
    return pc.replace_with_mask(text, from_numpy(rest), _shortest_text(values[rest]))


_CENTS = [".0", *[f".{c // 10}" if c % 10 == 0 else f".{c:02d}" for c in range(1, 100)]]


def _cents_text(cents: npt.NDArray[np.int64]) -> Any:
    """repr of cents / 100 for whole cents below 1e15 in size: the decimal is then the shortest text that reads
    back as that float (two decimals of at most 15 digits are further apart than a float's rounding), written
    with its trailing zeros dropped ('12.3', '100.0')."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from nearshore.arrow import from_numpy, literal, strings

    size = np.abs(cents)
    whole = pc.cast(from_numpy(size // 100), pa.string())
    part = pa.DictionaryArray.from_arrays(from_numpy((size % 100).astype(np.int32)), strings(_CENTS))
    text = pc.binary_join_element_wise(whole, part.dictionary_decode(), literal(""))
    negative = cents < 0
    if negative.any():
        signed = pc.binary_join_element_wise(literal("-"), text, literal(""))
        text = pc.if_else(from_numpy(negative), signed, text)
    return text


def _shortest_text(values: npt.NDArray[np.float64]) -> Any:
    """repr of each number: Arrow's shortest round-trip digits, '.0' on whole numbers, repr itself where the
    layouts differ."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from nearshore.arrow import from_numpy, literal, strings, to_numpy

    text = pc.cast(from_numpy(values), pa.string())
    size = np.abs(values)
    with np.errstate(invalid="ignore"):
        odd = ~np.isfinite(values) | (size >= 1e16) | ((size < 1e-4) & (size > 0))
    odd |= to_numpy(pc.match_substring(text, "e"))
    with np.errstate(invalid="ignore"):
        whole = (values == np.trunc(values)) & ~odd  # Arrow writes these without a point ('100')
    if whole.any():
        mask = from_numpy(whole)
        text = pc.replace_with_mask(
            text, mask, pc.binary_join_element_wise(text.filter(mask), literal(".0"), literal(""))
        )
    rest = np.flatnonzero(odd)
    if len(rest):
        mask = from_numpy(odd)
        text = pc.replace_with_mask(text, mask, strings([repr(float(values[i])) for i in rest]))
    return text


def _quoted(text: Any, end: str = "") -> Any:
    """Text cells as the csv module writes them: quoted (inner quotes doubled) when they hold , " or a line end;
    `end` after each (a dictionary's values are written once, then taken per row)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from nearshore.arrow import literal

    if pa.types.is_dictionary(text.type):
        return pa.DictionaryArray.from_arrays(text.indices, _quoted(text.dictionary, end)).dictionary_decode()
    text = pc.fill_null(text.cast(pa.string()), literal(""))
    doubled = pc.binary_join_element_wise(
        literal('"'), pc.replace_substring(text, '"', '""'), literal('"' + end), literal("")
    )
    return pc.if_else(pc.match_substring_regex(text, _QUOTE), doubled, _ended(text, end))


def _ended(text: Any, end: str) -> Any:
    import pyarrow.compute as pc

    from nearshore.arrow import literal

    return pc.binary_join_element_wise(text, literal(end), literal("")) if end else text


def _cells(column: Any, end: str = "") -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    from nearshore.arrow import to_numpy

    kind = column.type
    if pa.types.is_floating(kind):
        return _ended(float_text(to_numpy(column)), end)
    if pa.types.is_integer(kind):
        return _ended(pc.cast(column, pa.string()), end)
    return _quoted(column, end)


def write_csv(table: Any, out: BinaryIO, *, workers: int | None = None) -> None:
    """The table as CSV, byte for byte what `csv.writer(lineterminator="\\n")` writes for its rows as Python
    values (header first), a chunk of rows at a time. Arrow's compute functions let go of the GIL, so the text of
    the next chunks is made on `workers` threads (default: one per CPU, at most 4) while one is written; at most
    two chunks per thread are held at once."""
    import os
    from collections import deque
    from concurrent.futures import Future, ThreadPoolExecutor

    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(table.column_names)
    out.write(header.getvalue().encode("utf-8"))
    batches = (b for b in table.to_batches(WRITE_CHUNK) if b.num_rows)
    count = workers or min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(count, thread_name_prefix="csv") as pool:
        pending: deque[Future[memoryview]] = deque()
        for batch in batches:
            pending.append(pool.submit(_csv_text, batch))
            if len(pending) >= 2 * count:
                out.write(pending.popleft().result())
        while pending:
            out.write(pending.popleft().result())


def _csv_text(batch: Any) -> memoryview:
    """A batch's CSV lines as one buffer of UTF-8 bytes."""
    import numpy as np
    import pyarrow.compute as pc

    from nearshore.arrow import literal

    *first, last = batch.columns
    lines = pc.binary_join_element_wise(*[_cells(c) for c in first], _cells(last, "\n"), literal(","))
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset : lines.offset + len(lines) + 1]
    return memoryview(lines.buffers()[2])[int(offsets[0]) : int(offsets[-1])]


def _chunks(rows: Sequence[tuple[Any, ...]]) -> Iterator[Iterator[tuple[Any, ...]]]:
    if isinstance(rows, TableRows):
        return (_tuples(batch) for batch in rows.table.to_batches(CHUNK))
    return (iter(rows[i : i + CHUNK]) for i in range(0, len(rows), CHUNK))


def write_json(result: Result[Any], out: TextIO) -> None:
    """The result's JSON envelope (envelope.dumps(envelope(result))), its rows written a chunk at a time."""
    from nearshore.services.envelope import dumps, envelope
    from nearshore.services.plain import plain

    marker = "\x00rows"
    document = envelope(replace(result, rows=()))
    document["result"]["rows"] = marker
    head, tail = dumps(document).split(json.dumps(marker), 1)
    out.write(head)
    rows = result.rows
    if not len(rows):
        out.write("[]")
    else:
        out.write("[\n")
        labels = [c.label for c in result.columns]
        for k, chunk in enumerate(_chunks(rows)):
            records = plain([dict(zip(labels, row, strict=True)) for row in chunk])
            body = json.dumps(records, indent=2)[2:-2]  # without the list's "[\n" and "\n]"
            out.write((",\n" if k else "") + "\n".join("    " + line for line in body.split("\n")))
        out.write("\n    ]")
    out.write(tail)


__all__ = ["CHUNK", "TableRows", "float_text", "write_csv", "write_json"]
