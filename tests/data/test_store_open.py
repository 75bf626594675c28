"""Opening the store as a server will: read-only by many processes at once, a bounded wait while a load holds
the file, explicit seeding on a fresh machine, and DuckDB running out of memory as a StoreError.

Every test uses real DuckDB files and real processes (subprocess), no mocks.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.data.batch import Batch
from nearshore.data.query import catalog
from nearshore.data.snapshot import open_store, read_manifest, seed
from nearshore.data.store import Store
from nearshore.errors import ConfigError, StoreError
from nearshore.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

# A process that opens the store, says so, waits for a line on stdin, then reads and closes.
_READER = textwrap.dedent(
    """
    import sys
    from nearshore.data.query import catalog
    from nearshore.data.store import Store

    store = Store(sys.argv[1], read_only=True, lock_timeout=float(sys.argv[2]))
    print("open", flush=True)
    sys.stdin.readline()
    print("loads", catalog.row_count(store, "loads"), flush=True)
    store.close()
    """
)
# A process that holds the store read-write (as a running load does) until told to stop.
_WRITER = textwrap.dedent(
    """
    import sys
    from nearshore.data.store import Store

    store = Store(sys.argv[1])
    store.con.execute("BEGIN TRANSACTION")
    print("holding", flush=True)
    sys.stdin.readline()
    store.con.execute("ROLLBACK")
    store.close()
    """
)


def _batch(value: float, vintage: str) -> Batch:
    columns: dict[str, list[object]] = {
        "reporter": ["USA"],
        "partner": ["MEX"],
        "partner_code": ["2010"],
        "partner_name": ["Mexico"],
        "partner_kind": ["country"],
        "flow": ["imports"],
        "basis": ["general"],
        "year": [2025],
        "month": [1],
        "classification": ["TOTAL"],
        "commodity": [""],
        "level": [0],
        "value_usd": [value],
        "duty_usd": [None],
        "quantity": [None],
        "unit": [None],
        "program": ["ALL"],
    }
    return Batch.from_columns(
        source="test", target="trade_flows", origin="hand", checksum="-", vintage=vintage, columns=columns
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        store.load(_batch(1.0, "2025-01"))
    return path


def _spawn(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
        text=True,
    )


def _finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate("go\n", timeout=60)
    assert proc.returncode == 0, err
    return out


def test_read_only_store_reads_and_refuses_writes(db: Path) -> None:
    with Store(db, read_only=True) as store:
        assert store.read_only
        assert catalog.row_count(store, "trade_flows") == 1
        with pytest.raises(StoreError, match=r"is open read-only: loads need a read-write store"):
            store.load(_batch(2.0, "2025-02"))
        assert catalog.row_count(store, "trade_flows") == 1


def test_read_only_open_of_a_missing_store_says_how_to_make_one(tmp_path: Path) -> None:
    path = tmp_path / "none.duckdb"
    with pytest.raises(StoreError) as caught:
        Store(path, read_only=True)
    assert str(caught.value) == (
        f"the store {path} does not exist, so it cannot be opened read-only; create it with `nearshore data seed` "
        "(the embedded snapshot) or `nearshore data load SOURCE FILE`"
    )
    assert not path.exists()


def test_two_processes_read_the_same_store_at_once(db: Path) -> None:
    readers = [_spawn(_READER, str(db), "5") for _ in range(2)]
    for proc in readers:  # both have the file open before either reads or closes
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "open"
    assert [_finish(proc).split() for proc in readers] == [["loads", "1"], ["loads", "1"]]


def test_a_reader_waits_for_a_running_load_then_fails_clearly(db: Path) -> None:
    writer = _spawn(_WRITER, str(db))
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "holding"
        started = time.monotonic()
        with pytest.raises(StoreError) as caught:
            Store(db, read_only=True, lock_timeout=0.6)
        waited = time.monotonic() - started
        assert 0.6 <= waited < 5
        message = str(caught.value)
        assert message.startswith(f"the store {db} is locked: another process (PID {writer.pid}) is writing to it: ")
        assert message.endswith(
            "a load is running. Waited 0.6 s; try again when it has finished, or wait longer with "
            "NEARSHORE_LOCK_TIMEOUT (seconds)"
        )
    finally:
        _finish(writer)


def test_a_reader_opens_as_soon_as_the_load_ends(db: Path) -> None:
    writer = _spawn(_WRITER, str(db))
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "holding"
    release = threading.Timer(1.0, lambda: _finish(writer))
    release.start()
    started = time.monotonic()
    settings = Settings.load({"NEARSHORE_DB": str(db), "NEARSHORE_LOCK_TIMEOUT": "30"})
    with Store.open(settings, read_only=True) as store:
        waited = time.monotonic() - started
        assert catalog.row_count(store, "trade_flows") == 1
    release.join()
    assert 0.8 <= waited < 30


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "soon"])
def test_a_lock_timeout_that_is_no_number_of_seconds_is_a_config_error(db: Path, value: str) -> None:
    # settings are checked when they load, before any store is opened
    with pytest.raises(ConfigError, match=r"NEARSHORE_LOCK_TIMEOUT"):
        Store.open(Settings.load({"NEARSHORE_DB": str(db), "NEARSHORE_LOCK_TIMEOUT": value}), read_only=True)


def test_data_info_while_a_load_runs_exits_4_after_the_configured_wait(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEARSHORE_DB", str(db))
    monkeypatch.setenv("NEARSHORE_LOCK_TIMEOUT", "0.5")
    writer = _spawn(_WRITER, str(db))
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "holding"
        result = CliRunner().invoke(app, ["data", "info"])
    finally:
        _finish(writer)
    assert result.exit_code == 4, result.output
    assert "a load is running" in " ".join(result.output.split())
    assert CliRunner().invoke(app, ["data", "info"]).exit_code == 0


def test_fresh_store_is_seeded_once_then_opened_read_only(tmp_path: Path) -> None:
    manifest = read_manifest()
    assert manifest is not None, "the package ships a snapshot"
    path = tmp_path / "sub" / "fresh.duckdb"
    settings = Settings.load({"NEARSHORE_DB": str(path)})
    with open_store(settings, read_only=True) as store:
        assert store.read_only
        assert catalog.row_count(store, "loads") == len(manifest["loads"])
    assert sorted(p.name for p in path.parent.iterdir()) == ["fresh.duckdb"]  # no staging file left behind
    report = seed(settings)
    assert (report.seeded, report.loads) == (False, len(manifest["loads"]))


def test_opening_an_existing_store_never_seeds_it(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    Store(path).close()
    settings = Settings.load({"NEARSHORE_DB": str(path)})
    with open_store(settings) as store:
        assert catalog.row_count(store, "loads") == 0
    report = seed(settings)  # the explicit step
    assert report.seeded
    assert report.loads > 0


def test_two_processes_on_a_fresh_machine_both_get_the_seeded_store(tmp_path: Path) -> None:
    path = tmp_path / "fresh.duckdb"
    code = textwrap.dedent(
        """
        import sys
        from nearshore.data.query import catalog
        from nearshore.data.snapshot import open_store
        from nearshore.settings import Settings

        with open_store(Settings.load({"NEARSHORE_DB": sys.argv[1]}), read_only=True) as store:
            print(catalog.row_count(store, "trade_flows"))
        """
    )
    procs = [_spawn(code, str(path)) for _ in range(2)]
    outputs = [_finish(proc) for proc in procs]
    counts = [int(out) for out in outputs]  # stdout holds the count alone (no progress bar from DuckDB)
    manifest = read_manifest()
    assert manifest is not None
    expected = sum(t["rows"] for t in manifest["tables"] if t["table"] == "trade_flows")
    assert counts == [expected, expected]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.duckdb"]


def test_data_seed_command(isolated_env: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["data", "seed", "--format", "json"])
    assert first.exit_code == 0, first.output
    assert "seeded from the embedded snapshot" in first.output
    again = runner.invoke(app, ["data", "seed"])
    assert again.exit_code == 0
    assert "already holds data: left as it is" in again.output
    assert "Example: nearshore data seed" in runner.invoke(app, ["data", "seed", "--help"]).output


def test_out_of_memory_is_a_store_error_with_the_setting_to_raise() -> None:
    with Store(":memory:", memory_limit="4MB") as store:
        with pytest.raises(StoreError) as caught:
            store.query("SELECT list(range) FROM range(50000000)")
        assert str(caught.value).startswith("the query ran out of memory (Out of Memory Error")
        assert "NEARSHORE_MEMORY_LIMIT" in str(caught.value)
        with (
            pytest.raises(
                StoreError, match=r"^writing to the store :memory: ran out of memory .*NEARSHORE_MEMORY_LIMIT"
            ),
            store.transaction() as con,
        ):
            con.execute("CREATE TABLE big AS SELECT list(range) AS l FROM range(50000000)")


def test_a_limit_too_small_to_create_the_store_says_so(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"creating the tables of the store .* ran out of memory.*MEMORY_LIMIT"):
        Store(tmp_path / "tiny.duckdb", memory_limit="1MB")
