"""Slash commands (bot/slack/listeners/commands.py): /compare, /role, /roles.

Each is acknowledged at once with an empty 200; the answer goes to the command's response_url
(on the fake Slack), ephemeral, with a "Share in channel" button; bad arguments get usage help.
"""

from __future__ import annotations

import json
import time

import pytest
from fake_slack import buttons, share_of, without_feedback, without_share

from bot.understanding.reading import Reading


@pytest.mark.parametrize(
    ("command", "text"),
    [
        ("/compare", "AE AM"),
        ("/compare", "AE SDR CSM metrics"),
        ("/role", "CSM career path"),
        ("/roles", ""),
    ],
)
def test_command_answers_ephemerally_with_a_share_button(slack, command, text):
    response = slack.send.command(command, text, response_url=slack.fake.response_url())
    assert response.status_code == 200
    assert response.data == b""  # the ack: nothing shown until the answer comes

    [call] = slack.fake.wait_for("response_url")
    expected = slack.advisor.command(command.lstrip("/"), text)
    assert call.path == "/response/r1"
    assert call.body["response_type"] == "ephemeral"
    assert call.body["text"] == expected.text
    assert without_share(call.body["blocks"]) == list(expected.blocks)
    share = share_of(call.body["blocks"])
    # The reading to share, and the question it answers (the shared answer's feedback is its).
    assert Reading.from_value(share["value"]) == expected.reading
    assert json.loads(share["value"])["question"] == "command:1337.42.trigger"
    [line] = slack.log.wait(1)
    assert (line["kind"], line["user"], line["outcome"]) == (command, "U0MANAGER", "answered")
    assert slack.fake.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    ("command", "text"),
    [("/compare", "AE"), ("/compare", ""), ("/role", "AE AM"), ("/role", "astronaut")],
)
def test_bad_arguments_get_usage_help_with_an_example_and_no_share_button(slack, command, text):
    slack.send.command(command, text, response_url=slack.fake.response_url())
    [call] = slack.fake.wait_for("response_url")
    expected = slack.advisor.command(command.lstrip("/"), text)
    assert expected.reading.intent == "help"
    assert without_feedback(call.body["blocks"]) == list(expected.blocks)
    assert f"`{command} " in call.body["text"]  # an example of the command
    assert "share" not in {b["action_id"] for b in buttons(call.body["blocks"])}
    assert slack.log.wait(1)[0]["intent"] == "help"


def test_compare_with_one_role_says_it_needs_two(slack):
    slack.send.command("/compare", "AE", response_url=slack.fake.response_url())
    [call] = slack.fake.wait_for("response_url")
    assert "two" in call.body["text"]
    assert "`/compare AE AM`" in call.body["text"]


def test_command_is_acknowledged_before_a_slow_answer_is_delivered(slack):
    slack.fake.fail_next("response_url", body="ok", delay=1.5)
    started = time.monotonic()
    response = slack.send.command("/compare", "AE AM", response_url=slack.fake.response_url())
    acked = time.monotonic() - started
    assert response.status_code == 200
    assert acked < 1.0
    slack.fake.wait_for("response_url")
    assert slack.log.wait(1)[0]["outcome"] == "answered"


def test_refused_blocks_in_a_command_answer_fall_back_to_text(slack):
    slack.fake.fail_next("response_url", status=400, body="invalid_blocks")
    slack.send.command("/roles", "", response_url=slack.fake.response_url())
    first, second = slack.fake.wait_for("response_url", 2)
    assert "blocks" in first.body
    assert "blocks" not in second.body
    assert second.body["text"] == slack.advisor.command("roles", "").text
    assert slack.log.wait(1)[0]["outcome"] == "answered_as_text"


def test_rate_limited_response_url_is_retried(slack):
    slack.fake.fail_next(
        "response_url", status=429, body="rate_limited", headers={"Retry-After": "0"}
    )
    slack.send.command("/role", "SDR", response_url=slack.fake.response_url())
    first, second = slack.fake.wait_for("response_url", 2)
    assert (first.status, second.status) == (429, 200)
    assert slack.log.wait(1)[0]["outcome"] == "answered"
