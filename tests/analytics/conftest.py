"""Stores for the analytics tests, filled from the official raw files.

`census-country` rows come from the project's own loader. The `dataweb` and `census-duties` loaders are being
written on other branches; until they are merged, `load_stand_in_rows` builds their trade_flows rows straight
from the raw CSVs with `Batch.from_columns`, following the mapping those loaders use (the lead switches this
helper to the real loaders at merge).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from nearshore.data.batch import Batch, ColumnBuffer
from nearshore.data.sources import census_country
from nearshore.data.store import Store
from tests.conftest import SHARED_RAW

OLD_FILE = "census_country_xlsx_1985_2022jan.csv"
NEW_FILE = "census_country_all_partners_2022_2025.csv"
DATAWEB_DIR = "usitc_dataweb_usmca_utilization"
DUTIES_FILE = "census_duties_by_country/census_calculated_duties_can_mex_chn_2018_2025_monthly.csv"
DATAWEB_VINTAGE = "2026-05"
DUTIES_VINTAGE = "2026-05"
_PARTNERS = {"1220": ("CAN", "Canada"), "2010": ("MEX", "Mexico"), "5700": ("CHN", "China")}


def _need_raw() -> Path:
    if not SHARED_RAW.is_dir():
        pytest.skip(f"official raw files not found at {SHARED_RAW} "
                    "(set NEARSHORE_SHARED_DIR to the shared/ folder)")
    return SHARED_RAW


def dataweb_months(raw: Path) -> list[tuple[int, int, Path]]:
    out = []
    for path in sorted((raw / DATAWEB_DIR).glob("usmca_product_shares_20??_??.csv")):
        year, month = path.stem.split("_")[-2:]
        out.append((int(year), int(month), path))
    return out


def dataweb_batch(raw: Path) -> Batch:
    """DataWeb HTS10 imports for consumption: program ALL = total_value, USMCA = usmca_value; no zeros."""
    buf = ColumnBuffer("trade_flows")
    for year, month, path in dataweb_months(raw):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                iso, name = _PARTNERS[row["cty_code"]]
                common = {"reporter": "USA", "partner": iso, "partner_code": row["cty_code"],
                          "partner_name": name,
                          "partner_kind": "country", "flow": "imports", "basis": "consumption", "year": year,
                          "month": month, "classification": "HS", "commodity": row["hts10"], "level": 10}
                for program, column in (("ALL", "total_value"), ("USMCA", "usmca_value")):
                    value = float(row[column])
                    if value:
                        buf.add(**common, program=program, value_usd=value)
    return Batch.from_columns(source="dataweb", target="trade_flows", origin=str(raw / DATAWEB_DIR),
                              checksum="test", vintage=DATAWEB_VINTAGE, columns=buf.columns)


def duties_batch(raw: Path) -> Batch:
    buf = ColumnBuffer("trade_flows")
    with (raw / DUTIES_FILE).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            iso, name = _PARTNERS[row["census_cty_code"]]
            buf.add(reporter="USA", partner=iso, partner_code=row["census_cty_code"], partner_name=name,
                    partner_kind="country", flow="imports", basis="consumption", year=int(row["year"]),
                    month=int(row["month"]), classification="TOTAL", commodity="", level=0, program="ALL",
                    value_usd=float(row["imports_for_consumption_customs_value_usd"]),
                    duty_usd=float(row["calculated_duties_usd"]))
    return Batch.from_columns(source="census-duties", target="trade_flows", origin=str(raw / DUTIES_FILE),
                              checksum="test", vintage=DUTIES_VINTAGE, columns=buf.columns)


def load_stand_in_rows(store: Store, raw: Path, *, dataweb: bool = True, duties: bool = True) -> None:
    """The one place dataweb and census-duties rows enter test stores (switch to the real loaders here)."""
    if dataweb:
        store.load(dataweb_batch(raw))
    if duties:
        store.load(duties_batch(raw))


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
