"""The lock a serving process holds on its database for as long as it runs.

Processes that cannot share what they keep in memory must not serve one database side by side:
without ``REDIS_URL`` a process keeps conversations and seen signatures to itself, so a second
one would answer follow-ups without their context. ``hold`` takes the lock *shared* for a
process that shares its state (``REDIS_URL``) and *exclusively* for one that does not, and
raises ``LockBusy`` when that conflicts with a process already serving.

- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock`` or
  ``pg_try_advisory_lock_shared``) on a connection of its own, in autocommit, keyed by the
  schema the tables live in (``current_schema()``), so two deployments sharing a server in
  different schemas do not meet. It ends with the connection: when the process exits or dies,
  but also when the server restarts, the network cuts the connection, or the session is ended
  (``pg_terminate_backend``). The connection has TCP keepalives and a ``tcp_user_timeout`` on
  both sides, so a cut is noticed in seconds rather than at the kernel's retransmission timeout
  (minutes), and the server ends the cut session, freeing the lock, as soon (not hours later).
- SQLite serves one process: always exclusive, an ``fcntl.flock`` on a file beside the database
  file (``<file>.lock``), released by the kernel when the process ends, however it ends. An
  in-memory database needs none.

``ServingLock.lost`` says whether the lock is still held (one ``select 1`` on its connection;
for the flock, whether its file is still the one at its path, not removed or replaced), for
``bot.slack.lock_watch`` to ask from time to time.
"""

from __future__ import annotations

import fcntl
import os
from typing import Any, Literal

import sqlalchemy
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

__all__ = ["SCHEMA_KEY", "SERVING_KEY", "LockBusy", "ServingLock", "hold"]

# An advisory lock's key is two numbers: what it is for, and (SQL) the hash of the schema.
SERVING_KEY = 0x526F6C65  # "Role" in ASCII
SCHEMA_KEY = "hashtext(coalesce(current_schema(), ''))"
Backend = Literal["postgresql", "sqlite"]
# The lock's connection over libpq (psycopg): connecting waits 10 s at most, and a cut fails
# within seconds on both sides: here (the check says so), and in the server, which then ends the
# session and lets go of the lock, rather than hold it for a dead client for hours.
_PSYCOPG_DRIVERS = {"psycopg", "psycopg2"}
_CLIENT_SIDE = {
    "connect_timeout": 10,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 10_000,  # milliseconds sent data may stay unacknowledged
}
_SERVER_SIDE = (
    "-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3 "
    "-c tcp_user_timeout=10000"
)


class LockBusy(Exception):
    """Another process serves this database in a way this one cannot serve beside."""

    def __init__(self, backend: Backend, *, shared: bool) -> None:
        self.backend = backend
        self.shared = shared  # what this process asked for
        super().__init__(f"the {backend} database is already served ({shared=})")


class ServingLock:
    """A lock held until ``release`` (or the end of a ``with`` block, or of the process)."""

    def __init__(
        self,
        *,
        connection: Connection | None = None,
        fd: int | None = None,
        path: str | None = None,
    ) -> None:
        self._connection = connection
        self._fd = fd
        self._path = path  # the flock's file

    def lost(self) -> str | None:
        """``None`` while the lock is held; else what became of it. On PostgreSQL one
        ``select 1`` on the lock's connection (a session's advisory lock lasts as long as the
        session); for the flock, a ``stat`` of its file."""
        if self._connection is not None:
            try:
                self._connection.execute(text("select 1"))
            except SQLAlchemyError as error:
                cause = error.orig if isinstance(error, DBAPIError) else error
                said = str(cause).strip().splitlines()
                detail = f"{type(cause).__name__}: {said[0]}" if said else type(cause).__name__
                return f"its connection to the database ended ({detail})"
        if self._fd is not None and self._path is not None:
            try:
                held, there = os.fstat(self._fd), os.stat(self._path)
            except OSError:
                return f"its file {self._path} was removed"
            if (held.st_dev, held.st_ino) != (there.st_dev, there.st_ino):
                return f"its file {self._path} was replaced"
        return None

    def release(self) -> None:
        if self._connection is not None:
            engine = self._connection.engine
            self._connection.close()  # the session ends, and its advisory locks with it
            engine.dispose()
            self._connection = None
        if self._fd is not None:
            os.close(self._fd)  # the flock goes with the last descriptor
            self._fd = None

    def __enter__(self) -> ServingLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def hold(url: str, *, shared: bool) -> ServingLock:
    """The serving lock on the database at ``url``; raises ``LockBusy``, ``OSError`` (SQLite:
    the folder is missing) or SQLAlchemy's errors (PostgreSQL: it cannot be reached)."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _file_lock(parsed.database)
    if backend == "postgresql":
        return _advisory_lock(url, shared=shared)
    return ServingLock()  # another database: no lock of ours


def _file_lock(database: str | None) -> ServingLock:
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return ServingLock()
    path = f"{database}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise LockBusy("sqlite", shared=False) from None
    except BaseException:
        os.close(fd)
        raise
    return ServingLock(fd=fd, path=path)


def _advisory_lock(url: str, *, shared: bool) -> ServingLock:
    engine = sqlalchemy.create_engine(url, poolclass=NullPool, connect_args=_keepalives(url))
    try:
        connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    except BaseException:
        engine.dispose()
        raise
    lock = ServingLock(connection=connection)
    function = "pg_try_advisory_lock_shared" if shared else "pg_try_advisory_lock"
    try:
        query = text(f"select {function}(:key, {SCHEMA_KEY})")
        taken = connection.scalar(query, {"key": SERVING_KEY})
    except BaseException:
        lock.release()
        raise
    if not taken:
        lock.release()
        raise LockBusy("postgresql", shared=shared)
    return lock


def _keepalives(url: str) -> dict[str, Any]:
    """The lock connection's keepalives (none but libpq's); what the URL says itself stands
    (``?tcp_user_timeout=...``, its own ``options``, which come after ours)."""
    parsed = make_url(url)
    if parsed.get_driver_name() not in _PSYCOPG_DRIVERS:
        return {}
    ours: dict[str, Any] = {k: v for k, v in _CLIENT_SIDE.items() if k not in parsed.query}
    given = parsed.query.get("options", "")
    given = " ".join(given) if isinstance(given, tuple) else given
    ours["options"] = f"{_SERVER_SIDE} {given}".strip()
    return ours
