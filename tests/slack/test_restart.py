"""Restarts (bot/slack/app.py, intake.py): what one process took on, the next one answers, once.

A process is stopped mid-flight (a crash: its dispatcher stopped with requests still in the
inbox, nothing more written to the database, posts still in flight reaching Slack unrecorded),
or gracefully; a new app on the same DATABASE_URL answers every question exactly once. Runs on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import json

from fake_slack import FakeClock, direct_message, wait_until
from sqlalchemy import select

from bot.db.models import SlackEvent, SlackInbox, SlackOutbox
from bot.slack.worker import Policy

QUESTIONS = 30


def _questions():
    return [
        direct_message(
            f"what does an AE do {n}?",
            ts=f"1700000200.{n:06d}",
            user=f"U0ASKER{n}",
            channel=f"D0ASKER{n}",
        )
        for n in range(QUESTIONS)
    ]


def _key(event):
    return f"message:{event['channel']}:{event['ts']}"


def _crash(slack):
    """The process dies: what waits in the inbox is not dispatched, nothing more reaches the
    database."""
    slack.runtime.dispatcher.stop(grace=5)
    ledger = slack.runtime.ledger
    for name in ("add", "add_claimed", "finish", "retry", "fail", "ignore", "dispatched"):
        setattr(ledger, name, lambda *args, **kwargs: None)
    slack.runtime.stop(grace=5)  # its sends in flight end, unrecorded


def _statuses(slack):
    with slack.runtime.database.transaction() as session:
        events = {e.key: e.status for e in session.scalars(select(SlackEvent))}
        replies = {r.event_key: r.status for r in session.scalars(select(SlackOutbox))}
    return events, replies


def _inbox(slack) -> set[str]:
    """The keys of the questions waiting in the inbox."""
    with slack.runtime.database.transaction() as session:
        bodies = [json.loads(row.body) for row in session.scalars(select(SlackInbox))]
    return {_key(body["event"]) for body in bodies}


def test_a_crash_mid_flight_loses_nothing_and_doubles_nothing(make_slack_app, database_url):
    clock = FakeClock()
    first = make_slack_app(database_url=database_url, clock=clock, policy=Policy())
    for _ in range(8):  # posts that reach Slack but answer slowly: in flight at the crash
        first.fake.post_then_delay("chat.postMessage", 0.3)
    questions = _questions()
    half = QUESTIONS // 2
    for n, event in enumerate(questions[:half]):
        assert first.send.event(event, event_id=f"EvR{n}").status_code == 200
    first.fake.wait_for("chat.postMessage", 3)
    _crash(first)
    for n, event in enumerate(questions[half:], start=half):  # acknowledged after the crash
        assert first.send.event(event, event_id=f"EvR{n}").status_code == 200
    events, replies = _statuses(first)
    waiting = _inbox(first)
    # Every acknowledged question was recorded: taken on by a listener, or in the inbox (where
    # those acknowledged after the crash wait); posts were in flight (claimed, reaching Slack,
    # never recorded).
    assert set(events) | waiting == {_key(e) for e in questions}
    assert {_key(e) for e in questions[half:]} <= waiting
    assert "sending" in replies.values()
    assert len([s for s in replies.values() if s == "sent"]) < QUESTIONS

    clock.advance(Policy().lease + 1)  # the dead process's claims run out
    second = make_slack_app(database_url=database_url, clock=clock, policy=Policy())
    for n, event in enumerate(questions[:5]):  # Slack redelivers a few after the restart
        second.send.event(event, event_id=f"EvR{n}", retry_num=1)

    def settled():
        events, replies = _statuses(second)
        return (
            len(events) == QUESTIONS
            and set(events.values()) == {"queued"}
            and set(replies.values()) == {"sent"}
        )

    wait_until(settled, "every question to be answered")
    posted = {_key(e): len(second.fake.posted(_key(e))) for e in questions}
    assert posted == dict.fromkeys(posted, 1)  # lost 0, doubled 0
    assert second.fake.calls_to("conversations.history")  # in-flight posts were looked for
    assert len(_statuses(second)[1]) == QUESTIONS
    second.settle()
    assert _inbox(second) == set()
    # The five redeliveries, and what was taken on but not yet out of the inbox at the crash,
    # are recognised by their key.
    duplicates = [line for line in second.log.lines if line["outcome"] == "duplicate"]
    assert len(duplicates) == 5 + len(waiting & set(events))


def test_a_graceful_stop_finishes_what_is_in_flight_and_leaves_the_rest(
    make_slack_app, database_url
):
    first = make_slack_app(database_url=database_url, start=False)
    first.runtime.dispatcher.start()  # answers are built; delivery has not started
    questions = _questions()[:6]
    for n, event in enumerate(questions):
        first.send.event(event, event_id=f"EvG{n}")
    first.settle()
    assert set(_statuses(first)[1].values()) == {"pending"}  # queued, none sent yet
    for _ in questions:
        first.fake.post_then_delay("chat.postMessage", 0.3)
    first.runtime.start()
    wait_until(lambda: len(first.fake.messages) == 4, "four posts in flight")  # four senders
    assert first.runtime.stop(grace=5)  # SIGTERM: the four in flight end within the grace
    statuses = sorted(_statuses(first)[1].values())
    assert statuses == ["pending"] * 2 + ["sent"] * 4

    second = make_slack_app(database_url=database_url)
    wait_until(lambda: set(_statuses(second)[1].values()) == {"sent"}, "the rest to be sent")
    posted = {_key(e): len(second.fake.posted(_key(e))) for e in questions}
    assert posted == dict.fromkeys(posted, 1)


def test_at_start_what_waits_in_the_inbox_is_answered_once_not_also_resumed(make_slack_app):
    # Delivery resumes what was accepted before it started; the dispatcher takes on what comes
    # after: with a clock that moves on every reading, nothing falls between the two.
    ticks = iter(range(10**6))
    slack = make_slack_app(clock=lambda: 1_700_000_000.0 + next(ticks) / 1000, start=False)
    for n, event in enumerate(_questions()[:5]):
        assert slack.send.event(event, event_id=f"EvS{n}").status_code == 200
    answered = []
    answer = slack.runtime.intake.answer
    slack.runtime.intake.answer = lambda inbound: answered.append(inbound.key) or answer(inbound)
    slack.runtime.start()
    slack.settle()
    lines = slack.log.wait(5)
    assert sorted(answered) == sorted({_key(e) for e in _questions()[:5]})  # each built once
    assert [line["outcome"] for line in lines] == ["answered"] * 5
