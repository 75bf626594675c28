"""The committed derived tables equal a fresh build from the official files."""

from __future__ import annotations

from importlib import resources

from nearshore.origin.automotive.other_tables import build_table_f, build_table_g
from nearshore.origin.automotive.tables import auto_tables, build_auto_tables
from nearshore.origin.hs import build_hs6, known_hs6


def test_hs6_matches_hts_2025(raw_dir):
    built = build_hs6(raw_dir / "usitc_hts_2025" / "hts_2025_basic_edition.csv")
    text = resources.files("nearshore.origin").joinpath("data/hs6.csv").read_text(encoding="utf-8")
    committed = [line for line in text.splitlines()[2:] if line]
    assert committed == built
    assert len(built) > 5000
    assert set(built) <= known_hs6()


def test_auto_tables_match_regulation(raw_dir):
    built = build_auto_tables(raw_dir / "canada_cusma_regulations" / "SOR-2020-155.txt")
    committed = [(t, hs, ex, d) for t, rows in auto_tables().items() for hs, (d, ex) in rows.items()]
    assert sorted(committed) == sorted(built)
    counts = {t: len(rows) for t, rows in auto_tables().items()}
    assert counts == {"A.1": 17, "B": 38, "C": 27, "D": 35, "E": 15}
    assert auto_tables()["A.1"]["870829"] == ("Body stampings", True)


def test_tables_f_and_g_match_regulation(raw_dir):
    regulation = raw_dir / "canada_cusma_regulations" / "SOR-2020-155.txt"
    text = resources.files("nearshore.origin").joinpath("data/auto_tables_fg.csv").read_text(encoding="utf-8")
    committed = [line.split(",", 4) for line in text.splitlines()[2:] if line]
    table_f = [(code, ex == "1") for table, code, ex, _, _ in committed if table == "F"]
    table_g = [(code, kind) for table, code, _, kind, _ in committed if table == "G"]
    built_f = build_table_f(regulation)
    assert table_f == [(code, ex) for code, ex, _ in built_f]
    assert table_g == [(codes, kind) for codes, kind, _ in build_table_g(regulation)]
    # 76 rows of Table F in the text; "8482.10 through 8482.80" gives 6 codes and the 8507 list 4
    assert len(built_f) == 76 - 2 + 6 + 4
    assert len(table_g) == 23 + 9  # engine materials; manual and torque-converter transmission materials


def test_parts_subheadings_match_hts_2025(raw_dir):
    from nearshore.origin.parts import build_parts_subheadings, parts_subheadings

    built = build_parts_subheadings(raw_dir / "usitc_hts_2025" / "hts_2025_basic_edition.csv")
    assert dict(built) == parts_subheadings()
    assert len(built) == 135


def test_table_2_10_1_matches_schedule_2(raw_dir):
    from nearshore.origin.schedule2 import build_schedule2, table_2_10_1

    built = build_schedule2(raw_dir / "canada_cusma_regulations" / "SOR-2020-155.txt")
    assert tuple(built) == table_2_10_1()
