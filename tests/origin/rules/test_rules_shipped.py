"""The shipped rule file: coverage, provenance, re-derivation from the raw text, and index lookups."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

import nearshore.origin.rules as rules_pkg
from nearshore.errors import DataNotFound
from nearshore.origin.rules import (
    NoRuleError,
    RuleBook,
    RvcRequirement,
    TariffShift,
    narrower_rules,
    notes_for,
    rule_report,
    rules_for,
    shipped_rules,
)
from nearshore.origin.rules.build import SHIPPED, build_rules, dumps

SOURCE = "usmca_rules_of_origin_text"


def test_coverage_at_least_98_percent_of_the_1159_rules() -> None:
    report = rule_report()
    assert report.total == 1159
    assert report.coverage >= 98.0
    assert report.parsed + len(report.unparsed) == 1159
    # every rule left unparsed says why, with its citation
    assert all(u.reason and u.citation.startswith("HTSUS GN 11(o)") for u in report.unparsed)
    assert "parsed into structure" in str(report)


def test_every_rule_has_a_citation_and_scope() -> None:
    for rule in shipped_rules().rules:
        assert rule.citation, rule.id
        assert rule.scope, rule.id
        if rule.kind == "psr":
            assert rule.citation.startswith(f"HTSUS GN 11(o), chapter {int(rule.chapter)}")


@pytest.mark.shared
def test_rederiving_from_the_raw_text_equals_the_committed_file(raw_dir: Path) -> None:
    rebuilt = json.loads(dumps(build_rules(raw_dir)))
    committed = json.loads(SHIPPED.read_text(encoding="utf-8"))
    rebuilt["provenance"].pop("built")
    committed["provenance"].pop("built")
    assert rebuilt == committed


@pytest.mark.shared
def test_rules_survive_the_round_trip_through_json(raw_dir: Path) -> None:
    # the shipped file is read through the same validator as users' files: nothing is lost
    assert build_rules(raw_dir).rules == shipped_rules().rules


def test_docs_state_the_measured_coverage() -> None:
    report = rule_report()
    docs = (Path(__file__).resolve().parents[3] / "docs" / "origin-rules.md").read_text(encoding="utf-8")
    assert f"{report.parsed:,} of {report.total:,} rules ({report.coverage:.1f}%)" in docs
    assert f"{report.psr_parsed:,} are parsed" in docs
    listed = [line for line in docs.splitlines() if line.startswith("| GN 11(o) ch.")]
    assert len(listed) == len(report.unparsed)


@pytest.mark.shared
def test_provenance_checksums_match_the_raw_files(raw_dir: Path) -> None:
    files = shipped_rules().provenance["files"]
    for name in ("psr_rules.jsonl", "section_rules.jsonl"):
        digest = hashlib.sha256((raw_dir / SOURCE / name).read_bytes()).hexdigest()
        assert files[f"{SOURCE}/{name}"] == digest


@pytest.mark.shared
def test_row_count_against_the_raw_file(raw_dir: Path) -> None:
    # independent path: count the source rows with the json module
    with (raw_dir / SOURCE / "psr_rules.jsonl").open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    ours = [r for r in shipped_rules().rules if r.kind != "section_rule"]
    assert len(ours) == len(rows) == 1159
    assert [r.text for r in ours] == [row["rule_text"] for row in rows]


def test_lookup_8708_29_gives_the_three_use_variants() -> None:
    found = rules_for("8708.29")
    assert [r.citation for r in found] == [
        "HTSUS GN 11(o), chapter 87, rule 24",
        "HTSUS GN 11(o), chapter 87, rule 25",
        "HTSUS GN 11(o), chapter 87, rule 26",
    ]
    body_stamping = found[0]
    assert body_stamping.applies_to is not None
    assert "body stamping" in body_stamping.applies_to
    (only,) = body_stamping.alternatives
    assert only.rvc == RvcRequirement(None, 75.0)
    # the same rules whatever the spelling of the code
    assert rules_for("870829") == found == rules_for("8708.29.50.00")


def test_lookup_8703_23_passenger_vehicles() -> None:
    (rule,) = rules_for("8703.23")
    assert rule.citation == "HTSUS GN 11(o), chapter 87, rule 7"
    assert [a.rvc for a in rule.alternatives] == [RvcRequirement(None, 75.0), RvcRequirement(None, 62.5)]


def test_lookup_6109_10_t_shirts() -> None:
    (rule,) = rules_for("6109.10")
    shift = rule.alternatives[0].tariff_shifts[0]
    assert shift.level == "chapter"
    assert not shift.satisfied_by("5208.11", "6109.10")  # woven cotton fabric: excepted (5204-5212)
    assert not shift.satisfied_by("6006.21", "6109.10")  # knit fabric: excepted (6001-6006)
    assert shift.satisfied_by("3926.90", "6109.10")  # a plastic part: another chapter, not excepted
    assert [n.kind for n in notes_for("6109.10")] == ["chapter_rule"] * 4


def test_lookup_0201_10_beef() -> None:
    (rule,) = rules_for("0201.10")
    assert rule.scope_text == "0201-0210"
    assert rule.alternatives[0].conditions == (TariffShift("chapter", rule.alternatives[0].tariff_shifts[0].to_scope),)
    assert rule.alternatives[0].tariff_shifts[0].satisfied_by("0102.29", "0201.10")  # live cattle
    assert not rule.alternatives[0].tariff_shifts[0].satisfied_by("0202.10", "0201.10")  # same chapter


def test_tariff_item_rules_govern_only_their_items() -> None:
    # GN 11(o) chapter 18: rule 3 for subheading 1806.10, rule 2 for some of its tariff items
    (subheading_rule,) = rules_for("1806.10")
    assert subheading_rule.citation == "HTSUS GN 11(o), chapter 18, rule 3"
    (item_rule,) = narrower_rules("1806.10")
    assert item_rule.citation == "HTSUS GN 11(o), chapter 18, rule 2"
    # interpretative note (b): the tariff-item rule takes precedence for a good of that item
    assert rules_for("1806.10.43") == [item_rule]
    assert rules_for("1806.10.10") == [subheading_rule]


def test_only_tariff_item_rules_under_a_code() -> None:
    # GN 11(o) chapter 85: rule 99 for subheading 8540.12; two rules for tariff items 8540.12.10/.50
    (rule,) = rules_for("8540.12")
    assert rule.citation == "HTSUS GN 11(o), chapter 85, rule 99"
    items = rules_for("8540.12.10")
    assert [r.scope_text for r in items] == ["8540.12.10, 8540.12.50"] * 2
    # a book holding only the tariff-item rules says to give the full item
    book = RuleBook(tuple(items))
    with pytest.raises(NoRuleError) as info:
        book.rules_for("8540.12")
    assert str(info.value) == (
        "no USMCA product-specific rule found for 8540.12: only rules for narrower codes exist "
        "(8540.12.10, 8540.12.50); give the full tariff item"
    )


def test_phase_windows() -> None:
    # GN 11(o) chapter 85, 8504.90: two time-based rules
    early, late = rules_for("8504.90")
    assert (early.valid_from, early.valid_until, late.valid_from, late.valid_until) == (
        "2020-07-01",
        "2025-07-01",
        "2025-07-01",
        None,
    )
    assert early.in_force(dt.date(2025, 6, 30))
    assert not early.in_force(dt.date(2025, 7, 1))
    assert late.in_force(dt.date(2026, 1, 1))


def test_no_rule_for_footwear_says_why() -> None:
    with pytest.raises(NoRuleError) as info:
        rules_for("6403.99")
    assert str(info.value) == (
        "no USMCA product-specific rule found for 6403.99: chapter 64 is missing from the transcribed "
        "General Note 11 the rules are built from (chapters 64-67 are not in the source); add the rule from "
        "HTSUS GN 11(o) in a rule file"
    )
    assert isinstance(info.value, DataNotFound)


def test_bad_code_is_refused() -> None:
    with pytest.raises(ValueError, match="invalid HS code '87x8'"):
        rules_for("87x8")


def test_rules_print_with_citation_and_text() -> None:
    rule = rules_for("8708.29")[2]
    text = str(rule)
    assert text.startswith("HTSUS GN 11(o), chapter 87, rule 26 [GN11-87-026] covers 8708.29")
    assert "RVC 50% (net cost)" in text
    row = rule.row()
    assert len(row) == len(rules_pkg.RULE_COLUMNS)
    assert row[1] == rule.citation
    assert row[4] == rule.text


def test_public_names_are_exported() -> None:
    for name in rules_pkg.__all__:
        assert hasattr(rules_pkg, name), name
    assert len(set(rules_pkg.__all__)) == len(rules_pkg.__all__)


def shipped_shifts() -> list[TariffShift]:
    return [shift for rule in shipped_rules().rules for alt in rule.alternatives for shift in alt.tariff_shifts]


def test_invariants_over_every_shipped_shift() -> None:
    shifts = shipped_shifts()
    assert len(shifts) > 1000
    for shift in shifts:
        good = shift.to_scope[0].start
        # no change in classification is never a change, unless the rule allows one from within
        # or names described goods of the good's own code as the source ("from parts ... of 8708.30")
        # (an except-from list naming the same code still wins)
        own_source = any(r.description and r.contains(good) for r in shift.from_scope) and not any(
            r.contains(good) for r in shift.exceptions
        )
        assert shift.satisfied_by(good, good) is (shift.allow_within or own_source), shift
        # a material in an except-from list never qualifies
        for excepted in shift.exceptions:
            assert not shift.satisfied_by(excepted.start, good), (shift, excepted)


def test_a_heading_asks_for_its_subheadings() -> None:
    with pytest.raises(NoRuleError, match=r"only rules for narrower codes exist \(8708\.10, .* and \d+ more\)"):
        rules_for("8708")
