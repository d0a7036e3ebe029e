"""Every role and topic the bot knows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.intents.base import Context, Intent, Suggestion, starters
from bot.knowledge.schema import Role, Topic
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


def answer(reading: Reading, ctx: Context) -> ListView:
    knowledge = ctx.knowledge
    # The list itself never offers "All roles" again (help, which shares this view, does).
    suggestions = [s for s in starters(knowledge) if s.reading != reading]
    roles, topics = list(knowledge.roles.values()), list(knowledge.topics.values())
    return ListView(roles, topics, suggestions, reading.uncovered)


INTENT = Intent("list_roles", "list_roles", answer)
