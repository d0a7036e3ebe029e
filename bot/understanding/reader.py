"""Text in, reading out: intent, roles, facet, topic and confidence. Pure; knows nothing of Slack.

Matching yields scored candidates (roles, facets, topics, gaps, cues, duties); one ranking in
``Reader._decide`` picks the intent, and ``Reader._with_facet`` the facet: keywords when they
name one facet, else a small trained model (``facet_model``). "Who does X?" looks duties up in
an index by stem; when the articles give X to no role, the reading says so (no roles) with the
nearest duty they do give. A previous reading may be passed as context, so that a follow-up
("what about AMs?", "and their salary?") keeps what it leaves out.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from bot.knowledge import Knowledge, alias_key
from bot.knowledge.schema import Disagreement, Fact, Person
from bot.understanding.facet_model import FACETED, FacetModel
from bot.understanding.lexicon import SHORT_FORMS, Entry, Lexicon, stem
from bot.understanding.normalize import SPOKEN_OF, Token, clean, token_starts, tokenize
from bot.understanding.reading import MAX_ROLES, Reading
from bot.understanding.recommend import Recommender

__all__ = ["Reader", "Terms"]

# Single-word role aliases that are also everyday English ("I am", "RAM" of a laptop, "sm"
# for small).
_AMBIGUOUS = frozenset({"am", "ram", "sm", "kam"})
# Of those, the ones a role only when written in capitals or after an article ("base kam hai",
# Hindi for "the base is low"; "Kam punuar", Albanian for "I have worked")
_CAPITALS_ONLY = frozenset({"kam"})
_ARTICLES = frozenset({"a", "an", "the"})
_DETERMINERS = frozenset({"a", "an", "the", "my", "our", "your", "as", "each", "every", "new"})
# Questions about the asker's own things ("my pay", "our pipeline") are not about roles.
_OWN_THINGS = frozenset({"my", "our"})
# Words that lead into a question without asking anything: "and who do they report to?"
_LEAD_INS = frozenset(
    {"and", "also", "but", "so", "ok", "okay", "hmm", "hm", "um", "umm", "uh", "wait", "oh"}
    | {"ah", "well", "btw", ","}
)
# The share of a question's words a duty must name to be what was asked of a role.
_MOSTLY = 2 / 3
# The intents whose answers offer a second facet asked ("..., and do they travel?") first.
_ALSO_ASKED = frozenset({"role_info", "compare", "recommend"})
# "are AE and AM the same thing?", "interchangeable titles?"
_INTERCHANGEABLE = frozenset({"interchangeable", "interchangeably"})
_SAME_WHAT = frozenset({"thing", "job", "jobs", "role", "roles", "title", "titles", "position"})
_ONE_PERSON = frozenset(
    {("one", "person"), ("same", "person"), ("single", "person"), ("both", "jobs")}
    | {("both", "roles")}
)
# Words that join a second question to a first: "... and do they travel much?"
_JOINING = frozenset({"and", "also", "plus"})
_QUESTION_STARTS = frozenset(
    {"do", "does", "is", "are", "can", "will", "would", "should", "what", "how", "which"}
    | {"where", "who", "when", "what's", "whats", "any"}
)
_FOLLOW_UP_STARTS = (
    ("what", "about"),
    ("how", "about"),
    ("how", "bout"),
    ("what", "bout"),
    ("and",),
    ("same", "for"),
    ("for",),
    ("also",),
)
_PUNCTUATION = frozenset({"?", "/", "="})
_NOT = frozenset({"not", "no", "nothing"})
_NEGATION_REACH = 3
# Words for the asker's company: "a good fit for us".
_OUR_SIDE = frozenset({"us", "our", "we"})
# Below every duty's ranking key.
_NO_DUTY = (-1.0, 0, 0, "")
# What a company's own people have that differs from one company to the next.
_THEIRS_VARY = frozenset({"compensation", "metrics", "stakeholders", "career_path"})
# Words that only make a request polite: "can you please summarise ...".
_POLITE = frozenset({"can", "could", "would", "will", "you", "u", "please", "pls", "plz", "hey"})
# What the asker needs or wants for a role is about that role: "what do I need for a NAM role?"
_WANTING = frozenset({"need", "want", "have", "get", "require"})
# What joins two facets named together: "pay and seniority", "skills & salary".
_JOINING_FACETS = frozenset({"and", "&", ",", "plus", "or", "/"})
_NOT_A_PERSON = frozenset(
    {"person", "one", "role", "job", "best", "right", "main", "first", "link", "contact", "boss"}
    | {"primary", "single", "sole", "key", "usual", "typical", "final"}
)
# "what roles do you know?", "roles list pls", "every sales role you have": asking for the list.
_ROLE_NOUNS = frozenset({"roles", "jobs", "positions", "titles", "seats"})
_LIST_WORDS = frozenset(
    {"you", "your", "list", "every", "all", "exist", "available", "different", "various", "many"}
)
# Words that ask how things are in general, not at the asker's company.
_IN_GENERAL = frozenset(
    {"typical", "typically", "normally", "usually", "generally", "general", "industry", "standard"}
    | {"considered", "normal", "common", "usual", "textbook", "theory", "definition"}
)
# Words standing for a role's name after a word of it: "a national one", "the regional kind".
_STAND_INS = frozenset({"one", "ones", "kind", "type", "version", "variety", "counterpart"})
# Seniority words that qualify a role's name ("a junior AE role") rather than ask about it.
_RANKS = frozenset({"junior", "senior", "jr", "sr"})
# "any roles besides AE and AM?": asking for the list of the other roles.
_OTHER = frozenset({"besides", "other", "except", "beyond"})
# "in Austria", "from the Paris office": a place is the asker's setting, not something particular.
_PLACE_PREPOSITIONS = frozenset({"in", "from"})
# "the NAM for Walmart", "the salary of Priya": a customer or a colleague, named.
_PARTICULAR_PREPOSITIONS = frozenset({"for", "at", "of", "on", "with"})
_DIRECTIONS = frozenset({"north", "south", "east", "west", "rest", "part", "centre", "center"})
_CALENDAR = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
    | {"january", "february", "march", "april", "june", "july", "august", "september"}
    | {"october", "november", "december"}
)
# "what is an SDR?", "AE meaning?": asking what a role is.
_DEFINING = frozenset(
    {"wat", "wats", "wut", "meaning", "mean", "means", "define", "definition", "explain"}
    | {"describe", "information", "lowdown", "rundown", "deal", "pls", "plz", "please"}
)
_DEFINING_STARTS = (("what", "is"), ("wat", "is"), ("what", "are"))
_DEFINING_WORDS = frozenset({"what's", "whats", "wats", "wat's"})
# "who won ...?", "who's on call tonight?": a particular event or person, not a role's work.
_PAST_TENSE = frozenset(
    {"won", "lost", "sold", "did", "was", "were", "got", "made", "took", "said"}
)
# Words that introduce the asker's own role: "I'm an SDR", "I've been a RAM", "as an AE".
# Comparing words that compare roles only when next to one ("AE or AM?").
# Phrases that name roles, comparison or sales in general rather than what is asked.
_NAMING = frozenset({"role", "partial_role", "compare", "domain", "person", "ambiguous"})
_WEAK_COMPARE = frozenset({"or"})
# Words by which the asker speaks of themself.
_ASKER_WORDS = frozenset({"i", "i'm", "im", "my", "me"})
# Words by which the asker tells about themself or their team: "I have budget for one hire".
_TELLING = _ASKER_WORDS | {"i've", "i'd", "we", "we're", "our", "us"}
# Words that ask, even in a sentence that tells: "I'm wondering what the next step is."
_ASKING = frozenset(
    {"what", "how", "who", "which", "where", "when", "why", "whether", "wondering", "curious"}
)
_OBJECT_PREPOSITIONS = frozenset({"to", "for", "per"})
# Words starting a sentence that tells about the asker, who is left out: "heard it in a
# meeting today", "writing a job ladder for HR", "just started as an SDR".
_TOLD_STARTS = frozenset(
    {"heard", "saw", "got", "joined", "started", "starting", "writing", "moving", "just"}
    | {"switching", "coming", "came", "been", "asking", "trying", "building", "preparing"}
)
_ASKER = frozenset({"i'm", "im", "been", "was"})
# Words opening a clause in which the asker tells of their own team's plans.
_WE_TELL = frozenset({"we", "we're", "we've", "we'll"})
# Cue phrases this long ("who is responsible for") name no work of their own.
_LONG_CUE = 3
# How many more of a role's duties one "who does X and Y?" answer shows
_MORE_WORK = 2
# Words that compare how much of something roles have: "which one earns more?"
_COMPARATIVES = frozenset(
    {"more", "less", "better", "worse", "most", "least", "higher", "lower", "bigger", "smaller"}
    | {"harder", "easier", "faster", "longer", "best", "worst", "than"}
)
# Words ending or starting a school's name.
_SCHOOLS = frozenset(
    {"university", "uni", "college", "school", "institute", "academy", "polytechnic"}
)
# "which role ...", "what job ...": asking which role, when a facet follows.
_WHICH_NOUNS = frozenset({"role", "job", "position", "title", "seat"})
_THE_MOST = frozenset({"most", "least", "best", "the"})
# What follows "which role" asking which role has something of a facet.
_HAVING = frozenset(
    {"is", "needs", "requires", "has", "gets", "takes", "involves", "demands", "pays", "earns"}
    | {"usually", "typically", "tends", "offers", "comes", "travels", "works", "reports"}
)
# What follows "which role" asking which role does some work.
_DOING_WORK = frozenset({"owns", "handles", "sells", "looks", "deals", "runs"})
# The longest run of a question's words looked up among the roles' facts.
_PHRASE_RUN = 4
# How many facts may say it: a run more say ("career path") is a facet's name, no fact's.
_SAID_BY = 2
# Under this share of its words known, a question about the asker's own team is theirs.
_LITTLE_KNOWN = 0.3
# How a question asking what a role does ends.
_DOING = frozenset({"do", "doing"})
# How much of a follow-up naming a facet must be known words, after a role.
_FOLLOWING = 0.6
# The most roles a question naming none is answered with side by side (a comparison holds
# four).
_ACROSS = 4
# Words adding a role to a comparison just made: "add AM to that".
_ADDING = frozenset({"add", "include", "plus"})
# Words asking about others than the one named: "who else is quoted besides Amanda Sides?"
_BESIDES = frozenset({"else", "besides", "other", "others"})
# Words asking for what someone quoted advises.
_ADVICE = frozenset({"advice", "advise", "tips", "tip"})
_FIT = frozenset({"someone", "me", "i", "suit", "suits", "fit", "fits", "aim"})
# Words that may stand between a role's name and what asks whether the asker fits it ("is the
# AE role really a good fit for me?").
_FIT_BETWEEN = frozenset(
    {"role", "job", "position", "career", "path", "really", "actually", "is", "be", "would"}
    | {"a", "the", "good", "right", "better", "best", "thing", "one"}
)
# The intents whose answer, asked in a line, is the roles' summary.
_BRIEF = frozenset({"role_info", "compare"})
# The answers on roles that say when a role the question names is one no article describes
_ON_ROLES = frozenset({"role_info", "compare"})
# The facets that answer whether one fits a role: what it takes, then what employers look
# for (the insiders' article's "Are you cut out to be an account manager?", lines 37-39).
_FIT_FACET = "skills"
_FIT_ALSO = "experience"
# Words that say a name is what someone is called: "which role do they call the hunters?".
_CALLED = frozenset({"call", "calls", "called", "known", "nicknamed", "nickname", "referred"})
# Words asking for a role to be explained, when the question names none.
_EXPLAIN = frozenset({"explain", "lowdown", "rundown", "describe", "breakdown"})
_JOB_WORDS = frozenset({"job", "jobs", "role", "roles", "career", "careers", "position"})
# The asker's own interview for a role ("AE interview tomorrow"), not a candidate's.
_INTERVIEW = frozenset({"interview", "interviews"})
_PRONOUNS = frozenset({"they", "he", "she", "it"})
# How many words a question shares with a disagreement (what it is about and its views) to be
# asking of it.
_SHARED_WITH_ABOUT = 2
# "do you have anything on ...?", "have you got info about ...?": asking what the bot covers.
_YOU = frozenset({"you", "u", "ya"})
_HAVING_IT = frozenset({"have", "got", "cover", "info", "anything", "know"})
# The asker hires for the role, not into it.
_HIRING = frozenset({"hire", "hiring", "recruit", "recruiting"})
# "how should I measure ...", "how do we evaluate ...": asking how a thing is done.
_HOW_ONE_SHOULD = ("should", "would", "to", "do")
_MEASURING = frozenset({"measure", "evaluate", "assess", "judge", "benchmark"})
# What points back to an earlier message and says nothing else: "what about them?", "and the
# other one?", "wait, why?", "same question but for skills".
_BACK = frozenset(
    {"them", "they", "those", "these", "it", "that", "their", "other", "one", "ones", "second"}
    | {"first", "last", "previous", "mentioned", "you", "said", "same", "question", "why"}
    | {"more", "detail", "details", "elaborate", "expand"}
)
_BACK_FILLERS = frozenset(
    {"what", "about", "how", "bout", "and", "for", "also", "the", "ok", "okay", "so", "wait"}
    | {"but", "hmm", "then", "come", "?", ",", ".", "!", "pls", "please", "plz", "can", "could"}
    | {"tell", "give", "me", "some", "a", "bit", "on", "in"}
)
# "ok but what is it exactly?": what something not named is, in words that add nothing
_POINTING = _PRONOUNS | {"that", "these", "those"}
# The verbs after a "that" opening a clause: "what would an AM do that is different?"
_RELATIVE_VERBS = frozenset({"is", "are", "was", "were", "has", "have", "makes", "does"})
_VAGUE = frozenset({"exactly", "precisely", "again", "anyway", "even", "then"})
# The facet of whom a role deals with: "who do SDRs pass their leads to?"
_WHOM = "stakeholders"
# The facet of what a role does: "do AEs cold call?"
_DUTIES = "responsibilities"
_DO = frozenset({"do", "does"})
# Words asking whether work is the role's alone: "do AMs do upselling too, or is that the AE's?"
_ALONE = frozenset({"too", "also", "else", "only", "just", "alone"})
_AUXILIARIES = frozenset({"do", "does", "did", "will", "would", "should", "can", "could"})
# Words opening a clause on when something happens: "once an AE signs ..., who ...?"
_WHEN_IT_HAPPENS = frozenset({"once", "after", "when", "whenever", "if", "before"})
_OCCASIONS = frozenset({"today", "tonight", "tomorrow", "yesterday", "last", "this", "next"})


def _which_roles(tokens: Sequence[Token]) -> list[int]:
    """Where "which role", "what job" and the like end in the question."""
    return [
        i + 1
        for i, (a, b) in enumerate(itertools.pairwise(tokens))
        if a.text in {"which", "what"} and b.text in _WHICH_NOUNS
    ]


def _asks_which_role(tokens: Sequence[Token]) -> bool:
    """Whether the question asks which role: "what's the most senior role?" (not "what's the
    best CRM?")."""
    return bool(_which_roles(tokens)) or any(
        a.raw.casefold() in {"what's", "whats", "what\u2019s"}
        and tokens[i + 1].text in _THE_MOST
        and any(t.text in _WHICH_NOUNS for t in tokens[i + 2 : i + 6])
        for i, a in enumerate(tokens[:-1])
    )


def _which_role_then(tokens: Sequence[Token], verbs: Collection[str]) -> bool:
    """Whether "which role" (``_which_roles``) is followed by one of ``verbs``, not asked of
    the bot ("which role do you know?")."""
    words = [t.text for t in tokens]
    return any(
        words[i + 1 : i + 2] and words[i + 1] in verbs and words[i + 2 : i + 3] != ["you"]
        for i in _which_roles(tokens)
    )


def _which_role_is(tokens: Sequence[Token]) -> bool:
    """Whether the question asks which role has something, in those words: "which role is
    entry level?", "which job needs a degree?" (not "I don't know which role yet")."""
    return _which_role_then(tokens, _HAVING)


def _which_role_does(tokens: Sequence[Token]) -> bool:
    """Whether the question asks which one role does something: "which role would own that?",
    "which role does the forecast?" (not "which roles do you know?")."""
    return _which_role_then(tokens, _AUXILIARIES | _HAVING | _DOING_WORK)


def _left_out_of_list(s: _Signals) -> tuple[str, ...] | None:
    """The roles a question naming some asks the list of roles without: "any roles besides
    AE and AM?", the others; "do you cover CSMs or just AE/AM?" (or "are SDRs covered?"),
    none, since the whole list shows whether they are among them; else None."""
    if "list_roles" not in s.cues or s.facet:
        return None
    texts = [t.text for t in s.tokens]
    if set(texts) & _OTHER:
        return s.roles
    asks = (texts[:2] == ["do", "you"] and "cover" in texts[2:4]) or "covered" in texts
    return () if s.roles and asks else None


def _next_from_own_role(s: _Signals, recommended: Sequence[str]) -> bool:
    """Whether the asker, telling of the role they have, asks what comes next and would be
    recommended that same role: "I've been an AE for 5 yrs, good at closing. next move?"."""
    own = {e.value for f in s.found if f.start in s.told for e in f.entries if e.kind == "role"}
    return bool(recommended[:1]) and recommended[0] in own and "next" in {t.text for t in s.tokens}


def _school_names(tokens: Sequence[Token]) -> set[int]:
    """The capitalised words naming a school: "Tel Aviv Uni", "University of Bucharest"."""
    named: set[int] = set()
    for j, token in enumerate(tokens):
        if token.text not in _SCHOOLS or not token.raw[:1].isupper():
            continue
        i = j
        while i > 0 and tokens[i - 1].raw[:1].isupper():
            i -= 1
        k = j + 1
        if k < len(tokens) and tokens[k].text == "of":
            k += 1
            while k < len(tokens) and tokens[k].raw[:1].isupper():
                k += 1
        named |= set(range(i, k))
    return named


def _topic_aside(s: _Signals) -> bool:
    """Whether a topic is named only in a sentence apart from the one asking a role's facet:
    "what would I need to be good at as a NAM? asking for the key account team offsite"."""
    spans = _sentence_spans(s.tokens, s.sentences)

    def sentence(i: int) -> int:
        return next(k for k, span in enumerate(spans) if i in span)

    topics = {sentence(f.start) for f in s.found if f.has("topic")}
    roles = {sentence(f.start) for f in s.found if f.has("role")}
    facets = {sentence(i) for i, _ in s.facet_spots}
    asking = any(_asks(s.tokens, spans[k]) for k in topics)  # not "... - is it bant?"
    return bool(roles & facets) and not (asking or topics & (roles | facets))


def _preposition_before(tokens: Sequence[Token], i: int) -> str:
    """The word before the one at ``i``, its determiners and the capitalised words of the same
    name ("from" in "from the Paris office", "in" in "in São Paulo")."""
    while i > 0 and (tokens[i - 1].text in _DETERMINERS or tokens[i - 1].raw[:1].isupper()):
        i -= 1
    return tokens[i - 1].text if i > 0 else ""


def _sentence_spans(tokens: Sequence[Token], sentences: frozenset[int]) -> list[range]:
    """The token ranges of a question's sentences, in order."""
    starts = sorted(sentences)
    return [range(a, b) for a, b in zip(starts, [*starts[1:], len(tokens)], strict=True)]


def _asks(tokens: Sequence[Token], span: range) -> bool:
    """Whether a sentence asks: it has a question mark."""
    return any(tokens[i].text == "?" for i in span)


def _points_back(tokens: Sequence[Token], i: int, spans: Sequence[range]) -> bool:
    """Whether the word at ``i`` points back at something said before ("Is that normal?"),
    not a "that" opening a clause mid-sentence ("what would an AM do that is different?")."""
    if tokens[i].text not in _POINTING | {"this"}:
        return False
    opens = any(span.start == i for span in spans)
    verb = i + 1 < len(tokens) and tokens[i + 1].text in _RELATIVE_VERBS
    return not (tokens[i].text == "that" and verb and not opens)


def _told(tokens: Sequence[Token], spans: Sequence[range]) -> frozenset[int]:
    """The tokens of sentences in which the asker only tells about themself, beside one that
    asks: "Hiring manager here. I have budget for one headcount. How do SDRs and AEs differ?"
    (the headcount is the setting, not the facet asked). A question asking nothing keeps them
    all."""
    asks = [_asks(tokens, span) for span in spans]
    asked = [i for span, asking in zip(spans, asks, strict=True) if asking for i in span]
    # and so does one pointing back at what it was told ("My manager says AEs prospect. Is
    # that normal?")
    if not asked or any(_points_back(tokens, i, spans) for i in asked):
        return frozenset()
    return frozenset(
        i
        for span, asking in zip(spans, asks, strict=True)
        if not asking
        and (
            any(tokens[i].text in _TELLING for i in span)
            # the asker left out ("heard it in a meeting today", "writing a job ladder")
            or (bool(span) and tokens[span[0]].text in _TOLD_STARTS)
        )
        and not any(tokens[i].text in _ASKING for i in span)
        for i in span
    )


def _one_list(tokens: Sequence[Token], spans: Sequence[_Found], starts: Sequence[int]) -> bool:
    """Whether the roles named at ``starts`` (two or more) are named one after the other,
    with only "and", "or" or a comma between them: "AE, AM and sales manager"."""
    ends = {f.start: f.end for f in spans}
    return len(starts) >= 2 and all(
        a in ends and all(t.text in _LIST_JOINS for t in tokens[ends[a] : b])
        for a, b in itertools.pairwise(starts)
    )


def _asked_spans(s: _Signals) -> tuple[list[range], list[range]]:
    """A question's sentences, and those of them that ask (``_asks``)."""
    spans = _sentence_spans(s.tokens, s.sentences)
    return spans, [span for span in spans if _asks(s.tokens, span)]


def _unasked(s: _Signals) -> frozenset[int]:
    """The tokens of what the asker tells beside a question: the sentences without a question
    mark, when one with it names a role (else the sentences in which they tell about
    themself, ``_told``, beside a role named apart from them or none: "I visit our dealers
    across Slavonia every week. what role would suit me?"), and the clauses telling of the
    asker's own plans after one naming a role (``_telling_clauses``)."""
    spans, asked = _asked_spans(s)
    roles = {f.start for f in s.found if f.has("role")}
    if not any(i in span for span in asked for i in roles):
        told = s.told if not roles or any(i not in s.told for i in roles) else frozenset()
        return told | _telling_clauses(s, roles)
    return frozenset(i for span in spans if span not in asked for i in span)


def _telling_clauses(s: _Signals, roles: set[int]) -> frozenset[int]:
    """The clauses after one naming a role in which the asker tells of their own plans and
    names no role nor asks: "tell me about the RAM role, we're creating one for the Baltics"."""
    if not roles:
        return frozenset()
    clauses: dict[int, list[int]] = defaultdict(list)
    for i, clause in enumerate(s.clauses):
        clauses[clause].append(i)
    named = {s.clauses[i] for i in roles}
    return frozenset(
        i
        for clause, at in clauses.items()
        if clause > min(named)
        and clause not in named
        and s.tokens[at[0]].text in _WE_TELL
        and not any(s.tokens[k].text in _ASKING | {"?"} for k in at)
        for i in at
    )


def _question_parts(s: _Signals) -> tuple[list[int], set[int]]:
    """Each token's part of the question, and the parts that ask: a part is a sentence, or
    what follows "and", "also" or "plus" starting a question, or a clause asking a question of
    its own."""
    starts = set(s.sentences) | {
        i + 1
        for i, t in enumerate(s.tokens[:-1])
        if t.text in _JOINING and s.tokens[i + 1].text in _QUESTION_STARTS
    }
    # a clause asking a question of its own: "How are AMs measured, and unrelated, do I
    # need a degree?"
    starts |= {
        i
        for i in range(1, len(s.tokens))
        if s.clauses[i] != s.clauses[i - 1] and s.tokens[i].text in _QUESTION_STARTS
    }
    part = [sum(1 for at in starts if at <= i) for i in range(len(s.tokens))]
    # a part asks when it starts with a question's word (not a job ad quoted, nor what the
    # asker tells)
    asking = {part[at] for at in starts | {0} if _opens_a_question(s.tokens, at)}
    return part, asking


def _first_asked(s: _Signals) -> str | None:
    """The one facet named in the first part that asks one, when the others are asked in
    parts of their own after it ("what does a sales manager earn and do they need an MBA?");
    or the first of two facets named side by side ("AE vs AM pay and career path")."""
    pair = _joined_facets(s)
    if pair is not None and len(s.facets) == 2:
        return pair[0]
    part, asking = _question_parts(s)
    spots = [(part[i], f) for i, f in s.facet_spots if part[i] in asking]
    if not spots:
        return None
    first = min(p for p, _ in spots)
    named = {f for p, f in spots if p == first}
    later = {f for i, f in s.facet_spots if part[i] != first}
    if len(named) != 1 or not later or named & later:
        return None
    return named.pop()


def _also_asked(s: _Signals, facet: str | None) -> str | None:
    """A facet other than ``facet`` asked in a part of its own (``_question_parts``): "what do
    AEs earn and do they travel much?", "which role fits me? do those roles pay well?"; not a
    keyword beside the facet's own ("how much experience" names no pay)."""
    part, asking = _question_parts(s)
    # with no facet read (a recommendation), the first question and what comes before it are
    # what the asker says of themself ("loves setting targets, which role?")
    if facet is not None:
        own = {part[i] for i, f in s.facet_spots if f == facet}
    else:
        own = set(range(min(asking, default=0) + 1))
    return next(
        (f for i, f in s.facet_spots if f != facet and part[i] in asking - own), None
    ) or _joined_facet(s, facet)


def _joined_facets(s: _Signals) -> tuple[str, str] | None:
    """Two facets named side by side, joined by "and", "plus", "or" or a comma, each named
    once, in the order named: "compare AM, AE and SDR on pay and seniority", "AE vs AM pay
    and career path" (not "office based or on the road?", which names the workplace twice)."""
    named = [
        (f.start, f.end, {e.value for e in f.entries if e.kind == "facet"})
        for f in s.found
        if f.has("facet")
    ]
    for (_, end, before), (start, _, after) in itertools.pairwise(named):
        between = s.tokens[end:start]
        joined = 0 < len(between) <= 2 and all(t.text in _JOINING_FACETS for t in between)
        once = all(sum(1 for _, _, f in named if f == one) == 1 for one in (before, after))
        if joined and once and len(before) == len(after) == 1 and before != after:
            return next(iter(before)), next(iter(after))
    return None


def _joined_facet(s: _Signals, facet: str | None) -> str | None:
    """The facet named beside the facet's own, joined to it (``_joined_facets``)."""
    pair = _joined_facets(s)
    if pair is None or facet not in pair:
        return None
    return pair[1] if pair[0] == facet else pair[0]


def _ends_in_a_choice(s: _Signals) -> bool:
    """Whether the question's last clause is only roles offered with "or": "I like coaching,
    sales manager or AE?"."""
    said = [i for i, t in enumerate(s.tokens) if t.text not in _PUNCTUATION]
    if not said:
        return False
    words = [i for i in said if s.clauses[i] == s.clauses[said[-1]]]
    words = [i for i in words if s.tokens[i].text not in _DETERMINERS]
    names = {i for f in s.found if f.has("role") for i in range(f.start, f.end)}
    offered = all(i in names or s.tokens[i].text == "or" for i in words)
    return bool(words) and words[0] > 0 and offered and any(s.tokens[i].text == "or" for i in words)


def _negated(tokens: Sequence[Token], at: int) -> bool:
    """Whether the word at ``at`` is said not to be meant: "not" or "no" among the three words
    before it ("not scrum", "not the memory kind", "not computer memory")."""
    return any(t.text in _NOT for t in tokens[max(0, at - _NEGATION_REACH) : at])


def _asks_of_asker(tokens: Sequence[Token]) -> bool:
    """Whether the question asks what the asker does: "what do I hand over?", "what am I
    measured on?" (not "should I learn what AEs do?", "what do I need for a NAM role?")."""
    words = [t.text for t in tokens]
    return any(
        a in {"do", "am"} and b == "i" and c not in _WANTING
        for a, b, c in zip(words, [*words[1:], ""], [*words[2:], "", ""], strict=True)
    )


def _asks_if_same(tokens: Sequence[Token]) -> bool:
    """Whether a question asks if roles are the same: "the same thing?", "same job with
    different names?", "interchangeable titles?"."""
    words = [t.text for t in tokens]
    if _INTERCHANGEABLE & set(words):
        return True
    # "can one person do both jobs?", "do the two roles overlap?"
    pairs = set(itertools.pairwise(words))
    if pairs & _ONE_PERSON or {"overlap", "overlapping"} & set(words):
        return True
    return any(w == "same" and _SAME_WHAT & set(words[i + 1 : i + 3]) for i, w in enumerate(words))


def _opens_a_question(tokens: Sequence[Token], at: int) -> bool:
    """Whether the words from ``at`` open a question, after any that lead in."""
    while at < len(tokens) and tokens[at].text in _LEAD_INS | _JOINING:
        at += 1
    return at < len(tokens) and tokens[at].text in _QUESTION_STARTS


def _moves(tokens: Sequence[Token], first: int, second: int) -> bool:
    """Whether roles named at ``first`` and ``second`` are a move: "from SDR to AE"."""
    return _preposition_before(tokens, first) == "from" and _preposition_before(
        tokens, second
    ) in {"to", "into"}


_WORDS = re.compile(r"[A-Za-z]+")
_POSSESSIVE = re.compile(r"['\u2019]s$")
# Where one sentence ends and the next begins: ". ", "! ", "? ", " - ".
_SENTENCE_END = re.compile(r"[.!?;:]\s+(?=\S)|\s[-\u2013\u2014]\s+(?=\S)")
# Where a clause ends inside a sentence, and the words that start one ("..., what background
# should I screen for?", "what AMs should be good at before we open two new reqs").
_CLAUSE_END = re.compile(r",\s+(?=\S)")
# What may follow a role's distinctive word standing for the role ("national vs regional",
# "the regional one", "regional or national?")
_AFTER_PARTIAL = frozenset(
    {"vs", "versus", "or", "and", "one", "ones", "?", "/", "->", "to"}
    | {"en", "of", "e", "ou", "i", "o", "ili"}  # Dutch, Portuguese, Catalan, Serbian
)
# A question read as in another language: this many words or more, and at least this share
# of them unknown here
_FOREIGN_WORDS = 3
_FOREIGN_SHARE = 0.5
# A slash command typed into a message: its name, then its words
_TYPED_COMMAND = re.compile(r"/([^\W\d_][\w-]*)(?:\s+(.*))?", re.DOTALL)
_LIST_JOINS = frozenset({"and", "or", "&", "/"})
_BETWEEN_NAMES = _PUNCTUATION | _LIST_JOINS | {"vs", "versus"}
_LIST_ASKS = ({"list"}, {"roles"}, {"list", "roles"}, {"all"}, {"all", "roles"})
_CLAUSE_WORDS = frozenset(
    {"before", "after", "because", "since", "while", "when", "but", "although", "though"}
)


def _parts(text: str, ends: re.Pattern[str]) -> frozenset[int]:
    """The token indices where the parts of ``text`` that ``ends`` separates start, with 0."""
    starts = token_starts(text)
    return frozenset({0, *(bisect_left(starts, m.end()) for m in ends.finditer(text))})


def _plural_acronym(raw: str) -> bool:
    """Whether a word is capitals with a plural s: "AMs", "RAMs" (not "Rams", "RAM")."""
    return len(raw) > 2 and raw.endswith("s") and raw[:-1].isupper()


def _counted(tokens: Sequence[Token], start: int) -> bool:
    """Whether the role named at ``start`` is counted: "how many SDRs ...?"."""
    return [t.text for t in tokens[max(0, start - 2) : start]] == ["how", "many"]


def _no_role_found(reading: Reading) -> bool:
    """A "who does X?" reading for work the articles give no role."""
    return reading.intent == "which_role" and not reading.roles


class _DutyMatch(NamedTuple):
    """A role whose duty the question names: its best duty, that duty's score, and its other
    duties naming work the best one does not (a tuple: at 100 times the knowledge a question
    may match a thousand roles)."""

    role: str
    duty: str
    score: float
    more: tuple[str, ...] = ()


def _more_work(
    hits: Sequence[tuple[frozenset[str], str]], best: str, meanings: Mapping[str, set[str]]
) -> tuple[str, ...]:
    """Of a role's duties the question names, best first, those naming a word of the
    question none before them does, after ``best`` ("who handles renewals and upselling?":
    upselling, after renewals; not "closes the sale" after "closing deals"); at most
    ``_MORE_WORK``. ``meanings``: each word of the question, and the stems it stands for."""

    def named(hit: frozenset[str]) -> set[str]:
        return {word for word, meant in meanings.items() if hit & meant}

    seen = set().union(*(named(hit) for hit, phrase in hits if phrase == best))
    more: list[str] = []
    for hit, phrase in hits:
        new = named(hit) - seen
        if phrase != best and phrase not in more and new and len(more) < _MORE_WORK:
            more.append(phrase)
            seen |= new
    return tuple(more)


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    entries: frozenset[Entry]
    kinds: frozenset[str]

    def has(self, kind: str) -> bool:
        return kind in self.kinds


@dataclass(slots=True)
class _Matches:
    """What one question's phrases name, sorted by kind (``Reader._match`` fills it)."""

    roles: list[tuple[int, str]] = field(default_factory=list)
    role_spans: list[_Found] = field(default_factory=list)
    partial: list[tuple[int, str]] = field(default_factory=list)
    # where a partial name ends: "regional" in "regional AM"
    ends: dict[int, str] = field(default_factory=dict)
    # partial names before a word standing for the role: "national" in "a national one"
    stand_ins: list[tuple[int, str]] = field(default_factory=list)
    # facet phrases found: (start, kind, facet, weight in characters)
    facet_hits: list[tuple[int, str, str, int]] = field(default_factory=list)
    facets: dict[str, int] = field(default_factory=dict)
    weak: dict[str, int] = field(default_factory=dict)
    topic: str | None = None
    # a topic named only by a weak alias ("full-time")
    weak_topic: str | None = None
    step: str | None = None
    # a sales role no article describes ("sales engineer"), by name
    uncovered: str | None = None
    gap: str | None = None
    person: tuple[int, Person] | None = None
    # names that fit several roles ("account rep"): an index into vocabulary.ambiguous_names
    ambiguous: list[int] = field(default_factory=list)
    cues: set[str] = field(default_factory=set)

    def add_facet(self, tokens: Sequence[Token], item: _Found, entry: Entry) -> None:
        """Note a facet phrase, weighted by its length in characters."""
        weight = sum(len(t.text) for t in tokens[item.start : item.end])
        self.facet_hits.append((item.start, entry.kind, entry.value, weight))

    def count_facets(self, question_start: int) -> None:
        """Weigh the facets named; when the last sentence (the question itself, after some
        context) names one, only its phrases count: "We're an agency hiring our first AM.
        What should I expect them to handle?" asks about duties, not the workplace."""
        asked = [h for h in self.facet_hits if h[0] >= question_start and h[1] == "facet"]
        hits = asked + [h for h in self.facet_hits if h[1] != "facet"] if asked else self.facet_hits
        for _, kind, facet, weight in hits:
            bucket = self.facets if kind == "facet" else self.weak
            bucket[facet] = bucket.get(facet, 0) + weight


@dataclass(frozen=True, slots=True)
class _Signals:
    """Everything matched in one question, before any decision."""

    tokens: tuple[Token, ...]
    stems: tuple[str, ...]
    found: tuple[_Found, ...]
    roles: tuple[str, ...]
    facet: str | None
    # Every facet whose keywords the question has (``facet`` is the weightiest).
    facets: frozenset[str]
    weak_facet: str | None
    topic: str | None
    step: str | None
    uncovered: str | None
    # Something asked that the articles never cover (a gap id), and the facet nearest to it.
    gap: str | None
    gap_facet: str | None
    # A person the question names, when no role is named and the person's role stands in for
    # it, at the facet where their words are ("Amanda Sides' advice?").
    person: Person | None
    # A person the question names, whether or not it names a role ("what did John Golden
    # say about AEs?"): the role's answer leads with their words.
    named_person: Person | None
    # The roles a name that fits several stands for ("account rep": AM or AE), none of them
    # named otherwise.
    ambiguous: tuple[str, ...]
    cues: frozenset[str]
    certainty: float
    coverage: float
    content: int
    # Meaningful words that name no role, comparison or sales in general ("salary", "hook").
    rest: int
    # The token indices where a sentence starts, and each token's clause (counted from 0).
    sentences: frozenset[int]
    clauses: tuple[int, ...]
    # Where each facet keyword stands: (token index, facet).
    facet_spots: tuple[tuple[int, str], ...]
    # The sentences in which the asker tells about themself (``_told``), and the rest.
    told: frozenset[int]
    asked: str
    # The roles whose duties the question names, by cutoff, worked out once (``_duties``).
    duties_at: dict[float, list[_DutyMatch]] = field(default_factory=dict)

    def first_words(self, *words: str) -> bool:
        return tuple(t.text for t in self.tokens[: len(words)]) == words

    def starts_with(self, kind: str) -> bool:
        """Whether the first phrase found is of ``kind`` and starts the question, after any
        words that only lead in ("and who do they report to?", "hmm, who books demos?")."""
        lead = 0
        while lead < len(self.tokens) and self.tokens[lead].text in _LEAD_INS:
            lead += 1
        return bool(self.found) and self.found[0].start == lead and self.found[0].has(kind)


@dataclass(frozen=True, slots=True)
class Terms:
    """The roles and facet named in a list of terms (slash command arguments), and the rest."""

    roles: tuple[str, ...]
    facet: str | None
    unknown: tuple[str, ...]
    # The roles a name that fits several stands for ("account rep"), none of them named.
    ambiguous: tuple[str, ...] = ()


class Reader:
    """Reads questions against one knowledge base. Build once; ``read`` is cheap and pure."""

    def __init__(
        self,
        knowledge: Knowledge,
        *,
        typo_cutoff: float = 0.8,
        duty_cutoff: float = 86.0,
        nearest_cutoff: float = 60.0,
        min_coverage: float = 0.8,
        facet_model: FacetModel | None = None,
    ) -> None:
        """Thresholds (chosen on the labelled data, see ``rolebot eval --sweep``):

        ``typo_cutoff``: optimal-string-alignment similarity (0-1: Damerau-Levenshtein with
        no substring edited twice) for repairing a misspelt word;
        ``duty_cutoff``: token-set similarity (0-100) for a duty named in "who does X?";
        ``nearest_cutoff``: the same, for the nearest duty offered when none reaches it;
        ``min_coverage``: share of a question's meaningful words that must be known phrases
        for a question naming no role to count as ours.
        ``facet_model``: reads which facet a question asks about (default: the shipped one).
        """
        self.knowledge = knowledge
        self.lexicon = Lexicon(knowledge, typo_cutoff=typo_cutoff)
        self.recommender = Recommender(knowledge, self.lexicon)
        self._own: dict[str, list[Fact]] = {}
        self._facet_roles: dict[str | None, tuple[str, ...]] = {}
        self.duty_cutoff = duty_cutoff
        self.nearest_cutoff = nearest_cutoff
        self.min_coverage = min_coverage
        self.facet_model = facet_model or FacetModel.load()
        self._facet_order = {fid: i for i, fid in enumerate(knowledge.facets)}
        self._kinds = {
            key: frozenset(e.kind for e in entries) for key, entries in self.lexicon.table.items()
        }
        briefly = "|".join(re.escape(c.casefold()) for c in knowledge.vocabulary.brief_cues)
        self._brief = re.compile(rf"(?<!\w)(?:{briefly})(?!\w)") if briefly else None
        check = knowledge.recommend.fit_check
        self._fit_before, self._fit_after = (
            tuple(tuple(t.text for t in tokenize(p.casefold())) for p in phrases)
            for phrases in ((check.before, check.after) if check else ((), ()))
        )
        self._senses = tuple(
            (
                frozenset(n.casefold() for n in sense.names),
                tuple(tuple(t.text for t in tokenize(w.casefold())) for w in sense.words),
            )
            for sense in knowledge.vocabulary.other_senses
        )

    # -- matching -------------------------------------------------------------------------

    def _scan(self, stems: Sequence[str]) -> list[_Found]:
        """Greedy longest-first phrase look-up over the question's stems."""
        table, found, i = self.lexicon.table, [], 0
        while i < len(stems):
            for size in range(min(self.lexicon.longest, len(stems) - i), 0, -1):
                key = tuple(stems[i : i + size])
                entries = table.get(key)
                if entries:
                    found.append(_Found(i, i + size, entries, self._kinds[key]))
                    i += size
                    break
            else:
                i += 1
        return found

    @staticmethod
    def _is_role_word(tokens: Sequence[Token], found: _Found, others: Sequence[_Found]) -> bool:
        """Whether an ambiguous one-word alias ("am", "ram") names the role here."""
        i = found.start
        token = tokens[i]
        before = tokens[i - 1].text if i > 0 else ""
        after = tokens[i + 1].text if i + 1 < len(tokens) else ""
        if before in {"a", "an"}:  # "for an AM I mean": never the verb after an article
            return True
        if "i" in (before, after) or before.isdigit():
            return False
        raw = _POSSESSIVE.sub("", token.raw)  # "AM's typical customers"
        if raw.removesuffix("s").isupper() and len(raw) > 1:  # "AM", "AMs"
            return True
        if token.text.removesuffix("s") in _CAPITALS_ONLY:
            return False
        if before in {"how", "where", "what"}:  # "what am I...", "how am I doing"
            return False
        alone = all(t.text in _PUNCTUATION for t in tokens if t is not token)  # "am?"
        if token.text.endswith("s") or before in _DETERMINERS or alone:
            return True
        neighbours = [f for f in others if f.end == i or f.start == found.end]
        return any(f.has("role") or f.has("compare") or f.has("facet") for f in neighbours)

    def _around_roles(
        self, tokens: Sequence[Token], stems: Sequence[str], role_spans: Sequence[_Found]
    ) -> list[_Found]:
        """Phrases that a role's name splits: "where do [sales managers] work?" has "where do
        work", "what does [an AE] do?" has "what does do", "first 90 days [as a sales manager]
        look like" has "days look like" (start and end in the question)."""
        gone: set[int] = set()
        for item in role_spans:
            gone.update(range(item.start, item.end))
            at = item.start
            while at > 0 and tokens[at - 1].text in _DETERMINERS:
                at -= 1
                gone.add(at)
        if not gone:
            return []
        kept = [i for i in range(len(stems)) if i not in gone]
        return [
            _Found(kept[f.start], kept[f.end - 1] + 1, f.entries, f.kinds)
            for f in self._scan([stems[i] for i in kept])
            if kept[f.end - 1] - kept[f.start] >= f.end - f.start  # spans a role's name
        ]

    @staticmethod
    def _compares_roles(tokens: Sequence[Token], item: _Found, found: Sequence[_Found]) -> bool:
        """Whether a comparing word compares roles: "AE or AM?", not "a step up, sideways,
        or a step back?" nor "a path to becoming an AE or is that a myth?" ("or" must stand
        next to a role's name, with one on its other side too, or three words at most;
        other markers always do)."""
        if tokens[item.start].text not in _WEAK_COMPARE:
            return True
        after = item.end + (item.end < len(tokens) and tokens[item.end].text in _DETERMINERS)
        names = [f for f in found if f.has("role") or f.has("partial_role") or f.has("step")]
        before = any(f.end == item.start for f in names)
        follows = any(f.start == after for f in names)
        if before and not follows:
            # "AE or AM?", "AE or the sales manager job?"; not "AE or is that a myth"
            rest = [t for t in tokens[item.end :] if t.text not in _PUNCTUATION]
            return len(rest) <= 3 or any(item.end < f.start <= item.end + 3 for f in names)
        return before or follows

    @staticmethod
    def _is_object(tokens: Sequence[Token], start: int) -> bool:
        """Whether the role named at ``start`` follows "to", "for"...: "hand over to the AE"."""
        at = start
        while at > 0 and tokens[at - 1].text in _DETERMINERS - {"as"}:
            at -= 1
        return at > 1 and tokens[at - 1].text in _OBJECT_PREPOSITIONS

    @staticmethod
    def _introduces_asker(tokens: Sequence[Token], start: int) -> bool:
        """Whether the role named at ``start`` is the asker's own: "I'm a RAM", "as an SDR"."""
        at = start
        while at > 0 and tokens[at - 1].text in _DETERMINERS - {"as"}:
            at -= 1
        before = [t.text for t in tokens[max(0, at - 2) : at]]
        if before[-1:] == ["as"]:  # "As an AE, ...", not "the same thing as an AE"
            return at == 1
        return bool(before) and (before[-1] in _ASKER or before == ["i", "am"])

    def _roles_inside(self, stems: Sequence[str], item: _Found) -> list[tuple[int, str]]:
        """The roles named inside a longer phrase, after its first word."""
        inner = self._scan(stems[item.start + 1 : item.end])
        return [
            (item.start + f.start + 1, e.value)
            for f in inner
            for e in f.entries
            if e.kind == "role"
        ]

    @staticmethod
    def _qualifies_role(tokens: Sequence[Token], item: _Found, found: Sequence[_Found]) -> bool:
        """Whether a facet word only ranks the role named next ("an offer for a junior AE")."""
        if item.end - item.start != 1 or tokens[item.start].text not in _RANKS:
            return False
        return any(f.start == item.end and f.has("role") for f in found)

    def _best_facet(self, weights: dict[str, int]) -> str | None:
        if not weights:
            return None
        return max(weights, key=lambda f: (weights[f], -self._facet_order[f]))

    def _match(
        self, tokens: Sequence[Token], stems: Sequence[str], found: Sequence[_Found]
    ) -> _Matches:
        """Sort what the phrase look-up found by kind."""
        m = _Matches()
        for item in found:
            for entry in item.entries:
                kind = entry.kind
                if kind == "role":
                    ambiguous = (
                        item.end - item.start == 1
                        and tokens[item.start].text.rstrip("s") in _AMBIGUOUS
                    )
                    if ambiguous and not self._is_role_word(tokens, item, found):
                        continue
                    m.roles.append((item.start, entry.value))
                    m.role_spans.append(item)
                elif kind == "partial_role":
                    m.partial.append((item.start, entry.value))
                    m.ends[item.end] = entry.value
                    if item.end < len(tokens) and tokens[item.end].text in _STAND_INS:
                        m.stand_ins.append((item.start, entry.value))
                elif kind in {"facet", "weak_facet"}:
                    if not self._qualifies_role(tokens, item, found):
                        m.add_facet(tokens, item, entry)
                elif kind == "weak_topic":
                    m.weak_topic = m.weak_topic or entry.value
                elif kind == "topic":
                    m.topic = m.topic or entry.value
                    # "freelance vs full time account manager": a role inside a topic's name
                    m.roles += self._roles_inside(stems, item)
                elif kind in {"gap", "uncovered"}:  # the first named
                    setattr(m, kind, getattr(m, kind) or entry.value)
                elif kind == "person":
                    person = self.knowledge.vocabulary.people[int(entry.value)]
                    m.person = m.person or (item.start, person)
                elif kind == "ambiguous":
                    m.ambiguous.append(int(entry.value))
                elif kind == "step":
                    m.step = m.step or entry.value
                    # "junior AM", "senior AE": the role inside a career step counts too
                    m.roles += self._roles_inside(stems, item)
                elif kind != "compare" or self._compares_roles(tokens, item, found):
                    m.cues.add(kind)
        return m

    def _role_order(
        self, tokens: Sequence[Token], found: Sequence[_Found], m: _Matches, question_start: int
    ) -> tuple[str, ...]:
        """The roles a question asks about, in the order it names them."""
        first_seen: dict[str, int] = {}
        for start, role_id in sorted(m.roles):
            first_seen.setdefault(role_id, start)
        # "Golden says AMs nurture and AEs prospect: is that the difference between AEs and
        # AMs?": the roles compared are in the order they follow the comparing words
        role_ends = {f.end for f in m.role_spans}
        for cue in (f for f in found if f.has("compare") and f.start not in role_ends):
            after: dict[str, int] = {}
            for start, role_id in sorted(m.roles):
                if start >= cue.end:
                    after.setdefault(role_id, start)
            if len(after) >= 2 and after.keys() == first_seen.keys():
                first_seen = after
                break
        # "how many SDRs support one AE?": the role counted is the one asked about
        counted = {r: at for r, at in first_seen.items() if _counted(tokens, at)}
        # "my manager says AEs and AMs are the same. what does an AM do?": the roles the
        # question names, when it compares none, are the ones it asks about
        asked = {r: at for at, r in sorted(m.roles, reverse=True) if at >= question_start}
        compared = any(
            self._compares_roles(tokens, f, found)
            for f in found
            if f.has("compare") and f.start >= question_start
        )
        if counted:
            first_seen = counted
        elif question_start and asked and not compared and len(asked) < len(first_seen):
            first_seen = asked
        career = "career_path" in (self._best_facet(m.facets), self._best_facet(m.weak))
        starts = sorted(first_seen.values())
        # "promoted from SDR to AE": a move, whose roles both stand
        moved = len(starts) == 2 and _moves(tokens, *starts)
        # "pay for AE, AM and sales manager?": the roles named as one list are all asked about
        listed = _one_list(tokens, m.role_spans, starts)
        if len(first_seen) >= 2 and "compare" not in m.cues and not (career or moved or listed):
            # "I'm a RAM; how much experience does a NAM need?" asks about the other role,
            # and "what does the SDR hand over to the AE?" about the first
            # ("as an SDR, what do I hand over to the AE?" asks about the asker's own role)
            own_work = _asks_of_asker(tokens) and all(
                self._is_object(tokens, at)
                for at in first_seen.values()
                if not self._introduces_asker(tokens, at)
            )
            for aside in (self._introduces_asker, self._is_object):
                if own_work and aside == self._introduces_asker:
                    continue
                dropped = [r for r, start in first_seen.items() if aside(tokens, start)]
                if len(first_seen) >= 2 and len(dropped) < len(first_seen):
                    for role_id in dropped:
                        del first_seen[role_id]
        elif len(first_seen) >= 3 and not career:
            # "I'm an SDR thinking about AE or AM - which pays more?" compares the other two
            mine = [r for r, start in first_seen.items() if self._introduces_asker(tokens, start)]
            if len(first_seen) - len(mine) >= 2:
                for role_id in mine:
                    del first_seen[role_id]
        return tuple(sorted(first_seen, key=first_seen.__getitem__))[:MAX_ROLES]

    def _ends_name(self, partial: str | None, role: str) -> bool:
        """Whether ``role``'s name ends the name of the role named in part, ``partial``
        ("account manager" of "regional account manager")."""
        if partial is None:
            return False
        roles = self.knowledge.roles
        return roles[partial].name.casefold().endswith(" " + roles[role].name.casefold())

    def _signals(self, cleaned: str) -> _Signals:
        """Match a question already passed through ``clean``."""
        # "which roles do u know": a short form is read as its word everywhere, not only in phrases
        tokens = tuple(Token(SHORT_FORMS.get(t.text, t.text), t.raw) for t in tokenize(cleaned))
        repaired = [self.lexicon.stem_token(t) for t in tokens]
        stems = tuple(stemmed for stemmed, _ in repaired)
        found = self._scan(stems)
        m = self._match(tokens, stems, found)
        # "a regional AM": the name's distinctive word before the shared part names the role
        # (not before another role's name: "the regional sales manager")
        m.roles = [
            (start, m.ends[start] if self._ends_name(m.ends.get(start), role_id) else role_id)
            for start, role_id in m.roles
        ]
        # "what separates a RAM from a national one?": the second role named by its own word
        m.roles += m.stand_ins + self._the_other_one(tokens, m)
        # "national vs regional AMs", "the regional and national ones": compared, a partial
        # name stands for its role beside another role or another partial name
        # (not a word of something else's name: "a regional co-op", "regional sales manager")
        starts = {start for start, _ in m.partial}
        partial = [
            (start, role)
            for start, role in m.partial
            if start + 1 == len(tokens)
            or start + 1 in starts
            or tokens[start + 1].text in _AFTER_PARTIAL
            or stems[start + 1] in self.lexicon.fillers
        ]
        if "compare" in m.cues and len({role for _, role in m.roles + partial}) > 1:
            m.roles += partial
        for item in self._elided(stems, found, m):
            found.append(item)
            m.roles += [(item.start, entry.value) for entry in item.entries]
            m.role_spans.append(item)
        found.sort(key=lambda f: f.start)
        for item in self._around_roles(tokens, stems, m.role_spans):
            for entry in item.entries:
                if entry.kind in {"facet", "weak_facet"}:
                    m.add_facet(tokens, item, entry)
                elif entry.kind == "gap":  # "how many SDRs per AE?"
                    m.gap = m.gap or entry.value
                elif entry.kind == "decline" and item not in found:  # "open [SDR] roles on"
                    m.cues.add("decline")
                    found.append(item)
                    found.sort(key=lambda f: f.start)
        sentences = _parts(cleaned.rstrip(" ?!."), _SENTENCE_END)
        clauses = self._clauses(cleaned, tokens, sentences)
        setting = self._setting(tokens, stems, clauses)
        spans = _sentence_spans(tokens, sentences)
        told = _told(tokens, spans)
        m.facet_hits = [hit for hit in m.facet_hits if hit[0] not in setting | told]
        if m.gap and told:  # "I have budget for one headcount. How do SDRs and AEs differ?"
            asked_gaps = [
                e.value for f in found if f.start not in told for e in f.entries if e.kind == "gap"
            ]
            m.gap = asked_gaps[0] if asked_gaps else None
        question_start = max(sentences) if cleaned.endswith("?") else 0
        m.count_facets(question_start)
        person = None
        if m.person and not m.roles:
            m.roles.append((m.person[0], m.person[1].role))
            person = m.person[1]
        # the roles asked about are those from the first sentence that asks: "Where does the
        # SDR job lead? Is it really the stepping stone to AE?" asks about the SDR
        first_ask = next((span.start for span in spans if _asks(tokens, span)), question_start)
        roles = self._role_order(tokens, found, m, min(first_ask, question_start))
        vocabulary = self.knowledge.vocabulary
        ambiguous = tuple(
            dict.fromkeys(
                role
                for i in m.ambiguous
                for role in vocabulary.ambiguous_names[i].roles
                if role not in roles
            )
        )
        content = [
            i
            for i, t in enumerate(tokens)
            if t.text not in _PUNCTUATION and stems[i] not in self.lexicon.fillers
            and i not in setting
        ]
        covered = {i for f in found for i in range(f.start, f.end)}
        named = {i for f in found if f.kinds & _NAMING for i in range(f.start, f.end)}
        return _Signals(
            tokens=tokens,
            stems=stems,
            found=tuple(found),
            roles=roles,
            facet=self._best_facet(m.facets),
            facets=frozenset(m.facets),
            weak_facet=self._best_facet(m.weak),
            topic=m.topic or (None if m.roles and m.facets else m.weak_topic),
            step=m.step,
            uncovered=m.uncovered,
            gap=m.gap,
            gap_facet=self.knowledge.gaps[m.gap].facet if m.gap else None,
            person=person,
            named_person=m.person[1] if m.person else None,
            ambiguous=ambiguous,
            cues=frozenset(m.cues),
            certainty=min((score for _, score in repaired), default=1.0),
            coverage=len(covered.intersection(content)) / len(content) if content else 1.0,
            content=len(content),
            rest=sum(1 for i in content if i not in named and tokens[i].text not in _DEFINING),
            sentences=sentences,
            clauses=clauses,
            facet_spots=tuple((h[0], h[2]) for h in m.facet_hits if h[1] == "facet"),
            told=told,
            asked=" ".join(t.raw for i, t in enumerate(tokens) if i not in told),
        )

    def _setting(
        self, tokens: Sequence[Token], stems: Sequence[str], clauses: Sequence[int]
    ) -> frozenset[int]:
        """Where the asker says where they are: "hello from the Paris office", "hi from the
        London team, ...": a place preposition, a name the lexicon does not know, and the word
        after it when that ends a clause that asks nothing ("what do AEs in Germany earn?"
        keeps "earn")."""
        setting: set[int] = set()
        for i, token in enumerate(tokens):
            at = i + 1
            while at < len(tokens) and tokens[at].text in _DETERMINERS:
                at += 1
            if token.text not in _PLACE_PREPOSITIONS or at == len(tokens):
                continue
            name = tokens[at].raw
            if name[:1].isupper() and name.isalpha() and stems[at] not in self.lexicon.known:
                setting.update(range(i, at + 1 + self._ends_a_statement(tokens, clauses, at + 1)))
        return frozenset(setting)

    @staticmethod
    def _ends_a_statement(tokens: Sequence[Token], clauses: Sequence[int], i: int) -> bool:
        """Whether the word at ``i`` ends a clause that is not a question."""
        if i >= len(tokens):
            return False
        if i + 1 == len(tokens):
            return True
        return clauses[i + 1] != clauses[i] and tokens[i + 1].text != "?"

    @staticmethod
    def _clauses(
        cleaned: str, tokens: Sequence[Token], sentences: frozenset[int]
    ) -> tuple[int, ...]:
        """Each token's clause: a new one starts with a sentence, after a comma, "?" or "/",
        and at a word that starts one ("before", "because"...)."""
        starts = sentences | _parts(cleaned, _CLAUSE_END)
        clause, clauses = 0, []
        for i, token in enumerate(tokens):
            clause += i > 0 and (i in starts or token.text in _PUNCTUATION | _CLAUSE_WORDS)
            clauses.append(clause)
        return tuple(clauses)

    def _the_other_one(self, tokens: Sequence[Token], m: _Matches) -> list[tuple[int, str]]:
        """"NAM or the other one?": compared with the one role whose name ends the same way."""
        named = {role for _, role in m.roles}
        kin = self.lexicon.kin.get(min(named), frozenset()) if len(named) == 1 else frozenset()
        if "compare" not in m.cues or len(kin) != 1:
            return []
        return [
            (i, min(kin))
            for i, (token, after) in enumerate(itertools.pairwise(tokens))
            if token.text == "other" and after.text in _STAND_INS
        ]

    def _elided(self, stems: Sequence[str], found: Sequence[_Found], m: _Matches) -> list[_Found]:
        """Roles named by the last word of their name alone, right after a comparing word
        that follows a role's name starting the same way: "account manager or executive?"."""
        covered = {i for f in found for i in range(f.start, f.end)}
        elided = []
        for cue in (f for f in found if f.has("compare") and f.end < len(stems)):
            if cue.end in covered:
                continue
            for span in (f for f in m.role_spans if f.end == cue.start and f.end - f.start > 1):
                head = tuple(stems[span.start : span.end - 1])
                role = self.lexicon.tails.get((head, stems[cue.end]))
                if role is not None:
                    entries = frozenset({Entry("role", role)})
                    elided.append(_Found(cue.end, cue.end + 1, entries, frozenset({"role"})))
        return elided

    def _content(self, s: _Signals, skip: Collection[int] = ()) -> list[int]:
        """The positions of the question's words, without fillers, punctuation and ``skip``."""
        return [
            i
            for i, (stem, token) in enumerate(zip(s.stems, s.tokens, strict=True))
            if stem not in self.lexicon.fillers and token.text not in _PUNCTUATION and i not in skip
        ]

    def _content_stems(self, s: _Signals, skip: Collection[int] = ()) -> list[str]:
        """The question's stems without fillers, punctuation, and the positions in ``skip``."""
        return [s.stems[i] for i in self._content(s, skip)]

    def _duties(self, s: _Signals, cutoff: float) -> list[_DutyMatch]:
        """Roles whose duties the question names, best first: each role's best duty, its
        score, and the role's other duties naming work the best one does not ("who handles
        renewals and upselling?": the AM's renewals, then its upselling).

        The words looked up leave out long cue phrases ("who is in charge of"), not short
        ones ("who sets" names the work); a role whose duties together cover more of the
        question ranks higher ("retention plans for at-risk accounts" are two of one role's).
        Worked out once a question and cutoff: at 100 times the knowledge, a question naming
        common words matches a thousand duties.
        """
        if cutoff not in s.duties_at:
            s.duties_at[cutoff] = self._ranked_duties(s, cutoff)
        return s.duties_at[cutoff]

    def _ranked_duties(self, s: _Signals, cutoff: float) -> list[_DutyMatch]:
        skip = {
            i
            for f in s.found
            if f.has("which_role") and f.end - f.start >= _LONG_CUE
            for i in range(f.start, f.end)
        }
        if len(s.roles) >= 2:  # "which one pays better, AE or SM?" names no work in "SM"
            skip |= {i for f in s.found if f.has("role") for i in range(f.start, f.end)}
        # "I'm new here, AE or AM?" names no new business
        skip |= {i for f in s.found if f.has("help") for i in range(f.start, f.end)}
        words = self._content_stems(s, skip=skip)
        typed = set(words)
        # (an everyday word's meaning counts though the word is a filler elsewhere: "who sorts
        # out client problems?", not "sort of")
        said = [stem for i, stem in enumerate(s.stems) if i not in skip]
        words += self.lexicon.meanings(said)
        best: dict[str, tuple[float, int, int, str]] = {}
        covered: dict[str, set[str]] = defaultdict(set)
        query = set(words)
        found = self.lexicon.duty_index.phrases_scored(words, cutoff, covering=True)
        for score, parts, duties in found:  # best first; a phrase stands for all its roles
            hit, size = parts & query, len(parts)
            for duty in duties:
                role = duty.role
                if hit:
                    covered[role] |= hit
                old = best.get(role, _NO_DUTY)
                if old[0] > score:
                    continue  # a better phrase of the role's came first
                key = (score, size, -duty.rank, duty.phrase)
                if key > old:
                    best[role] = key
        # (what a role's phrases cover holds only the question's stems they share; the words
        # as typed count before the everyday words' meanings: "who deals with the client's
        # purchasing manager?" names purchasing managers, not managing the sales team)
        ranked = sorted(
            best.items(),
            key=lambda item: (
                item[1][0],
                len(covered[item[0]] & typed),
                len(covered[item[0]]),
                *item[1][1:],
            ),
            reverse=True,
        )
        # a role after the first that matches only words the first's duties match too, and an
        # everyday word's meaning, is not one the question names ("who deals with purchasing
        # managers?": "deals" as sales and "managers" are not the sales manager's sales team)
        first = covered[ranked[0][0]] & typed if ranked else set()
        ranked = ranked[:1] + [
            item
            for item in ranked[1:]
            if not (covered[item[0]] & typed < first and covered[item[0]] - typed)
        ]
        matches = [_DutyMatch(role, key[3], key[0]) for role, key in ranked]
        if matches:
            # only the first role's other duties are shown: at 100 times the knowledge, a
            # thousand roles may match
            top = matches[0]
            meanings = {w: {w, *self.lexicon.duty_words.get(w, ())} for w in typed}
            hits = [
                (parts & query, duty.phrase)
                for _, parts, duties in found
                for duty in duties
                if duty.role == top.role and parts & query
            ]
            matches[0] = top._replace(more=_more_work(hits, top.duty, meanings))
        return matches

    def terms(self, text: str) -> Terms:
        """Read command arguments such as ``AE AM metrics``: every word must mean something."""
        s = self._signals(clean(text))
        covered = {i for f in s.found for i in range(f.start, f.end)}
        unknown = tuple(
            t.raw
            for i, t in enumerate(s.tokens)
            if i not in covered
            and t.text not in _PUNCTUATION
            and s.stems[i] not in self.lexicon.fillers
        )
        facet = s.facet or s.weak_facet
        return Terms(roles=s.roles, facet=facet, unknown=unknown, ambiguous=s.ambiguous)

    def _in_another_language(self, question: str) -> bool:
        """Whether a question looks written in a language other than English: three words or
        more, none of them a common English word and most unknown here ("Qui fa les trucades
        en fred?"; not "order dog food from walmart", "acount manger duties")."""
        words = [t.text for t in tokenize(question) if t.text.isalpha()]
        if len(words) < _FOREIGN_WORDS or any(w in self.lexicon.english for w in words):
            return False
        known = self.lexicon.known
        unknown = [w for w in words if w not in known and stem(w) not in known]
        return len(unknown) >= len(words) * _FOREIGN_SHARE

    def _typed_command(self, question: str) -> Reading | None:
        """A slash command typed into a message ("/roles am", "/rolebot list"), whatever its
        name: the words after it read as a command's ("AE AM pay": their comparison), or ask
        for the list of roles or the help; ``None`` for any other words, read as a request
        ("/remind me to call the AE")."""
        typed = _TYPED_COMMAND.fullmatch(question)
        if typed is None or not typed[2]:
            return None
        asked = set(typed[2].casefold().split())
        if asked in _LIST_ASKS:
            return Reading("list_roles")
        if asked == {"help"}:
            return Reading("help")
        s = self._signals(typed[2])
        names = [f for f in s.found if f.has("role") or f.has("facet")]
        named = {i for f in names for i in range(f.start, f.end)}
        words = [t.text for i, t in enumerate(s.tokens) if i not in named]
        if not s.roles or s.ambiguous or any(w not in _BETWEEN_NAMES for w in words):
            return None  # not "/remind me to call the AE"
        intent = "role_info" if len(s.roles) == 1 else "compare"
        return Reading(intent, s.roles[:MAX_ROLES], s.facet)

    @staticmethod
    def _asks_for_a_person(tokens: Sequence[Token]) -> bool:
        """Whether the question asks for a person, not a role.

        "who's the AE on the Globex deal?", "who is the coach of the bulls" do; "who's the
        client's point of contact" (possessive) and "who is the person who..." do not.
        """
        words = [t.text for t in tokens[:4]]
        if words[:1] != ["who"]:
            return False
        rest = words[2:] if words[1:2] == ["is"] else words[1:]
        if len(rest) < 2 or rest[0] not in {"the", "our", "my"}:
            return False
        named = tokens[len(words) - len(rest) + 1]
        if any(t.text in _STAND_INS for t in tokens[:6]):  # "who's the entry-level one?"
            return False
        return not named.raw.endswith(("'s", "\u2019s")) and named.text not in _NOT_A_PERSON

    def _names_a_duty(self, s: _Signals) -> bool:
        """Whether a question names a duty in words all of which the lexicon knows."""
        known = all(w in self.lexicon.known for w in self._content_stems(s))
        return known and bool(self._duties(s, self.duty_cutoff))

    @staticmethod
    def _general(s: _Signals) -> bool:
        """Whether a question asks about a role in general, whatever context it gives.

        "our company has AMs and CSMs; in general, how do they split the work?" does; "reset
        my Salesforce password" and "what's the average AE salary at our company" do not.
        """
        words = {t.text for t in s.tokens}
        return bool(s.roles) and bool(words & _IN_GENERAL)

    @classmethod
    def _declines(cls, s: _Signals, *, fit: bool = False) -> bool:
        """Whether a decline cue stands, unless the question asks about a role in general, or
        names only a day around the asker's own start in a role or interview for one ("AE
        interview tomorrow, what should I brush up on?", "today is my first day as a sales
        manager: what am I responsible for?"; not "schedule the interview with the AE
        candidate", "how many demos did the SDRs book today?")."""
        if "decline" not in s.cues or cls._general(s):
            return False
        # "do AEs need to know Salesforce?": a product the articles never name, asked of a
        # role, is a gap ("reset my Salesforce password" names no role and is declined)
        cues = [f for f in s.found if f.has("decline") and not (s.roles and f.has("gap"))]
        # "which of my accounts count as key accounts?": the topic's own thing
        topical = {s.stems[i] for f in s.found if f.has("topic") for i in range(f.start, f.end)}
        cues = [f for f in cues if s.stems[f.end - 1] not in topical]
        # "CSM (the customer success kind, not scrum)": a sense said not to be meant
        cues = [f for f in cues if not (s.roles and _negated(s.tokens, f.start))]
        # "everyone says RAM in the monday standup and I just nod along. what is a regional
        # account manager?": what the asker tells is the setting of a question about a role
        # (or of a topic: "how do you pick key accounts? our CEO wants a list by friday")
        # (asked which role fits, all they tell of themself: "used to upsell wine as a server")
        setting = s.told | _unasked(s)
        named = (f.start for f in s.found if f.has("role") or f.has("topic"))
        if fit or any(i not in setting for i in named):
            cues = [f for f in cues if f.start not in setting]
        if not cues:
            return False
        occasions = all(all(t.text in _OCCASIONS for t in s.tokens[f.start : f.end]) for f in cues)
        words = {t.text for t in s.tokens}
        interview = bool(words & _INTERVIEW) and not words & {"candidate", "candidates"}
        own_start = bool(s.facets and words & _ASKER_WORDS)
        if s.roles and occasions and (interview or own_start):
            return False
        # "AE responsibilities - quick list pls, drafting a job ad for the team": what the
        # asker is doing, told beside a question about a role's facet
        if s.roles and s.facets:
            cues = [f for f in cues if not s.tokens[f.start].text.endswith("ing")]
            if not cues:
                return False
        # "we have an AE req open, what background should I screen for?": the cue is the
        # setting of a question about a role's facet, asked in a sentence of its own; not a
        # request it opens with ("proofread my LinkedIn headline: 'Top performing AE'"; not
        # what the asker is doing: "writing a job ad for an AE, what skills should I list?")
        if any(f.start == 0 and not s.tokens[0].text.endswith("ing") for f in cues):
            return True
        return not (s.roles and s.facets and cls._cue_is_setting(s, cues))

    @staticmethod
    def _colleagues(s: _Signals) -> bool:
        """Whether every role the question names is the asker's own people, asked about what
        differs from one company to the next: "how much do our CSMs get paid?", "is my NAM
        allowed to see my commission?" (not "what should our account managers be good at?",
        nor "our SDR team is growing: what skills should an SDR have?")."""
        names = [f for f in s.found if f.has("role")]
        ours = bool(names) and all(
            s.tokens[f.start - 1].text in _OWN_THINGS if f.start else False for f in names
        )
        facet = s.facet or s.gap_facet
        # "how should I measure my sales managers' performance?" asks how it is done
        how = facet == "metrics" and any(s.first_words("how", w) for w in _HOW_ONE_SHOULD)
        how = how and bool({t.text for t in s.tokens} & _MEASURING)
        return ours and facet in _THEIRS_VARY and not how

    def _requests(self, s: _Signals) -> bool:
        """Whether the question opens by asking the bot to do a piece of work ("summarise this
        call for my AE", "can you order lunch for the SDR team?"): a request verb first."""
        at = 0
        while at < len(s.tokens) and s.tokens[at].text in _LEAD_INS | _POLITE:
            at += 1
        return at < len(s.tokens) and s.tokens[at].text in self.lexicon.requests

    def _other_sense(self, s: _Signals) -> bool:
        """Whether a short name means something else here: "my RAM usage is at 95%"; beside a
        sales word, only for two of the other sense's words ("an AE in clinical trials,
        adverse event reporting? asking for a pharma prospect")."""
        words = tuple(t.text for t in s.tokens)
        present = set(words)
        needed = 2 if "domain" in s.cues else 1
        if needed == 1 and (self._among_other_words(s) or self._spelt_otherwise(s)):
            return True
        # a sense said not to be meant counts for nothing ("the sales role, not computer memory")
        said = [i for i in range(len(words)) if not _negated(s.tokens, i)]
        return any(
            names & present
            and sum(
                any(words[i : i + len(phrase)] == phrase for i in said) for phrase in phrases
            )
            >= needed
            for names, phrases in self._senses
        )

    @staticmethod
    def _spelt_otherwise(s: _Signals) -> bool:
        """Whether a short name follows words it abbreviates that name no role: "a special
        drawing right (SDR)", "a Command Sergeant Major (CSM)" (not "a sales development rep
        (SDR)", nor an article's initial: "for an enterprise AE")."""
        covered = {i for f in s.found if f.has("role") for i in range(f.start, f.end)}
        for f in s.found:
            name = s.tokens[f.start].raw.removesuffix("s")
            if not (f.has("role") and f.end - f.start == 1 and name.isupper() and len(name) > 1):
                continue
            before = range(f.start - len(name), f.start)
            if before.start < 0 or covered.intersection(before):
                continue
            if s.tokens[before.start].text in _ARTICLES:
                continue
            if "".join(s.tokens[i].text[:1] for i in before) == name.casefold():
                return True
        return False

    def _among_other_words(self, s: _Signals) -> bool:
        """Whether the only roles are named by a short name that is also a word ("RAM", "am"),
        among words none of which is ours: "did the Rams win on sunday?", "how much RAM do I
        need for running Docker locally" (two such words at least: "what RAM does in one
        region" is the role, and so are "an AM" and "AMs": "what reporting does an AM do?")."""
        names = [f for f in s.found if f.has("role")]
        if not s.roles or any(
            f.end - f.start > 1
            or s.tokens[f.start].text.rstrip("s") not in _AMBIGUOUS
            or (f.start > 0 and s.tokens[f.start - 1].text in {"a", "an"})
            or _plural_acronym(s.tokens[f.start].raw)  # "gimme the basics on AMs"
            for f in names
        ):
            return False
        named = {f.start for f in names}
        covered = {i for f in s.found for i in range(f.start, f.end)}
        others = self._content(s, skip=named)
        return len(others) >= 2 and not covered.intersection(others)

    @staticmethod
    def _cue_is_setting(s: _Signals, cues: Sequence[_Found]) -> bool:
        """Whether no decline cue stands in a clause that names a facet."""
        asked = {s.clauses[f.start] for f in s.found if f.has("facet")}
        return not asked & {s.clauses[f.start] for f in cues}

    @staticmethod
    def _own_things(s: _Signals) -> bool:
        """Whether the asker asks about their own things ("my pay", "our pipeline").

        "my friend just got a sales job, what does the role involve?" does not.
        """
        starts = {f.start for f in s.found}
        return any(
            t.text in _OWN_THINGS and (i + 1 in starts or i + 2 in starts)
            for i, t in enumerate(s.tokens)
        )

    def _particular_names(self, s: _Signals) -> list[int]:
        """Where a name the lexicon does not know stands mid-sentence ("Jenny", "Hooli"); not
        a word starting a sentence ("... a logistics company. Leaving aside..."), a place ("in
        my old company in Austria", "from the Paris office") or where one studies ("at Tel
        Aviv Uni")."""
        # (and not a name in a sentence that asks nothing, beside one asking about a role:
        # "RAM responsibilities? we're drafting the JD for Northern Finland", "does a RAM
        # travel a lot? covering all of Transdanubia is a lot of driving"; nor in what the
        # asker tells of themself)
        setting = _unasked(s)
        schools = _school_names(s.tokens)
        return [
            i
            for i, (t, stem) in enumerate(zip(s.tokens, s.stems, strict=True))
            if t.raw[:1].isupper()
            and i not in schools
            and i not in setting
            and not t.raw.removesuffix("s").isupper()  # "QBRs"
            and _POSSESSIVE.sub("", t.raw).isalpha()  # "Hooli", "Jordan's"
            and _POSSESSIVE.sub("", t.raw).casefold() not in self.lexicon.known
            and i not in s.sentences
            and _preposition_before(s.tokens, i) not in _PLACE_PREPOSITIONS
            and t.text not in _CALENDAR
            and stem not in self.lexicon.known
        ]

    def _names_something_particular(self, s: _Signals) -> bool:
        return bool(self._particular_names(s))

    def _names_whose(self, s: _Signals) -> bool:
        """Whether a particular name is what the question is about: "the NAM for Walmart",
        "the salary of Priya", "who at Wayne Enterprises is our CSM contact?", "Jordan's
        promotion", "Priya on the AE team"."""
        return any(
            (
                _preposition_before(s.tokens, i) in _PARTICULAR_PREPOSITIONS
                and not (i > 1 and s.tokens[i - 2].text in _DIRECTIONS)  # "the south of France"
            )
            or bool(_POSSESSIVE.search(s.tokens[i].raw))
            or self._of_a_team(s, i)
            # "how much does Sarah make?": the person the question is about
            or (i > 0 and s.tokens[i - 1].text in _AUXILIARIES | {"is", "was", "did"})
            for i in self._particular_names(s)
        )

    @staticmethod
    def _of_a_team(s: _Signals, i: int) -> bool:
        """Whether the name at ``i`` is someone's on a team: "Priya on the AE team", "Tom from
        our SDR team"."""
        words = [t.text for t in s.tokens[i + 1 : i + 6]]
        if not words or words[0] not in {"on", "from", "in"}:
            return False
        return "team" in words[1:] or "teams" in words[1:]

    def _asks_about_sales_work(self, s: _Signals) -> bool:
        """Whether a "who ...?" question naming no duty still asks about sales work."""
        words = {t.text for t in s.tokens}
        if not s.starts_with("which_role") or self._own_things(s) or words & _OCCASIONS:
            return False
        # "who won the Wayne deal?", "who approved the discount?": a past event, not a role
        verb = s.tokens[1].text if len(s.tokens) > 1 else ""
        if verb in _PAST_TENSE or (verb.endswith("ed") and len(verb) > 4):
            return False
        if self._names_something_particular(s):  # "the Stark Industries contract"
            return False
        # "who chases the insurers when a client's claim is stuck?": work for clients
        if "domain" in s.cues or s.facet or s.gap or s.weak_facet == "stakeholders":
            return True
        # near a duty, in words the knowledge uses ("who has the best record in the nfl" is not)
        stems = self._content_stems(s)
        known = sum(1 for w in stems if w in self.lexicon.known)
        near = bool(self._duties(s, self.nearest_cutoff))
        # "who is responsible for customer onboarding?": a long cue asks about work whatever
        # the words after it
        long_cue = s.found[0].end - s.found[0].start >= _LONG_CUE
        return near and (long_cue or known >= self.min_coverage * len(stems))

    @staticmethod
    def _about_them(s: _Signals) -> bool:
        """Whether "who ...?" asks about roles named before, not known here: "who do they
        report to?", "who are their main contacts?" (which role is meant?)."""
        if s.roles or not s.starts_with("which_role"):
            return False
        cue = s.found[0]
        words = [t.text for t in s.tokens[cue.end - 1 : cue.end + 2]]
        after = words[1] if len(words) > 1 else ""
        # "who are their ...": the copula may end the cue or follow it
        copula = words[0] in {"are", "is"} or after in {"are", "is"}
        own = "their" in words[1:3] and copula
        return after in _PRONOUNS - {"it"} or own

    @staticmethod
    def _who_cue(s: _Signals) -> int | None:
        """Where in ``s.found`` the "who ...?" a question asks stands: at its start, or at the
        start of a clause after one that names no role and asks nothing ("once a new client is
        signed, who takes them over from the AE?"), or that opens on when it happens ("once an
        AE signs a new customer, who takes the account over?")."""
        if s.starts_with("which_role"):
            return 0
        at = next((i for i, f in enumerate(s.found) if f.has("which_role")), None)
        names = ("role", "partial_role", "step", "topic")
        if at is None:
            return None
        named = any(f.has(n) for f in s.found[:at] for n in names)
        if named and s.tokens[0].text not in _WHEN_IT_HAPPENS:
            return None
        start = s.found[at].start
        opens = start > 0 and s.clauses[start] != s.clauses[start - 1]
        setting = not any(t.text in _ASKING - {"when"} for t in s.tokens[:start])
        return at if opens and setting and start not in s.told else None

    @staticmethod
    def _role_is_subject(s: _Signals, at: int = 0) -> bool:
        """Whether "who ...?" asks whom a named role deals with: "who do SDRs talk to?", "who
        does an AE report to?" (not "who does the AE's scheduling?", "who books demos for AEs?").
        """
        cue, after = s.found[at], s.found[at + 1] if len(s.found) > at + 1 else None
        if s.tokens[cue.end - 1].text not in _AUXILIARIES or after is None:
            return False
        gap = after.start - cue.end
        if gap > 1 or (gap == 1 and s.tokens[cue.end].text not in _DETERMINERS):
            return False
        name = s.tokens[after.end - 1].raw
        return after.has("role") and not name.endswith(("'s", "\u2019s"))

    @classmethod
    def _asks_whom(cls, s: _Signals) -> bool:
        """Whether "who ...?" asks whom one named role deals with, in words no facet has: "who
        do SDRs pass their qualified leads to?"."""
        one = len(s.roles) == 1 and not (s.facets or s.weak_facet or s.gap)
        return one and s.starts_with("which_role") and cls._role_is_subject(s)

    # -- deciding -------------------------------------------------------------------------

    def read(self, text: str, *, context: Reading | None = None) -> Reading:
        """Read one question; ``context`` is the previous reading in the same conversation."""
        question = clean(text or "")
        typed = self._typed_command(question)
        if typed is not None:
            return replace(typed, question=question)
        # other languages' phrases, in English; a command typed, as a request ("/remind me")
        words = self.lexicon.translate(question.removeprefix("/"))
        signals = self._signals(words)
        # "AE or AM for me?", "I like coaching, sales manager or AE?": the roles offered as a
        # choice, their names no work the asker likes
        offered = signals.roles if "compare" in signals.cues else ()
        names = {i for f in signals.found if f.has("role") for i in range(f.start, f.end)}
        names = names if offered else set()
        stems = tuple("" if i in names else stem for i, stem in enumerate(signals.stems))
        recommended = self.recommender.read(
            words, stems, context, offered=offered, choosing=_ends_in_a_choice(signals)
        )
        if recommended is not None and self._not_a_fit_question(signals):
            recommended = None
        if recommended is not None and _next_from_own_role(signals, recommended.roles):
            # "I've been an SDR for 2 years ... what's my next step?": where the role leads
            recommended = None
        # "am I cut out to be an AM?": what that role takes, unless what the asker says of
        # themself points to it first anyway
        fit = self._fit_checked(signals) if recommended is not None else None
        if fit is not None and recommended is not None and recommended.roles[:1] != (fit,):
            recommended = None
        if recommended is not None:  # "which role fits me?"
            also = _also_asked(signals, None)
            return replace(recommended, question=question, also_asked=also)
        reading = (
            self._about_disputes(signals)
            or self._about_a_person(signals)
            or self._about_a_nickname(signals)
            or self._decide(signals)
        )
        if fit is not None:  # what it takes, unless a facet is named ("... what degree?")
            facet = signals.facet or _FIT_FACET
            reading = Reading("role_info", (fit,), facet, confidence=reading.confidence)
        elif reading.intent in FACETED:
            reading = self._with_facet(words, signals, reading)
        if signals.named_person and reading.intent == "role_info":
            # "what did John Golden say about AEs?": the role's page, leading with his words
            reading = replace(reading, person=signals.named_person.name)
        if signals.step and reading.intent == "role_info" and reading.facet == "career_path":
            # "senior AE and then what?": the step on the role's path the question starts from
            reading = replace(reading, step=signals.step)
        if context is not None:
            reading = self._follow_up(signals, reading, context)
        if reading.intent == "unknown" and signals.roles and not reading.step:
            reading = replace(reading, declined_about=(signals.roles, signals.facet))
        if reading.intent == "unknown" and self._in_another_language(question):
            reading = replace(reading, foreign=True)
        also = _also_asked(signals, reading.facet) if reading.intent in _ALSO_ASKED else None
        also = also or self._work_asked_too(signals, reading)
        if fit is not None and reading.facet == _FIT_FACET:
            also = also or _FIT_ALSO
        unused = self._unused_name(signals, reading.roles)
        same = reading.intent == "compare" and _asks_if_same(signals.tokens)
        tokens = signals.tokens
        person = {i + 1 for i, t in enumerate(tokens[:-1]) if (t.text, "person") in _ONE_PERSON}
        if same and all(i in person for i, _ in signals.facet_spots):
            # guessed, or "person" in "one person": the notes on names and on doing both
            reading = replace(reading, facet=None)
        brief = self._brief is not None and bool(self._brief.search(words.casefold()))
        brief = brief and reading.intent in _BRIEF and reading.facet in {None, "overview"}
        # "sales engineer vs AE?": the answer covers the AE and says no article describes the
        # other
        beside = reading.intent in _ON_ROLES
        uncovered = reading.uncovered or (signals.uncovered if beside else None)
        return replace(
            reading,
            question=question,
            also_asked=also,
            unused_name=unused,
            same=same,
            brief=brief,
            uncovered=uncovered,
        )

    def _unused_name(self, s: _Signals, roles: Sequence[str]) -> str | None:
        """A name no article uses for a role the reading is about ("BDR vs AE?", "what's a
        key account manager?")."""
        known = self.knowledge
        nodes = [n for n in roles if known.roles[n].unused_by_articles]
        for f in s.found if nodes else ():
            text = " ".join(t.text for t in s.tokens[f.start : f.end])
            for node in nodes if f.has("role") else ():
                name = known.unused_name(node, text)
                if name is not None:
                    return name
        return None

    def _with_facet(self, question: str, s: _Signals, reading: Reading) -> Reading:
        """The facet asked about, and the gap the question names.

        One facet's keywords decide; when several facets' keywords appear, or none does, the
        trained model chooses (among those named, if any). A question naming only roles asks
        for a profile ("SDRs?"), or for the overview when it asks what the role is.
        """
        # "Amanda Sides' advice?", "amanda's advice for new grads?": where their words are
        advice = {t.text for t in s.tokens} & _ADVICE
        if s.person and (advice or not s.facets):
            facet: str | None = s.person.facet
        elif reading.intent == "clarify" and not s.facets and (
            reading.facet or reading.pairing or self._points_back(s)
        ):
            # "what are they exactly?": the facet it was read with; "how do they differ?":
            # which roles, on nothing named; "and the other one?": nothing to guess one from
            facet = reading.facet
        elif s.gap and not s.facets:
            facet = s.gap_facet
        elif len(s.facets) == 1 and s.gap_facet in {None, s.facet}:
            # "what does an AE at an ad agency do?": the agency is the setting; "who do SDRs
            # talk to? the vet or the receptionist at the front desk?": the first asked
            there = s.facet == "work_environment" and self._does_there(s)
            facet = _DUTIES if there else (_first_asked(s) or s.facet)
        elif not s.gap and len(s.facets) > 1 and (first := _first_asked(s)):
            facet = first  # "... earn and do they need an MBA?", "AE vs AM pay and career path"
        elif s.gap and s.gap_facet is not None and len(s.facets) == 1:
            # "what's the hardest part of being an SDR, and is it entry level?": the gap's
            # facet is one more named
            facet = self.facet_model.facet(s.asked, s.facets | {s.gap_facet})
        elif self._asks_whom(s):
            facet = _WHOM
        elif not s.facets and (self._asks_if_it_does(s) or self._what_it_does(s)):
            facet = _DUTIES
        elif not (s.facets or s.weak_facet) and self._equals_what(s):
            facet = "overview"  # "S.D.R. = ?"
        elif not (s.facets or s.weak_facet) and s.rest == 0:
            defining = s.tokens[0].raw.casefold().replace("\u2019", "'") in _DEFINING_WORDS
            defining = defining or any(s.first_words(*start) for start in _DEFINING_STARTS)
            facet = "overview" if defining and reading.intent == "role_info" else None
        else:
            facet = self.facet_model.facet(s.asked, s.facets)
            fit = facet == "overview" or {t.text for t in s.tokens} & (_FIT - _ASKER_WORDS)
            if fit and reading.intent == "compare" and not s.facets:
                # guessed, not named: a comparison's first screen is the overview, and "AE or
                # AM for someone who loves the chase?" asks which suits, on no one facet
                facet = None
        alone = bool({t.text for t in s.tokens} & _ALONE)
        asks_work = s.tokens[0].text in _DO or alone
        if facet == _DUTIES and reading.intent == "role_info" and asks_work:
            # "do SDRs close deals?": work that only other roles' duties name; "do AMs do
            # upselling too?": work others' duties name as well
            reading = replace(reading, duty=self._others_work(s, reading.roles[0], alone=alone))
        if facet is None and reading.intent == "clarify":
            facet = reading.facet
        elif facet is None and reading.intent == "role_info" and "compare" in s.cues:
            facet = "overview"  # "BDR and SDR: the same thing or different?": one role
        return replace(reading, facet=facet, gap=s.gap)

    def _asks_if_it_does(self, s: _Signals) -> bool:
        """Whether a sentence "do/does <role> ...?" asks if a role does work some role's duties
        name: "quick one: do AEs cold call?", "do SDRs close deals?" (not "do AEs travel?")."""
        asks = any(
            f.start in s.sentences and f.has("weak_facet") and s.tokens[f.start].text in _DO
            for f in s.found
        )
        return asks and len(s.roles) == 1 and bool(self._duties(s, self.duty_cutoff))

    def _others_work(self, s: _Signals, role: str, *, alone: bool = False) -> str | None:
        """The duty a question asks of ``role`` when only other roles' duties name it, in the
        words besides the role's name: "do SDRs close deals?" (the AEs' closing deals); with
        ``alone`` (the question asks whether it is the role's alone: "do AMs do upselling too,
        or is that the AE's?"), one the role's duties name that other roles' name as well."""
        names = {i for f in s.found if f.has("role") for i in range(f.start, f.end)}
        words = self._content_stems(s, skip=names)
        found = self.lexicon.duty_index.search(words, self.duty_cutoff, covering=True)
        own = [duty for duty, _ in found if duty.role == role]
        others = [duty for duty, _ in found if duty.role != role]
        if not others or (own and not alone):
            return None
        # said only when the duty is most of what was asked ("do SDRs manage accounts after
        # the sale?" is not the sales manager's "managing the sales team"), and no fact of the
        # role has its words ("negotiation" is in the sales manager's skills)
        duty = own[0] if own else found[0][0]
        parts = set(duty.stems.split())
        asked = set(words)
        if not parts <= asked or len(parts) < _MOSTLY * len(asked):
            return None
        if not own and any(parts <= self.lexicon.fact_stems(f) for f in self._own_facts(role)):
            return None
        return duty.phrase

    def _own_facts(self, role: str) -> list[Fact]:
        """The role's facts that name no other role ("AEs prospect, then hand clients to the
        account manager" is a fact about the AE, in the AM's file), worked out once."""
        if role not in self._own:
            self._own[role] = self._facts_naming_no_other(role)
        return self._own[role]

    def _facts_naming_no_other(self, role: str) -> list[Fact]:
        data = self.knowledge.roles[role]
        others = {
            alias_key(n)
            for r in self.knowledge.roles.values()
            if r.id != role
            for n in (r.short, r.name)
        }
        return [
            f
            for f in [data.summary, *(f for facts in data.facets.values() for f in facts)]
            if not others & {alias_key(w) for w in _WORDS.findall(f.text)}
            and not any(n in f.text.casefold() for n in others if " " in n)
        ]

    @staticmethod
    def _what_it_does(s: _Signals) -> bool:
        """Whether "what <role> does" asks what the role does: "tell me what an AE does",
        "what RAM does in one region"."""
        for f in s.found:
            at = f.start
            while at > 0 and s.tokens[at - 1].text in _DETERMINERS:
                at -= 1
            after = s.tokens[f.end].text if f.end < len(s.tokens) else ""
            if f.has("role") and at > 0 and s.tokens[at - 1].text == "what" and after in _DO:
                return True
        return False

    @staticmethod
    def _does_there(s: _Signals) -> bool:
        """Whether "what does <role> ... do?" asks what the role does somewhere: it opens with
        "what do(es)", names a role next and ends with "do" or "doing"."""
        words = [t.text for t in s.tokens if t.text != "?"]
        if len(words) < 4 or words[0] != "what" or words[1] not in _DO or words[-1] not in _DOING:
            return False
        at = 2
        while at < len(words) and words[at] in _DETERMINERS:
            at += 1
        return any(f.has("role") and f.start == at for f in s.found)

    @staticmethod
    def _equals_what(s: _Signals) -> bool:
        """Whether a role's name is followed by "= ?": "SDR = ?" asks what the role is."""
        after = [t.text for t in s.tokens[1:]]
        return any(
            f.has("role") and after[f.end - 1 : f.end + 1] == ["=", "?"] for f in s.found
        )

    def _asks_what_it_is(self, s: _Signals) -> bool:
        """Whether a question asks what something it does not name is, and nothing else: "ok
        but what is it exactly?" (not "what is it I wanted to bear in mind?")."""
        if not {s.tokens[i].text for i in self._content(s)} <= _VAGUE:
            return False
        words = [t.raw.casefold() for t in s.tokens if t.text not in _PUNCTUATION]
        for i, word in enumerate(words):
            subject = words[i + 2 : i + 3] if words[i + 1 : i + 2] in (["is"], ["are"]) else []
            if word in _DEFINING_WORDS:
                subject = words[i + 1 : i + 2]
            if word in {"what", *_DEFINING_WORDS} and subject and subject[0] in _POINTING:
                return True
        return False

    def _about_disputes(self, s: _Signals) -> Reading | None:
        """"Where do the articles disagree?", "which article is right about AE experience?": the
        disagreements recorded, of the roles and facet named."""
        if "dispute" not in s.cues or self._declines(s):
            return None
        # a facet named on which the articles record no disagreement of the roles gives way
        # to the disagreement the question's words are about ("one source makes the AE an ad
        # agency job": what kind of work the role is, not its workplace)
        roles = [self.knowledge.roles[role] for role in s.roles]
        recorded = {f for role in roles for d in role.disagreements for f in d.facets}
        facet = s.facet if s.facet in recorded else self._disputed_facet(s) or s.facet
        return Reading("disputes", roles=s.roles, facet=facet)

    def _disagreement_stems(self, d: Disagreement) -> frozenset[str]:
        """The words of what a disagreement is about and of its views."""
        return self.lexicon.text_stems(" ".join([d.about, *(v.text for v in d.views)]))

    def _disputed_facet(self, s: _Signals) -> str | None:
        """The facet of the disagreement of the roles named whose ``about`` and views share
        most of the question's words, their names aside, if one alone does, by two or more
        ("one says AEs hunt new clients, another that they manage existing accounts":
        "whether AEs manage existing accounts"): the last of its facets (there, the duties
        rather than the overview)."""
        names = {s.stems[i] for f in s.found if f.has("role") for i in range(f.start, f.end)}
        said = set(self._content_stems(s)) - names
        shared = sorted(
            (
                (len(said & self._disagreement_stems(d)), d.facets)
                for role in s.roles
                for d in self.knowledge.roles[role].disagreements
                if d.facets
            ),
            key=lambda pair: -pair[0],
        )
        best = shared[0][0] if shared else 0
        if best < _SHARED_WITH_ABOUT or [n for n, _ in shared].count(best) > 1:
            return None
        return shared[0][1][-1]

    @staticmethod
    def _about_a_person(s: _Signals) -> Reading | None:
        """"Who is John Golden?": a question naming a person the articles quote and nothing
        else (no role, facet, gap, topic or comparison) is about them; one asking who the
        articles quote, naming no one, no role and no facet, is about them all."""
        words = {t.text for t in s.tokens}
        # "who else is quoted besides Amanda Sides?": all of them
        others = bool(s.person is not None and words & _BESIDES)
        everyone = (s.person is None and not s.roles) or others
        if everyone and "people" in s.cues and not (s.facets or s.topic):
            return Reading("person")
        if s.person is None or s.facets or s.weak_facet or s.gap or s.topic or s.rest:
            return None
        if "compare" in s.cues:
            return None
        return Reading("person", roles=(s.person.role,), person=s.person.name)

    def _asks_who_does(self, s: _Signals) -> bool:
        """Whether the decline cues are the work a "who ...?" question asks about, right after
        it and a duty's: "who schedules the demos for AEs?" (not "schedule the demo with Acme")."""
        asking = {f.end for f in s.found if f.has("which_role") and f.start == 0}
        cues = [f for f in s.found if f.has("decline")]
        return all(f.start in asking for f in cues) and self._names_a_duty(s)

    @staticmethod
    def _own_team(s: _Signals) -> bool:
        """"should we let go of our underperforming BDR?": the asker's own team, and little
        else the articles know of (not "can you explain the NAM role? our org chart has one",
        "I look after our dealer network. is that what a regional account manager is?")."""
        asked = [i for span in _asked_spans(s)[1] for i in span] or range(len(s.tokens))
        said = {s.tokens[i].text for i in asked}
        ours = said & _OUR_SIDE and not said & _JOB_WORDS
        known = s.facets or s.topic or s.gap
        return bool(ours and s.roles and s.coverage < _LITTLE_KNOWN and not known)

    @staticmethod
    def _only_thanks(s: _Signals) -> bool:
        """"thx!", "cheers, that's all :pray:": every help cue said is a thanks."""
        return {e.value for f in s.found for e in f.entries if e.kind == "help"} == {"thanks"}

    def _decide(self, s: _Signals) -> Reading:
        sure = s.certainty
        if not s.tokens:
            return Reading("help")
        # "who's the AE on the Acme deal?", "who is the coach of the bulls?" ask for a person;
        # "who is the relay point between the company and the distributors?", in words all
        # known, for the role whose duty that is
        person = self._asks_for_a_person(s.tokens) and (
            bool(s.roles) or not self._names_a_duty(s)
        )
        declined = self._declines(s) and not self._asks_who_does(s)
        declined = declined or self._other_sense(s) or self._requests(s)
        if person or declined or self._own_team(s):
            return Reading("unknown", confidence=0.9)
        particular = self._names_something_particular(s) and not self._general(s)
        if self._colleagues(s) or (
            particular and (self._names_whose(s) or not (s.facets or s.gap or s.topic))
        ):
            # "who is Sarah Chen's AM?", "is Jenny still the CSM for Hooli?", "how much do
            # our CSMs get paid?"
            return Reading("unknown", confidence=0.8)
        # "AE or AM for someone who loves relationships?" asks which suits, as a comparison
        # "AE, AM: who owns the relationship after the sale?": the roles, then who of them
        listed = self._roles_then_who(s)
        pair = len(s.roles) >= 2 and ("compare" in s.cues or listed)
        pair = pair and not {t.text for t in s.tokens} & _FIT
        # "closing deals: AE or SDR?"; not "AE or SDR, who earns more?" (a facet to compare)
        candidates = pair and not s.facet
        # "closing deals - AE or SDR job?", "SDR vs AE, which one books meetings?": work one
        # of them does, asked as a choice between them (not "which one earns more?")
        does_work = pair and self._asks_which_does(s)
        candidates = candidates or does_work
        # not "who are the AEs?", which names no work but the role
        cue = self._who_cue(s)
        asks_who = cue is not None and not self._role_is_subject(s, cue) and s.rest > 0
        # "does the AE or the SDR do discovery calls?" asks which of them, as "who" does
        first = s.tokens[0].text
        # (not "is it true CSMs are proactive and AMs reactive? how are they different?")
        weak = all(s.tokens[f.start].text in _WEAK_COMPARE for f in s.found if f.has("compare"))
        asks_which = first in _AUXILIARIES | {"is", "are"} and weak
        which_of = candidates and (does_work or listed or asks_which)
        # "contract work vs full-time: which one gives more job security?" weighs a topic's
        # alternatives, with no role named
        weighs = bool(s.topic) and not s.roles and "compare" in s.cues
        # "who travels more, AEs or sales managers?" compares them on a facet, as "who earns
        # more?" does, though travel is also work a duty names; "AM or CSM, which one is more
        # proactive?" on what each does
        weighs = weighs or bool(len(s.roles) >= 2 and {t.text for t in s.tokens} & _COMPARATIVES)
        # "AM vs CSM: which one is proactive and which one reacts?" asks of each of them
        weighs = weighs or (len(s.roles) >= 2 and sum(f.has("which_role") for f in s.found) >= 2)
        if (
            ("which_role" in s.cues or which_of)
            and (not s.roles or asks_who or candidates)
            and not (self._about_them(s) or weighs)
            # "shouldn't I pick key accounts by who spends the most?": a "who" inside a
            # question about a topic
            and not (s.topic and cue is None)
        ):
            duties = self._duties(s, self.duty_cutoff)
            if len(s.roles) >= 2:  # "who handles renewals, AE or AM?": rank the candidates
                # (roles only listed before "who ...?" are the setting when neither does it)
                among = [d for d in duties if d.role in s.roles]
                duties = (among or duties) if listed and "compare" not in s.cues else among
            elif s.roles:  # "who books demos for the AEs?" is not about the AE
                duties = [d for d in duties if d.role not in s.roles]
            if duties:
                return Reading(
                    "which_role",
                    roles=tuple(d.role for d in duties[:4]),
                    duty=duties[0].duty,
                    duties=tuple(d.duty for d in duties[:4]),
                    more_duties=duties[0].more,
                    confidence=sure * duties[0].score / 100,
                )
            if not s.roles and not s.topic and self._asks_about_sales_work(s):
                otherwise = self._without_roles(s)
                if otherwise.intent == "unknown" or (otherwise.intent == "clarify" and not s.facet):
                    # work the articles give no role: say so, offer the nearest duty they give
                    nearest = self._duties(s, self.nearest_cutoff)
                    duty = nearest[0].duty if nearest else None
                    # "finds" as the duties' "acquiring"
                    stems = [*s.stems, *self.lexicon.meanings(s.stems)]
                    if duty is not None and not self.lexicon.near_in_words(duty, stems):
                        duty = None  # near only by a word every client-facing role's work uses
                    return Reading("which_role", duty=duty, confidence=0.5 * sure)
                return otherwise
        left_out = _left_out_of_list(s)
        if left_out is not None:
            return Reading("list_roles", roles=left_out, confidence=sure)
        # "who do SDRs pass their qualified leads to?" asks about the role, not the topic
        if s.topic and len(s.roles) <= 1 and not (self._asks_whom(s) or _topic_aside(s)):
            return Reading("topic", roles=s.roles, topic=s.topic, confidence=sure)
        career = "career_path" in {*s.facets, s.weak_facet, s.gap_facet}
        if len(s.roles) == 2 and career and "compare" not in s.cues:
            # "can an SDR become a sales manager?", "what must an SDR be good at to get
            # promoted to AE?": a question about the first role (the facet is read later);
            # "just got promoted from SDR to AE: what am I measured on now?" about the second
            starts = sorted(f.start for f in s.found if f.has("role"))[:2]
            moved = _moves(s.tokens, *starts) and bool(s.facets - {"career_path"})
            roles = s.roles[1:] if moved else s.roles[:1]
            return Reading("role_info", roles=roles, facet="career_path", confidence=sure)
        if len(s.roles) >= 2:
            return Reading("compare", roles=s.roles, facet=s.facet, confidence=sure)
        if len(s.roles) == 1 and not (s.ambiguous and "compare" in s.cues):
            facet = s.facet or s.weak_facet
            return Reading("role_info", roles=s.roles, facet=facet, confidence=sure)
        return self._which_is_meant(s) or self._without_roles(s)

    def _about_a_nickname(self, s: _Signals) -> Reading | None:
        """"Who are the hunters in sales?": a "who is/are ...?" question whose one role is named
        by what an article calls it asks which role that is (not "who are the SDRs?")."""
        names = [f for f in s.found if f.has("role")]
        if len(s.roles) != 1 or len(names) != 1 or not s.starts_with("which_role"):
            return None
        after = s.tokens[s.found[0].end].text if s.found[0].end < len(s.tokens) else ""
        # "who are the hunters?", "which role is the front-line sales force?", "which role do
        # they call the hunters?"
        called = {t.text for t in s.tokens[: names[0].start]} & _CALLED
        asks = after in {"is", "are"} or s.tokens[0].raw.casefold() in {"who's", "whos"}
        if not (asks or called):
            return None
        nickname = self.lexicon.nicknames.get(s.stems[names[0].start : names[0].end])
        if nickname is None:
            return None
        return Reading("which_role", roles=s.roles, duty=nickname, confidence=s.certainty)

    @staticmethod
    def _roles_then_who(s: _Signals) -> bool:
        """Whether roles named alone in a sentence are followed by one asking "who ...?": "AE,
        AM: who owns the relationship?", "We have AEs and AMs. Who handles renewals?"."""
        asks = [f.start for f in s.found if f.has("which_role") and f.start in s.sentences]
        names = [f.end for f in s.found if f.has("role")]
        return bool(asks and names) and max(names) <= min(asks) > 0

    def _asks_which_does(self, s: _Signals) -> bool:
        """Whether roles offered as a choice ("AE or SDR?", "which one ...?") are asked which
        of them does work their duties name, in no comparing words ("more", "better") and no
        facet's ("career prospects: AE or AM?"); not "who deals with distributors and who
        with teams?"."""
        asks = sum(1 for f in s.found if f.has("which_role"))
        weak = all(s.tokens[f.start].text in _WEAK_COMPARE for f in s.found if f.has("compare"))
        choice = asks == 1 or (not asks and weak)
        if s.facets or not choice or {t.text for t in s.tokens} & _COMPARATIVES:
            return False
        return any(d.role in s.roles for d in self._duties(s, self.duty_cutoff))

    @staticmethod
    def _which_is_meant(s: _Signals) -> Reading | None:
        """A name that fits several roles: "what does an account rep do?" (AM or AE?), "account
        rep vs SDR?" (compare the SDR with the AM or the AE?); or no name, the message only
        pointing back with nothing before it ("what about them?", "same for skills")."""
        if Reader._points_back(s):
            return Reading("clarify", facet=s.facet, confidence=0.5 * s.certainty)
        if not s.ambiguous:
            return None
        roles, pairing = (*s.roles[:1], *s.ambiguous), bool(s.roles)
        sure = 0.6 * s.certainty
        return Reading("clarify", roles=roles, facet=s.facet, pairing=pairing, confidence=sure)

    def _covering(self, facet: str | None) -> tuple[str, ...]:
        """The roles the articles cover ``facet`` for, worked out once a facet."""
        if facet not in self._facet_roles:
            roles = self.knowledge.roles.values()
            self._facet_roles[facet] = tuple(r.id for r in roles if facet in r.facets)
        return self._facet_roles[facet]

    def _said_of_one_role(
        self, s: _Signals, among: Sequence[str] = ()
    ) -> tuple[str, str] | None:
        """The role and facet of the longest run of the question's words (two or more, and
        most of what it says) that only one role's facts say, on one facet or the one asked;
        not a run with a job word ("what's the career path?" asks which role). In a
        conversation, one of the roles ``among`` those talked about is enough."""
        words = [
            (st, t.text in _JOB_WORDS)
            for st, t in zip(s.stems, s.tokens, strict=True)
            if t.text not in _PUNCTUATION and st not in self.lexicon.fillers
        ]
        for n in range(min(_PHRASE_RUN, len(words)), 1, -1):
            runs = (words[i : i + n] for i in range(len(words) - n + 1))
            said = frozenset().union(
                *(
                    self.lexicon.phrase_texts(tuple(st for st, _ in run))
                    for run in runs
                    if not any(job for _, job in run)
                )
            )
            if not said:
                continue
            if len(said) > _SAID_BY:
                return None
            owned = (self.lexicon.text_owners(text) for text in said)
            owners = {(r, f) for pairs in owned for r, f in pairs if not among or r in among}
            # most of what it says: three words in four, or two in three in a conversation
            short = n * (3 if among else 4) < len(words) * (2 if among else 3)
            if len({r for r, _ in owners}) != 1 or short:
                return None
            facets = {f for _, f in owners}
            facet = s.facet if s.facet in facets else min(facets) if len(facets) == 1 else None
            return None if facet is None else (next(iter(owners))[0], facet)
        return None

    def _without_roles(self, s: _Signals) -> Reading:
        """A question that names no role: a list, help, a clarifying question, or a decline."""
        sure = s.certainty
        words = {t.text for t in s.tokens}
        # "which role pays the most?", "which roles have higher base salaries?": the roles the
        # articles cover the facet for, compared on it (when a comparison holds them all; not
        # "which one pays more?", between two roles known, nor "physician assistant vs
        # dermatologist, which pays more?", "which pays more, nursing or teaching?")
        # ("which role is entry level?", "what's the most junior sales job?" too)
        which = bool(words & {"which", "who", "whose"}) or _asks_which_role(s.tokens)
        ranking = bool(words & _COMPARATIVES) and which
        ranks = bool(s.facet) and (ranking or _which_role_is(s.tokens))
        ranks = ranks and not words & {"one", "or", "vs", "versus"} and not self._own_things(s)
        covering = self._covering(s.facet) if ranks else ()
        if 2 <= len(covering) <= _ACROSS:
            if self._names_something_particular(s):
                return Reading("unknown", confidence=0.8)
            return Reading("compare", roles=covering, facet=s.facet, confidence=0.6 * sure)
        asks_for_list = words & _ROLE_NOUNS and words & _LIST_WORDS
        # "which role" also asks who does something: a list when plural ("which positions do
        # you know?") or no facet is named ("I don't know which role yet; what education?")
        listing = any(
            f.has("list_roles")
            and (not f.has("which_role") or s.tokens[f.end - 1].raw.endswith("s"))
            for f in s.found
        )
        # (not "which role does the sales forecast?", asking who does sales work)
        does = _which_role_does(s.tokens) and self._asks_about_sales_work(s)
        listed = "list_roles" in s.cues and not does
        # "do you have anything on sales engineers?": the list, saying no article does
        listed = listed or bool(s.uncovered and words & _YOU and words & _HAVING_IT)
        if listing or ((listed or asks_for_list) and not s.facet):
            return Reading("list_roles", uncovered=s.uncovered, confidence=sure)
        if s.step or s.uncovered:
            # a career step the articles name only as one, or a role no article describes
            # ("what does a sales engineer do?")
            facet = s.facet if s.step else None
            return Reading(
                "unknown", step=s.step, uncovered=s.uncovered, facet=facet, confidence=sure
            )
        ours = s.coverage >= self.min_coverage and not self._own_things(s)
        owner = self._said_of_one_role(s)
        if owner is not None and not self._own_things(s):
            # "what is pipeline health?", "how is client retention rate calculated?": words
            # only one role's facts say
            role, facet = owner
            return Reading("role_info", roles=(role,), facet=facet, confidence=0.6 * sure)
        # "my friend just got a sales job; what does the role involve day to day?": a long
        # question about a facet of sales work, in words of its own
        about_sales = bool(s.facet) and "domain" in s.cues and not self._own_things(s)
        about_sales = about_sales and any(
            t.text in _JOB_WORDS and after.text != "play"
            for t, after in zip(s.tokens, (*s.tokens[1:], Token("", "")), strict=True)
        )
        if (ours or about_sales) and (s.facet or s.gap):
            return Reading("clarify", facet=s.facet or s.gap_facet, confidence=0.6 * sure)
        if ours and s.weak_facet and self._about_them(s):  # "and who are their clients?"
            return Reading("clarify", facet=s.weak_facet, confidence=0.5 * sure)
        # "how does this work? do I just type a role name?": a long help phrase is enough
        long_help = any(f.has("help") and f.end - f.start >= 3 for f in s.found)
        if "help" in s.cues and (ours or (long_help and s.coverage >= 0.6)):
            return Reading("thanks" if self._only_thanks(s) else "help", confidence=sure)
        if ours and {"domain", "compare"} & s.cues:
            # "what's the difference?", "compare the two", no roles known: which to compare
            pairing = "domain" not in s.cues
            # "what jobs are there?", "what sales jobs are there?": the list
            listing = not pairing and s.content - ("sales" in words) <= 1
            listing = listing and bool(words & _ROLE_NOUNS)
            intent = "list_roles" if listing else "clarify"
            return Reading(intent, pairing=pairing, confidence=(0.5 if pairing else 0.6) * sure)
        if self._asks_what_it_is(s):  # which role "it" is, the question does not say
            return Reading("clarify", facet="overview", confidence=0.5 * sure)
        # "I'm considering a switch into sales, give me the lowdown on the role": which role?
        if words & _EXPLAIN and words & _JOB_WORDS and "sales" in words and not self._own_things(s):
            return Reading("clarify", confidence=0.5 * sure)
        return Reading("unknown", confidence=1.0 - 0.5 * s.coverage)

    @staticmethod
    def _points_back(s: _Signals) -> bool:
        """Whether a question only points back to an earlier message, with at most a facet
        named: "what about them?", "and the other one?", "wait, why?", "same for skills"."""
        facets = {i for f in s.found if f.has("facet") for i in range(f.start, f.end)}
        rest = [t.text for i, t in enumerate(s.tokens) if i not in facets]
        back = [w for w in rest if w in _BACK]
        only_facets = all(f.has("facet") for f in s.found)
        return bool(back) and only_facets and all(w in _BACK or w in _BACK_FILLERS for w in rest)

    def _follow_up(self, s: _Signals, reading: Reading, context: Reading) -> Reading:
        """Fill what a follow-up leaves out from the previous reading."""
        if reading.intent == "unknown" and "decline" in s.cues:
            return reading  # declined on its own ("reset my password"): no context makes it ours
        # "what was her advice?", "when was he interviewed?" after a question about someone
        # the articles quote: about them again
        people = self.knowledge.vocabulary.people
        person = next((p for p in people if p.name == context.person), None)
        unread = reading.intent in {"unknown", "clarify", "help"} and not reading.roles
        spoken_of = person is not None and bool({t.text for t in s.tokens} & SPOKEN_OF)
        if person and spoken_of and unread:
            return Reading("person", roles=(person.role,), person=person.name, confidence=0.8)
        if person and spoken_of and reading.intent == "role_info":
            # "how long was she a junior AM?": the role's answer, led by what she did
            return replace(reading, person=person.name)
        follow = any(s.first_words(*start) for start in _FOLLOW_UP_STARTS)
        about_roles = context.intent in {"role_info", "compare"}
        # "who do they each work with?" after a question about roles: whom those roles deal with
        if reading.intent == "which_role" and about_roles and context.roles and s.facet:
            cue = s.found[0]
            asks_whom = cue.start == 0 and s.tokens[cue.end - 1].text in _AUXILIARIES
            if asks_whom and cue.end < len(s.tokens) and s.tokens[cue.end].text in _PRONOUNS:
                intent = "compare" if len(context.roles) > 1 else "role_info"
                return Reading(intent, roles=context.roles, facet=s.facet, confidence=0.8)
        # "how does that compare to AEs?", "vs an AE?", "add AM to that": add to the roles before
        words = {t.text for t in s.tokens}
        adds = context.intent == "compare" and bool(s.roles) and bool(words & _ADDING)
        if adds and reading.intent == "unknown":
            reading = Reading("role_info", roles=s.roles)
        if reading.intent == "role_info" and about_roles and ("compare" in s.cues or adds):
            roles = tuple(dict.fromkeys((*context.roles, *reading.roles)))
            if len(roles) > 1:
                facet = s.facet or context.facet
                return Reading("compare", roles=roles, facet=facet, confidence=0.8 * s.certainty)
        # "what about AMs?" after a facet question; "AEs" after "which role do you mean?"
        if (
            reading.intent in {"role_info", "compare"}
            and s.facet is None
            # not "BDR and SDR, the same thing?", which asks for an overview
            and not (reading.facet == "overview" and "compare" in s.cues)
            and (context.intent == "clarify" or (follow and about_roles))
        ):
            return replace(reading, facet=context.facet)
        # "and their salary?" after a question about roles
        if (
            (reading.intent in {"clarify", "unknown", "help"} or _no_role_found(reading))
            and not (reading.intent == "clarify" and reading.roles)  # "an account rep?": ask
            # ("what is it exactly?": overview; "how long does it take to move up?": the gap's)
            and (s.facet or s.weak_facet or reading.facet or s.gap_facet)
            and context.roles
            and not self._names_something_particular(s)  # "also whats Jen's quota"
            # (after a recommendation, the roles it named: "and the career path?")
            and context.intent in {"role_info", "compare", "which_role", "recommend"}
            # (a facet named in words mostly known is enough after a role: "ok what skills
            # should i work on first")
            and (s.coverage >= _FOLLOWING or reading.intent == "clarify")
        ):
            roles = context.roles[:1] if context.intent == "which_role" else context.roles
            intent = "compare" if len(roles) > 1 else "role_info"
            facet = s.facet or s.weak_facet or reading.facet or s.gap_facet
            sure = 0.8 * s.certainty
            return Reading(intent, roles=roles, facet=facet, gap=s.gap, confidence=sure)
        if reading == Reading("clarify", facet="overview") and context.intent == "topic":
            return replace(context, confidence=0.8 * s.certainty)  # "BANT?" "what is it?"
        # "and how is retention rate calculated?" after the AE: words only its facts say
        owner = self._said_of_one_role(s, context.roles) if reading.intent == "unknown" else None
        if owner is not None and context.roles:
            return Reading("role_info", roles=owner[:1], facet=owner[1], confidence=0.6)
        # "how many criteria?", "the upside of full time?" after a topic: words of its own text
        words = set(self._content_stems(s)) if reading.intent == "unknown" else set()
        if context.intent == "topic" and context.topic and self._topic_words(context.topic) & words:
            return replace(context, confidence=0.7 * s.certainty)
        return reading

    def _work_asked_too(self, s: _Signals, reading: Reading) -> str | None:
        """The role's day-to-day work, when a part of its own asks about work its duties name
        beside the facet asked ("whats the comp structure like? and also am I going to be cold
        calling a lot or is it mostly email")."""
        if reading.intent != "role_info" or reading.facet in {None, _DUTIES}:
            return None
        part, _ = _question_parts(s)
        after = max((part[i] for i, _ in s.facet_spots), default=len(s.tokens))
        words = [st for i, st in enumerate(s.stems) if part[i] > after]
        if not words:
            return None
        found = self.lexicon.duty_index.search(words, self.duty_cutoff, covering=False)
        return _DUTIES if any(duty.role == reading.roles[0] for duty, _ in found) else None

    def _fit_checked(self, s: _Signals) -> str | None:
        """The one role a question asks whether the asker fits, its name right after words of
        ``fit_check.before`` ("am I cut out to be an account manager?") or soon before words of
        ``fit_check.after`` ("is the AE role a good fit for me?"); else None."""
        if len(s.roles) != 1:
            return None
        texts = tuple(t.text for t in s.tokens)
        for f in (f for f in s.found if f.has("role")):
            start = f.start
            while start > 0 and texts[start - 1] in _ARTICLES:
                start -= 1
            if any(texts[:start][-len(p) :] == p for p in self._fit_before):
                return s.roles[0]
            after = texts[f.end :]
            for skip in range(len(after)):
                if any(after[skip : skip + len(p)] == p for p in self._fit_after):
                    return s.roles[0]
                if after[skip] not in _FIT_BETWEEN:
                    break
        return None

    def _not_a_fit_question(self, s: _Signals) -> bool:
        """Whether a question read as "which role fits me?" is not one: the asker is hiring
        for a role and asks about its facet ("I'm hiring two SDRs, what would you say the core
        responsibilities are?"), or it has a decline cue
        ("my manager and I don't get along, what should I do?") or names a company beside "us"
        ("is this prospect Contoso a good fit for us?"). Asked only of questions the
        recommender read, so the rest are not checked twice."""
        words = {t.text for t in s.tokens}
        ours = words & _OUR_SIDE
        if words & _HIRING and s.roles and s.facets:
            return True  # "I'm hiring two SDRs, what are the core responsibilities?"
        return self._declines(s, fit=True) or bool(ours and self._names_something_particular(s))

    def _topic_words(self, topic: str) -> frozenset[str]:
        """The stems of what the knowledge says about a topic, fillers aside."""
        known = self.knowledge.topics[topic]
        facts = (self.lexicon.fact_stems(f) for f in (known.summary, *known.facts))
        return frozenset().union(*facts) - self.lexicon.fillers
