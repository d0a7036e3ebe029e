"""A question the bot declines; a career step the articles name only as a step; or a sales
role no article describes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from bot.intents.base import MAX_SUGGESTIONS, Context, Intent, Suggestion, starters
from bot.knowledge.grounding import content_stems
from bot.knowledge.schema import CareerMove, FacetDef, Role
from bot.understanding.reading import Reading

__all__ = ["INTENT", "UnknownView", "answer"]

# How close (rapidfuzz ratio, 0-100) a declined question must come to a suggested one to be
# answered "Did you mean ...?" rather than declined.
_NEAR_MISS = 80.0


@dataclass(frozen=True, slots=True)
class UnknownView:
    # The career step asked about, by name, when the question names one.
    step: str | None
    moves: Sequence[CareerMove]
    suggestions: Sequence[Suggestion]
    # The question comes so close to a suggested one that it was probably meant.
    near_miss: bool = False
    # The facet asked of the career step, which the articles say nothing on.
    facet: FacetDef | None = None
    # A sales role no article describes, asked about ("what does a sales engineer do?"), and
    # the roles they do describe.
    uncovered: str | None = None
    covered: Sequence[Role] = ()


def answer(reading: Reading, ctx: Context) -> UnknownView:
    knowledge = ctx.knowledge
    if reading.uncovered:
        described = list(knowledge.roles.values())
        about = [Suggestion(Reading("role_info", roles=(r.id,))) for r in described]
        return UnknownView(
            None, [], about[:MAX_SUGGESTIONS], uncovered=reading.uncovered, covered=described
        )
    steps = {s.id for s in knowledge.career.steps}
    if reading.step not in steps or reading.step is None:
        # "how much does Sarah make? she's an AE": the general question about the role first
        named, facet = reading.declined_about
        general = [
            Suggestion(Reading("role_info", roles=(r,), facet=facet))
            for r in named[:1]
            if r in knowledge.roles and (facet is None or facet in knowledge.roles[r].facets)
        ]
        closest = _closest(reading.question, ctx)
        if not closest:
            return UnknownView(None, [], [*general, *starters(knowledge)][:MAX_SUGGESTIONS])
        near = closest[0][1] >= _NEAR_MISS and not general
        offered = [*general, *(s for s, _ in closest)][:MAX_SUGGESTIONS]
        return UnknownView(None, [], offered, near_miss=near)
    step = reading.step
    into = knowledge.moves_to(step)
    # the way there, one move further back ("how long does it take to become an account
    # director?": junior AM to AM, then AM to director)
    asked_else = reading.facet not in {None, "career_path", "experience"}  # "... make?"
    before = [] if asked_else else [m for move in into for m in knowledge.moves_to(move.from_)]
    moves = [*before, *into, *knowledge.moves_from(step)]
    around = [m.from_ if m.to == step else m.to for m in moves]
    roles = [r for r in dict.fromkeys(around) if r in knowledge.roles]
    # "how much does a sales director make?": first the facet asked of the roles around it
    asked = [
        Suggestion(Reading("role_info", roles=(r,), facet=reading.facet))
        for r in roles
        if reading.facet not in {None, "career_path"} and reading.facet in knowledge.roles[r].facets
    ]
    paths = [Suggestion(Reading("role_info", roles=(r,), facet="career_path")) for r in roles]
    said_nothing = knowledge.facets.get(reading.facet or "")
    return UnknownView(
        knowledge.name_of(step), moves, [*asked, *paths][:MAX_SUGGESTIONS], facet=said_nothing
    )


def _closest(question: str, ctx: Context) -> list[tuple[Suggestion, float]]:
    """The example questions the bot suggests that come closest to ``question``, with how
    close (0-100): those sharing most of its words first ("who's my manager?" is offered
    what a sales manager earns before what BANT is), then by spelling."""
    asked = {s.question: s for s in ctx.examples if s.question}
    found = process.extract(
        question, list(asked), scorer=fuzz.ratio, processor=utils.default_process, limit=None
    )
    words = content_stems(question)
    # Best first; on a tie (nothing in common), the order the examples are listed in.
    ranked = sorted(found, key=lambda hit: (-len(words & content_stems(hit[0])), -hit[1], hit[2]))
    return [(asked[text], score) for text, score, _ in ranked[:MAX_SUGGESTIONS]]


INTENT = Intent("unknown", "unknown", answer)
