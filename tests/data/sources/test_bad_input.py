"""Damaged and implausible files are refused whole: each refusal names the file and the place, and leaves the
store as it was."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from nearshore.data.sources import census_country, census_duties, comtrade, dataweb, hts, load_file
from nearshore.data.store import Store
from nearshore.errors import InputError, SourceFormatError, ValidationFailed
from tests.data.sources.conftest import count, shared
from tests.data.sources.fuzzing import HTS_HEADER, HTS_LINES, seeds

COUNTRY = "census_country_all_partners_2022_2025.csv"
SEED_COUNTRY = next(s for s in seeds() if s.source == "census-country").data.decode()


def _write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _refused(store: Store, source: str, path: Path, match: str, vintage: str | None = None) -> str:
    """Load `path`, expect an InputError naming the file and matching `match`, and nothing stored."""
    rows, loads = count(store), count(store, "loads")
    with pytest.raises(InputError) as caught:
        load_file(store, source, path, vintage=vintage)
    message = str(caught.value)
    assert str(path) in message
    assert match in message, message
    assert (count(store), count(store, "loads")) == (rows, loads)
    return message


def _with_cell(text: str, row: int, column: str, value: str) -> str:
    """`text` (CSV) with one cell replaced; rows count from 1 for the first data row."""
    rows = list(csv.reader(io.StringIO(text)))
    rows[row][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


# -- 1. loaders stored wrong figures -----------------------------------------------------------------


@pytest.mark.shared
def test_a_repeated_partner_row_is_refused_not_counted_twice(tmp_path: Path, store: Store) -> None:
    text = (shared("census_country_trade") / COUNTRY).read_text()
    sweden = next(line for line in text.splitlines() if line.startswith("2024,SWE,4010,"))
    path = _write(tmp_path / COUNTRY, text + sweden + "\n")
    message = _refused(store, "census-country", path, "duplicate row for 4010 (Sweden) 2024", "2026-07")
    assert "row 977, column 'census_cty_code'" in message
    doubled = _write(tmp_path / "twice.csv", text + "".join(text.splitlines(keepends=True)[1:]))
    with pytest.raises(ValidationFailed, match=r"975 problem\(s\) found"):
        census_country.load(store, doubled, vintage="2026-07")


def test_a_mistyped_year_never_becomes_the_vintage(tmp_path: Path, store: Store) -> None:
    good = _write(tmp_path / "good.csv", SEED_COUNTRY)
    census_country.load(store, good, vintage="2025-02")
    path = _write(tmp_path / "country.csv", _with_cell(SEED_COUNTRY, 6, "year", "2101"))
    message = _refused(store, "census-country", path, "row 7, column 'year': not a year from 1985")
    assert "2101" in message
    assert store.query("SELECT max(vintage), count(*) FILTER (superseded_by IS NOT NULL) FROM trade_flows").rows == [
        ("2025-02", 0)
    ]
    # the correct file, loaded again at its vintage, is current (nothing newer supersedes it)
    report = census_country.load(store, good, vintage="2025-02")
    assert report.replaced == report.rows


@pytest.mark.parametrize(
    "year",
    ["-5", "0", "1899", "2022.7", "\u0662\u0660\u0662\u0662", "\u00b2\u2070\u00b2\u00b2", "99999", "1e400", "2101"],
)
def test_implausible_years_are_refused(tmp_path: Path, store: Store, year: str) -> None:
    path = _write(tmp_path / "country.csv", _with_cell(SEED_COUNTRY, 1, "year", year))
    _refused(store, "census-country", path, "row 2, column 'year': not a year from 1985")


def test_data_after_the_vintage_are_refused(tmp_path: Path, store: Store) -> None:
    path = _write(tmp_path / "country.csv", SEED_COUNTRY)
    message = _refused(store, "census-country", path, "data for 2024-12 are after the vintage 2024-06", "2024-06")
    assert "row 5, column 'IDEC'" in message  # the first 2024 row holds the newest month
    with pytest.raises(InputError, match=r"--vintage 2101-01 is after this month"):
        census_country.load(store, path, vintage="2101-01")


@pytest.mark.shared
def test_truncated_hts_csv_is_refused_at_every_cut(tmp_path: Path) -> None:
    data = (shared("usitc_hts_2025") / "hts_2025_basic_edition.csv").read_bytes()
    path = tmp_path / "hts_2025_basic_edition.csv"
    for tenth in range(1, 11):
        cut = len(data) * tenth // 11
        if data[cut - 1 : cut] == b"\n":
            cut -= 1  # a cut right after a line end is the case below
        path.write_bytes(data[:cut])
        with pytest.raises(SourceFormatError, match=r"cut short|unexpected end of data") as caught:
            hts.parse(path)
        assert str(path) in str(caught.value)


def test_a_truncated_hts_row_is_never_padded(tmp_path: Path, store: Store) -> None:
    text = io.StringIO()
    csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows([HTS_HEADER, *HTS_LINES])
    cut = text.getvalue().rsplit('","', 3)[0] + '"\n'  # the last line ends after 6 of its 9 cells
    path = _write(tmp_path / "hts_2025_basic_edition.csv", cut)
    with pytest.raises(ValidationFailed, match="row 9: row has 6 cells, the header has 9: truncated"):
        hts.load(store, path)


@pytest.mark.shared
def test_hts_with_swapped_rate_columns_is_refused(tmp_path: Path) -> None:
    text = (shared("usitc_hts_2025") / "hts_2025_basic_edition.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    general, extra = rows[0].index("General Rate of Duty"), rows[0].index("Additional Duties")
    for row in rows[1:]:
        row[general], row[extra] = row[extra], row[general]
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    path = _write(tmp_path / "hts_2025_basic_edition.csv", out.getvalue())
    with pytest.raises(ValidationFailed) as caught:
        hts.parse(path)
    message = str(caught.value)
    assert "column 'General Rate of Duty': is empty on 3301 of 3301 8-digit lines of chapters 01-97" in message
    assert "column 'Additional Duties': is filled on 11568 of 35859 lines outside chapter 99" in message
    assert "the rate columns are swapped or shifted" in message


@pytest.mark.shared
def test_a_comtrade_file_cut_in_its_last_value_is_refused(tmp_path: Path, store: Store) -> None:
    data = (shared("un_comtrade_mexico_hs4") / "world_trade.csv").read_bytes()
    path = _write(tmp_path / "world_trade.csv", data[:-4])  # ...,96518\n -> ...,965
    _refused(store, "comtrade", path, "the last line does not end with a line break: the file is cut short")


@pytest.mark.shared
def test_a_dataweb_share_cut_short_is_refused(tmp_path: Path, store: Store) -> None:
    data = (shared("usitc_dataweb_usmca_utilization") / "usmca_product_shares_2024.csv").read_bytes()
    path = _write(tmp_path / "usmca_product_shares_2024.csv", data[:-1] + b".5")
    _refused(store, "dataweb", path, "the file is cut short")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("12,3,4", "not a number"),
        ("1_000", "not a number"),
        ("\u0661\u0662", "not a number"),
        ("\uff11\uff12", "not a number"),
        ("1e308", "not a plausible figure (above 1e+09)"),
        ("nan", "not a number"),
        ("inf", "not a number"),
    ],
)
def test_malformed_numbers_are_refused(tmp_path: Path, store: Store, value: str, problem: str) -> None:
    path = _write(tmp_path / "country.csv", _with_cell(SEED_COUNTRY, 2, "IMAR", value))
    _refused(store, "census-country", path, f"row 3, column 'IMAR': {problem}")


def test_fullwidth_hts_codes_are_refused(tmp_path: Path, store: Store) -> None:
    dataweb_file = _write(
        tmp_path / "usmca_product_shares_2024.csv", "hts10,cty_code,usmca_share\n\uff10101210010,1220,0.5\n"
    )
    _refused(store, "dataweb", dataweb_file, "not a 10-digit HTS code")
    schedule = _write(
        tmp_path / "hts_2025_basic_edition.csv",
        ",".join(HTS_HEADER) + '\n"\uff10101.21.00",1,Horses,,Free,,,,\n',
    )
    _refused(store, "hts", schedule, "not an HTS number")


@pytest.mark.parametrize("name", ["usmca_product_shares_1899_01.csv", "usmca_product_shares_9999_12.csv"])
def test_dataweb_file_names_with_implausible_months_are_refused(tmp_path: Path, store: Store, name: str) -> None:
    path = _write(tmp_path / name, "hts10,cty_code,usmca_share,total_value,usmca_value\n0101210010,1220,0.5,10,5\n")
    with pytest.raises(InputError, match="in the file name is not a published one") as caught:
        dataweb.load(store, path)
    assert str(path) in str(caught.value)


# -- 2. no input crashes --------------------------------------------------------------------------------


def test_out_of_range_indent_and_superscript_digits_are_problems(tmp_path: Path, store: Store) -> None:
    lines = [*HTS_LINES[:2], ["0101.21.00", "300", "Purebred", "", "Free", "", "", "", ""]]
    lines.append(["0101.30.00", "\u00b2", "Asses", "", "6.8%", "", "", "", ""])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([HTS_HEADER, *lines])
    path = _write(tmp_path / "hts_2025_basic_edition.csv", out.getvalue())
    with pytest.raises(ValidationFailed) as caught:
        hts.load(store, path)
    message = str(caught.value)
    assert "row 4, column 'Indent': an indent above 20" in message
    assert "row 5, column 'Indent': not a whole number (value '²')" in message


def test_a_non_object_json_item_is_a_located_problem(tmp_path: Path, store: Store) -> None:
    items = [{"htsno": "0101.21.00", "indent": "1", "description": "Horses", "general": "Free"}, 5, ["x"]]
    path = _write(tmp_path / "hts_2025_revision_2.json", json.dumps(items))
    with pytest.raises(ValidationFailed) as caught:
        hts.load(store, path, vintage="2025-03")
    assert f"{path}, row 2: not an HTS line object (value 'int')" in str(caught.value)
    assert f"{path}, row 3: not an HTS line object (value 'list')" in str(caught.value)


@pytest.mark.parametrize(
    ("source", "name"),
    [("hts", "hts_2025_revision_3.json"), ("census-duties", "duties.json"), ("comtrade", "records.json")],
)
def test_deeply_nested_json_is_refused_without_recursion_error(
    tmp_path: Path, store: Store, source: str, name: str
) -> None:
    path = _write(tmp_path / name, "[" * 100_000 + "]" * 100_000)
    _refused(store, source, path, "nested too deeply", "2025-03")


def test_an_encoding_error_is_reported_on_its_own_row(tmp_path: Path, store: Store) -> None:
    lines = SEED_COUNTRY.encode().splitlines(keepends=True)
    lines[5] = lines[5].replace(b"Canada", b"Can\xe9da")
    path = _write(tmp_path / "country.csv", b"".join(lines))
    _refused(store, "census-country", path, "row 6: not UTF-8 text: invalid continuation byte")


def test_nan_and_infinity_in_json_are_refused(tmp_path: Path, store: Store) -> None:
    path = _write(
        tmp_path / "duties.json",
        '[["CTY_CODE","CTY_NAME","CAL_DUT_MO","CON_VAL_MO","time"],["2010","MEXICO",NaN,Infinity,"2025-01"]]',
    )
    _refused(store, "census-duties", path, "NaN is not a JSON number")


def test_census_duties_and_comtrade_refuse_years_after_this_one(tmp_path: Path, store: Store) -> None:
    duties = _write(
        tmp_path / "duties.json",
        '[["CTY_CODE","CTY_NAME","CAL_DUT_MO","CON_VAL_MO","time"],["2010","MEXICO","1","10","2101-01"]]',
    )
    with pytest.raises(ValidationFailed, match=r"row 2, column 'time': not a year from 1989"):
        census_duties.load(store, duties)
    records = json.loads((Path(__file__).parent / "comtrade_api.json").read_text())
    records["data"][0]["refYear"] = 2101
    path = _write(tmp_path / "records.json", json.dumps(records))
    with pytest.raises(ValidationFailed, match=r"row 1, column 'refYear': not a year from 1962"):
        comtrade.load(store, path)
    assert count(store) == 0
