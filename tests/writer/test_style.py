"""The writing checks, each shown failing on the sentence it exists to catch and passing on its fix."""

from __future__ import annotations

import pytest

from nearshore.writer.facts import FactTable
from nearshore.writer.plan import Draft, Section
from nearshore.writer.style import writing_problems

from .conftest import FACTS, fact


def draft(*sections: str, standfirst: str = "A brief.") -> Draft:
    return Draft("A headline", standfirst, tuple(Section(f"s{i}", "S", text) for i, text in enumerate(sections)))


def checks(d: Draft, facts) -> list[str]:
    return [p.check for p in writing_problems(d, facts)]


def test_a_zero_change_is_refused(facts):
    zero = fact("mex.imports.share.change.2023_2024", 0.02, "pp", "2023..2024", "Change in Mexico's share")
    level = fact("mex.level.2024", 0.0, "percent", "2024", "Share of imports under a programme")
    table = FactTable((*FACTS, zero, level))
    bad = draft(
        "Its share reached 15.5%[[fact:mex.imports.share.2024]], a gain of 0.0 percentage points"
        "[[fact:mex.imports.share.change.2023_2024]]."
    )
    assert checks(bad, table) == ["zero-change"]
    good = draft("Its share was unchanged at 15.5%[[fact:mex.imports.share.2024]].")
    assert checks(good, table) == []
    # a share of 0.0% is a level, not a change: it is not refused; 50.0 points is not 0.0 points
    assert checks(draft("The programme covered 0.0%[[fact:mex.level.2024]] of imports."), table) == []
    assert (
        checks(draft("June 2024 to June 2025: 35.6 percentage points[[fact:mex.usmca.change.2024_2025]]."), table) == []
    )


def test_a_figure_cited_more_than_twice_in_the_body(facts):
    cite = "Mexico supplied 15.5%[[fact:mex.imports.share.2024]] of imports."
    twice = draft(cite, standfirst=cite)
    assert checks(twice, facts) == []
    thrice = draft(cite, "Again, 15.5%[[fact:mex.imports.share.2024]] it was.", standfirst=cite)
    problems = writing_problems(thrice, facts)
    assert [(p.check, p.text) for p in problems] == [("repeated", "mex.imports.share.2024")]
    assert problems[0].message == "cited 3 times (at most 2)"


@pytest.mark.parametrize(
    "sentence",
    [
        "Tariffs reduced two-way trade by 2.0%[[fact:mex.imports.growth.2024]].",
        "Imports rose 6.5%[[fact:mex.imports.growth.2024]] because of nearshoring.",
        "Demand drove a gain of 1.2 percentage points[[fact:mex.imports.share.change.2019_2024]].",
        "Imports grew 6.5%[[fact:mex.imports.growth.2024]] thanks to new plants.",
    ],
)
def test_no_causal_word_beside_a_change_over_time(facts, sentence):
    assert checks(draft(sentence), facts) == ["causal"]


def test_a_comparison_without_a_cause_passes(facts):
    ok = draft(
        "Imports from Mexico were 6.5%[[fact:mex.imports.growth.2024]] higher than a year earlier. "
        "Tariffs took effect in March; the comparison does not say why."
    )
    assert checks(ok, facts) == []


def test_a_monthly_figure_names_its_month(facts):
    bad = draft("Of imports from Mexico, 85.0%[[fact:mex.usmca.share.2025-06]] claimed USMCA in 2025.")
    problems = writing_problems(bad, facts)
    assert [p.check for p in problems] == ["month"]
    assert problems[0].message == "mex.usmca.share.2025-06 is a monthly figure: name June 2025"
    good = draft("In June 2025, 85.0%[[fact:mex.usmca.share.2025-06]] of imports from Mexico claimed USMCA.")
    assert checks(good, facts) == []
    span = draft(
        "The share moved by 35.6 percentage points[[fact:mex.usmca.change.2024_2025]] from June 2024 to June 2025."
    )
    assert checks(span, facts) == []


def test_every_section_cites_a_fact(facts):
    assert checks(draft("Words only, no figure."), facts) == ["uncited-section"]


def test_no_two_sentences_in_a_row_open_alike(facts):
    bad = draft(
        "The share was 15.5%[[fact:mex.imports.share.2024]]. The rank was largest[[fact:mex.imports.rank.2024]]."
    )
    assert checks(bad, facts) == ["opener"]
    good = draft(
        "The share was 15.5%[[fact:mex.imports.share.2024]]. Its rank was largest[[fact:mex.imports.rank.2024]]."
    )
    assert checks(good, facts) == []
    # list items and their bold labels count; table rows do not
    table = draft(
        "Sectors:\n\n| Sector | Share |\n|---|---|\n| Autos | 31.4%[[fact:mex.auto.share.2024]] |\n"
        "| Autos again | 22.1%[[fact:mex.electronics.share.2024]] |"
    )
    assert checks(table, facts) == []
