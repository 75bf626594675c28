"""Double opt-in and one-click unsubscribe: the functions the CLI and the REST API both call.

`subscribe` records a pending sign-up (or updates an active one) and returns the confirmation link to mail;
`confirm` activates it once; `unsubscribe` ends it (idempotent, as RFC 8058 one-click POSTs may repeat);
`purge_unconfirmed` removes sign-ups never confirmed. A flood of sign-ups from one address or one IP address
is refused with SignupLimited.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import Session

from nearshore.delivery.addresses import check_frequency, check_topics, clean_name, normalise_email
from nearshore.delivery.config import NewsletterConfig
from nearshore.delivery.db import Database
from nearshore.delivery.models import Signup as SignupRow
from nearshore.delivery.models import Subscriber, Subscription
from nearshore.delivery.subscriber import SubscriberView
from nearshore.delivery.tokens import Signer
from nearshore.errors import AddressError, SignupLimited, TokenError

IP_FACTOR = 4  # an IP address may sign up this many times more addresses per hour than one address


@dataclass(frozen=True)
class Signup:
    """The outcome of `subscribe`: the subscriber, and the confirmation link to mail (None when already
    active: nothing to confirm, so no mail)."""

    subscriber: SubscriberView
    confirm_url: str | None
    created: bool


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _check_flood(session: Session, config: NewsletterConfig, email: str, ip: str | None, now: datetime) -> None:
    since = now - timedelta(hours=1)
    for kind, value, limit in (("address", email, config.signups_per_hour), ("ip", ip, 4 * config.signups_per_hour)):
        if not value:
            continue
        digest = _digest(value)
        count = session.scalar(
            select(func.count()).where(SignupRow.kind == kind, SignupRow.value == digest, SignupRow.at >= since)
        )
        if (count or 0) >= limit:
            shown = "this address" if kind == "address" else f"IP address {value}"
            raise SignupLimited(
                f"too many sign-ups from {shown} in the last hour ({count}, the limit is {limit}); try again later"
            )
        session.add(SignupRow(kind=kind, value=digest, at=now))


def subscribe(
    db: Database,
    config: NewsletterConfig,
    email: str,
    topics: str | list[str] | tuple[str, ...] = ("us-mexico",),
    frequency: str = "weekly",
    name: str = "",
    ip: str | None = None,
    source: str = "cli",
    now: datetime | None = None,
) -> Signup:
    """Record a sign-up and return the confirmation link to mail. An active subscriber's topics are merged
    and frequency updated (no link: nothing to confirm); a pending or unsubscribed one gets a fresh link."""
    now = now or datetime.now(UTC)
    address = normalise_email(email)
    chosen = check_topics(topics)
    how_often = check_frequency(frequency)
    display = clean_name(name)
    signer = Signer(config.require_secret())
    base = config.require_url()
    with db.session() as session:
        _check_flood(session, config, address, ip, now)
        row = session.scalar(select(Subscriber).where(Subscriber.email == address))
        created = row is None
        if row is None:
            row = Subscriber(email=address, key=secrets.token_urlsafe(16), created_at=now, source=source)
            session.add(row)
        elif row.status == "suppressed":
            raise AddressError(
                f"{address} is suppressed ({row.reason}); no mail is sent to it. An operator can lift this with "
                "`nearshore newsletter erase` and the reader can then sign up again",
                field="email",
                value=address,
            )
        held = set(row.topic_names) if row.status == "active" else set()
        row.topics = [Subscription(topic=t) for t in sorted(held | set(chosen))]
        row.frequency = how_often
        row.name = display or row.name
        if row.status == "active":
            session.flush()
            return Signup(SubscriberView.of(row), None, created)
        row.status = "pending"
        row.confirm_nonce = secrets.token_urlsafe(12)
        row.confirm_sent_at = now
        session.flush()
        token = signer.confirm_token(row.key, row.confirm_nonce)
        return Signup(SubscriberView.of(row), f"{base}/newsletter/confirm?token={token}", created)


def confirm(db: Database, config: NewsletterConfig, token: str, now: datetime | None = None) -> SubscriberView:
    """Activate the sign-up a confirmation link names; a link works once and for `confirm_days` days."""
    claim = Signer(config.require_secret()).read_confirm(token, config.confirm_days)
    with db.session() as session:
        row = session.scalar(select(Subscriber).where(Subscriber.key == claim.key))
        if row is None:
            raise TokenError("this confirmation link is no longer valid: the sign-up was removed; subscribe again")
        if row.confirm_nonce is None or not secrets.compare_digest(row.confirm_nonce, claim.nonce):
            state = "the subscription is active" if row.status == "active" else f"the subscription is {row.status}"
            raise TokenError(
                f"this confirmation link was already used or replaced by a newer one ({state}); "
                "use the latest link, or subscribe again"
            )
        row.status = "active"
        row.confirmed_at = now or datetime.now(UTC)
        row.confirm_nonce = None
        row.ended_at = None
        row.reason = ""
        return SubscriberView.of(row)


def unsubscribe(db: Database, config: NewsletterConfig, token: str, now: datetime | None = None) -> SubscriberView:
    """End the subscription an unsubscribe link names. Repeating it is harmless (RFC 8058 clients may retry)."""
    key = Signer(config.require_secret()).read_unsubscribe(token)
    with db.session() as session:
        row = session.scalar(select(Subscriber).where(Subscriber.key == key))
        if row is None:
            raise TokenError("this unsubscribe link is no longer valid: the address was already erased")
        row.end("unsubscribed by link", now or datetime.now(UTC))
        return SubscriberView.of(row)


def unsubscribe_url(config: NewsletterConfig, key: str) -> str:
    """The subscriber's one-click unsubscribe URL (also the target of List-Unsubscribe)."""
    token = Signer(config.require_secret()).unsubscribe_token(key)
    return f"{config.require_url()}/newsletter/unsubscribe?token={token}"


def purge_unconfirmed(db: Database, days: int, now: datetime | None = None) -> int:
    """Delete sign-ups not confirmed within `days` days, and sign-up records older than a day; the count
    of sign-ups deleted."""
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=days)
    with db.session() as session:
        stale = delete(Subscriber).where(
            Subscriber.status == "pending",
            Subscriber.confirmed_at.is_(None),
            func.coalesce(Subscriber.confirm_sent_at, Subscriber.created_at) < cutoff,
        )
        removed = cast(CursorResult[Any], session.execute(stale)).rowcount
        session.execute(delete(SignupRow).where(SignupRow.at < now - timedelta(days=1)))
        return int(removed or 0)


__all__ = ["Signup", "confirm", "purge_unconfirmed", "subscribe", "unsubscribe", "unsubscribe_url"]
