"""A question the bot declines; or a career step the articles name only as a step."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.intents.base import MAX_SUGGESTIONS, Intent, Suggestion, starters
from bot.knowledge import Knowledge
from bot.knowledge.schema import CareerMove
from bot.understanding.reading import Reading

__all__ = ["INTENT", "UnknownView", "answer"]


@dataclass(frozen=True, slots=True)
class UnknownView:
    # The career step asked about, by name, when the question names one.
    step: str | None
    moves: Sequence[CareerMove]
    suggestions: Sequence[Suggestion]


def answer(reading: Reading, knowledge: Knowledge) -> UnknownView:
    steps = {s.id for s in knowledge.career.steps}
    if reading.step not in steps or reading.step is None:
        return UnknownView(None, [], starters(knowledge))
    step = reading.step
    moves = [*knowledge.moves_to(step), *knowledge.moves_from(step)]
    around = [m.from_ if m.to == step else m.to for m in moves]
    roles = [r for r in dict.fromkeys(around) if r in knowledge.roles]
    suggestions = [Suggestion(Reading("role_info", roles=(r,), facet="career_path")) for r in roles]
    return UnknownView(knowledge.name_of(step), moves, suggestions[:MAX_SUGGESTIONS])


INTENT = Intent("unknown", "unknown", answer)
