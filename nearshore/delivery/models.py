"""The newsletter's tables (SQLAlchemy 2 declarative models); alembic migrations in `migrations/` create them.

subscribers      one row per address: status, frequency, the random key its unsubscribe links sign
subscriptions    (subscriber, topic)
signups          recent sign-up attempts by hashed address or IP, for the flood limit
issues           a built issue: the brief's HTML and facts, the mail's HTML and text, what changed
issue_charts     the PNG charts of an issue, by Content-ID
errata           dated corrections to an archived issue
deliveries       the send log: one row per (mailing, subscriber), what makes sending idempotent
bounce_reports   every DSN or ARF report applied, by its Message-ID, so reading a mailbox twice is harmless
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, Final

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING: Final = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no zone: values are stored as naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the newsletter stores aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class Subscriber(Base):
    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    key: Mapped[str] = mapped_column(String(32), unique=True)  # random; what unsubscribe links sign
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|active|unsubscribed|suppressed
    frequency: Mapped[str] = mapped_column(String(16), default="weekly")
    source: Mapped[str] = mapped_column(String(16), default="cli")
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]  # unsubscribed or suppressed
    reason: Mapped[str] = mapped_column(String(200), default="")  # why suppressed / unsubscribed
    confirm_nonce: Mapped[str | None] = mapped_column(String(32))  # cleared once used: links are single-use
    confirm_sent_at: Mapped[datetime | None]  # when the current confirmation link was made
    soft_bounces: Mapped[int] = mapped_column(Integer, default=0)
    topics: Mapped[list[Subscription]] = relationship(
        back_populates="subscriber", cascade="all, delete-orphan", lazy="selectin", order_by="Subscription.topic"
    )

    @property
    def topic_names(self) -> tuple[str, ...]:
        return tuple(t.topic for t in self.topics)

    def end(self, reason: str, now: datetime) -> None:
        """Unsubscribe (an active or pending reader; a suppressed one stays suppressed)."""
        if self.status in ("active", "pending"):
            self.status, self.ended_at, self.reason, self.confirm_nonce = "unsubscribed", now, reason, None


class Subscription(Base):
    __tablename__ = "subscriptions"

    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(32), primary_key=True)
    subscriber: Mapped[Subscriber] = relationship(back_populates="topics")


class Signup(Base):
    __tablename__ = "signups"
    __table_args__ = (Index("ix_signups_kind_value_at", "kind", "value", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # address | ip
    value: Mapped[str] = mapped_column(String(64))  # sha256 of the address or IP, not the value itself
    at: Mapped[datetime]


class Issue(Base):
    __tablename__ = "issues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)  # <topic>/<YYYY-MM-DD>: the permalink
    topic: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)  # the brief's year
    created_at: Mapped[datetime]
    subject: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)  # the standfirst, as plain text
    brief_html: Mapped[str] = mapped_column(Text)  # the verified brief page, for the archive
    mail_html: Mapped[str] = mapped_column(Text)  # with placeholders for the subscriber's links
    mail_text: Mapped[str] = mapped_column(Text)
    facts_json: Mapped[str] = mapped_column(Text)
    state_json: Mapped[str] = mapped_column(Text)  # data coverage and policy measures when built
    changes_json: Mapped[str] = mapped_column(Text)  # "what changed since the last issue"
    verified: Mapped[int] = mapped_column(Integer, default=0)  # figures checked in the mail
    charts: Mapped[list[IssueChart]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="IssueChart.position"
    )
    errata: Mapped[list[Erratum]] = relationship(
        back_populates="issue", cascade="all, delete-orphan", lazy="selectin", order_by="Erratum.number"
    )


class IssueChart(Base):
    __tablename__ = "issue_charts"

    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True)
    chart_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    cid: Mapped[str] = mapped_column(String(200))
    alt: Mapped[str] = mapped_column(Text)
    png: Mapped[bytes] = mapped_column(LargeBinary)


class Erratum(Base):
    __tablename__ = "errata"
    __table_args__ = (UniqueConstraint("issue_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text, default="")
    changes_json: Mapped[str] = mapped_column(Text)  # the corrected facts: old, new, source, vintages
    issue: Mapped[Issue] = relationship(back_populates="errata")


class Delivery(Base):
    """The send log. A row is written 'pending' when the audience is planned and 'sent' in the same transaction
    that precedes the end of the SMTP DATA: a crash can never make a sent message look unsent."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("mailing", "subscriber_id"),
        Index("ix_deliveries_mailing_status", "mailing", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailing: Mapped[str] = mapped_column(String(80))  # the issue slug, or <slug>#erratum-<n>
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"))
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sent|failed|skipped
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(String(500), default="")
    message_id: Mapped[str] = mapped_column(String(200), default="")
    planned_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class BounceReport(Base):
    __tablename__ = "bounce_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[str] = mapped_column(String(300), unique=True)  # the report's Message-ID (or a digest)
    email: Mapped[str] = mapped_column(String(254), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # hard | soft | complaint
    status: Mapped[str] = mapped_column(String(16), default="")  # DSN status code, e.g. 5.1.1
    detail: Mapped[str] = mapped_column(String(500), default="")
    received_at: Mapped[datetime]


__all__ = [
    "Base",
    "BounceReport",
    "Delivery",
    "Erratum",
    "Issue",
    "IssueChart",
    "Signup",
    "Subscriber",
    "Subscription",
    "UTCDateTime",
]
