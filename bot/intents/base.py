"""What every intent's answer shares: the view contract, next-step suggestions, sanitising a
reading, and small look-ups over the knowledge. Knows nothing of Slack or of templates."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any, ClassVar, Protocol, TypeVar

from rapidfuzz import fuzz

from bot.knowledge import Knowledge
from bot.knowledge.grounding import content_stems, name_stems
from bot.knowledge.schema import (
    Disagreement,
    FacetDef,
    FacetId,
    Fact,
    Gap,
    Role,
    Source,
    SourceRef,
)
from bot.understanding.reading import Reading

__all__ = [
    "FIGURE",
    "MAX_COMPARED",
    "MAX_SUGGESTIONS",
    "PROFILE_FACETS",
    "Context",
    "Intent",
    "Suggestion",
    "View",
    "by_article",
    "by_the_question",
    "common",
    "disagreements",
    "duty_owner",
    "evidence",
    "facets_of",
    "gap_asked",
    "given_by",
    "lines",
    "restates",
    "resting_on",
    "said_by",
    "sanitize",
    "shares_words",
    "starters",
    "suggest_for_compare",
    "suggest_for_role",
    "template_data",
    "text_roots",
    "to_the_point",
]

MAX_COMPARED = 4
MAX_SUGGESTIONS = 3
# What a profile shows when no facet was asked, and what comparisons build rows from when the
# articles make no explicit comparison of the roles asked.
PROFILE_FACETS: tuple[FacetId, ...] = ("overview", "responsibilities", "metrics", "career_path")
# Facets offered as next steps, most useful first.
SUGGESTED_FACETS = ("career_path", "metrics", "skills", "compensation", "responsibilities")
FIGURE = re.compile(r"\d[\d,.]*")
# The share of a fact's content words another fact on the same lines must have for the fact to
# say the same again. Facts restating a role's summary score 0.62 to 1.0; those adding to it,
# 0.0 to 0.56 (``tests/test_answers.py`` shows no answer repeats a bullet).
_RESTATED = 0.6
# A list longer than this, drawn from more than one article, is shown article by article.
_GROUP_OVER = 8


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A next step: the reading a button asks, and the value that carries it. ``question`` is
    the example question the button stands for, when it stands for one."""

    reading: Reading
    question: str | None = None

    @property
    def value(self) -> str:
        return self.reading.to_value()


def asked_first(
    suggestions: Sequence[Suggestion], also: Reading | None, roles: Sequence[Role]
) -> list[Suggestion]:
    """The next steps with ``also``, a second facet the question asked of ``roles``, first
    ("what do AEs earn, and do they travel?" offers the AE's work environment), when every
    one of the roles has facts on it; at most ``MAX_SUGGESTIONS``."""
    if also is None or not all(also.facet in role.facets for role in roles):
        return list(suggestions)[:MAX_SUGGESTIONS]
    rest = [s for s in suggestions if s.reading != also]
    return [Suggestion(also), *rest][:MAX_SUGGESTIONS]


class View(Protocol):
    """What an intent hands its template: a frozen dataclass whose fields are the names the
    template uses, and the next steps to offer."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def suggestions(self) -> Sequence[Suggestion]: ...


@dataclass(frozen=True, slots=True)
class Context:
    """What an intent answers from: the knowledge, and the example questions the bot suggests
    (each with the reading it gets), for the fallback to offer the closest; the stems of the
    names in the knowledge and of the facets' keywords, worked out once."""

    knowledge: Knowledge
    examples: Sequence[Suggestion] = ()
    names: frozenset[str] = frozenset()
    # the first letters of the facets' keywords (``_root``)
    keywords: frozenset[str] = frozenset()
    # the same of the facets' labels and one-word keywords: words that name a facet and
    # nothing narrower ("salary", "career path"; not "c-level")
    facet_words: frozenset[str] = frozenset()

    @classmethod
    def of(cls, knowledge: Knowledge, examples: Sequence[Suggestion] = ()) -> Context:
        facets = knowledge.facets.values()
        keywords = [content_stems(k) for f in facets for k in f.keywords]
        broad = [k for k in keywords if len(k) == 1] + [content_stems(f.label) for f in facets]
        names = name_stems(knowledge)
        return cls(knowledge, examples, names, _roots_of(keywords), _roots_of(broad))


@dataclass(frozen=True, slots=True)
class Intent:
    """One intent: the function answering a reading, and the template (``responses/<name>.j2``)
    that renders its view."""

    name: str
    template: str
    answer: Callable[[Reading, Context], View]


def template_data(view: View) -> dict[str, Any]:
    """A view's fields by name, as its template sees them (no copies)."""
    return {f.name: getattr(view, f.name) for f in fields(view)}


def common(knowledge: Knowledge) -> dict[str, Any]:
    """Names every template may use."""
    return {
        "roles_by_id": knowledge.roles,
        "facets": knowledge.facets,
        "topics": knowledge.topics,
        "sources": knowledge.sources,
        "name_of": knowledge.name_of,
    }


def sanitize(reading: Reading, knowledge: Knowledge) -> Reading:
    """Drop ids the knowledge does not have (button values come from users), and turn a
    reading that cannot be answered as it stands into the nearest one that can."""
    roles = tuple(r for r in dict.fromkeys(reading.roles) if r in knowledge.roles)
    topic = reading.topic if reading.topic in knowledge.topics else None
    facet = reading.facet if reading.facet in knowledge.facets else None
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
    people = {p.name for p in knowledge.vocabulary.people}
    # no one named asks who they all are; a name not among them is no one the articles quote
    if reading.intent == "person" and reading.person is not None and reading.person not in people:
        return Reading("help")
    # a "who does X?" duty is one of its roles'; one asked of a role ("do SDRs close
    # deals?") may be another role's
    owners = roles if reading.intent == "which_role" else ()
    duty = reading.duty if _has_duty(knowledge, owners, reading.duty) else None
    gap = reading.gap if reading.gap in knowledge.gaps else None
    return replace(reading, roles=roles, facet=facet, topic=topic, duty=duty, gap=gap)


def _has_duty(knowledge: Knowledge, roles: tuple[str, ...], text: str | None) -> bool:
    """Whether ``text`` is a duty or nickname of one of these roles (of any role when none):
    "which role are the hunters?" is shown by the line that calls AEs so."""
    if text is None:
        return False
    owners = [knowledge.roles[r] for r in roles or tuple(knowledge.roles)]
    return any(d.text == text for r in owners for d in (*r.duties, *r.nicknames))


def lines(facts: Iterable[Fact]) -> set[tuple[str, int]]:
    """The (article, line) pairs some facts rest on."""
    found: set[tuple[str, int]] = set()
    for fact in facts:
        found |= _lines_of(fact)
    return found


# Each fact's lines, by the fact's identity (hashing a model by value costs more than
# working the lines out); the fact is kept beside them, so an identity is never reused.
_LINES: dict[int, tuple[Fact, frozenset[tuple[str, int]]]] = {}


def _lines_of(fact: Fact) -> frozenset[tuple[str, int]]:
    """The (article, line) pairs one fact rests on (answers ask again and again)."""
    known = _LINES.get(id(fact))
    if known is None:
        known = fact, frozenset((ref.id, n) for ref in fact.source for n in ref.lines)
        if len(_LINES) < _LINES_KEPT:
            _LINES[id(fact)] = known
    return known[1]


def by_article(
    knowledge: Knowledge, facts: Sequence[Fact]
) -> list[tuple[Source | None, Sequence[Fact]]]:
    """The facts as one group, or, when there are many from several articles, one group per
    article (in the order the articles first appear; a fact goes with the first it cites), so
    that each article's view reads as one."""
    groups: dict[str, list[Fact]] = {}
    for fact in facts:
        groups.setdefault(fact.source[0].id, []).append(fact)
    if len(facts) <= _GROUP_OVER or len(groups) < 2:
        return [(None, facts)]
    return [(knowledge.sources[s], group) for s, group in groups.items()]


# A word of the question that at most this many of a role's facts use points to the fact
# that answers it ("do AEs deal with C-level executives?"); words that say nothing of what is
# asked point nowhere.
_RARE = 2
_HOW_SOON = re.compile(r"\bhow (?:fast|quickly|quick|soon|long)\b", re.IGNORECASE)
_VAGUE = frozenset(
    {"account", "client", "one", "need", "know", "thing", "way", "get", "realli", "want"}
    | {"move", "titl", "live", "new", "brand", "look", "mean", "like", "tell"}
)


def to_the_point(
    ctx: Context, role: Role, question: str, facet: FacetId | None, *, own_words: bool = False
) -> tuple[FacetId, Fact] | None:
    """The fact of the facet asked (of any facet, for a profile) that answers the question
    most closely, when one does: the one scoring highest on the question's words, weighted by
    how few of all the role's facts use each, with a word at most ``_RARE`` of them use ("do
    AEs deal with C-level executives?"). For a profile that word is no facet's keyword ("are
    AMs reactive or proactive?"). A facet asked is not left for another's fact: on 300
    development questions, about half of those that would have led were beside the point.
    With ``own_words``, a facet's word too must be narrower than a facet's name ("AE vs AM
    career path" names only the facet; "who talks to C-level people?" more)."""
    asked = _asked_roots(ctx, question)
    if own_words and not asked - ctx.facet_words:
        return None  # ("AE vs AM career path": nothing narrower than the facet to lead with)
    every = [(f, fact) for f, facts in role.facets.items() for fact in facts]
    mine = [(f, fact) for f, fact in every if facet is None or f == facet]
    if not asked or not mine:
        return None
    used = Counter(w for _, fact in every for w in _roots(fact) & asked)
    words = [_roots(fact) & asked for _, fact in mine]
    scores = [sum(math.log(len(every) / used[w]) for w in found) for found in words]
    # on a tie, the fact naming the words soonest ("Sales pipeline health: ..." for "what is
    # pipeline health?", not a list that ends with it), then the first
    tied = [i for i, score in enumerate(scores) if score == max(scores)]
    best = min(tied, key=lambda i: (_first_of(mine[i][1], words[i]), i)) if tied[1:] else tied[0]
    rare = {w for w in words[best] if used[w] <= _RARE}
    if not rare or (facet is None and not rare - ctx.keywords):
        return None
    if own_words and not rare - ctx.facet_words:
        return None
    return mine[best]


_F = TypeVar("_F", bound=Fact)


def _asked_roots(ctx: Context, question: str) -> set[str]:
    """The roots of a question's words, role names and vague words aside; "how fast" and
    "how soon" ask how many years ("how fast can an AM get promoted?" is not about a
    fast-paced career)."""
    question = _HOW_SOON.sub("years", question)
    return {_root(w) for w in content_stems(question) if w not in ctx.names} - _VAGUE


def by_the_question(ctx: Context, question: str, facts: Sequence[_F]) -> list[_F]:
    """The facts, those sharing most of the question's words first, in their order otherwise
    ("what was her advice?": Amanda Sides' advice before her career)."""
    asked = _asked_roots(ctx, question)
    return sorted(facts, key=lambda f: -len(_roots(f) & asked))


def shares_words(ctx: Context, question: str, text: str) -> bool:
    """Whether a question names what ``text`` is about in two of its words (by their first
    letters, as ``to_the_point`` reads them; role names and vague words aside): "do AEs hunt
    new business or manage existing accounts?" of "whether AEs manage existing accounts"."""
    return len(_asked_roots(ctx, question) & text_roots(text)) >= 2


# Words sharing their first five letters are one word here: "reactive" and "react" stem
# apart, as "experienced" and "experience" do.
_ROOT = 5


def _roots_of(stems: Iterable[frozenset[str]]) -> frozenset[str]:
    return frozenset(_root(w) for group in stems for w in group)


def _root(stem: str) -> str:
    return stem[:_ROOT]


def _first_of(fact: Fact, words: frozenset[str]) -> int:
    """Where the first of ``words`` stands among a fact's words (after the last, if none)."""
    said = fact.text.split()
    return next((i for i, w in enumerate(said) if text_roots(w) & words), len(said))


def _roots(fact: Fact) -> frozenset[str]:
    return text_roots(fact.text)


@lru_cache(maxsize=20_000)  # about 1,500 facts today; a reload brings new texts
def text_roots(text: str) -> frozenset[str]:
    """The first five letters of the stems of a text's meaningful words ("experienced" and
    "experience" stem apart)."""
    return frozenset(_root(w) for w in content_stems(text))


def restates(fact: Fact, other: Fact) -> bool:
    """Whether ``fact`` says again what ``other`` says: it rests only on lines ``other``
    rests on, and most of its content words are ``other``'s. A line often says several
    things ("RAMs focus on one region; they also compile sales data"): the second is new."""
    if not _lines_of(fact) <= _lines_of(other):
        return False
    words = content_stems(fact.text)
    return len(words & content_stems(other.text)) >= _RESTATED * len(words)


# The share of a view's content words a fact on one of its lines must have to give it.
_GIVEN = 0.5


def said_by(fact: Fact, facts: Sequence[Fact], *, share: float = _RESTATED) -> bool:
    """Whether ``facts`` together say what ``fact`` says: it rests only on lines they rest
    on, or it shares a line with some of them and most of its content words (``share``) are
    theirs. A disagreement's view may cite one line more than the cell giving it: "AEs are
    seasoned sales professionals, with typically several years of sales experience" rests on
    the AE role article's lines 3, 64 and 110, its cell in "AE vs SDR: experience" on 63, 64,
    110."""
    if lines([fact]) <= lines(facts):
        return True
    near = [x for x in facts if lines([x]) & lines([fact])]
    words = content_stems(fact.text)
    theirs = frozenset().union(*(content_stems(x.text) for x in near))
    return bool(near) and len(words & theirs) >= share * len(words)


def given_by(view: Fact, facts: Sequence[Fact]) -> bool:
    """Whether a table's facts give a disagreement's view: they say it, sharing a line with
    it and half its words ("junior, assistant and entry-level positions" in the AM's cell,
    and the insiders' view of entry-level AM posts, both 001 line 39; not "a sales-focused
    role", 000 line 3, which says nothing of whether AEs manage existing accounts)."""
    return said_by(view, facts, share=_GIVEN)


def unrepeated(facts: Sequence[Fact]) -> list[Fact]:
    """The facts, leaving out any that says again what one before it says."""
    kept: list[Fact] = []
    for fact in facts:
        if not any(restates(fact, other) for other in kept):
            kept.append(fact)
    return kept


def disagreements(roles: Sequence[Role], facet: str | None) -> list[Disagreement]:
    """What the articles disagree on about these roles, for this facet (or any)."""
    return [d for r in roles for d in r.disagreements if facet is None or facet in d.facets]


# How many facts' lines are kept worked out (the knowledge holds about 1,500 facts; a
# reloaded knowledge base brings new ones).
_LINES_KEPT = 20_000
# The facets that say what a role does, rather than what it takes or earns.
_DOING: tuple[FacetId, ...] = ("responsibilities", "stakeholders", "work_environment")


def evidence(role: Role, duty: str | None) -> Fact:
    """The role's fact that shows it does ``duty`` (or is called it, for a nickname): one
    resting on a line the duty cites (validate makes sure there is one), the closest in wording
    first. For a duty another
    role's list gives ("upselling existing customers", matched for the AM, asked of the AE
    too), the role's fact that shares most of its words; the summary when none does."""
    facts = [role.summary, *(f for fs in role.facets.values() for f in fs)]
    cited = lines(d for d in (*role.duties, *role.nicknames) if d.text == duty)
    wanted = (duty or "").casefold()
    backing = [f for f in facts if cited & lines([f])]
    if backing:
        # the fact sharing most of the duty's words, then what the role does before what it
        # takes ("who prospects new leads?" is shown by the SDR's work on new leads, not by
        # "SDRs need strong prospecting skills"), then the closest in wording
        # (the duties themselves before whom they are done with: "aligning internal teams"
        # is shown by getting everyone on the same page, not by dealing with stakeholders)
        words = content_stems(wanted)
        doing = {
            id(f): len(_DOING) - i
            for i, facet in enumerate(_DOING)
            for f in role.facets.get(facet, [])
        }
        doing[id(role.summary)] = len(_DOING) - 1
        return max(
            backing,
            key=lambda f: (
                len(words & content_stems(f.text)),
                doing.get(id(f), 0),
                fuzz.partial_ratio(wanted, f.text.casefold()),
            ),
        )
    words = content_stems(wanted)
    best = max(facts, key=lambda f: len(words & content_stems(f.text)))
    return best if words & content_stems(best.text) else role.summary


def resting_on(
    role: Role, refs: Sequence[SourceRef], facet: FacetId | None = None
) -> list[Fact]:
    """The role's facts (on ``facet`` only, if given) that rest on any of these lines."""
    wanted = {(ref.id, n) for ref in refs for n in ref.lines}
    if facet is None:
        facts = [role.summary, *(f for fs in role.facets.values() for f in fs)]
    else:
        facts = list(role.facets.get(facet, []))
    return [f for f in facts if wanted & lines([f])]


def _related(knowledge: Knowledge, role_id: str) -> list[str]:
    """Roles the articles compare with this one, in knowledge order."""
    seen: dict[str, None] = {}
    for comparison in knowledge.comparisons:
        if role_id in comparison.roles:
            seen.update(dict.fromkeys(r for r in comparison.roles if r != role_id))
    return list(seen)


def duty_owner(knowledge: Knowledge, duty: str) -> str | None:
    """The first role that has ``duty``."""
    roles = knowledge.roles.values()
    return next((r.id for r in roles if any(d.text == duty for d in r.duties)), None)


def gap_asked(knowledge: Knowledge, reading: Reading, roles: Sequence[Role]) -> Gap | None:
    """What was asked that the articles cover for none of the roles ("how much do RAMs
    travel?"; not "which role travels most?", answered for the AE and the sales manager)."""
    gap = knowledge.gaps.get(reading.gap or "")
    return None if gap is None or any(r.id in gap.answered_for for r in roles) else gap


def starters(knowledge: Knowledge) -> list[Suggestion]:
    """Where to begin: the first comparison the articles make, a role's metrics, all roles."""
    roles = list(knowledge.roles)
    first = knowledge.comparisons[0].roles[:2] if knowledge.comparisons else roles[:2]
    return [
        Suggestion(Reading("compare", roles=tuple(first))),
        Suggestion(Reading("role_info", roles=(roles[0],), facet="metrics")),
        Suggestion(Reading("list_roles")),
    ]


def suggest_for_role(
    knowledge: Knowledge, role: Role, *, exclude: str | None, shown: Iterable[Fact] = ()
) -> list[Suggestion]:
    """A topic of the role's that a fact shown rests on ("choosing key accounts", after the
    AM's way of picking them), the role's next facets, and the comparisons it is in."""
    shown = list(shown)
    said = lines(shown)
    out = [
        Suggestion(Reading("topic", topic=t.id))
        for t in knowledge.topics.values()
        if role.id in t.related_roles and lines([t.summary]) & said
    ][:1]
    # a facet whose every fact is on the page already, or says again what is, would only
    # show them again ("About RAM" and its "RAM day-to-day work")
    out += [
        Suggestion(Reading("role_info", roles=(role.id,), facet=f))
        for f in SUGGESTED_FACETS
        if f != exclude and f in role.facets and any(_new(x, shown) for x in role.facets[f])
    ][: 2 - len(out)]
    out += [
        Suggestion(Reading("compare", roles=(role.id, r))) for r in _related(knowledge, role.id)
    ]
    return out[:MAX_SUGGESTIONS]


def _new(fact: Fact, shown: Sequence[Fact]) -> bool:
    return fact not in shown and not any(restates(fact, other) for other in shown)


def suggest_for_compare(
    roles: Sequence[Role], *, exclude: str | None, shown: Iterable[str | None] = ()
) -> list[Suggestion]:
    """The same roles compared on facets every one of them covers, then the first role's
    own next facet: never a comparison with a side the articles leave empty, nor a facet
    asked (``exclude``) or whose rows the screen shows (``shown``: "More of this comparison"
    giving the metrics row does not offer "SDR vs AM: metrics")."""
    ids = tuple(r.id for r in roles)
    left = [f for f in SUGGESTED_FACETS if f != exclude and f not in set(shown)]
    shared = [f for f in left if all(f in r.facets for r in roles)]
    out = [Suggestion(Reading("compare", roles=ids, facet=f)) for f in shared[:2]]
    first = roles[0]
    own = [f for f in left if f in first.facets]
    out.append(Suggestion(Reading("role_info", roles=(first.id,), facet=next(iter(own), None))))
    return out[:MAX_SUGGESTIONS]


def facets_of(knowledge: Knowledge, role: Role) -> list[FacetDef]:
    """The facets the articles cover for a role, in the knowledge's order."""
    return [knowledge.facets[f] for f in knowledge.facets if f in role.facets]
