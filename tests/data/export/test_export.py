"""`nearshore data export`: partitioned Parquet committed by a manifest, read back checked (no Spark needed)."""

from __future__ import annotations

import json
import re
import socket
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.data.export import MANIFEST, export_store, open_dataset
from nearshore.data.export import commit as commit_module
from nearshore.data.store import Store
from nearshore.errors import DatasetError, InputError
from nearshore.settings import Settings
from tests.data.fixtures import make_store
from tests.envelope import result_of


def _store_rows(store: Store, table: str) -> list[tuple[object, ...]]:
    return store.query(f"SELECT * FROM {table} ORDER BY ALL").rows


def _parquet_rows(folder: Path, columns: list[str]) -> list[tuple[object, ...]]:
    """The exported files read by DuckDB's own Parquet reader with Hive partitions, not by nearshore's reader."""
    con = duckdb.connect()
    rel = f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true, hive_types = {{'year': SMALLINT}})"
    return con.execute(f"SELECT {', '.join(columns)} FROM {rel} ORDER BY ALL").fetchall()


def test_export_partitions_tables_and_records_provenance(small_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "export"
    report = export_store(small_store, out, partition_by=["year", "partner"])
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["kind"] == "store-export"
    tables = manifest["tables"]
    assert set(tables) == {"trade_flows", "program_shares", "hts_schedule", "loads"}
    assert tables["trade_flows"]["partition_by"] == ["year", "partner"]
    assert tables["hts_schedule"]["partition_by"] == []  # no year or partner column: written whole
    assert tables["trade_flows"]["rows"] == 12
    assert tables["program_shares"]["rows"] == 0
    assert (out / "trade_flows" / "year=2024" / "partner=MEX").is_dir()
    assert sorted(p.name for p in (out / "trade_flows").iterdir()) == ["year=2022", "year=2023", "year=2024"]
    # every listed file is there with its rows
    for entry in tables["trade_flows"]["files"]:
        assert pq.read_metadata(out / entry["path"]).num_rows == entry["rows"]
    # provenance: the source, its vintages and load ids, and the loads table whole
    (source,) = manifest["provenance"]["sources"]
    assert source["source"] == "census-country"
    assert source["vintages"] == ["2025-06", "2026-07"]
    assert source["load_ids"] == [1, 2]
    assert [load["load_id"] for load in manifest["provenance"]["loads"]] == [1, 2]
    # the data itself: the store's rows, superseded ones included, read back by an independent reader
    columns = [c["name"] for c in tables["trade_flows"]["columns"]]
    assert _parquet_rows(out / "trade_flows", columns) == _store_rows(small_store, "trade_flows")
    assert report.manifest.tables["loads"].rows == 2
    assert not [p for p in out.iterdir() if p.name.startswith(("_staging", "_old"))]


def test_reader_types_partition_columns_from_the_manifest(small_store: Store, tmp_path: Path) -> None:
    export_store(small_store, tmp_path / "x", partition_by=["year", "partner"])
    table = open_dataset(tmp_path / "x").arrow("trade_flows").to_table()
    assert table.schema.field("year").type == pa.int16()
    assert table.schema.field("partner").type == pa.string()
    assert table.num_rows == 12


def test_reexport_replaces_the_dataset_whole(small_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "x"
    first = export_store(small_store, out, partition_by=["year"])
    second = export_store(small_store, out, partition_by=["partner"])
    assert first.manifest.export_id != second.manifest.export_id
    assert sorted(p.name for p in (out / "trade_flows").iterdir()) == ["partner=CAN", "partner=CHN", "partner=MEX"]
    assert open_dataset(out).arrow("trade_flows").count_rows() == 12
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "hts_schedule", "loads", "program_shares", "trade_flows"]


def test_a_failed_export_leaves_the_old_dataset_untouched(
    small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "x"
    export_store(small_store, out, partition_by=["year"])
    before = (out / MANIFEST).read_text()

    def broken(*args: object, **kwargs: object) -> None:
        raise DatasetError("disk full (simulated)")

    monkeypatch.setattr("nearshore.data.export.store_export.commit", broken)
    with pytest.raises(DatasetError, match="simulated"):
        export_store(small_store, out, partition_by=["partner"])
    assert (out / MANIFEST).read_text() == before
    assert sorted(p.name for p in (out / "trade_flows").iterdir()) == ["year=2022", "year=2023", "year=2024"]
    assert not [p for p in out.iterdir() if p.name.startswith("_staging")]
    assert open_dataset(out).arrow("trade_flows").count_rows() == 12


def test_a_dataset_without_a_committed_manifest_is_refused(small_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "x"
    export_store(small_store, out, partition_by=["year"])
    (out / MANIFEST).unlink()
    with pytest.raises(DatasetError) as error:
        open_dataset(out)
    assert str(error.value) == (
        f"{out} is not a committed nearshore dataset: {MANIFEST} is missing (the export was interrupted, is still "
        "running, or this is another folder); run `nearshore data export` again"
    )


def test_commit_interrupted_after_the_old_manifest_went_leaves_no_dataset(
    small_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "x"
    export_store(small_store, out, partition_by=["year"])

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(commit_module, "write_manifest", killed)
    with pytest.raises(KeyboardInterrupt):
        export_store(small_store, out, partition_by=["partner"])
    with pytest.raises(DatasetError, match="not a committed nearshore dataset"):
        open_dataset(out)


def test_missing_partition_is_named(small_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "x"
    export_store(small_store, out, partition_by=["year", "partner"])
    for file in (out / "trade_flows" / "year=2023" / "partner=CHN").iterdir():
        file.unlink()
    with pytest.raises(DatasetError) as error:
        open_dataset(out).check("trade_flows")
    assert str(error.value) == (
        f"{out}: table trade_flows is missing 1 of its 7 committed file(s), in trade_flows/year=2023/partner=CHN; "
        "the dataset was changed after the export: export it again"
    )


def _rewrite(path: Path, change: str) -> None:
    table = pq.read_table(path)
    if change == "drop":
        table = table.drop_columns(["value_usd"])
    else:
        table = table.set_column(
            table.schema.get_field_index("value_usd"), "value_usd", table["value_usd"].cast(pa.string())
        )
    pq.write_table(table, path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("drop", "column value_usd (double) of table trade_flows is missing"),
        ("retype", "column value_usd of table trade_flows is string, the manifest says double"),
    ],
)
def test_schema_that_does_not_match_the_manifest_is_named(
    small_store: Store, tmp_path: Path, change: str, message: str
) -> None:
    out = tmp_path / "x"
    export_store(small_store, out, partition_by=["year"])
    (victim,) = (out / "trade_flows" / "year=2023").iterdir()
    _rewrite(victim, change)
    with pytest.raises(DatasetError, match=re.escape(message)) as error:
        open_dataset(out).check("trade_flows")
    assert error.value.file == f"{out}/trade_flows/year=2023/{victim.name}"
    assert str(error.value).startswith(f"{out}/trade_flows/year=2023/{victim.name}: ")


def test_unknown_table_and_partition_column_are_refused(small_store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--partition-by year,region: region is not a column"):
        export_store(small_store, tmp_path / "x", partition_by=["year", "region"])
    with pytest.raises(InputError, match="unknown table"):
        export_store(small_store, tmp_path / "x", tables=["trade"])
    export_store(small_store, tmp_path / "x", partition_by=["year"])
    with pytest.raises(DatasetError, match="has no table 'trades'; it holds hts_schedule, loads"):
        open_dataset(tmp_path / "x").check("trades")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_object_store_is_a_clear_error_within_seconds(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # credentials given so the AWS SDK asks no metadata service; the endpoint is a closed port on this machine
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    settings = Settings.load(s3_endpoint=f"http://127.0.0.1:{_closed_port()}")
    started = time.monotonic()
    with pytest.raises(DatasetError) as error:
        export_store(small_store, "s3a://nearshore-test/export", partition_by=["year"], settings=settings)
    assert time.monotonic() - started < 60
    message = str(error.value)
    assert message.startswith("creating the dataset folder s3a://nearshore-test/export failed: ")
    assert "NEARSHORE_S3_ENDPOINT" in message
    assert error.value.file == "s3a://nearshore-test/export"


def test_unsupported_scheme_is_refused(small_store: Store) -> None:
    with pytest.raises(DatasetError, match=r"unsupported scheme ftp://; use a local folder or one of s3://"):
        export_store(small_store, "ftp://host/x")


def test_cli_export(isolated_env: Path, tmp_path: Path) -> None:
    make_store(isolated_env / "store.duckdb").close()
    out = tmp_path / "cli-export"
    result = CliRunner().invoke(
        app, ["data", "export", "--to", str(out), "--partition-by", "year,partner", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    document = result_of(result.stdout)
    rows = {r["table"]: r for r in document["rows"]}
    assert rows["trade_flows"]["rows"] == 12
    assert rows["trade_flows"]["partitioned by"] == "year,partner"
    assert document["payload"]["export_id"] == open_dataset(out).manifest.export_id
    assert result.stderr.startswith(f"wrote {sum(r['files'] for r in rows.values())} files to {out}")
    bad = CliRunner().invoke(app, ["data", "export", "--to", str(out), "--partition-by", "region"])
    assert bad.exit_code == 2
    assert "region is not a column of the exported tables" in bad.output
