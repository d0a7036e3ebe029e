"""Acknowledged first, dispatched after (bot/slack/inbox.py, web.py, listeners.answered_later).

A signed request for a listener whose acknowledgement carries nothing is written to the inbox
and answered with an empty 200 before Bolt sees it; the dispatcher hands it to the real Bolt
app's listeners afterwards. The rest (url_verification, ssl_check, /keyaccount and its modal,
what no listener takes) go through Bolt while the request waits.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import pytest
from fake_slack import (
    SIGNING_SECRET,
    SlackSender,
    block_action,
    buttons,
    direct_message,
    event_envelope,
    mention,
    wait_until,
)
from sqlalchemy import select

from bot.db.batch import WriteFailed
from bot.db.models import SlackEvent
from bot.slack.feedback_blocks import FEEDBACK_ACTION
from bot.slack.inbound import Received
from bot.slack.keyaccounts import COMMAND as KEYACCOUNT
from bot.slack.listeners import COMMANDS, answered_later
from bot.slack.report import COMMAND as REPORT


def _event(event_type, **fields):
    return {"type": "event_callback", "event": {"type": event_type, **fields}}


def _action(action_id):
    return {"type": "block_actions", "actions": [{"action_id": action_id}]}


LATER = {
    "a mention": _event("app_mention"),
    "a message (a DM question, or one the ignoring listener logs)": _event("message"),
    "App Home opened": _event("app_home_opened"),
    "a new member": _event("team_join"),
    **{f"the {command} command": {"command": command} for command in COMMANDS},
    "a next-step button": _action("suggest_3"),
    "a clarifying choice": _action("choose_0"),
    "Share": _action("share"),
}
NOW = {
    "url_verification": {"type": "url_verification", "challenge": "c"},
    "ssl_check": {"ssl_check": "1", "token": "t"},
    "/keyaccount (its ephemeral answer is the acknowledgement)": {"command": KEYACCOUNT},
    "the scoring modal's submission (response_action errors)": {"type": "view_submission"},
    "a feedback button (stored, and its form opened, in the ack)": _action(FEEDBACK_ACTION),
    "/roleadvisor-report (its refusal is the acknowledgement)": {"command": REPORT},
    "app_uninstalled (Bolt's own listener)": _event("app_uninstalled"),
    "tokens_revoked (Bolt's own listener)": _event("tokens_revoked"),
    "an event type no listener takes": _event("reaction_added"),
    "an event_callback without an event": {"type": "event_callback"},
    "an unknown command": {"command": "/nope"},
    "a button no listener takes": _action("suggest_x"),
    "block_actions without actions": {"type": "block_actions"},
    "an empty body": {},
}


@pytest.mark.parametrize("name", list(LATER))
def test_what_a_listener_answers_later_is_acknowledged_before_bolt_sees_it(name):
    assert answered_later(LATER[name])


@pytest.mark.parametrize("name", list(NOW))
def test_what_needs_bolt_s_answer_or_no_listener_takes_goes_through_bolt_at_once(name):
    assert not answered_later(NOW[name])


def _events(slack):
    with slack.runtime.database.transaction() as session:
        return list(session.scalars(select(SlackEvent.key)))


def test_an_event_is_written_to_the_inbox_and_acknowledged_without_bolt(make_slack_app):
    slack = make_slack_app(start=False)  # nothing answers yet
    dispatched = []
    dispatch = slack.app.dispatch
    slack.app.dispatch = lambda request: dispatched.append(request) or dispatch(request)
    event = direct_message("what does an AE do?")
    response = slack.send.event(event, event_id="Ev1000")
    assert (response.status_code, response.data) == (200, b"")
    assert dispatched == []  # Bolt has not seen it
    assert _events(slack) == []  # no listener has either
    [waiting] = slack.runtime.ledger.claim_received(1.0, 10, lease=0.0)  # let go at once
    assert json.loads(waiting.body)["event"] == event
    assert waiting.content_type == "application/json"

    slack.runtime.start()
    slack.settle()
    [request] = dispatched
    assert request.mode == "socket_mode"  # already checked: not verified again
    assert _events(slack) == [f"message:{event['channel']}:{event['ts']}"]
    [line] = slack.log.wait(1)
    assert (line["event_id"], line["outcome"]) == ("Ev1000", "answered")
    assert slack.runtime.ledger.inbox_depth() == 0


def test_a_command_and_a_click_go_through_the_inbox_too(make_slack_app, advisor):
    slack = make_slack_app(start=False)
    command = slack.send.command("/role", "AE", response_url=slack.fake.response_url())
    [button] = [b for b in buttons(advisor.ask("AE?").blocks) if b["action_id"] == "suggest_1"]
    container = {"type": "message", "message_ts": "1.5", "channel_id": "C0SALES"}
    click = slack.send.action(block_action(button, container=container, message={"ts": "1.5"}))
    assert [(r.status_code, r.data) for r in (command, click)] == [(200, b"")] * 2
    assert slack.runtime.ledger.inbox_depth() == 2
    assert _events(slack) == []
    slack.runtime.start()
    assert [line["outcome"] for line in slack.log.wait(2)] == ["answered", "answered"]


def test_a_request_bolt_answers_is_handled_while_slack_waits(make_slack_app):
    slack = make_slack_app(start=False)  # no dispatcher: the answer cannot come from there
    body = json.dumps({"token": "t", "challenge": "c-1000", "type": "url_verification"})
    response = slack.send.send(body, content_type="application/json")
    assert response.status_code == 200
    assert response.get_json() == {"challenge": "c-1000"}
    assert slack.runtime.ledger.inbox_depth() == 0


def test_an_inbox_that_cannot_be_written_gets_a_500_without_a_body_in_the_log(
    slack, caplog, monkeypatch
):
    text = "my secret question about AEs"

    def broken(requests):
        raise RuntimeError(f"disk I/O error, parameters: {requests[0].body}")

    monkeypatch.setattr(slack.runtime.inbox._writes, "_write", broken)
    with caplog.at_level(logging.INFO):
        response = slack.send.event(mention(text), event_id="Ev1001")
    assert response.status_code == 500  # Slack sends it again
    assert b"Traceback" not in response.data
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "the inbox cannot be written (RuntimeError)" in logged
    assert text not in logged
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "bot.slack.http"]
    assert (line["status"], line["outcome"], line["event_id"]) == (500, "error", "Ev1001")

    monkeypatch.undo()  # the database is back: Slack's retry is answered
    assert slack.send.event(mention(text), event_id="Ev1001", retry_num=1).status_code == 200
    slack.fake.wait_for("chat.postMessage")


def test_a_write_failure_reaches_every_request_that_shared_the_write(slack, monkeypatch):
    def broken(requests):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(slack.runtime.inbox._writes, "_write", broken)
    with pytest.raises(WriteFailed):
        slack.runtime.inbox.receive("{}", "application/json")


def test_a_dispatch_that_fails_on_the_database_stays_in_the_inbox_for_the_next_look(
    make_slack_app,
):
    slack = make_slack_app(start=False)
    runtime = slack.runtime
    for n in range(3):
        event = direct_message(f"AE vs AM {n}?", ts=f"1700000900.{n:06d}")
        assert slack.send.event(event, event_id=f"EvF{n}").status_code == 200
    accept = runtime.intake.seen.accept
    failures = []

    def flaky(inbound):  # the second request's first try finds the database away
        if inbound.key.endswith("000001") and not failures:
            failures.append(inbound.key)
            raise RuntimeError("the database is away")
        return accept(inbound)

    runtime.intake.seen.accept = flaky
    runtime.start()
    wait_until(lambda: len(slack.fake.calls_to("chat.postMessage")) == 3, "three answers")
    slack.settle()
    assert failures == ["message:D0NEWHIRE:1700000900.000001"]
    assert runtime.ledger.inbox_depth() == 0
    assert sorted(_events(slack)) == [f"message:D0NEWHIRE:1700000900.00000{n}" for n in range(3)]


def test_a_request_no_listener_takes_is_taken_out_of_the_inbox(make_slack_app):
    slack = make_slack_app(start=False)
    # Written by hand: no HTTP request is answered later unless a listener takes it.
    body = json.dumps(event_envelope({"type": "reaction_added", "user": "U1"}, event_id="Ev9"))
    runtime = slack.runtime
    runtime.ledger.receive([Received(body, "application/json", 1.0)])
    runtime.start()
    slack.settle()
    assert runtime.ledger.inbox_depth() == 0
    assert _events(slack) == []


def test_a_recorded_request_is_dispatched_however_old_its_signature(make_slack_app):
    # After a restart, requests acknowledged long ago are still answered: the dispatcher
    # hands them over as already checked (the inbox holds no signature).
    slack = make_slack_app(start=False)
    event = mention("what does an SDR do?")
    body = json.dumps(event_envelope(event, event_id="Ev1002"))
    slack.runtime.ledger.receive([Received(body, "application/json", received_at=1.0)])
    slack.runtime.start()
    [call] = slack.fake.wait_for("chat.postMessage")
    assert call.body["thread_ts"] == event["ts"]


def test_a_form_body_is_parsed_at_dispatch_as_bolt_parses_it(make_slack_app, advisor):
    slack = make_slack_app(start=False)
    url = slack.fake.response_url()
    form = urlencode(
        {
            "command": "/roles",
            "text": "",
            "team_id": "T0TEAM",
            "user_id": "U0MANAGER",
            "channel_id": "C0GENERAL",
            "response_url": url,
            "trigger_id": "T2.2",
        }
    )
    headers = SlackSender(lambda *a: None, secret=SIGNING_SECRET).headers(
        form, content_type="application/x-www-form-urlencoded; charset=utf-8"
    )
    assert slack.http.post("/slack/events", data=form, headers=headers).status_code == 200
    slack.runtime.start()
    [reply] = slack.fake.wait_for("response_url")
    assert reply.body["text"] == advisor.ask("roles").text
