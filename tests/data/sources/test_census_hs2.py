"""The census-hs2 source: the official 2023-2024 file against an independent read (csv and gzip modules), its own
group totals, and bad input."""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nearshore.data.sources import census_hs2
from nearshore.data.store import Store
from nearshore.errors import InputError, ValidationFailed
from tests.data.sources.conftest import count, shared
from tests.data.sources.fuzzing import census_hs2_rows

FILE = "us_imports_hs2_country_monthly_2023_2024.csv.gz"
COUNTRY = re.compile(r"[1-7][0-9]{3}")


@pytest.fixture(scope="module")
def official() -> Iterator[tuple[Path, Store]]:
    path = shared("census_imports_hs2_country_monthly") / FILE
    with Store(":memory:") as store:
        census_hs2.load(store, path, vintage="2025-02")
        yield path, store


def _file_rows(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.shared
def test_every_country_value_equals_the_file(official: tuple[Path, Store]) -> None:
    path, store = official
    expected = {
        (int(r["year"]), int(r["month"]), r["hs2"], r["cty_code"]): float(r["gen_val_mo"])
        for r in _file_rows(path)
        if (COUNTRY.fullmatch(r["cty_code"]) or r["cty_code"] == "-") and r["gen_val_mo"] != "0"
    }
    got = {
        (y, m, c, p): v
        for y, m, c, p, v in store.query(
            "SELECT year, month, commodity, partner_code, value_usd FROM trade_flows "
            "WHERE partner_kind IN ('country', 'world')"
        ).rows
    }
    assert got == expected  # whole dollars: exact


@pytest.mark.shared
def test_source_md_checks_and_the_world_row(official: tuple[Path, Store]) -> None:
    path, store = official
    by_partner = dict(
        store.query(
            "SELECT partner, sum(value_usd) FROM trade_flows WHERE year = 2024 AND partner IN "
            "('CHN', 'MEX', 'CAN', 'WLD') GROUP BY partner"
        ).rows
    )
    # SOURCE.md: 2024, sum of 12 months: China $438.74B, Mexico $505.52B, Canada $411.89B; all $3,266.4B
    assert by_partner["CHN"] / 1e9 == pytest.approx(438.74, abs=0.005)
    assert by_partner["MEX"] / 1e9 == pytest.approx(505.52, abs=0.005)
    assert by_partner["CAN"] / 1e9 == pytest.approx(411.89, abs=0.005)
    assert by_partner["WLD"] / 1e9 == pytest.approx(3266.4, abs=0.05)
    countries = store.query(
        "SELECT sum(value_usd) FROM trade_flows WHERE year = 2024 AND partner_kind = 'country'"
    ).scalar()
    assert countries == by_partner["WLD"]
    independent = sum(
        float(r["gen_val_mo"]) for r in _file_rows(path) if r["year"] == "2024" and COUNTRY.fullmatch(r["cty_code"])
    )
    assert countries == independent


@pytest.mark.shared
def test_rows_as_the_census_api_client_stores_them(official: tuple[Path, Store]) -> None:
    _, store = official
    kinds = dict(store.query("SELECT partner_kind, count(DISTINCT partner) FROM trade_flows GROUP BY 1").rows)
    assert kinds == {"country": 233, "world": 1, "aggregate": 3}
    groups = {
        r[0] for r in store.query("SELECT DISTINCT partner FROM trade_flows WHERE partner_kind = 'aggregate'").rows
    }
    assert groups == {"AGG_0003", "AGG_0014", "AGG_0017"}  # 0021 in the API is not the country file's USMCA claims
    row = store.query(
        "SELECT DISTINCT reporter, flow, basis, classification, level, program, vintage, source FROM trade_flows"
    ).rows
    assert row == [("USA", "imports", "general", "HS", 2, "ALL", "2025-02", "census-hs2")]
    assert store.query("SELECT count(DISTINCT commodity), min(commodity), max(commodity) FROM trade_flows").rows == [
        (98, "01", "99")
    ]


def _file(tmp_path: Path, rows: list[list[object]], name: str = "imports_hs2.csv") -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / name
    path.write_bytes(gzip.compress(out.getvalue().encode()) if name.endswith(".gz") else out.getvalue().encode())
    return path


def test_small_file_loads_with_its_warnings(tmp_path: Path, store: Store) -> None:
    report = census_hs2.load(store, _file(tmp_path, census_hs2_rows(), "imports_hs2.csv.gz"))
    assert report.vintage == "2024-02"
    stored = store.query("SELECT partner, count(*) FROM trade_flows GROUP BY 1 ORDER BY 1").rows
    assert stored == [("CAN", 4), ("CHN", 2), ("GTM", 4), ("MEX", 4), ("WLD", 4)]  # China's zeros are left out
    assert [w.split(": ", 1)[1] for w in report.warnings] == [
        "6 rows with a zero value were not stored",  # China in chapter 99, and the EU rows
        "16 rows of API groupings that the store does not hold (continents, OECD, ...) were checked against their "
        "countries where their members are fixed, and not stored",
        "no --vintage given; using 2024-02 (the newest data month)",
    ]


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        ((1, 5, "10"), "row 6, column 'gen_val_mo': the file's TOTAL FOR ALL COUNTRIES total"),  # Canada edited
        ((6, 4, "OECD"), "row 7, column 'cty_name': the API's group 0020 is USMCA (NAFTA), not this name"),
        ((1, 3, "0021"), "row 2, column 'cty_name': the API's group 0021 is TWENTY LATIN AMERICAN REPUBLICS"),
        ((1, 3, "9999"), "row 2, column 'cty_code': unknown Census country code '9999'"),
        ((1, 5, "10.5"), "row 2, column 'gen_val_mo': not whole dollars"),
        ((1, 2, "77"), "row 2, column 'hs2': not an HS chapter 01-99"),
        ((1, 0, "2101"), "row 2, column 'year': not a year from 1989"),
    ],
)
def test_bad_rows_are_located(tmp_path: Path, store: Store, edit: tuple[int, int, str], problem: str) -> None:
    rows = census_hs2_rows()
    row, column, value = edit
    rows[row][column] = value
    with pytest.raises(ValidationFailed) as caught:
        census_hs2.load(store, _file(tmp_path, rows))
    assert problem in str(caught.value)
    assert count(store) == 0


def test_group_totals_are_checked_to_the_dollar(tmp_path: Path, store: Store) -> None:
    rows = census_hs2_rows()
    rows[1][5] = int(str(rows[1][5])) + 1  # Canada, January, chapter 87: one dollar more
    with pytest.raises(ValidationFailed) as caught:
        census_hs2.load(store, _file(tmp_path, rows))
    lines = str(caught.value).splitlines()
    assert lines[0] == "3 problem(s) found; nothing was loaded:"
    assert "row 6, column 'gen_val_mo': the file's TOTAL FOR ALL COUNTRIES total for chapter 87 2024-01" in lines[1]
    assert "USMCA (NAFTA) total" in lines[2]
    assert "NORTH AMERICA total" in lines[3]


def test_duplicate_and_missing_country_rows_are_refused(tmp_path: Path, store: Store) -> None:
    rows = census_hs2_rows()
    with pytest.raises(ValidationFailed, match=r"row 3, column 'cty_code': duplicate row for 1220 chapter 87 2024-01"):
        census_hs2.load(store, _file(tmp_path, [*rows[:2], rows[1], *rows[2:]]))
    with pytest.raises(ValidationFailed, match="is not the sum of its 3 country rows"):
        census_hs2.load(store, _file(tmp_path, [rows[0], *rows[2:]]))  # Canada's row deleted


def test_a_cut_gzip_file_is_refused(tmp_path: Path, store: Store) -> None:
    path = _file(tmp_path, census_hs2_rows(), "imports_hs2.csv.gz")
    path.write_bytes(path.read_bytes()[:-12])
    with pytest.raises(InputError, match="not a readable gzip file: Compressed file ended before the end-of-stream"):
        census_hs2.load(store, path)


def test_the_file_groups_sum_independently() -> None:
    """The seed used here and by the fuzz tests is consistent: every group row equals its members' sum."""
    sums: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for year, month, chapter, code, _name, value in census_hs2_rows()[1:]:
        sums[f"{year}-{month}", str(chapter)][str(code)] = int(str(value))
    for cells in sums.values():
        assert cells["-"] == cells["1220"] + cells["2010"] + cells["5700"] + cells["2050"]
        assert cells["1XXX"] == cells["0020"] == cells["1220"] + cells["2010"]


def test_cli_loads_the_source(tmp_path: Path, isolated_env: Path) -> None:
    from nearshore.cli.main import app

    path = _file(tmp_path, census_hs2_rows())
    result = CliRunner().invoke(app, ["data", "load", "census-hs2", str(path), "--vintage", "2025-03", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert '"source": "census-hs2"' in result.output
    assert '"rows": 18' in result.output
