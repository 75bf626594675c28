from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nearshore.data.sources import hts
from nearshore.data.store import Store
from nearshore.tariffs.schedule import Schedule, load_schedule
from tests.conftest import SHARED_RAW

HTS_2025 = SHARED_RAW / "usitc_hts_2025" / "hts_2025_basic_edition.csv"


@pytest.fixture(scope="session")
def hts_store() -> Iterator[Store]:
    """A store holding the 2025 Basic Edition (loaded once per test session)."""
    if not HTS_2025.exists():
        pytest.skip(f"official HTS file not found at {HTS_2025} (set NEARSHORE_SHARED_DIR)")
    with Store(":memory:") as store:
        hts.load(store, HTS_2025)
        yield store


@pytest.fixture(scope="session")
def schedule(hts_store: Store) -> Schedule:
    return load_schedule(hts_store)


@pytest.fixture
def hts_csv() -> Path:
    if not HTS_2025.exists():
        pytest.skip(f"official HTS file not found at {HTS_2025} (set NEARSHORE_SHARED_DIR)")
    return HTS_2025


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """For CLI tests: NEARSHORE_DATA_DIR and NEARSHORE_DB at a store holding only the 2025 Basic Edition (not
    seeded from the snapshot), so hand-built rows stand alone."""
    if not HTS_2025.exists():
        pytest.skip(f"official HTS file not found at {HTS_2025} (set NEARSHORE_SHARED_DIR)")
    tmp = tmp_path_factory.mktemp("tariff-cli")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEARSHORE_DATA_DIR", str(tmp))
        mp.setenv("NEARSHORE_DB", str(tmp / "store.duckdb"))
        with Store(tmp / "store.duckdb") as store:
            hts.load(store, HTS_2025)
        yield tmp
