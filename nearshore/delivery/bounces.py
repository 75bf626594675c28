"""Bounces and complaints: delivery status notifications (RFC 3464) and abuse reports (ARF, RFC 5965),
read from an mbox file or an IMAP folder and applied to the subscribers.

A hard bounce (Action: failed, Status 5.x.x) or a complaint suppresses the address at once; soft bounces
(Status 4.x.x, or Action: delayed) suppress it after `newsletter_soft_bounces` in a row (a positive DSN,
Action: delivered or relayed, resets the count). Each report is applied once, keyed by its Message-ID, so
reading the same mailbox again changes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import imaplib
import mailbox
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from email.policy import default
from pathlib import Path
from typing import Literal

from sqlalchemy import select

from nearshore.delivery.config import IMAPConfig
from nearshore.delivery.db import Database
from nearshore.delivery.models import BounceReport, Subscriber
from nearshore.errors import AddressError, InputError, MailServerError

Kind = Literal["hard", "soft", "complaint", "delivered"]


@dataclass(frozen=True)
class Event:
    report_id: str
    email: str
    kind: Kind
    status: str = ""
    detail: str = ""


@dataclass(frozen=True)
class BounceSummary:
    reports: int  # messages read
    events: int  # recipients found in them
    new: int  # events not applied before
    suppressed: tuple[str, ...]
    soft: int
    ignored: int  # messages that were neither a DSN nor an ARF report


def _address(value: str | None) -> str:
    """'rfc822; reader@example.org' -> 'reader@example.org' (lower-cased domain via email-validator)."""
    from nearshore.delivery.addresses import normalise_email

    text = (value or "").split(";", 1)[-1].strip().strip("<>")
    try:
        return normalise_email(text)
    except AddressError:
        return ""


def _report_id(message: Message) -> str:
    found = str(message.get("Message-ID", "")).strip()
    return found[:300] if found else "sha256:" + hashlib.sha256(message.as_bytes()).hexdigest()


def _dsn(message: Message, report_id: str) -> list[Event]:
    events: list[Event] = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        for index, block in enumerate(blocks[1:] if isinstance(blocks, list) else [], start=1):
            email = _address(block.get("Final-Recipient") or block.get("Original-Recipient"))
            action = str(block.get("Action", "")).strip().lower()
            status = str(block.get("Status", "")).strip()
            detail = " ".join(str(block.get("Diagnostic-Code", "")).split())[:500]
            if not email:
                continue
            if action in ("delivered", "relayed", "expanded"):
                kind: Kind = "delivered"
            elif action == "failed" and status.startswith("5"):
                kind = "hard"
            elif action in ("failed", "delayed"):
                kind = "soft"
            else:
                continue
            events.append(Event(f"{report_id}#{index}", email, kind, status, detail))
    return events


def _arf(message: Message, report_id: str) -> list[Event]:
    recipients: list[str] = []
    feedback = ""
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/feedback-report":
            blocks = part.get_payload()
            fields = blocks[0] if isinstance(blocks, list) and blocks and isinstance(blocks[0], Message) else part
            feedback = str(fields.get("Feedback-Type", "abuse")).strip()
            recipients += [_address(v) for v in fields.get_all("Original-Rcpt-To", [])]
        elif kind in ("message/rfc822", "text/rfc822-headers") and not recipients:
            recipients += [_address(v) for v in _original(part).get_all("To", [])]
    return [
        Event(f"{report_id}#{n}", email, "complaint", "", f"ARF feedback-type {feedback}")
        for n, email in enumerate(dict.fromkeys(r for r in recipients if r), start=1)
    ]


def _original(part: Message) -> Message:
    """The reported message (or its headers) inside an ARF report."""
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            return inner[0]
        return Message()
    raw = part.get_payload(decode=True)
    return message_from_bytes(raw if isinstance(raw, bytes) else b"")


def parse_report(message: Message) -> list[Event] | None:
    """The events in one message, or None when it is neither a DSN nor an ARF report."""
    if message.get_content_type() != "multipart/report":
        return None
    report_type = str(message.get_param("report-type", "")).lower()
    report_id = _report_id(message)
    if report_type == "delivery-status":
        return _dsn(message, report_id)
    if report_type == "feedback-report":
        return _arf(message, report_id)
    return None


def read_mbox(path: Path) -> Iterator[Message]:
    if not path.is_file():
        raise InputError(f"{path}: no such mbox file; give the mailbox the bounces arrive in")
    box = mailbox.mbox(path, create=False)
    try:
        for key in box.iterkeys():
            yield message_from_bytes(box.get_bytes(key), policy=default)
    finally:
        box.close()


def read_imap(config: IMAPConfig, mark_seen: bool = True) -> Iterator[Message]:
    """Unseen messages of the IMAP folder; each is flagged \\Seen after it has been read."""
    from nearshore.delivery.smtp import tls_context

    where = f"IMAP server {config.host}:{config.port}"
    client: imaplib.IMAP4 | None = None
    try:
        if config.security == "tls":
            client = imaplib.IMAP4_SSL(
                config.host, config.port, ssl_context=tls_context(config.cafile), timeout=config.timeout
            )
        else:
            client = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
            if config.security == "starttls":
                client.starttls(ssl_context=tls_context(config.cafile))
        client.login(config.user, config.password)
    except (OSError, imaplib.IMAP4.error) as exc:
        if client is not None:
            with contextlib.suppress(OSError):
                client.shutdown()
        reason = str(exc).replace(config.password, "***") if config.password else str(exc)
        raise MailServerError(f"cannot read bounces from {where} as {config.user!r}: {reason}") from None
    try:
        status, _ = client.select(config.folder)
        if status != "OK":
            raise MailServerError(f"{where} has no folder {config.folder!r} (NEARSHORE_IMAP_FOLDER)")
        _, found = client.search(None, "UNSEEN")
        for number in (found[0] or b"").decode().split():
            _, data = client.fetch(number, "(BODY.PEEK[])")
            raw = next((item[1] for item in data if isinstance(item, tuple)), b"")
            yield message_from_bytes(raw, policy=default)
            if mark_seen:
                client.store(number, "+FLAGS", "\\Seen")
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()


def apply_events(
    db: Database, messages: Iterable[Message], soft_limit: int, now: datetime | None = None
) -> BounceSummary:
    """Parse each message and apply what it reports to the subscribers (see the module docstring)."""
    now = now or datetime.now(UTC)
    reports = events = new = soft = ignored = 0
    suppressed: list[str] = []
    for message in messages:
        reports += 1
        found = parse_report(message)
        if found is None:
            ignored += 1
            continue
        events += len(found)
        with db.session() as session:
            for event in found:
                if session.scalar(select(BounceReport.id).where(BounceReport.report_id == event.report_id)):
                    continue
                new += 1
                session.add(
                    BounceReport(
                        report_id=event.report_id,
                        email=event.email,
                        kind=event.kind,
                        status=event.status,
                        detail=event.detail,
                        received_at=now,
                    )
                )
                row = session.scalar(select(Subscriber).where(Subscriber.email == event.email))
                if row is None:
                    continue
                if event.kind == "delivered":
                    row.soft_bounces = 0
                    continue
                if event.kind == "soft":
                    soft += 1
                    row.soft_bounces += 1
                if row.status != "suppressed" and (event.kind != "soft" or row.soft_bounces >= soft_limit):
                    why = {"hard": "hard bounce", "complaint": "complaint (ARF)", "soft": "soft bounces"}[event.kind]
                    row.status, row.ended_at = "suppressed", now
                    row.reason = f"{why} {event.status} {event.detail}".strip()[:200]
                    suppressed.append(row.email)
    return BounceSummary(reports, events, new, tuple(suppressed), soft, ignored)


__all__ = ["BounceSummary", "Event", "apply_events", "parse_report", "read_imap", "read_mbox"]
