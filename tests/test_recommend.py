""" "Which role fits me?": roles ranked with reasons from the knowledge, as a pointer."""

from __future__ import annotations

import pytest

from bot.conversation import Conversation, converse
from bot.understanding import Reading

AE, AM, SDR, CSM, SM = (
    "account_executive",
    "account_manager",
    "sales_development_rep",
    "customer_success_manager",
    "sales_manager",
)

RELATIONSHIPS = "great at long-term relationships and solving client problems, what role suits me?"


@pytest.mark.parametrize(
    ("question", "first", "also"),
    [
        ("I love negotiating and closing deals, which role fits me?", AE, None),
        (
            "great at long-term relationships and solving client problems, what role suits me?",
            AM,
            CSM,
        ),
        ("I want to lead and coach a team, which role should I aim for?", SM, None),
        ("new to sales, where should I start?", SDR, None),
    ],
)
def test_roles_are_ranked_best_first(advisor, question, first, also):
    answer = advisor.ask(question)
    assert answer.reading.intent == "recommend"
    assert answer.reading.roles[0] == first
    if also:
        assert also in answer.reading.roles
    assert "pointer, not a verdict" in answer.text
    # Every role named comes with a reason from the knowledge, cited.
    assert answer.citations
    assert advisor.knowledge.roles[first].name in answer.text


def test_a_recommended_am_shows_the_articles_self_check(advisor):
    answer = advisor.ask(
        "great at long-term relationships and solving client problems, what role suits me?"
    )
    assert "five or more" in answer.text


def test_after_a_comparison_it_picks_among_the_roles_compared(advisor):
    _, conversation = converse(advisor, "SDR vs AE", Conversation())
    answer, _ = converse(advisor, "which one should I start in if I'm new?", conversation)
    assert answer.reading.intent == "recommend"
    assert answer.reading.roles[0] == SDR
    assert set(answer.reading.roles) <= {SDR, AE}


def test_without_anything_to_go_on_it_asks_what_they_enjoy(advisor):
    answer = advisor.ask("which role fits me?")
    assert answer.reading.intent == "recommend"
    assert answer.reading.roles == ()
    assert "Tell me what you enjoy" in answer.text


def test_recommend_readings_from_buttons_answer(advisor):
    value = Reading("recommend", roles=(AM, CSM), duty="long-term relationships").to_value()
    answer = advisor.answer(Reading.from_value(value))
    assert answer.reading.intent == "recommend"
    assert "Account Manager" in answer.text
