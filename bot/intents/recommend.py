""""Which role fits me?": roles ranked best first, each with the facts that make it a fit,
offered as a pointer, not a verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.intents.base import (
    Context,
    Intent,
    Suggestion,
    evidence,
    resting_on,
    starters,
)
from bot.knowledge.schema import FacetId, Fact, Role
from bot.understanding.reading import Reading
from bot.understanding.recommend import named_degrees

__all__ = ["INTENT", "RecommendView", "answer"]

# The facet whose facts say which degrees prepare for a role.
_DEGREE_FACET: FacetId = "education"


@dataclass(frozen=True, slots=True)
class RecommendView:
    # Best first: each role and the facts that make it a fit.
    ranked: Sequence[tuple[Role, Sequence[Fact]]]
    # Whether the newcomer's role is first because the question said the asker is new.
    newcomer: bool
    suggestions: Sequence[Suggestion]


def answer(reading: Reading, ctx: Context) -> RecommendView:
    knowledge = ctx.knowledge
    advice = knowledge.recommend
    ranked = []
    studied = {degree.role: degree for degree in named_degrees(advice.degrees, reading.question)}
    for i, role_id in enumerate(reading.roles):
        role = knowledge.roles[role_id]
        reasons: list[Fact] = []
        if role_id == advice.newcomer.role and (reading.duty is None or i == 0):
            reasons += resting_on(role, advice.newcomer.source)
        if role_id in studied:  # "I'm a journalism graduate": the facts naming the degree
            education = role.facets.get(_DEGREE_FACET, [])
            reasons += [f for f in resting_on(role, studied[role_id].source) if f in education]
        duty = reading.duty if i == 0 else None
        if i > 0 and role_id not in studied:
            duty = _closest_duty(role, reading.question)
        if duty is not None:
            reasons.append(evidence(role, duty))
        for check in advice.checks:
            if check.role == role_id:
                reasons += resting_on(role, check.source)
        ranked.append((role, list(dict.fromkeys(reasons))))
    if not ranked:
        return RecommendView([], False, starters(knowledge))
    ids = [role.id for role, _ in ranked]
    suggestions = [Suggestion(Reading("role_info", roles=(ids[0],), facet="skills"))]
    if len(ids) > 1:
        suggestions.append(Suggestion(Reading("compare", roles=tuple(ids[:2]))))
    suggestions.append(Suggestion(Reading("role_info", roles=(ids[0],), facet="career_path")))
    newcomer = ids[0] == advice.newcomer.role and reading.duty is None
    return RecommendView(ranked, newcomer, suggestions)


def _closest_duty(role: Role, question: str) -> str | None:
    found = process.extractOne(
        question.casefold(), [d.text for d in role.duties], scorer=fuzz.token_set_ratio
    )
    return found[0] if found else None


INTENT = Intent("recommend", "recommend", answer)
