from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nearshore.writer.facts import Fact, FactTable, display
from nearshore.writer.verifier import verify_text


def one(text: str, facts: FactTable):
    report = verify_text(text, facts)
    assert len(report.findings) == 1, report.summary()
    return report.findings[0]


def test_supported_figures_all_match(facts):
    text = (
        "Mexico was the largest[[fact:mex.imports.rank.2024]] source of U.S. goods imports in 2024, with "
        "15.5%[[fact:mex.imports.share.2024]] of the total. "
        "Imports rose 6.5%[[fact:mex.imports.growth.2024]] "
        "to $505.9 billion[[fact:mex.imports.value.2024]], while exports fell 0.8%"
        "[[fact:mex.exports.growth.2024]].\n\n"
        "Since 2019 the share has gained 1.2 percentage points[[fact:mex.imports.share.change.2019_2024]], "
        "from 14.3%[[fact:mex.imports.share.2019]] when Mexico was "
        "second-largest[[fact:mex.imports.rank.2019]]."
    )
    report = verify_text(text, facts)
    assert report.ok, report.summary()
    assert [m.fact_id for m in report.matches] == [
        "mex.imports.rank.2024",
        "mex.imports.share.2024",
        "mex.imports.growth.2024",
        "mex.imports.value.2024",
        "mex.exports.growth.2024",
        "mex.imports.share.change.2019_2024",
        "mex.imports.share.2019",
        "mex.imports.rank.2019",
    ]


# --- the adversarial set -------------------------------------------------------------------------------


def test_wrong_number(facts):
    finding = one("Mexico supplied 15.8%[[fact:mex.imports.share.2024]] of imports.", facts)
    assert finding.kind == "mismatch"
    assert str(finding) == (
        "line 1: '15.8%': does not match the cited fact: mex.imports.share.2024 shown at "
        "this precision is '15.5%' (15.49 percent)"
    )


def test_right_number_citing_the_wrong_fact(facts):
    finding = one("Canada supplied 13.4%[[fact:can.imports.share.2024]] of imports.", facts)
    assert finding.kind == "mismatch"
    assert finding.message == (
        "does not match the cited fact: can.imports.share.2024 shown at this precision "
        "is '12.6%' (12.64 percent); it matches chn.imports.share.2024, which is not the "
        "fact cited here"
    )


def test_swapped_figures_in_one_sentence_are_caught(facts):
    text = "Mexico held 12.6%[[fact:mex.imports.share.2024]] and Canada 15.5%[[fact:can.imports.share.2024]]."
    report = verify_text(text, facts)
    assert [f.figure for f in report.findings] == ["12.6%", "15.5%"]


def test_millions_read_as_billions(facts):
    finding = one("Imports reached $505.9 million[[fact:mex.imports.value.2024]].", facts)
    assert finding.kind == "scale"
    assert finding.message == (
        "$505.9 million is off by a factor of 1,000: the cited fact mex.imports.value.2024 is $505.9 billion"
    )


@pytest.mark.parametrize(
    "written",
    [
        "$505.9B",
        "$505.9 bn",
        "US$505.9 billion",
        "505.9 billion dollars",
        "$505,851 million",
        "$0.5 trillion",
        "USD 505.9 billion",
    ],
)
def test_currency_spellings_are_read_at_their_scale(facts, written):
    report = verify_text(f"Imports were {written}[[fact:mex.imports.value.2024]].", facts)
    assert report.ok, report.summary()


def test_percent_written_for_percentage_points(facts):
    finding = one("The share rose 1.2%[[fact:mex.imports.share.change.2019_2024]].", facts)
    assert finding.kind == "wrong-unit"
    assert finding.message == (
        "written as a percent but the cited fact mex.imports.share.change.2019_2024 is "
        "in percentage points; write '1.2 percentage points'"
    )


def test_percentage_points_written_for_percent(facts):
    finding = one("Imports grew 6.5 percentage points[[fact:mex.imports.growth.2024]].", facts)
    assert finding.kind == "wrong-unit"
    assert finding.message.endswith("is in percent; write '6.5%'")


@pytest.mark.parametrize(
    ("value", "written", "ok"),
    [
        (15.45, "15.5%", True),  # a half rounds away from zero
        (15.45, "15.4%", False),  # ...never down (no banker's rounding, no float noise)
        (15.449999, "15.4%", True),
        (15.449999, "15.5%", False),
        (15.45, "15%", True),  # shown to fewer places: rounded to those places
        (15.5, "16%", True),
        (15.5, "15%", False),
        (2.675, "2.68%", True),  # 2.675 is 2.67499... in binary; the verifier rounds the decimal form
        (-0.05, "0.1%", True),
    ],
)
def test_rounding_at_the_boundary(value, written, ok):
    table = FactTable((Fact("x.share", value, "percent", "2024", "x", "s", "v"),))
    report = verify_text(f"The share was {written}[[fact:x.share]].", table)
    assert report.ok is ok, report.summary()


def test_money_rounding_boundary():
    table = FactTable((Fact("x.value", 1_250_000_000, "USD", "2024", "x", "s", "v"),))
    assert verify_text("It was $1.3 billion[[fact:x.value]].", table).ok
    assert not verify_text("It was $1.2 billion[[fact:x.value]].", table).ok
    assert verify_text("It was $1.25 billion[[fact:x.value]].", table).ok


def test_number_with_no_citation(facts):
    finding = one("Imports rose 6.5%[[fact:mex.imports.growth.2024]] and exports were $334.0 billion.", facts)
    assert finding.kind == "uncited"
    assert str(finding) == (
        "line 1: '$334.0 billion': a dollar amount with no fact citation after it in its "
        "sentence; follow it with [[fact:ID]] or remove it"
    )


def test_citation_does_not_reach_into_the_next_sentence(facts):
    finding = one("Imports were $505.9 billion. They grew[[fact:mex.imports.value.2024]].", facts)
    assert finding.kind == "uncited"
    assert finding.figure == "$505.9 billion"


def test_year_used_as_a_value(facts):
    finding = one("Imports from Mexico totalled 2024[[fact:mex.imports.value.2024]].", facts)
    assert finding.kind == "year-as-value"
    assert finding.message == (
        "the year 2024 stands as a value cited to mex.imports.value.2024 = $505.9 "
        "billion (USD); a year may be used only as a date (e.g. 'in 2024'), or cite a "
        "fact whose unit is 'year'"
    )


def test_year_fact_may_be_stated_as_a_value(facts):
    assert verify_text("The share peaked in 2024[[fact:mex.share.peak.year]].", facts).ok
    assert verify_text("Its peak year was 2024[[fact:mex.share.peak.year]].", facts).ok


def test_year_not_the_period_of_a_cited_fact(facts):
    finding = one("In 2019, Mexico supplied 15.5%[[fact:mex.imports.share.2024]] of imports.", facts)
    assert finding.kind == "year"
    assert finding.message == (
        "year 2019 is not the period of any fact cited in its sentence (cited: "
        "mex.imports.share.2024 (2024)) nor an allowed year; cite a fact for that year or "
        "remove it"
    )


def test_dates_from_cited_periods_and_allowed_years_pass(facts):
    text = (
        "From 2019 to 2024 the share gained 1.2 percentage points[[fact:mex.imports.share.change.2019_2024]]"
        " ahead of the 2026 review."
    )
    assert verify_text(text, facts).ok


def test_direction_words_must_agree_with_the_sign(facts):
    finding = one("Exports rose 0.8%[[fact:mex.exports.growth.2024]].", facts)
    assert finding.kind == "direction"
    assert finding.message == ("says a rise but the cited fact mex.exports.growth.2024 is negative (-0.8); say it fell")
    assert verify_text("Exports slipped by 0.8%[[fact:mex.exports.growth.2024]].", facts).ok


def test_rank_words(facts):
    assert verify_text("Mexico ranked first[[fact:mex.imports.rank.2024]].", facts).ok
    assert verify_text("Canada was third-largest[[fact:can.imports.rank.2024]].", facts).ok
    assert verify_text("Canada was among the top three[[fact:can.imports.rank.2024]].", facts).ok
    finding = one("Canada was the second-largest[[fact:can.imports.rank.2024]] supplier.", facts)
    assert finding.kind == "mismatch"
    assert "'third-largest'" in finding.message
    finding = one("Canada was the largest supplier.", facts)
    assert finding.kind == "uncited"


def test_unknown_fact_id(facts):
    finding = one("Imports were $505.9 billion[[fact:mex.imports.value.2042]].", facts)
    assert finding.kind == "unknown-fact"
    assert finding.message == (
        "cites fact 'mex.imports.value.2042', which is not in the fact table; cite one of the table's ids"
    )


def test_two_figures_bind_to_one_citation_group(facts):
    text = (
        "Imports were $505.9 billion and exports $334.0 billion"
        "[[fact:mex.imports.value.2024]][[fact:mex.exports.value.2024]]."
    )
    assert verify_text(text, facts).ok


def test_identifiers_and_days_are_not_figures(facts):
    assert verify_text("Section 232 and Chapter 87 apply; the review opens on 1 July 2026.", facts).ok


def test_footnote_style_citations_and_notes_are_understood(facts):
    text = (
        "Mexico supplied 15.5%[^mex.imports.share.2024] of imports.\n\n<!-- nearshore:notes -->\n"
        "[^mex.imports.share.2024]: 15.49 percent, 2024, vintage 2026-01\n"
    )
    report = verify_text(text, facts)
    assert report.ok
    assert [m.fact_id for m in report.matches] == ["mex.imports.share.2024"]


def test_line_numbers_point_at_the_figure(facts):
    text = "# Title\n\nFirst line is fine.\nSecond line has 99% uncited."
    finding = one(text, facts)
    assert finding.line == 4


units = st.sampled_from(["USD", "percent", "pp", "rank", "count", "ratio", "index"])


@settings(max_examples=150, deadline=None)
@given(unit=units, value=st.floats(min_value=-5e12, max_value=5e12, allow_nan=False).map(lambda v: round(v, 4)))
def test_every_displayed_fact_verifies(unit, value):
    if unit == "rank":
        value = float(max(1, min(int(abs(value)) % 40, 40)) or 1)
    if unit == "count":
        value = float(round(value))
    fact = Fact("x.y", value, unit, "2024", "x", "s", "v")
    text = f"The figure is {display(fact)}[[fact:x.y]]."
    report = verify_text(text, FactTable((fact,)))
    assert report.ok, (text, report.summary())


def test_numbers_inside_names_are_not_figures(facts):
    assert verify_text("Since COVID-19 and the G7 talks, trade shifted.", facts).ok


def test_pipeline_allows_the_brief_year_and_review_year(tmp_path):
    from nearshore.writer.pipeline import produce_brief
    from nearshore.writer.template import standard_outline

    from .conftest import FACTS

    outline = standard_outline("us-mexico", "Mexico", 2024, {"imports": "mex.imports.value.2024"})
    result = produce_brief(outline, FactTable(FACTS), (), tmp_path, "b", ("md",))
    assert FactTable.load(result.files.paths["facts"]).allowed_years == (2024, 2026)


def test_figures_written_in_words_are_refused(facts):
    finding = one("Mexico supplied fifteen percent[[fact:mex.imports.share.2024]] of imports.", facts)
    assert finding.kind == "wrong-unit"
    assert finding.message.startswith("a figure written in words cannot be checked; write it in digits")
    finding = one("Imports topped five hundred billion dollars.", facts)
    assert finding.kind == "uncited"
    assert finding.figure == "hundred billion"
    assert verify_text("Imports grew 6.5 pct[[fact:mex.imports.growth.2024]].", facts).ok
