"""One sender at a time per database: an exclusive lock the operating system (SQLite: a lock file beside the
database) or the server (PostgreSQL: an advisory lock) releases when the process dies, so a send killed with
kill -9 can be resumed at once."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from sqlalchemy import text

from nearshore.delivery.db import Database
from nearshore.errors import DeliveryError

PG_LOCK_KEY: Final = 0x6E656172  # 'near'


@contextlib.contextmanager
def send_lock(db: Database, what: str) -> Iterator[None]:
    if db.dialect == "sqlite":
        database = db.engine.url.database or ""
        if not database or database == ":memory:":
            yield
            return
        path = Path(database).with_name(Path(database).name + ".send-lock")
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise _busy(what, str(path)) from None
            yield
        finally:
            os.close(handle)
        return
    if db.dialect == "postgresql":
        with db.connect() as connection:
            if not connection.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": PG_LOCK_KEY}):
                raise _busy(what, "a PostgreSQL advisory lock")
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PG_LOCK_KEY})
                connection.commit()
        return
    yield


def _busy(what: str, lock: str) -> DeliveryError:
    return DeliveryError(
        f"another nearshore process is sending from this newsletter database ({lock}); {what} was not started. "
        "Wait for it to finish (or end it) and run the command again: it resumes where the other stopped"
    )


__all__ = ["send_lock"]
