"""The census-duties source: the official CSV, the Census API JSON wire format, bad input, reload."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nearshore.data.sources import census_duties
from nearshore.data.store import Store
from nearshore.errors import SourceFormatError, ValidationFailed
from tests.data.sources.conftest import DATA, count, shared, write

FILE = "census_calculated_duties_can_mex_chn_2018_2025_monthly.csv"
HEADER = (
    "year,month,country_code_iso3,census_cty_code,calculated_duties_usd,"
    "imports_for_consumption_customs_value_usd,effective_rate\n"
)


@pytest.mark.shared
def test_official_csv_matches_independent_sums(empty_store: Store) -> None:
    path = shared("census_duties_by_country") / FILE
    report = census_duties.load(empty_store, path)
    assert report.rows == 288
    assert report.vintage == "2025-12"
    sums: dict[tuple[str, str], list[float]] = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            cell = sums.setdefault((row["country_code_iso3"], row["year"]), [0.0, 0.0])
            cell[0] += float(row["calculated_duties_usd"])
            cell[1] += float(row["imports_for_consumption_customs_value_usd"])
    for (iso3, year), (duty, value) in sums.items():
        got = empty_store.query(
            "SELECT sum(duty_usd), sum(value_usd) FROM trade_flows WHERE partner = ? AND year = ?",
            [iso3, int(year)],
        ).rows[0]
        assert got == (duty, value), (iso3, year)  # whole dollars: exact
    mexico_2025 = empty_store.query(
        "SELECT sum(duty_usd) / sum(value_usd) FROM trade_flows WHERE partner = 'MEX' AND year = 2025"
    ).scalar()
    assert mexico_2025 == pytest.approx(0.0367, abs=0.00005)  # SOURCE.md: Mexico 3.67% in 2025
    row = empty_store.query(
        "SELECT flow, basis, classification, commodity, level, program, month FROM trade_flows LIMIT 1"
    ).records()[0]
    assert row == {
        "flow": "imports",
        "basis": "consumption",
        "classification": "TOTAL",
        "commodity": "",
        "level": 0,
        "program": "ALL",
        "month": row["month"],
    }
    assert row["month"] in range(1, 13)


@pytest.mark.shared
def test_reload_same_vintage_replaces(empty_store: Store) -> None:
    path = shared("census_duties_by_country") / FILE
    census_duties.load(empty_store, path, vintage="2026-02")
    again = census_duties.load(empty_store, path, vintage="2026-02")
    assert again.replaced == 288
    assert count(empty_store) == 288


def test_api_json_wire_format(empty_store: Store) -> None:
    report = census_duties.load(empty_store, DATA / "census_duties_api.json", vintage="2026-03")
    assert report.rows == 4
    got = empty_store.query(
        "SELECT partner, partner_code, partner_name, year, month, value_usd, duty_usd "
        "FROM trade_flows WHERE partner = 'MEX' ORDER BY month"
    ).rows
    assert got == [
        ("MEX", "2010", "MEXICO", 2025, 1, 42195426518.0, 114608442.0),
        ("MEX", "2010", "MEXICO", 2025, 2, 41494240577.0, 110124455.0),
    ]


def test_api_json_total_for_all_countries(tmp_path: Path) -> None:
    path = write(
        tmp_path / "all.json",
        '[["CTY_CODE","CTY_NAME","CAL_DUT_MO","CON_VAL_MO","time"],'
        '["-","TOTAL FOR ALL COUNTRIES","10","100","2025-01"]]',
    )
    batch = census_duties.parse(path, vintage="2026-03")
    assert batch.data.column("partner_kind").to_pylist() == ["world"]
    assert batch.data.column("partner").to_pylist() == ["WLD"]


BAD = [
    (
        "non-numeric",
        "2025,1,MEX,2010,12x,1000,0.012\n",
        "row 2, column 'calculated_duties_usd': not a number (value '12x'). fix the cell or re-export the file",
    ),
    (
        "negative",
        "2025,1,MEX,2010,12,-1000,0.012\n",
        "row 2, column 'imports_for_consumption_customs_value_usd': negative value where trade values "
        "cannot be "
        "negative (value '-1000'). fix the cell; a negative here means a corrupted or mis-aligned file",
    ),
    (
        "duty above value",
        "2025,1,MEX,2010,2000,1000,2\n",
        "row 2, column 'calculated_duties_usd': calculated duty exceeds the import value 1000 (value "
        "'2000'). "
        "the duty and value columns are swapped or corrupted",
    ),
    (
        "iso3 disagrees",
        "2025,1,CAN,2010,12,1000,0.012\n",
        "row 2, column 'country_code_iso3': does not match Census code 2010 (MEX, Mexico) (value 'CAN'). "
        "the file's code columns disagree; fix one of them",
    ),
    (
        "unknown code",
        "2025,1,MEX,2011,12,1000,0.012\n",
        "row 2, column 'census_cty_code': unknown Census country code '2011' (value '2011'). "
        "use a Census Schedule C code, e.g. 2010 Mexico",
    ),
    (
        "bad month",
        "2025,13,MEX,2010,12,1000,0.012\n",
        "row 2, column 'month': not a whole number from 1 to 12 (value '13'). fix the cell",
    ),
    (
        "rate disagrees",
        "2025,1,MEX,2010,12,1000,0.5\n",
        "row 2, column 'effective_rate': does not equal duties / imports = 0.01200 (value '0.5'). "
        "the row is inconsistent; download the file again",
    ),
    (
        "truncated",
        "2025,1,MEX,2010,12,1000,0.012\n2025,2,MEX,20\n",
        "row 3: row has 4 cells, the header has 7: truncated or mis-aligned (value '4'). "
        "download or export the file again",
    ),
]


@pytest.mark.parametrize(("case", "rows", "problem"), BAD, ids=[b[0] for b in BAD])
def test_bad_csv_rows(tmp_path: Path, empty_store: Store, case: str, rows: str, problem: str) -> None:
    path = write(tmp_path / "duties.csv", HEADER + rows)
    with pytest.raises(ValidationFailed) as err:
        census_duties.load(empty_store, path)
    assert str(err.value) == f"1 problem(s) found; nothing was loaded:\n  - {path}, {problem}"
    assert count(empty_store) == 0


def test_truncated_json(tmp_path: Path, empty_store: Store) -> None:
    text = (DATA / "census_duties_api.json").read_text()
    path = write(tmp_path / "cut.json", text[: len(text) // 2])
    with pytest.raises(SourceFormatError) as err:
        census_duties.load(empty_store, path)
    assert str(err.value).startswith(f"{path}, row 3: not valid JSON at line 3, column ")
    assert str(err.value).endswith("the file is truncated or corrupted; download it again")
    assert count(empty_store) == 0


def test_wrong_layouts(tmp_path: Path) -> None:
    obj = write(tmp_path / "obj.json", '{"data": []}')
    with pytest.raises(SourceFormatError) as err:
        census_duties.parse(obj)
    assert str(err.value) == (
        f"{obj}: wrong layout: the Census API returns an array of arrays with the header "
        "row first. save the API response body unchanged"
    )
    other = write(tmp_path / "other.csv", "year,month,value\n2025,1,3\n")
    with pytest.raises(SourceFormatError) as err:
        census_duties.parse(other)
    assert (
        "wrong layout: columns ['country_code_iso3', 'census_cty_code', 'calculated_duties_usd', "
        "'imports_for_consumption_customs_value_usd'] are missing for the Census duties CSV" in str(err.value)
    )


def test_api_json_reload_same_vintage_replaces(empty_store: Store) -> None:
    census_duties.load(empty_store, DATA / "census_duties_api.json", vintage="2026-03")
    again = census_duties.load(empty_store, DATA / "census_duties_api.json", vintage="2026-03")
    assert (again.rows, again.replaced, count(empty_store)) == (4, 4, 4)
