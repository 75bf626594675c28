from __future__ import annotations

import dataclasses
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from nearshore.writer.facts import Fact, FactTable
from nearshore.writer.reference import review_facts, rules_facts
from nearshore.writer.style import writing_problems
from nearshore.writer.template import standard_outline, write_brief
from nearshore.writer.verifier import verify_text

from .conftest import FACTS, ROLES


def with_values(facts: FactTable, **values: float) -> FactTable:
    changed = tuple(
        dataclasses.replace(f, value=values[f.id.replace(".", "_").replace("-", "_")])
        if f.id.replace(".", "_").replace("-", "_") in values
        else f
        for f in facts
    )
    return FactTable(changed, facts.allowed_years, facts.meta)


def text_of(facts, outline) -> str:
    return write_brief(outline, facts).markdown()


def allowed(facts: FactTable, outline) -> FactTable:
    """The table as the pipeline verifies it: with the outline's years (the brief's and the review's)."""
    return FactTable(facts.facts, tuple(sorted({*facts.allowed_years, *outline.allowed_years})), facts.meta)


def test_template_brief_is_fully_verified(facts, outline):
    draft = write_brief(outline, facts)
    report = verify_text(draft.markdown(), facts)
    assert report.ok, report.summary()
    assert len(report.matches) >= 20
    assert [s.id for s in draft.sections] == ["relationship", "sectors", "usmca", "review", "takeaways"]
    assert writing_problems(draft, facts) == []


def test_same_facts_same_text(facts, outline):
    assert text_of(facts, outline) == text_of(facts, outline)


def test_the_headline_carries_no_figure_and_no_note_mark(facts, outline):
    draft = write_brief(outline, facts)
    assert "[[fact:" not in draft.headline
    assert not re.search(r"\d", draft.headline.replace("2026", ""))
    assert not re.search(r"\b(largest|biggest|top)\b", draft.headline, re.I)  # rank words need a citation
    assert (
        draft.headline == "About half of Mexico's sales to the U.S. skip the USMCA preference as the 2026 review nears"
    )


def test_one_month_is_never_the_year(facts, outline):
    draft = write_brief(outline, facts)
    # the standfirst and the takeaways give the year's share; a month's share always names its month
    assert "49.7%[[fact:mex.usmca.share.2024]]" in draft.standfirst
    assert "2024-12" not in draft.standfirst
    usmca = next(s.markdown for s in draft.sections if s.id == "usmca")
    assert "48.7%[[fact:mex.usmca.share.2024-12]] in December 2024" in usmca
    assert "50.5%[[fact:mex.usmca.share.2024-01]] of imports in January 2024" in usmca


def test_rank_crossing_upward_is_told_as_a_climb(facts, outline):
    text = text_of(facts, outline)
    assert (
        text.splitlines()[0]
        == "# About half of Mexico's sales to the U.S. skip the USMCA preference as the 2026 review nears"
    )
    assert re.search(r"(overtook its rivals|climbed the ranking)", text)
    no_usmca = FactTable(tuple(f for f in FACTS if "usmca" not in f.id), (2026,))
    roles = {k: v for k, v in ROLES.items() if "usmca" not in k}
    head = text_of(no_usmca, standard_outline("us-mexico", "Mexico", 2024, roles)).splitlines()[0]
    assert head == "# Mexico climbs the ranks of U.S. suppliers as the 2026 USMCA review nears"


def test_rank_fall_is_told_as_a_slip(facts, outline):
    fallen = with_values(facts, mex_imports_rank_2024=3, mex_imports_rank_2019=1)
    text = text_of(fallen, outline)
    assert "slipped to third-largest[[fact:mex.imports.rank.2024]] among sources" in text
    assert verify_text(text, fallen).ok


def test_falling_imports_and_a_surplus_change_the_words(facts, outline):
    changed = with_values(facts, mex_imports_growth_2024=-4.2, mex_balance_2024=12e9, mex_exports_growth_2024=3.1)
    text = text_of(changed, outline)
    assert re.search(r"(fell|declined|slipped|dropped|down) 4\.2%\[\[fact:mex.imports.growth.2024\]\]", text)
    assert "goods surplus of $12.0 billion[[fact:mex.balance.2024]]" in text
    assert "deficit" not in text
    assert verify_text(text, changed).ok


def test_share_below_its_peak_and_falling(facts, outline):
    changed = with_values(
        facts, mex_imports_share_2024=13.9, mex_share_peak_year=2019, mex_imports_share_change_2019_2024=-0.43
    )
    text = text_of(changed, outline)
    assert "eased to 13.9%" in text
    assert "a loss of 0.4 percentage points" in text
    assert "below its high for the series, reached in 2019[[fact:mex.share.peak.year]]" in text


def test_a_share_that_rounds_to_no_change_is_unchanged(facts, outline):
    steady = with_values(facts, mex_imports_share_change_2019_2024=0.03)
    draft = write_brief(outline, steady)
    text = draft.markdown()
    assert "was unchanged at 15.5%[[fact:mex.imports.share.2024]], as in 2019[[fact:mex.imports.share.2019]]" in text
    assert "0.0 percentage points" not in text
    assert "up from 15.5%" not in text
    assert writing_problems(draft, steady) == []
    assert verify_text(text, steady).ok


def test_wording_varies_with_the_data(facts, outline):
    leads = set()
    for share in (15.49, 15.1, 16.2, 17.3, 14.9, 15.8):
        text = text_of(with_values(facts, mex_imports_share_2024=share), outline)
        section = text.split("## The trade relationship")[1]
        leads.add(section.split("[[")[0])
    assert len(leads) >= 2, leads


def test_missing_roles_drop_what_they_support(facts):
    outline = standard_outline("us-mexico", "Mexico", 2024, {"imports": "mex.imports.value.2024"})
    draft = write_brief(outline, facts)
    assert [s.id for s in draft.sections] == ["relationship", "takeaways"]
    assert draft.sections[0].markdown == "Imports from Mexico totalled $505.9 billion[[fact:mex.imports.value.2024]]."
    assert verify_text(draft.markdown(), facts).ok


def test_sectors_are_a_table_with_the_leaders_named(facts, outline):
    text = text_of(facts, outline)
    section = text.split("## What crosses the border, and what it pays")[1].split("\n## ")[0]
    assert "Two lines make up more than half of what Mexico sells to the United States: automotive, at 31.4%" in section
    assert (
        "| Automotive | 31.4%[[fact:mex.auto.share.2024]] | $158.8 billion[[fact:mex.auto.value.2024]] | |" in section
    )
    less = text_of(with_values(facts, mex_electronics_share_2024=15.0), outline)
    assert "Automotive heads the list of what Mexico sells to the United States, at 31.4%" in less
    small = text_of(with_values(facts, mex_electronics_share_2024=15.0, mex_auto_share_2024=25.0), outline)
    assert "Automotive leads U.S. imports from Mexico with 25.0%" in small


def test_the_review_gives_the_wage_rule_its_numbers(facts):
    extra = (*rules_facts(__import__("datetime").date(2026, 12, 3)), *review_facts())
    table = FactTable((*FACTS, *extra), (2026,))
    roles = {
        **ROLES,
        "rvc_passenger": "usmca.rvc.passenger",
        "lvc_passenger": "usmca.lvc.passenger",
        "lvc_trucks": "usmca.lvc.trucks",
        "lvc_wage": "usmca.lvc.wage",
        "auto_value": "mex.auto.value.2024",
        "review_date": "usmca.review.date",
        "term_end": "usmca.term.end",
    }
    draft = write_brief(standard_outline("us-mexico", "Mexico", 2024, roles), table)
    review = next(s.markdown for s in draft.sections if s.id == "review")
    assert "40%[[fact:usmca.lvc.passenger]] of a passenger vehicle's value" in review
    assert "45%[[fact:usmca.lvc.trucks]] of a light or heavy truck's" in review
    assert "at least $16[[fact:usmca.lvc.wage]] an hour in the United States" in review
    assert "regional value content of 75%[[fact:usmca.rvc.passenger]]" in review
    lede = next(s.markdown for s in draft.sections if s.id == "lede")
    assert "by 1 July 2026[[fact:usmca.review.date]]" in lede
    assert "ends on 1 July 2036[[fact:usmca.term.end]]" in lede
    assert verify_text(draft.markdown(), table).ok
    assert writing_problems(draft, table) == []


values = st.floats(min_value=-60, max_value=60, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 3))


@settings(max_examples=40, deadline=None)
@given(
    growth=values,
    exports_growth=values,
    share=st.floats(0.5, 60).map(lambda v: round(v, 3)),
    rank=st.integers(1, 12),
    rank_prev=st.integers(1, 12),
    balance=st.floats(-5e11, 5e11).map(round),
    usmca=st.floats(0, 100).map(lambda v: round(v, 2)),
    month=st.floats(0, 100).map(lambda v: round(v, 2)),
)
def test_any_data_gives_a_verified_brief_that_reads_well(
    growth, exports_growth, share, rank, rank_prev, balance, usmca, month
):
    """Any consistent data: each change is the difference of the two values it is between (the verifier reads
    'up from', 'a gain of' and 'from X to Y' against the cited values), and the writing checks find nothing."""
    facts = FactTable(FACTS, allowed_years=(2026,))
    outline = standard_outline("us-mexico", "Mexico", 2024, ROLES)
    changed = with_values(
        facts,
        mex_imports_growth_2024=growth,
        mex_exports_growth_2024=exports_growth,
        mex_imports_share_2024=share,
        mex_imports_share_change_2019_2024=round(share - 14.33, 3),
        mex_imports_rank_2024=rank,
        mex_imports_rank_2019=rank_prev,
        mex_balance_2024=balance,
        mex_usmca_share_2024=usmca,
        mex_usmca_share_2024_12=month,
        mex_usmca_change_2024_01_2024_12=round(month - 50.5, 2),
    )
    draft = write_brief(outline, changed)
    report = verify_text(draft.markdown(), allowed(changed, outline))
    assert report.ok, report.summary()
    assert writing_problems(draft, changed) == []


def test_a_small_share_gain_is_told_as_a_gain_without_rhetoric(facts, outline):
    small = with_values(facts, mex_imports_share_change_2019_2024=0.23)
    text = text_of(small, outline)
    takeaway = next(line for line in text.splitlines() if line.startswith("- **Market position.**"))
    assert "gained 0.2 percentage points[[fact:mex.imports.share.change.2019_2024]]" in takeaway
    assert verify_text(text, small).ok
    slipped = with_values(facts, mex_imports_share_change_2019_2024=-0.4)
    assert "lost 0.4 percentage points" in text_of(slipped, outline)


def test_the_verb_fits_the_size_of_the_change(facts, outline):
    def sentence(growth: float) -> str:
        changed = with_values(facts, mex_imports_growth_2024=growth)
        text = text_of(changed, outline)
        assert verify_text(text, changed).ok
        return text.split("## The trade relationship")[1]

    assert re.search(r"(edged up|inched up|up) 0\.1%\[\[fact:mex.imports.growth.2024\]\]", sentence(0.1))
    assert not re.search(r"(climbed|jumped|grew|rose) 0\.1%", sentence(0.1))
    assert not re.search(r"slipped 7\.2%", sentence(-7.2))
    assert re.search(r"(fell|declined|dropped|down) 7\.2%\[\[fact:mex.imports.growth.2024\]\]", sentence(-7.2))
    assert re.search(r"(jumped|climbed|rose|up) 14\.0%\[\[fact:mex.imports.growth.2024\]\]", sentence(14.0))


def test_a_share_at_its_peak_is_said_once(facts, outline):
    seen = set()
    for share in (15.49, 15.1, 16.2, 17.3, 14.9, 15.8, 16.6, 15.3):  # the data choose the sentence
        peak = with_values(facts, mex_share_peak_year=2024, mex_imports_share_2024=share)
        text = text_of(peak, outline)
        found = re.search(
            r"(No year in the series saw a higher share: it peaked in|Never in the series was the share higher "
            r"than in) 2024\[\[fact:mex.share.peak.year\]\]",
            text,
        )
        assert found, text
        seen.add(found.group(1))
        assert verify_text(text, peak).ok
    assert len(seen) == 2


def test_quoted_facts_appear_only_from_the_quotes_plan(facts, outline):
    quote = Fact("quote.1", 48e9, "USD", "2025-11-20", "figure quoted", "Example, https://example.org", "2025-11-20")
    table = FactTable((*FACTS, quote), (2025, 2026))
    line = "On 20 November 2025, Example wrote: “A $48 billion[[fact:quote.1]] target.” ([source](https://example.org))"
    roles = {**ROLES, "quote:1": "quote.1"}
    draft = write_brief(
        standard_outline("us-mexico", "Mexico", 2024, roles, extra={"quotes": {"lines": [line]}}), table
    )
    quotes = next(s for s in draft.sections if s.id == "quotes")
    assert quotes.title == "What others say"
    assert f"- {line}" in quotes.markdown
    assert "quote.1" not in text_of(facts, outline)  # no quotes file, no quoted claims
