"""The gravity panel preparation: hand-worked figures on DuckDB, and Spark equal to DuckDB row for row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nearshore.data.export import export_store
from nearshore.data.spark.gravity import GravitySpec, prepare_gravity
from nearshore.data.store import Store
from nearshore.errors import DatasetError, InputError
from tests.data.fixtures import trade_batch

# bilateral rows, several per (exporter, importer, year) as products or months would be
FLOWS = {
    "origin": ["CAN", "CAN", "MEX", "MEX", "MEX", "USA", "USA", "CAN", "MEX"],
    "dest": ["USA", "USA", "USA", "USA", "CAN", "MEX", "CAN", "USA", "USA"],
    "yr": [2020, 2020, 2020, 2021, 2022, 2022, 2024, 2024, 2024],
    "usd": [1.5, 2.25, 10.0, 11.0, 3.0, 4.0, 5.0, 6.0, 12.0],
}
COLUMNS = {"exporter": "origin", "importer": "dest", "year": "yr", "value": "usd"}


@pytest.fixture
def flows_file(tmp_path: Path) -> Path:
    path = tmp_path / "flows.parquet"
    pq.write_table(pa.table(FLOWS), path)
    return path


def test_hand_worked_panel_with_a_two_year_step(flows_file: Path) -> None:
    panel = prepare_gravity(flows_file, spec=GravitySpec(year_step=2), columns=COLUMNS).table
    # kept years 2020, 2022, 2024 (2021 dropped); pairs observed in kept years: CAN>USA, MEX>CAN, MEX>USA,
    # USA>CAN, USA>MEX; every pair in every kept year (zeros filled)
    rows = [(r["exporter"], r["importer"], r["year"], r["trade"], r["source_rows"]) for r in panel.to_pylist()]
    assert rows == [
        ("CAN", "USA", 2020, 3.75, 2),
        ("CAN", "USA", 2022, 0.0, 0),
        ("CAN", "USA", 2024, 6.0, 1),
        ("MEX", "CAN", 2020, 0.0, 0),
        ("MEX", "CAN", 2022, 3.0, 1),
        ("MEX", "CAN", 2024, 0.0, 0),
        ("MEX", "USA", 2020, 10.0, 1),
        ("MEX", "USA", 2022, 0.0, 0),
        ("MEX", "USA", 2024, 12.0, 1),
        ("USA", "CAN", 2020, 0.0, 0),
        ("USA", "CAN", 2022, 0.0, 0),
        ("USA", "CAN", 2024, 5.0, 1),
        ("USA", "MEX", 2020, 0.0, 0),
        ("USA", "MEX", 2022, 4.0, 1),
        ("USA", "MEX", 2024, 0.0, 0),
    ]
    ids = [(r["exporter_year_id"], r["importer_year_id"], r["pair_id"]) for r in panel.to_pylist()]
    # exporter-year: CAN 2020..2024 -> 0..2, MEX -> 3..5, USA -> 6..8; importer-year: CAN -> 0..2, MEX 3..5, USA 6..8
    assert ids[:3] == [(0, 6, 0), (1, 7, 0), (2, 8, 0)]
    assert ids[3:6] == [(3, 0, 1), (4, 1, 1), (5, 2, 1)]
    assert ids[-1] == (8, 5, 4)
    without_zeros = prepare_gravity(flows_file, spec=GravitySpec(year_step=2, zeros=False), columns=COLUMNS).table
    assert without_zeros.num_rows == 7
    assert without_zeros["pair_id"].to_pylist() == [0, 0, 1, 2, 2, 3, 4]


def test_spark_equals_duckdb_row_for_row_on_a_file(spark: Any, flows_file: Path) -> None:
    for spec in (GravitySpec(), GravitySpec(year_step=2, start_year=2021, zeros=False)):
        duck = prepare_gravity(flows_file, spec=spec, columns=COLUMNS)
        on_spark = prepare_gravity(flows_file, spec=spec, columns=COLUMNS, engine="spark", spark=spark)
        assert on_spark.table.equals(duck.table), spec
        assert on_spark.sql == duck.sql  # the same SQL text reproduces the panel on either engine


def test_spark_equals_duckdb_on_an_exported_store(spark: Any, small_store: Store, tmp_path: Path) -> None:
    export_store(small_store, tmp_path / "x", partition_by=["year", "partner"])
    duck = prepare_gravity(tmp_path / "x").table
    on_spark = prepare_gravity(tmp_path / "x", engine="spark", spark=spark).table
    assert on_spark.equals(duck)
    # imports as the importer (USA) records them: annual rows, current vintage, the monthly row left out
    got = {(r["exporter"], r["year"]): r["trade"] for r in duck.to_pylist()}
    assert got == {
        ("CAN", 2022): 90.0,
        ("CAN", 2023): 0.0,
        ("CAN", 2024): 95.0,
        ("CHN", 2022): 0.0,
        ("CHN", 2023): 300.0,
        ("CHN", 2024): 0.0,
        ("MEX", 2022): 100.0,
        ("MEX", 2023): 110.5,
        ("MEX", 2024): 120.25,
    }
    exports = prepare_gravity(tmp_path / "x", spec=GravitySpec(flow="exports")).table
    assert [(r["exporter"], r["importer"], r["year"], r["trade"]) for r in exports.to_pylist()] == [
        ("USA", "CAN", 2022, 0.0),
        ("USA", "CAN", 2023, 85.0),
        ("USA", "MEX", 2022, 80.0),
        ("USA", "MEX", 2023, 0.0),
    ]


def test_two_sources_of_the_same_flow_are_refused(small_store: Store, tmp_path: Path) -> None:
    rows = [("comtrade", "USA", "MEX", "imports", 2024, None, 121.0)]
    small_store.load(trade_batch(rows, "2026-07", source="comtrade"))
    export_store(small_store, tmp_path / "x", partition_by=["year"])
    with pytest.raises(InputError, match=r"sources census-country, comtrade all hold imports; summing them"):
        prepare_gravity(tmp_path / "x")
    chosen = prepare_gravity(tmp_path / "x", spec=GravitySpec(source="comtrade")).table
    assert chosen.to_pylist()[0]["trade"] == 121.0


def test_each_flow_is_read_at_its_coarsest_level_only(small_store: Store, tmp_path: Path) -> None:
    """Chapters and headings of the same flow are not added together; a TOTAL row wins over chapters."""
    rows = [
        ("comtrade", "CAN", "MEX", "imports", 2023, None, 7.0, "87"),
        ("comtrade", "CAN", "MEX", "imports", 2023, None, 3.0, "84"),
        ("comtrade", "CAN", "MEX", "imports", 2023, None, 6.5, "8703"),  # inside chapter 87: not counted again
        ("comtrade", "CAN", "USA", "imports", 2023, None, 500.0),  # TOTAL
        ("comtrade", "CAN", "USA", "imports", 2023, None, 200.0, "87"),
    ]
    small_store.load(trade_batch(rows, "2026-07", source="comtrade"))
    export_store(small_store, tmp_path / "x", partition_by=["year"])
    panel = prepare_gravity(tmp_path / "x", spec=GravitySpec(source="comtrade")).table
    assert [(r["exporter"], r["importer"], r["trade"], r["source_rows"]) for r in panel.to_pylist()] == [
        ("MEX", "CAN", 10.0, 2),
        ("USA", "CAN", 500.0, 1),
    ]


def test_bad_inputs_are_named(flows_file: Path, tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"flows.parquet: column\(s\) exporter, importer, year, value missing"):
        prepare_gravity(flows_file)
    with pytest.raises(DatasetError, match="does not exist"):
        prepare_gravity(tmp_path / "nothing.parquet")
    with pytest.raises(InputError, match="year step 0"):
        prepare_gravity(flows_file, spec=GravitySpec(year_step=0), columns=COLUMNS)
    with pytest.raises(InputError, match="unknown engine 'polars'"):
        prepare_gravity(flows_file, columns=COLUMNS, engine="polars")  # type: ignore[arg-type]
