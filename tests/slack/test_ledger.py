"""The ledger (bot/slack/ledger.py): requests recorded once, replies claimed by one sender.

Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading

from bot.slack.inbound import Inbound, Reply
from bot.slack.ledger import FAILED, PENDING, SENDING, SENT, Ledger


def _inbound(key="message:C1:1.1", at=100.0):
    return Inbound(key, "message", {"event": {"text": "AE?"}}, at)


def _reply(key="message:C1:1.1"):
    return Reply(key, "chat.postMessage", {"channel": "C1", "text": "hi"}, {"kind": "app_mention"})


def _status(ledger, reply_id):
    from bot.db.models import SlackOutbox

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


def test_one_of_many_senders_claims_a_reply(database):
    ledger = Ledger(database)
    ledger.accept(_inbound())
    reply_id = ledger.add(_reply(), now=100.0)
    start = threading.Barrier(8)
    claims = []

    def claim():
        start.wait()
        claims.append(ledger.claim(reply_id, now=100.0, lease=60))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    [won] = [c for c in claims if c is not None]
    assert (won.attempts, won.ambiguous) == (1, False)
    assert ledger.due(now=159.0, limit=10) == []  # leased
    assert _status(ledger, reply_id)[0] == SENDING


def test_a_lease_that_runs_out_is_taken_over_as_ambiguous(database):
    ledger = Ledger(database)
    ledger.accept(_inbound())
    reply_id = ledger.add(_reply(), now=100.0)
    assert ledger.claim(reply_id, now=100.0, lease=60) is not None
    assert ledger.claim(reply_id, now=150.0, lease=60) is None
    assert ledger.next_due() == 160.0
    assert ledger.due(now=160.0, limit=10) == [reply_id]
    taken = ledger.claim(reply_id, now=160.0, lease=60)
    assert (taken.attempts, taken.ambiguous) == (2, True)


def test_retries_wait_their_time_and_endings_are_recorded(database):
    ledger = Ledger(database)
    ids = []
    for n in range(3):
        ledger.accept(_inbound(f"k{n}"))
        ids.append(ledger.add(_reply(f"k{n}"), now=100.0))
    for reply_id in ids:
        ledger.claim(reply_id, now=100.0, lease=60)
    ledger.retry(ids[0], at=130.0, error="ratelimited", ambiguous=False)
    ledger.finish(ids[1], "answered", 101.0, channel="C1", ts="1.2")
    ledger.fail(ids[2], "channel_not_found", 101.0)
    assert ledger.due(now=129.0, limit=10) == []
    assert ledger.due(now=130.0, limit=10) == [ids[0]]
    assert _status(ledger, ids[0]) == (PENDING, "ratelimited", False)
    assert _status(ledger, ids[1])[0] == SENT
    assert _status(ledger, ids[2])[:2] == (FAILED, "channel_not_found")
    assert ledger.depth() == 1
    ledger.prune(before=200.0)  # forgets what is done with, keeps what is owed
    assert ledger.depth() == 1
    assert not ledger.accept(_inbound("k0"))
    assert ledger.accept(_inbound("k1"))
