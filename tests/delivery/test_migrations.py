"""The alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL, and
opening a database twice (or with a newer nearshore) is harmless."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from nearshore.delivery.db import Database, open_database, upgrade
from nearshore.delivery.models import Base


def test_migrated_schema_matches_the_models(any_db: Database) -> None:
    with any_db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_revision() == "0001"


def test_downgrade_to_nothing_and_up_again(any_db: Database) -> None:
    upgrade_down = _downgrade(any_db)
    assert upgrade_down == {"alembic_version"}
    upgrade(any_db)
    assert set(inspect(any_db.engine).get_table_names()) >= set(Base.metadata.tables)


def _downgrade(db: Database) -> set[str]:
    from alembic import command
    from alembic.config import Config

    from nearshore.delivery.db import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    return set(inspect(db.engine).get_table_names())


def test_opening_again_keeps_the_data(tmp_path) -> None:
    from tests.delivery.helpers import add_readers

    url = f"sqlite:///{tmp_path / 'n.sqlite3'}"
    first = open_database(url)
    add_readers(first, tmp_path, 2)
    first.close()
    second = open_database(url)
    from nearshore.delivery.subscribers import list_subscribers

    assert len(list_subscribers(second)) == 2
    second.close()
