"""One role: a profile, or one facet given in full, with what the articles disagree on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.intents.base import (
    FIGURE,
    PROFILE_FACETS,
    Context,
    Intent,
    Suggestion,
    disagreements,
    facets_of,
    lines,
    suggest_for_role,
)
from bot.knowledge.schema import CareerMove, Disagreement, FacetDef, Fact, Gap, Role, is_facet
from bot.understanding.reading import Reading

__all__ = ["INTENT", "RoleInfoView", "answer"]

# A profile shows this many facts of each of its facets.
_FACTS_PER_FACET = 2


@dataclass(frozen=True, slots=True)
class RoleInfoView:
    role: Role
    facet: FacetDef | None
    sections: Sequence[tuple[FacetDef, Sequence[Fact]]]
    # The facet asked is one the articles do not cover for this role.
    missing: bool
    gap: Gap | None
    # Pay asked of a role the articles give no figure for: say so, never borrow one.
    no_figure: bool
    covered: Sequence[FacetDef]
    disagreements: Sequence[Disagreement]
    # Career moves into ("from") and out of ("to") the role, for its career path.
    moves: Sequence[tuple[str, CareerMove]]
    suggestions: Sequence[Suggestion]


def answer(reading: Reading, ctx: Context) -> RoleInfoView:
    knowledge = ctx.knowledge
    role = knowledge.roles[reading.roles[0]]
    facet = reading.facet
    disputed = disagreements([role], facet or "overview")
    # A fact that is one side of a disagreement is shown there, with the other side; one
    # resting only on the lines of the summary above it would say the same again.
    views = {v.text for d in disputed for v in d.views}
    summary = lines([role.summary]) if facet is None or facet not in role.facets else set()

    def fresh(fact: Fact) -> bool:
        return fact.text not in views and not lines([fact]) <= summary

    if not is_facet(facet):  # a profile: the first facts of a few facets
        sections = [
            (f, [x for x in role.facets.get(f, []) if fresh(x)][:_FACTS_PER_FACET])
            for f in PROFILE_FACETS
        ]
    else:  # the facet asked, in full: a list someone asked for is never cut short
        sections = [(facet, [x for x in role.facets.get(facet, []) if fresh(x)])]
    sections = [(f, facts) for f, facts in sections if facts]
    moves: list[tuple[str, CareerMove]] = []
    if facet == "career_path":
        moves = [("from", m) for m in knowledge.moves_to(role.id)]
        moves += [("to", m) for m in knowledge.moves_from(role.id)]
    shown = [f for _, facts in sections for f in facts]
    return RoleInfoView(
        role=role,
        facet=knowledge.facets.get(facet) if facet else None,
        sections=[(knowledge.facets[f], facts) for f, facts in sections],
        missing=facet is not None and facet not in role.facets,
        gap=knowledge.gaps.get(reading.gap or ""),
        no_figure=facet == "compensation" and not any(FIGURE.search(f.text) for f in shown),
        covered=facets_of(knowledge, role),
        disagreements=disputed,
        moves=moves,
        suggestions=suggest_for_role(knowledge, role, exclude=facet),
    )


INTENT = Intent("role_info", "role_info", answer)
