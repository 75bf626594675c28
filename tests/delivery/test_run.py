"""`newsletter run`: builds when there is something new, sends to whoever is due by frequency, does nothing
twice on the same day, and says what it would do with --dry-run."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

from nearshore.data.snapshot import open_store
from nearshore.delivery.db import Database
from nearshore.delivery.issues import list_issues
from nearshore.delivery.schedule import run_newsletter
from nearshore.delivery.send import count
from tests.delivery.conftest import NOW, Mail
from tests.delivery.helpers import add_readers


def test_run_builds_once_and_sends_by_frequency(db: Database, mail: Mail, tmp_path: Path) -> None:
    daily = add_readers(db, tmp_path, 2, frequency="daily")
    weekly_path = tmp_path / "weekly.csv"
    weekly_path.write_text("email,frequency\nweekly0@example.org,weekly\nweekly1@example.org,weekly\n")
    from nearshore.delivery.subscribers import import_csv

    import_csv(db, weekly_path, confirmed=True)
    settings = mail.settings()
    with open_store() as store:
        dry = run_newsletter(db, settings=settings, store=store, now=NOW, dry_run=True)
        assert dry.lines()[0] == "us-mexico: would build us-mexico/2026-05-11 (first issue)"
        assert list_issues(db) == []
        assert mail.inbox.received == []

        first = run_newsletter(db, settings=settings, store=store, now=NOW)
        (topic,) = first.topics
        assert (topic.built, topic.reason, topic.due) == ("us-mexico/2026-05-11", "first issue", 4)
        assert topic.report is not None
        assert topic.report.sent == 4

        again = run_newsletter(db, settings=settings, store=store, now=NOW + timedelta(hours=6))
        assert again.topics[0].built == ""
        assert again.topics[0].reason == "us-mexico/2026-05-11 was built today"
        assert again.topics[0].report is None
        assert len(mail.inbox.received) == 4

        next_day = run_newsletter(db, settings=settings, store=store, now=NOW + timedelta(days=1))
        assert next_day.topics[0].reason == "nothing new since us-mexico/2026-05-11"
        assert next_day.topics[0].issue == ""  # the daily readers already have the latest issue

        late = tmp_path / "late.csv"
        late.write_text("email,frequency\nlate@example.org,monthly\n")
        import_csv(db, late, confirmed=True)
        later = run_newsletter(db, settings=settings, store=store, now=NOW + timedelta(days=2))
        assert later.topics[0].due == 1
        assert later.topics[0].report is not None
    received = Counter(mail.inbox.recipients())
    assert received == Counter(
        {**dict.fromkeys(daily, 1), "weekly0@example.org": 1, "weekly1@example.org": 1, "late@example.org": 1}
    )
    assert count(db, "us-mexico/2026-05-11") == {"sent": 5}
    assert len(list_issues(db)) == 1


def test_run_with_no_subscribers_does_nothing(db: Database, mail: Mail) -> None:
    with open_store() as store:
        report = run_newsletter(db, settings=mail.settings(), store=store, now=NOW)
    assert report.topics == ()
    assert list_issues(db) == []
