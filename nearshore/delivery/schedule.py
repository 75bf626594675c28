"""`newsletter run`: the one command a cron line or a systemd timer calls.

For each topic with subscribers: if the store or the tariff policy file has anything new since the topic's
last issue (or there is no issue yet, or a correction was made since), build today's issue (verified,
archived); then send the topic's latest issue to every active subscriber who is due by frequency and has
not had it. Unconfirmed sign-ups past their link's life are purged. Running it twice on one day builds
nothing twice and mails nobody twice; after a crash it finishes the interrupted send.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from nearshore.delivery import changes as ch
from nearshore.delivery.addresses import TOPICS
from nearshore.delivery.config import NewsletterConfig
from nearshore.delivery.db import Database
from nearshore.delivery.issues import build_issue, errata_since
from nearshore.delivery.models import Issue
from nearshore.delivery.optin import purge_unconfirmed
from nearshore.delivery.send import Progress, SendReport
from nearshore.delivery.service import due_subscribers, received, send_issue, topic_subscribers
from nearshore.settings import Settings

if TYPE_CHECKING:
    from nearshore.data.store import Store


@dataclass(frozen=True)
class TopicRun:
    topic: str
    subscribers: int
    built: str = ""  # slug of the issue built today, if any
    reason: str = ""  # why it was (or was not) built
    issue: str = ""  # the issue sent
    due: int = 0
    report: SendReport | None = None


@dataclass(frozen=True)
class RunReport:
    dry_run: bool
    topics: tuple[TopicRun, ...]
    purged: int
    notes: tuple[str, ...] = field(default=())

    def lines(self) -> list[str]:
        verb = "would " if self.dry_run else ""
        out: list[str] = []
        for t in self.topics:
            if t.built:
                out.append(f"{t.topic}: {verb}build {t.built} ({t.reason})")
            elif t.reason:
                out.append(f"{t.topic}: no new issue ({t.reason})")
            if t.issue:
                sent = (
                    f"{t.report.sent} sent, {t.report.failed} failed, {t.report.deferred} deferred" if t.report else ""
                )
                out.append(
                    f"{t.topic}: {verb}send {t.issue} to {t.due} due subscriber(s)" + (f": {sent}" if sent else "")
                )
        out.append(
            f"{verb}purge {self.purged} unconfirmed sign-up(s)"
            if self.dry_run
            else f"purged {self.purged} unconfirmed sign-up(s)"
        )
        return out + list(self.notes)


def _news_since(db: Database, store: Store, topic: str, today: str) -> tuple[bool, str]:
    """(build?, why): anything new in the store or policy since the topic's last issue, or a correction."""
    with db.session() as session:
        last = session.scalar(select(Issue).where(Issue.topic == topic).order_by(Issue.slug.desc()).limit(1))
        if last is None:
            return True, "first issue"
        if last.slug.endswith(today):
            return False, f"{last.slug} was built today"
        old = json.loads(last.state_json)
        errata = errata_since(session, topic, last.created_at)
    new = ch.capture_state(store)
    found = ch.data_changes(old, new) + ch.policy_changes(old, new) + errata
    if found:
        return True, "; ".join(c.text for c in found[:3]) + (f" (+{len(found) - 3} more)" if len(found) > 3 else "")
    return False, f"nothing new since {last.slug}"


def run_newsletter(
    db: Database,
    *,
    settings: Settings | None = None,
    store: Store | None = None,
    topics: tuple[str, ...] = TOPICS,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Build what is new, send to whoever is due, purge stale sign-ups (see the module docstring)."""
    from nearshore.data.snapshot import open_store

    settings = settings or Settings.load()
    now = now or datetime.now(UTC)
    if store is None:
        with open_store(settings) as opened:
            return _run(db, settings, opened, topics, dry_run, now, progress)
    return _run(db, settings, store, topics, dry_run, now, progress)


def _run(
    db: Database,
    settings: Settings,
    store: Store,
    topics: tuple[str, ...],
    dry_run: bool,
    now: datetime,
    progress: Progress | None,
) -> RunReport:
    news = NewsletterConfig.from_settings(settings)
    if not dry_run:
        news.require_sender(), news.require_url(), news.require_secret()
    runs = []
    today = now.date().isoformat()
    for topic in topics:
        subscribers = len(topic_subscribers(db, topic))
        if not subscribers:
            continue
        build, why = _news_since(db, store, topic, today)
        built = ""
        if build:
            built = (
                f"{topic}/{today}" if dry_run else build_issue(db, topic, settings=settings, store=store, now=now).slug
            )
        with db.session() as session:
            latest = session.scalar(select(Issue.slug).where(Issue.topic == topic).order_by(Issue.slug.desc()).limit(1))
        issue = built or latest or ""
        due = [i for i in due_subscribers(db, topic, now.date()) if i not in received(db, issue)] if issue else []
        report = None
        if issue and due and not dry_run:
            report = send_issue(db, issue, audience="due", settings=settings, progress=progress, today=now.date())
        runs.append(TopicRun(topic, subscribers, built, why, issue if due else "", len(due), report))
    purged = 0 if dry_run else purge_unconfirmed(db, news.confirm_days, now)
    return RunReport(dry_run, tuple(runs), purged)


__all__ = ["RunReport", "TopicRun", "run_newsletter"]
