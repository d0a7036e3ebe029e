"""The delivery worker (bot/slack/worker.py): bounded in memory, capped waits with jitter."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from fake_slack import WAIT, wait_until
from sqlalchemy import select

from bot.slack.delivery import Result
from bot.slack.inbound import Inbound, Reply
from bot.slack.ledger import Ledger
from bot.slack.worker import DeliveryWorker, Policy


class HeldSender:
    """Holds every send until released, counting what it sent."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.sent: list[str] = []
        self.holding = 0
        self._lock = threading.Lock()

    def send(self, claimed):
        with self._lock:
            self.holding += 1
        self.release.wait(WAIT)
        with self._lock:
            self.holding -= 1
            self.sent.append(claimed.event_key)
        return Result("answered", "C1", "1.1")


def test_a_worker_claims_what_its_senders_can_start_on_and_leaves_the_rest_in_the_outbox(
    database,
):
    """The rest stays claimable by another process's worker (see test_ledger.py)."""
    from bot.db.models import SlackOutbox

    ledger = Ledger(database)
    for n in range(40):
        ledger.accept(Inbound(f"k{n}", "message", {}, 100.0))
        ledger.add(Reply(f"k{n}", "chat.postMessage", {"channel": "C1", "text": "x"}), 100.0)
    sender = HeldSender()
    done = []
    worker = DeliveryWorker(
        ledger,
        sender,
        on_done=lambda claimed, result: done.append(claimed.event_key),
        threads=2,
        queue_size=5,
        poll=0.01,
    )
    worker.start()
    try:
        wait_until(lambda: sender.holding == 2 and worker.backlog == 2, "the queue to fill")
        assert ledger.depth() == 40
        with database.transaction() as session:
            statuses = Counter(session.scalars(select(SlackOutbox.status)))
        # 2 being sent, 2 claimed and queued (one per sender), 36 in the outbox for anyone.
        assert statuses == {"sending": 4, "pending": 36}
        assert worker.backlog == 2
        sender.release.set()
        wait_until(lambda: ledger.depth() == 0, "every reply to be sent")
    finally:
        sender.release.set()
        assert worker.stop(WAIT)
    assert sorted(sender.sent) == sorted(f"k{n}" for n in range(40))  # each once
    assert sorted(done) == sorted(sender.sent)


@pytest.mark.parametrize("draw", [0.0, 0.5, 1.0])
def test_backoff_doubles_with_jitter_up_to_thirty_seconds(draw):
    policy = Policy(first_wait=0.5, max_wait=30.0, settle=2.0)
    failed = Result(error="http_503")
    waits = [policy.wait(attempt, failed, draw) for attempt in range(1, 12)]
    for attempt, wait in enumerate(waits, start=1):
        full = min(30.0, 0.5 * 2 ** (attempt - 1))
        assert full / 2 <= wait <= full
    assert max(waits) <= 30.0
    assert waits[-1] >= 15.0  # it does reach the cap's neighbourhood
    # A try that may have reached Slack waits long enough for the reply to show up.
    assert policy.wait(1, Result(error="TimeoutError", ambiguous=True), draw) >= 2.0


def test_retry_after_is_honoured_and_capped():
    policy = Policy(first_wait=0.5, max_wait=30.0)
    assert 20.0 <= policy.wait(1, Result(error="ratelimited", retry_after=20), 0.5) <= 20.5
    assert policy.wait(1, Result(error="ratelimited", retry_after=600), 0.5) == 30.0


def test_replies_handed_over_but_never_tried_go_back_to_the_outbox_at_stop(database):
    from bot.db.models import SlackOutbox

    ledger = Ledger(database)
    sender = HeldSender()
    worker = DeliveryWorker(ledger, sender, on_done=lambda *a: None, threads=1, poll=0.01)
    worker.start()
    for n in range(4):
        ledger.accept(Inbound(f"h{n}", "message", {}, 100.0))
        reply = Reply(f"h{n}", "chat.postMessage", {"channel": "C1"})
        worker.hand_over(ledger.add_claimed(reply, 100.0, 60))
    wait_until(lambda: sender.holding == 1, "the first send to start")
    threading.Timer(0.2, sender.release.set).start()
    assert worker.stop(WAIT)
    with database.transaction() as session:
        rows = {r.event_key: (r.status, r.lease_until) for r in session.query(SlackOutbox)}
    assert sorted(status for status, _ in rows.values()) == ["pending"] * 3 + ["sent"]
    assert all(lease is None for _, lease in rows.values())  # due at once at the next start
    assert sender.sent == ["h0"]


def test_the_pruning_chore_deletes_questions_older_than_kept_at_start_and_every_prune(database):
    """The clock is moved, not waited for: the first prune runs at start, the next once
    ``prune_every`` has passed on the worker's clock."""
    from fake_slack import FakeClock

    from bot.db.questions import Asked, QuestionStore
    from bot.understanding.reading import Reading

    clock = FakeClock()
    store = QuestionStore(database)

    def ask(key, age):
        store.add(Asked(key, "dm", "AE?", Reading("role"), "An AE...", clock() - age))

    def kept():
        return [recorded.asked.key for recorded in store.questions()]

    day = 86400.0
    ask("older", 31 * day)
    ask("old", 29 * day)
    ask("new", 0.0)
    policy = Policy(keep_questions=30 * day, prune_every=3600.0)
    worker = DeliveryWorker(
        Ledger(database),
        HeldSender(),
        on_done=lambda *a: None,
        prune_questions=store.prune,
        policy=policy,
        clock=clock,
        poll=0.01,
    )
    worker.start()
    try:
        wait_until(lambda: kept() == ["old", "new"], "the first prune")
        clock.advance(day + 60)  # "old" is now 30 days and a minute old
        worker.wake()
        wait_until(lambda: kept() == ["new"], "the next prune")
    finally:
        assert worker.stop(WAIT)
