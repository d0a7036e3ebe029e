"""The watch on the serving lock (bot/slack/lock_watch.py), against a real PostgreSQL and
SQLite file: a lock that goes while its process serves stops that process, once, with one
ERROR line. The checks come every few milliseconds here instead of seconds;
test_workers.py ends the lock's session under the real ``web:`` process."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from fake_slack import WAIT, wait_until
from schemas import end_the_lock_s_session
from sqlalchemy.engine import make_url

from bot.db.lock import ServingLock, hold
from bot.slack.lock_watch import LockWatch


class Counted:
    """The real lock, counting how often it was asked."""

    def __init__(self, lock: ServingLock) -> None:
        self.lock = lock
        self.asked = 0

    def lost(self) -> str | None:
        self.asked += 1
        return self.lock.lost()


def test_a_lock_whose_postgresql_session_ends_stops_the_process_with_one_error_line(
    postgres_url, caplog
):
    stopped = threading.Event()
    where = "postgresql://db/x"
    with hold(postgres_url, shared=False) as lock, caplog.at_level(logging.INFO):
        counted = Counted(lock)
        with LockWatch(counted, where=where, every=0.01, stop=stopped.set) as watch:
            wait_until(lambda: counted.asked >= 3, "a few checks")
            assert not stopped.is_set()
            assert watch.lost is None
            end_the_lock_s_session(postgres_url)
            assert stopped.wait(WAIT), "the watch did not notice"
    assert "terminating connection due to administrator command" in (watch.lost or "")
    [line] = [r for r in caplog.records if r.name == "bot.slack.lock_watch"]
    assert line.levelno == logging.ERROR
    message = line.getMessage()
    assert message.startswith("the serving lock on the database at postgresql://db/x is lost: ")
    assert "exit status 1" in message
    hold(postgres_url, shared=False).release()  # a restarted process takes it again


def test_a_sqlite_lock_file_removed_stops_the_process(sqlite_url):
    stopped = threading.Event()
    path = Path(make_url(sqlite_url).database + ".lock")
    with (
        hold(sqlite_url, shared=False) as lock,
        LockWatch(lock, where="sqlite", every=0.01, stop=stopped.set) as watch,
    ):
        path.unlink()
        assert stopped.wait(WAIT)
    assert (watch.lost or "").endswith(".lock was removed")


def test_a_held_lock_is_checked_until_closed_and_never_stops_anything(postgres_url):
    stopped = threading.Event()
    with hold(postgres_url, shared=True) as lock:
        counted = Counted(lock)
        watch = LockWatch(counted, where="x", every=0.01, stop=stopped.set).start()
        wait_until(lambda: counted.asked >= 5, "several checks")
        watch.close()
        assert lock.lost() is None
    assert (watch.lost, stopped.is_set()) == (None, False)
