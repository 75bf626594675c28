from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from nearshore.data.store import Store

# The dataset and Spark fixtures (small_store, spark) serve tests in data/, tariffs/ and cli/.
pytest_plugins = ["tests.data.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
SHARED_RAW = Path(os.environ.get("NEARSHORE_SHARED_DIR", ROOT.parent / "shared")) / "data" / "raw"


@pytest.fixture(autouse=True, scope="session")
def _private_user_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test touches the real user's store: the default store lives in a session temp dir."""
    home = tmp_path_factory.mktemp("nearshore-home")
    saved = {k: os.environ.get(k) for k in ("NEARSHORE_DATA_DIR", "NEARSHORE_DB")}
    os.environ["NEARSHORE_DATA_DIR"] = str(home)
    os.environ["NEARSHORE_DB"] = str(home / "nearshore.duckdb")
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def raw_dir() -> Path:
    """The official raw files beside the project (../shared/data/raw); tests needing them skip without."""
    if not SHARED_RAW.is_dir():
        pytest.skip(f"official raw files not found at {SHARED_RAW} (set NEARSHORE_SHARED_DIR to the shared/ folder)")
    return SHARED_RAW


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(":memory:") as s:
        yield s


@pytest.fixture
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private store file and data dir for CLI tests."""
    monkeypatch.setenv("NEARSHORE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NEARSHORE_DB", str(tmp_path / "store.duckdb"))
    return tmp_path
