"""A question about sales roles that names no role: which role, with a button for each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.intents.base import Context, Intent, Suggestion
from bot.knowledge import Knowledge
from bot.knowledge.schema import FacetDef, Gap, Role
from bot.understanding.reading import Reading

__all__ = ["INTENT", "ClarifyView", "answer"]


@dataclass(frozen=True, slots=True)
class ClarifyView:
    facet: FacetDef | None
    gap: Gap | None
    # One per role, asking the same about that role; or, to pick a comparison, one per pair.
    choices: Sequence[Suggestion]
    pairing: bool = False
    # The roles a name that fits several stands for ("account rep": AM or AE), when the
    # question named one; empty when it named none.
    among: Sequence[Role] = ()
    suggestions: Sequence[Suggestion] = ()


def answer(reading: Reading, ctx: Context) -> ClarifyView:
    """Which role: one of ``reading.roles`` (when none, each role the articles cover the facet
    for); or, with ``pairing``, which comparison: the first of ``reading.roles`` with each
    other one (with every role when there is no other; the comparisons the articles make when
    none is known), only pairs both of whose roles the facet is covered for unless named."""
    knowledge = ctx.knowledge
    facet, gap = knowledge.facets.get(reading.facet or ""), knowledge.gaps.get(reading.gap or "")
    if reading.pairing:
        first, *others = reading.roles or ("",)
        # The pairs offered, when the question named no second role: those the articles
        # cover the facet for on both sides.
        offered = (
            [(first, r) for r in knowledge.roles if r != first]
            if first
            else [tuple(c.roles[:2]) for c in knowledge.comparisons]
        )
        both = [p for p in offered if all(_covers(knowledge, r, reading.facet) for r in p)]
        pairs = [(first, r) for r in others] if others else both or offered
        compares = [
            Suggestion(Reading("compare", roles=pair, facet=reading.facet)) for pair in pairs
        ]
        among = [knowledge.roles[r] for r in others]
        return ClarifyView(facet, gap, compares, pairing=True, among=among)
    covering = [r for r in knowledge.roles if _covers(knowledge, r, reading.facet)]
    choices = [
        Suggestion(Reading("role_info", roles=(r,), facet=reading.facet, gap=reading.gap))
        for r in (reading.roles or covering)
    ]
    among = [knowledge.roles[r] for r in reading.roles]
    return ClarifyView(facet, gap, choices, among=among)


def _covers(knowledge: Knowledge, role: str, facet: str | None) -> bool:
    """Whether the articles say something on ``facet`` (anything, for none) about ``role``."""
    return facet is None or facet in knowledge.roles[role].facets


INTENT = Intent("clarify", "clarify", answer)
