"""The writing checks over every topic and every year the embedded snapshot supports: each brief verifies, and
none has a change shown as zero, a figure cited more than twice, a causal word beside a change over time, a
monthly figure without its month, a section without a cited fact, or two sentences in a row opening alike.
Then what the issue found in the 2024 and 2025 briefs, checked where it was found."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest

from nearshore.data.snapshot import seed_from_snapshot
from nearshore.data.store import Store
from nearshore.writer.compose import TOPICS, complete_years, compose_brief
from nearshore.writer.style import writing_problems
from nearshore.writer.template import write_brief
from nearshore.writer.verifier import verify_text

TODAY = date(2026, 12, 3)


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with Store() as s:
        assert seed_from_snapshot(s)
        yield s


def written(store: Store, topic: str, year: int):
    composition = compose_brief(store, topic, year, today=TODAY)
    return composition, write_brief(composition.outline, composition.facts)


@pytest.mark.slow
@pytest.mark.parametrize("topic", list(TOPICS))
def test_every_year_of_every_topic_reads_well(store: Store, topic: str) -> None:
    years = complete_years(store, TOPICS[topic][0])
    assert years[0] <= 1990
    assert years[-1] == 2025
    found = []
    for year in years:
        composition, draft = written(store, topic, year)
        report = verify_text(draft.markdown(), composition.facts)
        assert report.ok, f"{topic} {year}: {report.summary()}"
        found += [f"{topic} {year}: {p}" for p in writing_problems(draft, composition.facts)]
        assert draft.sections[0].id == "lede"  # why it matters now comes first, every year
    assert found == []


@pytest.fixture(scope="module")
def briefs(store: Store) -> dict[tuple[str, int], str]:
    return {(t, y): written(store, t, y)[1].markdown() for t in TOPICS for y in (2024, 2025)}


def test_each_partner_has_its_own_figure_and_no_cause_is_claimed(briefs) -> None:
    mexico = briefs[("us-mexico", 2025)]
    sentence = next(p for p in mexico.split("\n\n") if "U.S. goods trade with Mexico (exports plus imports)" in p)
    assert "3.9%[[fact:mex.trade.change.2025-03_2025-12]] higher" in sentence
    assert "with Canada it was 8.5%[[fact:can.trade.change.2025-03_2025-12]] lower" in sentence
    assert "together it was 2.0%[[fact:canmex.trade.change.2025-03_2025-12]] lower" in sentence
    for text in briefs.values():
        assert "Tariffs did leave a mark" not in text
        assert not re.search(r"tariffs? (reduced|cut|hit|drove)", text, re.I)


def test_the_year_is_annual_and_a_month_is_named(briefs) -> None:
    mexico = briefs[("us-mexico", 2025)]
    standfirst = mexico.split("\n\n")[1]
    assert "79.4%[[fact:mex.usmca.share.2025]]" in standfirst
    assert "88.5%" not in standfirst
    takeaways = mexico.split("## Takeaways")[1]
    assert "88.5%" not in takeaways
    assert "88.5%[[fact:mex.usmca.share.2025-12]] in December 2025" in mexico


def test_2024_says_unchanged_and_frames_claims_consistently(briefs) -> None:
    mexico = briefs[("us-mexico", 2024)]
    assert "was unchanged at 15.4%[[fact:mex.imports.share.2024]]" in mexico
    assert "0.0 percentage points" not in mexico
    assert "large base of trade that now depends on it" not in mexico
    assert mexico.startswith("# About half of Mexico's sales to the U.S. skip the USMCA preference")


def test_2024_briefs_have_chapters_and_say_what_the_data_lack(briefs) -> None:
    for topic in TOPICS:
        text = briefs[(topic, 2024)]
        section = text.split("## What crosses the border, and what it pays")[1].split("\n## ")[0]
        assert "by HS chapter only (Census general imports)" in section
        assert "HTS10 detail they need (USITC DataWeb) is in nearshore's snapshot for later years only" in section
        assert "| HS chapter | Share of imports | Value |" in section
        assert "| Sector (whole chapters) | Share of imports | Value |" in section
        assert ".chapter.87.share.2024]]" in section


def test_review_questions_differ_by_topic_and_use_the_data(briefs) -> None:
    reviews = {t: briefs[(t, 2025)].split("## What the review could change")[1].split("\n## ")[0] for t in TOPICS}
    assert len(set(reviews.values())) == 3
    assert "**Energy.**" in reviews["us-canada"]
    assert "**Energy.**" not in reviews["us-mexico"]
    for text in reviews.values():
        assert "40%[[fact:usmca.lvc.passenger]]" in text
        assert "45%[[fact:usmca.lvc.trucks]]" in text
        assert "$16[[fact:usmca.lvc.wage]] an hour" in text
