"""Managing subscribers: list, remove, import a CSV, export, and one subscriber's data export and erasure.

Imports are all or nothing: every row is checked first (address, name, topics, frequency), each problem is
reported with file, row, column and value, and nothing is written while any remains. The same address on
several rows, or already subscribed, is merged (topics joined, the last frequency and name kept).
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select

from nearshore.delivery.addresses import check_frequency, check_topics, clean_name, normalise_email
from nearshore.delivery.db import Database
from nearshore.delivery.models import BounceReport, Delivery, Subscriber, Subscription
from nearshore.delivery.subscriber import SubscriberView
from nearshore.errors import AddressError, InputError, Problem, ValidationFailed

STATUSES = ("pending", "active", "unsubscribed", "suppressed")
CSV_COLUMNS = ("email", "name", "status", "frequency", "topics", "created_at", "confirmed_at", "ended_at", "reason")


def list_subscribers(db: Database, status: str | None = None, topic: str | None = None) -> list[SubscriberView]:
    """Subscribers by address, optionally only those with `status` or subscribed to `topic`."""
    if status is not None and status not in STATUSES:
        raise InputError(f"status {status!r} is not one of: {', '.join(STATUSES)}")
    query = select(Subscriber).order_by(Subscriber.email)
    if status:
        query = query.where(Subscriber.status == status)
    if topic:
        (chosen,) = check_topics([topic])
        query = query.where(Subscriber.topics.any(Subscription.topic == chosen))
    with db.session() as session:
        return [SubscriberView.of(row) for row in session.scalars(query)]


def _find(session: Any, email: str) -> Subscriber:
    address = normalise_email(email)
    row = session.scalar(select(Subscriber).where(Subscriber.email == address))
    if row is None:
        raise InputError(f"{address} is not a subscriber; `nearshore newsletter list` shows who is")
    assert isinstance(row, Subscriber)
    return row


def remove(db: Database, email: str, now: datetime | None = None) -> SubscriberView:
    """Unsubscribe an address on the operator's behalf (kept, so it is never mailed again; `erase` deletes it)."""
    with db.session() as session:
        row = _find(session, email)
        row.end("removed by the operator", now or datetime.now(UTC))
        return SubscriberView.of(row)


@dataclass(frozen=True)
class ImportRow:
    row: int
    email: str
    name: str
    topics: tuple[str, ...]
    frequency: str


@dataclass(frozen=True)
class ImportReport:
    added: int
    merged: int
    rows: int
    problems: tuple[Problem, ...] = field(default=())


def _read_rows(path: Path, default_topics: Sequence[str], default_frequency: str) -> list[ImportRow]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}; give a UTF-8 CSV file with an 'email' column") from None
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if "email" not in columns:
        raise InputError(
            f"{path}: no 'email' column (columns: {', '.join(columns) or 'none'}); the first line must name the "
            "columns: email, and optionally name, topics, frequency"
        )
    rows: list[ImportRow] = []
    problems: list[Problem] = []
    for number, raw in enumerate(reader, start=2):
        record = {(k or "").strip().lower(): (v or "") for k, v in raw.items() if k}
        item = _check_record(str(path), number, record, default_topics, default_frequency, problems)
        if item is not None:
            rows.append(item)
    if problems:
        raise ValidationFailed(problems, outcome="nothing was imported")
    return rows


def _check_record(
    file: str,
    number: int,
    record: dict[str, str],
    default_topics: Sequence[str],
    default_frequency: str,
    problems: list[Problem],
) -> ImportRow | None:
    checks: tuple[tuple[str, Callable[[], Any]], ...] = (
        ("email", lambda: normalise_email(record["email"])),
        ("name", lambda: clean_name(record.get("name", ""))),
        ("topics", lambda: check_topics(record.get("topics") or list(default_topics), "topics")),
        ("frequency", lambda: check_frequency(record.get("frequency") or default_frequency)),
    )
    values: dict[str, Any] = {}
    for column, check in checks:
        try:
            values[column] = check()
        except AddressError as exc:
            problems.append(Problem(file, number, column, exc.value, str(exc).split(" (value ")[0]))
    if len(values) < len(checks):
        return None
    return ImportRow(number, values["email"], values["name"], values["topics"], values["frequency"])


def import_csv(
    db: Database,
    path: Path,
    *,
    confirmed: bool = False,
    topics: Sequence[str] = ("us-mexico",),
    frequency: str = "weekly",
    now: datetime | None = None,
) -> ImportReport:
    """Import subscribers from a CSV (columns email, name, topics, frequency). With `confirmed` the addresses
    count as having opted in elsewhere and become active; otherwise they are pending (no mail is sent)."""
    now = now or datetime.now(UTC)
    rows = _read_rows(path, topics, frequency)
    added = merged = 0
    with db.session() as session:
        existing = {r.email: r for r in session.scalars(select(Subscriber))}
        for item in rows:
            row = existing.get(item.email)
            if row is None:
                row = Subscriber(
                    email=item.email,
                    key=secrets.token_urlsafe(16),
                    created_at=now,
                    source="import",
                    status="active" if confirmed else "pending",
                    confirmed_at=now if confirmed else None,
                    name=item.name,
                    frequency=item.frequency,
                )
                row.topics = [Subscription(topic=t) for t in item.topics]
                session.add(row)
                existing[item.email] = row
                added += 1
                continue
            merged += 1
            held = set(row.topic_names)
            row.topics = [Subscription(topic=t) for t in sorted(held | set(item.topics))]
            row.frequency = item.frequency
            row.name = item.name or row.name
            if confirmed and row.status == "pending":
                row.status, row.confirmed_at, row.confirm_nonce = "active", now, None
            session.flush()
    return ImportReport(added, merged, len(rows))


def export_csv(db: Database, status: str | None = None) -> str:
    """Every subscriber as CSV text (CSV_COLUMNS)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for view in list_subscribers(db, status):
        data = view.as_dict()
        writer.writerow([" ".join(data["topics"]) if c == "topics" else (data[c] or "") for c in CSV_COLUMNS])
    return buffer.getvalue()


def subscriber_data(db: Database, email: str) -> dict[str, Any]:
    """Everything held about one address: the subscription, every mailing sent to it, every bounce report."""
    with db.session() as session:
        row = _find(session, email)
        deliveries = session.scalars(select(Delivery).where(Delivery.subscriber_id == row.id).order_by(Delivery.id))
        bounces = session.scalars(select(BounceReport).where(BounceReport.email == row.email))
        return {
            "subscriber": SubscriberView.of(row).as_dict(),
            "deliveries": [
                {
                    "mailing": d.mailing,
                    "status": d.status,
                    "sent_at": d.sent_at.isoformat(timespec="seconds") if d.sent_at else None,
                    "message_id": d.message_id,
                }
                for d in deliveries
            ],
            "bounces": [
                {"kind": b.kind, "status": b.status, "detail": b.detail, "received_at": b.received_at.isoformat()}
                for b in bounces
            ],
        }


def erase(db: Database, email: str) -> dict[str, int]:
    """Delete everything held about one address (subscription, send log rows, bounce reports)."""
    with db.session() as session:
        row = _find(session, email)
        sent = cast(CursorResult[Any], session.execute(delete(Delivery).where(Delivery.subscriber_id == row.id)))
        bounces = cast(CursorResult[Any], session.execute(delete(BounceReport).where(BounceReport.email == row.email)))
        session.delete(row)
        return {"subscribers": 1, "deliveries": int(sent.rowcount or 0), "bounce_reports": int(bounces.rowcount or 0)}


__all__ = [
    "CSV_COLUMNS",
    "STATUSES",
    "ImportReport",
    "erase",
    "export_csv",
    "import_csv",
    "list_subscribers",
    "remove",
    "subscriber_data",
]
