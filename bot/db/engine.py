"""The engine for ``DATABASE_URL`` and the migrations that bring its schema up to date.

SQLite (the default, a file in the working directory) runs in WAL mode with a busy timeout, and
every transaction takes the write lock when it begins (``BEGIN IMMEDIATE``), so concurrent
writers wait for each other instead of failing; within one process, ``Database.transaction``
also takes turns on a lock, so threads queue in memory instead of in SQLite's busy handler
(which may sleep whole seconds). PostgreSQL goes through psycopg 3.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import sqlalchemy
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.db.lock import SCHEMA_KEY

__all__ = [
    "DEFAULT_DATABASE_URL",
    "MIGRATIONS",
    "Database",
    "DatabaseUnavailable",
    "alembic_config",
    "create_engine",
    "database_url",
    "migrate",
    "open_database",
]

logger = logging.getLogger("bot.db")

DEFAULT_DATABASE_URL = "sqlite:///role_advisor.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_MS = 10_000
SQLITE_RETRY_S = 0.001  # between two tries to take SQLite's write lock
MIGRATION_KEY = 0x526F6C6D  # "Rolm": the advisory lock migrations take turns on (PostgreSQL)
_DRIVERLESS = {"postgres", "postgresql"}  # Heroku and friends hand out postgres://


def database_url(env: Mapping[str, str]) -> str:
    """``DATABASE_URL`` (PostgreSQL URLs without a driver get psycopg), else the SQLite file."""
    value = env.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    scheme, sep, rest = value.partition("://")
    if sep and scheme in _DRIVERLESS:
        return f"postgresql+psycopg://{rest}"
    return value


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # No busy handler: SQLite's sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50 and 100 ms
    # between looks, and a writer that missed a few free moments waited 100-200 ms while the
    # other process took the lock again and again. ``_sqlite_begin`` waits instead.
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: sqlalchemy.Connection) -> None:
    """``BEGIN IMMEDIATE``, looking again every millisecond while another process writes, for
    up to ``SQLITE_BUSY_MS`` (in WAL mode only taking the write lock can be refused: reads,
    and the statements of a transaction that holds it, never are)."""
    raw = connection.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    deadline = time.monotonic() + SQLITE_BUSY_MS / 1000
    while True:
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as refused:
            if refused.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise sqlalchemy.exc.OperationalError("BEGIN IMMEDIATE", None, refused) from None
        time.sleep(SQLITE_RETRY_S)


def create_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and ``BEGIN IMMEDIATE``.

    Its errors never show the statement's parameters: they hold bot tokens and people's text.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sqlalchemy.create_engine(
            url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True
        )
    engine = sqlalchemy.create_engine(
        url,
        hide_parameters=True,
        # The driver's own transaction handling is off; the "begin" hook below opens them.
        connect_args={"check_same_thread": False, "isolation_level": None},
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def alembic_config(url: str | None = None) -> Config:
    """Alembic's configuration for the shipped migrations (what ``alembic.ini`` also says)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """``alembic upgrade head`` on ``engine``'s database.

    On PostgreSQL, processes starting at once take turns (an advisory lock held until the
    migration's transaction ends): the first migrates, the others then find the schema current.
    """
    config = alembic_config()
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            query = sqlalchemy.text(f"select pg_advisory_xact_lock(:key, {SCHEMA_KEY})")
            connection.execute(query, {"key": MIGRATION_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


class Database:
    """An engine and its sessions; ``connect`` migrates the schema first."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self._turns = self._new_turns()

    def _new_turns(self) -> AbstractContextManager[Any]:
        return threading.Lock() if self.engine.dialect.name == "sqlite" else nullcontext()

    @classmethod
    def connect(cls, url: str, *, upgrade: bool = True) -> Database:
        engine = create_engine(url)
        if upgrade:
            migrate(engine)
        logger.info("database ready: %s", make_url(url).render_as_string(hide_password=True))
        return cls(engine)

    @contextmanager
    def turn(self) -> Iterator[None]:
        """This process's turn at the database, for work on ``engine`` that does not go through
        ``transaction`` or ``connection`` (slack_sdk's stores): on SQLite, one at a time."""
        with self._turns:
            yield

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end of the block (rolled back on error)."""
        with self._turns, self.sessions.begin() as session:
            yield session

    @contextmanager
    def connection(self) -> Iterator[sqlalchemy.Connection]:
        """``transaction`` for Core statements alone: no ORM session, a fraction of its cost
        (for the hot paths: a few statements per Slack request)."""
        with self._turns, self.engine.begin() as connection:
            yield connection

    def upsert(self, model: type[Any]) -> postgresql.Insert | sqlite.Insert:
        """An ``INSERT`` into ``model``'s table that takes ``ON CONFLICT`` clauses
        (``on_conflict_do_nothing``, ``on_conflict_do_update``): PostgreSQL's or SQLite's."""
        if self.engine.dialect.name == "postgresql":
            return postgresql.insert(model)
        return sqlite.insert(model)

    def dispose(self) -> None:
        """Close every pooled connection (before a fork, or when done)."""
        self.engine.dispose()

    def after_fork(self) -> None:
        """In a forked child: forget the parent's turns (a thread there may have held one)."""
        self._turns = self._new_turns()


class DatabaseUnavailable(Exception):
    """The database at ``DATABASE_URL`` cannot be used; the message names it (never its
    password) and the error."""


def open_database(env: Mapping[str, str]) -> Database:
    """``Database.connect`` for ``DATABASE_URL`` in ``env`` (the command line's way in);
    raises ``DatabaseUnavailable``."""
    url = database_url(env)
    try:
        return Database.connect(url)
    except SQLAlchemyError as error:
        try:
            where = make_url(url).render_as_string(hide_password=True)
        except SQLAlchemyError:
            where = "DATABASE_URL"
        message = f"The database at {where} cannot be used ({type(error).__name__})."
        raise DatabaseUnavailable(message) from None
