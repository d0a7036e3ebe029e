"""Feedback on every answer, and the report in Slack (bot/slack/feedback.py, replies.py,
report.py), for real: the Bolt app receives signed block_actions, view_submission and slash
command requests and talks to the fake Slack; questions and feedback are read back from the
database (SQLite and PostgreSQL) as the report reads them.
"""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

import pytest
from fake_slack import (
    BOT_USER_ID,
    TEAM_ID,
    FakeClock,
    block_action,
    buttons,
    direct_message,
    feedback_click,
    feedback_of,
    mention,
    share_of,
    view_submission,
    wait_until,
)
from slack_sdk.models.blocks import Block

from bot.answer import Answer
from bot.db import Database
from bot.db.questions import QuestionStore
from bot.slack.feedback import NOT_FOUND, UNAVAILABLE
from bot.slack.feedback_blocks import MISSING_BLOCK, MISSING_INPUT, read_feedback
from bot.slack.replies import Responder
from bot.slack.report import COMMAND as REPORT
from bot.slack.report import REFUSAL, USAGE
from bot.understanding.reading import Reading

CHANNEL_POST = {"type": "message", "channel_id": "C0SALES", "is_ephemeral": False}
ADMIN = {"ROLE_ADVISOR_ADMINS": "U0MANAGER,U0OTHERADMIN"}


def stored(slack):
    """(questions, feedback) in the app's database, as the report reads them."""
    database = Database.connect(slack.database_url, upgrade=False)
    try:
        store = QuestionStore(database)
        return store.questions(), store.ratings()
    finally:
        database.dispose()


def posted_answer(slack, event, event_id):
    """Send ``event``; the answer the bot posts for it (its chat.postMessage call)."""
    before = len(slack.fake.calls_to("chat.postMessage"))
    assert slack.send.event(event, event_id=event_id).status_code == 200
    return slack.fake.wait_for("chat.postMessage", before + 1)[before]


def click(slack, blocks, rating, *, user="U0SELLER", trigger_id="7777.42.trigger", **extra):
    container = {**CHANNEL_POST, "message_ts": "1700000100.000200"}
    payload = feedback_click(
        blocks,
        rating,
        container=container,
        user=user,
        trigger_id=trigger_id,
        response_url=slack.fake.response_url("feedback"),
        **extra,
    )
    response = slack.send.action(payload)
    assert response.status_code == 200
    return payload


# -- the buttons -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["AE vs AM?", "what metrics for CSM?", "what is BANT?", "AE vs AM vs SDR vs CSM vs NAM vs RAM"],
)
def test_slack_answers_carry_share_and_feedback_buttons_slack_accepts(advisor, question):
    original = advisor.ask(question)
    shown = Responder(advisor).for_slack(original, "command:1.2.3", share=True)
    assert shown.text == original.text
    assert list(shown.blocks[: len(original.blocks)]) == list(original.blocks)
    for raw in shown.blocks:  # Slack's own Block Kit validation (slack_sdk's models)
        Block.parse(raw).validate_json()
    share = share_of(shown.blocks)
    assert Reading.from_value(share["value"]) == original.reading
    assert json.loads(share["value"])["question"] == "command:1.2.3"
    feedback = feedback_of(shown.blocks)
    up, down = feedback["positive_button"], feedback["negative_button"]
    assert read_feedback(up["value"]) == ("command:1.2.3", "up")
    assert read_feedback(down["value"]) == ("command:1.2.3", "down")
    assert (up["text"]["text"], down["text"]["text"]) == ("👍", "👎")
    assert up["accessibility_label"]
    assert down["accessibility_label"]


def test_an_answer_at_slack_s_block_limit_keeps_its_feedback_buttons(advisor):
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}
    full = Answer(Reading("help"), "x", tuple(dict(section) for _ in range(50)))
    shown = Responder(advisor).for_slack(full, "message:C1:1.1", share=True)
    assert len(shown.blocks) == 50
    share_of(shown.blocks)
    feedback_of(shown.blocks)


def test_the_local_cli_answer_has_no_feedback_buttons(advisor):
    blocks = advisor.ask("AE vs AM?").blocks  # what `rolebot ask --json` prints
    assert all(b["type"] != "context_actions" for b in blocks)


def test_every_kind_of_answer_in_slack_carries_feedback_and_its_question_is_stored(slack):
    slack.send.event(mention("what does an AE do?"), event_id="Ev900")
    slack.send.event(direct_message("AE vs AM?"), event_id="Ev901")
    slack.send.command("/compare", "AE SDR", response_url=slack.fake.response_url("cmd"))
    posts = slack.fake.wait_for("chat.postMessage", 2)
    [command] = slack.fake.wait_for("response_url")
    home = [b for b in buttons(slack.advisor.home_blocks()) if b["action_id"] == "suggest_0"]
    payload = block_action(home[0], container={"type": "view", "view_id": "V0HOME"})
    slack.send.action(payload)
    posts = slack.fake.wait_for("chat.postMessage", 3)

    keys = sorted(read_feedback(feedback_of(c.body["blocks"])["positive_button"]["value"])[0]
                  for c in [*posts, command])
    questions, _ = stored(slack)
    by_key = {q.asked.key: q.asked for q in questions}
    assert sorted(by_key) == keys
    assert [(a.text, a.conversation, a.reading.intent, a.team) for a in by_key.values()] == [
        ("what does an AE do?", "channel", "role_info", TEAM_ID),  # without the bot's mention
        ("AE vs AM?", "dm", "compare", TEAM_ID),
        ("/compare AE SDR", "command", "compare", TEAM_ID),
        # The button's label, read as its value says
        (home[0]["text"]["text"], "app_home", Reading.from_value(home[0]["value"]).intent, TEAM_ID),
    ]
    # The replies go out concurrently: the DM's is the one posted to its channel.
    [dm] = [c for c in posts if c.body.get("channel") == "D0NEWHIRE"]
    assert by_key["message:D0NEWHIRE:1700000200.000100"].answer == dm.body["text"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (f"<@{BOT_USER_ID}> what does an AE do?", "what does an AE do?"),
        (f"what does an AE do <@{BOT_USER_ID}|roleadvisor>?", "what does an AE do ?"),
        (f"<@{BOT_USER_ID}> ask <@U0COLLEAGUE> about AEs", "ask <@U0COLLEAGUE> about AEs"),
        (f"<@{BOT_USER_ID}>", ""),
    ],
)
def test_the_bot_s_own_mention_is_not_stored_and_the_rest_is_as_written(slack, text, kept):
    event = {**mention(""), "text": text}
    posted_answer(slack, event, "Ev910")
    [question], _ = stored(slack)
    assert question.asked.text == kept


# -- clicks ----------------------------------------------------------------------------------


def test_a_click_is_stored_once_with_its_question_reading_answer_time_and_place(
    make_slack_app, database_url
):
    clock = FakeClock()
    slack = make_slack_app(database_url=database_url, clock=clock)
    answer = posted_answer(slack, mention("AE vs AM?"), "Ev920")
    clock.advance(60)
    payload = click(slack, answer.body["blocks"], "up")
    # The same click again, signed anew (the ledger knows its trigger), then that request
    # replayed byte for byte (the replay guard knows its signature): neither counts again.
    body = urlencode({"payload": json.dumps(payload)})
    stamp = int(time.time()) + 1
    for _ in range(2):
        form = "application/x-www-form-urlencoded"
        assert slack.send.send(body, content_type=form, timestamp=stamp).status_code == 200

    _, [rating] = stored(slack)
    assert (rating.rating, rating.at, rating.conversation, rating.team) == (
        "up",
        clock(),
        "channel",
        TEAM_ID,
    )
    asked = rating.asked
    assert (asked.text, asked.key, asked.conversation, asked.team) == (
        "AE vs AM?",
        "message:C0SALES:1700000100.000100",
        "channel",
        TEAM_ID,
    )
    assert (asked.reading.intent, asked.reading.roles) == (
        "compare",
        ("account_executive", "account_manager"),
    )
    assert asked.answer == answer.body["text"]
    assert asked.asked_at == clock() - 60
    lines = [line for line in slack.log.lines if line["kind"] == "feedback"]
    assert [line["outcome"] for line in lines] == ["recorded", "duplicate"]
    assert lines[0]["intent"] == "feedback_up"
    assert slack.fake.calls_to("views.open") == []  # a thumbs up asks nothing more


def test_a_click_after_a_restart_still_counts_for_its_question(make_slack_app, database_url):
    first = make_slack_app(database_url=database_url)
    answer = posted_answer(first, direct_message("what does an SDR do?"), "Ev930")
    first.runtime.stop(grace=5)

    second = make_slack_app(database_url=database_url)  # a new process, the same database
    container = {"type": "message", "channel_id": "D0NEWHIRE", "is_ephemeral": False}
    second.send.action(feedback_click(answer.body["blocks"], "up", container=container))
    _, [rating] = stored(second)
    assert (rating.asked.text, rating.asked.conversation, rating.conversation) == (
        "what does an SDR do?",
        "dm",
        "dm",
    )


def test_a_thumbs_down_asks_what_was_missing_and_keeps_the_answer(make_slack_app, database_url):
    slack = make_slack_app(database_url=database_url)
    answer = posted_answer(slack, mention("what does a CSM earn?"), "Ev940")
    click(slack, answer.body["blocks"], "down", trigger_id="8888.42.trigger")
    [opened] = slack.fake.wait_for("views.open")
    assert opened.body["trigger_id"] == "8888.42.trigger"  # within the click's three seconds
    form = opened.body["view"]
    assert form["title"]["text"] == "What was missing?"
    [field] = form["blocks"]
    assert field["optional"] is True
    _, [rating] = stored(slack)
    assert (rating.rating, rating.missing) == ("down", None)

    state = {MISSING_BLOCK: {MISSING_INPUT: {"type": "plain_text_input", "value": " ranges "}}}
    # Someone else's submission for this feedback does not count...
    other = view_submission(form, {**state}, user="U0INTRUDER")
    assert slack.send.action(other).status_code == 200
    assert stored(slack)[1][0].missing is None
    # ... the person's own does, once.
    response = slack.send.action(view_submission(form, state, user="U0SELLER"))
    assert (response.status_code, response.data) == (200, b"")  # the form closes
    _, [rating] = stored(slack)
    assert (rating.rating, rating.missing, rating.asked.text) == (
        "down",
        "ranges",
        "what does a CSM earn?",
    )
    outcomes = [line["outcome"] for line in slack.log.lines if line["kind"] == "feedback"]
    assert outcomes == ["recorded", "rejected", "recorded"]


def test_a_change_of_mind_replaces_the_earlier_click_and_others_count_apart(slack):
    answer = posted_answer(slack, mention("AE vs AM?"), "Ev950")
    click(slack, answer.body["blocks"], "down", trigger_id="1.1.1")
    click(slack, answer.body["blocks"], "up", trigger_id="1.1.2")
    click(slack, answer.body["blocks"], "down", user="U0COLLEAGUE", trigger_id="1.1.3")
    _, ratings = stored(slack)
    assert sorted(r.rating for r in ratings) == ["down", "up"]
    assert len(slack.fake.calls_to("views.open")) == 2


def test_a_click_on_an_answer_whose_question_is_unknown_says_so_and_stores_nothing(slack):
    blocks = Responder(slack.advisor).for_slack(slack.advisor.ask("AE?"), "message:C0:9.9").blocks
    click(slack, blocks, "up")
    [call] = slack.fake.wait_for("response_url")
    assert call.body == {
        "text": NOT_FOUND,
        "response_type": "ephemeral",
        "replace_original": False,
    }
    assert stored(slack) == ([], [])


@pytest.mark.parametrize(
    "value",
    [
        "",
        "positive_feedback",
        json.dumps({"question": "message:C0:1.1", "rating": "sideways"}),
        json.dumps({"question": "x" * 300, "rating": "up"}),
        json.dumps(["question", "up"]),
    ],
)
def test_forged_feedback_values_are_refused_quietly(slack, value):
    button = {"action_id": "feedback", "text": {"type": "plain_text", "text": "👍"}, "value": value}
    response = slack.send.action(block_action(button, container=CHANNEL_POST))
    assert response.status_code == 200
    [line] = slack.log.wait(1)
    assert (line["kind"], line["outcome"]) == ("feedback", "rejected")
    assert slack.fake.calls == [c for c in slack.fake.calls if c.method == "auth.test"]


def test_a_shared_answer_s_feedback_counts_for_the_command_s_question(slack):
    slack.send.command("/role", "SDR", response_url=slack.fake.response_url("cmd"))
    [answer] = slack.fake.wait_for("response_url")
    container = {**CHANNEL_POST, "is_ephemeral": True, "message_ts": "1.5"}
    share = share_of(answer.body["blocks"])
    slack.send.action(
        block_action(share, container=container, response_url=slack.fake.response_url("share"))
    )
    _, shared, _ = slack.fake.wait_for("response_url", 3)
    click(slack, shared.body["blocks"], "up", user="U0COLLEAGUE")
    [_], [rating] = stored(slack)  # the share is no question of its own
    assert (rating.asked.text, rating.asked.conversation) == ("/role SDR", "command")


def test_a_clarifying_question_answered_by_a_choice_is_resolved(slack):
    clarify = posted_answer(slack, direct_message("what's the career path?"), "Ev960")
    choice = next(b for b in buttons(clarify.body["blocks"]) if b["action_id"] == "choose_0")
    # The choices carry the question they clarify, and still the reading they ask for.
    assert json.loads(choice["value"])["question"] == "message:D0NEWHIRE:1700000200.000100"
    assert Reading.from_value(choice["value"]).intent == "role_info"
    [message] = slack.fake.messages
    container = {
        "type": "message",
        "channel_id": "D0NEWHIRE",
        "message_ts": message["ts"],
        "is_ephemeral": False,
    }
    payload = block_action(choice, container=container, message={"ts": message["ts"]})
    slack.send.action(payload)
    [update] = slack.fake.wait_for("chat.update")  # the question becomes its answer
    feedback_of(update.body["blocks"])
    asked, chosen = stored(slack)[0]
    assert (asked.asked.reading.intent, asked.followed) == ("clarify", True)
    assert (chosen.asked.text, chosen.asked.follows) == (choice["text"]["text"], asked.asked.key)
    assert chosen.followed is False


@pytest.mark.parametrize("reply", ["the second one", "AE"])
def test_a_clarifying_question_answered_by_typing_is_resolved(slack, reply):
    posted_answer(slack, direct_message("what do account reps earn?"), "Ev961")
    later = direct_message(reply, ts="1700000201.000100")
    answer = posted_answer(slack, later, "Ev962")
    assert "Account Executive (AE): pay" in answer.body["text"]
    asked, typed = stored(slack)[0]
    assert (asked.asked.reading.intent, asked.followed) == ("clarify", True)
    assert (typed.asked.text, typed.asked.follows) == (reply, asked.asked.key)


def test_a_question_after_a_clarifying_one_that_is_declined_leaves_it_open(slack):
    posted_answer(slack, direct_message("what do account reps earn?"), "Ev963")
    posted_answer(slack, direct_message("reset my password", ts="1700000202.000100"), "Ev964")
    asked, declined = stored(slack)[0]
    assert asked.followed is False
    assert declined.asked.follows is None


def test_a_choice_on_a_slash_command_s_clarifying_question_resolves_it_too(slack):
    slack.send.command("/role", "account rep pay", response_url=slack.fake.response_url("cmd"))
    [clarify] = slack.fake.wait_for("response_url")
    choice = next(b for b in buttons(clarify.body["blocks"]) if b["action_id"] == "choose_0")
    container = {**CHANNEL_POST, "is_ephemeral": True, "message_ts": "1.6"}  # no message
    url = slack.fake.response_url("choice")
    slack.send.action(block_action(choice, container=container, response_url=url))
    slack.fake.wait_for("response_url", 2)
    asked, chosen = stored(slack)[0]
    assert (asked.asked.text, asked.asked.reading.intent) == ("/role account rep pay", "clarify")
    assert asked.followed is True
    assert chosen.asked.conversation == "command"
    assert chosen.asked.follows == "command:1337.42.trigger"


# -- /roleadvisor-report ---------------------------------------------------------------------


def test_the_report_command_answers_an_admin_with_this_workspace_s_report(make_slack_app):
    clock = FakeClock()
    slack = make_slack_app(ADMIN, clock=clock)
    posted_answer(slack, mention("how do I reset my password?"), "Ev970")
    posted_answer(slack, direct_message("How do I reset my password"), "Ev971")
    clock.advance(10 * 86400)
    posted_answer(slack, mention("what is the dress code?", ts="1700000100.000300"), "Ev972")
    answer = posted_answer(slack, direct_message("AE vs AM?", ts="1.9"), "Ev973")
    container = {"type": "message", "channel_id": "D0NEWHIRE", "is_ephemeral": False}
    slack.send.action(feedback_click(answer.body["blocks"], "down", container=container))

    response = slack.send.command(REPORT, "", response_url=slack.fake.response_url("week"))
    assert (response.status_code, response.data) == (200, b"")
    [week] = slack.fake.wait_for("response_url")
    slack.send.command(REPORT, "30d", response_url=slack.fake.response_url("month"))
    _, month = slack.fake.wait_for("response_url", 2)

    assert week.body["response_type"] == "ephemeral"
    for raw in week.body["blocks"]:
        Block.parse(raw).validate_json()
    assert "*2* questions asked, *1* not answered · 👍 0 · 👎 1" in week.body["text"]
    assert "1× “what is the dress code?”" in week.body["text"]  # noqa: RUF001
    assert "password" not in week.body["text"]  # asked ten days ago
    assert "👎 1 · 👍 0: comparison: AE, AM, asked as “AE vs AM?”" in week.body["text"]
    assert "*4* questions asked, *3* not answered" in month.body["text"]
    assert "2× “how do I reset my password?”" in month.body["text"]  # noqa: RUF001

    def reports():
        return [line["outcome"] for line in slack.log.lines if line["kind"] == REPORT]

    wait_until(lambda: len(reports()) == 2, "both reports logged")
    assert reports() == ["answered", "answered"]


def test_the_report_command_politely_refuses_anyone_else(make_slack_app):
    slack = make_slack_app(ADMIN)
    response = slack.send.command(
        REPORT, "", response_url=slack.fake.response_url(), user_id="U0SELLER"
    )
    assert response.status_code == 200
    assert json.loads(response.data) == {"text": REFUSAL, "response_type": "ephemeral"}
    [line] = slack.log.wait(1)
    assert (line["kind"], line["user"], line["outcome"]) == (REPORT, "U0SELLER", "refused")
    assert slack.fake.calls_to("response_url") == []


def test_without_admins_nobody_gets_the_report(slack):
    response = slack.send.command(REPORT, "", response_url=slack.fake.response_url())
    assert json.loads(response.data)["text"] == REFUSAL


def test_the_report_command_explains_a_bad_period(make_slack_app):
    slack = make_slack_app(ADMIN)
    response = slack.send.command(REPORT, "last week", response_url=slack.fake.response_url())
    assert json.loads(response.data) == {"text": USAGE, "response_type": "ephemeral"}
    assert slack.fake.calls_to("response_url") == []


def test_without_the_tables_answers_still_go_out_and_nobody_s_words_reach_the_log(
    make_slack_app, database_url, caplog
):
    slack = make_slack_app(database_url=database_url)
    database = Database.connect(database_url, upgrade=False)
    with database.connection() as connection:  # the database loses them (a bad restore)
        connection.exec_driver_sql("DROP TABLE feedback")
        connection.exec_driver_sql("DROP TABLE questions")
    database.dispose()
    answer = posted_answer(slack, mention("what does my secret AE do?"), "Ev980")
    assert answer.body["text"] == slack.advisor.ask("what does my secret AE do?").text
    click(slack, answer.body["blocks"], "down")
    [call] = slack.fake.wait_for("response_url")
    assert call.body["text"] == UNAVAILABLE
    assert slack.fake.calls_to("views.open") == []
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any(m.startswith("the question could not be stored (") for m in errors)
    assert any(m.startswith("feedback could not be stored (") for m in errors)
    assert not [r for r in caplog.records if "secret" in r.getMessage() or r.exc_info]


def test_pruning_questions_without_their_tables_logs_the_error_s_type_alone(
    make_slack_app, database_url, caplog
):
    slack = make_slack_app(database_url=database_url, start=False)
    with slack.runtime.database.connection() as connection:
        connection.exec_driver_sql("DROP TABLE feedback")
        connection.exec_driver_sql("DROP TABLE questions")
    slack.runtime.start()  # the worker prunes at start

    def logged() -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.getMessage().startswith("pruning the questions")]

    wait_until(logged, "the failed prune to be logged")
    [record] = logged()
    assert record.levelname == "ERROR"
    assert record.exc_info is None
    assert record.getMessage().startswith("pruning the questions failed (")


def test_in_many_workspaces_each_keeps_its_questions_and_the_admins_report_is_in_theirs(
    make_slack_app,
):
    from test_workspaces import ALPHA, BETA, OAUTH, install

    admins = {"ROLE_ADVISOR_ADMINS": "U0MANAGER", "ROLE_ADVISOR_ADMIN_TEAM": ALPHA.team_id}
    slack = make_slack_app({**OAUTH, **admins})
    install(slack, ALPHA)
    install(slack, BETA)
    beta = {**mention("what is the dress code?"), "text": f"<@{BETA.bot_user_id}> dress code?"}
    slack.send.event(beta, event_id="EvB9", workspace=BETA)
    alpha = {
        **mention("", ts="1700000100.000900"),
        "text": f"<@{ALPHA.bot_user_id}> where is the canteen?",
    }
    slack.send.event(alpha, event_id="EvA9", workspace=ALPHA)
    slack.fake.wait_for("chat.postMessage", 2)
    questions, _ = stored(slack)
    # Each workspace's bot's own mention is left out.
    assert {(q.asked.team, q.asked.text) for q in questions} == {
        (BETA.team_id, "dress code?"),
        (ALPHA.team_id, "where is the canteen?"),
    }

    url = slack.fake.response_url("report")
    refused = slack.send.command(REPORT, "", response_url=url, team_id=BETA.team_id)
    assert json.loads(refused.data)["text"] == REFUSAL  # an admin's id, from another workspace
    slack.send.command(REPORT, "", response_url=url, team_id=ALPHA.team_id)
    [report] = slack.fake.wait_for("response_url")
    assert "canteen" in report.body["text"]
    assert "dress code" not in report.body["text"]  # another workspace's question


def test_questions_older_than_kept_go_with_their_feedback_and_their_buttons_say_so(
    make_slack_app, database_url
):
    """ROLE_ADVISOR_KEEP_QUESTIONS_DAYS reaches the delivery worker's pruning chore, which
    runs every hour of the app's clock; the clock is moved, not waited for."""
    from bot.slack.worker import Policy

    day = 86400.0
    clock = FakeClock()
    env = {"ROLE_ADVISOR_KEEP_QUESTIONS_DAYS": "30"}
    assert make_slack_app(env, policy=None, start=False).runtime.worker.policy.keep_questions == (
        30 * day
    )
    quick = Policy(first_wait=0.005, max_wait=0.05, settle=0.005, keep_questions=30 * day)
    slack = make_slack_app(env, database_url=database_url, clock=clock, policy=quick)
    old = posted_answer(slack, mention("AE vs AM?"), "Ev990")
    click(slack, old.body["blocks"], "up", trigger_id="1.2.1")
    clock.advance(29 * day)
    new = posted_answer(slack, direct_message("what does an SDR do?"), "Ev991")
    click(slack, new.body["blocks"], "down", trigger_id="1.2.2")
    clock.advance(day + 3600)  # the first answer is 30 days and an hour old, and a prune due
    slack.runtime.worker.wake()
    wait_until(lambda: len(stored(slack)[0]) == 1, "the old question to be pruned")
    questions, ratings = stored(slack)
    assert [q.asked.text for q in questions] == ["what does an SDR do?"]
    assert [(r.asked.text, r.rating) for r in ratings] == [("what does an SDR do?", "down")]

    click(slack, old.body["blocks"], "down", trigger_id="1.2.3")
    [call] = slack.fake.wait_for("response_url")
    assert call.body["text"] == NOT_FOUND
    assert len(stored(slack)[1]) == 1
