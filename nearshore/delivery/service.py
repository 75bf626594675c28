"""The newsletter's operations as one call each, for the CLI and (later) the REST API: sign up with a
confirmation mail, and send an issue to its topic's subscribers (all of them, or those due by frequency)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Literal

from sqlalchemy import func, select

from nearshore.delivery.addresses import FREQUENCY_DAYS
from nearshore.delivery.config import NewsletterConfig, SMTPConfig
from nearshore.delivery.db import Database
from nearshore.delivery.issues import issue_row
from nearshore.delivery.mailing import issue_mailing
from nearshore.delivery.message import simple_message
from nearshore.delivery.models import Delivery, Issue, Subscriber, Subscription
from nearshore.delivery.optin import Signup, subscribe
from nearshore.delivery.send import Progress, SendReport, plan, send_mailing
from nearshore.delivery.smtp import connect, prepare, quit_quietly, send_message
from nearshore.errors import MailServerError
from nearshore.settings import Settings

Audience = Literal["all", "due"]


def confirmation_text(signup: Signup, days: int) -> str:
    topics = ", ".join(signup.subscriber.topics)
    return (
        f"Someone (we hope you) asked to receive the nearshore trade brief ({topics}, "
        f"{signup.subscriber.frequency}) at this address.\n\n"
        f"To confirm, open this link within {days} days:\n\n{signup.confirm_url}\n\n"
        "If it was not you, ignore this mail: nothing will be sent unless the link is opened.\n"
    )


def send_confirmation(signup: Signup, news: NewsletterConfig, smtp: SMTPConfig) -> str:
    """Mail the confirmation link; the Message-ID sent."""
    if signup.confirm_url is None:
        raise ValueError("nothing to confirm: the subscriber is already active")
    header, address = news.require_sender()
    from email.utils import formataddr

    domain = address.rsplit("@", 1)[1]
    message_id = f"<confirm.{secrets.token_hex(8)}@{domain}>"
    data = simple_message(
        formataddr((header, address)),
        signup.subscriber.email,
        "Confirm your subscription to the nearshore brief",
        confirmation_text(signup, news.confirm_days),
        message_id,
    )
    connection = connect(smtp)
    try:
        from nearshore.delivery.smtp import SMTPReply

        try:
            send_message(connection, address, signup.subscriber.email, prepare(data))
        except SMTPReply as reply:
            raise MailServerError(
                f"the confirmation mail to {signup.subscriber.email} was refused ({reply}); the sign-up is kept "
                "pending: subscribe again to resend it",
                reply=f"{reply.code} {reply.text}",
            ) from None
    finally:
        quit_quietly(connection)
    return message_id


def sign_up(
    db: Database,
    email: str,
    topics: str | list[str] | tuple[str, ...] = ("us-mexico",),
    frequency: str = "weekly",
    name: str = "",
    ip: str | None = None,
    source: str = "cli",
    settings: Settings | None = None,
) -> Signup:
    """Record a sign-up and mail its confirmation link (none when the address is already active)."""
    settings = settings or Settings.load()
    news = NewsletterConfig.from_settings(settings)
    news.require_sender()
    signup = subscribe(db, news, email, topics, frequency, name, ip, source)
    if signup.confirm_url is not None:
        send_confirmation(signup, news, SMTPConfig.from_settings(settings))
    return signup


def due_subscribers(db: Database, topic: str, today: date) -> list[int]:
    """Active subscribers of `topic` whose last issue of that topic was sent at least their frequency ago."""
    with db.session() as session:
        last = (
            select(Delivery.subscriber_id, func.max(Delivery.sent_at).label("last"))
            .join(Issue, Issue.id == Delivery.issue_id)
            .where(Issue.topic == topic, Delivery.status == "sent", ~Delivery.mailing.contains("#"))
            .group_by(Delivery.subscriber_id)
            .subquery()
        )
        rows = session.execute(
            select(Subscriber.id, Subscriber.frequency, last.c.last)
            .join(Subscription, Subscription.subscriber_id == Subscriber.id)
            .outerjoin(last, last.c.subscriber_id == Subscriber.id)
            .where(Subscriber.status == "active", Subscription.topic == topic)
        )
        due = []
        for subscriber_id, frequency, sent in rows:
            if sent is None or (today - _utc(sent).date()).days >= FREQUENCY_DAYS.get(frequency, 7):
                due.append(int(subscriber_id))
        return due


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def received(db: Database, mailing: str) -> set[int]:
    """Subscribers with a send-log row for the mailing (sent, or planned and not yet sent)."""
    with db.session() as session:
        query = select(Delivery.subscriber_id).where(
            Delivery.mailing == mailing, Delivery.status.in_(("sent", "pending"))
        )
        return {int(i) for i in session.scalars(query)}


def topic_subscribers(db: Database, topic: str) -> list[int]:
    with db.session() as session:
        query = (
            select(Subscriber.id)
            .join(Subscription, Subscription.subscriber_id == Subscriber.id)
            .where(Subscriber.status == "active", Subscription.topic == topic)
        )
        return [int(i) for i in session.scalars(query)]


def send_issue(
    db: Database,
    ref: str | int,
    *,
    audience: Audience = "all",
    settings: Settings | None = None,
    progress: Progress | None = None,
    today: date | None = None,
    sleep: Callable[[float], None] | None = None,
) -> SendReport:
    """Send an issue to its topic's active subscribers (`due`: only those due by frequency) who have not had
    it; running it again resumes an interrupted send."""
    settings = settings or Settings.load()
    news = NewsletterConfig.from_settings(settings)
    smtp = SMTPConfig.from_settings(settings)
    with db.session() as session:
        issue = issue_row(session, ref)
        mailing = issue_mailing(issue, news)
        topic = issue.topic
    chosen = (
        due_subscribers(db, topic, today or datetime.now(UTC).date())
        if audience == "due"
        else topic_subscribers(db, topic)
    )
    added = plan(db, mailing, chosen)
    return send_mailing(db, smtp, mailing, planned=added, progress=progress, sleep=sleep or time.sleep)


__all__ = ["Audience", "confirmation_text", "due_subscribers", "send_confirmation", "send_issue", "sign_up"]
