"""HS-level shares refuse a partial extract: a DataWeb query for some products, loaded on its own, must not
pass for all of a partner's imports (it once gave 'electronics: 72% of U.S. imports from Mexico, 2024')."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from nearshore.analytics import composition, concentration
from nearshore.data.sources import census_country
from nearshore.data.sources import dataweb as dataweb_source
from nearshore.data.store import Store
from nearshore.errors import DataNotFound

from .conftest import NEW_FILE

GRID = "usitc_dataweb_2024_grid_equipment_hts10/DataWeb-Query-Export_2024_imports_for_consumption.xlsx"


@pytest.fixture(scope="module")
def partial_store(shared_raw: Path) -> Iterator[Store]:
    """Census partner totals for 2022-2025 and, for 2024, only the ~40-product grid-equipment DataWeb query."""
    with Store(":memory:") as s:
        census_country.load(s, shared_raw / "census_country_trade" / NEW_FILE, vintage="2026-07")
        dataweb_source.load(s, shared_raw / GRID, vintage="2025-04")
        yield s


def _census_imports(raw: Path, partner: str, year: int) -> float:
    with (raw / "census_country_trade" / NEW_FILE).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["country_code"] == partner and row["year"] == str(year):
                return float(row["IYR"]) * 1e6
    raise AssertionError(f"{partner} {year} not in {NEW_FILE}")


@pytest.mark.parametrize("figure", [composition, concentration])
def test_partial_hs_extract_is_refused(partial_store: Store, shared_raw: Path, figure) -> None:
    hs = partial_store.query(
        "SELECT sum(value_usd) FROM trade_flows WHERE classification = 'HS' "
        "AND partner = 'MEX' AND year = 2024 AND program = 'ALL'"
    ).rows[0][0]
    census = _census_imports(shared_raw, "MEX", 2024)
    assert hs / census < 0.1  # the extract holds a few products only
    with pytest.raises(DataNotFound) as caught:
        figure(partial_store, "MEX", year=2024)
    assert str(caught.value) == (
        f"HS-level imports from MEX in 2024 add up to ${hs / 1e9:,.1f} billion, only "
        f"{100 * hs / census:.1f}% of the ${census / 1e9:,.1f} billion of U.S. imports from MEX in the Census "
        "country data: the HS rows are a partial extract (a query for some products), so shares of them "
        "would be wrong. Load an export of every HTS10 code for MEX in 2024 (`nearshore data load dataweb FILE`)"
    )


def test_complete_hs_data_pass(full_store: Store) -> None:
    table = composition(full_store, "MEX", year=2025, by="chapter")
    assert sum(f.value for r in table.rows if (f := r.figures[1]) is not None) == pytest.approx(100.0)


def test_sector_share_labels_read_for_plural_names(full_store: Store) -> None:
    # once "Medical devices's share of U.S. imports from Mexico"
    table = composition(full_store, "MEX", year=2025)
    for row in table.rows:
        share = row.figures[1]
        assert share is not None
        assert share.label == f"share of U.S. imports from Mexico, {row.keys[1]}"
