"""The watch on the database's serving lock: a process whose lock is gone stops.

The serving lock (``bot.db.lock``) on PostgreSQL lives as long as its connection. If the server
restarts, the network cuts the connection or someone ends the session (``pg_terminate_backend``),
the lock is gone without a word, and another copy could start and serve beside this one.
``LockWatch`` asks the lock every ``every`` seconds whether it still holds (``ServingLock.lost``:
one ``select 1`` on its connection; for SQLite's flock, whether its file is still there). When
it does not, it logs one ERROR line and stops the process the way SIGTERM does (``stop``, by
default SIGTERM to the process itself: requests and replies in flight get their grace, the rest
wait in the database), and ``lost`` says why, so that ``serve`` exits with a non-zero status.
The platform starts the process again, and it takes the lock again or is refused.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable

from bot.db.lock import ServingLock
from bot.slack.settings import DEFAULT_LOCK_CHECK_EVERY

__all__ = ["LockWatch"]

logger = logging.getLogger("bot.slack.lock_watch")



def _terminate() -> None:
    os.kill(os.getpid(), signal.SIGTERM)


class LockWatch:
    """Checks ``lock`` every ``every`` seconds from a thread of its own, from ``start`` (or
    entering a ``with`` block) to ``close``; ``where`` names the database in the log line."""

    def __init__(
        self,
        lock: ServingLock,
        *,
        where: str,
        every: float = DEFAULT_LOCK_CHECK_EVERY,
        stop: Callable[[], None] = _terminate,
    ) -> None:
        self.lock = lock
        self.where = where
        self.every = every
        self.lost: str | None = None  # what became of the lock, once it is gone
        self._stop = stop
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="serving-lock", daemon=True)

    def start(self) -> LockWatch:
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop watching (before the lock is released)."""
        self._closing.set()
        if self._thread.is_alive():
            self._thread.join()

    def __enter__(self) -> LockWatch:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _watch(self) -> None:
        while not self._closing.wait(self.every):
            lost = self.lock.lost()
            if lost is None:
                continue
            if self._closing.is_set():  # stopping already, the lock let go of
                return
            self.lost = lost
            logger.error(
                "the serving lock on the database at %s is lost: %s; another copy could now "
                "serve it, so this process stops (exit status 1) to be started again",
                self.where,
                lost,
            )
            self._stop()
            return
