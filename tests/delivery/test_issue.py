"""The issue mail built from the verified brief: subject, inlined HTML, plain text, what changed since the
last issue, and an issue that fails verification is never stored (so never sent)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from nearshore.delivery.db import Database
from nearshore.delivery.issues import build_issue, get_issue, list_issues, preview_html
from nearshore.delivery.models import Issue
from nearshore.errors import VerificationFailed
from nearshore.settings import Settings
from tests.delivery.conftest import NOW, news_env

SLUG = "us-mexico/2026-05-11"


def test_issue_from_the_brief(with_issue: Database) -> None:
    info = get_issue(with_issue, SLUG)
    assert info.topic == "us-mexico"
    assert info.year == 2025
    assert info.verified > 20
    assert info.changes == ()  # the first issue has nothing to compare with
    with with_issue.session() as session:
        row = session.scalar(select(Issue))
        assert row is not None
        facts = json.loads(row.facts_json)
        assert facts["format"] == "nearshore-facts/1"
        assert len(facts["facts"]) > 20
        assert row.subject == info.subject
        assert "[[fact:" not in row.subject
        assert "\n" not in row.subject
        assert [c.chart_id for c in row.charts] == ["partner-shares", "sector-composition", "usmca-claimed"]
        text = row.mail_text
    assert "[1]" in text
    assert "[^" not in text
    assert "[[fact:" not in text
    assert "[Chart: Line chart of shares of U.S. goods imports" in text
    assert "; query `" not in text
    assert "SELECT" not in text
    assert text.rstrip().endswith("Unsubscribe: nsxLINKxPLACEHOLDERx7q")


def test_preview_shows_charts_without_cid(with_issue: Database, tmp_path: Path) -> None:
    page = preview_html(with_issue, SLUG)
    assert page.count('src="data:image/png;base64,') == 3
    assert "cid:" not in page


def test_what_changed_since_the_last_issue(with_issue: Database) -> None:
    """The previous issue is made to look older: one month less of Census data, a vintage fewer, one tariff
    measure not yet in the policy file, one figure published differently. The next issue lists each."""
    with with_issue.session() as session:
        row = session.scalar(select(Issue))
        assert row is not None
        state = json.loads(row.state_json)
        census = state["data"]["census-country"]
        latest = census["latest"]
        census["latest"] = "2025-11"
        dropped_vintage = census["vintages"].pop()
        removed = next(iter(state["policy"]["measures"]))
        citation = state["policy"]["measures"].pop(removed)["citation"]
        row.state_json = json.dumps(state)
        facts = json.loads(row.facts_json)
        target = next(f for f in facts["facts"] if f["id"] == "mex.imports.share.2025")
        target["value"] = target["value"] - 0.3
        row.facts_json = json.dumps(facts)
    info = build_issue(with_issue, "us-mexico", settings=Settings.load(news_env(25)), now=NOW + timedelta(days=7))
    texts = {c.kind: c for c in info.changes}
    assert texts["data"].text == f"New data: census-country now runs to {latest} (the last issue had data to 2025-11)."
    assert dropped_vintage in texts["data"].source
    revision = next(c for c in info.changes if c.kind == "revision")
    assert revision.text.startswith("Revised: ")
    assert "is now 15.6%, was 15.3%" in revision.text
    assert "census-country" in revision.source
    policy = next(c for c in info.changes if c.kind == "policy")
    assert removed in policy.text
    assert policy.source == citation
    with with_issue.session() as session:
        newest = session.scalar(select(Issue).where(Issue.slug == info.slug))
        assert newest is not None
        html, text = newest.mail_html, newest.mail_text
    assert "What changed since the last issue" in html
    assert 'data-verify="skip"' in html
    assert html.index("What changed") < html.index("<h1")
    assert text.startswith("What changed since the last issue\n")
    assert [i.slug for i in list_issues(with_issue)] == [SLUG, info.slug]


def test_same_day_returns_the_stored_issue(with_issue: Database) -> None:
    again = build_issue(with_issue, "us-mexico", settings=Settings.load(news_env(25)), now=NOW + timedelta(hours=3))
    assert again.slug == SLUG
    assert len(list_issues(with_issue)) == 1


def test_issue_failing_verification_is_never_stored(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from nearshore.delivery import render

    real = render.mail_html

    def wrong_figure(*args, **kwargs):  # a renderer that slipped a wrong number into the text
        page = real(*args, **kwargs)
        bad = '<p>Imports were $1.0 billion<sup><a href="#fact-1" data-fact="mex.imports.value.2025">1</a></sup>.</p>'
        return page.replace("</article>", bad + "</article>", 1)

    monkeypatch.setattr(render, "mail_html", wrong_figure)
    with pytest.raises(VerificationFailed, match=r"issue us-mexico/2026-05-11 was not built, so it cannot be sent"):
        build_issue(db, "us-mexico", settings=Settings.load(news_env(25)), now=NOW)
    assert list_issues(db) == []
