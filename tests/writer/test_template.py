from __future__ import annotations

import dataclasses
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from nearshore.writer.facts import FactTable
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


def test_template_brief_is_fully_verified(facts, outline):
    draft = write_brief(outline, facts)
    report = verify_text(draft.markdown(), facts)
    assert report.ok, report.summary()
    assert len(report.matches) >= 20
    assert [s.id for s in draft.sections] == ["relationship", "sectors", "usmca", "review", "takeaways"]
    cited = set(report.cited)
    assert set(ROLES.values()) <= cited  # every fact the outline names is used somewhere


def test_same_facts_same_text(facts, outline):
    assert text_of(facts, outline) == text_of(facts, outline)


def test_rank_crossing_upward_is_told_as_a_climb(facts, outline):
    text = text_of(facts, outline)
    assert "rises to largest[[fact:mex.imports.rank.2024]]" in text.splitlines()[0]
    assert re.search(r"(overtook its rivals|climbed the ranking)", text)


def test_rank_fall_is_told_as_a_slip(facts, outline):
    fallen = with_values(facts, mex_imports_rank_2024=3, mex_imports_rank_2019=1)
    text = text_of(fallen, outline)
    assert "slips to third-largest[[fact:mex.imports.rank.2024]]" in text
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
    assert draft.sections[1].markdown == (
        "- **Scale.** U.S. imports from Mexico came to $505.9 billion[[fact:mex.imports.value.2024]]."
    )
    assert verify_text(draft.markdown(), facts).ok


def test_more_sectors_become_a_list(facts):
    extra = FactTable(
        (
            *FACTS,
            *[
                dataclasses.replace(
                    FACTS[0], id=f"mex.sector{i}.share.2024", value=v, unit="percent", label=f"Sector {i}"
                )
                for i, v in enumerate((9.1, 4.4, 2.0))
            ],
        ),
        (2026,),
    )
    roles = {
        "sector:Automotive": "mex.auto.share.2024",
        "sector:Electronics": "mex.electronics.share.2024",
        "sector:Machinery": "mex.sector0.share.2024",
        "sector:Aerospace": "mex.sector1.share.2024",
        "sector:Furniture": "mex.sector2.share.2024",
        "sector_value:Aerospace": "mex.aero.value.2024",
    }
    draft = write_brief(standard_outline("us-mexico", "Mexico", 2024, roles), extra)
    body = draft.sections[0].markdown
    assert "ahead of machinery at 9.1%" in body
    assert (
        "- Aerospace: 4.4%[[fact:mex.sector1.share.2024]] ($2.2 billion[[fact:mex.aero.value.2024]])"
        in body.splitlines()
    )
    assert verify_text(draft.markdown(), extra).ok


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
)
def test_any_data_gives_a_verified_brief(growth, exports_growth, share, rank, rank_prev, balance, usmca):
    """Any consistent data: each change is the difference of the two shares it is between (the verifier reads
    'up from', 'a gain of' and 'a drop of' against the cited values)."""
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
        mex_usmca_share_2025_06=usmca,
        mex_usmca_change_2024_2025=round(usmca - 49.45, 2),
    )
    report = verify_text(text_of(changed, outline), changed)
    assert report.ok, report.summary()


def test_a_leading_sector_under_half_is_not_said_to_dominate(facts, outline):
    # 34.7% of imports (electronics from Mexico, 2025) leads; it does not dominate
    leading = text_of(with_values(facts, mex_electronics_share_2024=34.7), outline)
    assert "Electronics heads the list of what Mexico sells to the United States: 34.7%" in leading
    assert "dominates" not in leading
    ruling = text_of(with_values(facts, mex_electronics_share_2024=55.2), outline)
    assert "Electronics dominates what Mexico sells to the United States: 55.2%" in ruling
    for text, values in ((leading, 34.7), (ruling, 55.2)):
        assert verify_text(text, with_values(facts, mex_electronics_share_2024=values)).ok


def test_a_small_share_gain_is_not_told_as_momentum(facts, outline):
    small = with_values(facts, mex_imports_share_change_2019_2024=0.23)
    text = text_of(small, outline)
    takeaway = next(line for line in text.splitlines() if line.startswith("- **Momentum.**"))
    assert "edged up by 0.2 percentage points" in takeaway
    assert "weight in any renegotiation has grown" not in text
    assert verify_text(text, small).ok
    slipped = with_values(facts, mex_imports_share_change_2019_2024=-0.4)
    assert "slipped by 0.4 percentage points" in text_of(slipped, outline)
    big = text_of(facts, outline)  # the fixture's 1.16 points
    assert "gained 1.2 percentage points[[fact:mex.imports.share.change.2019_2024]]" in big


def test_the_verb_fits_the_size_of_the_change(facts, outline):
    def sentence(growth: float) -> str:
        changed = with_values(facts, mex_imports_growth_2024=growth)
        text = text_of(changed, outline)
        assert verify_text(text, changed).ok
        return text

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
            r"(No year in the series saw a higher share: it peaked in|That is the highest share "
            r"in the series, set in) 2024\[\[fact:mex.share.peak.year\]\]",
            text,
        )
        assert found, text
        seen.add(found.group(1))
        assert "set a high for the series, peaking" not in text  # said the same thing twice
        assert verify_text(text, peak).ok
    assert len(seen) == 2
