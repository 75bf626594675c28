"""A store file seeded from the embedded snapshot (the official data the package ships), made once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nearshore.data.snapshot import read_manifest, seed_from_snapshot
from nearshore.data.store import Store


@pytest.fixture(scope="session")
def snapshot_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert read_manifest() is not None, "the package ships a snapshot (nearshore data snapshot build)"
    path = tmp_path_factory.mktemp("query") / "snapshot.duckdb"
    with Store(path) as store:
        assert seed_from_snapshot(store)
    return path


@pytest.fixture(scope="session")
def snapshot(snapshot_db: Path) -> Iterator[Store]:
    """The seeded store, opened read-only for the session. Do not write."""
    with Store(snapshot_db, read_only=True) as store:
        yield store
