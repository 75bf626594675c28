"""The Spark engine behind the query layer: the `stats` services give the same figures, sources and vintages on
Spark over an exported dataset as on the DuckDB store the dataset was exported from."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from nearshore.data.export import export_store
from nearshore.data.query.spark import SparkEngine
from nearshore.data.store import Store
from nearshore.errors import DataNotFound, InputError
from nearshore.services import BalanceRequest, GrowthRequest, ShareRequest, TopRequest, stats
from nearshore.services.base import Context, Result
from nearshore.settings import Settings
from tests.data.fixtures import make_store

CASES: list[tuple[Any, Any]] = [
    (stats.share, ShareRequest(partner="MEX", year=2024)),
    (stats.share, ShareRequest(partner="MEX")),
    (stats.share, ShareRequest(partner="MEX", year=2022, as_of="2025-06")),
    (stats.share, ShareRequest(partner="MEX", year=2024, month=1)),
    (stats.top, TopRequest(year=2024, n=2)),
    (stats.growth, GrowthRequest(partner="MEX", year=2024)),
    (stats.growth, GrowthRequest(partner="MEX", kind="cagr", start_year=2022, year=2024)),
    (stats.growth, GrowthRequest(year=2024)),
    (stats.balance, BalanceRequest(partner="MEX", year=2022, as_of="2025-06")),
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("engine")
    with make_store(folder / "store.duckdb") as store:
        export_store(store, folder / "export", partition_by=["year"])
        yield store, str(folder / "export")


def _figures(result: Result[Any]) -> tuple[Any, ...]:
    return (result.title, result.columns, result.provenance.sources, result.provenance.vintages)


@pytest.mark.slow
@pytest.mark.parametrize(("service", "request_"), CASES, ids=[f"{s.name}-{i}" for i, (s, _) in enumerate(CASES)])
def test_stats_on_spark_equal_the_store(spark: Any, exported: Any, service: Any, request_: Any) -> None:
    store, dataset = exported
    on_duckdb = service(Context(Settings.load(), store), request_)
    on_spark = service(Context(Settings.load()), replace(request_, engine="spark", dataset=dataset))
    assert _figures(on_spark) == _figures(on_duckdb)
    assert on_spark.notes == (*on_duckdb.notes, f"note: computed on Spark from the dataset {dataset}")
    assert len(on_spark.rows) == len(on_duckdb.rows) > 0
    for got, want in zip(on_spark.rows, on_duckdb.rows, strict=True):
        assert got == pytest.approx(want, rel=1e-12, abs=0) if all(isinstance(v, float) for v in want) else got == want
    assert (
        "newest_vintage" in on_spark.provenance.query
        if request_.as_of
        else "superseded_by IS NULL" in (on_spark.provenance.query)
    )


def test_hand_worked_share_on_spark(spark: Any, exported: Any) -> None:
    # 2024 imports: MEX 120.25, CAN 95 (CHN none): MEX share 120.25 / 215.25
    _, dataset = exported
    result = stats.share(
        Context(Settings.load()), ShareRequest(partner="MEX", year=2024, engine="spark", dataset=dataset)
    )
    ((partner, period, value, world, share, rank),) = result.rows
    assert (partner, period, rank) == ("MEX", "2024", 1)
    assert (value, world) == pytest.approx((120.25e-9, 215.25e-9), rel=1e-12)  # $B
    assert share == pytest.approx(100 * 120.25 / 215.25, rel=1e-12)


def test_spark_literals_escape_quotes_and_backslashes(spark: Any) -> None:
    engine = SparkEngine(spark)
    text = "O'Hare \\ co"
    assert engine.execute(f"SELECT {engine.literal(text)} AS t, {engine.literal(None)} AS n").rows == [(text, None)]


def test_engine_options_are_checked(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        with pytest.raises(InputError, match=r"--engine spark reads an exported dataset: give --dataset PATH"):
            stats.share(Context(Settings.load(), store), ShareRequest(partner="MEX", engine="spark"))
        with pytest.raises(InputError, match=r"--dataset x is read by the Spark engine only"):
            stats.share(Context(Settings.load(), store), ShareRequest(partner="MEX", dataset="x"))


def test_missing_data_is_the_same_error_on_both(spark: Any, exported: Any) -> None:
    store, dataset = exported
    request = BalanceRequest(partner="CAN", year=2022, as_of="2025-06")  # no CAN exports in the older vintage
    with pytest.raises(DataNotFound) as on_duckdb:
        stats.balance(Context(Settings.load(), store), request)
    with pytest.raises(DataNotFound) as on_spark:
        stats.balance(Context(Settings.load()), replace(request, engine="spark", dataset=dataset))
    assert str(on_spark.value) == str(on_duckdb.value)
    assert "holds nothing of exports (total, program ALL, TOTAL) for CAN" in str(on_spark.value)


@pytest.mark.slow
def test_stats_cli_on_spark_gives_the_store_figures(spark: Any, isolated_env: Path) -> None:
    from typer.testing import CliRunner

    from nearshore.cli.main import app
    from tests.envelope import result_of

    make_store(isolated_env / "store.duckdb").close()
    runner = CliRunner()
    dataset = isolated_env / "export"
    assert runner.invoke(app, ["data", "export", "--to", str(dataset), "--format", "json"]).exit_code == 0
    args = ["stats", "top", "--year", "2024", "-n", "2", "--format", "json"]
    on_duckdb = runner.invoke(app, args)
    on_spark = runner.invoke(app, [*args, "--engine", "spark", "--dataset", str(dataset)])
    assert on_duckdb.exit_code == 0, on_duckdb.output
    assert on_spark.exit_code == 0, on_spark.output
    duckdb_rows, spark_rows = result_of(on_duckdb.stdout)["rows"], result_of(on_spark.stdout)["rows"]
    assert [r["partner"] for r in spark_rows] == [r["partner"] for r in duckdb_rows] == ["MEX", "CAN"]
    for got, want in zip(spark_rows, duckdb_rows, strict=True):
        assert got.keys() == want.keys()
        assert all(got[k] == (pytest.approx(v, rel=1e-12) if isinstance(v, float) else v) for k, v in want.items())
    missing = runner.invoke(app, ["stats", "top", "--year", "2024", "--engine", "spark"])
    assert missing.exit_code == 2
    assert "--engine spark reads an exported dataset: give --dataset PATH" in missing.output
