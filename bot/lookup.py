"""Knowledge look-up: from a reading to the data its template needs. Knows nothing of Slack.

Each intent has one method here returning a plain dict for ``responses/<intent>.j2``, plus the
next steps to suggest. Code decides what to show; the templates decide how to say it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from rapidfuzz import fuzz

from bot.knowledge import Knowledge
from bot.knowledge.schema import Aspect, Disagreement, FacetId, Fact, Role, is_facet
from bot.understanding.reading import Reading

__all__ = ["MAX_COMPARED", "Lookup", "Row", "Suggestion"]

MAX_COMPARED = 4
# What a profile shows when no facet was asked, and what comparisons build rows from when the
# seeds make no explicit comparison of the roles asked.
PROFILE_FACETS: tuple[FacetId, ...] = ("overview", "responsibilities", "metrics", "career_path")
# Facets offered as next steps, most useful first.
SUGGESTED_FACETS = ("career_path", "metrics", "skills", "compensation", "responsibilities")
_MAX_SUGGESTIONS = 3
_FACTS_PER_CELL = 2
# How much fact text the first screen of a comparison holds (two roles, three or four); the
# rest of the comparison is one "More" click away.
_FIRST_SCREEN = {2: 900, 3: 1300, 4: 1500}
_FIGURE = re.compile(r"\d[\d,.]*")


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A next step: the reading a button asks, and the value that carries it."""

    reading: Reading

    @property
    def value(self) -> str:
        return self.reading.to_value()


@dataclass(frozen=True, slots=True)
class Row:
    """One aspect of a comparison: a label, per role the facts to show, and its facet."""

    label: str
    cells: tuple[tuple[Fact, ...], ...]
    facet: str | None = None

    @property
    def size(self) -> int:
        return sum(len(f.text) for cell in self.cells for f in cell)


@dataclass(frozen=True, slots=True)
class Page:
    """One screen of a comparison: its rows and the disagreements about their facets."""

    rows: list[Row]
    disagreements: list[Disagreement]


def _lines(facts: Iterable[Fact]) -> set[tuple[str, int]]:
    """The (article, line) pairs some facts rest on."""
    return {(ref.id, n) for f in facts for ref in f.source for n in ref.lines}


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
        duty = reading.duty if self._has_duty(roles, reading.duty) else None
        gap = reading.gap if reading.gap in self.knowledge.gaps else None
        return replace(reading, roles=roles, facet=facet, topic=topic, duty=duty, gap=gap)

    def _has_duty(self, roles: tuple[str, ...], text: str | None) -> bool:
        """Whether ``text`` is a duty of one of these roles (of any role when none)."""
        if text is None:
            return False
        owners = roles or tuple(self.knowledge.roles)
        return any(duty.text == text for r in owners for duty in self.knowledge.roles[r].duties)

    def _related(self, role_id: str) -> list[str]:
        """Roles the seeds compare with this one, in knowledge order."""
        seen: dict[str, None] = {}
        for comparison in self.knowledge.comparisons:
            if role_id in comparison.roles:
                seen.update(dict.fromkeys(r for r in comparison.roles if r != role_id))
        return list(seen)

    # -- per intent -----------------------------------------------------------------------

    def _disagreements(self, roles: Sequence[Role], facet: str | None) -> list[Disagreement]:
        """What the articles disagree on about these roles, for this facet (or any)."""
        return [
            d for r in roles for d in r.disagreements if facet is None or facet in d.facets
        ]

    def role_info(self, reading: Reading) -> dict[str, Any]:
        role = self.knowledge.roles[reading.roles[0]]
        facet = reading.facet
        disagreements = self._disagreements([role], facet or "overview")
        # A fact that is one side of a disagreement is shown there, with the other side; one
        # resting only on the lines of the summary above it would say the same again.
        views = {v.text for d in disagreements for v in d.views}
        summary = _lines([role.summary]) if facet is None or facet not in role.facets else set()

        def fresh(fact: Fact) -> bool:
            return fact.text not in views and not _lines([fact]) <= summary

        if not is_facet(facet):  # a profile: the first facts of a few facets
            sections = [
                (f, [x for x in role.facets.get(f, []) if fresh(x)][:_FACTS_PER_CELL])
                for f in PROFILE_FACETS
            ]
        else:  # the facet asked, in full: a list someone asked for is never cut short
            sections = [(facet, [x for x in role.facets.get(facet, []) if fresh(x)])]
        sections = [(f, facts) for f, facts in sections if facts]
        moves = []
        if facet == "career_path":
            moves = [("from", m) for m in self.knowledge.moves_to(role.id)] + [
                ("to", m) for m in self.knowledge.moves_from(role.id)
            ]
        shown = [f for _, facts in sections for f in facts]
        gap = self.knowledge.gaps.get(reading.gap or "")
        return {
            "role": role,
            "facet": self.knowledge.facets.get(facet) if facet else None,
            "sections": [(self.knowledge.facets[f], facts) for f, facts in sections],
            "missing": facet is not None and facet not in role.facets,
            "gap": gap,
            # Pay asked of a role the articles give no figure for: say so, never borrow one.
            "no_figure": facet == "compensation" and not any(_FIGURE.search(f.text) for f in shown),
            "covered": [
                self.knowledge.facets[f] for f in self.knowledge.facets if f in role.facets
            ],
            "disagreements": disagreements,
            "moves": moves,
            "suggestions": self._suggest_for_role(role, exclude=facet),
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
            # Each role's own facts fill in what the explicit comparison leaves out (salary
            # figures), or stand in for a comparison the articles do not make.
            rows += self._profile_rows(roles, (facet,) if is_facet(facet) else PROFILE_FACETS, rows)
        notes = list(comparison.notes) if comparison and facet is None else []
        # A disagreement the comparison's own cells already give, both sides cited, is not
        # repeated below them.
        shown = _lines(f for row in rows for cell in row.cells for f in cell)
        disagreements = [
            d
            for d in self._disagreements(roles, facet)
            if sum(_lines([v]) <= shown for v in d.views) < 2
        ]
        summary = list(comparison.summary) if comparison else []
        if facet:  # the facet asked, in full
            pages = [Page(rows, disagreements)]
        else:
            budget = _FIRST_SCREEN[min(len(roles), MAX_COMPARED)]
            first = budget - sum(len(f.text) for f in summary)
            pages = self._pages(rows, disagreements, first, budget)
        page = min(reading.page, len(pages) - 1)
        last = page == len(pages) - 1
        summary = summary if page == 0 else []
        more = [Suggestion(replace(reading, page=page + 1, question=""))] if not last else []
        return {
            "roles": roles,
            "comparison": comparison,
            "facet": self.knowledge.facets.get(facet) if facet else None,
            "rows": pages[page].rows,
            "page": page,
            "summary": summary,
            "notes": notes if last else [],
            "disagreements": pages[page].disagreements,
            "truncated": len(reading.roles) > MAX_COMPARED,
            "more_rows": [row.label for p in pages[page + 1 :] for row in p.rows],
            "suggestions": [*more, *self._suggest_for_compare(roles, exclude=facet)],
        }

    @staticmethod
    def _pages(
        rows: list[Row], disagreements: list[Disagreement], first: int, budget: int
    ) -> list[Page]:
        """Rows split into screens of at most ``first`` characters of facts for the first
        screen and ``budget`` for the others. A disagreement joins the screen of a row of a
        facet it is about, one a screen, where it fits; any left over end the last screen."""
        pages = [Page([], [])]
        used = budget - first
        left = list(disagreements)
        for row in rows:
            if pages[-1].rows and used + row.size > budget:
                pages.append(Page([], []))
                used = 0
            pages[-1].rows.append(row)
            used += row.size
            facet = row.facet or "overview"
            fits = [
                d
                for d in left
                if facet in d.facets and used + sum(len(v.text) for v in d.views) <= budget
            ]
            if fits and not pages[-1].disagreements:
                pages[-1].disagreements.append(fits[0])
                used += sum(len(v.text) for v in fits[0].views)
                left.remove(fits[0])
        pages[-1].disagreements.extend(left)
        return pages

    def _profile_rows(
        self, roles: list[Role], facets: Iterable[FacetId], above: list[Row]
    ) -> list[Row]:
        """Rows from each role's own facts, leaving out what the rows above already show:
        the same fact, or a fact giving only figures already shown."""
        shown = [fact for row in above for cell in row.cells for fact in cell]
        # Facts shown above, and facts that are one side of a disagreement (shown as such).
        views = [v for role in roles for d in role.disagreements for v in d.views]
        texts = {f.text for f in [*shown, *views]}
        figures = {n for f in shown for n in _FIGURE.findall(f.text)}
        lines = _lines(shown)

        def new(fact: Fact) -> bool:
            """Not shown above, not resting only on lines shown above, not only figures
            shown above."""
            numbers = set(_FIGURE.findall(fact.text))
            if fact.text in texts or _lines([fact]) <= lines:
                return False
            return not (numbers and numbers <= figures)

        rows = []
        for facet in facets:
            cells = tuple(
                tuple(f for f in role.facets.get(facet, []) if new(f))[:_FACTS_PER_CELL]
                for role in roles
            )
            if any(cells):
                label = self.knowledge.facets[facet].label
                title = f"{label} (each role's profile)" if above else label
                rows.append(Row(title, cells, facet))
        return rows

    @staticmethod
    def _row_from_aspect(aspect: Aspect, roles: list[Role]) -> Row:
        cells = tuple((aspect.values[r.id],) if r.id in aspect.values else () for r in roles)
        return Row(aspect.label, cells, aspect.facet)

    def which_role(self, reading: Reading) -> dict[str, Any]:
        """Each role with the fact that shows it does the duty; or, when no role's duties
        cover what was asked, the nearest duty they do cover."""
        if not reading.roles:
            nearest = self._duty_owner(reading.duty) if reading.duty else None
            suggestions = [
                Suggestion(Reading("which_role", roles=(owner,), duty=reading.duty))
                for owner in ([nearest] if nearest else [])
            ]
            return {
                "duty": reading.duty if nearest else None,
                "ranked": [],
                "suggestions": [*suggestions, *self._starters()][:_MAX_SUGGESTIONS],
            }
        roles = [self.knowledge.roles[r] for r in reading.roles]
        ranked = [(role, self._evidence(role, reading.duty)) for role in roles]
        suggestions = [Suggestion(Reading("role_info", roles=(r.id,))) for r, _ in ranked[:2]]
        if len(ranked) >= 2:
            suggestions.append(
                Suggestion(Reading("compare", roles=(ranked[0][0].id, ranked[1][0].id)))
            )
        return {
            "duty": reading.duty,
            "ranked": ranked,
            "suggestions": suggestions[:_MAX_SUGGESTIONS],
        }

    def _duty_owner(self, duty: str) -> str | None:
        return next(
            (r.id for r in self.knowledge.roles.values() if any(d.text == duty for d in r.duties)),
            None,
        )

    @staticmethod
    def _evidence(role: Role, duty: str | None) -> Fact:
        """The role's fact that shows it does ``duty``: one resting on a line the duty cites
        (validate makes sure there is one), the closest in wording first."""
        facts = [role.summary, *(f for fs in role.facets.values() for f in fs)]
        cited = {
            (ref.id, line)
            for d in role.duties
            if d.text == duty
            for ref in d.source
            for line in ref.lines
        }
        backing = [
            f for f in facts if cited & {(r.id, line) for r in f.source for line in r.lines}
        ]
        if not backing:
            return role.summary
        wanted = (duty or "").casefold()
        return max(backing, key=lambda f: fuzz.partial_ratio(wanted, f.text.casefold()))

    def topic(self, reading: Reading) -> dict[str, Any]:
        topic = self.knowledge.topics[reading.topic or ""]
        related = [self.knowledge.roles[r] for r in topic.related_roles]
        others = [t for t in self.knowledge.topics.values() if t.id != topic.id]
        suggestions = [Suggestion(Reading("role_info", roles=(r.id,))) for r in related]
        suggestions += [Suggestion(Reading("topic", topic=t.id)) for t in others]
        return {
            "topic": topic,
            "related": related,
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
