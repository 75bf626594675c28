"""Bad input and security: each case gives a clear error, and nothing is written, sent twice or injected."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

from nearshore.delivery.addresses import clean_name, normalise_email
from nearshore.delivery.config import NewsletterConfig
from nearshore.delivery.db import Database
from nearshore.delivery.message import Recipient, build_template
from nearshore.delivery.optin import subscribe
from nearshore.delivery.subscribers import export_csv, import_csv, list_subscribers
from nearshore.errors import AddressError, ConfigError, SubscriberStoreError, ValidationFailed
from tests.delivery.conftest import BASE_URL, NOW, SECRET

CONFIG = NewsletterConfig("nearshore brief <brief@example.org>", BASE_URL, SECRET)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("reader.example.org", "An email address must have an @-sign"),
        ("reader@", "There must be something after the @-sign"),
        ("reader@@example.org", "The part after the @-sign contains invalid characters: '@'"),
        ("<script>alert(1)</script>@example.org", "There can't be anything after the email address"),
        ('"quoted"@example.org', "Quoting the part before the @-sign is not allowed here"),
        ("reader@example", "The part after the @-sign is not valid. It should have a period"),
        ("", "email is empty"),
    ],
)
def test_malformed_address(db: Database, value: str, reason: str) -> None:
    with pytest.raises(AddressError, match=reason) as error:
        subscribe(db, CONFIG, value, now=NOW)
    assert error.value.field == "email"
    assert error.value.exit_code == 2
    assert list_subscribers(db) == []


@pytest.mark.parametrize(
    "value",
    ["reader@example.org\r\nBcc: victim@example.com", "reader@example.org\nX-Evil: 1", "reader@exa\x00mple.org"],
)
def test_crlf_in_an_address_is_refused(value: str) -> None:
    with pytest.raises(AddressError, match=r"contains a control character .* which could add a mail header"):
        normalise_email(value)


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "Ana &lt;b&gt;",
        "javascript:alert(1)",
        '=HYPERLINK("http://evil")',
        "Ana\r\nBcc: victim@example.com",
    ],
)
def test_markup_script_or_header_in_a_name_is_refused(db: Database, name: str) -> None:
    with pytest.raises(AddressError) as error:
        subscribe(db, CONFIG, "reader@example.org", name=name, now=NOW)
    assert error.value.field == "name"
    assert list_subscribers(db) == []


def test_plain_names_pass_unchanged() -> None:
    assert clean_name("  José Pérez-Ortega  ") == "José Pérez-Ortega"
    assert clean_name("O'Neil & Sons") == "O'Neil & Sons"


def test_crlf_cannot_reach_a_header_of_a_sent_message() -> None:
    template = build_template("brief <brief@example.org>", "Subject", "text", "<p>html</p>")
    for field in ("email", "name", "unsubscribe_url", "message_id"):
        values = {"email": "a@example.org", "name": "A", "unsubscribe_url": "https://x/u", "message_id": "<1@x>"}
        values[field] += "\r\nBcc: victim@example.com"
        with pytest.raises(AddressError, match=r"control character"):
            template.personalise(Recipient(**values))
    with pytest.raises(AddressError, match=r"subject contains a control character"):
        build_template("brief <brief@example.org>", "Hello\r\nBcc: victim@example.com", "t", "<p>h</p>")


def test_sender_with_crlf_is_a_configuration_error() -> None:
    bad = NewsletterConfig("brief <brief@example.org>\r\nBcc: victim@example.com", BASE_URL, SECRET)
    with pytest.raises(ConfigError, match=r"NEARSHORE_NEWSLETTER_FROM must be a sender address"):
        bad.require_sender()


def test_import_lists_every_bad_row_and_imports_nothing(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "readers.csv"
    path.write_text(
        "email,name,topics,frequency\n"
        "good@example.org,Good,us-mexico,weekly\n"
        "not-an-address,Bad,us-mexico,weekly\n"
        "x@example.org,<b>bold</b>,us-mexico,weekly\n"
        "y@example.org,Y,mars,hourly\n"
    )
    with pytest.raises(ValidationFailed) as error:
        import_csv(db, path)
    text = str(error.value)
    assert "4 problem(s) found; nothing was imported" in text
    assert f"{path}, row 3, column 'email'" in text
    assert "'not-an-address'" in text
    assert f"{path}, row 4, column 'name'" in text
    assert f"{path}, row 5, column 'topics'" in text
    assert "'mars'" in text
    assert f"{path}, row 5, column 'frequency'" in text
    assert "'hourly'" in text
    assert list_subscribers(db) == []


def test_import_merges_duplicates_and_export_round_trips(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "readers.csv"
    path.write_text(
        "email,name,topics\nA@Example.org,Ana,us-mexico\na@example.org,,us-canada\nb@example.org,Bo,north-america\n"
    )
    report = import_csv(db, path, confirmed=True)
    assert (report.added, report.merged, report.rows) == (2, 1, 3)
    views = {v.email: v for v in list_subscribers(db)}
    assert views["a@example.org"].topics == ("us-canada", "us-mexico")
    assert views["a@example.org"].name == "Ana"
    exported = export_csv(db).splitlines()
    assert exported[0].startswith("email,name,status,frequency,topics")
    assert exported[1].startswith("a@example.org,Ana,active,weekly,us-canada us-mexico,")
    again = tmp_path / "again.csv"
    again.write_text("\n".join(exported) + "\n")
    assert import_csv(db, again).merged == 2  # nothing new: every address is already there


def test_locked_database_is_a_clear_error_and_nothing_is_lost(tmp_path: Path) -> None:
    from nearshore.delivery.db import open_database

    path = tmp_path / "locked.sqlite3"
    db = open_database(f"sqlite:///{path}", busy_ms=200)
    subscribe(db, CONFIG, "kept@example.org", now=NOW)
    holder = sqlite3.connect(path, timeout=0.1)
    holder.execute("BEGIN IMMEDIATE")  # another process writing
    try:
        with pytest.raises(SubscriberStoreError, match=r"the newsletter database sqlite:///.*locked.sqlite3 is locked"):
            subscribe(db, CONFIG, "new@example.org", now=NOW)
    finally:
        holder.rollback()
        holder.close()
    assert [v.email for v in list_subscribers(db)] == ["kept@example.org"]
    assert subscribe(db, CONFIG, "new@example.org", now=NOW).created  # works again once the lock is gone
    db.close()


def test_full_database_is_a_clear_error_and_nothing_is_lost(db: Database) -> None:
    subscribe(db, CONFIG, "kept@example.org", now=NOW)
    db.engine.dispose()
    with sqlite3.connect(db.engine.url.database or "") as raw:
        pages = raw.execute("PRAGMA page_count").fetchone()[0]

    @event.listens_for(db.engine, "connect")
    def cap(connection, _record) -> None:  # SQLite's own size limit: writes past it fail with SQLITE_FULL
        connection.execute(f"PRAGMA max_page_count={pages}")

    def write_many() -> None:
        from nearshore.delivery.models import Subscriber

        with db.session() as session:
            for i in range(3000):
                email = f"r{i}@example.org"
                session.add(Subscriber(email=email, name=f"Reader {i}", key=email, created_at=NOW, status="active"))

    with pytest.raises(SubscriberStoreError, match=r"is full .*nothing was changed; free disk space"):
        write_many()
    assert [v.email for v in list_subscribers(db)] == ["kept@example.org"]


def test_unreachable_database_hides_the_password() -> None:
    from nearshore.delivery.db import open_database
    from tests.delivery.servers import free_port

    url = f"postgresql+psycopg://reader:s3cr3t-pw@127.0.0.1:{free_port()}/nearshore"
    with pytest.raises(SubscriberStoreError) as error:
        open_database(url)
    assert "s3cr3t-pw" not in str(error.value)
    assert "cannot be reached" in str(error.value)
    assert "127.0.0.1" in str(error.value)


def test_missing_or_short_secret_is_a_configuration_error(db: Database) -> None:
    weak = NewsletterConfig(CONFIG.sender, BASE_URL, "short")
    with pytest.raises(ConfigError, match=r"NEARSHORE_NEWSLETTER_SECRET is shorter than 32 characters"):
        subscribe(db, weak, "reader@example.org", now=NOW)
    assert "short" not in repr(weak)


def test_secrets_stay_out_of_reprs() -> None:
    from nearshore.delivery.config import IMAPConfig, SMTPConfig
    from nearshore.settings import Settings

    settings = Settings.load(
        {
            "NEARSHORE_SMTP_PASSWORD": "smtp-pw-777",
            "NEARSHORE_IMAP_HOST": "imap.example.org",
            "NEARSHORE_IMAP_PASSWORD": "imap-pw-888",
            "NEARSHORE_NEWSLETTER_SECRET": SECRET,
            "NEARSHORE_DATABASE_URL": "postgresql+psycopg://u:db-pw-999@db.example.org/n",
        }
    )
    shown = " ".join(
        repr(c)
        for c in (
            SMTPConfig.from_settings(settings),
            IMAPConfig.from_settings(settings),
            NewsletterConfig.from_settings(settings),
            settings.redacted(),
        )
    )
    for secret in ("smtp-pw-777", "imap-pw-888", SECRET, "db-pw-999"):
        assert secret not in shown
