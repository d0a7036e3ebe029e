"""A question about sales roles that names no role: which role, with a button for each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.intents.base import Context, Intent, Suggestion
from bot.knowledge.schema import FacetDef, Gap
from bot.understanding.reading import Reading

__all__ = ["INTENT", "ClarifyView", "answer"]


@dataclass(frozen=True, slots=True)
class ClarifyView:
    facet: FacetDef | None
    gap: Gap | None
    # One per role, asking the same about that role.
    choices: Sequence[Suggestion]
    suggestions: Sequence[Suggestion] = ()


def answer(reading: Reading, ctx: Context) -> ClarifyView:
    knowledge = ctx.knowledge
    choices = [
        Suggestion(Reading("role_info", roles=(r,), facet=reading.facet, gap=reading.gap))
        for r in knowledge.roles
    ]
    return ClarifyView(
        knowledge.facets.get(reading.facet or ""), knowledge.gaps.get(reading.gap or ""), choices
    )


INTENT = Intent("clarify", "clarify", answer)
