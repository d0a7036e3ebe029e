"""A topic the articles explain that is not a role (key accounts, BANT, freelancing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.intents.base import MAX_SUGGESTIONS, Context, Intent, Suggestion, lines
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
    # the related roles' facets resting on the topic's lines first, two at most ("BANT" leads
    # to the SDR's day-to-day work, where SDRs qualify leads against it), then each related
    # role, then the other topics
    said = lines([topic.summary, *topic.facts])
    facets = [
        Suggestion(Reading("role_info", roles=(r.id,), facet=f))
        for r in related
        for f, facts in r.facets.items()
        if f != "overview" and lines(facts) & said
    ]
    profiles = [Suggestion(Reading("role_info", roles=(r.id,))) for r in related]
    suggestions = [*facets[: MAX_SUGGESTIONS - 1], *profiles]
    others = [t for t in knowledge.topics.values() if t.id != topic.id]
    suggestions += [Suggestion(Reading("topic", topic=t.id)) for t in others]
    return TopicView(topic, related, suggestions[:MAX_SUGGESTIONS])


INTENT = Intent("topic", "topic", answer)
