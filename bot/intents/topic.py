"""A topic the articles explain that is not a role (key accounts, BANT, freelancing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.intents.base import MAX_SUGGESTIONS, Context, Intent, Suggestion
from bot.knowledge.schema import Role, Topic
from bot.understanding.reading import Reading

__all__ = ["INTENT", "TopicView", "answer"]


@dataclass(frozen=True, slots=True)
class TopicView:
    topic: Topic
    related: Sequence[Role]
    suggestions: Sequence[Suggestion]


def answer(reading: Reading, ctx: Context) -> TopicView:
    knowledge = ctx.knowledge
    topic = knowledge.topics[reading.topic or ""]
    related = [knowledge.roles[r] for r in topic.related_roles]
    others = [t for t in knowledge.topics.values() if t.id != topic.id]
    suggestions = [Suggestion(Reading("role_info", roles=(r.id,))) for r in related]
    suggestions += [Suggestion(Reading("topic", topic=t.id)) for t in others]
    return TopicView(topic, related, suggestions[:MAX_SUGGESTIONS])


INTENT = Intent("topic", "topic", answer)
