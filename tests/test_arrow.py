"""nearshore.arrow builds and reads the same arrays as pyarrow's own conversions (pa.array, to_numpy,
pa.scalar), and the batch's reading and writing never import pandas (checked in a fresh process)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from nearshore.arrow import blank, from_numpy, literal, strings, to_numpy


@pytest.mark.parametrize(
    "values",
    [
        np.array([1.5, -0.0, np.nan, np.inf, 1e-300]),
        np.arange(-5, 70, dtype=np.int64),
        np.arange(-5, 70, dtype=np.int32),
        np.array([-3, 0, 7], dtype=np.int8),
        np.array([True, False, True] * 7),
        np.zeros(0),
        np.arange(20, dtype=np.int64)[::3],  # not contiguous
    ],
)
def test_from_numpy_and_back_equal_pyarrows_conversions(values: np.ndarray) -> None:
    made = from_numpy(values)
    expected = pa.array(values)
    assert made.type == expected.type
    assert [repr(v) for v in made.to_pylist()] == [repr(v) for v in expected.to_pylist()]  # NaN, -0.0 too
    assert made.null_count == 0
    assert np.array_equal(to_numpy(made), expected.to_numpy(zero_copy_only=False), equal_nan=True)


def test_to_numpy_reads_slices_chunks_and_nulls_as_pyarrow_does() -> None:
    floats = pa.array([1.0, None, 3.5, None, 5.0, 6.0, 7.0, None, 9.0, 10.0])
    bools = pa.array([True, False, True, True, False, False, True, False, True, True, False])
    for array in (floats, floats.slice(3, 6), bools.slice(3, 7), pa.array([1, 2, 3], pa.int32()).cast(pa.date32())):
        got, expected = to_numpy(array), array.to_numpy(zero_copy_only=False)
        assert np.array_equal(got, np.asarray(expected, dtype=got.dtype), equal_nan=True), array
    assert to_numpy(pa.array([4, None, 6]), fill=-1).tolist() == [4, -1, 6]
    assert to_numpy(pa.chunked_array([[1.0], [2.0, 3.0]])).tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(TypeError):
        from_numpy(np.array(["a"]))


def test_strings_literals_and_blanks_equal_pyarrows() -> None:
    values = ["base 2.5%", "", 'say "free"', "é ü 中", "a, b"]
    assert strings(values).equals(pa.array(values, pa.string()))
    assert strings([]).equals(pa.array([], pa.string()))
    assert blank(4).equals(pa.array([""] * 4, pa.string()))
    column = pa.array(["x", "", None])
    assert pc.equal(column, literal("")).equals(pc.equal(column, ""))
    assert pc.if_else(pa.array([True, False, True]), column, literal(None)).to_pylist() == ["x", None, None]


def test_the_batchs_reading_and_writing_import_no_pandas(tmp_path) -> None:
    entries = tmp_path / "entries.csv"
    entries.write_text(
        "hts,origin,value,date,quantity,usmca\n8708.99.81.80,MEX,1000.5,2025-06-01,,1\n"
        '0406.90.94.00,DEU,"1,200",2025-07-01,10,\n',
        encoding="utf-8",
    )
    script = textwrap.dedent(
        f"""
        import io, sys
        import numpy as np
        from pathlib import Path
        from nearshore.arrow import from_numpy, strings
        from nearshore.services.columnar import write_csv
        from nearshore.tariffs.entries_table import read_entries
        import pyarrow as pa
        e = read_entries(Path({str(entries)!r}))
        table = pa.table({{"hts": e.hts, "value": from_numpy(e.value), "layers": strings(["a", 'b "c"'])}})
        out = io.BytesIO()
        write_csv(table, out)
        print(out.getvalue().decode(), end="")
        print("pandas" in sys.modules)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout == 'hts,value,layers\n8708.99.81.80,1000.5,a\n0406.90.94.00,1200.0,"b ""c"""\nFalse\n'
