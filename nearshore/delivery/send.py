"""Sending a mailing: plan the audience into the send log, then send each pending row, rate-limited, with
retries and backoff, recording every outcome. Running the same send again after a crash, a kill -9 or a
failed server finishes the job and sends nobody a message twice.

A row becomes 'sent' in a transaction committed after the message's content and before the final "." of
DATA (see `smtp.send_message`). So a process killed before that commit left an incomplete DATA, which the
server discards, and the row is still pending; one killed after it finds the row sent, and the connection's
keeper (`keeper.py`) holds it open so the server finishes reading the message. If the server then
answers with an error, or the connection fails before it answers, the row goes back to pending (4xx, drops)
or to failed (5xx), so nothing is lost.
"""

from __future__ import annotations

import contextlib
import functools
import smtplib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, and_, exists, func, insert, literal, select, update

from nearshore.delivery.config import SMTPConfig
from nearshore.delivery.db import Database
from nearshore.delivery.keeper import Keeper, hold_connection
from nearshore.delivery.lock import send_lock
from nearshore.delivery.mailing import Mailing
from nearshore.delivery.models import Delivery, Subscriber
from nearshore.delivery.smtp import CONNECTION_ERRORS, SMTPReply, connect, describe, prepare, quit_quietly
from nearshore.delivery.smtp import send_message as smtp_send
from nearshore.errors import MailServerError

Progress = Callable[[int, int], None]
BATCH = 500
BACKOFF = 0.5  # seconds before the first retry; doubled each time, at most MAX_BACKOFF
MAX_BACKOFF = 30.0


@dataclass(frozen=True)
class SendReport:
    mailing: str
    planned: int  # rows added to the send log by this run
    sent: int
    failed: int
    deferred: int  # temporary failures left pending for the next run
    skipped: int  # unsubscribed or suppressed since planning
    already: int  # sent by an earlier run
    seconds: float
    failures: tuple[str, ...] = field(default=())

    @property
    def rate(self) -> float:
        return self.sent / self.seconds if self.seconds > 0 else 0.0


def plan(db: Database, mailing: Mailing, subscriber_ids: Sequence[int] | None, now: datetime | None = None) -> int:
    """Add a pending send-log row for each active subscriber in `subscriber_ids` (None: everyone active)
    who has no row for this mailing yet; the number added."""
    now = now or datetime.now(UTC)
    already = exists().where(and_(Delivery.mailing == mailing.key, Delivery.subscriber_id == Subscriber.id))
    chosen = select(
        literal(mailing.key),
        literal(mailing.issue_id),
        Subscriber.id,
        literal("pending"),
        literal(0),
        literal(""),
        literal(""),
        literal(now, Delivery.planned_at.type),
    ).where(Subscriber.status == "active", ~already)
    total = 0
    columns = ["mailing", "issue_id", "subscriber_id", "status", "attempts", "error", "message_id", "planned_at"]
    chunks = (
        [None] if subscriber_ids is None else [subscriber_ids[i : i + 900] for i in range(0, len(subscriber_ids), 900)]
    )
    with db.session() as session:
        for chunk in chunks:
            query = chosen if chunk is None else chosen.where(Subscriber.id.in_(chunk))
            result = session.execute(insert(Delivery).from_select(columns, query))
            total += cast(CursorResult[Any], result).rowcount or 0
    return int(total)


class _Sender:
    """The send loop's state: the open SMTP connection, the database connection, the pacing clock."""

    def __init__(
        self,
        db: Database,
        config: SMTPConfig,
        mailing: Mailing,
        sleep: Callable[[float], None],
        now: Callable[[], datetime],
    ) -> None:
        self.db, self.config, self.mailing, self.sleep, self.now = db, config, mailing, sleep, now
        self.smtp: smtplib.SMTP | None = None
        self.keeper = Keeper(None)
        self.interval = 1.0 / config.rate if config.rate > 0 else 0.0
        self.next_at = 0.0
        self.counts = {"sent": 0, "failed": 0, "deferred": 0, "skipped": 0}
        self.failures: list[str] = []

    def pace(self) -> None:
        if not self.interval:
            return
        moment = time.monotonic()
        if moment < self.next_at:
            self.sleep(self.next_at - moment)
        self.next_at = max(self.next_at, moment) + self.interval

    def set(self, conn: Connection, row_id: int, **values: Any) -> None:
        conn.execute(update(Delivery).where(Delivery.id == row_id).values(**values))
        conn.commit()

    def mark_sent(self, conn: Connection, row_id: int, message_id: str, attempts: int) -> None:
        self.set(conn, row_id, status="sent", sent_at=self.now(), message_id=message_id, attempts=attempts, error="")

    def deliver(self, conn: Connection, row: Any) -> None:
        recipient = self.mailing.recipient(row.id, row.email, row.name, row.key)
        data = prepare(self.mailing.template.personalise(recipient))
        attempts = row.attempts
        last = ""
        for attempt in range(self.config.retries + 1):
            if attempt:
                self.sleep(min(MAX_BACKOFF, BACKOFF * 2 ** (attempt - 1)))
            mark = functools.partial(self.mark_sent, conn, row.id, recipient.message_id, attempts + 1)
            try:
                if self.smtp is None:
                    self.smtp = connect(self.config)
                    self.keeper = hold_connection(self.smtp.sock, self.config.timeout)
                self.pace()
                undo = functools.partial(self.set, conn, row.id, status="pending", sent_at=None)
                smtp_send(self.smtp, self.mailing.sender, row.email, data, mark, undo)
                self.counts["sent"] += 1
                return
            except SMTPReply as reply:
                attempts += 1
                last = str(reply)[:480]
                if reply.stage == "MAIL FROM" and reply.permanent:
                    self.set(conn, row.id, status="pending", sent_at=None, attempts=attempts, error=last)
                    raise MailServerError(
                        f"the SMTP server refused the sender {self.mailing.sender} ({reply.code} {reply.text}); "
                        "check NEARSHORE_NEWSLETTER_FROM and the server's sending rights; nothing more was sent",
                        reply=f"{reply.code} {reply.text}",
                    ) from None
                if reply.permanent:
                    self._failed(conn, row, attempts, last, suppress=reply.stage == "RCPT TO")
                    return
                self.set(conn, row.id, status="pending", sent_at=None, attempts=attempts, error=last)
            except MailServerError:
                if attempt == self.config.retries:
                    raise
            except CONNECTION_ERRORS as exc:
                attempts += 1
                last = describe(exc, self.config.timeout)
                self.set(conn, row.id, status="pending", sent_at=None, attempts=attempts, error=last[:480])
                self._drop()
                if attempt == self.config.retries:
                    raise MailServerError(
                        f"the SMTP server {self.config.host}:{self.config.port} failed {attempt + 1} times in a row "
                        f"({last}); the messages not sent are kept pending: run the same command again to resume"
                    ) from None
        self.counts["deferred"] += 1
        self.failures.append(f"{row.email}: deferred after {attempts} attempt(s): {last}")

    def _failed(self, conn: Connection, row: Any, attempts: int, error: str, suppress: bool) -> None:
        self.set(conn, row.id, status="failed", sent_at=None, attempts=attempts, error=error)
        if suppress:
            conn.execute(
                update(Subscriber)
                .where(Subscriber.id == row.subscriber_id)
                .values(status="suppressed", ended_at=self.now(), reason=f"refused by the SMTP server: {error}"[:200])
            )
            conn.commit()
        self.counts["failed"] += 1
        self.failures.append(f"{row.email}: {error}")

    def _drop(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError):
                self.smtp.close()
        self.smtp = None
        self.keeper.release()

    def close(self) -> None:
        quit_quietly(self.smtp)
        self.smtp = None
        self.keeper.release()


def _pending(conn: Connection, key: str, after: int, limit: int) -> list[Any]:
    query = (
        select(
            Delivery.id,
            Delivery.subscriber_id,
            Delivery.attempts,
            Subscriber.email,
            Subscriber.name,
            Subscriber.key,
        )
        .join(Subscriber, Subscriber.id == Delivery.subscriber_id)
        .where(Delivery.mailing == key, Delivery.status == "pending", Delivery.id > after)
        .order_by(Delivery.id)
        .limit(limit)
    )
    rows = list(conn.execute(query))
    conn.commit()
    return rows


def _status(conn: Connection, subscriber_id: int) -> str:
    status = conn.scalar(select(Subscriber.status).where(Subscriber.id == subscriber_id))
    conn.commit()
    return str(status or "erased")


def count(db: Database, key: str) -> dict[str, int]:
    """Send-log rows of a mailing by status."""
    with db.connect() as conn:
        query = select(Delivery.status, func.count()).where(Delivery.mailing == key).group_by(Delivery.status)
        return {str(status): int(n) for status, n in conn.execute(query)}


def send_mailing(
    db: Database,
    config: SMTPConfig,
    mailing: Mailing,
    *,
    planned: int = 0,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> SendReport:
    """Send every pending row of the mailing's send log (see the module docstring)."""
    start = time.monotonic()
    with send_lock(db, f"sending {mailing.key}"):
        before = count(db, mailing.key)
        total = before.get("pending", 0)
        sender = _Sender(db, config, mailing, sleep, now)
        done = 0
        after = 0
        try:
            with db.connect() as conn:
                while rows := _pending(conn, mailing.key, after, BATCH):
                    for row in rows:
                        after = row.id
                        status = _status(conn, row.subscriber_id)  # as it is now, not when the batch was read
                        if status != "active":
                            sender.set(conn, row.id, status="skipped", error=f"subscriber {status}")
                            sender.counts["skipped"] += 1
                        else:
                            sender.deliver(conn, row)
                        done += 1
                        if progress:
                            progress(done, total)
        finally:
            sender.close()
    c = sender.counts
    return SendReport(
        mailing.key,
        planned,
        c["sent"],
        c["failed"],
        c["deferred"],
        c["skipped"],
        before.get("sent", 0),
        time.monotonic() - start,
        tuple(sender.failures),
    )


__all__ = ["SendReport", "count", "plan", "send_mailing"]
