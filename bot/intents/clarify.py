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
    # One per role, asking the same about that role; or, to pick a comparison, one per pair.
    choices: Sequence[Suggestion]
    pairing: bool = False
    suggestions: Sequence[Suggestion] = ()


def answer(reading: Reading, ctx: Context) -> ClarifyView:
    knowledge = ctx.knowledge
    facet, gap = knowledge.facets.get(reading.facet or ""), knowledge.gaps.get(reading.gap or "")
    if reading.pairing:  # which roles to compare: the one known with each other, or the
        # comparisons the articles make
        pairs = (
            [(reading.roles[0], r) for r in knowledge.roles if r != reading.roles[0]]
            if reading.roles
            else [tuple(c.roles[:2]) for c in knowledge.comparisons]
        )
        compares = [
            Suggestion(Reading("compare", roles=pair, facet=reading.facet)) for pair in pairs
        ]
        return ClarifyView(facet, gap, compares, pairing=True)
    choices = [
        Suggestion(Reading("role_info", roles=(r,), facet=reading.facet, gap=reading.gap))
        for r in knowledge.roles
    ]
    return ClarifyView(facet, gap, choices)


INTENT = Intent("clarify", "clarify", answer)
