"""The worker's shared read-only store (nearshore.api.reader): one open per file version, shared by threads
through cursors, reopened when the file changes, let go after `linger` idle seconds and while the worker's
writer path runs. A real DuckDB file throughout; the writer is a real read-write connection."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from nearshore.api.reader import SharedReader
from nearshore.data.store import Store
from nearshore.settings import Settings


def make_store(path: Path, value: int) -> None:
    with Store(path) as store:
        store.con.execute("CREATE OR REPLACE TABLE probe AS SELECT ? AS v", [value])


def probe(reader: SharedReader) -> int:
    with reader.cursor() as store:
        row = store.con.execute("SELECT v FROM probe").fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "nearshore.duckdb"
    make_store(path, 1)
    return path


def settings_for(path: Path) -> Settings:
    return Settings.load(
        {"NEARSHORE_DB": str(path), "NEARSHORE_DATA_DIR": str(path.parent), "NEARSHORE_LOCK_TIMEOUT": "0"}
    )


def test_calls_share_one_open_and_cursors_are_read_only(store_path: Path) -> None:
    reader = SharedReader(settings_for(store_path), linger=60)
    assert [probe(reader) for _ in range(5)] == [1] * 5
    assert reader.opens == 1
    with reader.cursor() as store, pytest.raises(Exception, match="read-only"):
        store.con.execute("INSERT INTO probe VALUES (2)")
    reader.close()


def test_threads_read_through_their_own_cursors(store_path: Path) -> None:
    reader = SharedReader(settings_for(store_path), linger=60)
    seen: list[int] = []

    def work() -> None:
        seen.extend(probe(reader) for _ in range(20))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [1] * 160
    assert reader.opens == 1
    reader.close()


def test_a_new_file_version_is_opened_and_read(store_path: Path) -> None:
    """A store file moved into place (a new version: another inode and mtime) is what the next call reads."""
    reader = SharedReader(settings_for(store_path), linger=60)
    assert probe(reader) == 1
    staged = store_path.with_name("staged.duckdb")
    make_store(staged, 2)
    os.replace(staged, store_path)
    assert probe(reader) == 2
    assert reader.opens == 2
    assert probe(reader) == 2
    assert reader.opens == 2
    reader.close()


def test_a_new_version_waits_for_the_calls_reading_the_old_one(store_path: Path) -> None:
    reader = SharedReader(settings_for(store_path), linger=60)
    started, finish, old_read = threading.Event(), threading.Event(), []

    def slow_call() -> None:
        with reader.cursor() as old:
            started.set()
            finish.wait(10)
            old_read.append(old.con.execute("SELECT v FROM probe").fetchone())

    thread = threading.Thread(target=slow_call)
    thread.start()
    started.wait(10)
    staged = store_path.with_name("staged.duckdb")
    make_store(staged, 2)
    os.replace(staged, store_path)
    threading.Timer(0.2, finish.set).start()
    assert probe(reader) == 2  # after the slow call ended
    thread.join(10)
    assert old_read == [(1,)]
    assert reader.opens == 2
    reader.close()


WRITE = (
    "import sys; from nearshore.data.store import Store; "
    "Store(sys.argv[1], lock_timeout=0).con.execute('UPDATE probe SET v = 3')"
)


def write_in_child(path: Path) -> subprocess.CompletedProcess[str]:
    """Another process taking the write lock, as a load does (no waiting: lock_timeout 0)."""
    return subprocess.run([sys.executable, "-c", WRITE, str(path)], capture_output=True, text=True, check=False)


def test_the_store_is_let_go_after_linger_so_a_load_can_write(store_path: Path) -> None:
    reader = SharedReader(settings_for(store_path), linger=0.5)
    with reader.cursor():
        refused = write_in_child(store_path)  # held open while a call reads it
    assert refused.returncode != 0
    assert "locked" in refused.stderr
    time.sleep(2)
    assert write_in_child(store_path).returncode == 0
    assert probe(reader) == 3  # the load's version, opened afresh
    assert reader.opens == 2
    reader.close()


def test_paused_lets_the_writer_path_in_and_then_reads_what_it_wrote(store_path: Path) -> None:
    reader = SharedReader(settings_for(store_path), linger=60)
    assert probe(reader) == 1
    with reader.paused(), Store(store_path, lock_timeout=0) as store:
        store.con.execute("UPDATE probe SET v = 4")
    assert probe(reader) == 4
    reader.close()


def test_paused_holds_new_reads_back_until_the_write_ends(store_path: Path) -> None:
    reader = SharedReader(settings_for(store_path), linger=60)
    read: list[int] = []
    with reader.paused():
        thread = threading.Thread(target=lambda: read.append(probe(reader)))
        thread.start()
        time.sleep(0.2)
        assert read == []  # waiting for the write
        with Store(store_path, lock_timeout=0) as store:
            store.con.execute("UPDATE probe SET v = 5")
    thread.join(10)
    assert read == [5]
    reader.close()
