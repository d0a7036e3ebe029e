"""Someone an article quotes, asked about ("who is John Golden?"): who they are, and what the
articles say they said or did, from the facts of the role they speak of."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.intents.base import Context, Intent, Suggestion, resting_on
from bot.knowledge.schema import Fact, Person, Role
from bot.understanding.reading import Reading

__all__ = ["INTENT", "PersonView", "answer"]


@dataclass(frozen=True, slots=True)
class PersonView:
    person: Person
    # The role they speak of, and its facts resting on the lines that tell of them.
    role: Role
    facts: Sequence[Fact]
    suggestions: Sequence[Suggestion]


def answer(reading: Reading, ctx: Context) -> PersonView:
    knowledge = ctx.knowledge
    person = next(p for p in knowledge.vocabulary.people if p.name == reading.person)
    role = knowledge.roles[person.role]
    facts = [f for f in resting_on(role, person.about.source) if f != person.about]
    suggestions = [
        Suggestion(Reading("role_info", roles=(role.id,), facet=person.facet)),
        Suggestion(Reading("role_info", roles=(role.id,))),
    ]
    return PersonView(person, role, facts, suggestions)


INTENT = Intent("person", "person", answer)
