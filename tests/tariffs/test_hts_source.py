"""The `hts` source: CSV and JSON exports into hts_schedule, revisions side by side, bad input."""

from __future__ import annotations

import json

import pytest

from nearshore.data.sources import get_source, hts
from nearshore.errors import InputError, ValidationFailed
from nearshore.tariffs.schedule import load_schedule

HEADER = (
    "HTS Number,Indent,Description,Unit of Quantity,General Rate of Duty,Special Rate of Duty,"
    "Column 2 Rate of Duty,Quota Quantity,Additional Duties\n"
)


def test_registered():
    assert get_source("hts") is hts


def test_revision_from_file_name(tmp_path):
    assert hts.revision_from_name(tmp_path / "hts_2025_basic_edition.csv") == "2025-basic"
    assert hts.revision_from_name(tmp_path / "hts_2026_revision_6.json") == "2026-rev-6"
    assert hts.revision_from_name(tmp_path / "schedule.csv") is None


def test_load_the_2025_csv(hts_store, hts_csv):
    rows = hts_store.query("SELECT count(*), count(DISTINCT revision), min(vintage) FROM hts_schedule").rows[0]
    assert rows == (35859, 1, "2025-01")
    first = hts_store.query(
        "SELECT code, code_display, units, general_rate, special_rate, column2_rate "
        "FROM hts_schedule WHERE code = '0101300000'"
    ).rows[0]
    assert first == (
        "0101300000",
        "0101.30.00.00",
        "No.",
        "6.8%",
        "Free (A+,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG)",
        "15%",
    )


def test_json_export_and_two_revisions(tmp_path, store):
    items = [
        {
            "htsno": "0101",
            "indent": "0",
            "description": "Live horses:",
            "superior": None,
            "units": [],
            "general": "",
            "special": "",
            "other": "",
            "footnotes": [],
            "quotaQuantity": "",
            "additionalDuties": "",
        },
        {
            "htsno": "0101.30.00.00",
            "indent": "1",
            "description": "Asses",
            "superior": None,
            "units": ["No."],
            "general": "6.8%",
            "special": "Free (A+,S)",
            "other": "15%",
            "footnotes": [],
            "quotaQuantity": "",
            "additionalDuties": "",
        },
    ]
    path = tmp_path / "hts_2026_revision_6.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    hts.load(store, path, vintage="2026-03")
    csv_path = tmp_path / "hts_2025_basic_edition.csv"
    csv_path.write_text(HEADER + '"0101.30.00.00","1","Asses","[""No.""]","5%","","15%","",""\n', encoding="utf-8-sig")
    hts.load(store, csv_path)
    assert load_schedule(store).revision == "2026-rev-6"  # newest vintage by default
    assert load_schedule(store, "2026-rev-6").line("0101.30.00.00").general_text == "6.8%"
    assert load_schedule(store, "2025-basic").line("0101.30.00.00").general_text == "5%"


def test_bad_rows_are_all_reported_and_nothing_loaded(tmp_path, store):
    path = tmp_path / "hts_2025_basic_edition.csv"
    path.write_text(
        HEADER + '"0101.3X","1","Asses","","5%","","","",""\n"0102","x","Cattle","","","","","",""\n',
        encoding="utf-8-sig",
    )
    with pytest.raises(ValidationFailed) as info:
        hts.load(store, path)
    assert str(info.value) == (
        "2 problem(s) found; nothing was loaded:\n"
        f"  - {path}, row 2, column 'HTS Number': not an HTS number (4 to 10 digits as 0101.21.00.10) "
        "(value '0101.3X'). fix the cell or re-export the file\n"
        f"  - {path}, row 3, column 'Indent': not a whole number (value 'x'). fix the cell"
    )
    assert store.query("SELECT count(*) FROM hts_schedule").scalar() == 0


def test_unknown_revision_name(tmp_path, store):
    path = tmp_path / "schedule.csv"
    path.write_text(HEADER, encoding="utf-8")
    with pytest.raises(InputError, match="cannot tell the HTS revision from the file name"):
        hts.load(store, path)


def test_json_wrong_layouts(tmp_path, store):
    from nearshore.errors import SourceFormatError

    path = tmp_path / "hts_2026_revision_1.json"
    path.write_text('{"htsno": "0101"}', encoding="utf-8")
    with pytest.raises(SourceFormatError) as info:
        hts.load(store, path)
    assert str(info.value) == (
        f"{path}: expected a list of HTS line objects (htsno, indent, description, ...) "
        "(value 'dict'). use the JSON export of hts.usitc.gov"
    )
    path.write_text('[{"code": "0101"}]', encoding="utf-8")
    with pytest.raises(SourceFormatError, match="wrong layout: the objects have no 'htsno' field"):
        hts.load(store, path)
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="not a readable JSON file"):
        hts.load(store, path)
