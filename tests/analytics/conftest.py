"""Stores for the analytics tests, filled from the official raw files.

Every row comes from the project's own loaders (census-country, dataweb, census-duties), as a user's
`nearshore data load` would put it there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nearshore.data.sources import census_country, census_duties
from nearshore.data.sources import dataweb as dataweb_source
from nearshore.data.store import Store
from tests.conftest import SHARED_RAW

OLD_FILE = "census_country_xlsx_1985_2022jan.csv"
NEW_FILE = "census_country_all_partners_2022_2025.csv"
DATAWEB_DIR = "usitc_dataweb_usmca_utilization"
DUTIES_FILE = "census_duties_by_country/census_calculated_duties_can_mex_chn_2018_2025_monthly.csv"
DATAWEB_VINTAGE = "2026-05"
DUTIES_VINTAGE = "2026-07"


def _need_raw() -> Path:
    if not SHARED_RAW.is_dir():
        pytest.skip(f"official raw files not found at {SHARED_RAW} (set NEARSHORE_SHARED_DIR to the shared/ folder)")
    return SHARED_RAW


def load_stand_in_rows(store: Store, raw: Path, *, dataweb: bool = True, duties: bool = True) -> None:
    """Load the DataWeb monthly HTS10 files and the Census duties file with the project's own loaders."""
    if dataweb:
        for path in sorted((raw / DATAWEB_DIR).glob("usmca_product_shares_20??_??.csv")):
            dataweb_source.load(store, path, vintage=DATAWEB_VINTAGE)
    if duties:
        census_duties.load(store, raw / DUTIES_FILE, vintage=DUTIES_VINTAGE)


@pytest.fixture(scope="session")
def full_store() -> Iterator[Store]:
    """Both Census country files, DataWeb HTS10 and Census duties, loaded once per session. Do not write."""
    raw = _need_raw()
    with Store(":memory:") as s:
        census_country.load(s, raw / "census_country_trade" / OLD_FILE, vintage="2022-03")
        census_country.load(s, raw / "census_country_trade" / NEW_FILE, vintage="2026-07")
        load_stand_in_rows(s, raw)
        yield s


@pytest.fixture(scope="session")
def shared_raw() -> Path:
    return _need_raw()
