"""numpy arrays to Arrow arrays and back through their buffers, and Python strings to an Arrow string array.

`pa.array(...)`, `Array.to_numpy()` and `np.asarray(arrow_array)` make pyarrow import pandas on their first call
(to check for pandas types, or through its pandas conversion code), about 0.3-0.5 s of a command's start; the
batch (`tariff batch`) never needs pandas. These functions build and read the same arrays from and into numpy
buffers without those checks: fixed-width numbers and booleans, nulls read as NaN (floats) or a fill value;
`literal` gives the scalars compute functions take, which a Python value would give through `pa.scalar`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

_KINDS = {"f8": "float64", "i8": "int64", "i4": "int32", "i1": "int8"}
_NUMPY = {"double": "f8", "float64": "f8", "int64": "i8", "int32": "i4", "int8": "i1", "date32[day]": "i4"}


def from_numpy(values: npt.NDArray[Any]) -> Any:
    """A numpy array of float64, int64, int32, int8 or bool as an Arrow array without nulls (what `pa.array`
    gives for it)."""
    import pyarrow as pa

    if values.dtype == np.bool_:
        bits = np.packbits(values, bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)])
    kind = values.dtype.str[1:]
    if kind not in _KINDS:
        raise TypeError(f"no Arrow type for numpy {values.dtype}")
    data = np.ascontiguousarray(values)
    return pa.Array.from_buffers(getattr(pa, _KINDS[kind])(), len(data), [None, pa.py_buffer(data)])


def to_numpy(array: Any, fill: float | int | bool = 0) -> npt.NDArray[Any]:
    """An Arrow array of fixed-width numbers or booleans (a chunked array is combined) as a new numpy array;
    nulls are NaN for floats, `fill` otherwise (what `to_numpy(zero_copy_only=False)` gives for floats)."""
    import pyarrow as pa

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    n, offset, buffers = len(array), array.offset, array.buffers()
    if pa.types.is_boolean(array.type):
        bits = np.frombuffer(buffers[1], dtype=np.uint8) if n else np.zeros(0, np.uint8)
        out: npt.NDArray[Any] = np.unpackbits(bits, bitorder="little")[offset : offset + n].astype(bool)
    else:
        dtype = np.dtype(_NUMPY[str(array.type)])
        out = (
            np.frombuffer(buffers[1], dtype=dtype, count=n, offset=offset * dtype.itemsize).copy()
            if n
            else (np.zeros(0, dtype))
        )
    if array.null_count:
        valid = np.unpackbits(np.frombuffer(buffers[0], dtype=np.uint8), bitorder="little")[offset : offset + n]
        out[valid == 0] = np.nan if out.dtype.kind == "f" else fill
    return out


def dictionary_codes(column: Any, *, missing_last: bool = False) -> tuple[npt.NDArray[np.int64], list[Any]]:
    """Each row's index into the column's distinct values, and those values (Arrow's dictionary encoding). With
    `missing_last`, a None is added after them and a missing cell's index is its position."""
    encoded = column.dictionary_encode()
    values = encoded.dictionary.to_pylist()
    if missing_last:
        values.append(None)
    return to_numpy(encoded.indices, fill=len(values) - 1 if missing_last else 0).astype(np.int64), values


def strings(values: list[str]) -> Any:
    """Python strings as an Arrow string array (what `pa.array(values, pa.string())` gives)."""
    import pyarrow as pa

    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    data = b"".join(encoded)
    return pa.Array.from_buffers(pa.string(), len(encoded), [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def literal(text: str | None, kind: Any = None) -> Any:
    """A string (or, for None, a null of `kind`, default string) as an Arrow scalar, for a compute function's
    argument (a Python value there goes through `pa.scalar`, which imports pandas)."""
    import pyarrow as pa

    return pa.nulls(1, kind or pa.string())[0] if text is None else strings([text])[0]


def blank(n: int) -> Any:
    """`n` empty strings as an Arrow string array."""
    import pyarrow as pa

    offsets = pa.py_buffer(np.zeros(n + 1, dtype=np.int32))
    return pa.Array.from_buffers(pa.string(), n, [None, offsets, pa.py_buffer(b"")])


__all__ = ["blank", "dictionary_codes", "from_numpy", "literal", "strings", "to_numpy"]
