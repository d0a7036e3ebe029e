"""Events (bot/slack/listeners/events.py): mentions in channels, DMs, and new members.

Each test sends the real app a signed Events API request and asserts on what it posted to the
fake Slack Web API.
"""

from __future__ import annotations

import time

import pytest
from fake_slack import (
    BOT_ID,
    BOT_TOKEN,
    BOT_USER_ID,
    direct_message,
    mention,
    without_feedback,
)


def _answer(slack, text, context=None):
    return slack.advisor.ask(text, context=context)


def test_mention_is_answered_in_a_thread_under_the_question_with_the_cli_answer(slack):
    event = mention("what does an AE do?")
    started = time.monotonic()
    response = slack.send.event(event, event_id="Ev001")
    assert response.status_code == 200
    assert time.monotonic() - started < 3  # acknowledged before the answer is posted

    [call] = slack.fake.wait_for("chat.postMessage")
    expected = _answer(slack, event["text"])
    assert call.body["channel"] == "C0SALES"
    assert call.body["thread_ts"] == event["ts"]
    assert call.body["text"] == expected.text
    assert without_feedback(call.body["blocks"]) == list(expected.blocks)
    assert call.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    [line] = slack.log.wait(1)
    assert line["event_id"] == "Ev001"
    assert line["user"] == "U0SELLER"
    assert line["intent"] == "role_info"
    assert line["outcome"] == "answered"
    assert line["latency_ms"] >= 0


def test_mention_inside_a_thread_is_answered_in_that_thread(slack):
    event = mention("AE vs AM?", ts="1700000100.000200", thread_ts="1700000000.000001")
    slack.send.event(event, event_id="Ev002")
    [call] = slack.fake.wait_for("chat.postMessage")
    assert call.body["thread_ts"] == "1700000000.000001"


def test_follow_up_in_a_channel_thread_uses_the_thread_s_previous_question(slack):
    first = mention("what does an AE do?", ts="1700000100.000300")
    slack.send.event(first, event_id="Ev003")
    slack.fake.wait_for("chat.postMessage")
    follow_up = mention("what about AMs?", ts="1700000100.000400", thread_ts=first["ts"])
    slack.send.event(follow_up, event_id="Ev004")
    calls = slack.fake.wait_for("chat.postMessage", 2)

    previous = _answer(slack, first["text"]).reading
    expected = _answer(slack, follow_up["text"], context=previous)
    assert expected.reading.facet == previous.facet  # the context carried the facet
    assert without_feedback(calls[1].body["blocks"]) == list(expected.blocks)
    assert calls[1].body["thread_ts"] == first["ts"]


def test_redelivered_event_is_not_answered_twice(slack):
    event = mention("AE vs SDR?")
    slack.send.event(event, event_id="Ev010")
    slack.fake.wait_for("chat.postMessage")
    retry = slack.send.event(event, event_id="Ev010", retry_num=1)
    assert retry.status_code == 200
    lines = sorted(slack.log.wait(2), key=lambda line: line["outcome"])
    assert [line["outcome"] for line in lines] == ["answered", "duplicate"]
    assert [line["retry_num"] for line in lines] == [0, 1]
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


def test_message_twin_of_a_channel_mention_is_answered_once(slack):
    event = mention("what does a CSM do?")
    twin = {**event, "type": "message", "channel_type": "channel"}
    slack.send.event(event, event_id="Ev020")
    slack.send.event(twin, event_id="Ev021")
    lines = slack.log.wait(2)
    assert sorted(line["outcome"] for line in lines) == ["answered", "ignored"]
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


def test_mention_in_a_dm_and_its_message_twin_are_answered_once(slack):
    dm = direct_message(f"<@{BOT_USER_ID}> what does an SDR do?")
    as_mention = {k: v for k, v in dm.items() if k != "channel_type"} | {"type": "app_mention"}
    slack.send.event(dm, event_id="Ev030")
    slack.send.event(as_mention, event_id="Ev031")
    lines = slack.log.wait(2)
    assert sorted(line["outcome"] for line in lines) == ["answered", "duplicate"]
    [call] = slack.fake.calls_to("chat.postMessage")
    assert call.body["channel"] == "D0NEWHIRE"
    assert "thread_ts" not in call.body  # a DM is answered unthreaded, whichever came first


def test_dm_is_answered_in_the_dm_unthreaded_with_the_cli_answer(slack):
    event = direct_message("how is an AM measured?")
    slack.send.event(event, event_id="Ev040")
    [call] = slack.fake.wait_for("chat.postMessage")
    expected = _answer(slack, event["text"])
    assert call.body["channel"] == "D0NEWHIRE"
    assert "thread_ts" not in call.body
    assert call.body["text"] == expected.text
    assert without_feedback(call.body["blocks"]) == list(expected.blocks)


def test_dm_written_in_a_thread_is_answered_in_that_thread(slack):
    event = direct_message("AE vs AM?", thread_ts="1700000000.000009")
    slack.send.event(event, event_id="Ev041")
    [call] = slack.fake.wait_for("chat.postMessage")
    assert call.body["thread_ts"] == "1700000000.000009"


def test_dm_follow_up_uses_the_previous_question_as_context(slack):
    slack.send.event(direct_message("what does an AE do?"), event_id="Ev050")
    slack.fake.wait_for("chat.postMessage")
    slack.send.event(direct_message("what about AMs?", ts="1700000200.000200"), event_id="Ev051")
    calls = slack.fake.wait_for("chat.postMessage", 2)
    previous = _answer(slack, "what does an AE do?").reading
    expected = _answer(slack, "what about AMs?", context=previous)
    assert expected.blocks != _answer(slack, "what about AMs?").blocks  # context matters here
    assert without_feedback(calls[1].body["blocks"]) == list(expected.blocks)


def test_conversations_do_not_share_context(slack):
    slack.send.event(direct_message("what does an AE do?"), event_id="Ev060")
    slack.fake.wait_for("chat.postMessage")
    other = direct_message("what about AMs?", user="U0OTHER", channel="D0OTHER")
    slack.send.event(other, event_id="Ev061")
    calls = slack.fake.wait_for("chat.postMessage", 2)
    expected = _answer(slack, "what about AMs?")
    assert without_feedback(calls[1].body["blocks"]) == list(expected.blocks)


def _conversation(slack, *texts):
    """What the CLI's conversation answers, turn by turn, for these messages."""
    from bot.conversation import Conversation, converse

    conversation, answers = Conversation(), []
    for text in texts:
        answer, conversation = converse(slack.advisor, text, conversation)
        answers.append(answer)
    return answers


def test_a_dm_conversation_compares_them_and_continues_with_more(slack):
    texts = ["AE skills", "and SDR?", "compare them", "AE vs AM", "more"]
    for n, text in enumerate(texts):
        slack.send.event(direct_message(text, ts=f"1700000300.{n:06d}"), event_id=f"Ev08{n}")
        slack.fake.wait_for("chat.postMessage", n + 1)
    calls = slack.fake.calls_to("chat.postMessage")
    expected = _conversation(slack, *texts)
    assert [without_feedback(c.body["blocks"]) for c in calls] == [list(a.blocks) for a in expected]
    assert expected[2].reading.roles == ("account_executive", "sales_development_rep")
    assert expected[4].reading.page == 1


def test_two_people_in_one_thread_have_their_own_conversations(slack):
    thread = "1700000400.000001"
    first = mention("AE metrics", ts=thread)
    slack.send.event(first, event_id="Ev090")
    slack.fake.wait_for("chat.postMessage")
    other = mention("what about AMs?", ts="1700000400.000002", thread_ts=thread, user="U0OTHER")
    slack.send.event(other, event_id="Ev091")
    calls = slack.fake.wait_for("chat.postMessage", 2)
    # The other person's follow-up is read alone: their conversation is empty.
    expected = _answer(slack, "what about AMs?")
    assert without_feedback(calls[1].body["blocks"]) == list(expected.blocks)


def test_a_declined_question_leaves_the_dm_conversation_as_it_was(slack):
    texts = ["AE metrics", "how do I reset my password?", "and their salary?"]
    for n, text in enumerate(texts):
        slack.send.event(direct_message(text, ts=f"1700000500.{n:06d}"), event_id=f"Ev10{n}")
        slack.fake.wait_for("chat.postMessage", n + 1)
    calls = slack.fake.calls_to("chat.postMessage")
    expected = _conversation(slack, *texts)
    assert expected[2].reading.roles == ("account_executive",)
    assert expected[2].reading.facet == "compensation"
    assert without_feedback(calls[2].body["blocks"]) == list(expected[2].blocks)


@pytest.mark.parametrize(
    "changes",
    [
        {"subtype": "message_changed", "message": {"text": "AE vs AM?"}},
        {"subtype": "message_deleted"},
        {"subtype": "channel_join"},
        {"subtype": "bot_message", "bot_id": "B0OTHER", "user": None},
        {"bot_id": "B0OTHER"},  # another app's bot user
        {"subtype": "thread_broadcast"},
    ],
    ids=["edit", "deletion", "join", "bot_message", "other_bot", "other_subtype"],
)
def test_edits_deletions_joins_and_bots_get_no_answer(slack, changes):
    event = {**direct_message("AE vs AM?"), **changes}
    response = slack.send.event(event, event_id="Ev070")
    assert response.status_code == 200
    [line] = slack.log.wait(1)  # logged synchronously: nothing is left to run
    assert line["outcome"] == "ignored"
    assert slack.fake.calls_to("chat.postMessage") == []


def test_the_bots_own_messages_get_no_answer(slack):
    own = direct_message("AE vs AM?", user=BOT_USER_ID, bot_id=BOT_ID)
    assert slack.send.event(own, event_id="Ev080").status_code == 200
    # A real question afterwards is the only thing answered.
    slack.send.event(
        direct_message("what does an SDR do?", ts="1700000200.000900"), event_id="Ev081"
    )
    slack.fake.wait_for("chat.postMessage")
    assert [line["event_id"] for line in slack.log.wait(1)] == ["Ev081"]
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "<!channel> <!here> <!everyone> what does an AE do?",
        "{{ 7*7 }} {% raw %} ${jndi:x}",
        "<@U0SOMEONE> <#C0SECRET|secret> <https://evil.example|click> AE?",
        "AE vs AM? " * 4000,
        "\u0000\ufffd\U0001f600 AE",
    ],
    ids=["empty", "blank", "pings", "templates", "markup", "huge", "odd_chars"],
)
def test_hostile_mentions_get_the_cli_answer_and_never_ping(slack, text):
    event = mention(text)
    slack.send.event(event, event_id="Ev090")
    [call] = slack.fake.wait_for("chat.postMessage")
    expected = _answer(slack, event["text"])
    assert call.body["text"] == expected.text
    assert without_feedback(call.body["blocks"]) == list(expected.blocks)
    posted = str(call.body)
    for ping in ("<!channel>", "<!here>", "<!everyone>", "<@U0SOMEONE>"):
        assert ping not in posted
    assert slack.log.wait(1)[0]["outcome"] == "answered"


def test_welcome_dm_is_off_by_default(slack):
    member = {"id": "U0NEW", "name": "new", "is_bot": False, "deleted": False}
    slack.send.event({"type": "team_join", "user": member}, event_id="Ev100")
    [line] = slack.log.wait(1)
    assert (line["kind"], line["outcome"]) == ("team_join", "ignored")
    assert slack.fake.calls_to("chat.postMessage") == []


def test_welcome_dm_when_switched_on_points_new_members_to_app_home(make_slack_app):
    slack = make_slack_app({"ROLE_ADVISOR_WELCOME_DM": "true"})
    member = {"id": "U0NEW", "name": "new", "is_bot": False, "deleted": False}
    slack.send.event({"type": "team_join", "user": member}, event_id="Ev101")
    [call] = slack.fake.wait_for("chat.postMessage")
    welcome = slack.advisor.welcome()
    assert call.body["channel"] == "U0NEW"
    assert call.body["blocks"] == list(welcome.blocks)
    assert "Home" in welcome.text
    # Bots joining get nothing.
    robot = {**member, "id": "U0ROBOT", "is_bot": True}
    slack.send.event({"type": "team_join", "user": robot}, event_id="Ev102")
    assert sorted(line["outcome"] for line in slack.log.wait(2)) == ["answered", "ignored"]
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
