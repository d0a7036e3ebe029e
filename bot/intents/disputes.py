""""Where do the articles disagree?": each disagreement the knowledge records, with every view
and its source; of the roles and facet asked, when the question names them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.intents.base import (
    MAX_SUGGESTIONS,
    Context,
    Intent,
    Suggestion,
    duty_owner,
    text_roots,
)
from bot.knowledge.schema import Disagreement, Role
from bot.understanding.reading import Reading

__all__ = ["INTENT", "DisputesView", "answer"]


@dataclass(frozen=True, slots=True)
class DisputesView:
    # The roles and facet the question asked about (none: every disagreement).
    roles: Sequence[Role]
    facet: str | None
    # Each disagreement asked about, with the role it is recorded on. Empty when none is.
    disputes: Sequence[tuple[Role, Disagreement]]
    # With none of the roles' or facet's: how many the articles have elsewhere.
    elsewhere: int
    suggestions: Sequence[Suggestion]


def answer(reading: Reading, ctx: Context) -> DisputesView:
    knowledge = ctx.knowledge
    every = [(role, d) for role in knowledge.roles.values() for d in role.disagreements]
    # a disagreement is about the role it is recorded on, and about the roles whose duties
    # show it ("who is the first point of contact?": the SDR's)
    duties = {role.id: {d.text for d in role.duties} for role in knowledge.roles.values()}
    asked = [
        (role, d)
        for role, d in every
        if (
            not reading.roles
            or role.id in reading.roles
            or any(duties.get(r, set()) & set(d.duties) for r in reading.roles)
        )
        # a facet asked, or words of one shown only for "who does X?"
        and (reading.facet is None or reading.facet in d.facets or not d.facets)
    ]
    # "which article is right about how senior AEs are?": those sharing most of the words the
    # question names its subject in (not a role's name, the words asking, the facet's own)
    # with what they are about and what their views say ("an ad-campaign role?")
    names = {w for role in knowledge.roles.values() for n in role.names for w in text_roots(n)}
    asking = {w for cue in knowledge.vocabulary.dispute_cues for w in text_roots(cue)}
    facet = knowledge.facets.get(reading.facet or "")
    naming = {w for k in (facet.keywords if facet else ()) for w in text_roots(k)}
    words = text_roots(reading.question) - names - asking - naming
    said = [text_roots(" ".join([d.about, *(v.text for v in d.views)])) for _, d in asked]
    shared = [len(words & roots) for roots in said]
    most = max(shared, default=0)
    asked = [item for item, n in zip(asked, shared, strict=True) if n == most] if most else asked
    if not most and reading.facet is not None:  # of a facet, and no words of one: the facet's
        asked = [(role, d) for role, d in asked if reading.facet in d.facets]
    roles = [knowledge.roles[r] for r in reading.roles if r in knowledge.roles]
    # with none of what was asked, the first of the others
    shown, named = (asked, reading.roles) if asked else (every, ())
    # where each disagreement shows in an answer: the facet of the role it is recorded on, or
    # "who does X?" on a duty of the role asked about, of its owner
    nexts = []
    for role, d in shown:
        if d.facets and (not named or role.id in named):
            nexts.append(Reading("role_info", roles=(role.id,), facet=d.facets[0]))
            continue
        mine = [(r, x) for r in named for x in d.duties if x in duties.get(r, set())]
        owner, duty = mine[0] if mine else (duty_owner(knowledge, d.duties[0]), d.duties[0])
        if owner is not None:
            nexts.append(Reading("which_role", roles=(owner,), duty=duty))
    suggestions = [Suggestion(r) for r in dict.fromkeys(nexts)][:MAX_SUGGESTIONS]
    return DisputesView(roles, reading.facet, asked, len(every), suggestions)


INTENT = Intent("disputes", "disputes", answer)
