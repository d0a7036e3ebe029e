"""Restarts (bot/slack/app.py, intake.py): what one process took on, the next one answers, once.

A process is stopped mid-flight (a crash: its lazy listeners cancelled, nothing more written to
the database, posts still in flight reaching Slack unrecorded), or gracefully; a new app on
the same DATABASE_URL answers every question exactly once. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from fake_slack import FakeClock, direct_message, wait_until
from sqlalchemy import select

from bot.db.models import SlackEvent, SlackOutbox
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
    """The process dies: queued answers never run, nothing more reaches the database."""
    slack.app.listener_runner.listener_executor.shutdown(wait=False, cancel_futures=True)
    ledger = slack.runtime.ledger
    for name in ("add", "finish", "retry", "fail", "ignore"):
        setattr(ledger, name, lambda *args, **kwargs: None)
    slack.runtime.stop(grace=5)  # its sends in flight end, unrecorded


def _statuses(slack):
    with slack.runtime.database.transaction() as session:
        events = {e.key: e.status for e in session.scalars(select(SlackEvent))}
        replies = {r.event_key: r.status for r in session.scalars(select(SlackOutbox))}
    return events, replies


def test_a_crash_mid_flight_loses_nothing_and_doubles_nothing(make_slack_app, database_url):
    clock = FakeClock()
    first = make_slack_app(database_url=database_url, clock=clock, policy=Policy())
    for _ in range(8):  # posts that reach Slack but answer slowly: in flight at the crash
        first.fake.post_then_delay("chat.postMessage", 0.3)
    questions = _questions()
    for n, event in enumerate(questions):
        assert first.send.event(event, event_id=f"EvR{n}").status_code == 200
    first.fake.wait_for("chat.postMessage", 3)
    _crash(first)
    events, replies = _statuses(first)
    assert len(events) == QUESTIONS  # every acknowledged question was recorded
    # Posts were in flight (claimed, reaching Slack, never recorded) and questions unanswered.
    assert "sending" in replies.values()
    assert len([s for s in replies.values() if s == "sent"]) < QUESTIONS

    clock.advance(Policy().lease + 1)  # the dead process's claims run out
    second = make_slack_app(database_url=database_url, clock=clock, policy=Policy())
    for n, event in enumerate(questions[:5]):  # Slack redelivers a few after the restart
        second.send.event(event, event_id=f"EvR{n}", retry_num=1)

    def settled():
        events, replies = _statuses(second)
        return set(events.values()) == {"queued"} and set(replies.values()) == {"sent"}

    wait_until(settled, "every question to be answered")
    posted = {_key(e): len(second.fake.posted(_key(e))) for e in questions}
    assert posted == dict.fromkeys(posted, 1)  # lost 0, doubled 0
    assert second.fake.calls_to("conversations.history")  # in-flight posts were looked for
    assert len(_statuses(second)[1]) == QUESTIONS
    duplicates = [line for line in second.log.lines if line["outcome"] == "duplicate"]
    assert len(duplicates) == 5


def test_a_graceful_stop_finishes_what_is_in_flight_and_leaves_the_rest(
    make_slack_app, database_url
):
    first = make_slack_app(database_url=database_url, start=False)
    questions = _questions()[:6]
    for n, event in enumerate(questions):
        first.send.event(event, event_id=f"EvG{n}")
    first.app.listener_runner.listener_executor.shutdown(wait=True)
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
