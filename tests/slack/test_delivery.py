"""Delivery (bot/slack/delivery.py): when Slack's Web API fails, the reply still gets there.

Rate limits, server errors and timeouts are retried by slack_sdk's retry handlers on the app's
WebClient; refused blocks fall back to the plain text; a reply that fails for good is logged
with its event id, and the app keeps serving.
"""

from __future__ import annotations

import logging

from fake_slack import direct_message, mention

from bot.slack.delivery import BLOCKS_REFUSED, retry_handlers


def test_rate_limited_post_is_retried_after_retry_after(slack):
    slack.fake.fail_next(
        "chat.postMessage",
        status=429,
        body={"ok": False, "error": "ratelimited"},
        headers={"Retry-After": "0"},
    )
    event = mention("AE vs AM?")
    slack.send.event(event, event_id="Ev200")
    first, second = slack.fake.wait_for("chat.postMessage", 2)
    assert (first.status, second.status) == (429, 200)
    assert second.body["blocks"] == list(slack.advisor.ask(event["text"]).blocks)
    assert slack.log.wait(1)[0]["outcome"] == "answered"


def test_server_error_is_retried(slack):
    slack.fake.fail_next("chat.postMessage", status=500, body={"ok": False, "error": "fatal_error"})
    slack.send.event(direct_message("what does an SDR do?"), event_id="Ev201")
    first, second = slack.fake.wait_for("chat.postMessage", 2)
    assert (first.status, second.status) == (500, 200)
    assert first.body == second.body
    assert slack.log.wait(1)[0]["outcome"] == "answered"


def test_timed_out_post_is_retried(make_slack_app):
    slack = make_slack_app(timeout=0.3)
    slack.fake.fail_next("chat.postMessage", delay=1.0, body={"ok": True, "ts": "1.2"})
    slack.send.event(direct_message("what does a CSM do?"), event_id="Ev202")
    calls = slack.fake.wait_for("chat.postMessage", 2)
    assert calls[0].body == calls[1].body
    assert slack.log.wait(1)[0]["outcome"] == "answered"


def test_refused_blocks_fall_back_to_the_plain_text(slack, caplog):
    slack.fake.fail_next("chat.postMessage", body={"ok": False, "error": "invalid_blocks"})
    event = mention("what does an AE do?")
    with caplog.at_level(logging.WARNING, logger="bot.slack.delivery"):
        slack.send.event(event, event_id="Ev203")
        first, second = slack.fake.wait_for("chat.postMessage", 2)
        [line] = slack.log.wait(1)
    expected = slack.advisor.ask(event["text"])
    assert first.body["blocks"] == list(expected.blocks)
    assert "blocks" not in second.body
    assert second.body["text"] == expected.text
    assert second.body["thread_ts"] == event["ts"]
    assert line["outcome"] == "answered_as_text"
    assert any("Ev203" in r.getMessage() and "invalid_blocks" in r.message for r in caplog.records)


def test_a_reply_that_fails_for_good_is_logged_and_the_app_keeps_serving(slack, caplog):
    for _ in range(3):  # the first try and both retries
        slack.fake.fail_next("chat.postMessage", status=500, body={"ok": False})
    with caplog.at_level(logging.ERROR, logger="bot.slack.delivery"):
        slack.send.event(mention("AE vs AM?"), event_id="Ev204")
        [line] = slack.log.wait(1)
    assert line["outcome"] == "failed"
    assert any("Ev204" in record.getMessage() for record in caplog.records)
    # Slack's redelivery of that event is answered after all, and so is the next question.
    slack.send.event(mention("AE vs AM?"), event_id="Ev204", retry_num=1)
    slack.send.event(mention("what does an SDR do?", ts="1700000100.000999"), event_id="Ev205")
    lines = slack.log.wait(3)
    assert sorted(line["outcome"] for line in lines[1:]) == ["answered", "answered"]
    assert [c.status for c in slack.fake.calls_to("chat.postMessage")].count(200) == 2


def test_every_kind_of_failure_has_a_retry_handler():
    kinds = {type(handler).__name__ for handler in retry_handlers()}
    assert kinds == {
        "ConnectionErrorRetryHandler",
        "RateLimitErrorRetryHandler",
        "ServerErrorRetryHandler",
    }
    assert "invalid_blocks" in BLOCKS_REFUSED
