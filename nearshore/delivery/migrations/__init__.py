"""Alembic migrations of the newsletter database (applied by `nearshore.delivery.db.open_database`)."""
