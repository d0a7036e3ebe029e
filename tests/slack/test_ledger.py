"""The ledger (bot/slack/ledger.py): requests recorded once, replies claimed by one sender.

Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading

from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.db import Database
from bot.db.models import SlackOutbox
from bot.slack.inbound import Inbound, Reply
from bot.slack.ledger import FAILED, PENDING, SENDING, SENT, Ledger


def _inbound(key="message:C1:1.1", at=100.0):
    return Inbound(key, "message", {"event": {"text": "AE?"}}, at)


def _reply(key="message:C1:1.1"):
    return Reply(key, "chat.postMessage", {"channel": "C1", "text": "hi"}, {"kind": "app_mention"})


def _status(ledger, reply_id):
    with ledger.database.transaction() as session:
        row = session.get_one(SlackOutbox, reply_id)
        return row.status, row.last_error, row.ambiguous


def test_a_request_is_recorded_once_and_answered_once(database):
    ledger = Ledger(database)
    assert ledger.accept(_inbound())
    assert not ledger.accept(_inbound())  # a redelivery
    assert ledger.unanswered(before=101.0) == [_inbound()]
    assert ledger.unanswered(before=100.0) == []  # only what came before
    reply_id = ledger.add(_reply(), now=101.0)
    assert reply_id is not None
    assert ledger.add(_reply(), now=102.0) is None  # its reply is already owed
    assert ledger.unanswered(before=200.0) == []
    assert ledger.depth() == 1


def _url_of(database):
    return database.engine.url.render_as_string(hide_password=False)


def _owed(ledger, count, now=100.0, prefix="k"):
    ids = []
    for n in range(count):
        ledger.accept(_inbound(f"{prefix}{n}", at=now))
        ids.append(ledger.add(_reply(f"{prefix}{n}"), now=now + n / 1000))
    return ids


def test_due_replies_are_claimed_oldest_first_for_one_try_each(database):
    ledger = Ledger(database)
    ids = _owed(ledger, 5)
    first = ledger.claim_due(now=101.0, limit=3, lease=60)
    assert [c.id for c in first] == ids[:3]
    assert [(c.attempts, c.ambiguous) for c in first] == [(1, False)] * 3
    assert [c.id for c in ledger.claim_due(now=101.0, limit=10, lease=60)] == ids[3:]
    assert ledger.claim_due(now=159.0, limit=10, lease=60) == []  # leased
    assert {_status(ledger, reply_id)[0] for reply_id in ids} == {SENDING}


def test_senders_claiming_at_once_from_two_processes_take_each_reply_once(database):
    """Two ledgers on two engines (two processes' connection pools), four threads each."""
    other = Database.connect(_url_of(database), upgrade=False)
    try:
        ledgers = [Ledger(database), Ledger(other)]
        ids = _owed(ledgers[0], 120)
        start = threading.Barrier(8)
        taken = [[] for _ in range(8)]

        def claim(n):
            start.wait()
            while batch := ledgers[n % 2].claim_due(now=200.0, limit=7, lease=60):
                taken[n] += [c.id for c in batch]

        threads = [threading.Thread(target=claim, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        other.dispose()
    everything = [reply_id for claims in taken for reply_id in claims]
    assert sorted(everything) == sorted(ids)  # every reply claimed, none twice
    assert sum(1 for claims in taken if claims) > 1  # they did claim side by side


def test_on_postgresql_a_claim_skips_rows_another_is_claiming_instead_of_waiting(postgres_url):
    """FOR UPDATE SKIP LOCKED: a row locked by another transaction is passed over at once (the
    other connection gives up on any lock after 2 s, so waiting would fail the test)."""
    database = Database.connect(postgres_url)
    impatient = Database.connect(_with_lock_timeout(postgres_url), upgrade=False)
    try:
        ids = _owed(Ledger(database), 3)
        with database.engine.begin() as holding:  # another process, mid-claim on the oldest
            holding.execute(
                select(SlackOutbox.id).where(SlackOutbox.id == ids[0]).with_for_update()
            )
            claimed = Ledger(impatient).claim_due(now=101.0, limit=10, lease=60)
        assert [c.id for c in claimed] == ids[1:]
        assert [c.id for c in Ledger(impatient).claim_due(101.0, 10, 60)] == ids[:1]
    finally:
        impatient.dispose()
        database.dispose()


def _with_lock_timeout(url):
    parsed = make_url(url)
    options = f"{parsed.query.get('options', '')} -clock_timeout=2s".strip()
    return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)


def test_a_lease_that_runs_out_is_taken_over_as_ambiguous(database):
    ledger = Ledger(database)
    [reply_id] = _owed(ledger, 1)
    assert [c.id for c in ledger.claim_due(now=100.0, limit=1, lease=60)] == [reply_id]
    assert ledger.claim_due(now=150.0, limit=1, lease=60) == []
    assert ledger.next_due() == 160.0
    [taken] = ledger.claim_due(now=160.0, limit=1, lease=60)
    assert (taken.id, taken.attempts, taken.ambiguous) == (reply_id, 2, True)


def test_retries_wait_their_time_and_endings_are_recorded(database):
    ledger = Ledger(database)
    ids = _owed(ledger, 3)
    assert len(ledger.claim_due(now=101.0, limit=3, lease=60)) == 3
    ledger.retry(ids[0], at=130.0, error="ratelimited", ambiguous=False)
    ledger.finish(ids[1], "answered", 101.0, channel="C1", ts="1.2")
    ledger.fail(ids[2], "channel_not_found", 101.0)
    assert _status(ledger, ids[0]) == (PENDING, "ratelimited", False)
    assert ledger.claim_due(now=129.0, limit=10, lease=60) == []
    assert [c.id for c in ledger.claim_due(now=130.0, limit=10, lease=60)] == [ids[0]]
    assert _status(ledger, ids[1])[0] == SENT
    assert _status(ledger, ids[2])[:2] == (FAILED, "channel_not_found")
    assert ledger.depth() == 1
    ledger.prune(before=200.0)  # forgets what is done with, keeps what is owed
    assert ledger.depth() == 1
    assert not ledger.accept(_inbound("k0"))
    assert ledger.accept(_inbound("k1"))


# -- the inbox -----------------------------------------------------------------------------------


def test_the_inbox_keeps_requests_as_they_arrived_oldest_first_until_dispatched(database):
    from bot.slack.inbound import Received

    ledger = Ledger(database)
    form = "application/x-www-form-urlencoded"
    ledger.receive([Received('{"a": 1}', "application/json", 100.0)])
    ledger.receive([Received("payload=%7B%7D", form, 101.0, 2), Received("x=ü", form, 102.0)])
    assert ledger.inbox_depth() == 3
    first = ledger.claim_received(200.0, limit=2, lease=10)
    assert [(r.body, r.content_type, r.received_at, r.retry_num) for r in first] == [
        ('{"a": 1}', "application/json", 100.0, 0),
        ("payload=%7B%7D", form, 101.0, 2),
    ]
    # Claimed: another claim takes the rest, not those.
    [rest] = ledger.claim_received(200.0, limit=10, lease=10)
    assert rest.body == "x=ü"
    assert ledger.claim_received(205.0, limit=10, lease=10) == []
    ledger.dispatched([first[0].id], release=[first[1].id])
    assert ledger.inbox_depth() == 2
    # Given back: claimable at once; still held: claimable once its lease ran out.
    assert [r.id for r in ledger.claim_received(205.0, limit=10, lease=10)] == [first[1].id]
    assert [r.id for r in ledger.claim_received(210.0, limit=10, lease=10)] == [rest.id]


def test_claims_on_the_inbox_from_many_threads_take_different_rows(database):
    from bot.slack.inbound import Received

    ledger = Ledger(database)
    ledger.receive([Received(f'{{"n": {n}}}', "application/json", float(n)) for n in range(40)])
    start = threading.Barrier(4)
    taken = []

    def claim():
        start.wait()
        while batch := ledger.claim_received(100.0, limit=3, lease=60):
            taken.extend(r.id for r in batch)

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == sorted(set(taken))  # no row taken twice
    assert len(taken) == 40
