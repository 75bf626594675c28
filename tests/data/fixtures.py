"""Fixtures for the dataset and Spark tests (a plugin of tests/conftest.py, so that the tests of data/export,
data/spark, data/query, tariffs and cli share them): a small store with known rows, and one Spark session.

The Spark session is local[2] and shared by every test that asks for it (a JVM start costs seconds); without
pyspark or Java those tests skip, saying which is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nearshore.data.batch import Batch
from nearshore.data.store import Store

# (source, reporter, partner, flow, year, month, value): a few bilateral series, annual and monthly rows
ROWS = [
    ("census-country", "USA", "MEX", "imports", 2022, None, 100.0),
    ("census-country", "USA", "MEX", "imports", 2023, None, 110.5),
    ("census-country", "USA", "MEX", "imports", 2024, None, 120.25),
    ("census-country", "USA", "CAN", "imports", 2022, None, 90.0),
    ("census-country", "USA", "CAN", "imports", 2024, None, 95.0),
    ("census-country", "USA", "CHN", "imports", 2023, None, 300.0),
    ("census-country", "USA", "MEX", "imports", 2024, 1, 10.0),  # monthly: not in a gravity panel
    ("census-country", "USA", "MEX", "exports", 2022, None, 80.0),
    ("census-country", "USA", "CAN", "exports", 2023, None, 85.0),
]


def trade_batch(rows: list[tuple[Any, ...]], vintage: str, source: str = "census-country") -> Batch:
    """Rows (source, reporter, partner, flow, year, month, value[, HS code]) as a batch; TOTAL rows without a code."""
    rows = [r for r in rows if r[0] == source]
    codes = [r[7] if len(r) > 7 else "" for r in rows]
    n = len(rows)
    return Batch.from_columns(
        source=source,
        target="trade_flows",
        origin=f"test/{source}-{vintage}.csv",
        checksum="sha256:0",
        vintage=vintage,
        columns={
            "reporter": [r[1] for r in rows],
            "partner": [r[2] for r in rows],
            "partner_code": [r[2] for r in rows],
            "partner_name": [r[2] for r in rows],
            "partner_kind": ["country"] * n,
            "flow": [r[3] for r in rows],
            "basis": ["general" if r[3] == "imports" else "total" for r in rows],
            "year": [r[4] for r in rows],
            "month": [r[5] for r in rows],
            "classification": ["HS" if c else "TOTAL" for c in codes],
            "commodity": codes,
            "level": [len(c) for c in codes],
            "value_usd": [r[6] for r in rows],
            "duty_usd": [None] * n,
            "quantity": [None] * n,
            "unit": [None] * n,
            "program": ["ALL"] * n,
        },
    )


def make_store(path: Path) -> Store:
    """A store file with two vintages of census-country (the older one partly superseded)."""
    store = Store(path)
    older = [(*r[:6], r[6] - 1.0) for r in ROWS if r[4] == 2022]
    store.load(trade_batch(older, "2025-06"))
    store.load(trade_batch(ROWS, "2026-07"))
    return store


@pytest.fixture
def small_store(tmp_path: Path) -> Iterator[Store]:
    with make_store(tmp_path / "store.duckdb") as store:
        yield store


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local[2] Spark session for the whole run; skips (saying why) without pyspark or Java."""
    from nearshore.data.spark.session import java_available
    from nearshore.settings import Settings

    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.skip("pyspark is not installed (pip install 'nearshore[spark]'; scripts/setup dev installs it)")
    if java_available() is None:
        pytest.skip("no Java runtime for Spark (scripts/setup dev installs openjdk-17-jre-headless on Debian)")
    from nearshore.data.spark.session import spark_session

    session = spark_session(Settings.load(spark_master="local[2]", spark_driver_memory="1g"))
    yield session
    session.stop()
