"""Every intent has a home: a handler in the one table, a template, and a typed view."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.intents import INTENTS
from bot.understanding.reading import INTENT_IDS

RESPONSES = Path(__file__).resolve().parents[1] / "responses"


def test_every_intent_the_reader_can_produce_has_a_handler():
    assert set(INTENTS) == set(INTENT_IDS)


@pytest.mark.parametrize("name", sorted(INTENTS))
def test_each_handler_has_its_template(name):
    intent = INTENTS[name]
    assert intent.name == name
    assert (RESPONSES / f"{intent.template}.j2").is_file()


@pytest.mark.parametrize("name", sorted(INTENTS))
def test_each_handler_returns_a_frozen_view_with_suggestions(advisor, name):
    from bot.intents import sanitize
    from bot.understanding import Reading

    examples = {
        "role_info": Reading("role_info", roles=("account_executive",)),
        "compare": Reading("compare", roles=("account_executive", "account_manager")),
        "which_role": Reading("which_role", roles=("account_manager",), duty="renewals"),
        "topic": Reading("topic", topic="bant"),
        "person": Reading("person", roles=("account_manager",), person="John Golden"),
    }
    reading = sanitize(examples.get(name, Reading(name)), advisor.knowledge)
    assert reading.intent == name
    view = INTENTS[name].answer(reading, advisor.context)
    assert dataclasses.is_dataclass(view)
    assert type(view).__dataclass_params__.frozen
    assert isinstance(list(view.suggestions), list)
