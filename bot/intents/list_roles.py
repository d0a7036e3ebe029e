"""Every role and topic the bot knows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.intents.base import Context, Intent, Suggestion, starters
from bot.knowledge.schema import CareerMove, CareerStep, Role, Topic
from bot.understanding.reading import Reading

__all__ = ["INTENT", "ListView", "answer"]


@dataclass(frozen=True, slots=True)
class ListView:
    role_list: Sequence[Role]
    topic_list: Sequence[Topic]
    suggestions: Sequence[Suggestion]
    # A role no article describes, named beside asking for the list ("do you cover sales
    # engineers?"): said first.
    uncovered: str | None = None
    # The roles asked to be left out ("what other sales jobs are there apart from AE and
    # AM?"), and the steps of career paths the articles name beside the roles they describe.
    besides: Sequence[Role] = ()
    # each step with a move of it, whose lines name it
    steps: Sequence[tuple[CareerStep, CareerMove]] = ()


def answer(reading: Reading, ctx: Context) -> ListView:
    knowledge = ctx.knowledge
    besides = [knowledge.roles[r] for r in reading.roles]
    # The list itself never offers "All roles" again (help, which shares this view, does),
    # nor, asked for others, suggestions about only the roles left out.
    left_out = set(reading.roles)
    suggestions = [
        s
        for s in starters(knowledge)
        if s.reading != reading and not (s.reading.roles and set(s.reading.roles) <= left_out)
    ]
    roles = [r for r in knowledge.roles.values() if r.id not in left_out]
    career = knowledge.career
    steps = [
        (step, move)
        for step in (career.steps if besides else ())
        if (move := next((m for m in career.moves if step.id in {m.from_, m.to}), None))
    ]
    topics = list(knowledge.topics.values())
    return ListView(roles, topics, suggestions, reading.uncovered, besides, steps)


INTENT = Intent("list_roles", "list_roles", answer)
