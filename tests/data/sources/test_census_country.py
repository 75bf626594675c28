"""The census-country source against the official files, checked by an independent path (csv module)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nearshore.data.sources import census_country
from nearshore.data.store import Store
from nearshore.errors import InputError, ValidationFailed

OLD = "census_country_xlsx_1985_2022jan.csv"
NEW = "census_country_all_partners_2022_2025.csv"
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def _csv_annual(path: Path, code_col: str) -> dict[tuple[int, str, str], float]:
    out = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out[(int(row["year"]), row[code_col], "imports")] = float(row["IYR"])
            out[(int(row["year"]), row[code_col], "exports")] = float(row["EYR"])
    return out


def _annual(store: Store, year: int, code: str, flow: str) -> float:
    rel = store.relation("trade_flows")
    return float(
        store.query(
            f"SELECT value_usd FROM {rel} WHERE year = ? AND partner_code = ? AND flow = ? AND month IS NULL",
            [year, code, flow],
        ).scalar()
    )


@pytest.mark.shared
def test_every_annual_figure_equals_the_file(raw_dir: Path, store: Store) -> None:
    path = raw_dir / "census_country_trade" / NEW
    report = census_country.load(store, path, vintage="2026-07")
    expected = _csv_annual(path, "census_cty_code")
    assert report.rows == 975 * 26
    got = {
        (y, c, f): v / 1e6
        for y, c, f, v in store.query(
            "SELECT year, partner_code, flow, value_usd FROM trade_flows WHERE month IS NULL"
        ).rows
    }
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-6), key


@pytest.mark.shared
def test_old_file_spot_checks_and_partial_year(raw_dir: Path, store: Store) -> None:
    path = raw_dir / "census_country_trade" / OLD
    report = census_country.load(store, path, vintage="2022-03")
    # SOURCE.md spot check: 2021 imports from Mexico, Canada, China ($M)
    assert _annual(store, 2021, "2010", "imports") / 1e6 == pytest.approx(384_705.5, abs=0.05)
    assert _annual(store, 2021, "1220", "imports") / 1e6 == pytest.approx(357_159.8, abs=0.05)
    assert _annual(store, 2021, "5700", "imports") / 1e6 == pytest.approx(506_366.9, abs=0.05)
    # 2022 holds January only: the other months are unpublished and the YTD annual is not stored as a year
    months = store.query("SELECT DISTINCT month FROM trade_flows WHERE year = 2022").rows
    assert months == [(1,)]
    assert any("not yet published" in w for w in report.warnings)


@pytest.mark.shared
def test_aggregates_are_kept_apart(raw_dir: Path, store: Store) -> None:
    census_country.load(store, raw_dir / "census_country_trade" / NEW, vintage="2026-07")
    kinds = dict(store.query("SELECT partner, any_value(partner_kind) FROM trade_flows GROUP BY 1").rows)
    assert kinds["AGG_0021"] == "aggregate"
    assert kinds["MEX"] == "country"
    row = store.query(
        "SELECT program, basis FROM trade_flows WHERE partner = 'AGG_0021' AND flow = 'imports' LIMIT 1"
    ).rows[0]
    assert row == ("USMCA", "consumption")
    # the partner sum (countries only) matches SOURCE.md check (c): 2024 imports 3,263,893.5 $M
    total = store.query(
        "SELECT sum(value_usd) FROM trade_flows WHERE partner_kind = 'country' AND year = 2024 "
        "AND month IS NULL AND flow = 'imports'"
    ).scalar()
    assert total / 1e6 == pytest.approx(3_263_893.5, abs=0.5)


def _write(tmp_path: Path, rows: list[list[str]], name: str = "country.csv") -> Path:
    header = ["year", "CTY_CODE", "CTYNAME", *[f"I{m}" for m in MONTHS], "IYR", *[f"E{m}" for m in MONTHS], "EYR"]
    path = tmp_path / name
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _row(code: str = "2010", year: str = "2024", imp: float = 10.0, exp: float = 5.0) -> list[str]:
    return [year, code, "Mexico", *[str(imp)] * 12, str(imp * 12), *[str(exp)] * 12, str(exp * 12)]


def test_bad_cells_are_reported_with_row_column_and_value(tmp_path: Path, store: Store) -> None:
    bad = _row()
    bad[3] = "12,x"
    negative = _row(code="1220")
    negative[16] = "-4"
    path = _write(tmp_path, [bad, negative, _row(code="9999")])
    with pytest.raises(ValidationFailed) as caught:
        census_country.load(store, path, vintage="2024-12")
    text = str(caught.value)
    assert f"{path}, row 2, column 'IJAN': not a number (value '12,x')" in text
    assert f"{path}, row 3, column 'EJAN': negative value where trade values cannot be negative (value '-4')" in text
    assert f"{path}, row 4, column 'CTY_CODE': unknown Census country code '9999'" in text
    assert store.query("SELECT count(*) FROM trade_flows").scalar() == 0
    assert store.query("SELECT count(*) FROM loads").scalar() == 0


def test_months_not_summing_to_the_year_is_an_error(tmp_path: Path, store: Store) -> None:
    row = _row()
    row[15] = "150"  # IYR: months sum to 120
    with pytest.raises(ValidationFailed, match=r"row 2, column 'IYR': the 12 months sum to 120.0, not the annual"):
        census_country.load(store, _write(tmp_path, [row]), vintage="2024-12")


def test_small_sum_gap_is_a_warning(tmp_path: Path, store: Store) -> None:
    row = _row(imp=1000.0)
    row[15] = "12001.0"  # off by 1.0 $M: more than rounding, less than 0.1%
    report = census_country.load(store, _write(tmp_path, [row]), vintage="2024-12")
    assert report.warnings == (
        f"{tmp_path / 'country.csv'}, row 2, column 'IYR': months sum to 12000.0 vs "
        "annual 12001.0 (off by 1.00 $M, more than rounding)",
    )


def test_without_vintage_the_newest_data_month_is_used_and_said(tmp_path: Path, store: Store) -> None:
    report = census_country.load(store, _write(tmp_path, [_row()]))
    assert report.vintage == "2024-12"
    assert report.warnings == (
        f"{tmp_path / 'country.csv'}: no --vintage given; using 2024-12 (the newest data month)",
    )


def test_truncated_and_wrong_layout(tmp_path: Path, store: Store) -> None:
    path = _write(tmp_path, [_row()])
    text = path.read_text()
    path.write_text(text[: len(text) - 40])
    with pytest.raises(InputError, match="row 2: the last line does not end with a line break: the file is cut short"):
        census_country.load(store, path, vintage="2024-12")
    path.write_text(text[: len(text) - 40] + "\n")
    with pytest.raises(ValidationFailed, match="row 2: row has 20 cells, the header has 29: truncated"):
        census_country.load(store, path, vintage="2024-12")
    other = tmp_path / "other.csv"
    other.write_text("hts10,cty_code,usmca_share\n0101210010,1220,0\n")
    with pytest.raises(InputError, match=r"wrong layout: columns \['year', 'CTY_CODE', 'CTYNAME'\] are missing"):
        census_country.load(store, other)


def test_xlsx_and_csv_give_the_same_rows(tmp_path: Path) -> None:
    import openpyxl

    rows = [_row(), _row(code="1220", imp=7.5, exp=3.25), _row(code="0021", imp=4.0, exp=0.0)]
    csv_path = _write(tmp_path, rows)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "country"
    with csv_path.open(newline="") as handle:
        for i, record in enumerate(csv.reader(handle)):
            sheet.append(record if i == 0 else [int(record[0]), record[1], record[2], *map(float, record[3:])])
    xlsx_path = tmp_path / "country.xlsx"
    book.save(xlsx_path)
    from_csv = census_country.parse(csv_path, vintage="2024-12").data
    from_xlsx = census_country.parse(xlsx_path, vintage="2024-12").data
    assert from_xlsx.num_rows == from_csv.num_rows == 3 * 26
    assert from_xlsx.to_pylist() == from_csv.to_pylist()


def test_broken_xlsx_says_what_to_do(tmp_path: Path, store: Store) -> None:
    broken = tmp_path / "country.xlsx"
    broken.write_bytes(b"not a zip archive")
    with pytest.raises(InputError) as caught:
        census_country.load(store, broken, vintage="2026-07")
    assert str(caught.value) == (
        f"{broken}: not a readable XLSX file: File is not a zip file. download the file again, or give its CSV export"
    )
    assert store.query("SELECT count(*) FROM trade_flows").rows[0][0] == 0
