"""`nearshore data tariff-panels` and `data gravity` as a user runs them (numpy and DuckDB engines; no JVM)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.data.export import open_dataset
from tests.envelope import result_of

runner = CliRunner()


def test_tariff_panels_cli_writes_one_partition_per_date(isolated_env: Path, tmp_path: Path) -> None:
    out = tmp_path / "panels"
    result = runner.invoke(
        app,
        [
            "data",
            "tariff-panels",
            "--to",
            str(out),
            "--dates",
            "2025-03-04,2026-04-06",
            "--partners",
            "MEX",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    (row,) = result_of(result.stdout)["rows"]
    assert row["dates"] == 2
    assert row["partners"] == 1
    assert row["rows"] == 2 * row["lines"]
    assert open_dataset(out).manifest.provenance["dates"] == ["2025-03-04", "2026-04-06"]
    bad = runner.invoke(app, ["data", "tariff-panels", "--to", str(out), "--dates", "2025-13-01"])
    assert bad.exit_code == 2
    assert "--dates: '2025-13-01' is not a date; write YYYY-MM-DD,YYYY-MM-DD or all" in bad.output


def test_gravity_cli_on_a_plain_file(isolated_env: Path, tmp_path: Path) -> None:
    source = tmp_path / "flows.parquet"
    pq.write_table(
        pa.table({"o": ["CAN", "MEX", "MEX"], "d": ["USA"] * 3, "y": [2020, 2020, 2021], "v": [1.0, 2.0, 3.0]}), source
    )
    out = tmp_path / "gravity.parquet"
    args = [
        "data",
        "gravity",
        "--from",
        str(source),
        "--out",
        str(out),
        "--exporter-column",
        "o",
        "--importer-column",
        "d",
        "--year-column",
        "y",
        "--value-column",
        "v",
        "--format",
        "json",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    (row,) = result_of(result.stdout)["rows"]
    assert (row["rows"], row["pairs"], row["years"]) == (4, 2, 2)
    assert pq.read_table(out)["trade"].to_pylist() == [1.0, 0.0, 2.0, 3.0]
    missing = runner.invoke(app, ["data", "gravity", "--from", str(source), "--out", str(out)])
    assert missing.exit_code == 2
    assert "column(s) exporter, importer, year, value missing" in missing.output


@pytest.mark.slow
def test_tariff_panels_cli_on_spark(spark: object, isolated_env: Path, tmp_path: Path) -> None:
    out = tmp_path / "panels"
    args = [
        "data",
        "tariff-panels",
        "--to",
        str(out),
        "--dates",
        "2025-08-07",
        "--partners",
        "CAN",
        "--engine",
        "spark",
        "--spark-master",
        "local[2]",
        "--format",
        "json",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    (row,) = result_of(result.stdout)["rows"]
    assert (row["engine"], row["dates"], row["partners"]) == ("spark", 1, 1)
    assert open_dataset(out).manifest.provenance["engine"] == "spark"
    unreachable = runner.invoke(app, [*args[:-2], "--spark-master", "mesos://x:1"])
    assert unreachable.exit_code == 3
    assert "Spark master 'mesos://x:1' is not one Spark accepts" in unreachable.output
