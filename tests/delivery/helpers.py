"""Small helpers shared by the newsletter tests."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from nearshore.delivery.db import Database
from nearshore.delivery.subscribers import import_csv


def add_readers(db: Database, tmp: Path, count: int, topic: str = "us-mexico", frequency: str = "weekly") -> list[str]:
    """`count` active subscribers reader0@example.org ... through the real CSV import."""
    emails = [f"reader{i}@example.org" for i in range(count)]
    path = tmp / f"readers-{topic}-{count}.csv"
    path.write_text(
        "email,name,topics,frequency\n" + "".join(f"{e},Reader {i},{topic},{frequency}\n" for i, e in enumerate(emails))
    )
    import_csv(db, path, confirmed=True)
    return emails


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]
