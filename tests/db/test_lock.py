"""The serving lock (bot/db/lock.py) and migrations taking turns, on SQLite and PostgreSQL.

A lock is taken here in the test's own process on separate connections (PostgreSQL) or file
descriptors (SQLite's flock belongs to the open file, not the process), which is how two
processes meet; tests/slack/test_workers.py starts real processes.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from schemas import end_the_lock_s_session
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.db import Database
from bot.db.engine import alembic_config
from bot.db.lock import LockBusy, hold


def test_one_process_without_shared_state_holds_the_database_alone(database_url):
    with hold(database_url, shared=False):
        with pytest.raises(LockBusy) as refused:
            hold(database_url, shared=False)
        assert refused.value.shared is False
        with pytest.raises(LockBusy):
            hold(database_url, shared=True)
    with hold(database_url, shared=False):  # released with the first one
        pass


def test_on_postgresql_processes_sharing_their_state_serve_side_by_side(postgres_url):
    first, second = hold(postgres_url, shared=True), hold(postgres_url, shared=True)
    try:
        with pytest.raises(LockBusy) as refused:  # one without REDIS_URL may not join them
            hold(postgres_url, shared=False)
        assert (refused.value.backend, refused.value.shared) == ("postgresql", False)
    finally:
        first.release()
        second.release()
    hold(postgres_url, shared=False).release()


def test_sqlite_serves_one_process_even_with_shared_state(sqlite_url):
    with hold(sqlite_url, shared=True):
        with pytest.raises(LockBusy) as refused:
            hold(sqlite_url, shared=True)
        assert refused.value.backend == "sqlite"


def test_an_in_memory_sqlite_database_needs_no_lock():
    with hold("sqlite://", shared=False), hold("sqlite://", shared=False):
        pass


def test_deployments_in_other_schemas_of_one_server_do_not_meet(
    postgres_url, other_postgres_url
):
    with hold(postgres_url, shared=False), hold(other_postgres_url, shared=False):
        pass


# Each process imports first and says so, then waits for the word to connect (and migrate).
_MIGRATE = """
import pathlib, sys, time
from bot.db import Database
folder = pathlib.Path(sys.argv[2])
(folder / sys.argv[3]).touch()
while not (folder / "go").exists():
    time.sleep(0.01)
Database.connect(sys.argv[1]).dispose()
"""


def test_processes_migrating_an_empty_postgresql_schema_at_once_take_turns(
    postgres_url, tmp_path
):
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _MIGRATE, postgres_url, str(tmp_path), f"ready{n}"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(3)
    ]
    deadline = time.monotonic() + 30
    while len(list(tmp_path.glob("ready*"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    (tmp_path / "go").touch()
    errors = [p.communicate(timeout=60)[1] for p in processes]
    assert [(p.returncode, error) for p, error in zip(processes, errors, strict=True)] == [
        (0, "")
    ] * 3
    database = Database.connect(postgres_url, upgrade=False)
    try:
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        with database.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == head
    finally:
        database.dispose()


# -- a lock that is lost while held -----------------------------------------------------------
# (tests/slack/test_lock_watch.py: the process that notices stops.)

def test_a_held_lock_is_not_lost_until_its_postgresql_session_ends(postgres_url):
    lock = hold(postgres_url, shared=False)
    try:
        assert lock.lost() is None
        assert lock.lost() is None  # asking again changes nothing
        end_the_lock_s_session(postgres_url)
        lost = lock.lost()
        assert lost is not None
        assert lost == (
            "its connection to the database ended "
            "(AdminShutdown: terminating connection due to administrator command)"
        )
        hold(postgres_url, shared=False).release()  # free for a new holder: the server let go
    finally:
        lock.release()


def test_a_shared_lock_is_watched_the_same_way(postgres_url):
    with hold(postgres_url, shared=True) as lock:
        assert lock.lost() is None
        end_the_lock_s_session(postgres_url)
        assert lock.lost() is not None


@pytest.mark.parametrize("how", ["removed", "replaced"])
def test_a_sqlite_lock_whose_file_goes_is_lost(sqlite_url, how):
    path = Path(make_url(sqlite_url).database + ".lock")
    with hold(sqlite_url, shared=False) as lock:
        assert lock.lost() is None
        path.unlink()
        if how == "replaced":
            path.touch()
        assert lock.lost() == f"its file {path} was {how}"
        hold(sqlite_url, shared=False).release()  # what a second copy could do now


def test_a_lock_with_nothing_to_hold_is_never_lost():
    with hold("sqlite://", shared=False) as lock:
        assert lock.lost() is None


def test_the_lock_s_connection_times_out_a_cut_on_both_sides_unless_the_url_says_otherwise(
    postgres_url,
):
    """libpq's keepalives and tcp_user_timeout here, the server's for the session (so that it
    ends a cut session and frees the lock within seconds); the URL's own options stand."""

    def settings(lock):
        connection = lock._connection
        libpq = connection.connection.driver_connection.info.get_parameters()
        server = {
            name: connection.scalar(text(f"show {name}"))
            for name in ("tcp_keepalives_idle", "tcp_user_timeout", "search_path")
        }
        return libpq["tcp_user_timeout"], server

    schema = make_url(postgres_url).query["options"].removeprefix("-csearch_path=")
    with hold(postgres_url, shared=False) as lock:
        assert settings(lock) == (
            "10000",
            {"tcp_keepalives_idle": "5", "tcp_user_timeout": "10000", "search_path": schema},
        )
    options = f"-csearch_path={schema} -c tcp_keepalives_idle=60"
    own = {"tcp_user_timeout": "30000", "options": options}
    url = make_url(postgres_url).update_query_dict(own)
    with hold(url.render_as_string(hide_password=False), shared=False) as lock:
        assert settings(lock) == (
            "30000",
            {"tcp_keepalives_idle": "60", "tcp_user_timeout": "10000", "search_path": schema},
        )
