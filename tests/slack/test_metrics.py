"""Metrics (bot/slack/metrics.py): counters, the inbox and outbox depths and latency
histograms, in prometheus_client's default registry (what ``/metrics`` serves in one process;
``test_procfile.py`` scrapes the web process, which serves its answer process's too)."""

from __future__ import annotations

from fake_slack import direct_message, mention
from prometheus_client import REGISTRY, generate_latest


def _value(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _counts():
    """The counters this test moves."""
    return {
        "acks": _value("role_advisor_slack_acks_total", kind="message", outcome="accepted"),
        "dupes": _value("role_advisor_slack_acks_total", kind="message", outcome="duplicate"),
        "answers": _value("role_advisor_slack_answers_total", intent="role_info"),
        "sent": _value(
            "role_advisor_slack_deliveries_total", method="chat.postMessage", outcome="answered"
        ),
        "retries": _value(
            "role_advisor_slack_delivery_retries_total",
            method="chat.postMessage",
            error="ratelimited",
        ),
        "failures": _value(
            "role_advisor_slack_delivery_failures_total",
            method="chat.postMessage",
            error="channel_not_found",
        ),
        "acked": _value("role_advisor_slack_ack_seconds_count", kind="message"),
        "delivered": _value("role_advisor_slack_delivery_seconds_count", method="chat.postMessage"),
    }


def test_acks_answers_deliveries_retries_failures_and_latencies_are_counted(slack):
    before = _counts()
    slack.fake.fail_next(
        "chat.postMessage",
        status=429,
        body={"ok": False, "error": "ratelimited"},
        headers={"Retry-After": "0"},
    )
    event = direct_message("what does an AE do?")
    slack.send.event(event, event_id="Ev800")
    slack.send.event(event, event_id="Ev800", retry_num=1)
    slack.log.wait(2)
    slack.fake.fail_next("chat.postMessage", body={"ok": False, "error": "channel_not_found"})
    slack.send.event(mention("what does an SDR do?", channel="C0GONE"), event_id="Ev801")
    slack.log.wait(3)
    after = _counts()
    assert {k: after[k] - before[k] for k in before} == {
        "acks": 2,
        "dupes": 1,
        "answers": 2,
        "sent": 1,
        "retries": 1,
        "failures": 1,
        "acked": 3,
        "delivered": 1,
    }


def test_the_inbox_and_outbox_depths_are_read_from_the_database_when_scraped(make_slack_app):
    slack = make_slack_app(start=False)  # nothing answers: requests wait in the inbox
    for n in range(3):
        slack.send.event(direct_message(f"AE vs AM {n}?", ts=f"1.{n}"), event_id=f"Ev81{n}")
    assert _value("role_advisor_slack_inbox_depth") == 3
    assert _value("role_advisor_slack_outbox_depth") == 0
    slack.runtime.dispatcher.start()  # answers, but delivery is not running: they wait
    slack.settle()
    assert _value("role_advisor_slack_inbox_depth") == 0
    assert _value("role_advisor_slack_outbox_depth") == 3
    assert b"role_advisor_slack_outbox_depth 3.0" in generate_latest(REGISTRY)
