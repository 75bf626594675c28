"""The whole 2025 Basic Edition: coverage of the rate parser, inheritance, look-up."""

from __future__ import annotations

import csv

import pytest

from nearshore.errors import DataNotFound, UnknownCodeError
from nearshore.tariffs.schedule import load_schedule

# The three texts of the 2025 Basic Edition that are typos in the official file (column 2 of 2909.19.18.00
# reads "37% /"; 9913.95.01 and 9913.95.23 read ":"). Everything else must parse.
RESIDUE = {("2909.19.18.00", "column2", "37% /"), ("9913.95.01", "column2", ":"), ("9913.95.23", "column2", ":")}


def test_parse_coverage_of_the_2025_schedule(schedule, hts_csv):
    coverage = schedule.coverage
    assert {(i.code, i.column, i.text) for i in coverage.issues} == RESIDUE
    # independent count of non-empty rate cells with the csv module
    with hts_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = sum(
        1
        for r in rows
        if r["HTS Number"]
        for c in ("General Rate of Duty", "Special Rate of Duty", "Column 2 Rate of Duty")
        if r[c].strip()
    )
    assert coverage.texts == texts
    assert coverage.parsed == texts - 3


def test_statistical_lines_inherit_the_8_digit_rates(schedule, hts_csv):
    with hts_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["HTS Number"]]
    eight = {r["HTS Number"]: r["General Rate of Duty"] for r in rows if len(r["HTS Number"]) == 10}
    checked = 0
    for r in rows:
        code = r["HTS Number"]
        if len(code) == 13 and not r["General Rate of Duty"] and code[:10] in eight and eight[code[:10]]:
            assert schedule.line(code).general_text == eight[code[:10]], code
            checked += 1
    assert checked > 11000  # 11,558 statistical lines carry no general rate of their own


def test_known_lines(schedule):
    line = schedule.line("8703.23.01")
    assert line.general_text == "2.5%"
    assert line.column2_text == "10%"
    assert any("S" in g.programs and g.rate.kind == "free" for g in line.special)
    stat = schedule.line("8708.99.81.80")
    assert stat.rates_from == "87089981"
    assert stat.general is not None
    assert stat.general.ad_valorem == pytest.approx(0.025)
    # an 8-digit subheading printed only as its 10-digit line
    assert schedule.line("0406.90.94").code == "0406909400"


def test_unknown_code_suggests_the_nearest(schedule):
    with pytest.raises(UnknownCodeError) as info:
        schedule.line("8708.99.99")
    assert str(info.value) == (
        "HTS '8708.99.99' is not in HTS revision 2025-basic; nearest valid codes: "
        "8708.99.81.80, 8708.99.81.60, 8708.99.81.30, 8708.99.81.15, 8708.99.81.05"
    )
    with pytest.raises(UnknownCodeError, match="is a heading, not a tariff line"):
        schedule.line("8708")


def test_empty_store_says_how_to_load(store):
    with pytest.raises(DataNotFound) as info:
        load_schedule(store)
    assert str(info.value).startswith("the store holds no HTS schedule; load one with `nearshore data load hts PATH`")


def test_unknown_revision(hts_store):
    with pytest.raises(DataNotFound) as info:
        load_schedule(hts_store, "2026-rev-9")
    assert str(info.value) == "HTS revision '2026-rev-9' is not in the store; loaded revisions: 2025-basic"


def test_newest_revision_compares_revision_numbers_as_numbers(store, tmp_path):
    # revisions of one year loaded without --vintage share the vintage YYYY-01: revision 10 is newer than 9
    # (as text, '2025-rev-9' sorts after '2025-rev-10')
    from nearshore.data.sources import hts

    for name, rate in (
        ("hts_2025_revision_9.json", "1%"),
        ("hts_2025_revision_10.json", "2%"),
        ("hts_2025_basic_edition.json", "3%"),
    ):
        path = tmp_path / name
        path.write_text(
            '[{"htsno": "0101.21.00", "indent": "1", "description": "Horses", "units": ["No."], '
            f'"general": "{rate}", "special": "", "other": "20%"}}]',
            encoding="utf-8",
        )
        hts.load(store, path)
    schedule = load_schedule(store)
    assert schedule.revision == "2025-rev-10"
    assert schedule.line("0101.21.00").general_text == "2%"
