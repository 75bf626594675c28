"""Alembic environment: runs on the connection `open_database` passes in `config.attributes`, or on the URL
set as `sqlalchemy.url` (e.g. `alembic -x` use by a developer)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from nearshore.delivery.models import Base

config = context.config
target = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as owned:
        context.configure(connection=owned, target_metadata=target, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
