"""The dataweb source against the official USMCA utilisation CSVs and the DataWeb Query Export workbook."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from nearshore.data.sources import dataweb
from nearshore.data.store import Store
from nearshore.errors import InputError, ValidationFailed
from tests.data.sources.conftest import count, shared, write

HEADER = "hts10,cty_code,usmca_share,total_value,usmca_value\n"
GOOD = "0101210010,1220,0.5,1000,500\n0101210010,2010,0,0,0\n"
WORKBOOK = "DataWeb-Query-Export_2024_imports_for_consumption.xlsx"


@pytest.fixture(scope="module")
def utilisation() -> Iterator[tuple[Path, Store]]:
    """All 16 USMCA utilisation CSVs (14 monthly, 2 annual) loaded once into one store."""
    folder = shared("usitc_dataweb_usmca_utilization")
    with Store(":memory:") as store:
        for path in sorted(folder.glob("usmca_product_shares_*.csv")):
            dataweb.load(store, path)
        yield folder, store


def csv_totals(path: Path) -> dict[str, tuple[float, float]]:
    """Independent path: country code -> (sum total_value, sum usmca_value), plain csv module."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            sums[row["cty_code"]][0] += float(row["total_value"])
            sums[row["cty_code"]][1] += float(row["usmca_value"])
    return {code: (a, b) for code, (a, b) in sums.items()}


@pytest.mark.slow
@pytest.mark.shared
def test_every_monthly_file_matches_its_own_totals(utilisation: tuple[Path, Store]) -> None:
    folder, store = utilisation
    monthly = sorted(folder.glob("usmca_product_shares_????_??.csv"))
    assert len(monthly) == 14
    for path in monthly:
        year, month = int(path.stem[-7:-3]), int(path.stem[-2:])
        for code, (total, claimed) in csv_totals(path).items():
            got = dict(
                store.query(
                    "SELECT program, sum(value_usd) FROM trade_flows WHERE source = 'dataweb' AND year = ? "
                    "AND month = ? AND partner_code = ? GROUP BY program",
                    [year, month, code],
                ).rows
            )
            assert got["ALL"] == pytest.approx(total, abs=0.5), (path.name, code)
            assert got["USMCA"] == pytest.approx(claimed, abs=0.5), (path.name, code)


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.parametrize(
    ("partner", "month", "total_bn", "usmca_bn"),
    [("MEX", 1, 42.0, 19.1), ("MEX", 7, 44.8, 38.9), ("CAN", 1, 38.1, 13.2), ("CAN", 7, 31.9, 27.4)],
)
def test_source_md_figures(
    utilisation: tuple[Path, Store], partner: str, month: int, total_bn: float, usmca_bn: float
) -> None:
    """SOURCE.md states these 2025 totals to 0.1 USD bn."""
    _, store = utilisation
    got = dict(
        store.query(
            "SELECT program, sum(value_usd) / 1e9 FROM trade_flows WHERE year = 2025 AND month = ? "
            "AND partner = ? AND classification = 'HS' GROUP BY program",
            [month, partner],
        ).rows
    )
    assert got["ALL"] == pytest.approx(total_bn, abs=0.05)
    assert got["USMCA"] == pytest.approx(usmca_bn, abs=0.05)


@pytest.mark.slow
@pytest.mark.shared
def test_zero_rows_are_dropped_and_rows_are_typed(utilisation: tuple[Path, Store]) -> None:
    folder, store = utilisation
    with (folder / "usmca_product_shares_2025_01.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    nonzero = sum(1 for r in rows if float(r["total_value"]) or float(r["usmca_value"]))
    stored = store.query("SELECT count(*) FROM trade_flows WHERE year = 2025 AND month = 1").scalar()
    assert stored == 2 * nonzero
    row = store.query(
        "SELECT reporter, flow, basis, classification, level, partner, partner_kind FROM trade_flows "
        "WHERE commodity = '0101210010' AND year = 2025 AND month = 1 AND program = 'ALL'"
    ).records()
    assert row == [
        {
            "reporter": "USA",
            "flow": "imports",
            "basis": "consumption",
            "classification": "HS",
            "level": 10,
            "partner": "CAN",
            "partner_kind": "country",
        }
    ]


@pytest.mark.slow
@pytest.mark.shared
def test_annual_shares_go_to_program_shares(utilisation: tuple[Path, Store]) -> None:
    folder, store = utilisation
    for year in (2024, 2025):
        with (folder / f"usmca_product_shares_{year}.csv").open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        got = store.query(
            "SELECT count(*), sum(share) FROM program_shares WHERE year = ? AND month IS NULL AND program = 'USMCA'",
            [year],
        ).rows[0]
        assert got[0] == len(rows)
        assert got[1] == pytest.approx(sum(float(r["usmca_share"]) for r in rows), rel=1e-12)


@pytest.mark.shared
def test_query_export_workbook_matches_its_total_rows(empty_store: Store) -> None:
    path = shared("usitc_dataweb_2024_grid_equipment_hts10") / WORKBOOK
    report = dataweb.load(empty_store, path)
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    stated = {}
    for sheet in ("Customs Value", "Calculated Duties"):
        last = list(book[sheet].iter_rows(values_only=True))[-1]
        assert str(last[0]).startswith("Total")
        stated[sheet] = float(str(last[6]).replace(",", ""))
    got = empty_store.query("SELECT sum(value_usd), sum(duty_usd), count(DISTINCT partner) FROM trade_flows").rows[0]
    assert got[0] == stated["Customs Value"]  # 72,806,911,050
    assert got[1] == stated["Calculated Duties"]  # 2,748,846,614
    assert got[2] == 186
    mexico = empty_store.query("SELECT sum(value_usd) / 1e9 FROM trade_flows WHERE partner = 'MEX'").scalar()
    assert mexico == pytest.approx(18.1, abs=0.05)  # SOURCE.md
    assert report.vintage == "2025-04-22"
    assert any("21 rows with a zero value" in w for w in report.warnings)
    row = empty_store.query(
        "SELECT year, month, level, basis, quantity, unit FROM trade_flows "
        "WHERE partner = 'MEX' AND commodity = '8537109170'"
    ).records()
    assert row == [
        {
            "year": 2024,
            "month": None,
            "level": 10,
            "basis": "consumption",
            "quantity": 155642130.0,
            "unit": "number",
        }
    ]


@pytest.mark.shared
def test_reload_same_vintage_replaces(empty_store: Store) -> None:
    path = shared("usitc_dataweb_usmca_utilization") / "usmca_product_shares_2026_02.csv"
    first = dataweb.load(empty_store, path, vintage="2026-04")
    second = dataweb.load(empty_store, path, vintage="2026-04")
    assert second.replaced == first.rows
    assert count(empty_store) == first.rows


def test_reload_annual_shares_replaces(tmp_path: Path, empty_store: Store) -> None:
    path = write(tmp_path / "shares_2024.csv", "hts10,cty_code,usmca_share\n0101210010,1220,0.25\n")
    dataweb.load(empty_store, path, vintage="2025-03")
    report = dataweb.load(empty_store, path, vintage="2025-03")
    assert report.replaced == 1
    assert empty_store.query("SELECT share, partner FROM program_shares").rows == [(0.25, "CAN")]


def test_default_vintage_is_the_data_month_with_a_warning(tmp_path: Path) -> None:
    batch = dataweb.parse(write(tmp_path / "x_2025_03.csv", HEADER + GOOD))
    assert batch.vintage == "2025-03"
    assert batch.warnings[-1].endswith("no --vintage given; using 2025-03 (the data month, from the file name)")
    assert batch.rows == 2


def test_file_name_must_carry_the_period(tmp_path: Path, empty_store: Store) -> None:
    path = write(tmp_path / "export.csv", HEADER + GOOD)
    with pytest.raises(InputError) as err:
        dataweb.load(empty_store, path)
    assert str(err.value) == (
        f"{path}: the file name does not say which month the data are for; this layout holds monthly values, "
        "so name the file ending in _YYYY_MM (e.g. usmca_product_shares_2025_01.csv)"
    )
    assert count(empty_store) == 0


BAD = [
    (
        "truncated",
        HEADER + GOOD + "0101210020,1220,0.5\n",
        "row 4: row has 3 cells, the header has 5: truncated or mis-aligned (value '3'). "
        "download or export the file again",
    ),
    (
        "unknown country",
        HEADER + "0101210010,9999,0,10,0\n",
        "row 2, column 'cty_code': unknown Census country code '9999' (value '9999'). "
        "use a Census Schedule C code, e.g. 1220 Canada, 2010 Mexico",
    ),
    (
        "non-numeric",
        HEADER + "0101210010,1220,0,abc,0\n",
        "row 2, column 'total_value': not a number (value 'abc'). fix the cell or re-export the file",
    ),
    (
        "negative",
        HEADER + "0101210010,1220,0,-5,0\n",
        "row 2, column 'total_value': negative value where trade values cannot be negative (value '-5'). "
        "fix the cell; a negative here means a corrupted or mis-aligned file",
    ),
    (
        "usmca above total",
        HEADER + "0101210010,1220,1,100,102\n",
        "row 2, column 'usmca_value': USMCA-claimed value exceeds the total value 100 (value '102'). "
        "the columns are swapped or the file is corrupted; export it again",
    ),
    (
        "share disagrees",
        HEADER + "0101210010,1220,0.9,100,50\n",
        "row 2, column 'usmca_share': does not equal usmca_value / total_value = 0.500000 (value '0.9'). "
        "the row is inconsistent; export the file again",
    ),
    (
        "leading zero lost",
        HEADER + "101210010,1220,0,10,0\n",
        "row 2, column 'hts10': not a 10-digit HTS code (value '101210010'). "
        "keep the leading zeros: export the column as text, not as a number",
    ),
]


@pytest.mark.parametrize(("case", "text", "problem"), BAD, ids=[b[0] for b in BAD])
def test_bad_rows_are_reported_and_nothing_is_loaded(
    tmp_path: Path, empty_store: Store, case: str, text: str, problem: str
) -> None:
    path = write(tmp_path / "usmca_product_shares_2025_01.csv", text)
    with pytest.raises(ValidationFailed) as err:
        dataweb.load(empty_store, path)
    assert str(err.value) == f"1 problem(s) found; nothing was loaded:\n  - {path}, {problem}"
    assert count(empty_store) == 0
    assert len(empty_store.loads()) == 0


def test_wrong_layout(tmp_path: Path) -> None:
    path = write(tmp_path / "x_2025_01.csv", "year,value\n2025,1\n")
    with pytest.raises(InputError) as err:
        dataweb.parse(path)
    assert str(err.value) == (
        f"{path}, row 1: wrong layout: columns ['hts10', 'cty_code', 'usmca_share', 'total_value', "
        "'usmca_value'] are missing for a DataWeb USMCA utilisation file (value 'year, value'). "
        "check that this is the right file for this source (see `nearshore data load --help`)"
    )


def _workbook(path: Path, rows: list[tuple[object, ...]], total: str) -> Path:
    book = openpyxl.Workbook()
    params = book.active
    params.title = "Query Parameters"
    params.append(("Trade Flow", "Imports For Consumption"))
    values = book.create_sheet("Customs Value")
    values.append(
        ("Data Type", "Country", "Year", "HTS Number", "Description", "Quantity Description", "Customs Value")
    )
    for row in rows:
        values.append(("Customs Value", *row))
    values.append(("Total: ", "", "", "", "", "", total))
    book.save(path)
    return path


def test_workbook_unknown_country_and_bad_total(tmp_path: Path, empty_store: Store) -> None:
    path = _workbook(
        tmp_path / "export.xlsx",
        [
            ("Mexico", 2024, "8504400000", "STATIC CONVERTERS", "Value for: number", 100),
            ("Atlantis", 2024, "8504400000", "STATIC CONVERTERS", "Value for: number", 5),
        ],
        "999",
    )
    with pytest.raises(ValidationFailed) as err:
        dataweb.load(empty_store, path)
    assert str(err.value).splitlines()[1:] == [
        f"  - {path}, row 3, column 'Customs Value!Country': unknown country name 'Atlantis' "
        "(value 'Atlantis'). add the name to dataweb_export.NAME_ALIASES",
        f"  - {path}, row 4, column 'Customs Value': the file's total does not equal the sum of its rows "
        "(100) (value '999'). the file is truncated or edited; export it again",
    ]
    assert count(empty_store) == 0


def test_workbook_country_names_and_vintage(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "export.xlsx",
        [
            ("Côte d`Ivoire", 2024, "8504400000", "X", "Value for: number", 7),
            ("Czechia (Czech Republic)", 2024, "8504400000", "X", "Value for: number", 3),
            ("Macau", 2024, "8504400000", "X", "Value for: number", 0),
        ],
        "10",
    )
    batch = dataweb.parse(path)
    assert batch.data.column("partner").to_pylist() == ["CIV", "CZE"]
    assert batch.data.column("program").to_pylist() == ["ALL", "ALL"]
    assert batch.vintage == "2024-12"  # no Download Date: the newest data month


def test_all_zero_file_is_refused(tmp_path: Path, empty_store: Store) -> None:
    path = write(tmp_path / "usmca_product_shares_2025_01.csv", HEADER + "0101210010,2010,0,0,0\n")
    with pytest.raises(ValidationFailed) as err:
        dataweb.load(empty_store, path)
    assert str(err.value).endswith(f"  - {path}: no data rows with a non-zero value. export the file again")


def test_workbook_wrong_layout_and_truncated(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    with pytest.raises(InputError) as err:
        dataweb.parse(plain)
    assert str(err.value) == (
        f"{plain}: wrong layout: no 'Query Parameters' sheet, so the trade flow is unknown (value 'Sheet1'). "
        "export from DataWeb again with the query parameters sheet (the default)"
    )
    rows: list[tuple[object, ...]] = [("Mexico", 2024, "8504400000", "X", "Value for: number", 1)]
    good = _workbook(tmp_path / "good.xlsx", rows, "1")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(InputError) as err:
        dataweb.parse(cut)
    assert str(err.value).startswith(f"{cut}: not a readable XLSX file: ")
    assert str(err.value).endswith(". download the export again")
