"""Opening the newsletter database: SQLite in the user's data directory by default, PostgreSQL (or any
SQLAlchemy URL) from NEARSHORE_DATABASE_URL; alembic brings the schema to the latest revision on open.

Database errors leave through `errors()`, which turns a locked, full or unreachable database into a
SubscriberStoreError naming the database (password masked) and what to do; the transaction is rolled back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from nearshore.errors import ConfigError, SubscriberStoreError
from nearshore.settings import Settings

MIGRATIONS: Final = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS: Final = 5000


@dataclass(frozen=True)
class Database:
    """An open newsletter database: the engine, a session factory, and a printable name (no password)."""

    engine: Engine
    sessions: sessionmaker[Session]
    name: str

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self.errors(), self.sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.errors(), self.engine.connect() as connection:
            yield connection

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        try:
            yield
        except DBAPIError as exc:
            raise store_error(exc, self.name) from None

    def close(self) -> None:
        self.engine.dispose()


def store_error(exc: DBAPIError, name: str) -> SubscriberStoreError:
    text = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
    lower = text.lower()
    if "locked" in lower or "lock timeout" in lower or "deadlock" in lower:
        hint = "another process holds it; run again when that process has finished"
        what = "is locked"
    elif "full" in lower or "no space" in lower or "disk quota" in lower:
        hint = "free disk space (or raise the database's size limit) and run again"
        what = "is full"
    elif exc.connection_invalidated or "connect" in lower or "unable to open" in lower:
        hint = "check NEARSHORE_DATABASE_URL and that the database server is running"
        what = "cannot be reached"
    else:
        hint = "check the database and run again"
        what = "failed"
    return SubscriberStoreError(f"the newsletter database {name} {what} ({text}); nothing was changed; {hint}")


def _sqlite_pragmas(busy_ms: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL with synchronous=NORMAL: a commit survives the process being killed (it is in the OS cache);
        # only a power cut can lose the last commits, never corrupt the file.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cursor.close()

    return on_connect


def open_database(
    url: str | None = None, settings: Settings | None = None, *, busy_ms: int = BUSY_TIMEOUT_MS, migrate: bool = True
) -> Database:
    """Open (and create or migrate) the newsletter database at `url`, or the one the settings name."""
    from nearshore.delivery.config import database_url

    raw = url or database_url(settings or Settings.load())
    try:
        parsed = make_url(raw)
    except ArgumentError:
        raise ConfigError(
            "NEARSHORE_DATABASE_URL is not an SQLAlchemy URL; give e.g. postgresql+psycopg://user@host/nearshore "
            "or sqlite:////path/to/newsletter.sqlite3"
        ) from None
    name = parsed.render_as_string(hide_password=True)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": busy_ms / 1000}
    try:
        engine = create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ImportError) as exc:
        raise ConfigError(
            f"no database driver for {parsed.drivername} ({exc}); for PostgreSQL install "
            "'nearshore[newsletter]' (psycopg) and use a postgresql+psycopg:// URL"
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas(busy_ms))
    db = Database(engine, sessionmaker(engine, expire_on_commit=False), name)
    if migrate:
        try:
            upgrade(db)
        except SQLAlchemyError as exc:
            engine.dispose()
            if isinstance(exc, DBAPIError):
                raise store_error(exc, name) from None
            raise SubscriberStoreError(f"the newsletter database {name} could not be migrated: {exc}") from None
    return db


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema to `revision` with alembic (nothing to do when it is there already)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


__all__ = ["Database", "open_database", "store_error", "upgrade"]
