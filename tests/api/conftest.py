"""Fixtures for the HTTP API tests: a real store file seeded from the embedded snapshot (once per session,
copied for tests that write), the app in a TestClient, API keys made the way an operator makes them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from nearshore.api.app import create_app
from nearshore.auth.keys import KeyStore
from nearshore.settings import Settings
from tests.delivery.conftest import mail, news_env  # noqa: F401  # fixtures shared with the newsletter tests

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file seeded from the embedded snapshot (the data a fresh `nearshore serve` answers from)."""
    from nearshore.data.snapshot import open_store

    folder = tmp_path_factory.mktemp("api-store")
    path = folder / "nearshore.duckdb"
    with open_store(Settings.load({"NEARSHORE_DB": str(path), "NEARSHORE_DATA_DIR": str(folder)}), read_only=True):
        pass
    return path


@dataclass
class Server:
    """An app over a store, and where its files live."""

    client: TestClient
    home: Path
    env: dict[str, str]

    def key(self, name: str = "tester") -> str:
        return KeyStore(self.home / "api-keys.json").create(name).key

    def auth(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}


def api_env(home: Path, store: Path, **extra: str) -> dict[str, str]:
    return {
        "NEARSHORE_DATA_DIR": str(home),
        "NEARSHORE_DB": str(store),
        "NEARSHORE_API_KEYS_FILE": str(home / "api-keys.json"),
        "NEARSHORE_DATABASE_URL": f"sqlite:///{home / 'newsletter.sqlite3'}",
        **extra,
    }


@pytest.fixture(scope="module")
def reader(seeded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One app per test module over the shared seeded store, for calls that change nothing."""
    home = tmp_path_factory.mktemp("api-home")
    env = api_env(home, seeded_store)
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        with TestClient(create_app(Settings.load()), raise_server_exceptions=False) as client:
            yield Server(client, home, env)


@pytest.fixture
def writer(seeded_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """An app over a private copy of the store (and its own key file and newsletter database)."""
    store = tmp_path / "nearshore.duckdb"
    shutil.copy(seeded_store, store)
    env = api_env(tmp_path, store)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with TestClient(create_app(Settings.load()), raise_server_exceptions=False) as client:
        yield Server(client, tmp_path, env)


def private_env() -> dict[str, str]:
    return {k: os.environ[k] for k in ("NEARSHORE_DATA_DIR", "NEARSHORE_DB") if k in os.environ}


def mailed_link(raw: bytes, kind: str = "confirm") -> str:
    """The `kind` link (confirm, unsubscribe) in a mail as the reader sees it (decoded), as an URL."""
    import re
    from email import message_from_bytes, policy

    message = message_from_bytes(raw, policy=policy.default)
    body = message.get_body(("plain",))
    assert body is not None
    found = re.search(rf"https?://\S+/newsletter/{kind}\?token=\S+", body.get_content())
    assert found, body
    return found.group(0)
