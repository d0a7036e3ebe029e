"""The report for whoever keeps the knowledge (bot/report.py, bot/db/questions.py, `rolebot
report`): unanswered questions grouped by similarity (rapidfuzz), the most disliked answers,
counts, the --since and --team filters and the JSON, read from DATABASE_URL on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
import time

import pytest

from bot.cli import main
from bot.db import Database
from bot.db.questions import Asked, QuestionStore
from bot.report import (
    NOT_COVERED,
    UNKNOWN,
    UNRESOLVED,
    build_report,
    group_questions,
    parse_since,
    render_report,
)
from bot.terminal import to_terminal
from bot.understanding.reading import Reading

DAY = 86400.0


@pytest.fixture
def store(database):
    return QuestionStore(database)


def ask(store, advisor, key, text, *, at, where="dm", team="T0TEAM", follows=None):
    """Store ``text`` as asked in Slack, with the advisor's real reading and answer."""
    answer = advisor.ask(text)
    store.add(Asked(key, where, text, answer.reading, answer.text, at, team, follows))
    return answer


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("7d", 7 * DAY),
        ("24h", DAY),
        ("30m", 1800.0),
        ("45s", 45.0),
        ("2w", 14 * DAY),
        (" 7D ", 7 * DAY),
    ],
)
def test_a_period_is_a_number_and_a_unit(text, seconds):
    assert parse_since(text) == seconds


@pytest.mark.parametrize(
    "text", ["", "7", "d", "0d", "-1d", "7x", "1.5h", "7 d", "\uff17d", "1000000d"]
)
def test_anything_else_is_not_a_period(text):
    with pytest.raises(ValueError, match="not a period"):
        parse_since(text)


def test_the_same_question_asked_twice_is_one_item_with_count_two():
    items = group_questions(
        [
            ("how do I reset my password?", UNKNOWN, 1.0),
            ("What is the dress code", UNKNOWN, 2.0),
            ("How do i reset my password", UNKNOWN, 3.0),
        ]
    )
    assert [(i.question, i.count) for i in items] == [
        ("how do I reset my password?", 2),
        ("What is the dress code", 1),
    ]
    assert items[0].wordings == ("how do I reset my password?", "How do i reset my password")
    assert items[0].last_asked == 3.0


def test_similar_wordings_are_one_item_and_different_questions_stay_apart():
    asked = [
        "how do I reset my password?",
        "how do I reset my password?",
        "how can I reset my password",  # 91 against the most asked wording
        "reset my password how",  # the same words in another order: 89
        "what does a sales engineer do",
        "what does a solutions engineer do",  # 87: another question
        "*what* does a <@U0BOT> sales engineer do??",  # markup and punctuation aside: the same
    ]
    items = group_questions([(text, UNKNOWN, float(n)) for n, text in enumerate(asked)])
    assert [(i.question, i.count) for i in items] == [
        ("how do I reset my password?", 4),
        ("what does a sales engineer do", 2),
        ("what does a solutions engineer do", 1),
    ]


def test_answered_questions_are_not_listed_and_each_unanswered_one_says_why(store, advisor):
    now = time.time()
    ask(store, advisor, "k1", "what does an AE do?", at=now - 50)
    ask(store, advisor, "k2", "AE vs AM?", at=now - 40)
    ask(store, advisor, "k3", "how do I reset my password?", at=now - 30)
    ask(store, advisor, "k4", "how do I reset my password", at=now - 20)
    ask(store, advisor, "k5", "how big is an AE team?", at=now - 10)  # gaps.yaml: team sizes
    clarify = ask(store, advisor, "k6", "what's the career path?", at=now - 5)
    ask(store, advisor, "k7", "what's the salary?", at=now - 4)  # a clarifying question...
    assert clarify.reading.intent == "clarify"
    # ... answered by a click on one of its choices (which is a question of its own)
    pay = Reading("role_info", roles=("account_executive",), facet="compensation")
    choice = advisor.answer(pay)
    store.add(Asked("k8", "dm", "AE", choice.reading, choice.text, now - 3, "T0TEAM", follows="k7"))

    report = build_report(store, now=now)
    unanswered = {i.question: (i.count, i.reasons) for i in report.unanswered}
    assert unanswered == {
        "how do I reset my password?": (2, (UNKNOWN,)),
        "how big is an AE team?": (1, (NOT_COVERED,)),
        "what's the career path?": (1, (UNRESOLVED,)),
    }
    assert report.unanswered[0].question == "how do I reset my password?"  # the most asked
    assert report.questions == 8
    assert report.unanswered_count == 4


def test_feedback_lists_each_rating_and_the_most_disliked_answers_first(store, advisor):
    now = time.time()
    ask(store, advisor, "k1", "AE vs AM?", at=now - 30)
    ask(store, advisor, "k2", "difference between AE and AM", at=now - 20)
    ask(store, advisor, "k3", "what does an SDR do?", at=now - 10)
    disliked = store.rate("k1", user="U1", rating="down", at=now - 9, conversation="dm")
    store.rate("k2", user="U2", rating="down", at=now - 8, conversation="channel")
    store.rate("k2", user="U3", rating="up", at=now - 7, conversation="channel")
    store.rate("k3", user="U1", rating="down", at=now - 6, conversation="dm")
    assert store.note_missing(disliked, user="U1", text="salary ranges")
    assert not store.note_missing(disliked, user="U2", text="not theirs")

    report = build_report(store, now=now)
    assert [(f.asked.text, f.rating) for f in report.feedback] == [
        ("AE vs AM?", "down"),
        ("difference between AE and AM", "down"),
        ("difference between AE and AM", "up"),
        ("what does an SDR do?", "down"),
    ]
    worst, other = report.disliked
    assert (worst.reading.intent, worst.reading.roles) == (
        "compare",
        ("account_executive", "account_manager"),
    )
    assert (worst.down, worst.up, worst.missing) == (2, 1, ("salary ranges",))
    assert set(worst.questions) == {"AE vs AM?", "difference between AE and AM"}
    assert (other.reading.intent, other.down, other.up) == ("role_info", 1, 0)
    assert report.ratings == {"up": 1, "down": 3}


def test_a_later_click_by_the_same_person_replaces_their_earlier_one(store, advisor):
    now = time.time()
    ask(store, advisor, "k1", "AE vs AM?", at=now - 30)
    first = store.rate("k1", user="U1", rating="down", at=now - 9, conversation="dm")
    store.note_missing(first, user="U1", text="salary ranges")
    again = store.rate("k1", user="U1", rating="up", at=now - 8, conversation="dm")
    assert again == first
    [rating] = store.ratings()
    assert (rating.rating, rating.missing, rating.at) == ("up", None, now - 8)
    assert store.rate("unknown", user="U1", rating="up", at=now, conversation="dm") is None


def test_counts_by_intent_role_and_conversation(store, advisor):
    now = time.time()
    ask(store, advisor, "k1", "AE vs AM?", at=now - 3, where="channel")
    ask(store, advisor, "k2", "what does an AE do?", at=now - 2, where="dm")
    ask(store, advisor, "k3", "how do I reset my password?", at=now - 1, where="command")
    counts = build_report(store, now=now).as_json()["counts"]
    assert counts["questions"] == 3
    assert counts["by_intent"] == {"compare": 1, "role_info": 1, "unknown": 1}
    assert counts["by_role"] == {"account_executive": 2, "account_manager": 1}
    assert counts["by_conversation"] == {"channel": 1, "dm": 1, "command": 1}


def test_since_and_team_keep_the_period_and_the_workspace_asked_for(store, advisor):
    now = time.time()
    ask(store, advisor, "old", "how do I reset my password?", at=now - 10 * DAY)
    ask(store, advisor, "new", "what is the dress code?", at=now - DAY)
    ask(store, advisor, "elsewhere", "where is the canteen?", at=now - DAY, team="T0OTHER")
    store.rate("old", user="U1", rating="down", at=now - 2 * DAY, conversation="dm")

    def listed(**options):
        report = build_report(store, now=now, **options)
        return sorted(i.question for i in report.unanswered), len(report.feedback)

    everything = ["how do I reset my password?", "what is the dress code?", "where is the canteen?"]
    assert listed() == (everything, 1)
    assert listed(period=7 * DAY) == (everything[1:], 1)  # feedback counts when it was given
    assert listed(period=DAY / 2) == ([], 0)
    assert listed(team="T0TEAM") == (everything[:2], 1)
    assert listed(period=7 * DAY, team="T0OTHER") == (everything[2:], 0)


def test_the_report_reads_well_and_escapes_what_people_wrote(store, advisor):
    now = time.time()
    ask(store, advisor, "k1", "<!channel> how do I <reset> my password & stuff?", at=now - 3)
    ask(store, advisor, "k2", "AE vs AM?", at=now - 2)
    store.rate("k2", user="U1", rating="down", at=now - 1, conversation="dm")
    built = render_report(advisor, build_report(store, now=now, period=DAY))
    assert built.text.startswith("*What people asked Role Advisor*")
    since = time.strftime("%Y-%m-%d %H:%M", time.gmtime(now - DAY))
    assert f"Asked in Slack since {since} UTC" in built.text
    assert "&lt;!channel&gt; how do I &lt;reset&gt; my password &amp; stuff?" in built.text
    assert "<!channel>" not in json.dumps(built.blocks)  # echoed, never a ping
    text = to_terminal(built.blocks)
    assert "2 questions asked, 1 not answered · 👍 0 · 👎 1" in text
    assert "• 1× “<!channel> how do I <reset> my password & stuff?”: outside what I know" in text  # noqa: RUF001
    assert "• 👎 1 · 👍 0: comparison: AE, AM, asked as “AE vs AM?”" in text
    assert "By role: AE 1 · AM 1" in text


def test_an_empty_report_says_so(store, advisor):
    text = to_terminal(render_report(advisor, build_report(store, now=time.time())).blocks)
    assert "Everything asked in Slack so far" in text
    assert "0 questions asked, 0 not answered" in text
    assert "None: every question got an answer." in text
    assert "No thumbs down." in text


# -- rolebot report ------------------------------------------------------------------------


@pytest.fixture
def rolebot(monkeypatch, capsys, database_url):
    """``rolebot report ARGS`` in this process, reading ``database_url``."""

    def call(*args: str):
        monkeypatch.setenv("DATABASE_URL", database_url)
        capsys.readouterr()
        try:
            code = main(["report", *args])
        except SystemExit as error:  # argparse's usage errors
            code = int(error.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return call


def test_rolebot_report_json_has_the_unanswered_the_feedback_and_the_counts(
    rolebot, database_url, advisor
):
    database = Database.connect(database_url)
    store = QuestionStore(database)
    now = time.time()
    ask(store, advisor, "k1", "how do I reset my password?", at=now - 3)
    ask(store, advisor, "k2", "How do I reset my password", at=now - 2)
    ask(store, advisor, "k3", "AE vs AM?", at=now - 1)
    store.rate("k3", user="U1", rating="up", at=now - 1, conversation="channel")
    ask(store, advisor, "k4", "what is the dress code?", at=now - 10 * DAY)
    ask(store, advisor, "k5", "what does an AE do?", at=now - 3600)
    database.dispose()

    code, out, err = rolebot("--json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert [(i["question"], i["count"]) for i in report["unanswered"]] == [
        ("how do I reset my password?", 2)
    ]
    [feedback] = report["feedback"]
    assert (feedback["question"], feedback["answer_intent"], feedback["rating"]) == (
        "AE vs AM?",
        "compare",
        "up",
    )
    assert report["counts"]["questions"] == 4
    assert report["counts"]["by_intent"] == {"unknown": 2, "compare": 1, "role_info": 1}

    code, out, _ = rolebot("--since", "30d", "--json")
    assert [(i["question"], i["count"]) for i in json.loads(out)["unanswered"]] == [
        ("how do I reset my password?", 2),
        ("what is the dress code?", 1),
    ]
    code, out, _ = rolebot("--since", "all")
    assert code == 0
    assert "5 questions asked, 3 not answered · 👍 1 · 👎 0" in out
    assert "• 2× “how do I reset my password?”: outside what I know" in out  # noqa: RUF001
    code, out, _ = rolebot("--since", "all", "--top", "1")
    assert out.count("• ") == 1  # of the two unanswered questions; no thumbs down to list
    code, out, _ = rolebot("--since", "30m", "--json")
    assert json.loads(out)["counts"]["questions"] == 3  # not the one asked an hour ago


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_rolebot_report_refuses_a_bad_period_and_names_an_unreachable_database(
    rolebot, monkeypatch, capsys
):
    code, _, err = rolebot("--since", "a week")
    assert code == 2
    assert "'a week' is not a period such as 7d, 24h or 30m" in err
    monkeypatch.setenv("DATABASE_URL", "postgresql://reporter:secret@127.0.0.1:1/none")
    assert main(["report"]) == 1
    err = capsys.readouterr().err
    assert "The database at postgresql+psycopg://reporter:***@127.0.0.1:1/none" in err
    assert "secret" not in err
