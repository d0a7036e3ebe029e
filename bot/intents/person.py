"""Someone an article quotes, asked about ("who is John Golden?"): who they are, and what the
articles say they said or did, from the facts of the role they speak of."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.intents.base import (
    Context,
    Intent,
    Suggestion,
    by_the_question,
    resting_on,
    unrepeated,
)
from bot.knowledge.schema import Fact, Person, Role
from bot.understanding.reading import Reading

__all__ = ["INTENT", "PersonView", "answer"]


@dataclass(frozen=True, slots=True)
class PersonView:
    # Who is asked about, or None for everyone the articles quote (``everyone``).
    person: Person | None
    # The role they speak of, and its facts resting on the lines that tell of them.
    role: Role | None
    facts: Sequence[Fact]
    everyone: Sequence[Person]
    suggestions: Sequence[Suggestion]


def answer(reading: Reading, ctx: Context) -> PersonView:
    knowledge = ctx.knowledge
    people = knowledge.vocabulary.people
    person = next((p for p in people if p.name == reading.person), None)
    if person is None:  # "which people are quoted in the articles?": who each one is
        asks = [
            Suggestion(Reading("person", roles=(p.role,), person=p.name), f"Who is {p.name}?")
            for p in people
        ]
        return PersonView(None, None, [], people, asks)
    # the role asked of them ("what did John Golden say about AEs?"), else the one they speak of
    role = knowledge.roles[reading.roles[0] if reading.roles else person.role]
    told = unrepeated([f for f in resting_on(role, person.about.source) if f != person.about])
    facts = by_the_question(ctx, reading.question, told)
    suggestions = [
        Suggestion(Reading("role_info", roles=(role.id,), facet=person.facet)),
        Suggestion(Reading("role_info", roles=(role.id,))),
    ]
    return PersonView(person, role, facts, [], suggestions)


INTENT = Intent("person", "person", answer)
