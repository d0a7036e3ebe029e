"""Two to four roles side by side: the comparison the articles make, or each role's own facts,
a screen at a time, with what the articles disagree on."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise, permutations

from bot.intents.base import (
    FIGURE,
    MAX_COMPARED,
    PROFILE_FACETS,
    Context,
    Intent,
    Suggestion,
    asked_first,
    by_article,
    by_the_question,
    disagreements,
    gap_asked,
    given_by,
    lines,
    restates,
    suggest_for_compare,
    to_the_point,
    unrepeated,
)
from bot.knowledge import Knowledge
from bot.knowledge.grounding import content_stems
from bot.knowledge.schema import (
    Aspect,
    CareerMove,
    Comparison,
    Disagreement,
    FacetDef,
    FacetId,
    Fact,
    Gap,
    Note,
    Role,
    Source,
    is_facet,
)
from bot.understanding.reading import Reading

__all__ = ["INTENT", "CompareView", "Row", "answer"]

# How much fact text the first screen of a comparison holds (two roles, three or four); the
# rest of the comparison is one "More" click away.
_FIRST_SCREEN = {2: 900, 3: 1300, 4: 1500}
_FACTS_PER_CELL = 2
# Words asking what roles have in common.
_SHARED = re.compile(r"\b(?:both|in common|share|shared|either)\b", re.IGNORECASE)
# A salary in dollars, as the articles give them ("$83,778").
_DOLLARS = re.compile(r"\$(\d{1,3}(?:,\d{3})+|\d+)")


@dataclass(frozen=True, slots=True)
class Row:
    """One aspect of a comparison: a label, per role the facts to show, and its facet."""

    label: str
    cells: tuple[tuple[Fact, ...], ...]
    facet: str | None = None

    @property
    def size(self) -> int:
        return sum(len(f.text) for cell in self.cells for f in cell)


@dataclass(slots=True)
class _Page:
    """One screen of a comparison: its rows and the disagreements about their facets."""

    rows: list[Row] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CompareView:
    roles: Sequence[Role]
    comparison: Comparison | None
    facet: FacetDef | None
    # A second facet asked ("... on pay and seniority", "which one is better paid, and do
    # they travel?"), compared on the same screen.
    also: FacetDef | None
    # Something asked that no article covers, answered with the nearest facet.
    gap: Gap | None
    rows: Sequence[Row]
    page: int
    summary: Sequence[Fact]
    notes: Sequence[Fact]
    disagreements: Sequence[Disagreement]
    # For a disagreement some of whose views the table gives: how many.
    partly: Mapping[str, int]
    # More roles were asked than a comparison holds.
    truncated: bool
    # The labels of the rows still to come on later screens.
    more_rows: Sequence[str]
    # The facets asked, in full: what each role's own facts add to the rows, role by role, in
    # groups (one, or one per article for a long list), with the facet they are on.
    rest: Sequence[tuple[Role, FacetDef, Sequence[tuple[Source | None, Sequence[Fact]]]]]
    # The facets the articles say nothing about for some roles, where they cover others: said
    # once (the roles missing the same facets together), rather than as empty cells.
    uncovered: Sequence[tuple[Sequence[Role], Sequence[FacetDef]]]
    # Pay compared: the roles the articles give no salary figure for, among those they say
    # something on pay for.
    no_figure: Sequence[Role]
    # The roles in the order the articles' career moves put them, one move from each to the
    # next ("SDR -> AE -> sales manager"), for a comparison on experience or career path.
    ladder: Sequence[CareerMove]
    # The question asks what the roles share ("what skills do both AEs and AMs need?"): the
    # notes on both come first.
    shared: bool
    # Two salaries one article gives, compared: the higher's role, the lower's, and by how
    # much a year, worked out from the figures the table shows.
    pay_gap: tuple[Role, Role, int] | None
    # A facet asked in words of its own ("AE vs SDR vs AM: who talks to C-level people?"):
    # each role's fact that answers it, first (``to_the_point``).
    points: Sequence[tuple[Role, Sequence[Fact]]]
    suggestions: Sequence[Suggestion]


def answer(reading: Reading, ctx: Context) -> CompareView:
    knowledge = ctx.knowledge
    roles = [knowledge.roles[r] for r in reading.roles[:MAX_COMPARED]]
    comparison = knowledge.comparison(reading.roles[:MAX_COMPARED])
    facet = reading.facet
    also = reading.also_asked if is_facet(facet) and is_facet(reading.also_asked) else None
    asked: tuple[FacetId, ...] = tuple(f for f in (facet, also) if is_facet(f))
    facets = asked or PROFILE_FACETS
    rows: list[Row] = []
    notes: list[Note] = []
    if comparison is not None:
        rows = [_row_from_aspect(a, roles) for a in _aspects(comparison, reading, asked)]
        notes = [n for n in comparison.notes if facet is None or set(asked) & set(n.facets)]
    summary = list(comparison.summary) if comparison else []
    # (a facet asked is answered in full: a fact on it is not left out for restating the
    # summary, which a profile or an overview gives as its first part)
    shown = _Shown(roles, rows, summary if facet in {None, "overview"} else [], notes)
    if not rows:
        # Each role's own first facts stand in for a comparison the articles do not make, on
        # the facets every role has.
        for f in facets:
            cells = tuple(_first(role, f, shown) for role in roles)
            if all(cells):
                rows.append(Row(knowledge.facets[f].label, cells, f))
                shown.add(cells)
    # A note saying again what a cell or the summary says ("An AE who is successful might be
    # promoted to sales manager", below the AE's promotions) is left out.
    told = [*summary, *(x for row in rows for cell in row.cells for x in cell)]
    notes = [n for n in notes if not any(restates(n, x) for x in told)]
    shown.common += notes
    # The facets asked, in full: what each role's own facts add to the rows (a statement
    # about two roles is given once).
    rest: list[tuple[Role, FacetId, list[Fact]]] = []
    # (a side of a disagreement the table does not give is said in its box, not here, and a
    # fact answering what was asked is given first)
    points = _points(ctx, roles, reading.question, facet)
    sides = {v.text for role in roles for d in role.disagreements for v in d.views}
    sides |= {f.text for _, facts in points for f in facts}
    for f in asked:
        for role in roles:
            facts = [x for x in role.facets.get(f, []) if shown.new(x, role)]
            facts = [x for x in facts if x.text not in sides]
            shown.add([facts if r is role else [] for r in roles])
            rest += [(role, f, facts)] if facts else []
    if reading.brief:  # "AE vs AM in one sentence": the summary, or each role's
        return _brief(reading, roles, comparison, summary or [role.summary for role in roles])
    disputed = disagreements(roles, facet)
    disputed += [d for d in disagreements(roles, also) if also and d not in disputed]
    # (one whose views answer what was asked is given there, in full)
    disputed = [d for d in disputed if not any(facts == d.views for _, facts in points)]
    first = by_the_question(ctx, reading.question, _first_notes(reading, notes))
    pages = _screens(rows, disputed, len(roles), [*summary, *first], facet)
    page = min(reading.page, len(pages) - 1)
    # A disagreement gives the views the table on this screen does not give already: the
    # cells in the column of the role it is about, resting on the view's lines or saying it
    # (``given_by``). One whose every view the table gives is said in a line, its views not
    # repeated.
    # "The comparison above" is this screen's table and that role's column: a view resting on
    # lines that another role's cell, a fact below the table or another screen cites is
    # given in full.
    partly: dict[str, int] = {}
    shown_here: list[Disagreement] = []
    for d in pages[page].disagreements:
        column = next(i for i, r in enumerate(roles) if any(d is x for x in r.disagreements))
        given = [f for row in pages[page].rows for f in row.cells[column]]
        views = [v for v in d.views if not given_by(v, given)]
        if len(views) < len(d.views):
            partly[d.about] = len(d.views) - len(views)
        shown_here.append(d.model_copy(update={"views": views}))
    last = page == len(pages) - 1
    more = [Suggestion(replace(reading, page=page + 1, question=""))] if not last else []
    # The facets some roles have and others lack, said once on the first screen, where the
    # answer is the facet asked or each role's own facts (not the articles' comparison); a
    # profile, which was not asked about them, says so last, below its last table.
    uncovered = _uncovered(roles, facets, own=facet is not None or comparison is None)
    return CompareView(
        roles=roles,
        comparison=comparison,
        facet=knowledge.facets.get(facet) if facet else None,
        also=knowledge.facets[also] if also else None,
        gap=gap_asked(knowledge, reading, roles) if page == 0 else None,
        rows=pages[page].rows,
        page=page,
        # the articles' summary of the roles opens a profile or an overview; a facet asked
        # ("AE vs AM pay") starts with its table
        summary=summary if page == 0 and facet in {None, "overview"} else [],
        notes=[n for n in notes if (n in first and page == 0) or (n not in first and last)],
        disagreements=shown_here,
        partly=partly,
        truncated=len(reading.roles) > MAX_COMPARED,
        more_rows=[row.label for p in pages[page + 1 :] for row in p.rows],
        rest=[(role, knowledge.facets[f], by_article(knowledge, facts)) for role, f, facts in rest],
        uncovered=[
            (group, [knowledge.facets[f] for f in missing])
            for missing, group in (
                uncovered.items() if page == (0 if facet else len(pages) - 1) else ()
            )
        ],
        # (a role the articles say nothing on pay for is said so once, above: not again here)
        no_figure=[
            role
            for i, role in enumerate(roles)
            if "compensation" in asked
            and "compensation" in role.facets
            and not _figures(i, role, rows, rest)
        ],
        ladder=_ladder(knowledge, roles) if set(asked) & {"experience", "career_path"} else [],
        pay_gap=_pay_gap(roles, pages[page].rows) if "compensation" in asked else None,
        points=points if page == 0 else [],
        shared=bool(_SHARED.search(reading.question)),
        suggestions=asked_first(
            [
                *more,
                *suggest_for_compare(
                    roles, exclude=facet, shown=[*(r.facet for r in pages[page].rows), also]
                ),
            ],
            # "which one is better paid, and do they travel?", with no facet read first
            replace(reading, facet=reading.also_asked, page=0, question="", also_asked=None)
            if reading.also_asked and not also and page == 0
            else None,
            roles,
        ),
    )


def _uncovered(
    roles: Sequence[Role], facets: Sequence[FacetId], *, own: bool
) -> dict[tuple[str, ...], list[Role]]:
    """The facets some roles have and others lack, by the roles lacking the same ones; none
    unless the answer is the facet asked or each role's own facts (``own``)."""
    some = [f for f in facets if own and any(f in role.facets for role in roles)]
    uncovered: dict[tuple[str, ...], list[Role]] = {}
    for role in roles:
        missing = tuple(f for f in some if f not in role.facets)
        if missing:
            uncovered.setdefault(missing, []).append(role)
    return uncovered


def _points(
    ctx: Context, roles: Sequence[Role], question: str, facet: str | None
) -> list[tuple[Role, Sequence[Fact]]]:
    """Each role's fact on the facet asked that answers the question most closely, in words
    beside the facet's keywords, for the roles that have one; where it is one view of what
    the articles disagree on ("which role is entry level?": the AE's), every view."""
    if not is_facet(facet) or facet == "overview":  # an overview keeps its order, as a role's
        return []
    found = ((role, to_the_point(ctx, role, question, facet, own_words=True)) for role in roles)
    points: list[tuple[Role, Sequence[Fact]]] = []
    for role, point in found:
        if point is not None:
            views = (d.views for d in role.disagreements if point[1] in d.views)
            points.append((role, next(views, [point[1]])))
    return points


def _pay_gap(roles: Sequence[Role], rows: Sequence[Row]) -> tuple[Role, Role, int] | None:
    """Who of the two roles with a salary figure earns more, and by how much a year, on the
    figure each of their cells in a pay row gives first, from the same article ("$83,778"
    against "$73,872"; a cell names its own role's figure first, and a third role's cell with
    none, the AM's, is aside): the arithmetic is ours, the figures the article's."""
    for row in rows:
        if row.facet != "compensation":
            continue
        figures = [[m for f in cell for m in _DOLLARS.findall(f.text)] for cell in row.cells]
        paid = [i for i, found in enumerate(figures) if found]
        sources = {ref.id for i in paid for f in row.cells[i] for ref in f.source}
        if len(paid) == 2 and len(sources) == 1:
            a, b = (int(figures[i][0].replace(",", "")) for i in paid)
            first, second = (roles[i] for i in paid)
            if a != b:
                return (first, second, a - b) if a > b else (second, first, b - a)
    return None


def _ladder(knowledge: Knowledge, roles: Sequence[Role]) -> list[CareerMove]:
    """The moves that put every role compared in one order, each leading to the next ("SDR,
    AE and sales manager": SDR -> AE -> sales manager); none when no such order exists."""
    for order in permutations(r.id for r in roles):
        moves = [
            next((m for m in knowledge.moves_from(a) if m.to == b), None)
            for a, b in pairwise(order)
        ]
        if all(moves):
            return [m for m in moves if m is not None]
    return []


def _aspects(
    comparison: Comparison, reading: Reading, asked: tuple[FacetId, ...]
) -> list[Aspect]:
    """The comparison's rows on the facets asked (all, for a profile), in their order; a row
    the question names by its label or a keyword first, whatever its facet ("what's the sales
    funnel stage for SDRs vs AEs?", "where do AEs sit in the funnel?": the row "Stage in the
    sales funnel")."""
    aspects = [a for a in comparison.aspects if not asked or a.facet in asked]
    aspects.sort(key=lambda a: asked.index(a.facet) if a.facet in asked else 0)
    words = content_stems(reading.question)
    named = [
        a
        for a in comparison.aspects
        if any(set() < content_stems(n) <= words for n in (a.label, *a.keywords))
    ]
    return [*named, *(a for a in aspects if a not in named)]


def _screens(
    rows: list[Row],
    disputed: list[Disagreement],
    count: int,
    opening: list[Fact],
    facet: str | None,
) -> list[_Page]:
    """The screens of a comparison: a facet asked, in full; a profile in screens of the
    first screen's size for ``count`` roles, less what opens it."""
    if facet:
        return [_Page(rows, disputed)]
    budget = _FIRST_SCREEN[min(count, MAX_COMPARED)]
    return _pages(rows, disputed, budget - sum(len(f.text) for f in opening), budget)


def _brief(
    reading: Reading, roles: Sequence[Role], comparison: Comparison | None, summary: Sequence[Fact]
) -> CompareView:
    """The roles in a line each, the whole comparison a button away."""
    whole = Suggestion(replace(reading, facet=None, brief=False, question=""))
    return CompareView(
        roles=roles,
        comparison=comparison,
        facet=None,
        also=None,
        gap=None,
        rows=[],
        page=0,
        summary=summary,
        notes=[],
        disagreements=[],
        partly={},
        truncated=len(reading.roles) > MAX_COMPARED,
        more_rows=[],
        rest=[],
        uncovered=[],
        no_figure=[],
        ladder=[],
        shared=False,
        pay_gap=None,
        points=[],
        suggestions=[whole],
    )


def _first_notes(reading: Reading, notes: Sequence[Note]) -> list[Note]:
    """The notes a profile gives on its first screen: for "are AE and AM the same thing?",
    what the articles say of how the roles are named (the notes on the overview: "some
    companies use the two titles interchangeably"); otherwise none (the rest come last)."""
    if not reading.same or reading.facet is not None:
        return []
    asked = content_stems(reading.question)
    named = [n for n in notes if "overview" in n.facets]
    # the note sharing most of the question's words first ("can one person do both jobs?")
    return sorted(named, key=lambda n: -len(asked & content_stems(n.text)))


def _pages(rows: list[Row], disputed: list[Disagreement], first: int, budget: int) -> list[_Page]:
    """Rows split into screens of at most ``first`` characters of facts for the first screen
    and ``budget`` for the others. A disagreement joins the screen of a row of a facet it is
    about, one a screen, where it fits; any left over join the first screen with a row of a
    facet they are about, and one about no facet shown is left out (not asked)."""
    pages = [_Page()]
    used = budget - first
    left = list(disputed)
    for row in rows:
        if pages[-1].rows and used + row.size > budget:
            pages.append(_Page())
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
    for d in left:
        home = (p for p in pages if any((r.facet or "overview") in d.facets for r in p.rows))
        found = next(home, None)
        if found is not None:
            found.disagreements.append(d)
    return pages


class _Shown:
    """What a comparison shows already, so that a role's own fact saying the same again is
    left out: the same text as a cell, a note or a side of a disagreement (shown as such),
    a fact resting only on the lines of the articles' own cells, or giving only their
    figures, or one restating what is shown of the same role or of both (the NAM's
    day-to-day work, on the line its overview cell gives). A fact restating another role's
    is about someone else ("the average sales manager salary is $83,778 (against $73,872 for
    AEs)", beside the AE's "$73,872 (against $83,778 for sales managers)")."""

    def __init__(
        self,
        roles: Sequence[Role],
        rows: Sequence[Row],
        summary: Sequence[Fact],
        notes: Sequence[Fact],
    ) -> None:
        cells = [fact for row in rows for cell in row.cells for fact in cell]
        self.texts = {f.text for f in [*cells, *notes]}
        self.figures = {n for f in cells for n in FIGURE.findall(f.text)}
        self.lines = lines(cells)
        # statements about all the roles: the summary, and the notes once the rows are built
        # (a note restating a cell is the one left out)
        self.common = list(summary)
        self.of: dict[str, list[Fact]] = {role.id: [] for role in roles}
        for row in rows:
            self.add(row.cells)

    def add(self, cells: Sequence[Sequence[Fact]]) -> None:
        """Note facts shown, one sequence per role, in the comparison's order."""
        for facts, said in zip(cells, self.of.values(), strict=True):
            self.texts |= {f.text for f in facts}
            said.extend(facts)

    def new(self, fact: Fact, role: Role) -> bool:
        numbers = set(FIGURE.findall(fact.text))
        if fact.text in self.texts or lines([fact]) <= self.lines:
            return False
        if any(restates(fact, other) for other in [*self.common, *self.of[role.id]]):
            return False
        return not (numbers and numbers <= self.figures)


def _first(role: Role, facet: FacetId, shown: _Shown) -> tuple[Fact, ...]:
    """The role's first facts on the facet that are not shown already."""
    return tuple(unrepeated([f for f in role.facets.get(facet, []) if shown.new(f, role)]))[
        :_FACTS_PER_CELL
    ]


def _figures(
    column: int,
    role: Role,
    rows: Sequence[Row],
    rest: Sequence[tuple[Role, FacetId, Sequence[Fact]]],
) -> bool:
    """Whether the comparison gives a pay figure for the role in ``column``, in a cell or
    below (not "18 months" on its career path)."""
    facts = [f for row in rows if row.facet in {"compensation", None} for f in row.cells[column]]
    facts += [f for r, on, fs in rest if r.id == role.id and on == "compensation" for f in fs]
    return any(FIGURE.search(f.text) for f in facts)


def _row_from_aspect(aspect: Aspect, roles: Sequence[Role]) -> Row:
    cells = tuple((aspect.values[r.id],) if r.id in aspect.values else () for r in roles)
    return Row(aspect.label, cells, aspect.facet)


INTENT = Intent("compare", "compare", answer)
