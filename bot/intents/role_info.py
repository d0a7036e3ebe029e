"""One role: a profile, or one facet given in full, with what the articles disagree on."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from bot.intents.base import (
    FIGURE,
    MAX_SUGGESTIONS,
    PROFILE_FACETS,
    Context,
    Intent,
    Suggestion,
    by_article,
    by_the_question,
    disagreements,
    evidence,
    facets_of,
    gap_asked,
    restates,
    resting_on,
    shares_words,
    suggest_for_role,
    to_the_point,
    unrepeated,
)
from bot.knowledge import Knowledge
from bot.knowledge.grounding import content_stems
from bot.knowledge.schema import (
    Aspect,
    CareerMove,
    Disagreement,
    FacetDef,
    FacetId,
    Fact,
    Gap,
    Person,
    Role,
    Source,
    is_facet,
)
from bot.understanding.reading import Reading

__all__ = ["INTENT", "RoleInfoView", "answer"]

# A profile shows this many facts of each of its facets.
_FACTS_PER_FACET = 2
# Words opening a question answered yes or no.
_YES_NO = frozenset({"do", "does", "did", "is", "are", "can", "could", "should", "will", "would"})
_PARTS = re.compile(r"[.:;,!?]")


@dataclass(frozen=True, slots=True)
class RoleInfoView:
    role: Role
    facet: FacetDef | None
    # Whether the answer starts with the role's summary.
    defines: bool
    # Each facet shown, with its facts in groups: one group (with no source) or, for a long
    # list drawn from several articles, one group per article.
    sections: Sequence[tuple[FacetDef, Sequence[tuple[Source | None, Sequence[Fact]]]]]
    # The facets the one asked goes with (education, after experience), shown after what the
    # articles disagree on about it.
    also: Sequence[tuple[FacetDef, Sequence[tuple[Source | None, Sequence[Fact]]]]]
    # The facet asked is one the articles do not cover for this role.
    missing: bool
    gap: Gap | None
    # Pay asked of a role the articles give no figure for: say so, never borrow one.
    no_figure: bool
    covered: Sequence[FacetDef]
    disagreements: Sequence[Disagreement]
    # Those the question asks about ("do AEs hunt new business or manage existing
    # accounts?"): they answer it, so they come before the facts.
    disputed_first: Sequence[Disagreement]
    # Career moves into ("from") and out of ("to") the role, for its career path.
    moves: Sequence[tuple[str, CareerMove]]
    suggestions: Sequence[Suggestion]
    # Someone the question names ("what does Amanda Sides do now?"): who they are and the
    # role's facts resting on the lines that tell of them, shown first and not again below.
    person: Person | None = None
    their_words: Sequence[Fact] = ()
    # The rest of a long overview, after its first screen.
    continued: bool = False
    # A second facet asked ("..., and do they travel?"), answered below the first; or, when
    # the articles say nothing on it for the role, said so.
    second: FacetDef | None = None
    second_missing: FacetDef | None = None
    # Work asked of the role that only other roles' duties name ("do SDRs close deals?").
    not_theirs: NotTheirs | None = None
    # A career step the question starts from ("senior AE, and then what?"): its name and the
    # moves the articles name out of it, none when they name no step after it.
    after_step: tuple[str, Sequence[CareerMove]] | None = None


def _pointed(
    ctx: Context,
    role: Role,
    reading: Reading,
    facet: FacetId | None,
    sections: list[tuple[FacetId, list[Fact]]],
    *,
    fresh: Callable[[Fact], bool],
) -> list[tuple[FacetId, list[Fact]]]:
    """The facts with the one that answers the question most closely first: first in the
    facet asked ("do AEs deal with C-level executives?"), or, for a profile, in a section of
    its own before the rest ("are AMs reactive or proactive?"). An overview keeps its order:
    its first screen is by article."""
    point = to_the_point(ctx, role, reading.question, facet) if facet != "overview" else None
    if point is None or not fresh(point[1]):  # not one the summary above says already
        return sections
    on, fact = point
    rest = [(f, [x for x in facts if x != fact]) for f, facts in sections]
    if facet is not None:
        return [(f, [fact, *facts]) for f, facts in rest]
    return [(on, [fact]), *((f, facts) for f, facts in rest if f != on or facts)]


def _facet_first(
    knowledge: Knowledge, role: Role, facet: str | None, shown: Sequence[Fact]
) -> list[Suggestion]:
    """The role's whole facet first, then its other next steps."""
    page = Suggestion(Reading("role_info", roles=(role.id,), facet=facet))
    rest = suggest_for_role(knowledge, role, exclude=facet, shown=shown)
    return [page, *rest][:MAX_SUGGESTIONS]


def _career(
    knowledge: Knowledge, role: Role, facet: str | None, step: str | None
) -> tuple[list[tuple[str, CareerMove]], tuple[str, Sequence[CareerMove]] | None]:
    """Career moves: where the role comes from and leads to, for its career path, with what
    follows the step the question starts from; where it comes from, for the experience it
    takes."""
    moves: list[tuple[str, CareerMove]] = []
    if facet in {"career_path", "experience"}:
        moves = [("from", m) for m in knowledge.moves_to(role.id)]
    if facet != "career_path":
        return moves, None
    moves += [("to", m) for m in knowledge.moves_from(role.id)]
    after = (knowledge.name_of(step), knowledge.moves_from(step)) if step else None
    return moves, after


def answer(reading: Reading, ctx: Context) -> RoleInfoView:
    knowledge = ctx.knowledge
    role = knowledge.roles[reading.roles[0]]
    facet = reading.facet
    missing = facet is not None and facet not in role.facets
    # A profile, an overview ("what's a NAM?") or an answer on what the articles do not cover
    # says first what the role is: its summary.
    defines = facet in {None, "overview"} or missing
    disputed = disagreements([role], facet or "overview")
    # A fact that is one side of a disagreement is shown there, with the other side; one
    # restating the summary above it is left out.
    views = {v.text for d in disputed for v in d.views}
    people = knowledge.vocabulary.people
    person = next((p for p in people if p.name == reading.person), None)
    their_words: list[Fact] = []
    if person is not None:
        # on another facet than the one their words are on ("John Golden on AE skills"), only
        # their words on that facet
        asked = facet if is_facet(facet) and facet != person.facet else None
        told = unrepeated(resting_on(role, person.about.source, asked))
        their_words = by_the_question(ctx, reading.question, told)

    def fresh(fact: Fact) -> bool:
        if fact.text in views or fact in their_words:
            return False
        return not (defines and restates(fact, role.summary))

    if not is_facet(facet):  # a profile: the first facts of a few facets
        sections = [
            (f, [x for x in role.facets.get(f, []) if fresh(x)][:_FACTS_PER_FACET])
            for f in PROFILE_FACETS
        ]
    else:  # the facet asked, in full: a list someone asked for is never cut short
        sections = [(facet, [x for x in role.facets.get(facet, []) if fresh(x)])]
    if not their_words:
        sections = _pointed(
            ctx, role, reading, facet if is_facet(facet) else None, sections, fresh=fresh
        )
    sections = [(f, facts) for f, facts in sections if facts]
    more: list[Suggestion] = []
    continued = False
    if facet == "overview" and sections and not their_words:
        sections, more, continued = _overview_screen(knowledge, reading, sections)
        if continued:
            defines, disputed = False, []
    also = [(f, role.facets[f]) for f in _also(knowledge, facet) if f in role.facets]
    second = _second(reading, role, facet) if not their_words else None
    if second is not None:
        also = [(second, role.facets[second]), *[(f, x) for f, x in also if f != second]]
    moves, after_step = _career(knowledge, role, facet, reading.step)
    shown = [f for _, facts in [*sections, *also] for f in facts]
    on_page = [role.summary, *shown] if defines else shown
    rest = suggest_for_role(knowledge, role, exclude=facet, shown=on_page)
    suggestions = [*more, *rest][:MAX_SUGGESTIONS]
    gap = gap_asked(knowledge, reading, [role])
    brief = reading.brief and not missing and any(facts for _, facts in sections)
    if their_words or brief or (gap is not None and gap.said and gap.said_is_enough):
        # what they said or did is the answer, what the role is ("what's a NAM, tl;dr"), or
        # the lines a gap names nearest ("which CRM should an AE learn?"); the role's whole
        # facet is a button away
        sections, moves = [], []
        if their_words or brief:
            also, disputed, defines = [], [], not their_words
        shown = [*their_words, *(f for _, facts in also for f in facts)]
        suggestions = _facet_first(knowledge, role, facet, shown)
    answering = [d for d in disputed if _asks_whether(ctx, reading.question, d)]
    if answering and is_facet(facet) and not (their_words or reading.page):
        # the views answer it ("do AEs only chase new logos?"): the facet is a button away
        sections, also, disputed = [], [], answering
        suggestions = _facet_first(knowledge, role, facet, [v for d in answering for v in d.views])
    return RoleInfoView(
        role=role,
        facet=knowledge.facets.get(facet) if facet else None,
        second=knowledge.facets[second] if second else None,
        second_missing=_second_missing(knowledge, reading, role, facet, their_words),
        not_theirs=_not_theirs(knowledge, role, reading.duty)
        if facet == "responsibilities"
        else None,
        defines=defines,
        sections=[(knowledge.facets[f], by_article(knowledge, facts)) for f, facts in sections],
        also=[(knowledge.facets[f], by_article(knowledge, facts)) for f, facts in also],
        missing=missing,
        gap=gap,
        no_figure=facet == "compensation" and not any(FIGURE.search(f.text) for f in shown),
        covered=facets_of(knowledge, role),
        disagreements=[d for d in disputed if d not in answering],
        disputed_first=answering,
        moves=moves,
        after_step=after_step,
        suggestions=suggestions,
        person=person,
        their_words=their_words,
        continued=continued,
    )


def _asks_whether(ctx: Context, question: str, disagreement: Disagreement) -> bool:
    """Whether a question asks, yes or no or one or the other, what a disagreement is about,
    in its words or one view's: "do AEs hunt new business or manage existing accounts?", "is
    the AE role entry level?" (not "how is client retention rate calculated?", which the
    facts answer)."""
    parts = [part.split() for part in _PARTS.split(question.casefold())]
    closed = any(p[0] in _YES_NO for p in parts if p) or any("or" in p for p in parts)
    said = [disagreement.about, *(v.text for v in disagreement.views)]
    return closed and any(shares_words(ctx, question, text) for text in said)


def _overview_screen(
    knowledge: Knowledge, reading: Reading, sections: list[tuple[FacetId, list[Fact]]]
) -> tuple[list[tuple[FacetId, list[Fact]]], list[Suggestion], bool]:
    """An overview drawn from several articles ("what's the main goal of an AE?") would be a
    wall: its first screen gives each article's first fact, the rest is a button away. The
    sections shown, the button to the rest, and whether this is the rest."""
    overview, facts = sections[0]
    groups = by_article(knowledge, facts)
    firsts = [group[0] for _, group in groups] if len(groups) > 1 else facts
    if len(firsts) == len(facts):
        return sections, [], False
    if reading.page:
        return [(overview, [f for f in facts if f not in firsts])], [], True
    rest = Suggestion(replace(reading, page=1, question="", person=None))
    return [(overview, firsts)], [rest], False


@dataclass(frozen=True, slots=True)
class NotTheirs:
    """A duty asked of a role that only other roles' duties name ("do SDRs close deals?"), or,
    asked whether it is the role's alone, that other roles' duties name too ("do AMs do
    upselling too?")."""

    duty: str
    # each other role the articles give it to (three at most) with the fact that shows it
    owners: Sequence[tuple[Role, Fact]]
    # the rows of the articles' comparison of the role with the first owner that set the two
    # apart in general (scope, depth), or else say what each is: why it is not the role's
    apart: Sequence[Aspect] = ()
    # whether the role's own duties name it as well
    shared: bool = False


# The rows of a comparison shown beside work a role is not given.
_APART_ROWS = 3


def _apart(knowledge: Knowledge, role: Role, owner: Role) -> list[Aspect]:
    comparison = knowledge.comparison((role.id, owner.id))
    rows = comparison.aspects if comparison else []
    general = [a for a in rows if a.facet is None] or [a for a in rows if a.facet == "overview"]
    return general[:_APART_ROWS]


def _not_theirs(knowledge: Knowledge, role: Role, duty: str | None) -> NotTheirs | None:
    """A duty asked of ``role`` that other roles' duties name, with those roles (three at
    most) and the facts that show they do it: one its list does not give, or one it gives too
    (the reading names one only when asked whether it is the role's alone)."""
    if duty is None:
        return None
    shared = any(d.text == duty for d in role.duties)
    # each role with the duty or one its words include ("negotiation" within "negotiating
    # contracts"), shown by the fact for its own duty
    words = content_stems(duty)
    owners = [
        (r, own)
        for r in knowledge.roles.values()
        if r.id != role.id
        and (own := next((d.text for d in r.duties if _within(d.text, words)), None))
    ]
    owners.sort(key=lambda pair: pair[1] != duty)  # the duty itself first
    if not owners:
        return None
    shown = [(r, evidence(r, own)) for r, own in owners[:3]]
    if shared:
        return NotTheirs(duty, shown, shared=True)
    return NotTheirs(duty, shown, _apart(knowledge, role, owners[0][0]))


def _within(text: str, words: frozenset[str]) -> bool:
    """Whether a duty's words are all among ``words``."""
    own = content_stems(text)
    return bool(own) and own <= words


def _second_missing(
    knowledge: Knowledge, reading: Reading, role: Role, facet: str | None, their: Sequence[Fact]
) -> FacetDef | None:
    """A second facet asked that the articles say nothing on for the role."""
    asked = reading.also_asked
    if their or not is_facet(asked) or asked == facet or asked in role.facets:
        return None
    return knowledge.facets[asked]


def _second(reading: Reading, role: Role, facet: str | None) -> FacetId | None:
    """A second facet asked in a part of its own ("what do AEs earn, and do they travel?"),
    answered too, below the first, where the role has facts on it."""
    second = reading.also_asked
    if is_facet(second) and second != facet and second in role.facets:
        return second
    return None


def _also(knowledge: Knowledge, facet: str | None) -> tuple[FacetId, ...]:
    """The facets an answer on ``facet`` gives as well (none for a profile)."""
    found = knowledge.facets.get(facet or "")
    return found.also if found else ()


INTENT = Intent("role_info", "role_info", answer)
