"""Grouping keys of the batch (`batch.py`): integer codes combined into one key and numbered, and float rows
numbered by their bytes."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from nearshore.arrow import to_numpy
from nearshore.tariffs.entries import Floats


def factorize(key: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each value's index among the distinct values, numbered in ascending order of the values, and the first
    position of each. Keys in a range up to a few times their count are counted (a table over the range);
    others are sorted once (numpy's unique with return_index sorts stably, which is slower)."""
    n = len(key)
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    low, high = int(key.min()), int(key.max())
    if low >= 0 and high < 8 * n + 65_536:
        present = np.zeros(high + 1, dtype=bool)
        present[key] = True
        inverse = (np.cumsum(present, dtype=np.int64) - 1)[key]
        firsts = np.full(int(np.count_nonzero(present)), n, dtype=np.int64)
        np.minimum.at(firsts, inverse, np.arange(n, dtype=np.int64))
        return inverse, firsts
    order = np.argsort(key)
    ordered = key[order]
    step = np.empty(n, dtype=bool)
    step[0] = False
    np.not_equal(ordered[1:], ordered[:-1], out=step[1:])
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.cumsum(step, dtype=np.int64)
    step[0] = True
    return inverse, np.minimum.reduceat(order, np.flatnonzero(step))


def distinct_rows(table: Floats) -> tuple[npt.NDArray[np.int64], list[list[float]]]:
    """Each row's index among the table's distinct rows (compared as bytes, hashed), and those rows."""
    import pyarrow as pa

    data = np.ascontiguousarray(table, dtype=np.float64)
    n, m = data.shape
    if not n:
        return np.zeros(0, dtype=np.int64), []
    if not m:  # every row is the same, empty row
        return np.zeros(n, dtype=np.int64), [[]]
    cells = pa.Array.from_buffers(pa.binary(8 * m), n, [None, pa.py_buffer(data)])
    encoded = cells.dictionary_encode()
    rows = encoded.dictionary
    flat = np.frombuffer(rows.buffers()[1], dtype=np.float64, count=len(rows) * m, offset=rows.offset * 8 * m)
    return to_numpy(encoded.indices).astype(np.int64), flat.reshape(-1, m).tolist()


def combine(parts: list[npt.NDArray[np.int64]]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Group index per row for the combination of integer codes, numbered in the order of the codes (the first
    part most significant), and the first row of each group."""
    key = np.zeros(len(parts[0]), dtype=np.int64)
    for part in parts:
        key = key * (int(part.max()) + 1 if len(part) else 1) + part
        if len(key) and key.max() > 2**40:  # keep the mixed-radix key inside int64
            key = factorize(key)[0]
    return factorize(key)


__all__ = ["combine", "distinct_rows", "factorize"]
