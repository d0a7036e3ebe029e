"""Hostile and broken requests to /slack/events (bot/slack/gate.py in front of Bolt).

Unsigned or badly signed requests get 401 whatever their body, before it is parsed. Signed ones
that are malformed get a 4xx (or a polite 200), never a 5xx or a traceback, and are not answered.
A replayed signed request is acknowledged and answered once. No log line at the default level
holds a body, a token or the signing secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from fake_slack import (
    SIGNING_SECRET,
    SlackSender,
    block_action,
    event_envelope,
    mention,
)

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
FAKE_TOKEN = "xoxb-9999-8888-hostiletokenvalue"
FAKE_SECRET = "feedfacecafebeef0123456789abcdef"


@dataclass(frozen=True)
class Case:
    """One request: its body, content type, and how it is signed."""

    body: str | bytes
    content_type: str = JSON
    # None: signed with the app's secret; else these headers replace the signature headers.
    signature: dict[str, str] | None = None
    extra: dict[str, str] = field(default_factory=dict)
    secret: str = SIGNING_SECRET


def _event(**envelope):
    return json.dumps({**event_envelope(mention("AE vs AM?"), event_id="Ev900"), **envelope})


def _payload(payload):
    return urlencode({"payload": payload if isinstance(payload, str) else json.dumps(payload)})


def _actions(**changes):
    button = {"action_id": "suggest_0", "text": {"type": "plain_text", "text": "AE"}, "value": "x"}
    return _payload({**block_action(button, container={"type": "message"}), **changes})


def _command(**fields):
    return urlencode({"team_id": "T0TEAM", "user_id": "U0MANAGER", "text": "", **fields})


_BAD_SIG = {"X-Slack-Signature": "v0=" + "0" * 64}
UNSIGNED = {
    "no signature headers": Case(_event(), signature={}),
    "no signature headers, broken JSON": Case('{"type": "event_callback",', signature={}),
    "no signature headers, empty body": Case("", signature={}),
    "timestamp only": Case(_event(), signature={"X-Slack-Request-Timestamp": "1700000000"}),
    "signature only": Case(_event(), signature=_BAD_SIG),
    "non-numeric timestamp": Case(
        _event(), signature={**_BAD_SIG, "X-Slack-Request-Timestamp": "abc"}
    ),
    "superscript-digit timestamp": Case(
        _event(), signature={**_BAD_SIG, "X-Slack-Request-Timestamp": "\u00b2"}
    ),
    "negative timestamp": Case(_event(), signature={**_BAD_SIG, "X-Slack-Request-Timestamp": "-1"}),
    "huge timestamp": Case(_event(), signature={**_BAD_SIG, "X-Slack-Request-Timestamp": "9" * 40}),
    "not a v0 signature": Case(
        _event(), signature={"X-Slack-Signature": "v1=abc", "X-Slack-Request-Timestamp": "1"}
    ),
    "wrong secret, broken JSON": Case('{"event": ', secret="f" * 32),
    "wrong secret, payload not JSON": Case(_payload("{nope"), FORM, secret="f" * 32),
    "wrong secret, huge nesting": Case("[" * 5000, secret="f" * 32),
    "stale timestamp": Case(_event(), extra={"stale": "1"}),
    "body not UTF-8, signed over its bytes": Case(b'{"type": "\xff\xfe"}', extra={"raw": "1"}),
}
SIGNED = {
    # body: (case, expected status)
    "broken JSON": (Case('{"type": "event_callback",'), 400),
    "JSON array": (Case("[1, 2]"), 400),
    "JSON string": (Case('"event_callback"'), 400),
    "JSON null": (Case("null"), 400),
    "deeply nested JSON": (Case("[" * 100_000 + "]" * 100_000), 400),
    "event is a string": (Case(_event(event="app_mention")), 400),
    "event is null": (Case(_event(event=None)), 400),
    "event without a type": (Case(_event(event={"text": "hi"})), 400),
    "authorizations of strings": (Case(_event(authorizations=["x"])), 400),
    "user is a number": (Case(_event(user=5)), 400),
    "retry number not a number": (Case(_event(), extra={"X-Slack-Retry-Num": "abc"}), 400),
    "retry number a superscript": (Case(_event(), extra={"X-Slack-Retry-Num": "\u00b2"}), 400),
    "retry number negative": (Case(_event(), extra={"X-Slack-Retry-Num": "-1"}), 400),
    "payload= not JSON": (Case(_payload("{nope"), FORM), 400),
    "payload= a JSON array": (Case(_payload("[1]"), FORM), 400),
    "block_actions, actions empty": (Case(_actions(actions=[]), FORM), 400),
    "block_actions, actions a string": (Case(_actions(actions="suggest_0"), FORM), 400),
    "block_actions, no action_id": (Case(_actions(actions=[{"value": "x"}]), FORM), 400),
    "block_actions, numeric action_id": (Case(_actions(actions=[{"action_id": 5}]), FORM), 400),
    "block_actions, view a string": (Case(_actions(view="x"), FORM), 400),
    "text/plain": (Case(_event(), "text/plain"), 415),
    "no content type": (Case(_event(), ""), 415),
    "multipart": (Case(_event(), "multipart/form-data; boundary=x"), 415),
    # Well-formed enough for Bolt, which finds no listener for them: 404, nothing answered.
    "empty body": (Case(""), 404),
    "event_callback without an event": (Case(json.dumps({"type": "event_callback"})), 404),
    "slash command without a command": (Case(_command(response_url="http://x/"), FORM), 404),
    "unknown slash command": (Case(_command(command="/nope"), FORM), 404),
    "block_actions, actions null": (Case(_actions(actions=None), FORM), 400),
    "block_actions without actions": (Case(_payload({"type": "block_actions"}), FORM), 404),
    "view_submission without a view": (Case(_payload({"type": "view_submission"}), FORM), 404),
    # Acknowledged; the answer has nowhere to go and the failure is logged.
    "slash command without response_url": (Case(_command(command="/roles"), FORM), 200),
}


def _headers(case: Case) -> dict[str, str]:
    if case.signature is not None:
        return {"Content-Type": case.content_type, **case.signature, **case.extra}
    stamp = int(time.time()) - (10 * 60 if "stale" in case.extra else 0)
    extra = {k: v for k, v in case.extra.items() if k not in {"stale", "raw"}}
    if isinstance(case.body, bytes):  # slack_sdk only signs text; sign the bytes as Slack would
        base = b"v0:%d:" % stamp + case.body
        digest = hmac.new(case.secret.encode(), base, hashlib.sha256).hexdigest()
        signed = {"X-Slack-Request-Timestamp": str(stamp), "X-Slack-Signature": f"v0={digest}"}
        return {"Content-Type": case.content_type, **signed, **extra}
    sender = SlackSender(lambda *a: None, secret=case.secret)
    return {**sender.headers(case.body, content_type=case.content_type, timestamp=stamp), **extra}


def _post(slack, case: Case):
    body = case.body if isinstance(case.body, bytes) else case.body.encode()
    return slack.http.post("/slack/events", data=body, headers=_headers(case))


def _no_traceback(caplog):
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.name for r in errors if r.name != "bot.slack.services"] == []


@pytest.mark.parametrize("name", list(UNSIGNED))
def test_unsigned_or_badly_signed_requests_get_401_whatever_the_body(slack, caplog, name):
    with caplog.at_level(logging.INFO):
        response = _post(slack, UNSIGNED[name])
    assert response.status_code == 401
    assert response.get_json() == {"error": "invalid request"}
    _no_traceback(caplog)
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "bot.slack.http"]
    assert line["outcome"] in {"unsigned", "bad_signature"}
    assert slack.fake.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("name", list(SIGNED))
def test_signed_malformed_requests_get_a_4xx_or_a_polite_answer_never_a_5xx(slack, caplog, name):
    case, status = SIGNED[name]
    with caplog.at_level(logging.INFO):
        response = _post(slack, case)
        slack.settle()  # every request has been through its listener
    assert response.status_code == status
    assert b"Traceback" not in response.data
    _no_traceback(caplog)
    assert slack.fake.calls_to("chat.postMessage") == []


def test_every_case_is_a_distinct_request():
    cases = [*UNSIGNED.values(), *(case for case, _ in SIGNED.values())]
    assert len(cases) >= 18
    keys = {(c.body, c.content_type, str(c.signature), str(c.extra), c.secret) for c in cases}
    assert len(keys) == len(cases)


def test_a_genuine_request_is_answered_after_the_hostile_ones(slack):
    for case in UNSIGNED.values():
        _post(slack, case)
    for case, _ in SIGNED.values():
        _post(slack, case)
    assert slack.send.event(mention("what does an AE do?"), event_id="Ev901").status_code == 200
    slack.fake.wait_for("chat.postMessage")


# -- replays -------------------------------------------------------------------------------------


def _replayed(slack, body: str, content_type: str):
    headers = SlackSender(lambda *a: None).headers(body, content_type=content_type)
    first = slack.http.post("/slack/events", data=body, headers=headers)
    again = slack.http.post("/slack/events", data=body, headers=headers)
    return first, again


def test_a_replayed_slash_command_is_acknowledged_and_answered_once(slack, caplog):
    body = _command(command="/roles", response_url=slack.fake.response_url(), trigger_id="T1.1")
    with caplog.at_level(logging.INFO):
        first, again = _replayed(slack, body, FORM)
        slack.fake.wait_for("response_url")
        slack.settle()
    assert (first.status_code, again.status_code, again.data) == (200, 200, b"")
    assert len(slack.fake.calls_to("response_url")) == 1
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "bot.slack.http"]
    assert [line["outcome"] for line in lines] == ["accepted", "replay"]
    assert {line["event_id"] for line in lines} == {"T1.1"}


def test_a_replayed_button_click_is_answered_once(slack, advisor):
    answer = advisor.ask("what does an AE do?")
    button = next(b for b in _buttons(answer.blocks) if b["action_id"].startswith("suggest_"))
    payload = block_action(
        button,
        container={"type": "message", "channel_id": "C0SALES", "message_ts": "1700000100.000100"},
        channel={"id": "C0SALES"},
        message={"ts": "1700000100.000100"},
        response_url=slack.fake.response_url(),
    )
    first, again = _replayed(slack, _payload(payload), FORM)
    assert (first.status_code, again.status_code) == (200, 200)
    slack.fake.wait_for("chat.postMessage")
    slack.settle()
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


def test_the_same_request_signed_again_later_is_not_a_replay(slack, caplog):
    # Slack's retries are signed anew; what the app makes of a repeat is its own affair (the
    # event id, for events): the gate lets it through.
    body = _command(command="/roles", response_url=slack.fake.response_url())
    sender = SlackSender(lambda *a: None)
    now = int(time.time())
    with caplog.at_level(logging.INFO, logger="bot.slack.http"):
        for stamp in (now, now + 1):
            headers = sender.headers(body, content_type=FORM, timestamp=stamp)
            assert slack.http.post("/slack/events", data=body, headers=headers).status_code == 200
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "bot.slack.http"]
    assert [line["outcome"] for line in lines] == ["accepted", "accepted"]


def _buttons(blocks):
    from fake_slack import buttons

    return buttons(blocks)


# -- quiet logs ----------------------------------------------------------------------------------


def _hostile_bodies():
    text = f"token {FAKE_TOKEN} secret {FAKE_SECRET} please"
    return [
        json.dumps(event_envelope(mention(text), event_id="Ev950")),
        _command(command="/nope", text=text, response_url="http://127.0.0.1:9/"),
        _command(command="/roles", text=text, token=FAKE_TOKEN),
        '{"broken": "' + text,
        _payload("{" + text),
    ]


def _secrets_in(records) -> list[str]:
    found = []
    for record in records:
        message = record.getMessage()
        if record.exc_info:
            message += logging.Formatter().formatException(record.exc_info)
        for secret in (FAKE_TOKEN, FAKE_SECRET, SIGNING_SECRET, "please", "hostiletokenvalue"):
            if secret in message:
                found.append(f"{record.name}: {message[:200]}")
    return found


def test_hostile_requests_leave_no_body_token_or_secret_in_the_logs(slack, caplog):
    with caplog.at_level(logging.INFO):
        for body in _hostile_bodies():
            content_type = JSON if body.startswith("{") else FORM
            for secret in (SIGNING_SECRET, FAKE_SECRET):  # signed, then forged
                sender = SlackSender(lambda *a: None, secret=secret)
                headers = sender.headers(body, content_type=content_type)
                slack.http.post("/slack/events", data=body, headers=headers)
            slack.http.post("/slack/events", data=body, headers={"Content-Type": content_type})
        slack.settle()
    assert len([r for r in caplog.records if r.name == "bot.slack.http"]) == 15
    assert _secrets_in(caplog.records) == []


def test_bolt_s_own_failed_verification_does_not_log_the_body(make_slack_app, caplog):
    # The gate and Bolt disagree on the secret: the gate lets the request through, and Bolt's
    # RequestVerification, which logs the whole body at INFO, refuses it. (A request Bolt
    # handles while Slack waits: those a listener answers later are not verified twice.)
    from bot.slack.web import create_flask_app

    slack = make_slack_app()
    http = create_flask_app(
        slack.app, inbox=slack.runtime.inbox, signing_secret=FAKE_SECRET
    ).test_client()
    body = _hostile_bodies()[1]  # an unknown command, with a token and a secret in its text
    headers = SlackSender(lambda *a: None, secret=FAKE_SECRET).headers(body, content_type=FORM)
    with caplog.at_level(logging.DEBUG, logger="slack_bolt"), caplog.at_level(logging.INFO):
        response = http.post("/slack/events", data=body, headers=headers)
    assert response.status_code == 401
    assert _secrets_in(caplog.records) == []
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "bot.slack.http"]
    assert (line["status"], line["outcome"]) == (401, "bad_signature")
