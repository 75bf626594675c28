"""How the brief is laid out for a reader: charts that need no decoding, notes in words, and a PDF whose pages are
not left half empty before a chart."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from nearshore.data.snapshot import seed_from_snapshot
from nearshore.data.store import Store
from nearshore.writer.charts import Series, _figure, partner_shares, sector_composition, usmca_claimed
from nearshore.writer.colophon import BriefInfo
from nearshore.writer.compose import compose_brief
from nearshore.writer.facts import Fact
from nearshore.writer.notes import note_text, period_words, source_words
from nearshore.writer.pdf import layout
from nearshore.writer.template import write_brief

MONTHS = [(f"2025-{m:02d}", 40.0 + m * 4) for m in range(1, 13)]


def labels(ticks) -> list[str]:
    return [t.get_text() for t in ticks]


def test_line_chart_has_axis_titles_the_last_year_and_each_last_value():
    years = [str(y) for y in range(2006, 2026)]
    chart = partner_shares(
        [
            Series("Mexico", tuple((y, 10.0 + i * 0.3) for i, y in enumerate(years))),
            Series("China", tuple((y, 21.0 - i * 0.6) for i, y in enumerate(years))),
        ],
        "Census",
    )
    ax = _figure(chart).axes[0]
    assert ax.get_ylabel() == "Share of U.S. goods imports (%)"
    assert ax.get_xlabel() == "Year"
    assert labels(ax.get_xticklabels())[-1] == "2025"  # the last year is on the axis
    texts = [t.get_text() for t in ax.texts]
    assert "15.7%" in texts
    assert "9.6%" in texts
    low, high = ax.get_ylim()
    assert low == 0
    assert high >= 21.0
    assert chart.caption == "Mexico and China: share of U.S. goods imports by year, 2006-2025."


def test_monthly_chart_reads_jan_to_dec_with_values_and_the_tariff_marker():
    chart = usmca_claimed("Mexico", MONTHS, "Census")
    ax = _figure(chart).axes[0]
    assert labels(ax.get_xticklabels()) == [
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ]
    texts = [t.get_text() for t in ax.texts]
    assert "44%" in texts
    assert "88%" in texts
    assert "tariffs from 4 Mar" in texts
    (marker,) = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert marker.get_xdata()[0] == 1.5  # between February and March
    assert ax.get_ylabel() == "Share of imports claiming USMCA (%)"
    no_march = usmca_claimed("Mexico", [(f"2024-{m:02d}", 50.0) for m in range(1, 13)], "Census")
    assert "tariffs from 4 Mar" not in [t.get_text() for t in _figure(no_march).axes[0].texts]


def test_bar_chart_labels_values_and_says_what_it_counts():
    chart = sector_composition(
        "Mexico", [("Vehicles", 27.0), ("Machinery", 20.8)], "Census", what="chapter", year="2024"
    )
    ax = _figure(chart).axes[0]
    assert ax.get_xlabel() == "Share of U.S. imports from Mexico (%)"
    assert {t.get_text() for t in ax.texts} == {"27.0%", "20.8%"}
    assert chart.title == "U.S. imports from Mexico by HS chapter, 2024"
    assert chart.caption == "Mexico: share of U.S. imports by HS chapter, 2024; the largest chapters."


def test_notes_are_written_in_words():
    fact = Fact(
        "mex.imports.share.2025",
        15.648,
        "percent",
        "2025",
        "Mexico's share of U.S. imports",
        "census-country",
        "2026-07",
        "SELECT 1",
        "imports MEX / imports world",
    )
    assert note_text(fact) == (
        "Mexico's share of U.S. imports, 2025: 15.6%. U.S. Census Bureau, U.S. International Trade in Goods by "
        "country (FT-900), July 2026 release."
    )
    assert period_words("2025-03..2025-12") == "March-December 2025"
    assert period_words("2024..2025") == "2025 against 2024"
    assert period_words("2026-07-01") == "1 July 2026"
    date_fact = Fact(
        "usmca.review.date",
        2026,
        "year",
        "2026-07-01",
        "deadline of the joint review",
        "USMCA Article 34.7: paragraph 2 (https://example.org)",
        "",
    )
    assert (
        note_text(date_fact)
        == "Deadline of the joint review: 1 July 2026. USMCA Article 34.7: paragraph 2 (https://example.org)."
    )
    assert source_words(date_fact) == "USMCA Article 34.7: paragraph 2 (https://example.org)"


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with Store() as s:
        assert seed_from_snapshot(s)
        yield s


@pytest.mark.parametrize(("topic", "year"), [("us-mexico", 2025), ("us-canada", 2024), ("north-america", 2025)])
def test_no_half_empty_page_before_a_chart(store, topic, year):
    composition = compose_brief(store, topic, year, today=date(2026, 12, 3))
    draft = write_brief(composition.outline, composition.facts)
    page = layout(draft, composition.facts, composition.charts, BriefInfo(), 0)
    assert page.pdf.output()  # writing the document also closes its font files
    assert [chart_id for chart_id, _, _ in page.placed] == [c.id for c in composition.charts]  # every chart, in order
    assert all(scale >= 0.6 for _, _, scale in page.placed)
    height = page.pdf.h - page.pdf.t_margin - page.pdf.b_margin
    # a page ends early for a chart only when the text that follows could not fit on it either
    assert all(room < 0.25 * height for room in page.breaks), page.breaks
