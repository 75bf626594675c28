"""Errata and the archive: an archived figure that today's data give differently is found, corrected on the
archive page beside the original, mailed to exactly those who received the issue, listed in the next issue's
"What changed", and the archive's Atom and RSS feeds (parsed back with feedparser) say so."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
from sqlalchemy import select

from nearshore.data.snapshot import open_store
from nearshore.data.store import Store
from nearshore.delivery.archive import archive_page, build_archive
from nearshore.delivery.db import Database
from nearshore.delivery.errata import add_erratum, check_archive
from nearshore.delivery.issues import build_issue
from nearshore.delivery.models import Issue
from nearshore.delivery.service import send_issue
from nearshore.errors import InputError
from tests.delivery.conftest import BASE_URL, NOW, Mail
from tests.delivery.helpers import add_readers

SLUG = "us-mexico/2026-05-11"
FACT = "mex.imports.share.2025"


@pytest.fixture
def store() -> Iterator[Store]:
    with open_store() as opened:
        yield opened


def publish_an_older_figure(db: Database) -> float:
    """Make the archived issue say what an older vintage said: the share 0.3 points lower."""
    with db.session() as session:
        row = session.scalar(select(Issue))
        assert row is not None
        facts = json.loads(row.facts_json)
        fact = next(f for f in facts["facts"] if f["id"] == FACT)
        fact["value"] -= 0.3
        fact["vintage"] = "2026-01"
        row.facts_json = json.dumps(facts)
        return float(fact["value"])


def test_check_finds_nothing_when_the_data_have_not_changed(with_issue: Database, store: Store) -> None:
    assert check_archive(with_issue, store) == []
    with pytest.raises(InputError, match=r"nothing to correct in us-mexico/2026-05-11: every figure it published"):
        add_erratum(with_issue, SLUG, store=store, send=False)


def test_errata_end_to_end(with_issue: Database, store: Store, mail: Mail, tmp_path: Path) -> None:
    first = add_readers(with_issue, tmp_path, 3)
    send_issue(with_issue, SLUG, settings=mail.settings())
    later = [f"late{i}@example.org" for i in range(2)]
    (tmp_path / "late.csv").write_text("email\n" + "\n".join(later) + "\n")
    from nearshore.delivery.subscribers import import_csv

    import_csv(with_issue, tmp_path / "late.csv", confirmed=True)
    old = publish_an_older_figure(with_issue)

    changes = check_archive(with_issue, store)
    assert [(c.issue, c.fact_id) for c in changes] == [(SLUG, FACT)]
    change = changes[0]
    assert change.old_value == pytest.approx(old)
    assert change.new_value == pytest.approx(old + 0.3)
    assert (change.old, change.new) == ("15.3%", "15.6%")
    assert change.old_vintage == "2026-01"
    assert change.new_vintage != "2026-01"
    assert "census" in change.source

    mail.inbox.received.clear()
    result = add_erratum(
        with_issue,
        SLUG,
        note="Census revised 2025 imports.",
        settings=mail.settings(),
        store=store,
        now=NOW + timedelta(days=2),
    )
    assert result.number == 1
    assert result.report is not None
    assert result.report.sent == 3
    assert sorted(mail.inbox.recipients()) == sorted(first)  # exactly those who received the issue
    correction = mail.inbox.messages()[0]
    assert correction["Subject"].startswith("Correction: Mexico's sales to the U.S.")
    body = correction.get_body(("plain",)).get_content()
    assert "Census revised 2025 imports." in body
    assert "now 15.6%, was 15.3%" in body
    assert correction["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    again = add_erratum(with_issue, SLUG, note="Census revised 2025 imports.", settings=mail.settings(), store=store)
    assert again.number == 1
    assert again.report is not None
    assert again.report.sent == 0
    assert len(mail.inbox.received) == 3

    page = archive_page(with_issue, SLUG)
    assert page.index('class="erratum"') < page.index("<h1")
    assert "Correction, 2026-05-13" in page
    assert "now 15.6%, was 15.3%" in page
    with with_issue.session() as session:
        row = session.scalar(select(Issue))
        assert row is not None
        assert row.brief_html.split("<h1")[1] in page

    following = build_issue(with_issue, "us-mexico", store=store, settings=mail.settings(), now=NOW + timedelta(days=7))
    errata = [c for c in following.changes if c.kind == "erratum"]
    assert len(errata) == 1
    assert "Correction 2026-05-13 to the issue of 2026-05-11" in errata[0].text


def test_archive_site_and_feeds(with_issue: Database, store: Store, tmp_path: Path) -> None:
    build_issue(with_issue, "us-canada", store=store, now=NOW + timedelta(days=1))
    publish_an_older_figure(with_issue)
    add_erratum(with_issue, SLUG, store=store, send=False, now=NOW + timedelta(days=2))
    out = tmp_path / "site"
    (out / "stale.html").parent.mkdir(parents=True)
    (out / "stale.html").write_text("left from an older build")
    report = build_archive(with_issue, out, f"{BASE_URL}/archive")
    assert report.issues == 2
    assert report.topics == ("us-canada", "us-mexico")
    assert not (out / "stale.html").exists()  # the site is replaced whole
    for slug in (SLUG, "us-canada/2026-05-12"):
        assert (out / slug / "index.html").is_file()
        facts = json.loads((out / slug / "facts.json").read_text())
        assert facts["format"] == "nearshore-facts/1"
    index = (out / "index.html").read_text()
    assert index.index("us-canada/2026-05-12/") < index.index("us-mexico/2026-05-11/")  # newest first
    assert "2026-05-13" in index  # the correction date

    atom = feedparser.parse((out / "atom.xml").read_bytes())
    rss = feedparser.parse((out / "rss.xml").read_bytes())
    assert atom.version == "atom10"
    assert rss.version == "rss20"
    assert not atom.bozo
    assert not rss.bozo
    for parsed in (atom, rss):
        links = [e.link for e in parsed.entries]
        assert links == [f"{BASE_URL}/archive/us-canada/2026-05-12/", f"{BASE_URL}/archive/{SLUG}/"]
        mexico = parsed.entries[1]
        assert mexico.title.startswith("Mexico's sales to the U.S.")
        assert "Corrected 2026-05-13." in mexico.summary
    assert atom.entries[1].id == f"{BASE_URL}/archive/{SLUG}/"
    assert atom.entries[1].updated.startswith("2026-05-13")
    assert atom.entries[1].published.startswith("2026-05-11")
    assert rss.entries[1].guidislink or rss.entries[1].id == f"{BASE_URL}/archive/{SLUG}/"
    topic_feed = feedparser.parse((out / "us-canada" / "atom.xml").read_bytes())
    assert [e.link for e in topic_feed.entries] == [f"{BASE_URL}/archive/us-canada/2026-05-12/"]
