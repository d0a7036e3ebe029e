"""Alembic's environment: programmatic runs hand over a connection, the CLI uses the URL.

From the repository root, ``alembic upgrade head`` migrates ``DATABASE_URL`` (the SQLite file
by default); ``alembic revision --autogenerate -m "..."`` writes a new migration from the models.
"""

from __future__ import annotations

import os

from alembic import context

from bot.db.engine import create_engine, database_url
from bot.db.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or database_url(os.environ)
    engine = create_engine(url)
    try:
        with engine.connect() as own:
            context.configure(connection=own, target_metadata=target_metadata)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run them against a database")
run()
