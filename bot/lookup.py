"""Knowledge look-up: from a reading to the data its template needs. Knows nothing of Slack.

Each intent has one method here returning a plain dict for ``responses/<intent>.j2``, plus the
next steps to suggest. Code decides what to show; the templates decide how to say it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from rapidfuzz import fuzz

from bot.knowledge import Knowledge
from bot.knowledge.schema import Aspect, FacetId, Fact, Role, is_facet
from bot.understanding.reading import Reading

__all__ = ["MAX_COMPARED", "Lookup", "Suggestion"]

MAX_COMPARED = 4
# What a profile shows when no facet was asked, and what comparisons build rows from when the
# seeds make no explicit comparison of the roles asked.
PROFILE_FACETS: tuple[FacetId, ...] = ("overview", "responsibilities", "metrics", "career_path")
# Facets offered as next steps, most useful first.
SUGGESTED_FACETS = ("career_path", "metrics", "skills", "compensation", "responsibilities")
_MAX_SUGGESTIONS = 3
_FACTS_PER_CELL = 2
_MAX_NOTES = 2
# Rows a comparison shows when no facet was asked; the facet buttons reach the rest.
_MAX_ROWS = 6
# A facet with more facts than this is shown a page at a time, with a "More" button.
FACTS_PER_PAGE = 6


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A next step: the reading a button asks, and the value that carries it."""

    reading: Reading

    @property
    def value(self) -> str:
        return self.reading.to_value()


@dataclass(frozen=True, slots=True)
class Row:
    """One aspect of a comparison: a label and, per role, the facts to show."""

    label: str
    cells: tuple[tuple[Fact, ...], ...]


class Lookup:
    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge

    # -- shared ---------------------------------------------------------------------------

    def common(self) -> dict[str, Any]:
        """Names every template may use."""
        k = self.knowledge
        return {
            "roles_by_id": k.roles,
            "facets": k.facets,
            "topics": k.topics,
            "sources": k.sources,
            "name_of": k.name_of,
        }

    def sanitize(self, reading: Reading) -> Reading:
        """Drop ids the knowledge does not have (button values come from users)."""
        roles = tuple(r for r in dict.fromkeys(reading.roles) if r in self.knowledge.roles)
        topic = reading.topic if reading.topic in self.knowledge.topics else None
        facet = reading.facet if reading.facet in self.knowledge.facets else None
        if reading.intent == "role_info" and len(roles) != 1:
            return (
                Reading("clarify", facet=facet, question=reading.question)
                if not roles
                else (Reading("compare", roles=roles[:MAX_COMPARED], facet=facet))
            )
        if reading.intent == "compare" and len(roles) < 2:
            return Reading("role_info", roles=roles, facet=facet) if roles else Reading("help")
        if reading.intent == "topic" and topic is None:
            return Reading("help")
        if reading.intent == "which_role" and not roles:
            return Reading("help")
        duties = {duty for r in roles for duty in self.knowledge.roles[r].duties}
        duty = reading.duty if reading.duty in duties else None
        return replace(reading, roles=roles, facet=facet, topic=topic, duty=duty)

    def _sources(self, facts: Iterable[Fact]) -> list[Any]:
        ids = dict.fromkeys(f.source for f in facts)
        return [self.knowledge.sources[i] for i in ids if i in self.knowledge.sources]

    def _related(self, role_id: str) -> list[str]:
        """Roles the seeds compare with this one, in knowledge order."""
        seen: dict[str, None] = {}
        for comparison in self.knowledge.comparisons:
            if role_id in comparison.roles:
                seen.update(dict.fromkeys(r for r in comparison.roles if r != role_id))
        return list(seen)

    # -- per intent -----------------------------------------------------------------------

    def role_info(self, reading: Reading) -> dict[str, Any]:
        role = self.knowledge.roles[reading.roles[0]]
        facet = reading.facet
        suggestions = self._suggest_for_role(role, exclude=facet)
        shown: tuple[int, int] | None = None
        total = 0
        if not is_facet(facet):  # a profile: the first facts of a few facets
            sections = [(f, role.facets.get(f, [])[:_FACTS_PER_CELL]) for f in PROFILE_FACETS]
            sections = [(f, facts) for f, facts in sections if facts]
        else:  # one facet, a page of its facts at a time
            facts = role.facets.get(facet, [])
            total = len(facts)
            page = min(reading.page, max(total - 1, 0) // FACTS_PER_PAGE)
            first = page * FACTS_PER_PAGE
            on_page = facts[first : first + FACTS_PER_PAGE]
            sections = [(facet, on_page)] if on_page else []
            shown = (first + 1, first + len(on_page)) if on_page else None
            if first + len(on_page) < total:
                more = replace(reading, page=page + 1, question="")
                suggestions = [Suggestion(more), *suggestions]
        moves = []
        if facet == "career_path":
            moves = [("from", m) for m in self.knowledge.moves_to(role.id)] + [
                ("to", m) for m in self.knowledge.moves_from(role.id)
            ]
        used = [role.summary, *(f for _, facts in sections for f in facts)]
        return {
            "role": role,
            "facet": self.knowledge.facets.get(facet) if facet else None,
            "sections": [(self.knowledge.facets[f], facts) for f, facts in sections],
            "missing": facet is not None and facet not in role.facets,
            "covered": [
                self.knowledge.facets[f] for f in self.knowledge.facets if f in role.facets
            ],
            "moves": moves,
            "shown": shown,
            "total": total,
            "used_sources": self._sources(used),
            "suggestions": suggestions,
        }

    def compare(self, reading: Reading) -> dict[str, Any]:
        roles = [self.knowledge.roles[r] for r in reading.roles[:MAX_COMPARED]]
        comparison = self.knowledge.comparison(reading.roles[:MAX_COMPARED])
        facet = reading.facet
        rows: list[Row] = []
        if comparison is not None:
            aspects = [a for a in comparison.aspects if facet is None or a.facet == facet]
            rows = [self._row_from_aspect(a, roles) for a in aspects]
        if not rows or facet:
            # Profiles fill in what the explicit comparison leaves out (salary figures, say).
            rows += self._profile_rows(roles, (facet,) if is_facet(facet) else PROFILE_FACETS, rows)
        more = [] if facet else rows[_MAX_ROWS:]
        rows = rows if facet else rows[:_MAX_ROWS]
        facts = [f for row in rows for cell in row.cells for f in cell]
        notes = list(comparison.notes)[:_MAX_NOTES] if comparison and facet is None else []
        summary = list(comparison.summary) if comparison else []
        return {
            "roles": roles,
            "comparison": comparison,
            "facet": self.knowledge.facets.get(facet) if facet else None,
            "rows": rows,
            "summary": summary,
            "notes": notes,
            "truncated": len(reading.roles) > MAX_COMPARED,
            "more_rows": [row.label for row in more],
            "used_sources": self._sources([*summary, *facts, *notes]),
            "suggestions": self._suggest_for_compare(roles, exclude=facet),
        }

    def _profile_rows(
        self, roles: list[Role], facets: Iterable[FacetId], above: list[Row]
    ) -> list[Row]:
        """Rows from each role's own facts, leaving out facts the rows above already show."""
        shown = {fact.text for row in above for cell in row.cells for fact in cell}
        rows = []
        for facet in facets:
            cells = tuple(
                tuple(f for f in role.facets.get(facet, ()) if f.text not in shown)[
                    :_FACTS_PER_CELL
                ]
                for role in roles
            )
            if any(cells):
                label = "From each role's profile" if above else self.knowledge.facets[facet].label
                rows.append(Row(label, cells))
        return rows

    @staticmethod
    def _row_from_aspect(aspect: Aspect, roles: list[Role]) -> Row:
        cells = tuple((aspect.values[r.id],) if r.id in aspect.values else () for r in roles)
        return Row(aspect.label, cells)

    def which_role(self, reading: Reading) -> dict[str, Any]:
        duty = reading.duty or ""
        ranked = []
        for role_id in reading.roles:
            role = self.knowledge.roles[role_id]
            facts = [f for fs in role.facets.values() for f in fs]
            best = sorted(facts, key=lambda f: -fuzz.partial_ratio(duty, f.text.casefold()))
            ranked.append((role, best[:1]))
        facts = [f for _, fs in ranked for f in fs]
        suggestions = [Suggestion(Reading("role_info", roles=(r.id,))) for r, _ in ranked[:2]]
        if len(ranked) >= 2:
            suggestions.append(
                Suggestion(Reading("compare", roles=(ranked[0][0].id, ranked[1][0].id)))
            )
        return {
            "duty": duty,
            "ranked": ranked,
            "used_sources": self._sources(facts),
            "suggestions": suggestions[:_MAX_SUGGESTIONS],
        }

    def topic(self, reading: Reading) -> dict[str, Any]:
        topic = self.knowledge.topics[reading.topic or ""]
        related = [self.knowledge.roles[r] for r in topic.related_roles]
        others = [t for t in self.knowledge.topics.values() if t.id != topic.id]
        suggestions = [Suggestion(Reading("role_info", roles=(r.id,))) for r in related]
        suggestions += [Suggestion(Reading("topic", topic=t.id)) for t in others]
        return {
            "topic": topic,
            "related": related,
            "used_sources": self._sources([topic.summary, *topic.facts]),
            "suggestions": suggestions[:_MAX_SUGGESTIONS],
        }

    def list_roles(self, reading: Reading) -> dict[str, Any]:
        del reading
        return {
            "role_list": list(self.knowledge.roles.values()),
            "topic_list": list(self.knowledge.topics.values()),
            "suggestions": self._starters(),
        }

    help = list_roles

    def clarify(self, reading: Reading) -> dict[str, Any]:
        choices = [
            Suggestion(Reading("role_info", roles=(r,), facet=reading.facet))
            for r in self.knowledge.roles
        ]
        return {"facet": self.knowledge.facets.get(reading.facet or ""), "choices": choices}

    def unknown(self, reading: Reading) -> dict[str, Any]:
        step = reading.step if reading.step in {s.id for s in self.knowledge.career.steps} else None
        if step is None:
            return {"step": None, "moves": [], "suggestions": self._starters()}
        moves = [*self.knowledge.moves_to(step), *self.knowledge.moves_from(step)]
        around = [m.from_ if m.to == step else m.to for m in moves]
        roles = [r for r in dict.fromkeys(around) if r in self.knowledge.roles]
        return {
            "step": self.knowledge.name_of(step),
            "moves": moves,
            "used_sources": self._sources(Fact(text=m.note or "-", source=m.source) for m in moves),
            "suggestions": [
                Suggestion(Reading("role_info", roles=(r,), facet="career_path")) for r in roles
            ][:_MAX_SUGGESTIONS],
        }

    # -- next steps -----------------------------------------------------------------------

    def _starters(self) -> list[Suggestion]:
        roles = list(self.knowledge.roles)
        first = self.knowledge.comparisons[0].roles[:2] if self.knowledge.comparisons else roles[:2]
        return [
            Suggestion(Reading("compare", roles=tuple(first))),
            Suggestion(Reading("role_info", roles=(roles[0],), facet="metrics")),
            Suggestion(Reading("list_roles")),
        ]

    def _suggest_for_role(self, role: Role, *, exclude: str | None) -> list[Suggestion]:
        out = [
            Suggestion(Reading("role_info", roles=(role.id,), facet=f))
            for f in SUGGESTED_FACETS
            if f != exclude and f in role.facets
        ][:2]
        out += [Suggestion(Reading("compare", roles=(role.id, r))) for r in self._related(role.id)]
        return out[:_MAX_SUGGESTIONS]

    def _suggest_for_compare(self, roles: list[Role], *, exclude: str | None) -> list[Suggestion]:
        ids = tuple(r.id for r in roles)
        shared = [f for f in SUGGESTED_FACETS if f != exclude and any(f in r.facets for r in roles)]
        out = [Suggestion(Reading("compare", roles=ids, facet=f)) for f in shared[:2]]
        out += [Suggestion(Reading("role_info", roles=(r,), facet="career_path")) for r in ids[:1]]
        return out[:_MAX_SUGGESTIONS]
