"""Sending through a real SMTP server (aiosmtpd on 127.0.0.1): what arrives, parsed back with the email
package; STARTTLS with a self-signed certificate; servers that refuse, time out, drop mid-DATA, defer or
reject recipients. Nothing is lost and nothing is sent twice."""

from __future__ import annotations

import ssl
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from nearshore.delivery.db import Database
from nearshore.delivery.models import Delivery, Subscriber
from nearshore.delivery.send import count
from nearshore.delivery.service import send_issue
from nearshore.errors import MailServerError
from tests.delivery.conftest import BASE_URL, Mail, news_env
from tests.delivery.helpers import add_readers, token_of
from tests.delivery.servers import DroppingController, DroppingSMTP, Inbox, free_port, silent_server, smtp_server

SLUG = "us-mexico/2026-05-11"


def test_issue_arrives_whole(with_issue: Database, mail: Mail, tmp_path: Path) -> None:
    readers = add_readers(with_issue, tmp_path, 3)
    report = send_issue(with_issue, SLUG, settings=mail.settings())
    assert (report.sent, report.failed, report.already) == (3, 0, 0)
    messages = mail.inbox.messages()
    assert sorted(mail.inbox.recipients()) == sorted(readers)
    message = messages[0]
    assert message["From"] == "nearshore brief <brief@example.org>"
    assert message["Subject"].startswith("Mexico's sales to the U.S.")
    assert message["To"].addresses[0].addr_spec in readers
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(message["List-Unsubscribe"])
    assert unsubscribe.startswith(f"<{BASE_URL}/newsletter/unsubscribe?token=")
    assert unsubscribe.endswith(">")
    assert message["List-Archive"] == f"<{BASE_URL}/archive/{SLUG}/>"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None
    assert html is not None
    assert unsubscribe.strip("<>") in plain.get_content()
    page = html.get_content()
    assert unsubscribe.strip("<>").replace("&", "&amp;") in page
    assert "<svg" not in page
    assert "<details" not in page
    assert 'style="' in page
    assert "<h1 style=" in page
    images = {str(p["Content-ID"]).strip("<>"): p for p in message.walk() if p.get_content_type() == "image/png"}
    referenced = {ref.split('"')[0] for ref in page.split('src="cid:')[1:]}
    assert len(images) == 3
    assert referenced == set(images)
    for part in images.values():
        assert part.get_content().startswith(b"\x89PNG")
        assert part["Content-Disposition"].startswith("inline")
    ids = [m["Message-ID"] for m in messages]
    assert len(set(ids)) == 3
    assert all(i.endswith("@example.org>") for i in ids)
    assert len({str(m["List-Unsubscribe"]) for m in messages}) == 3  # one link per reader


def test_unsubscribe_link_of_a_received_mail_works(with_issue: Database, mail: Mail, tmp_path: Path) -> None:
    from nearshore.delivery.config import NewsletterConfig
    from nearshore.delivery.optin import unsubscribe

    add_readers(with_issue, tmp_path, 2)
    send_issue(with_issue, SLUG, settings=mail.settings())
    message = mail.inbox.messages()[0]
    view = unsubscribe(
        with_issue,
        NewsletterConfig.from_settings(mail.settings()),
        token_of(str(message["List-Unsubscribe"]).strip("<>")),
    )
    assert view.email == message["To"].addresses[0].addr_spec
    assert view.status == "unsubscribed"
    from nearshore.delivery.issues import build_issue  # noqa: F401 - the next issue must skip this reader

    with with_issue.session() as session:
        active = list(session.scalars(select(Subscriber.email).where(Subscriber.status == "active")))
    assert view.email not in active
    assert len(active) == 1


def test_running_send_again_sends_nobody_twice(with_issue: Database, mail: Mail, tmp_path: Path) -> None:
    add_readers(with_issue, tmp_path, 5)
    first = send_issue(with_issue, SLUG, settings=mail.settings())
    second = send_issue(with_issue, SLUG, settings=mail.settings())
    assert (first.sent, second.sent, second.already) == (5, 0, 5)
    assert len(mail.inbox.received) == 5


def test_starttls_with_a_self_signed_certificate(with_issue: Database, tmp_path: Path) -> None:
    import trustme

    authority = trustme.CA()
    server_cert = authority.issue_cert("127.0.0.1")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_cert.configure_cert(context)
    cafile = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(cafile))
    add_readers(with_issue, tmp_path, 2)
    with smtp_server(tls_context=context, require_starttls=True, auth_require_tls=True) as (inbox, port):
        from nearshore.settings import Settings

        plain = Settings.load(news_env(port))
        with pytest.raises(MailServerError, match=r"does not offer STARTTLS|certificate is not trusted"):
            send_issue(with_issue, SLUG, settings=Settings.load(news_env(port, NEARSHORE_SMTP_SECURITY="starttls")))
        assert count(with_issue, SLUG) == {"pending": 2}
        with pytest.raises(MailServerError):
            send_issue(with_issue, SLUG, settings=plain)  # the server requires STARTTLS first
        secure = Settings.load(news_env(port, NEARSHORE_SMTP_SECURITY="starttls", NEARSHORE_SMTP_CAFILE=str(cafile)))
        report = send_issue(with_issue, SLUG, settings=secure)
    assert report.sent == 2
    assert len(inbox.received) == 2


def test_refused_connection_is_a_clear_error_and_nothing_is_marked_sent(with_issue: Database, tmp_path: Path) -> None:
    from nearshore.settings import Settings

    add_readers(with_issue, tmp_path, 3)
    port = free_port()
    settings = Settings.load(news_env(port, NEARSHORE_SMTP_RETRIES="1", NEARSHORE_SMTP_PASSWORD="hunter2-secret"))
    with pytest.raises(MailServerError) as error:
        send_issue(with_issue, SLUG, settings=settings, sleep=lambda s: None)
    assert f"SMTP server 127.0.0.1:{port}" in str(error.value)
    assert "connection refused" in str(error.value)
    assert "hunter2" not in str(error.value)
    assert count(with_issue, SLUG) == {"pending": 3}


def test_timeout_is_a_clear_error(with_issue: Database, tmp_path: Path) -> None:
    from nearshore.settings import Settings

    add_readers(with_issue, tmp_path, 1)
    with silent_server() as port:
        settings = Settings.load(news_env(port, NEARSHORE_SMTP_TIMEOUT="0.3", NEARSHORE_SMTP_RETRIES="0"))
        with pytest.raises(MailServerError, match=r"no answer within 0.3 s"):
            send_issue(with_issue, SLUG, settings=settings)
    assert count(with_issue, SLUG) == {"pending": 1}


def test_server_dropping_mid_data_loses_nothing_and_duplicates_nothing(with_issue: Database, tmp_path: Path) -> None:
    from nearshore.settings import Settings

    readers = add_readers(with_issue, tmp_path, 4)
    DroppingSMTP.drops = 2
    with smtp_server(controller=DroppingController) as (inbox, port):
        report = send_issue(with_issue, SLUG, settings=Settings.load(news_env(port)), sleep=lambda s: None)
    assert report.sent == 4
    assert DroppingSMTP.drops == 0
    assert Counter(inbox.recipients()) == Counter(readers)  # each exactly once
    with with_issue.session() as session:
        attempts = sorted(session.scalars(select(Delivery.attempts)))
    assert attempts == [1, 1, 1, 3]  # the first reader's message was cut twice, then went through


def test_temporary_refusal_is_retried_and_permanent_one_recorded(with_issue: Database, tmp_path: Path) -> None:
    from nearshore.settings import Settings

    readers = add_readers(with_issue, tmp_path, 3)
    inbox = Inbox(refuse={readers[1]: "550 5.1.1 no such user"}, defer_once={readers[2]})
    slept: list[float] = []
    with smtp_server(inbox) as (_, port):
        report = send_issue(with_issue, SLUG, settings=Settings.load(news_env(port)), sleep=slept.append)
    assert (report.sent, report.failed) == (2, 1)
    assert sorted(inbox.recipients()) == sorted([readers[0], readers[2]])
    assert slept == [0.5]  # one backoff before the retry of the deferred recipient
    assert "550 5.1.1 no such user" in report.failures[0]
    with with_issue.session() as session:
        refused = session.scalar(select(Subscriber).where(Subscriber.email == readers[1]))
        assert refused is not None
        assert refused.status == "suppressed"
        assert "550" in refused.reason


def test_rate_limit_paces_messages(with_issue: Database, mail: Mail, tmp_path: Path) -> None:
    add_readers(with_issue, tmp_path, 5)
    report = send_issue(with_issue, SLUG, settings=mail.settings(NEARSHORE_SMTP_RATE="20"))
    assert report.sent == 5
    assert report.seconds >= 4 / 20  # five messages at 20 per second cannot take less than four gaps


def test_unsubscribed_after_planning_is_skipped(with_issue: Database, mail: Mail, tmp_path: Path) -> None:
    from nearshore.delivery.config import NewsletterConfig, SMTPConfig
    from nearshore.delivery.mailing import issue_mailing
    from nearshore.delivery.models import Issue
    from nearshore.delivery.send import plan, send_mailing
    from nearshore.delivery.subscribers import remove

    readers = add_readers(with_issue, tmp_path, 3)
    with with_issue.session() as session:
        issue = session.scalar(select(Issue))
        assert issue is not None
        mailing = issue_mailing(issue, NewsletterConfig.from_settings(mail.settings()))
    assert plan(with_issue, mailing, None) == 3
    remove(with_issue, readers[0])
    report = send_mailing(with_issue, SMTPConfig.from_settings(mail.settings()), mailing)
    assert (report.sent, report.skipped) == (2, 1)
    assert readers[0] not in mail.inbox.recipients()


def test_one_sender_at_a_time(any_db: Database) -> None:
    from nearshore.delivery.lock import send_lock
    from nearshore.errors import DeliveryError

    busy = pytest.raises(DeliveryError, match=r"another nearshore process is sending .*sending B was not started")
    with send_lock(any_db, "sending A"), busy, send_lock(any_db, "sending B"):
        pass
    with send_lock(any_db, "sending C"):  # released: the next one goes ahead
        pass


def test_issue_sent_from_postgresql(pg_base: str, mail: Mail, tmp_path: Path) -> None:
    from nearshore.delivery.db import open_database
    from nearshore.delivery.issues import build_issue
    from tests.delivery.conftest import NOW
    from tests.delivery.servers import new_pg_database

    database = open_database(new_pg_database(pg_base, "sendlog"))
    try:
        info = build_issue(database, "us-mexico", settings=mail.settings(), now=NOW)
        readers = add_readers(database, tmp_path, 6)
        first = send_issue(database, info.slug, settings=mail.settings())
        again = send_issue(database, info.slug, settings=mail.settings())
        assert (first.sent, again.sent, again.already) == (6, 0, 6)
        assert Counter(mail.inbox.recipients()) == Counter(readers)
        assert count(database, info.slug) == {"sent": 6}
    finally:
        database.close()


def test_keeper_holds_the_connection_after_the_sender_closes_it() -> None:
    """What a killed sender leaves: its socket closed, the keeper's copy still open, so the server does not
    read an end of connection (and drop a message it is still reading) until the keeper goes."""
    import socket

    from nearshore.delivery.keeper import hold_connection

    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname())
        server_side, _ = listener.accept()
        keeper = hold_connection(client, 30)
        assert keeper.process is not None
        client.close()
        server_side.settimeout(0.5)
        with pytest.raises(TimeoutError):
            server_side.recv(1)  # no EOF: the keeper still holds the connection
        keeper.release()
        server_side.settimeout(5)
        assert server_side.recv(1) == b""  # EOF once the keeper is gone
        server_side.close()


def test_implicit_tls(with_issue: Database, tmp_path: Path) -> None:
    import trustme

    from nearshore.settings import Settings

    authority = trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    cafile = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(cafile))
    add_readers(with_issue, tmp_path, 2)
    with smtp_server(ssl_context=context) as (inbox, port):
        env = news_env(port, NEARSHORE_SMTP_SECURITY="tls", NEARSHORE_SMTP_CAFILE=str(cafile))
        report = send_issue(with_issue, SLUG, settings=Settings.load(env))
    assert report.sent == 2
    assert len(inbox.received) == 2


def test_refused_sender_stops_the_send(with_issue: Database, tmp_path: Path) -> None:
    from nearshore.settings import Settings

    class RefuseSender(Inbox):
        async def handle_MAIL(self, server, session, envelope, address, mail_options):
            return "553 5.7.1 sender not allowed"

    add_readers(with_issue, tmp_path, 3)
    refused = pytest.raises(MailServerError, match=r"refused the sender brief@example.org \(553 5.7.1 sender not")
    with smtp_server(RefuseSender()) as (inbox, port), refused:
        send_issue(with_issue, SLUG, settings=Settings.load(news_env(port)))
    assert inbox.received == []
    assert count(with_issue, SLUG) == {"pending": 3}
