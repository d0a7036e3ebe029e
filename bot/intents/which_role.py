""""Who does X?": each role with the fact that shows it does X, or, when no role's duties
cover X, the nearest duty they do cover."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.intents.base import (
    MAX_SUGGESTIONS,
    Context,
    Intent,
    Suggestion,
    duty_owner,
    evidence,
    starters,
)
from bot.knowledge.schema import Disagreement, Fact, Role
from bot.understanding.reading import Reading

__all__ = ["INTENT", "WhichRoleView", "answer"]


@dataclass(frozen=True, slots=True)
class WhichRoleView:
    duty: str | None
    # Best first: each role and the fact that shows it does the duty. Empty when no role's
    # duties cover what was asked.
    ranked: Sequence[tuple[Role, Fact]]
    suggestions: Sequence[Suggestion]
    # What the articles disagree on about the duties matched ("who takes over the client
    # from the AE?": whether AEs manage existing accounts).
    disagreements: Sequence[Disagreement] = ()
    # When no role's duties cover what was asked: the role whose duty comes nearest, with
    # the fact that shows it ("who does the sales forecast?": leading the sales team).
    nearest: tuple[Role, Fact] | None = None
    # The first role's facts showing the rest of the work asked ("who handles renewals and
    # upselling?": the AM's upselling, after its renewals).
    more: Sequence[Fact] = ()


def answer(reading: Reading, ctx: Context) -> WhichRoleView:
    knowledge = ctx.knowledge
    if not reading.roles:
        owner = duty_owner(knowledge, reading.duty) if reading.duty else None
        if owner is None or reading.duty is None:
            return WhichRoleView(duty=None, ranked=[], suggestions=starters(knowledge))
        role = knowledge.roles[owner]
        page = Suggestion(Reading("role_info", roles=(owner,), facet="responsibilities"))
        return WhichRoleView(
            duty=reading.duty,
            ranked=[],
            suggestions=[page, *starters(knowledge)][:MAX_SUGGESTIONS],
            nearest=(role, evidence(role, reading.duty)),
        )
    roles = [knowledge.roles[r] for r in reading.roles]
    own = dict(zip(reading.roles, reading.duties, strict=False))
    ranked = [(role, evidence(role, own.get(role.id, reading.duty))) for role in roles]
    shown = [ranked[0][1]]
    for duty in reading.more_duties:
        fact = evidence(roles[0], duty)
        if fact not in shown:
            shown.append(fact)
    suggestions = [Suggestion(Reading("role_info", roles=(r.id,))) for r in roles[:2]]
    if len(roles) >= 2:
        suggestions.append(Suggestion(Reading("compare", roles=(roles[0].id, roles[1].id))))
    matched = {reading.duty, *reading.duties, *reading.more_duties}
    disputed = [
        d for r in knowledge.roles.values() for d in r.disagreements if matched & set(d.duties)
    ]
    return WhichRoleView(
        reading.duty, ranked, suggestions[:MAX_SUGGESTIONS], disputed, more=shown[1:]
    )


INTENT = Intent("which_role", "which_role", answer)
