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
    asked_first,
    evidence,
    lines,
    resting_on,
    starters,
)
from bot.knowledge import Knowledge
from bot.knowledge.schema import FacetId, Fact, Goal, Role
from bot.understanding.reading import Reading
from bot.understanding.recommend import named_degrees, named_goals

__all__ = ["INTENT", "RecommendView", "answer"]

# The facet whose facts say which degrees prepare for a role.
_DEGREE_FACET: FacetId = "education"
# The first role's facets offered after a recommendation.
_NEXT_FACETS: tuple[FacetId, ...] = ("skills", "career_path")


@dataclass(frozen=True, slots=True)
class RecommendView:
    # Best first: each role and the facts that make it a fit.
    ranked: Sequence[tuple[Role, Sequence[Fact]]]
    # Whether the newcomer's role is first because the question said the asker is new.
    newcomer: bool
    # Whether the question asked which role to avoid: the roles are those whose work includes
    # what the asker would rather not do, each with the fact that says so.
    avoid: bool
    # Whether, with ``avoid``, the question asked which role fits, telling only what the
    # asker would rather not do.
    disliked_only: bool
    suggestions: Sequence[Suggestion]


def answer(reading: Reading, ctx: Context) -> RecommendView:
    knowledge = ctx.knowledge
    ranked = [
        (knowledge.roles[role_id], _reasons(reading, i, knowledge.roles[role_id], ctx))
        for i, role_id in enumerate(reading.roles)
    ]
    if not ranked:
        return RecommendView([], False, reading.avoid, False, starters(knowledge))
    ids = [role.id for role, _ in ranked]
    # the first role's skills and career path, where the articles cover them (the NAM's they
    # do not): never a button to "my sources say nothing"
    own: list[FacetId | None] = [f for f in _NEXT_FACETS if f in ranked[0][0].facets] or [None]
    suggestions = [Suggestion(Reading("role_info", roles=(ids[0],), facet=own[0]))]
    if len(ids) > 1:
        suggestions.append(Suggestion(Reading("compare", roles=tuple(ids[:2]))))
    suggestions += [Suggestion(Reading("role_info", roles=(ids[0],), facet=f)) for f in own[1:]]
    if reading.also_asked:  # "which role fits me? and do those roles pay well?"
        also = Reading("role_info", roles=(ids[0],), facet=reading.also_asked)
        suggestions = asked_first(suggestions, also, [ranked[0][0]])
    newcomer = ids[0] == knowledge.recommend.newcomer.role and reading.duty is None
    fit = newcomer and not reading.avoid
    return RecommendView(ranked, fit, reading.avoid, reading.disliked_only, suggestions)


def _reasons(reading: Reading, rank: int, role: Role, ctx: Context) -> list[Fact]:
    """The facts that make a role fit (or, asked which to avoid, include what the asker would
    rather not do): the newcomer's, a degree's, a duty's and the role's self-check."""
    advice = ctx.knowledge.recommend
    studied = {d.role: d for d in named_degrees(advice.degrees, reading.question)}
    # Entry-level openings the articles name beside the newcomer's role, for someone new.
    new = reading.roles[0] == advice.newcomer.role and reading.duty is None
    openings = [also for also in advice.newcomer.also if new and also.role == role.id]
    # The duty matched (the first role's, or the same asked of the others), else the other
    # role's duty closest to what was said (not for a role its degree or opening brought in).
    if rank == 0 or reading.duty:
        duty = reading.duty
    elif role.id in studied or openings:
        duty = None
    else:
        duty = _closest_duty(role, reading.question)
    shown = [] if duty is None else [evidence(role, duty)]
    if reading.avoid:
        return shown
    reasons: list[Fact] = []
    if role.id == advice.newcomer.role and (reading.duty is None or rank == 0):
        reasons += resting_on(role, advice.newcomer.source)
    for also in openings:
        reasons += resting_on(role, also.source, also.facet)
    for goal in named_goals(advice.goals, reading.question):
        if goal.role == role.id:  # "I want to manage a team eventually": the role, the way in
            reasons += _one_per_line(role, goal)
            reasons += _way_to(ctx.knowledge, role.id)
    for trait in named_goals(advice.traits, reading.question) if reading.duty is None else ():
        if trait.role == role.id:  # "I'm competitive": the lines tying the role to it
            reasons += _one_per_line(role, trait)
    if role.id in studied:  # "I'm a journalism graduate": the facts naming the degree
        education = role.facets.get(_DEGREE_FACET, [])
        reasons += [f for f in resting_on(role, studied[role.id].source) if f in education]
    reasons += shown
    for check in advice.checks:
        if check.role == role.id:
            reasons += resting_on(role, check.source, check.facet)
    return list(dict.fromkeys(reasons))


def _one_per_line(role: Role, goal: Goal) -> list[Fact]:
    """The role's first fact resting on each line the goal cites: what it is, not all of it."""
    facts = resting_on(role, goal.source)
    wanted = [(ref.id, n) for ref in goal.source for n in ref.lines]
    firsts = (next((f for f in facts if at in lines([f])), None) for at in wanted)
    return list(dict.fromkeys(f for f in firsts if f is not None))


def _way_to(knowledge: Knowledge, role_id: str) -> list[Fact]:
    """How the articles say one reaches a role: the noted moves into it from other roles, and
    the noted moves into those, earliest first (SDR to AE, then AE to sales manager)."""
    moves = [m for m in knowledge.career.moves if m.note and m.from_ in knowledge.roles]
    into = [m for m in moves if m.to == role_id]
    before = [m for m in moves if m.to in {m.from_ for m in into} and m.from_ != role_id]
    return [Fact(text=m.note, source=m.source) for m in (*before, *into) if m.note]


def _closest_duty(role: Role, question: str) -> str | None:
    found = process.extractOne(
        question.casefold(), [d.text for d in role.duties], scorer=fuzz.token_set_ratio
    )
    return found[0] if found else None


INTENT = Intent("recommend", "recommend", answer)
