"""No dead ends: every question the bot suggests anywhere gets a real answer, and a button's
label, typed, means what the button does."""

from __future__ import annotations

import pytest

from bot.answer import Advisor, suggested_questions
from bot.understanding import Reading

ADVISOR = Advisor.load()
SUGGESTED = suggested_questions(ADVISOR)


def test_every_place_that_suggests_questions_is_covered():
    assert {"help", "home", "compare", "role", "roles"} <= set(ADVISOR.examples)
    help_text = ADVISOR.answer(Reading("help")).text
    assert all(q in help_text for q in ADVISOR.examples["help"])
    home = " ".join(str(b) for b in ADVISOR.home_blocks())
    assert all(q in home for q in ADVISOR.examples["home"])
    assert any(reading is not None for reading in SUGGESTED.values())  # buttons are covered


@pytest.mark.parametrize("question", list(SUGGESTED))
def test_every_suggested_question_gets_a_real_answer(question):
    if question.startswith("/"):
        name, _, args = question[1:].partition(" ")
        answer = ADVISOR.command(name, args)
        assert answer.reading.intent in {"compare", "role_info", "list_roles"}, answer.text
        return
    answer = ADVISOR.ask(question)
    assert answer.reading.intent not in {"unknown", "help"}, f"{question!r} gets {answer.text}"
    expected = SUGGESTED[question]
    if expected is not None:  # a button: typing its label asks what clicking it asks
        got = answer.reading
        assert (got.intent, got.topic) == (expected.intent, expected.topic)
        if got.intent != "topic":  # a topic's answer is the same whatever role it names
            assert (got.roles, got.facet) == (expected.roles, expected.facet)


def test_the_fallback_offers_the_three_closest_suggested_questions():
    answer = ADVISOR.ask("how do I reset my metrics dashboard password?")
    assert answer.reading.intent == "unknown"
    labels = [
        e["text"]["text"] for b in answer.blocks if b["type"] == "actions" for e in b["elements"]
    ]
    assert len(labels) == 3
    assert "What metrics matter for an account manager?" in labels
    assert set(labels) <= set(ADVISOR.examples["help"]) | set(ADVISOR.examples["home"])


def test_the_fallback_offers_first_the_suggestions_sharing_a_word(advisor):
    # review 11: "who's my manager?" was offered "What is BANT?" first
    answer = ADVISOR.ask("who's my manager?")
    first = next(
        e["text"]["text"] for b in answer.blocks if b["type"] == "actions" for e in b["elements"]
    )
    assert "manager" in first.casefold()


def test_examples_command_prints_one_question_a_line(capsys):
    from bot.cli import main

    assert main(["examples"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed == list(SUGGESTED)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("Who hndles renuals?", "Who handles renewals?"), ("Wht is BNT?", "What is BANT?")],
)
def test_a_near_miss_asks_did_you_mean_with_the_question_first(typed, meant):
    answer = ADVISOR.ask(typed)
    assert answer.reading.intent == "unknown"
    assert answer.text.startswith("Did you mean one of these?")
    first = next(
        e["text"]["text"] for b in answer.blocks if b["type"] == "actions" for e in b["elements"]
    )
    assert first == meant


def test_a_question_far_from_every_suggestion_is_declined_plainly():
    answer = ADVISOR.ask("what's the weather in Paris tomorrow?")
    assert "I only know what five articles say about sales roles in general" in answer.text
    assert "not your company's own plans, figures or people" in answer.text
