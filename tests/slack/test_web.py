"""HTTP mode (bot/slack/web.py): /slack/events through Bolt's Flask adapter, and /healthz.

Bolt verifies every request's signature: a forged one, or one older than five minutes, gets 401
and is never handled.
"""

from __future__ import annotations

import json
import logging
import time

import pytest
from fake_slack import BOT_TOKEN, SIGNING_SECRET, direct_message, event_envelope, mention


def test_healthz_answers_ok(slack):
    response = slack.http.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_events_path_only_takes_posts(slack):
    assert slack.http.get("/slack/events").status_code == 405
    assert slack.http.get("/nowhere").status_code == 404


def _signed(slack, body, *, timestamp=None, secret=SIGNING_SECRET):
    from fake_slack import SlackSender

    sender = SlackSender(lambda *a: None, secret=secret)
    return sender.headers(body, content_type="application/json", timestamp=timestamp)


@pytest.mark.parametrize(
    "forgery",
    ["wrong_secret", "stale", "future", "tampered", "unsigned"],
)
def test_forged_or_stale_requests_get_401_and_are_not_handled(slack, forgery):
    body = json.dumps(event_envelope(mention("AE vs AM?"), event_id="Ev500"))
    now = int(time.time())
    if forgery == "wrong_secret":
        headers = _signed(slack, body, secret="f" * 32)
    elif forgery == "stale":
        headers = _signed(slack, body, timestamp=now - 6 * 60)
    elif forgery == "future":
        headers = _signed(slack, body, timestamp=now + 6 * 60)
    elif forgery == "tampered":
        headers = _signed(slack, body)
        body = body.replace("AE vs AM", "AE vs SDR")
    else:
        headers = {"Content-Type": "application/json"}
    response = slack.http.post("/slack/events", data=body, headers=headers)
    assert response.status_code == 401
    # A genuine request afterwards is answered: the only answer posted.
    slack.send.event(mention("what does an AE do?"), event_id="Ev501")
    slack.fake.wait_for("chat.postMessage")
    assert [line["event_id"] for line in slack.log.wait(1)] == ["Ev501"]
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


def test_a_request_signed_four_minutes_ago_is_accepted(slack):
    body = json.dumps(event_envelope(mention("AE vs AM?"), event_id="Ev502"))
    headers = _signed(slack, body, timestamp=int(time.time()) - 4 * 60)
    assert slack.http.post("/slack/events", data=body, headers=headers).status_code == 200
    slack.fake.wait_for("chat.postMessage")


def test_url_verification_challenge_is_answered(slack):
    body = json.dumps({"token": "t", "challenge": "c-123", "type": "url_verification"})
    response = slack.send.send(body, content_type="application/json")
    assert response.status_code == 200
    assert response.get_json() == {"challenge": "c-123"}


def _request_records(caplog):
    return [r for r in caplog.records if r.name == "bot.slack.requests"]


def test_one_structured_line_per_request_and_never_a_secret_in_the_logs(slack, caplog):
    with caplog.at_level(logging.DEBUG):
        slack.send.event(mention("AE vs AM?"), event_id="Ev503")
        slack.send.event(direct_message("what does a CSM do?"), event_id="Ev504")
        slack.send.command("/roles", "", response_url=slack.fake.response_url())
        slack.fake.wait_for("chat.postMessage", 2)
        slack.fake.wait_for("response_url")
        lines = slack.log.wait(3)
        # The same records reach caplog's handler a moment later, on the listeners' threads.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and len(_request_records(caplog)) < 3:
            time.sleep(0.01)
    assert {line["event_id"] for line in lines} == {"Ev503", "Ev504", "1337.42.trigger"}
    for line in lines:
        assert set(line) >= {"event_id", "user", "intent", "latency_ms", "outcome"}
    assert len(_request_records(caplog)) == 3
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert BOT_TOKEN not in everything
    assert BOT_TOKEN.split("-")[-1] not in everything
    assert SIGNING_SECRET not in everything


def _small_limit_app(slack, limit=2048):
    from bot.slack.settings import HttpLimits
    from bot.slack.web import create_flask_app

    app = create_flask_app(
        slack.app,
        inbox=slack.runtime.inbox,
        signing_secret=SIGNING_SECRET,
        limits=HttpLimits(limit),
    )
    return app.test_client()


def test_a_signed_body_over_the_configured_limit_gets_413_and_is_not_handled(slack):
    http = _small_limit_app(slack)
    envelope = event_envelope(mention("AE vs AM?"), event_id="Ev510")
    body = json.dumps({**envelope, "padding": "p" * 2048})
    response = http.post("/slack/events", data=body, headers=_signed(slack, body))
    assert response.status_code == 413
    assert response.get_json() == {"error": "request body too large"}
    assert slack.fake.calls_to("chat.postMessage") == []


def test_a_body_without_content_length_is_cut_at_the_limit(slack):
    import io

    http = _small_limit_app(slack)
    body = json.dumps({**event_envelope(mention("hi"), event_id="Ev511"), "padding": "p" * 4096})
    environ = {"wsgi.input_terminated": True}  # what a server sets for a chunked body
    response = http.post(
        "/slack/events",
        input_stream=io.BytesIO(body.encode()),
        headers=_signed(slack, body),
        environ_overrides=environ,
    )
    assert response.status_code == 413


def test_metrics_are_served_and_healthz_stays_cheap(slack):
    slack.fake.forget_calls()  # auth.test, at start-up
    slack.http.post("/slack/events", data="{}", headers={"Content-Type": "application/json"})
    response = slack.http.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    text = response.get_data(as_text=True)
    assert 'roleadvisor_http_requests_total{outcome="unsigned",status="401"}' in text
    assert slack.http.get("/healthz").get_json() == {"status": "ok"}
    assert slack.fake.calls == []  # neither touched Slack
