"""Two to four roles side by side: the comparison the articles make, or each role's own facts,
a screen at a time, with what the articles disagree on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from bot.intents.base import (
    FIGURE,
    MAX_COMPARED,
    PROFILE_FACETS,
    Context,
    Intent,
    Suggestion,
    disagreements,
    lines,
    suggest_for_compare,
)
from bot.knowledge import Knowledge
from bot.knowledge.schema import (
    Aspect,
    Comparison,
    Disagreement,
    FacetDef,
    FacetId,
    Fact,
    Role,
    is_facet,
)
from bot.understanding.reading import Reading

__all__ = ["INTENT", "CompareView", "Row", "answer"]

# How much fact text the first screen of a comparison holds (two roles, three or four); the
# rest of the comparison is one "More" click away.
_FIRST_SCREEN = {2: 900, 3: 1300, 4: 1500}
_FACTS_PER_CELL = 2


@dataclass(frozen=True, slots=True)
class Row:
    """One aspect of a comparison: a label, per role the facts to show, and its facet."""

    label: str
    cells: tuple[tuple[Fact, ...], ...]
    facet: str | None = None
    # Per role, whether an empty cell is empty because its facts are shown above already.
    above: tuple[bool, ...] = ()

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
    rows: Sequence[Row]
    page: int
    summary: Sequence[Fact]
    notes: Sequence[Fact]
    disagreements: Sequence[Disagreement]
    # More roles were asked than a comparison holds.
    truncated: bool
    # The labels of the rows still to come on later screens.
    more_rows: Sequence[str]
    suggestions: Sequence[Suggestion]


def answer(reading: Reading, ctx: Context) -> CompareView:
    knowledge = ctx.knowledge
    roles = [knowledge.roles[r] for r in reading.roles[:MAX_COMPARED]]
    comparison = knowledge.comparison(reading.roles[:MAX_COMPARED])
    facet = reading.facet
    rows: list[Row] = []
    if comparison is not None:
        aspects = [a for a in comparison.aspects if facet is None or a.facet == facet]
        rows = [_row_from_aspect(a, roles) for a in aspects]
    if not rows or facet:
        # Each role's own facts fill in what the explicit comparison leaves out (salary
        # figures), or stand in for a comparison the articles do not make.
        facets = (facet,) if is_facet(facet) else PROFILE_FACETS
        rows += _profile_rows(knowledge, roles, facets, rows)
    notes = list(comparison.notes) if comparison and facet is None else []
    # A disagreement the comparison's own cells already give, both sides cited, is not
    # repeated below them.
    shown = lines(f for row in rows for cell in row.cells for f in cell)
    disputed = [
        d for d in disagreements(roles, facet) if sum(lines([v]) <= shown for v in d.views) < 2
    ]
    summary = list(comparison.summary) if comparison else []
    if facet:  # the facet asked, in full
        pages = [_Page(rows, disputed)]
    else:
        budget = _FIRST_SCREEN[min(len(roles), MAX_COMPARED)]
        pages = _pages(rows, disputed, budget - sum(len(f.text) for f in summary), budget)
    page = min(reading.page, len(pages) - 1)
    last = page == len(pages) - 1
    more = [Suggestion(replace(reading, page=page + 1, question=""))] if not last else []
    return CompareView(
        roles=roles,
        comparison=comparison,
        facet=knowledge.facets.get(facet) if facet else None,
        rows=pages[page].rows,
        page=page,
        summary=summary if page == 0 else [],
        notes=notes if last else [],
        disagreements=pages[page].disagreements,
        truncated=len(reading.roles) > MAX_COMPARED,
        more_rows=[row.label for p in pages[page + 1 :] for row in p.rows],
        suggestions=[*more, *suggest_for_compare(roles, exclude=facet)],
    )


def _pages(
    rows: list[Row], disputed: list[Disagreement], first: int, budget: int
) -> list[_Page]:
    """Rows split into screens of at most ``first`` characters of facts for the first screen
    and ``budget`` for the others. A disagreement joins the screen of a row of a facet it is
    about, one a screen, where it fits; any left over end the last screen."""
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
    pages[-1].disagreements.extend(left)
    return pages


def _profile_rows(
    knowledge: Knowledge, roles: list[Role], facets: Iterable[FacetId], above: list[Row]
) -> list[Row]:
    """Rows from each role's own facts, leaving out what the rows above already show: the
    same fact, a fact resting only on lines shown above, or one giving only figures shown."""
    shown = [fact for row in above for cell in row.cells for fact in cell]
    # Facts shown above, and facts that are one side of a disagreement (shown as such).
    views = [v for role in roles for d in role.disagreements for v in d.views]
    texts = {f.text for f in [*shown, *views]}
    figures = {n for f in shown for n in FIGURE.findall(f.text)}
    seen = lines(shown)

    def new(fact: Fact) -> bool:
        numbers = set(FIGURE.findall(fact.text))
        if fact.text in texts or lines([fact]) <= seen:
            return False
        return not (numbers and numbers <= figures)

    rows = []
    for facet in facets:
        cells = tuple(
            tuple(f for f in role.facets.get(facet, []) if new(f))[:_FACTS_PER_CELL]
            for role in roles
        )
        if any(cells):
            label = knowledge.facets[facet].label
            pairs = zip(roles, cells, strict=True)
            shown_above = tuple(not cell and bool(role.facets.get(facet)) for role, cell in pairs)
            title = f"{label} (each role's profile)" if above else label
            rows.append(Row(title, cells, facet, shown_above))
    return rows


def _row_from_aspect(aspect: Aspect, roles: list[Role]) -> Row:
    cells = tuple((aspect.values[r.id],) if r.id in aspect.values else () for r in roles)
    return Row(aspect.label, cells, aspect.facet)


INTENT = Intent("compare", "compare", answer)
