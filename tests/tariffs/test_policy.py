"""The policy file and its product lists, re-derived from the official Chapter 99 text."""

from __future__ import annotations

import csv
import gzip

import pytest

from nearshore.errors import ConfigError
from nearshore.tariffs.policy import load_policy, parse_policy
from nearshore.tariffs.policy.annexes import ANNEX_LISTS
from nearshore.tariffs.policy.derive import DERIVATIVE_LISTS, LISTS, SPLITS, build_product_lists, read_product_list
from tests.conftest import SHARED_RAW

YALE = SHARED_RAW / "yale_budget_lab_tariff_resources"
CH99 = YALE / "chapter99_2026_rev_6.txt.gz"


@pytest.fixture(scope="module")
def derived():
    if not CH99.exists():
        pytest.skip(f"Chapter 99 text not found at {CH99} (set NEARSHORE_SHARED_DIR)")
    return build_product_lists(CH99)


def test_committed_lists_equal_a_fresh_derivation(derived):
    assert len(derived) == len(LISTS) + len(SPLITS) + len(ANNEX_LISTS) + len(DERIVATIVE_LISTS)
    for name, codes in derived.items():
        assert read_product_list(name) == codes, name


def test_auto_parts_match_the_curated_list_exactly(derived):
    curated = [ln.strip() for ln in (YALE / "s232_auto_parts.txt").read_text().splitlines() if ln.strip()]
    assert sorted(derived["s232_auto_parts"]) == sorted(curated)
    assert len(derived["s232_autos"]) == 17  # note 33(b): 17 subheadings


def test_section_301_lists_are_inside_the_curated_lists(derived):
    with (YALE / "s301_product_lists.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for name, label in (("s301_list1", "1"), ("s301_list2", "2"), ("s301_list3", "3"), ("s301_list4a", "4A")):
        curated = {r["hts8"] for r in rows if r["list"] == label}
        mine = set(derived[name])
        assert mine <= curated, name
        # the curated lists add the chapter 98 lines of note 20 (described in words, not in the code lists)
        # and, for list 3, codes from the exclusion subdivisions; everything printed in the list is found
        assert len(mine) / len(curated) > 0.95, name


def test_annex_ii_codes_are_in_the_curated_exempt_list(derived):
    with (YALE / "ieepa_exempt_products.csv").open(newline="") as handle:
        curated = [r["hts10"] for r in csv.DictReader(handle)]
    missing = [c for c in derived["ieepa_annex2"] if not any(h.startswith(c) for h in curated)]
    assert len(missing) / len(derived["ieepa_annex2"]) < 0.05, missing[:10]


def test_every_measure_has_citation_heading_and_dates():
    policy = load_policy()
    assert policy.version
    for measure in policy.measures:
        assert measure.citation, measure.id
        assert measure.heading.startswith("9903"), measure.id
        for period in measure.rates:
            assert period.citation, measure.id
            assert period.end is None or period.start <= period.end, measure.id
        for exemption in measure.exemptions:
            assert exemption.citation, (measure.id, exemption.id)
    for rule in policy.stacking:
        assert rule.citation


def test_bad_policy_files_say_where():
    data = {"measures": [{"id": "x", "authority": "A", "heading": "9903.01.01", "basis": "weight", "rates": []}]}
    with pytest.raises(ConfigError) as info:
        parse_policy(data)
    assert str(info.value) == "policy measure 'x' basis: 'weight' is not one of value, metal, non_us_content"


def test_text_layout_change_is_reported(tmp_path):
    path = tmp_path / "ch99.txt.gz"
    with gzip.open(path, "wt") as handle:
        handle.write("SUBCHAPTER III\n1. (a) nothing here\n")
    with pytest.raises(ConfigError.__mro__[1]) as info:  # InputError
        build_product_lists(path)
    assert "U.S. note 33 not found in the Chapter 99 text" in str(info.value)


def test_section_301_review_lists_match_the_curated_ones(derived):
    with (YALE / "s301_product_lists.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for label, heading in zip("bcdfgi", ("01", "02", "03", "05", "06", "08"), strict=True):
        curated = {r["hts8"] for r in rows if r["ch99_code"] == f"9903.91.{heading}"}
        mine = {c[:8] for c in derived[f"s301_2024_{label}"]}
        assert mine <= curated, label
        assert len(mine) >= len(curated) - 3, label  # (b): 3 ores printed outside the code lines
    # (h): the text names five 10-digit respirator and mask numbers; the curated list keeps their 8-digit parent
    assert derived["s301_2024_h"] == ["6307909842", "6307909844", "6307909850", "6307909870", "6307909875"]
