"""Regression tests of issue 10, section 2: each edit that passed the verifier in the fuzz campaign (29 of 85
tampered briefs), made to the real U.S.-Mexico 2025 brief in Markdown and HTML, is now caught with the kind
named. And the apparatus checks on their own: notes, marks, alt texts, and facts files without chart data."""

from __future__ import annotations

import dataclasses

import pytest

from nearshore.writer.apparatus import check_alt_text
from nearshore.writer.facts import ChartData, FactTable
from nearshore.writer.verifier import check_file, verify_document

from .real_briefs import RealBrief, real_briefs


@pytest.fixture(scope="module")
def mexico() -> RealBrief:
    return next(b for b in real_briefs() if b.name == "us-mexico-2025")


EDITS = [
    ("up from 15.4%", "down from 15.4%", "path"),
    ("a gain of 0.2", "a loss of 0.2", "direction"),
    ("increased 6.2%", "fell 6.2%", "direction"),
    ("goods deficit of $197.0 billion", "goods surplus of $197.0 billion", "balance"),
    (
        "U.S. goods deficit with Mexico (exports minus imports), 2025",
        "U.S. goods surplus with Mexico (exports minus imports), 2025",
        "balance",
    ),
    ("carries the highest rate", "carries the lowest rate", "superlative"),
    ("and agriculture and food the lowest", "and agriculture and food the highest", "superlative"),
    ("Canada supplied 11.2%", "Mexico supplied 11.2%", "partner"),
    ("goods deficit of $197.0 billion", "goods deficit of EUR/MXN 197.0 billion", "currency"),
    ("China from 15.5% to 9.0%", "China from 95.5% to 9.0%", "alt-text"),
    ("2025-01 to 2025-12: from", "2024-01 to 2025-12: from", "alt-text"),
    ("highest 89.1% in 2025-11", "highest 89.1% in 2025-10", "alt-text"),
    ("by partner, 2006 to 2025", "by partner, 2016 to 2025", "alt-text"),
    ("U.S. imports, 2025: 15.6%.", "U.S. imports, 2025: 95.6%.", "note"),
    ("Mexico's share of U.S. imports, 2025: 15.6%.", "Canada's share of U.S. imports, 2025: 15.6%.", "note"),
]


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize(("old", "new", "kind"), EDITS, ids=[f"{e[2]}:{e[1][:30]}" for e in EDITS])
def test_each_edit_of_the_issue_is_caught(mexico, fmt, old, new, kind):
    text = getattr(mexico, fmt)
    if fmt == "html":
        old, new = old.replace("'", "&#39;"), new.replace("'", "&#39;")
    assert old in text
    report = verify_document(text.replace(old, new, 1), fmt, mexico.facts, mexico.name)
    assert kind in {f.kind for f in report.findings}, report.summary()


def test_a_figure_cited_with_another_facts_note(mexico):
    # Markdown: the note of the 2025 share given the text of the 2024 share's note
    notes = {line.split("]: ", 1)[0]: line for line in mexico.md.splitlines() if line.startswith("[^")}
    this, other = notes["[^mex.imports.share.2025"], notes["[^mex.imports.share.2024"]
    swapped = mexico.md.replace(this, "[^mex.imports.share.2025]: " + other.split("]: ", 1)[1])
    report = verify_document(swapped, "md", mexico.facts)
    assert [f.kind for f in report.findings] == ["note"]
    assert report.findings[0].message.startswith(
        "the note of mex.imports.share.2025 does not show the fact's value 15.6%; holds 2024, 15.4"
    )
    # HTML: the mark of the 2025 share leads to note 13 (the 2024 share's)
    mark = '<a href="#fact-6" data-fact="mex.imports.share.2025" id="ref-6">6</a>'
    assert mark in mexico.html
    moved = mexico.html.replace(mark, '<a href="#fact-13" data-fact="mex.imports.share.2025" id="ref-6">13</a>', 1)
    report = verify_document(moved, "html", mexico.facts)
    assert [(f.kind, f.message) for f in report.findings] == [
        ("reference", "the mark '13' cites mex.imports.share.2025 but leads to the note of mex.imports.share.2024")
    ]


def test_a_cited_fact_without_its_note_is_found(mexico):
    line = next(x for x in mexico.md.splitlines() if x.startswith("[^mex.balance.2025]:"))
    report = verify_document(mexico.md.replace(line + "\n", ""), "md", mexico.facts)
    assert [f.message for f in report.findings] == [
        "the text cites mex.balance.2025, but no note gives it; every cited fact needs its note"
    ]


def test_a_facts_file_without_chart_data_checks_the_rest(mexico, tmp_path):
    """A brief written before facts files held the charts' data: the alt texts cannot be checked, the rest is."""
    old = dataclasses.replace(mexico.facts, charts=())
    (tmp_path / "b.md").write_text(mexico.md.replace("China from 15.5%", "China from 95.5%"), encoding="utf-8")
    old.save(tmp_path / "b.facts.json")
    report = check_file(tmp_path / "b.md")
    assert report.ok
    assert report.alt_texts == 0
    assert report.notes > 0
    mexico.facts.save(tmp_path / "b.facts.json")
    assert [f.kind for f in check_file(tmp_path / "b.md").findings] == ["alt-text"]
    assert FactTable.load(tmp_path / "b.facts.json").charts == mexico.facts.charts


def test_alt_text_statements_against_the_data():
    chart = ChartData(
        "usmca-claimed", (("Mexico", (("2025-01", 45.34), ("2025-02", 47.0), ("2025-03", 76.4), ("2025-04", 60.0))),)
    )
    good = "Bar chart, 2025-01 to 2025-04: from 45.3% to 60.0%, lowest 45.3% in 2025-01, highest 76.4% in 2025-03."
    assert check_alt_text(good, chart) == []
    problems = check_alt_text(good.replace("highest 76.4%", "highest 60.0%"), chart)
    assert problems == [("60.0%", "60.0% is not what the chart plots there (76.4%)")]
    assert check_alt_text(good.replace("from 45.3%", "from 47.0%"), chart) == [
        ("47.0%", "47.0% is not what the chart plots there (45.3%)")
    ]
    assert check_alt_text(good.replace("2025-01 to", "2024-12 to"), chart) == [
        ("2024-12", "2024-12 is not a period the chart plots (it plots 2025-01 to 2025-04)")
    ]
    bars = ChartData("sector-composition", (("Mexico", (("Electronics", 34.7), ("Automotive", 27.0))),))
    listed = "Bar chart of the sectors, largest first: Electronics 34.7%; Automotive 27.0%."
    assert check_alt_text(listed, bars) == []
    swapped = "Bar chart of the sectors, largest first: Automotive 34.7%; Electronics 27.0%."
    assert [w for w, _ in check_alt_text(swapped, bars)] == ["34.7%", "27.0%", "largest first"]
