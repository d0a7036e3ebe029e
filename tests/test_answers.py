"""Answers: every kind of answer renders, and its blocks pass Slack's own Block Kit validation
and limits; suggestion buttons carry readings that answer in turn; user text is escaped."""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path

import pytest
import yaml
from slack_sdk.models.blocks import Block

from bot.answer import Answer
from bot.knowledge import load_knowledge
from bot.lookup import FACTS_PER_PAGE, MAX_COMPARED
from bot.render import escape_mrkdwn
from bot.understanding import Reading

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = load_knowledge()
ROLES = list(KNOWLEDGE.roles)
FACETS = [None, *KNOWLEDGE.facets]
TOPICS = list(KNOWLEDGE.topics)
SOURCE_TITLES = [s.title for s in KNOWLEDGE.sources.values()]
AE, AM, SDR, CSM = (
    "account_executive",
    "account_manager",
    "sales_development_rep",
    "customer_success_manager",
)
_ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")


def _texts(block):
    """Every text object in a block, with its type."""
    if "text" in block and isinstance(block["text"], dict):
        yield block["text"]
    yield from block.get("fields", ())
    for element in block.get("elements", ()):
        if element.get("type") in {"mrkdwn", "plain_text"}:
            yield element
        elif isinstance(element.get("text"), dict):
            yield element["text"]


def check_blocks(blocks):
    """Slack's validation plus the limits slack_sdk does not check; returns the buttons."""
    assert 0 < len(blocks) <= 50
    buttons, action_ids = [], []
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, f"unknown block type {raw.get('type')!r}"
        block.validate_json()  # raises SlackObjectFormationError on a limit violation
        kind = raw["type"]
        if kind == "header":
            assert 0 < len(raw["text"]["text"]) <= 150
        elif kind == "section":
            assert "text" in raw or raw.get("fields")
            if "text" in raw:
                assert 0 < len(raw["text"]["text"]) <= 3000
            fields = raw.get("fields", [])
            assert len(fields) <= 10
            assert all(0 < len(f["text"]) <= 2000 for f in fields)
        elif kind == "context":
            assert 0 < len(raw["elements"]) <= 10
            assert all(len(e["text"]) <= 3000 for e in raw["elements"])
        elif kind == "actions":
            assert 0 < len(raw["elements"]) <= 25
            for element in raw["elements"]:
                assert element["type"] == "button"
                assert 0 < len(element["text"]["text"]) <= 75
                assert 0 < len(element["value"]) <= 2000
                assert len(element["action_id"]) <= 255
                action_ids.append(element["action_id"])
                buttons.append(element)
        for text in _texts(raw):
            assert text["text"].strip()
            if text["type"] == "mrkdwn":
                # Everything in mrkdwn is escaped: no raw control characters, no stray "&".
                assert "<" not in text["text"], text["text"]
                assert ">" not in text["text"], text["text"]
                assert not _ENTITY.search(text["text"]), text["text"]
    assert len(action_ids) == len(set(action_ids)), f"duplicate action_id in {action_ids}"
    return buttons


_WORKING_VALUES: set[str] = set()


def check_answer(advisor, answer):
    """The answer renders within Slack's limits, and each of its buttons answers in turn."""
    assert isinstance(answer, Answer)
    assert answer.text.strip()
    assert len(answer.text) <= 40_000
    buttons = check_blocks(answer.blocks)
    for button in buttons:
        value = button["value"]
        if value in _WORKING_VALUES:
            continue
        reading = Reading.from_value(value)
        assert reading is not None, f"button {button['text']['text']!r} has a broken value {value}"
        followed = advisor.answer(reading)
        assert followed.text.strip()
        check_blocks(followed.blocks)
        _WORKING_VALUES.add(value)
    return answer


def header(answer):
    return next(b["text"]["text"] for b in answer.blocks if b["type"] == "header")


def contexts(answer):
    return [e["text"] for b in answer.blocks if b["type"] == "context" for e in b["elements"]]


def all_texts(answer):
    return [answer.text, *(t["text"] for b in answer.blocks for t in _texts(b))]


def name(value):
    return "none" if value is None else str(value)


# -- every answer the knowledge allows -------------------------------------------------------


@pytest.mark.parametrize("facet", FACETS, ids=name)
@pytest.mark.parametrize("role", ROLES)
def test_role_info(advisor, role, facet):
    answer = check_answer(advisor, advisor.answer(Reading("role_info", roles=(role,), facet=facet)))
    data = KNOWLEDGE.roles[role]
    assert answer.reading.intent == "role_info"
    assert data.name in header(answer)
    assert escape_mrkdwn(data.summary.text) in answer.text
    if facet is not None and facet not in data.facets:
        assert "say nothing about" in answer.text
    elif facet is not None:
        label = KNOWLEDGE.facets[facet].label
        assert label.lower() in header(answer).lower()
        assert escape_mrkdwn(data.facets[facet][0].text) in answer.text
    # The sources line names the articles the facts come from.
    assert any(title in line for line in contexts(answer) for title in SOURCE_TITLES)


PAIRS = list(combinations(ROLES, 2))


@pytest.mark.parametrize("facet", FACETS, ids=name)
@pytest.mark.parametrize("pair", PAIRS, ids="-".join)
def test_compare_pair(advisor, pair, facet):
    answer = check_answer(advisor, advisor.answer(Reading("compare", roles=pair, facet=facet)))
    assert answer.reading.intent == "compare"
    assert answer.reading.roles == pair
    title = header(answer)
    for role in pair:
        assert KNOWLEDGE.roles[role].short in title


@pytest.mark.parametrize(
    "roles",
    [(AE, AM, CSM), (AE, AM, SDR, CSM), (SDR, AE, "sales_manager"), tuple(ROLES[:MAX_COMPARED])],
    ids=["ae-am-csm", "ae-am-sdr-csm", "sdr-ae-sm", "first-four"],
)
@pytest.mark.parametrize("facet", [None, "metrics", "education"], ids=name)
def test_compare_three_or_four(advisor, roles, facet):
    answer = check_answer(advisor, advisor.answer(Reading("compare", roles=roles, facet=facet)))
    title = header(answer)
    assert title.count(" vs ") == len(roles) - 1
    for role in roles:
        assert KNOWLEDGE.roles[role].short in title


def test_compare_more_than_four_keeps_four(advisor):
    answer = check_answer(advisor, advisor.answer(Reading("compare", roles=tuple(ROLES))))
    assert header(answer).count(" vs ") == MAX_COMPARED - 1
    assert any("four" in line for line in contexts(answer))


@pytest.mark.parametrize("topic", TOPICS)
def test_topic(advisor, topic):
    answer = check_answer(advisor, advisor.answer(Reading("topic", topic=topic)))
    data = KNOWLEDGE.topics[topic]
    assert header(answer) == data.name
    assert escape_mrkdwn(data.summary.text) in answer.text
    assert any(title in line for line in contexts(answer) for title in SOURCE_TITLES)


@pytest.mark.parametrize(
    ("question", "first"),
    [("who does cold calling?", SDR), ("who handles renewals?", AM), ("who closes deals?", AE)],
)
def test_which_role(advisor, question, first):
    answer = check_answer(advisor, advisor.ask(question))
    assert answer.reading.intent == "which_role"
    assert answer.reading.roles[0] == first
    first_section = next(b for b in answer.blocks if b["type"] == "section")
    assert KNOWLEDGE.roles[first].name in first_section["text"]["text"]


def test_which_role_with_many_roles(advisor):
    reading = Reading("which_role", roles=tuple(ROLES[:4]), duty="prospecting")
    answer = check_answer(advisor, advisor.answer(reading))
    assert "prospecting" in header(answer)


@pytest.mark.parametrize("intent", ["list_roles", "help"])
def test_list_roles_and_help(advisor, intent):
    answer = check_answer(advisor, advisor.answer(Reading(intent)))
    for role in KNOWLEDGE.roles.values():
        assert role.short in answer.text


@pytest.mark.parametrize("question", ["help", "hi", "what roles do you know?", ""])
def test_help_and_list_questions(advisor, question):
    answer = check_answer(advisor, advisor.ask(question))
    assert answer.reading.intent in {"help", "list_roles"}


@pytest.mark.parametrize("facet", FACETS, ids=name)
def test_clarify(advisor, facet):
    answer = check_answer(advisor, advisor.answer(Reading("clarify", facet=facet)))
    buttons = [e for b in answer.blocks if b["type"] == "actions" for e in b["elements"]]
    # One button per role, each asking about that role with the same facet.
    readings = [Reading.from_value(b["value"]) for b in buttons]
    assert [r.roles for r in readings] == [(role,) for role in ROLES]
    assert all(r.intent == "role_info" and r.facet == facet for r in readings)
    if facet:
        assert KNOWLEDGE.facets[facet].label.lower() in answer.text


def test_clarify_question(advisor):
    answer = check_answer(advisor, advisor.ask("how much do they make?"))
    assert answer.reading.intent == "clarify"
    assert "Which role" in answer.text


@pytest.mark.parametrize(
    "question", ["how do I reset my password?", "executive summary template", "what's 2+2"]
)
def test_unknown(advisor, question):
    answer = check_answer(advisor, advisor.ask(question))
    assert answer.reading.intent == "unknown"
    assert "sales roles" in answer.text


def test_home_page(advisor):
    blocks = advisor.home_blocks()
    buttons = check_blocks(blocks)
    assert blocks[0]["type"] == "header"
    assert buttons
    text = " ".join(t["text"] for b in blocks for t in _texts(b))
    for role in KNOWLEDGE.roles.values():
        assert role.name in text
    for button in buttons:
        check_answer(advisor, advisor.answer(Reading.from_value(button["value"])))


def test_welcome(advisor):
    answer = check_answer(advisor, advisor.welcome())
    assert "Welcome" in answer.text


@pytest.mark.parametrize(
    "question", ["AE vs AM?", "what metrics for CSM?", "what is BANT?", "who handles renewals?"]
)
def test_shareable(advisor, question):
    original = advisor.ask(question)
    shared = check_answer(advisor, advisor.shareable(original))
    assert shared.text == original.text
    assert shared.blocks[: len(original.blocks)] == original.blocks
    share = shared.blocks[-1]
    assert share["type"] == "actions"
    button = share["elements"][0]
    assert button["action_id"] == "share"
    assert Reading.from_value(button["value"]) == original.reading


def test_shareable_compare_of_many_roles(advisor):
    """Sharing "AE vs AM vs SDR vs CSM vs NAM vs RAM" must give a working share button."""
    original = check_answer(advisor, advisor.ask("AE vs AM vs SDR vs CSM vs NAM vs RAM"))
    assert original.reading.intent == "compare"
    shared = advisor.shareable(original)
    check_answer(advisor, shared)
    button = shared.blocks[-1]["elements"][0]
    assert Reading.from_value(button["value"]) is not None


def test_long_facet_is_paged(advisor):
    facts = KNOWLEDGE.roles[AE].facets["responsibilities"]
    assert len(facts) > FACTS_PER_PAGE
    first = check_answer(
        advisor, advisor.answer(Reading("role_info", roles=(AE,), facet="responsibilities"))
    )
    seventh = escape_mrkdwn(facts[FACTS_PER_PAGE].text)
    assert escape_mrkdwn(facts[0].text) in first.text
    assert seventh not in first.text
    assert f"of {len(facts)}" in first.text
    more = [
        Reading.from_value(e["value"])
        for b in first.blocks
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    pages = [r for r in more if r.page]
    assert len(pages) == 1
    second = check_answer(advisor, advisor.answer(pages[0]))
    assert seventh in second.text
    assert escape_mrkdwn(facts[0].text) not in second.text


def test_page_beyond_the_end_shows_the_last_page(advisor):
    facts = KNOWLEDGE.roles[AE].facets["responsibilities"]
    answer = check_answer(
        advisor,
        advisor.answer(Reading("role_info", roles=(AE,), facet="responsibilities", page=100)),
    )
    assert escape_mrkdwn(facts[-1].text) in answer.text


# -- slash commands --------------------------------------------------------------------------


def test_command_compare(advisor):
    answer = check_answer(advisor, advisor.command("compare", "AE AM"))
    assert answer.reading.intent == "compare"
    assert answer.reading.roles == (AE, AM)


def test_command_compare_with_facet(advisor):
    answer = check_answer(advisor, advisor.command("compare", "AE SDR metrics"))
    assert (answer.reading.roles, answer.reading.facet) == ((AE, SDR), "metrics")


def test_command_compare_one_role(advisor):
    answer = check_answer(advisor, advisor.command("compare", "AE"))
    assert answer.reading.intent == "help"
    assert "two" in answer.text
    assert "/compare" in answer.text


def test_command_compare_unknown_word(advisor):
    answer = check_answer(advisor, advisor.command("compare", "AE XYZ"))
    assert "XYZ" in answer.text
    assert answer.reading.intent == "help"


def test_command_compare_five_roles(advisor):
    answer = check_answer(advisor, advisor.command("compare", "AE AM SDR CSM NAM"))
    assert answer.reading.intent == "help"
    assert "/compare" in answer.text
    assert str(MAX_COMPARED) in answer.text


def test_command_role(advisor):
    answer = check_answer(advisor, advisor.command("role", "CSM metrics"))
    assert (answer.reading.intent, answer.reading.roles, answer.reading.facet) == (
        "role_info",
        (CSM,),
        "metrics",
    )


def test_command_role_without_role(advisor):
    answer = check_answer(advisor, advisor.command("role", ""))
    assert answer.reading.intent == "help"
    assert "/role" in answer.text


def test_command_roles(advisor):
    answer = check_answer(advisor, advisor.command("roles", ""))
    assert answer.reading.intent == "list_roles"
    for role in KNOWLEDGE.roles.values():
        assert role.short in answer.text


def test_command_unknown(advisor):
    answer = check_answer(advisor, advisor.command("bogus", ""))
    assert answer.reading.intent == "help"
    assert "/compare" in answer.text


def test_command_with_hostile_args(advisor):
    answer = check_answer(advisor, advisor.command("compare", "<!channel> " + "x" * 10_000))
    assert "<!channel>" not in answer.text
    assert len(answer.text) < 2_000


# -- content -----------------------------------------------------------------------------------


def test_uncovered_facet_says_so_and_lists_what_is_covered(advisor):
    answer = check_answer(
        advisor, advisor.answer(Reading("role_info", roles=(CSM,), facet="education"))
    )
    role = KNOWLEDGE.roles[CSM]
    assert "education" not in role.facets
    assert "say nothing about *education*" in answer.text
    assert "won't guess" in answer.text
    for facet in role.facets:
        assert KNOWLEDGE.facets[facet].label.lower() in answer.text


def test_role_answer_cites_a_source_title(advisor):
    answer = advisor.ask("what does an AE do?")
    cited = [t for line in contexts(answer) for t in SOURCE_TITLES if t in line]
    assert cited
    assert "Source" in " ".join(contexts(answer))


def test_ae_vs_am_uses_the_explicit_comparison(advisor):
    data = yaml.safe_load((REPO / "knowledge" / "comparisons.yaml").read_text(encoding="utf-8"))
    ae_vs_am = next(c for c in data["comparisons"] if c["id"] == "ae_vs_am")
    answer = check_answer(advisor, advisor.ask("AE vs AM"))
    assert f"*{ae_vs_am['aspects'][0]['label']}*" in answer.text
    assert escape_mrkdwn(ae_vs_am["summary"][0]["text"]) in answer.text


# -- escaping ----------------------------------------------------------------------------------

HOSTILE = "<!channel> {{ 7*7 }} & <@U123>"
# What Slack sends when a user types those characters literally.
HOSTILE_TYPED = "&lt;!channel&gt; {{ 7*7 }} &amp; &lt;@U123&gt;"


@pytest.mark.parametrize("question", [HOSTILE, HOSTILE_TYPED], ids=["markup", "typed"])
def test_echoed_question_is_escaped(advisor, question):
    answer = check_answer(advisor, advisor.ask(question))
    assert answer.reading.intent == "unknown"
    for text in all_texts(answer):
        assert "<!channel>" not in text
        assert "<@" not in text
        assert "49" not in text
    # The question is echoed as text (formatting characters dropped), never evaluated.
    assert re.search(r"\{\{ 7\W*7 \}\} &amp;", answer.text)
    if question == HOSTILE_TYPED:
        assert "&lt;!channel&gt;" in answer.text
        assert "&lt;@U123&gt;" in answer.text


@pytest.mark.parametrize(
    "question", ["{% raw %}{{ x }}", "{{ ''.__class__ }}", "{# x", "} } {{", "&amp;lt;"]
)
def test_template_syntax_in_questions_is_text(advisor, question):
    answer = check_answer(advisor, advisor.ask(question))
    assert answer.text.strip()


def test_huge_unknown_question_is_truncated(advisor):
    question = "zebra " * 20_000
    answer = check_answer(advisor, advisor.ask(question))
    assert answer.reading.intent == "unknown"
    assert "…" in answer.text
    assert answer.text.count("zebra") <= 30
    assert len(answer.text) < 2_000


HOSTILE_INPUTS = [
    "",
    "   ",
    "\x00",
    "\ud800 AE \udfff",
    "x" * 100_000,
    "<!channel>",
    "<!here> AE vs AM",
    "\U0001f600\U0001f389",
    "\u0645\u0627 \u0647\u0648 \u0645\u062f\u064a\u0631",
    "AE " * 10_000,
    "AE vs AM vs SDR vs CSM vs NAM vs RAM vs sales manager " * 500,
]


@pytest.mark.parametrize("question", HOSTILE_INPUTS, ids=range(len(HOSTILE_INPUTS)))
def test_hostile_question_answers(advisor, question):
    check_answer(advisor, advisor.ask(question))


FORGED = {
    "duty_with_markup": (
        {"intent": "which_role", "roles": [AE], "duty": "<!channel> & <@U1> " + "z" * 100},
        "which_role",
    ),
    "same_role_twice": ({"intent": "compare", "roles": [AE, AE]}, "role_info"),
    "unknown_role": ({"intent": "role_info", "roles": ["ghost"]}, "clarify"),
    "unknown_topic": ({"intent": "topic", "topic": "ghost"}, "help"),
    "which_role_without_roles": ({"intent": "which_role", "roles": []}, "help"),
    "compare_one_known_role": ({"intent": "compare", "roles": [AE, "ghost"]}, "role_info"),
    "page_past_the_end": (
        {"intent": "role_info", "roles": [AE], "facet": "skills", "page": 100},
        "role_info",
    ),
}


@pytest.mark.parametrize(("value", "intent"), FORGED.values(), ids=FORGED.keys())
def test_forged_button_values_answer_safely(advisor, value, intent):
    """Button values come back from Slack clients and may be forged."""
    reading = Reading.from_value(json.dumps(value))
    assert reading is not None
    answer = check_answer(advisor, advisor.answer(reading))
    assert answer.reading.intent == intent
    assert all(r in KNOWLEDGE.roles for r in answer.reading.roles)
    for text in all_texts(answer):
        assert "<!channel>" not in text or text == header(answer)
        assert "ghost" not in text
