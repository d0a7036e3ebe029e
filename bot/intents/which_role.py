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


def answer(reading: Reading, ctx: Context) -> WhichRoleView:
    knowledge = ctx.knowledge
    if not reading.roles:
        owner = duty_owner(knowledge, reading.duty) if reading.duty else None
        ask = [Reading("which_role", roles=(owner,), duty=reading.duty)] if owner else []
        nearest = [Suggestion(r) for r in ask]
        return WhichRoleView(
            duty=reading.duty if owner else None,
            ranked=[],
            suggestions=[*nearest, *starters(knowledge)][:MAX_SUGGESTIONS],
        )
    roles = [knowledge.roles[r] for r in reading.roles]
    own = dict(zip(reading.roles, reading.duties, strict=False))
    ranked = [(role, evidence(role, own.get(role.id, reading.duty))) for role in roles]
    suggestions = [Suggestion(Reading("role_info", roles=(r.id,))) for r in roles[:2]]
    if len(roles) >= 2:
        suggestions.append(Suggestion(Reading("compare", roles=(roles[0].id, roles[1].id))))
    matched = {reading.duty, *reading.duties}
    disputed = [
        d for r in knowledge.roles.values() for d in r.disagreements if matched & set(d.duties)
    ]
    return WhichRoleView(reading.duty, ranked, suggestions[:MAX_SUGGESTIONS], disputed)


INTENT = Intent("which_role", "which_role", answer)
