"""Property tests: any text at all gets a valid, harmless answer."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from bot.knowledge.schema import FACET_IDS
from bot.understanding import Reading
from bot.understanding.reading import INTENT_IDS

ROLE_IDS = [
    "account_executive",
    "account_manager",
    "sales_development_rep",
    "sales_manager",
    "customer_success_manager",
    "national_account_manager",
    "regional_account_manager",
]

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


IDS = st.one_of(st.sampled_from([*ROLE_IDS, *FACET_IDS, "key_accounts", "bant"]), st.text())
BUTTON_VALUES = st.fixed_dictionaries(
    {"intent": st.sampled_from(INTENT_IDS), "roles": st.lists(IDS, max_size=9)},
    optional={
        "facet": st.one_of(st.none(), st.sampled_from(FACET_IDS), st.text()),
        "topic": st.one_of(st.none(), IDS),
        "duty": st.one_of(st.none(), st.text(max_size=300)),
        "page": st.one_of(st.integers(-5, 200), st.booleans(), st.text()),
    },
).map(json.dumps)


@RELAXED
@given(value=st.one_of(st.text(max_size=200), BUTTON_VALUES))
def test_any_button_value_is_parsed_or_refused(advisor, value):
    reading = Reading.from_value(value)
    if reading is not None:
        assert_harmless(advisor.answer(reading))


@RELAXED
@given(value=BUTTON_VALUES)
def test_well_formed_button_values_mostly_parse(advisor, value):
    """The strategy above must reach the answer, not only the refusal."""
    data = json.loads(value)
    reading = Reading.from_value(value)
    plain = {"facet", "topic", "duty", "page"}.isdisjoint(data) and len(data["roles"]) <= 8
    if plain and all(isinstance(r, str) and 0 < len(r) <= 64 for r in data["roles"]):
        assert reading is not None
        assert_harmless(advisor.answer(reading))


def plain_texts(blocks: tuple[dict[str, Any], ...]) -> list[str]:
    """plain_text objects and table cells: never escaped."""
    texts = []
    for block in blocks:
        if block["type"] == "header":
            texts.append(block["text"]["text"])
        for row in block.get("rows", ()):
            texts += [cell["text"] for cell in row]
        for element in block.get("elements", ()):
            if isinstance(element.get("text"), dict):
                texts.append(element["text"]["text"])
    return texts


MARKUP = st.text(alphabet="&<>;ampltg !@#a", min_size=1, max_size=30).filter(str.strip)


@settings(RELAXED, max_examples=30)
@given(text=MARKUP)
def test_facts_with_markup_are_escaped_exactly_once(advisor, text):
    """A fact holding &, < or > shows it escaped once in mrkdwn and raw in plain text."""
    from dataclasses import replace

    from bot.answer import Advisor

    knowledge = advisor.knowledge
    role = knowledge.roles["sales_manager"]
    odd = role.summary.model_copy(update={"text": f"Coach {text} team"})
    name = f"Boss {text}"
    changed = role.model_copy(update={"summary": odd, "name": name})
    roles = {**knowledge.roles, "sales_manager": changed}
    local = Advisor(replace(knowledge, roles=roles), advisor.renderer)
    answer = local.answer(Reading("role_info", roles=("sales_manager",)))
    assert_harmless(answer)
    wanted = f"Coach {text} team".replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert any(wanted in t for t in mrkdwn_texts(answer.blocks))
    assert wanted in answer.text
    assert any(t.startswith(" ".join(name.split())) for t in plain_texts(answer.blocks))


@RELAXED
@given(text=MARKUP)
def test_user_text_with_markup_is_escaped_exactly_once(advisor, text):
    answer = advisor.ask(f"how do I bake bread {text}")
    assert_harmless(answer)
    echoed = " ".join(answer.reading.question.split())
    if answer.reading.intent == "unknown" and len(echoed) < 100:
        wanted = echoed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert wanted in answer.text
