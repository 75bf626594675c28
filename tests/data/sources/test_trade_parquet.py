"""The trade-parquet source: a good file streams in; NaN, infinities, years out of range, data after the vintage,
repeated keys, wrong column types and broken files are refused before anything is written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest

from nearshore.data.sources import trade_parquet
from nearshore.data.store import Store, scratch_connection
from nearshore.errors import InputError, SourceFormatError, StoreError, ValidationFailed
from tests.data.sources.conftest import count
from tests.data.sources.fuzzing import Edit, attempt, render_parquet, seeded_store, seeds

TABLE = next(s for s in seeds() if s.source == "trade-parquet").data.decode()


def _file(tmp_path: Path, edits: dict[tuple[int, str], str] | None = None, extra: list[int] | None = None) -> Path:
    rows = list(csv.reader(io.StringIO(TABLE)))
    for (row, column), value in (edits or {}).items():
        rows[row][rows[0].index(column)] = value
    rows += [rows[i] for i in extra or []]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / "flows.parquet"
    path.write_bytes(render_parquet(out.getvalue().encode()))
    return path


def test_a_good_file_streams_in(tmp_path: Path, store: Store) -> None:
    report = trade_parquet.load(store, _file(tmp_path), vintage="2025-06")
    assert report.rows == 6
    assert store.query("SELECT sum(value_usd) FROM trade_flows WHERE partner = 'MEX'").scalar() == 1000.5 * 6


def test_bad_values_are_located_and_nothing_is_written(tmp_path: Path, store: Store) -> None:
    path = _file(
        tmp_path,
        {(1, "value_usd"): "nan", (2, "value_usd"): "-inf", (3, "value_usd"): "1e308", (4, "year"): "2101"},
        extra=[5],
    )
    with pytest.raises(ValidationFailed) as caught:
        trade_parquet.load(store, path, vintage="2025-06")
    lines = str(caught.value).splitlines()[1:]
    assert lines == [
        f"  - {path}, row 1, column 'value_usd': not a finite, non-negative figure up to the limit (value 'nan'). "
        "fix the value",
        f"  - {path}, row 2, column 'value_usd': not a finite, non-negative figure up to the limit (value '-inf'). "
        "fix the value",
        f"  - {path}, row 3, column 'value_usd': not a finite, non-negative figure up to the limit (value '1e+308'). "
        "fix the value",
        f"  - {path}, row 4, column 'year': year out of range (value '2101'). use 1962-2026",
        f"  - {path}, row 4, column 'year': data after the vintage 2025-06: a release cannot hold later figures "
        "(value '2101'). check the year and month, or the --vintage",
        f"  - {path}, row 5: 2 rows share one key (reporter, partner_code, flow, basis, district, year, month, "
        "classification, commodity, program). remove the duplicates",
    ]
    assert count(store) == 0


def test_types_and_broken_files(tmp_path: Path, store: Store) -> None:
    path = _file(tmp_path, {(1, "year"): "twenty"})
    with pytest.raises(
        SourceFormatError, match=r"column 'year': wrong type: this column holds int16 \(value 'string'\)"
    ):
        trade_parquet.load(store, path, vintage="2025-06")
    path.write_bytes(b"PAR1 not a parquet file")
    with pytest.raises(SourceFormatError, match="not a readable Parquet file"):
        trade_parquet.load(store, path, vintage="2025-06")
    with pytest.raises(InputError, match=r"give the data's release with --vintage"):
        trade_parquet.load(store, _file(tmp_path))
    assert count(store) == 0


def test_a_damaged_page_fails_the_checks_not_the_store(tmp_path: Path) -> None:
    """The input a long campaign found (seed 3): a bit flipped in a page the row checks never read made the
    store's own read of the file fail inside the load ("Out of buffer") instead of a located refusal."""
    seed = next(s for s in seeds() if s.source == "trade-parquet")
    edits = [Edit("flip", 0.2921667567913019, 0.26617294780469836), Edit("delete_line", 0.8702564760490843)]
    store_path = seeded_store(tmp_path, seed)
    outcome = attempt(seed, seed.file(edits), tmp_path, store_path)
    assert outcome.result == "refused", outcome.message
    assert "not a readable Parquet file" in outcome.message


def test_the_checks_run_under_the_stores_memory_limit(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checks before a load once ran on a connection with DuckDB's default limit (80% of RAM): a 10M-row file
    took 2.4 GB whatever the user had set. Their connection now gets the store's limit."""
    limits: list[str] = []

    def recording(memory_limit: str = "") -> duckdb.DuckDBPyConnection:
        limits.append(memory_limit)
        return scratch_connection(memory_limit)

    monkeypatch.setattr(trade_parquet, "scratch_connection", recording)
    with Store(tmp_path / "limited.duckdb", memory_limit="300MB") as limited:
        assert trade_parquet.load(limited, _file(tmp_path), vintage="2025-06").rows == 6
    assert limits == ["300MB"]


def test_running_out_of_memory_in_the_checks_says_so(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Out of memory while checking is the store's advice (NEARSHORE_MEMORY_LIMIT), not "not a readable file"."""
    monkeypatch.setattr(trade_parquet, "scratch_connection", lambda memory_limit="": scratch_connection("1MB"))
    with pytest.raises(StoreError, match=r"checking .*flows\.parquet ran out of memory.*NEARSHORE_MEMORY_LIMIT"):
        trade_parquet.load(store, _file(tmp_path), vintage="2025-06")
    assert count(store, "trade_flows") == 0


def test_a_scratch_connection_has_the_limit_and_no_progress_bar() -> None:
    con = scratch_connection("100MB")
    try:
        limit, bar = con.execute(
            "SELECT current_setting('memory_limit'), current_setting('enable_progress_bar')"
        ).fetchone() or ("", True)
    finally:
        con.close()
    assert limit == "95.3 MiB"
    assert bar is False
