"""Bounces (RFC 3464 DSN) and complaints (RFC 5965 ARF) from an mbox file and from an IMAP folder."""

from __future__ import annotations

import mailbox
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from nearshore.delivery.bounces import apply_events, parse_report, read_imap, read_mbox
from nearshore.delivery.config import IMAPConfig
from nearshore.delivery.db import Database
from nearshore.delivery.subscribers import list_subscribers
from nearshore.errors import MailServerError
from nearshore.settings import Settings
from tests.delivery.helpers import add_readers
from tests.delivery.imap_server import Mailbox, imap_server

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "delivery"


def sample(name: str, n: int = 1) -> bytes:
    return (SAMPLES / name).read_text().replace("{n}", str(n)).replace("\n", "\r\n").encode()


def statuses(db: Database) -> dict[str, tuple[str, int]]:
    return {v.email: (v.status, v.soft_bounces) for v in list_subscribers(db)}


def test_reports_are_read_as_the_rfcs_define_them() -> None:
    hard = parse_report(message_from_bytes(sample("dsn_hard.eml"), policy=default))
    assert hard is not None
    assert [(e.email, e.kind, e.status) for e in hard] == [("reader1@example.org", "hard", "5.1.1")]
    assert "User unknown" in hard[0].detail
    soft = parse_report(message_from_bytes(sample("dsn_soft.eml"), policy=default))
    assert soft is not None
    assert [(e.email, e.kind, e.status) for e in soft] == [("reader2@example.org", "soft", "4.2.2")]
    complaint = parse_report(message_from_bytes(sample("arf_abuse.eml"), policy=default))
    assert complaint is not None
    assert [(e.email, e.kind) for e in complaint] == [("reader3@example.org", "complaint")]
    plain = message_from_bytes(b"From: a@example.org\r\nSubject: hello\r\n\r\nnot a report\r\n", policy=default)
    assert parse_report(plain) is None


def write_mbox(path: Path, *raws: bytes) -> Path:
    box = mailbox.mbox(path)
    for raw in raws:
        box.add(raw)
    box.flush()
    box.close()
    return path


def test_mbox_hard_bounce_complaint_and_soft_bounces_in_a_row(db: Database, tmp_path: Path) -> None:
    add_readers(db, tmp_path, 5)
    first = write_mbox(
        tmp_path / "bounces.mbox",
        sample("dsn_hard.eml"),
        sample("arf_abuse.eml"),
        sample("dsn_soft.eml", 1),
        sample("dsn_soft.eml", 2),
        b"From: friend@example.org\r\nSubject: thanks!\r\n\r\nGreat brief.\r\n",
    )
    summary = apply_events(db, read_mbox(first), soft_limit=3)
    assert (summary.reports, summary.events, summary.new, summary.soft, summary.ignored) == (5, 4, 4, 2, 1)
    assert set(summary.suppressed) == {"reader1@example.org", "reader3@example.org"}
    state = statuses(db)
    assert state["reader1@example.org"][0] == "suppressed"
    assert state["reader3@example.org"][0] == "suppressed"
    assert state["reader2@example.org"] == ("active", 2)  # two soft bounces: not yet
    again = apply_events(db, read_mbox(first), soft_limit=3)  # the same mailbox read twice changes nothing
    assert (again.new, again.suppressed) == (0, ())
    assert statuses(db) == state
    third = write_mbox(tmp_path / "more.mbox", sample("dsn_soft.eml", 3))
    assert apply_events(db, read_mbox(third), soft_limit=3).suppressed == ("reader2@example.org",)


def test_a_delivery_report_resets_the_soft_bounce_count(db: Database, tmp_path: Path) -> None:
    add_readers(db, tmp_path, 3)
    box = write_mbox(
        tmp_path / "b.mbox",
        sample("dsn_soft.eml", 1),
        sample("dsn_soft.eml", 2),
        sample("dsn_delivered.eml"),
        sample("dsn_soft.eml", 3),
    )
    apply_events(db, read_mbox(box), soft_limit=3)
    assert statuses(db)["reader2@example.org"] == ("active", 1)


def test_suppressed_readers_are_never_sent_to_again(with_issue: Database, tmp_path: Path, mail) -> None:
    from nearshore.delivery.service import send_issue

    readers = add_readers(with_issue, tmp_path, 4)
    apply_events(
        with_issue, read_mbox(write_mbox(tmp_path / "b.mbox", sample("dsn_hard.eml"), sample("arf_abuse.eml"))), 3
    )
    report = send_issue(with_issue, "us-mexico/2026-05-11", settings=mail.settings())
    assert report.sent == 2
    assert sorted(mail.inbox.recipients()) == [readers[0], readers[2]]


def test_imap_folder(db: Database, tmp_path: Path) -> None:
    add_readers(db, tmp_path, 4)
    box = Mailbox("bounces", "imap-pw-123", messages=[sample("dsn_hard.eml"), sample("arf_abuse.eml")])
    with imap_server(box) as port:
        env = {
            "NEARSHORE_IMAP_HOST": "127.0.0.1",
            "NEARSHORE_IMAP_PORT": str(port),
            "NEARSHORE_IMAP_SECURITY": "none",
            "NEARSHORE_IMAP_USER": "bounces",
            "NEARSHORE_IMAP_PASSWORD": "imap-pw-123",
        }
        config = IMAPConfig.from_settings(Settings.load(env))
        summary = apply_events(db, read_imap(config), soft_limit=3)
        assert set(summary.suppressed) == {"reader1@example.org", "reader3@example.org"}
        assert box.seen == {1, 2}
        assert apply_events(db, read_imap(config), soft_limit=3).reports == 0  # seen messages are not read again
        wrong = IMAPConfig.from_settings(Settings.load({**env, "NEARSHORE_IMAP_PASSWORD": "wrong-pw-456"}))
        with pytest.raises(MailServerError, match=r"cannot read bounces from IMAP server 127.0.0.1") as error:
            list(read_imap(wrong))
        assert "wrong-pw-456" not in str(error.value)
        assert "imap-pw-123" not in repr(config)


def test_missing_mbox_is_a_clear_error(tmp_path: Path) -> None:
    from nearshore.errors import InputError

    with pytest.raises(InputError, match=r"no such mbox file"):
        list(read_mbox(tmp_path / "nope.mbox"))
