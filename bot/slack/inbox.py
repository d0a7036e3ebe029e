"""Acknowledged first, dispatched after: the inbox between the HTTP front and Bolt's listeners.

Over HTTP, a signed request that goes to a listener whose acknowledgement carries nothing
(``bot.slack.listeners.answered_later``: events, the question commands, the answer buttons) is
written to the database's inbox as it arrived and answered 200 at once, without Bolt:
``Inbox.receive``. Rows arriving together are written in one transaction (``GroupCommit``).

``Dispatcher`` (the answering side, in the answer process) claims what waits in the inbox,
oldest first, a batch at a time with a lease (answer processes of several web processes take
different rows; the rows of one that died are taken over once their lease runs out), and hands
each request to Bolt's ``App.dispatch`` as a ``BoltRequest`` in ``socket_mode``, Bolt's
own mode for a payload that came over a trusted channel: its signature was checked before it
was written, and it was acknowledged already, so Bolt neither checks it again (it may be older
than the five-minute window by then, after a restart) nor waits for an acknowledgement. The
listeners record it (``slack_events``) and answer it; then its inbox row is deleted. A request
whose dispatch failed on the database (a 5xx from Bolt) stays for the next look.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

from slack_bolt import App, BoltRequest

from bot.db.batch import GroupCommit
from bot.slack.inbound import Received
from bot.slack.ledger import Ledger

__all__ = ["BATCH", "LEASE", "Dispatcher", "Inbox", "bolt_request"]

logger = logging.getLogger("bot.slack.inbox")

BATCH = 16  # requests claimed from the inbox at a time, at most (the backlog held in memory)
LEASE = 10.0  # seconds a claimed batch is held: its dispatch takes a fraction of that


class Inbox:
    """Writes acknowledged requests to ``ledger``'s inbox and calls ``wake`` (the dispatcher's
    doorbell, in this process or the answer process) once per write, for all the rows it
    carried."""

    def __init__(
        self,
        ledger: Ledger,
        *,
        wake: Callable[[], None] = lambda: None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.wake = wake
        self.clock = clock
        self._ledger = ledger
        self._writes = GroupCommit(self._write)

    def receive(self, body: str, content_type: str, retry_num: int = 0) -> None:
        """Record one request before it is acknowledged; raises ``WriteFailed`` if it could not
        be written (answer 5xx: Slack sends it again)."""
        self._writes.add(Received(body, content_type, self.clock(), retry_num))

    def _write(self, rows: Sequence[Received]) -> None:
        # One wake for the rows written together: the dispatcher takes them all at its look.
        self._ledger.receive(rows)
        self.wake()


def bolt_request(received: Received) -> BoltRequest:
    """A recorded request as Bolt's Socket Mode adapter would hand it over: checked already."""
    headers: dict[str, str | Sequence[str]] = {"content-type": received.content_type}
    if received.retry_num:
        headers["x-slack-retry-num"] = str(received.retry_num)
    return BoltRequest(body=received.body, headers=headers, mode="socket_mode")


class Dispatcher:
    """A thread that dispatches the inbox to ``app``'s listeners, woken by ``wake``."""

    def __init__(
        self,
        app: App,
        ledger: Ledger,
        *,
        poll: float = 1.0,
        batch: int = BATCH,
        lease: float = LEASE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app = app
        self.ledger = ledger
        self.poll = poll
        self.batch = batch
        self.lease = lease
        self.clock = clock
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._idle = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="slack-inbox", daemon=True)
        self._thread.start()

    def stop(self, grace: float) -> bool:
        """Stop after the request being dispatched (within ``grace`` seconds); the rest stay in
        the inbox for the next start. ``True`` if the thread ended in time."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(grace)
        return not self.running

    def wake(self) -> None:
        """Something was written to the inbox: look now."""
        self._idle.clear()
        self._wake.set()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until the inbox was found empty after the last ``wake`` (for tests and stops)."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                emptied = self._drain()
            except Exception:  # the database is away: look again shortly
                logger.exception("reading the inbox failed")
                emptied = False
            if emptied and not self._wake.is_set():
                self._idle.set()
            self._wake.wait(self.poll)

    def _drain(self) -> bool:
        """Dispatch what the inbox holds, a batch at a time; ``True`` if it was left empty."""
        while True:
            waiting = self.ledger.claim_received(self.clock(), self.batch, self.lease)
            if not waiting:
                return True
            done: list[int] = []
            for received in waiting:
                if self._stopping.is_set():
                    break
                if self._dispatch(received) and received.id is not None:
                    done.append(received.id)
            # What failed or was not reached is released for the next look (or the next start).
            rest = [r.id for r in waiting if r.id is not None and r.id not in done]
            self.ledger.dispatched(done, release=rest)
            if rest:
                return False

    def _dispatch(self, received: Received) -> bool:
        """Hand one request to the listeners; ``False`` if it should be tried again."""
        response = self.app.dispatch(bolt_request(received))
        if response.status >= 500:
            logger.warning("inbox row %s: dispatch failed, it waits for the next look", received.id)
            return False
        return True
