"""What callers see of a subscriber: a plain, frozen view (no database session attached), for the CLI,
the REST API and exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nearshore.delivery.models import Subscriber


@dataclass(frozen=True)
class SubscriberView:
    email: str
    name: str
    status: str
    frequency: str
    topics: tuple[str, ...]
    created_at: datetime
    confirmed_at: datetime | None
    ended_at: datetime | None
    reason: str
    source: str
    soft_bounces: int

    @classmethod
    def of(cls, row: Subscriber) -> SubscriberView:
        return cls(
            email=row.email,
            name=row.name,
            status=row.status,
            frequency=row.frequency,
            topics=row.topic_names,
            created_at=row.created_at,
            confirmed_at=row.confirmed_at,
            ended_at=row.ended_at,
            reason=row.reason,
            source=row.source,
            soft_bounces=row.soft_bounces,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "name": self.name,
            "status": self.status,
            "frequency": self.frequency,
            "topics": list(self.topics),
            "created_at": _iso(self.created_at),
            "confirmed_at": _iso(self.confirmed_at),
            "ended_at": _iso(self.ended_at),
            "reason": self.reason,
            "source": self.source,
            "soft_bounces": self.soft_bounces,
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


__all__ = ["SubscriberView"]
