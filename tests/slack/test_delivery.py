"""Delivery (bot/slack/delivery.py, worker.py): when Slack's Web API fails, the reply still gets
there, once.

Replies go through the outbox: rate limits wait for Retry-After without holding a thread,
server errors and outages are retried with capped backoff for the delivery time, a timed-out
post is looked for (by its message metadata) before it is posted again, refused blocks fall back
to the plain text, and permanent errors are recorded with their error. Tests about long waits
move a ``FakeClock`` instead of waiting.
"""

from __future__ import annotations

import logging
import threading

from fake_slack import WAIT, FakeClock, direct_message, mention, wait_until, without_feedback
from sqlalchemy import select

from bot.db.models import SlackOutbox
from bot.slack.delivery import BLOCKS_REFUSED, METADATA_EVENT_TYPE, PERMANENT
from bot.slack.worker import Policy

RATE_LIMITED = {"status": 429, "body": {"ok": False, "error": "ratelimited"}}


def _rows(slack):
    with slack.runtime.database.transaction() as session:
        return list(session.scalars(select(SlackOutbox).order_by(SlackOutbox.id)))


def _advance(slack, clock, seconds):
    clock.advance(seconds)
    slack.runtime.worker.wake()


def _key(event):
    return f"message:{event['channel']}:{event['ts']}"


def test_every_post_carries_metadata_naming_its_request(slack):
    event = mention("AE vs AM?")
    slack.send.event(event, event_id="Ev199")
    [call] = slack.fake.wait_for("chat.postMessage")
    assert call.body["metadata"] == {
        "event_type": METADATA_EVENT_TYPE,
        "event_payload": {"key": _key(event)},
    }
    assert slack.log.wait(1)[0]["outcome"] == "answered"


def test_retry_after_is_honoured_without_holding_up_other_replies(make_slack_app):
    clock = FakeClock()
    slack = make_slack_app(clock=clock, policy=Policy())
    for _ in range(20):
        slack.fake.fail_next("chat.postMessage", headers={"Retry-After": "20"}, **RATE_LIMITED)
    limited = [mention(f"AE vs AM {n}?", ts=f"1700000100.{n:06d}") for n in range(20)]
    for n, event in enumerate(limited):
        slack.send.event(event, event_id=f"EvRL{n}")
    slack.fake.wait_for("chat.postMessage", 20)
    # Twenty replies wait for their Retry-After; ten new questions are answered meanwhile.
    others = [
        direct_message(f"what does an SDR do {n}?", ts=f"1700000200.{n:06d}") for n in range(10)
    ]
    for n, event in enumerate(others):
        slack.send.event(event, event_id=f"EvOK{n}")
    slack.fake.wait_for("chat.postMessage", 30)
    assert all(len(slack.fake.posted(_key(e))) == 1 for e in others)
    assert all(slack.fake.posted(_key(e)) == [] for e in limited)
    pending = [r for r in _rows(slack) if r.status == "pending"]
    assert len(pending) == 20
    assert all(20 <= r.next_attempt_at - clock() <= 21 for r in pending)
    _advance(slack, clock, 21)
    slack.fake.wait_for("chat.postMessage", 50)
    lines = slack.log.wait(30)
    assert sorted(line["outcome"] for line in lines) == ["answered"] * 30
    assert all(len(slack.fake.posted(_key(e))) == 1 for e in limited + others)


def test_retry_after_is_capped_at_the_longest_wait(make_slack_app):
    clock = FakeClock()
    slack = make_slack_app(clock=clock, policy=Policy())
    slack.fake.fail_next("chat.postMessage", headers={"Retry-After": "3600"}, **RATE_LIMITED)
    slack.send.event(direct_message("what does a CSM do?"), event_id="Ev210")
    slack.fake.wait_for("chat.postMessage")
    wait_until(lambda: _rows(slack)[0].status == "pending", "the retry to be scheduled")
    assert _rows(slack)[0].next_attempt_at - clock() <= 30
    _advance(slack, clock, 30)
    assert [c.status for c in slack.fake.wait_for("chat.postMessage", 2)] == [429, 200]


def test_server_error_is_retried_after_looking_for_the_reply(slack):
    slack.fake.fail_next("chat.postMessage", status=500, body={"ok": False, "error": "fatal_error"})
    event = direct_message("what does an SDR do?")
    slack.send.event(event, event_id="Ev201")
    first, second = slack.fake.wait_for("chat.postMessage", 2)
    assert (first.status, second.status) == (500, 200)
    assert first.body == second.body
    # A 5xx may come after Slack posted: the DM was read back (with metadata) first.
    [history] = slack.fake.calls_to("conversations.history")
    assert history.body["channel"] == "D0NEWHIRE"
    assert history.body["include_all_metadata"] in {"1", "true", "True"}
    assert slack.log.wait(1)[0]["outcome"] == "answered"


def test_a_timed_out_post_that_reached_slack_is_not_posted_again(make_slack_app):
    slack = make_slack_app(timeout=0.3)
    slack.fake.post_then_delay("chat.postMessage", 1.0)  # posted, but the answer comes late
    event = mention("what does a CSM do?", thread_ts="1700000000.000042")
    slack.send.event(event, event_id="Ev202")
    [line] = slack.log.wait(1)
    assert line["outcome"] == "answered"
    assert line["attempts"] == 2
    slack.fake.wait_for("chat.postMessage")  # recorded once its late answer went out
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    assert len(slack.fake.posted(_key(event))) == 1
    [replies] = slack.fake.calls_to("conversations.replies")  # the thread was looked in
    assert replies.body["ts"] == "1700000000.000042"
    [row] = _rows(slack)
    assert (row.status, row.ts) == ("sent", slack.fake.posted(_key(event))[0]["ts"])


def test_a_timed_out_post_that_never_reached_slack_is_posted_again(make_slack_app):
    slack = make_slack_app(timeout=0.3)
    slack.fake.fail_next("chat.postMessage", delay=1.0, status=503, body={"ok": False})
    event = direct_message("what does a CSM do?")
    slack.send.event(event, event_id="Ev203")
    calls = slack.fake.wait_for("chat.postMessage", 2)
    assert calls[0].body == calls[1].body
    assert slack.log.wait(1)[0]["outcome"] == "answered"
    assert len(slack.fake.calls_to("conversations.history")) == 1
    assert len(slack.fake.posted(_key(event))) == 1


def test_refused_blocks_fall_back_to_the_plain_text(slack, caplog):
    slack.fake.fail_next("chat.postMessage", body={"ok": False, "error": "invalid_blocks"})
    event = mention("what does an AE do?")
    with caplog.at_level(logging.WARNING, logger="bot.slack.delivery"):
        slack.send.event(event, event_id="Ev204")
        first, second = slack.fake.wait_for("chat.postMessage", 2)
        [line] = slack.log.wait(1)
    expected = slack.advisor.ask(event["text"])
    assert without_feedback(first.body["blocks"]) == list(expected.blocks)
    assert "blocks" not in second.body
    assert second.body["text"] == expected.text
    assert second.body["thread_ts"] == event["ts"]
    assert line["outcome"] == "answered_as_text"
    assert any("invalid_blocks" in r.getMessage() for r in caplog.records)


def test_permanent_errors_are_recorded_with_their_error_and_not_retried(slack):
    slack.fake.fail_next("chat.postMessage", body={"ok": False, "error": "channel_not_found"})
    for _ in range(2):  # the blocks, then the plain text
        slack.fake.fail_next("chat.postMessage", body={"ok": False, "error": "invalid_blocks"})
    gone = mention("AE vs AM?", channel="C0GONE")
    refused = mention("what does an SDR do?", ts="1700000100.000999")
    slack.send.event(gone, event_id="Ev205")
    slack.fake.wait_for("chat.postMessage")
    slack.send.event(refused, event_id="Ev206")
    lines = slack.log.wait(2)
    assert {(line["event_id"], line["outcome"], line["error"]) for line in lines} == {
        ("Ev205", "failed", "channel_not_found"),
        ("Ev206", "failed", "invalid_blocks"),
    }
    rows = {row.event_key: row for row in _rows(slack)}
    assert (rows[_key(gone)].status, rows[_key(gone)].last_error) == ("failed", "channel_not_found")
    assert rows[_key(refused)].last_error == "invalid_blocks"
    assert len(slack.fake.calls_to("chat.postMessage")) == 3
    assert {"channel_not_found", "not_in_channel", "invalid_blocks"} <= PERMANENT
    assert "invalid_blocks" in BLOCKS_REFUSED
    # Slack's redelivery of a failed one is still a duplicate, and the app keeps serving.
    slack.send.event(gone, event_id="Ev205", retry_num=1)
    slack.send.event(direct_message("what does a CSM do?"), event_id="Ev207")
    outcomes = [line["outcome"] for line in slack.log.wait(4)[2:]]
    assert sorted(outcomes) == ["answered", "duplicate"]


def test_an_outage_is_ridden_out_with_waits_of_at_most_thirty_seconds(make_slack_app):
    clock = FakeClock()
    slack = make_slack_app(clock=clock, policy=Policy())
    slack.fake.down()
    questions = [direct_message(f"AE vs AM {n}?", ts=f"1700000300.{n:06d}") for n in range(5)]
    for n, event in enumerate(questions):
        assert slack.send.event(event, event_id=f"EvDown{n}").status_code == 200
    slack.settle()  # every reply is in the outbox

    def rescheduled():
        return all(r.status == "pending" and r.next_attempt_at > clock() for r in _rows(slack))

    # Ten minutes of refused connections: each reply is tried again and again, never more
    # than 30 seconds apart.
    for _ in range(20):
        wait_until(rescheduled, "every reply to be rescheduled")
        assert all(r.next_attempt_at - clock() <= 30 for r in _rows(slack))
        _advance(slack, clock, 30)
    wait_until(rescheduled, "the last tries to end")
    rows = _rows(slack)
    assert len(rows) == 5
    assert all(r.attempts >= 10 for r in rows)
    assert {r.last_error for r in rows} == {"ConnectionRefusedError"}
    slack.fake.up()
    _advance(slack, clock, 30)  # Slack is back: the longest wait is 30 s
    lines = slack.log.wait(5)
    assert [line["outcome"] for line in lines] == ["answered"] * 5
    assert all(len(slack.fake.posted(_key(e))) == 1 for e in questions)


def test_a_reply_is_given_up_on_after_the_delivery_time_and_recorded(make_slack_app):
    clock = FakeClock()
    slack = make_slack_app(
        {"ROLE_ADVISOR_DELIVERY_TIMEOUT": "100"}, clock=clock, policy=Policy(give_up_after=100)
    )
    slack.fake.down()
    slack.send.event(direct_message("AE vs AM?"), event_id="Ev208")
    for _ in range(6):
        wait_until(lambda: _rows(slack) and _rows(slack)[0].status != "sending", "the try to end")
        _advance(slack, clock, 30)
    [line] = slack.log.wait(1)
    assert (line["outcome"], line["error"]) == ("failed", "ConnectionRefusedError")
    [row] = _rows(slack)
    assert (row.status, row.last_error) == ("failed", "gave_up:ConnectionRefusedError")
    slack.fake.up()


def test_a_burst_waits_in_the_inbox_read_a_batch_at_a_time_and_is_answered_once(
    make_slack_app,
):
    slack = make_slack_app()
    runtime = slack.runtime
    runtime.dispatcher.batch = 2
    hold = threading.Event()
    answer = runtime.intake.answer

    def slow_answer(inbound):
        hold.wait(WAIT)
        answer(inbound)

    runtime.intake.answer = slow_answer
    batches = []
    claim = runtime.ledger.claim_received

    def spy(now, limit, lease):
        batch = claim(now, limit, lease)
        batches.append(len(batch))
        return batch

    runtime.ledger.claim_received = spy
    questions = [direct_message(f"AE vs AM {n}?", ts=f"1700000400.{n:06d}") for n in range(10)]
    for n, event in enumerate(questions):  # all acknowledged while the first answer is held
        assert slack.send.event(event, event_id=f"EvB{n}").status_code == 200
    assert runtime.ledger.inbox_depth() == 10  # the first batch is read, not yet taken out
    hold.set()
    slack.settle()
    slack.log.wait(10)
    assert all(len(slack.fake.posted(_key(e))) == 1 for e in questions)
    assert runtime.ledger.inbox_depth() == 0
    assert max(batches) == 2  # never more than a batch in memory
