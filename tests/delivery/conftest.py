"""Fixtures for the newsletter tests: settings pointing at a real SMTP server on 127.0.0.1, a real SQLite
file (and PostgreSQL when it can be started), and one issue built from the embedded snapshot per session."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from nearshore.delivery.db import Database, open_database
from nearshore.settings import Settings
from tests.delivery.servers import Inbox, new_pg_database, pg_unavailable, postgres, smtp_server

SECRET = "test-secret-0123456789-abcdefghijklmnop"
BASE_URL = "https://brief.example.org"
NOW = datetime(2026, 5, 11, 7, 0, tzinfo=UTC)


def news_env(port: int, **extra: str) -> dict[str, str]:
    """Newsletter settings sending to 127.0.0.1:`port`, with the session's private store (never the user's)."""
    private = {k: os.environ[k] for k in ("NEARSHORE_DATA_DIR", "NEARSHORE_DB") if k in os.environ}
    return {
        **private,
        "NEARSHORE_NEWSLETTER_FROM": "nearshore brief <brief@example.org>",
        "NEARSHORE_NEWSLETTER_URL": BASE_URL,
        "NEARSHORE_NEWSLETTER_SECRET": SECRET,
        "NEARSHORE_SMTP_HOST": "127.0.0.1",
        "NEARSHORE_SMTP_PORT": str(port),
        "NEARSHORE_SMTP_SECURITY": "none",
        "NEARSHORE_SMTP_RATE": "0",
        "NEARSHORE_SMTP_RETRIES": "2",
        "NEARSHORE_SMTP_TIMEOUT": "5",
        **extra,
    }


@dataclass
class Mail:
    """A running SMTP server and the settings that send to it."""

    inbox: Inbox
    port: int
    env: dict[str, str]

    def settings(self, **extra: str) -> Settings:
        return Settings.load({**self.env, **extra})


@pytest.fixture
def mail(monkeypatch: pytest.MonkeyPatch) -> Iterator[Mail]:
    with smtp_server() as (inbox, port):
        env = news_env(port)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        yield Mail(inbox, port, env)


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """NEARSHORE_DATABASE_URL at a private SQLite file, for the commands and services that open it themselves."""
    path = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("NEARSHORE_DATABASE_URL", f"sqlite:///{path}")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'newsletter.sqlite3'}")
    yield database
    database.close()


@pytest.fixture(scope="session")
def pg_base() -> Iterator[str]:
    reason = pg_unavailable()
    if reason:
        pytest.skip(reason)
    with postgres() as url:
        yield url


_pg_count = [0]


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The same test on a real SQLite file and on PostgreSQL (skipped, with the reason, without it)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'newsletter.sqlite3'}"
    else:
        base = request.getfixturevalue("pg_base")
        _pg_count[0] += 1
        url = new_pg_database(base, f"t{_pg_count[0]}")
    database = open_database(url)
    yield database
    database.close()


@pytest.fixture(scope="session")
def issue_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite newsletter database holding one us-mexico issue built from the embedded snapshot."""
    from nearshore.delivery.issues import build_issue

    path = tmp_path_factory.mktemp("issue") / "newsletter.sqlite3"
    database = open_database(f"sqlite:///{path}")
    try:
        build_issue(database, "us-mexico", settings=Settings.load(news_env(25)), now=NOW)
    finally:
        database.close()
    return path


@pytest.fixture
def with_issue(issue_db: Path, tmp_path: Path) -> Iterator[Database]:
    """A private copy of the database with the built issue."""
    target = tmp_path / "newsletter.sqlite3"
    with sqlite3.connect(issue_db) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    database = open_database(f"sqlite:///{target}")
    yield database
    database.close()
