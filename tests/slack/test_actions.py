"""Buttons (bot/slack/listeners/actions.py): suggestions, clarifying choices, "Share in channel".

A suggestion is answered where the button was: in the thread, in the DM, ephemerally for a
slash command's answer, and in the DM with the bot for App Home buttons. A clarifying question's
choice replaces the question with its answer (``chat.update``; the ephemeral one by its
``response_url``), and posts it anew if the question is gone.
"""

from __future__ import annotations

import json

import pytest
from fake_slack import (
    block_action,
    buttons,
    direct_message,
    feedback_of,
    without_feedback,
    without_share,
)

from bot.understanding.reading import Reading


def _button(blocks, action_id):
    [button] = [b for b in buttons(blocks) if b["action_id"] == action_id]
    return button


def _ephemeral_answer(slack, command, text):
    slack.send.command(command, text, response_url=slack.fake.response_url("cmd"))
    [call] = slack.fake.wait_for("response_url")
    return call.body["blocks"]


def _ephemeral_click(slack, button):
    container = {
        "type": "message",
        "message_ts": "1700000400.000100",
        "channel_id": "C0GENERAL",
        "is_ephemeral": True,
    }
    payload = block_action(
        button,
        container=container,
        channel={"id": "C0GENERAL", "name": "general"},
        response_url=slack.fake.response_url("click"),
    )
    return slack.send.action(payload)


def test_share_in_channel_posts_the_answer_for_everyone_and_removes_the_ephemeral(slack):
    blocks = _ephemeral_answer(slack, "/compare", "AE AM")
    response = _ephemeral_click(slack, _button(blocks, "share"))
    assert response.status_code == 200

    _, shared, removed = slack.fake.wait_for("response_url", 3)
    answer = slack.advisor.command("compare", "AE AM")
    assert shared.path == "/response/click"
    assert shared.body["response_type"] == "in_channel"
    assert shared.body["replace_original"] is False
    assert shared.body["text"] == answer.text
    # The same answer, without the share button; its feedback is the command's question's.
    assert without_feedback(shared.body["blocks"]) == list(answer.blocks)
    assert feedback_of(shared.body["blocks"]) == feedback_of(blocks)
    assert removed.body == {"replace_original": False, "delete_original": True}
    [line] = [line for line in slack.log.wait(2) if line["kind"] == "share"]
    assert (line["intent"], line["outcome"]) == ("compare", "shared")


def test_suggestion_on_a_slash_command_answer_answers_ephemerally(slack):
    blocks = _ephemeral_answer(slack, "/role", "SDR")
    button = _button(blocks, "suggest_0")
    _ephemeral_click(slack, button)
    _, call = slack.fake.wait_for("response_url", 2)
    expected = slack.advisor.answer(Reading.from_value(button["value"]))
    assert call.body["response_type"] == "ephemeral"
    assert without_share(call.body["blocks"]) == list(expected.blocks)
    assert slack.fake.calls_to("chat.postMessage") == []


def test_suggestion_under_a_channel_answer_answers_in_that_thread(slack):
    answer = slack.advisor.ask("what does an AE do?")
    button = _button(answer.blocks, "suggest_1")
    message = {"ts": "1700000500.000200", "thread_ts": "1700000500.000100", "blocks": []}
    container = {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": "C0SALES",
        "is_ephemeral": False,
    }
    slack.send.action(block_action(button, container=container, message=message))
    [call] = slack.fake.wait_for("chat.postMessage")
    expected = slack.advisor.answer(Reading.from_value(button["value"]))
    assert call.body["channel"] == "C0SALES"
    assert call.body["thread_ts"] == "1700000500.000100"
    assert without_feedback(call.body["blocks"]) == list(expected.blocks)
    [line] = slack.log.wait(1)
    assert (line["kind"], line["intent"], line["outcome"]) == ("suggest_1", "role_info", "answered")


def test_suggestion_in_a_dm_answers_in_the_dm_unthreaded(slack):
    answer = slack.advisor.ask("AE vs AM?")
    button = _button(answer.blocks, "suggest_0")
    container = {
        "type": "message",
        "message_ts": "1700000600.000100",
        "channel_id": "D0NEWHIRE",
        "is_ephemeral": False,
    }
    message = {"ts": "1700000600.000100"}
    slack.send.action(block_action(button, container=container, message=message, user="U0NEWHIRE"))
    [call] = slack.fake.wait_for("chat.postMessage")
    assert call.body["channel"] == "D0NEWHIRE"
    assert "thread_ts" not in call.body


def _clarify_in_dm(slack, question, event_id="Ev300"):
    """Ask ``question`` in a DM; the clarifying question it gets, as the fake Slack holds it."""
    slack.send.event(direct_message(question), event_id=event_id)
    slack.fake.wait_for("chat.postMessage")
    assert slack.log.wait(1)[0]["intent"] == "clarify"
    [message] = slack.fake.messages
    return message


def _choose(slack, message, action_id, *, ts=None):
    choice = _button(message["blocks"], action_id)
    container = {
        "type": "message",
        "message_ts": ts or message["ts"],
        "channel_id": message["channel"],
        "is_ephemeral": False,
    }
    payload = block_action(
        choice, container=container, user="U0NEWHIRE", message={"ts": ts or message["ts"]}
    )
    slack.send.action(payload)
    return slack.advisor.answer(Reading.from_value(choice["value"]))


def test_a_clarifying_question_s_choice_answers_in_place(slack):
    message = _clarify_in_dm(slack, "what's the career path?")
    expected = _choose(slack, message, "choose_2")
    [update] = slack.fake.wait_for("chat.update")
    assert expected.reading.facet == "career_path"
    assert (update.body["channel"], update.body["ts"]) == (message["channel"], message["ts"])
    assert without_feedback(update.body["blocks"]) == list(expected.blocks)
    # The question is now its answer; nothing else was posted.
    assert without_feedback(message["blocks"]) == list(expected.blocks)
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    line = slack.log.wait(2)[-1]
    assert (line["kind"], line["intent"], line["outcome"]) == ("choose_2", "role_info", "answered")


def test_a_name_that_fits_two_roles_asks_which_and_the_click_answers_it(slack):
    message = _clarify_in_dm(slack, "what do account reps earn?")
    choices = [b for b in buttons(message["blocks"]) if b["action_id"].startswith("choose_")]
    assert [b["text"]["text"] for b in choices] == ["AM", "AE"]
    assert "*Account Manager* or the *Account Executive*" in message["text"]
    expected = _choose(slack, message, "choose_1")
    slack.fake.wait_for("chat.update")
    assert expected.reading.roles == ("account_executive",)
    assert expected.reading.facet == "compensation"
    assert without_feedback(message["blocks"]) == list(expected.blocks)
    assert slack.log.wait(2)[-1]["outcome"] == "answered"
    # The choice is the context of what comes next in the DM.
    slack.send.event(direct_message("and their skills?", ts="1700000201.000100"), event_id="Ev301")
    _, follow_up = slack.fake.wait_for("chat.postMessage", 2)
    context = expected.reading
    assert without_feedback(follow_up.body["blocks"]) == list(
        slack.advisor.ask("and their skills?", context=context).blocks
    )


def test_a_choice_on_a_question_that_is_gone_is_answered_anew(slack):
    message = _clarify_in_dm(slack, "what's the career path?")
    expected = _choose(slack, message, "choose_0", ts="1700000000.000001")  # not there
    _, call = slack.fake.wait_for("chat.postMessage", 2)
    assert len(slack.fake.calls_to("chat.update")) == 1  # message_not_found
    assert call.body["channel"] == message["channel"]
    assert without_feedback(call.body["blocks"]) == list(expected.blocks)


def test_a_choice_on_a_slash_command_s_question_replaces_it(slack):
    blocks = _ephemeral_answer(slack, "/role", "account rep pay")
    choice = _button(blocks, "choose_0")
    _ephemeral_click(slack, choice)
    _, call = slack.fake.wait_for("response_url", 2)
    expected = slack.advisor.answer(Reading.from_value(choice["value"]))
    assert call.body["replace_original"] is True
    assert without_share(call.body["blocks"]) == list(expected.blocks)


def test_app_home_button_answers_in_the_dm_and_sets_its_context(slack):
    button = _button(slack.advisor.home_blocks(), "suggest_0")
    container = {"type": "view", "view_id": "V0HOME"}
    payload = block_action(button, container=container, user="U0NEWHIRE", view={"id": "V0HOME"})
    slack.send.action(payload)
    [call] = slack.fake.wait_for("chat.postMessage")
    clicked = Reading.from_value(button["value"])
    assert call.body["channel"] == "U0NEWHIRE"  # Slack posts that in the DM with the app
    assert without_feedback(call.body["blocks"]) == list(slack.advisor.answer(clicked).blocks)
    # The click is the conversation's context for what the person types next in the DM.
    slack.send.event(direct_message("what about SDRs?"), event_id="Ev301")
    _, follow_up = slack.fake.wait_for("chat.postMessage", 2)
    expected = slack.advisor.ask("what about SDRs?", context=slack.advisor.answer(clicked).reading)
    assert without_feedback(follow_up.body["blocks"]) == list(expected.blocks)


def test_a_button_where_the_bot_cannot_post_answers_ephemerally(slack):
    slack.fake.fail_next("chat.postMessage", body={"ok": False, "error": "not_in_channel"})
    button = _button(slack.advisor.ask("AE vs AM?").blocks, "suggest_0")
    container = {
        "type": "message",
        "message_ts": "1.2",
        "channel_id": "G0PRIVATE",
        "is_ephemeral": False,
    }
    payload = block_action(
        button, container=container, message={"ts": "1.2"}, response_url=slack.fake.response_url()
    )
    slack.send.action(payload)
    [call] = slack.fake.wait_for("response_url")
    assert call.body["response_type"] == "ephemeral"
    expected = slack.advisor.answer(Reading.from_value(button["value"]))
    assert call.body["text"] == expected.text
    assert slack.log.wait(1)[0]["outcome"] == "answered"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "not json",
        "{{ 7*7 }}",
        json.dumps({"intent": "rm -rf", "roles": []}),
        json.dumps({"intent": "compare", "roles": ["x"] * 50}),
        json.dumps({"intent": "role_info", "roles": ["account_executive"], "page": -1}),
        json.dumps(["intent", "compare"]),
    ],
)
def test_forged_button_values_are_rejected_without_a_reply(slack, value):
    button = {"action_id": "suggest_0", "text": {"type": "plain_text", "text": "x"}, "value": value}
    container = {"type": "message", "message_ts": "1.3", "channel_id": "C0SALES"}
    assert slack.send.action(block_action(button, container=container)).status_code == 200
    [line] = slack.log.wait(1)
    assert line["outcome"] == "rejected"
    assert slack.fake.calls_to("chat.postMessage") == []
    assert slack.fake.calls_to("response_url") == []
