"""The committed derived tables equal a fresh build from the official files."""

from __future__ import annotations

from importlib import resources

from nearshore.origin.automotive.tables import AUTO_TABLES, build_auto_tables
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
    committed = [(t, hs, ex, d) for t, rows in AUTO_TABLES.items() for hs, (d, ex) in rows.items()]
    assert sorted(committed) == sorted(built)
    counts = {t: len(rows) for t, rows in AUTO_TABLES.items()}
    assert counts == {"A.1": 17, "B": 38, "C": 27, "D": 35, "E": 15}
    assert AUTO_TABLES["A.1"]["870829"] == ("Body stampings", True)
