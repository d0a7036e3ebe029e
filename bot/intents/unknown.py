"""A question the bot declines; or a career step the articles name only as a step."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from bot.intents.base import MAX_SUGGESTIONS, Context, Intent, Suggestion, starters
from bot.knowledge.schema import CareerMove
from bot.understanding.reading import Reading

__all__ = ["INTENT", "UnknownView", "answer"]


@dataclass(frozen=True, slots=True)
class UnknownView:
    # The career step asked about, by name, when the question names one.
    step: str | None
    moves: Sequence[CareerMove]
    suggestions: Sequence[Suggestion]


def answer(reading: Reading, ctx: Context) -> UnknownView:
    knowledge = ctx.knowledge
    steps = {s.id for s in knowledge.career.steps}
    if reading.step not in steps or reading.step is None:
        return UnknownView(None, [], _closest(reading.question, ctx) or starters(knowledge))
    step = reading.step
    moves = [*knowledge.moves_to(step), *knowledge.moves_from(step)]
    around = [m.from_ if m.to == step else m.to for m in moves]
    roles = [r for r in dict.fromkeys(around) if r in knowledge.roles]
    suggestions = [Suggestion(Reading("role_info", roles=(r,), facet="career_path")) for r in roles]
    return UnknownView(knowledge.name_of(step), moves, suggestions[:MAX_SUGGESTIONS])


def _closest(question: str, ctx: Context) -> list[Suggestion]:
    """The example questions the bot suggests that come closest to ``question``."""
    asked = {s.question: s for s in ctx.examples if s.question}
    found = process.extract(
        question, list(asked), scorer=fuzz.WRatio, processor=utils.default_process, limit=None
    )
    # Best first; on a tie (nothing in common), the order the examples are listed in.
    ranked = sorted(found, key=lambda hit: (-hit[1], hit[2]))
    return [asked[text] for text, _, _ in ranked[:MAX_SUGGESTIONS]]


INTENT = Intent("unknown", "unknown", answer)
