"""Property tests: any text at all gets a valid, harmless answer."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from bot.understanding import Reading

# Text a Slack user could send, weighted towards what the reader looks for.
SLACK_BITS = st.sampled_from(
    [
        "<@U07ABC123>",
        "<!channel>",
        "<!here>",
        "<!subteam^S1|@sales>",
        "<#C024BE91L|sales>",
        "<https://example.com|a link>",
        "&lt;",
        "&gt;",
        "&amp;",
        "{{ 7*7 }}",
        "{% for x in y %}",
        ":wave:",
        "*bold*",
        "AE",
        "am",
        "AM",
        "vs",
        "/",
        "salary",
        "who does",
        "what about",
        "BANT",
    ]
)
QUESTIONS = st.lists(st.one_of(st.text(max_size=40), SLACK_BITS), max_size=12).map(" ".join)
RELAXED = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def mrkdwn_texts(blocks: tuple[dict[str, Any], ...]) -> list[str]:
    texts = []
    for block in blocks:
        for part in (block.get("text"), *block.get("fields", ()), *block.get("elements", ())):
            if isinstance(part, dict) and part.get("type") == "mrkdwn":
                texts.append(part["text"])
    return texts


def assert_harmless(answer) -> None:
    assert answer.text.strip()
    assert 0 < len(answer.blocks) <= 50
    for block in answer.blocks:
        Block.parse(block).validate_json()
    for text in [answer.text, *mrkdwn_texts(answer.blocks)]:
        # Slack control sequences start with "<": every one the user typed must arrive escaped.
        assert "<" not in text, text


@RELAXED
@given(question=QUESTIONS)
def test_any_question_gets_a_valid_harmless_answer(advisor, question):
    assert_harmless(advisor.ask(question))


@RELAXED
@given(question=QUESTIONS, follow_up=QUESTIONS)
def test_any_follow_up_gets_a_valid_harmless_answer(advisor, question, follow_up):
    first = advisor.ask(question)
    assert_harmless(advisor.ask(follow_up, context=first.reading))


@RELAXED
@given(name=st.sampled_from(["compare", "role", "roles", "other"]), args=QUESTIONS)
def test_any_slash_command_gets_a_valid_harmless_answer(advisor, name, args):
    assert_harmless(advisor.command(name, args))


@RELAXED
@given(value=st.one_of(st.text(max_size=200), QUESTIONS.map(lambda q: '{"intent": "' + q)))
def test_any_button_value_is_parsed_or_refused(advisor, value):
    reading = Reading.from_value(value)
    if reading is not None:
        assert_harmless(advisor.answer(reading))
