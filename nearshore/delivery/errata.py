"""Errata: `check_archive` recomputes every archived fact at today's data and lists what changed;
`add_erratum` records a dated correction on the archive page (the original stays as it was) and sends a
short correction to exactly those who received the issue. The next issue's "What changed" lists it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from nearshore.delivery.changes import revised_facts
from nearshore.delivery.config import NewsletterConfig, SMTPConfig
from nearshore.delivery.db import Database
from nearshore.delivery.issues import issue_row
from nearshore.delivery.mailing import erratum_mailing
from nearshore.delivery.models import Delivery, Erratum, Issue
from nearshore.delivery.send import Progress, SendReport, plan, send_mailing
from nearshore.errors import DataNotFound, InputError
from nearshore.settings import Settings
from nearshore.writer.facts import FactTable, display

if TYPE_CHECKING:
    from nearshore.data.store import Store


@dataclass(frozen=True)
class FactChange:
    """An archived figure that today's data give differently."""

    issue: str
    fact_id: str
    label: str
    period: str
    old: str  # as the brief showed it
    new: str
    old_value: float
    new_value: float
    source: str
    old_vintage: str
    new_vintage: str


def _recompute(store: Store, topic: str, year: int) -> FactTable:
    from nearshore.writer.compose import compose_brief

    return compose_brief(store, topic, year).facts


def check_archive(
    db: Database, store: Store, ref: str | None = None, recompute: Callable[[Store, str, int], FactTable] = _recompute
) -> list[FactChange]:
    """Every archived fact (of one issue with `ref`) whose value at today's vintage differs."""
    with db.session() as session:
        rows = [issue_row(session, ref)] if ref else list(session.scalars(select(Issue).order_by(Issue.slug)))
        archived = [(i.slug, i.topic, i.year, FactTable.from_json(i.facts_json, i.slug)) for i in rows]
    cache: dict[tuple[str, int], FactTable | None] = {}
    found: list[FactChange] = []
    for slug, topic, year, facts in archived:
        if (topic, year) not in cache:
            try:
                cache[(topic, year)] = recompute(store, topic, year)
            except DataNotFound:
                cache[(topic, year)] = None  # the store no longer holds that year: nothing to compare
        today = cache[(topic, year)]
        if today is None:
            continue
        for old, new in revised_facts(facts, today):
            found.append(
                FactChange(
                    slug,
                    new.id,
                    new.label,
                    new.period,
                    display(old),
                    display(new),
                    old.value,
                    new.value,
                    new.source,
                    old.vintage,
                    new.vintage,
                )
            )
    return found


@dataclass(frozen=True)
class ErratumResult:
    issue: str
    number: int
    changes: tuple[FactChange, ...]
    report: SendReport | None


def _record(db: Database, slug: str, changes: list[FactChange], note: str, now: datetime) -> int:
    """The erratum's number: a new one, or the latest when it says the same (a re-run resumes its send)."""
    payload = json.dumps([asdict(c) for c in changes], sort_keys=True)
    with db.session() as session:
        issue = session.scalar(select(Issue).where(Issue.slug == slug))
        assert issue is not None
        latest = max(issue.errata, key=lambda e: e.number, default=None)
        if latest is not None and latest.changes_json == payload and latest.note == note:
            return latest.number
        number = (session.scalar(select(func.max(Erratum.number)).where(Erratum.issue_id == issue.id)) or 0) + 1
        session.add(Erratum(issue_id=issue.id, number=number, created_at=now, note=note, changes_json=payload))
        return number


def add_erratum(
    db: Database,
    ref: str,
    *,
    note: str = "",
    settings: Settings | None = None,
    store: Store | None = None,
    send: bool = True,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ErratumResult:
    """Correct an archived issue and mail the correction to those who received it."""
    from nearshore.data.snapshot import open_store

    settings = settings or Settings.load()
    now = now or datetime.now(UTC)
    with db.session() as session:
        slug = issue_row(session, ref).slug
    if store is None:
        with open_store(settings) as opened:
            changes = check_archive(db, opened, slug)
    else:
        changes = check_archive(db, store, slug)
    if not changes and not note.strip():
        raise InputError(
            f"nothing to correct in {slug}: every figure it published matches today's data; "
            "give --note to publish a correction anyway"
        )
    number = _record(db, slug, changes, note.strip(), now)
    report = None
    if send:
        news = NewsletterConfig.from_settings(settings)
        with db.session() as session:
            issue = issue_row(session, slug)
            erratum = next(e for e in issue.errata if e.number == number)
            mailing = erratum_mailing(issue, erratum, news)
            received = list(
                session.scalars(
                    select(Delivery.subscriber_id).where(Delivery.mailing == slug, Delivery.status == "sent")
                )
            )
        added = plan(db, mailing, received, now)
        report = send_mailing(db, SMTPConfig.from_settings(settings), mailing, planned=added, progress=progress)
    return ErratumResult(slug, number, tuple(changes), report)


__all__ = ["ErratumResult", "FactChange", "add_erratum", "check_archive"]
