"""The database layer (bot/db): URLs, engines, and migrations that match the models.

Each test taking ``database`` or ``database_url`` runs on SQLite and on PostgreSQL (skipped when
TEST_DATABASE_URL does not answer, a failure when CI is set).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.db import Base, Database, create_engine, database_url, migrate
from bot.db.engine import alembic_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "sqlite:///role_advisor.db"),
        ({"DATABASE_URL": "  "}, "sqlite:///role_advisor.db"),
        ({"DATABASE_URL": "sqlite:////var/lib/bot.db"}, "sqlite:////var/lib/bot.db"),
        ({"DATABASE_URL": "postgres://u:p@h/db"}, "postgresql+psycopg://u:p@h/db"),
        ({"DATABASE_URL": "postgresql://u@h:5433/db"}, "postgresql+psycopg://u@h:5433/db"),
        ({"DATABASE_URL": "postgresql+psycopg://u@h/db"}, "postgresql+psycopg://u@h/db"),
    ],
)
def test_database_url_defaults_to_a_sqlite_file_and_gives_postgresql_psycopg(env, expected):
    assert database_url(env) == expected


def _tables(engine: sqlalchemy.Engine) -> set[str]:
    return set(sqlalchemy.inspect(engine).get_table_names())


def test_connect_migrates_to_the_newest_revision_and_again_changes_nothing(database_url):
    database = Database.connect(database_url)
    try:
        assert {"slack_events", "slack_outbox", "alembic_version"} <= _tables(database.engine)
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        with database.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == head
        migrate(database.engine)  # already at head: a no-op
        with database.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == head
    finally:
        database.dispose()


def test_the_migrations_create_exactly_what_the_models_describe(database):
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []  # a model changed without a migration: add one


def test_every_migration_downgrades_and_upgrades_again(database_url):
    engine = create_engine(database_url)
    try:
        migrate(engine)
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert _tables(engine) <= {"alembic_version"}
        migrate(engine)
        assert {"slack_events", "slack_outbox"} <= _tables(engine)
    finally:
        engine.dispose()


def test_the_alembic_cli_config_migrates_database_url(tmp_path, monkeypatch):
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.chdir(ROOT)
    command.upgrade(Config(str(ROOT / "alembic.ini")), "head")
    engine = create_engine(f"sqlite:///{path}")
    try:
        assert {"slack_events", "slack_outbox"} <= _tables(engine)
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode_and_waits_for_the_write_lock_itself(sqlite_url):
    engine = create_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            busy = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
            keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
        assert (mode, keys, busy) == ("wal", 1, 0)
    finally:
        engine.dispose()


def _writing(engine: sqlalchemy.Engine, done: threading.Event) -> threading.Thread:
    def write() -> None:
        with engine.begin() as connection:
            connection.exec_driver_sql("insert into waiting (x) values (1)")
        done.set()

    thread = threading.Thread(target=write)
    thread.start()
    return thread


def test_a_writer_waits_while_another_connection_holds_the_write_lock(sqlite_url):
    holder, waiter = create_engine(sqlite_url), create_engine(sqlite_url)
    try:
        with holder.begin() as connection:
            connection.exec_driver_sql("create table waiting (x integer)")
        done = threading.Event()
        with holder.begin():  # BEGIN IMMEDIATE: the write lock, as another process's would be
            thread = _writing(waiter, done)
            assert not done.wait(0.05)
        thread.join(5)
        assert done.is_set()
    finally:
        holder.dispose()
        waiter.dispose()


def test_a_writer_gives_up_on_the_write_lock_after_the_busy_time(sqlite_url, monkeypatch):
    import bot.db.engine

    monkeypatch.setattr(bot.db.engine, "SQLITE_BUSY_MS", 30)
    holder, waiter = create_engine(sqlite_url), create_engine(sqlite_url)
    try:
        with (
            holder.begin(),
            pytest.raises(sqlalchemy.exc.OperationalError) as refused,
            waiter.begin(),
        ):
            pass
        assert refused.value.orig.sqlite_errorcode == sqlite3.SQLITE_BUSY
    finally:
        holder.dispose()
        waiter.dispose()


def test_a_failed_transaction_is_rolled_back(database):
    from bot.db.models import SlackEvent

    def add_then_fail():
        with database.transaction() as session:
            session.add(SlackEvent(key="k", kind="m", body={}, received_at=1.0, status="accepted"))
            session.flush()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        add_then_fail()
    with database.transaction() as session:
        assert session.get(SlackEvent, "k") is None


def test_a_failed_statement_does_not_repeat_its_parameters(database):
    """What people asked is stored: an error (logged with its traceback) does not show the
    values it was given (PostgreSQL's own DETAIL line may still quote a failing row, so the
    code that stores questions logs only the error's type)."""
    statement = sqlalchemy.text("insert into questions (key) values (:key)")
    with (
        pytest.raises(sqlalchemy.exc.IntegrityError) as failure,
        database.connection() as connection,
    ):
        connection.execute(statement, {"key": "what is my manager's salary?"})
    assert "[SQL parameters hidden due to hide_parameters=True]" in str(failure.value)
