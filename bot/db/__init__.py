"""The app's database: SQLAlchemy models, the engine for ``DATABASE_URL``, Alembic migrations.

Every table lives in ``bot.db.models`` and comes from a migration in ``bot/db/migrations``;
``Database.connect`` brings the schema to the newest revision before anything uses it. Another
feature adds its tables by adding models there and a migration (``alembic revision
--autogenerate -m "..."`` from the repository root).
"""

from bot.db.engine import (
    DEFAULT_DATABASE_URL,
    Database,
    DatabaseUnavailable,
    create_engine,
    database_url,
    migrate,
    open_database,
)
from bot.db.models import Base

__all__ = [
    "DEFAULT_DATABASE_URL",
    "Base",
    "Database",
    "DatabaseUnavailable",
    "create_engine",
    "database_url",
    "migrate",
    "open_database",
]
