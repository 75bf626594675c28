from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nearshore.data.store import Store
from tests.conftest import SHARED_RAW

DATA = Path(__file__).resolve().parent


def shared(folder: str) -> Path:
    """A folder of official files, or skip saying where they were looked for."""
    path = SHARED_RAW / folder
    if not path.is_dir():
        pytest.skip(f"official raw files not found at {path} (set NEARSHORE_SHARED_DIR to the shared/ folder)")
    return path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def count(store: Store, table: str = "trade_flows") -> int:
    return int(store.query(f"SELECT count(*) FROM {table}").scalar())


@pytest.fixture
def empty_store() -> Iterator[Store]:
    with Store(":memory:") as s:
        yield s
