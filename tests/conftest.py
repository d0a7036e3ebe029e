"""Shared fixtures for the whole suite."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
from schemas import new_schema

from bot.answer import Advisor
from bot.db import Database


@pytest.fixture(scope="session")
def advisor() -> Advisor:
    """The shipped knowledge and templates, loaded once for every test."""
    return Advisor.load()


# -- databases -------------------------------------------------------------------------------
# SQLite always; PostgreSQL at TEST_DATABASE_URL when it answers (skipped otherwise, but a
# failure when CI is set). Each PostgreSQL test gets a schema of its own, dropped afterwards.

POSTGRES_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; tests start from copies of it."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    database = Database.connect(f"sqlite:///{path}")
    database.dispose()
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "role_advisor.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def postgres_server() -> str:
    url = os.environ.get("TEST_DATABASE_URL") or POSTGRES_DEFAULT
    engine = sqlalchemy.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("select 1"))
    except sqlalchemy.exc.OperationalError as error:
        reason = f"PostgreSQL at TEST_DATABASE_URL ({url}) is unreachable: {error.orig}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    finally:
        engine.dispose()
    return url


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    with new_schema(postgres_server) as url:
        yield url


@pytest.fixture
def other_postgres_url(postgres_server: str) -> Iterator[str]:
    """A second schema on the same server, as another deployment would have."""
    with new_schema(postgres_server) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test using it runs on SQLite and on PostgreSQL."""
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A migrated database (SQLite, then PostgreSQL)."""
    db = Database.connect(database_url)
    yield db
    db.dispose()


REDIS_DEFAULT = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_url() -> Iterator[str]:
    """Redis at TEST_REDIS_URL (its database 15 by default), emptied before and after each
    test; skipped when it does not answer, a failure when CI is set."""
    import redis

    url = os.environ.get("TEST_REDIS_URL") or REDIS_DEFAULT
    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        reason = f"Redis at TEST_REDIS_URL ({url}) is unreachable: {error}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()
