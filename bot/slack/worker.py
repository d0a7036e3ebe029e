"""The delivery worker: threads that send the outbox's replies, and wait without holding one.

A scheduler thread claims the replies that are due from the database, as many as the sender
threads can start on (the rest stay in the outbox, where another process's worker may claim
them), into a bounded queue, where new replies are also handed over, claimed as they are
queued; sender threads take them one at a time, make one try, and record what came of it. A
failed try is not slept on: the row gets its next time (exponential backoff with jitter, or
Slack's ``Retry-After``, both capped at ``max_wait``) and the thread moves on to the next reply.
A reply is given up on after a permanent error, or when ``give_up_after`` seconds have passed
since it was queued, and recorded as failed with its error.

The clock (seconds since the epoch) and the jitter's random source are injectable; so is the
scheduler's poll interval, so a test moves time instead of waiting for it.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.slack import metrics
from bot.slack.delivery import Result, Sender
from bot.slack.ledger import Claimed, Ledger

__all__ = ["DeliveryWorker", "Policy"]

logger = logging.getLogger("bot.slack.worker")


@dataclass(frozen=True, slots=True)
class Policy:
    """How long and how often a reply is tried."""

    give_up_after: float = 3600.0  # seconds since the reply was queued
    first_wait: float = 0.5
    max_wait: float = 30.0  # the longest wait between two tries, Retry-After included
    # How long a try may take before another sender may take it over: longer than a try's
    # calls can last (a look-up, a post, its text fallback, a response_url fallback).
    lease: float = 120.0
    # After a try that may have reached Slack, give the reply time to show up before looking.
    settle: float = 2.0
    keep: float = 7 * 86400.0  # how long requests and sent replies are remembered
    keep_questions: float = 90 * 86400.0  # how long questions and their feedback are kept
    prune_every: float = 3600.0
    # Accepted requests still unanswered this long after (their answer was never queued: the
    # listener pool was full, or the database failed) are answered from the database.
    resume_every: float = 10.0

    def wait(self, attempts: int, result: Result, draw: float) -> float:
        """Seconds until the next try after the ``attempts``-th failed with ``result``."""
        if result.retry_after is not None:
            return min(self.max_wait, result.retry_after + draw * self.first_wait)
        backoff = min(self.max_wait, self.first_wait * 2.0 ** max(0, attempts - 1))
        jittered = backoff * (0.5 + draw / 2)  # "equal jitter": between half and all of it
        return max(jittered, self.settle) if result.ambiguous else jittered


Done = Callable[[Claimed, Result], None]


class DeliveryWorker:
    """Sends what ``ledger``'s outbox holds with ``sender``; ``on_done`` hears each final result.

    Every ``prune_every`` seconds (and at start) it prunes the ledger, and has
    ``prune_questions`` delete the questions asked before a time (returning how many went).
    """

    def __init__(
        self,
        ledger: Ledger,
        sender: Sender,
        *,
        on_done: Done,
        resume: Callable[[float], None] = lambda before: None,
        prune_questions: Callable[[float], int] = lambda before: 0,
        threads: int = 4,
        queue_size: int = 256,
        policy: Policy | None = None,
        clock: Callable[[], float] = time.time,
        draw: Callable[[], float] | None = None,
        poll: float = 1.0,
    ) -> None:
        self.ledger = ledger
        self.sender = sender
        self.policy = policy or Policy()
        self.clock = clock
        self.poll = poll
        self._on_done = on_done
        self._resume = resume
        self._prune_questions = prune_questions
        self._draw = draw or random.random
        self._threads_wanted = threads
        # Replies claimed for a try: handed over as they were queued, or claimed by the scheduler.
        self._queue: queue.Queue[Claimed] = queue.Queue(maxsize=queue_size)
        self._in_flight: dict[int, Claimed] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._overflow = threading.Event()  # replies wait in the outbox for room in the queue
        self._next_look = 0.0  # when the scheduler looks at the outbox next (clock time)
        self._started = 0.0
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def backlog(self) -> int:
        """Replies waiting in memory for a sender (at most ``queue_size``)."""
        return self._queue.qsize()

    @property
    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def start(self) -> None:
        """Start the scheduler and the senders.

        The scheduler first has ``resume`` answer every request accepted before now and never
        answered (a previous process's), then every ``resume_every`` seconds those that waited
        that long.
        """
        if self.running:
            return
        self._stopping.clear()
        self._started = self.clock()  # what was accepted before this is resumed
        self._queue = queue.Queue(maxsize=self._queue.maxsize)
        self._threads = [threading.Thread(target=self._schedule, name="slack-outbox", daemon=True)]
        self._threads += [
            threading.Thread(target=self._send_loop, name=f"slack-delivery-{n}", daemon=True)
            for n in range(self._threads_wanted)
        ]
        for thread in self._threads:
            thread.start()

    def stop(self, grace: float) -> bool:
        """Stop taking replies; wait up to ``grace`` seconds for tries in flight to end.

        Replies not yet tried stay in the outbox for the next start, due at once; so do tries
        still in flight after the grace, marked ambiguous (the next start looks for them in
        Slack before posting). ``True`` if every thread ended in time.
        """
        self._stopping.set()
        self._wake.set()
        deadline = time.monotonic() + grace
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        while True:  # replies handed over but never tried go back, due at the next start
            try:
                self._release(self._queue.get_nowait())
            except queue.Empty:
                break
        with self._lock:
            unfinished = list(self._in_flight.values())
        for claimed in unfinished:  # if the try ends after all, its own record is a no-op
            self.ledger.retry(claimed.id, self.clock(), "interrupted", ambiguous=True)
        return not self.running

    def has_room(self) -> bool:
        """Running, and room in the queue: a new reply can be handed over claimed."""
        return self.running and not self._stopping.is_set() and not self._queue.full()

    def notify(self) -> None:
        """A reply was put in the outbox alone (no room): the scheduler looks soon."""
        self._overflow.set()
        self._wake.set()

    def hand_over(self, claimed: Claimed) -> None:
        """A reply was just queued and claimed: a sender takes it if there is room; if not, it
        goes back to the outbox for the scheduler."""
        if not self._offer(claimed):
            self.notify()

    def _release(self, claimed: Claimed) -> None:
        """Give a claimed reply nobody tried back to the outbox, due now."""
        self.ledger.retry(claimed.id, self.clock(), "not_tried", ambiguous=claimed.ambiguous)

    def wake(self) -> None:
        """Look at the outbox again now (after the clock moved, in tests)."""
        self._wake.set()

    # -- the scheduler -------------------------------------------------------------------------

    def _offer(self, claimed: Claimed) -> bool:
        """Queue ``claimed`` for a sender; if there is no room, it goes back to the outbox."""
        try:
            self._queue.put_nowait(claimed)
        except queue.Full:
            self._release(claimed)
            return False
        return True

    def _schedule(self) -> None:
        started = self._started
        self._chore("resuming unanswered requests", self._resume, started)
        self._prune(started)
        resumed_at = pruned_at = started
        while not self._stopping.is_set():
            now = self.clock()
            if now - resumed_at >= self.policy.resume_every:
                resumed_at = now
                self._chore("resuming", self._resume, now - self.policy.resume_every)
            if now - pruned_at >= self.policy.prune_every:
                pruned_at = now
                self._prune(now)
            try:
                wait = self._fill()
            except Exception:  # the database is away: try again shortly
                logger.exception("reading the outbox failed")
                wait = self.poll
            self._next_look = self.clock() + wait
            self._wake.wait(wait)
            self._wake.clear()

    def _prune(self, now: float) -> None:
        self._chore("pruning the ledger", self.ledger.prune, now - self.policy.keep)
        keep = self.policy.keep_questions
        # As where questions are stored, an error is logged by its type alone: PostgreSQL's
        # DETAIL line may quote a row, and these rows are what people wrote.
        pruned = self._chore(
            "pruning the questions", self._prune_questions, now - keep, traceback=False
        )
        if pruned:
            days = keep / 86400
            logger.info("deleted %d questions over %g days old, with their feedback", pruned, days)

    @staticmethod
    def _chore(
        what: str, chore: Callable[[float], object], before: float, *, traceback: bool = True
    ) -> object:
        """``chore(before)``'s result, or ``None`` when it failed (logged, with its traceback
        unless ``traceback`` is false)."""
        try:
            return chore(before)
        except Exception as error:
            if traceback:
                logger.exception("%s failed", what)
            else:
                logger.error("%s failed (%s)", what, type(error).__name__)
            return None

    def _fill(self) -> float:
        """Claim the replies that are due, as many as the senders can start on (one each,
        less what is queued already); the seconds until the scheduler should look again."""
        self._overflow.clear()
        room = min(self._threads_wanted, self._queue.maxsize) - self._queue.qsize()
        if room <= 0:  # the senders have enough: look again once one is free
            self._overflow.set()
            return self.poll
        claimed = self.ledger.claim_due(self.clock(), room, self.policy.lease)
        for reply in claimed:
            self._offer(reply)
        if len(claimed) == room:  # more may be due
            self._overflow.set()
            return self.poll
        upcoming = self.ledger.next_due()
        if upcoming is None:
            return self.poll
        return min(self.poll, max(0.0, upcoming - self.clock()))

    # -- the senders ---------------------------------------------------------------------------

    def _send_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                claimed = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            try:
                self._try(claimed)
            except Exception:  # a database error: the lease runs out and the reply is retried
                logger.exception("delivery failed: reply=%s", claimed.id)
            if self._overflow.is_set():  # room in the queue again for what waits outside
                self._wake.set()

    def _try(self, claimed: Claimed) -> None:
        with self._lock:
            self._in_flight[claimed.id] = claimed
        try:
            self._record(claimed, self.sender.send(claimed))
        finally:
            with self._lock:
                self._in_flight.pop(claimed.id, None)

    def _record(self, claimed: Claimed, result: Result) -> None:
        now = self.clock()
        method = claimed.method
        if result.sent:
            if not self.ledger.finish(
                claimed.id, str(result.outcome), now, channel=result.channel, ts=result.ts
            ):
                return  # taken back at stop: the next start finds it in Slack
            metrics.DELIVERIES.labels(method, str(result.outcome)).inc()
            received = float(claimed.report.get("received_at") or claimed.created_at)
            metrics.DELIVERY_SECONDS.labels(method).observe(max(0.0, now - received))
            self._on_done(claimed, result)
            return
        error = str(result.error)
        wait = self.policy.wait(claimed.attempts, result, self._draw())
        if result.permanent or now + wait > claimed.created_at + self.policy.give_up_after:
            reason = error if result.permanent else f"gave_up:{error}"
            if not self.ledger.fail(claimed.id, reason, now):
                return
            metrics.FAILURES.labels(method, error).inc()
            logger.error("reply failed for good: key=%s error=%s", claimed.event_key, reason)
            self._on_done(claimed, result)
            return
        self.ledger.retry(claimed.id, now + wait, error, ambiguous=result.ambiguous)
        if now + wait < self._next_look:  # due before the scheduler would look
            self._wake.set()
        metrics.RETRIES.labels(method, error).inc()
        logger.info(
            "try %d failed, next in %.1fs: key=%s error=%s",
            claimed.attempts,
            wait,
            claimed.event_key,
            error,
        )
