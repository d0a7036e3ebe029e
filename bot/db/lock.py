"""The lock a serving process holds on its database for as long as it runs.

Processes that cannot share what they keep in memory must not serve one database side by side:
without ``REDIS_URL`` a process keeps conversations and seen signatures to itself, so a second
one would answer follow-ups without their context. ``hold`` takes the lock *shared* for a
process that shares its state (``REDIS_URL``) and *exclusively* for one that does not, and
raises ``LockBusy`` when that conflicts with a process already serving.

- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock`` or
  ``pg_try_advisory_lock_shared``) on a connection of its own, in autocommit, keyed by the
  schema the tables live in (``current_schema()``), so two deployments sharing a server in
  different schemas do not meet. It ends with the connection: when the process exits or dies.
- SQLite serves one process: always exclusive, an ``fcntl.flock`` on a file beside the database
  file (``<file>.lock``), released by the kernel when the process ends, however it ends. An
  in-memory database needs none.
"""

from __future__ import annotations

import fcntl
import os
from typing import Literal

import sqlalchemy
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

__all__ = ["SCHEMA_KEY", "SERVING_KEY", "LockBusy", "ServingLock", "hold"]

# An advisory lock's key is two numbers: what it is for, and (SQL) the hash of the schema.
SERVING_KEY = 0x526F6C65  # "Role" in ASCII
SCHEMA_KEY = "hashtext(coalesce(current_schema(), ''))"
Backend = Literal["postgresql", "sqlite"]


class LockBusy(Exception):
    """Another process serves this database in a way this one cannot serve beside."""

    def __init__(self, backend: Backend, *, shared: bool) -> None:
        self.backend = backend
        self.shared = shared  # what this process asked for
        super().__init__(f"the {backend} database is already served ({shared=})")


class ServingLock:
    """A lock held until ``release`` (or the end of a ``with`` block, or of the process)."""

    def __init__(self, *, connection: Connection | None = None, fd: int | None = None) -> None:
        self._connection = connection
        self._fd = fd

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


def _file_lock(path: str | None) -> ServingLock:
    if not path or path == ":memory:" or path.startswith("file::memory:"):
        return ServingLock()
    fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise LockBusy("sqlite", shared=False) from None
    except BaseException:
        os.close(fd)
        raise
    return ServingLock(fd=fd)


def _advisory_lock(url: str, *, shared: bool) -> ServingLock:
    engine = sqlalchemy.create_engine(url, poolclass=NullPool)
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
