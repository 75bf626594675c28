"""Exported datasets read on Spark: the same rows as the store, the store's SQL runs on the views, bad data named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nearshore.data.export import export_store, open_dataset
from nearshore.data.spark.datasets import read_table, register_tables
from nearshore.data.store import Store
from nearshore.errors import DatasetError


def _rows(frame: Any) -> list[tuple[Any, ...]]:
    return sorted((tuple(r) for r in frame.collect()), key=repr)


def test_every_table_reads_back_row_for_row(spark: Any, small_store: Store, tmp_path: Path) -> None:
    export_store(small_store, tmp_path / "x", partition_by=["year", "partner"])
    dataset = open_dataset(tmp_path / "x")
    for table in ("trade_flows", "program_shares", "hts_schedule", "loads"):
        frame = read_table(spark, dataset, table)
        expected = small_store.query(f"SELECT * FROM {table}")
        assert tuple(frame.columns) == expected.columns, table
        assert _rows(frame) == sorted(expected.rows, key=repr), table
    types = dict(read_table(spark, dataset, "trade_flows").dtypes)
    assert (types["year"], types["month"], types["value_usd"], types["partner"]) == (
        "smallint",
        "tinyint",
        "double",
        "string",
    )


def test_store_sql_runs_on_the_registered_views(spark: Any, small_store: Store, tmp_path: Path) -> None:
    """The views carry the store's table names: SQL written for the store gives the same figures on Spark."""
    export_store(small_store, tmp_path / "x", partition_by=["year"])
    assert register_tables(spark, open_dataset(tmp_path / "x")) == (
        "hts_schedule",
        "loads",
        "program_shares",
        "trade_flows",
    )
    sql = (
        "SELECT partner, year, sum(value_usd) AS value, count(*) AS n FROM trade_flows "
        "WHERE superseded_by IS NULL AND flow = 'imports' AND month IS NULL GROUP BY partner, year "
        "ORDER BY partner, year"
    )
    on_spark = [tuple(r) for r in spark.sql(sql).collect()]
    assert on_spark == small_store.query(sql).rows
    assert on_spark[0] == ("CAN", 2022, 90.0, 1)  # the 2026-07 figure, not the superseded 89.0


def test_spark_reader_refuses_a_missing_partition(spark: Any, small_store: Store, tmp_path: Path) -> None:
    export_store(small_store, tmp_path / "x", partition_by=["year"])
    for file in (tmp_path / "x" / "trade_flows" / "year=2022").iterdir():
        file.unlink()
    with pytest.raises(DatasetError, match=r"missing 1 of its 3 committed file\(s\), in trade_flows/year=2022"):
        read_table(spark, open_dataset(tmp_path / "x"), "trade_flows")
