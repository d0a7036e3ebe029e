"""How well each statement in the knowledge rests on the article lines it cites.

Every fact, duty and career move cites a seed article and line numbers. A statement is
grounded when its content words (stemmed, stop words out) are mostly found in those lines and
every figure in it appears there. ``rolebot ground`` prints the least-grounded statements and
the test suite fails on any under the threshold. The seeds are needed only for this check,
never to answer.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from bot.knowledge.base import Knowledge
from bot.knowledge.loader import Document, load_document
from bot.knowledge.schema import Fact, Role, SourceRef
from bot.paths import CHECKOUT

__all__ = [
    "DEFAULT_SEEDS_DIR",
    "THRESHOLD",
    "Checker",
    "Claim",
    "Grounding",
    "check_grounding",
    "content_stems",
    "load_articles",
    "name_stems",
    "seeds_dir",
]

# The seeds sit beside the checkout, in ../shared/seeds (a wheel carries none: it needs none).
DEFAULT_SEEDS_DIR = CHECKOUT.parent / "shared" / "seeds"
# The share of a statement's content words that its cited lines must contain. Chosen from the
# distribution ``rolebot ground`` prints: paraphrases of what the lines say score 0.5 and up,
# while statements citing the wrong line, or saying what no line says, fall well below it.
THRESHOLD = 0.5

_STEMMER = snowballstemmer.stemmer("english")
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_PREFIX = 5
# Words that carry no claim of their own (a standard English stop list, plus words every
# statement about a role uses).
_STOP_WORDS = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else
    even ever every few for from further had has have having he her here hers herself him
    himself his how however i if in into is it its itself just least less let like may me
    might more most much must my myself no nor not now of off often on once one only or other
    others our ours ourselves out over own per quite rather same shall she should so some
    such than that the their theirs them themselves then there these they this those through
    thus to too under until up upon us usually very was we were what when where whether which
    while who whom whose why will with within without would yet you your yours yourself
    yourselves s t don isn aren typically generally sometimes mostly mainly many
    role roles job jobs person people someone something things thing way ways part kind
    get gets getting make makes making take takes taking keep keeps put use uses using help
    helps give gives hold main work works working well
"""
_STOP = frozenset(_STOP_WORDS.split())


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


@lru_cache(maxsize=8192)
def content_stems(text: str, *, ignore: frozenset[str] = frozenset()) -> frozenset[str]:
    """The stems of the words in ``text`` that carry meaning, less the stems in ``ignore``
    (answers compare the same facts' words again and again: kept once worked out)."""
    words = (w.casefold().replace("\u2019", "'") for w in _WORD.findall(text))
    stems = (_stem(w.removesuffix("'s")) for w in words if w not in _STOP and not w.isdigit())
    return frozenset(s for s in stems if s not in ignore)


def _found(stem: str, stems: frozenset[str]) -> bool:
    """Whether ``stem`` is among ``stems``, counting a shared start of five letters as the
    same word ("experienced" and "experience" stem differently)."""
    if stem in stems:
        return True
    if len(stem) < _PREFIX:
        return False
    return any(len(other) >= _PREFIX and other[:_PREFIX] == stem[:_PREFIX] for other in stems)


def name_stems(knowledge: Knowledge) -> frozenset[str]:
    """Stems of every role, career-step and article name (``_names``), and of each one's
    plural: words of a question that say whom it is about, not what it asks."""
    names = _names(knowledge)
    return names | {f"{n}s" for n in names}


def _names(knowledge: Knowledge) -> frozenset[str]:
    """Stems of every role, career-step and article name: who a statement is about, and
    which article says it, are not its claim."""
    names = [n for r in knowledge.roles.values() for n in (r.name, r.short, *r.aliases)]
    names += [n for s in knowledge.career.steps for n in (s.name, *s.aliases)]
    # Naming an article ("the AE vs AM guide says") is not a claim either.
    names += [s.title for s in knowledge.sources.values()] + ["article", "articles"]
    words = (w.casefold() for n in names for w in _WORD.findall(n))
    # Stop words included: "AMs" stems to "am", which the stop list would otherwise keep.
    return frozenset(_stem(w) for w in words) - {"client", "custom", "key", "account"}


def _numbers(text: str) -> frozenset[str]:
    return frozenset(n.replace(",", "") for n in _NUMBER.findall(text))


def seeds_dir() -> Path:
    """``ROLEBOT_SEEDS_DIR`` when set, else ``shared/seeds`` beside the checkout."""
    return Path(os.environ.get("ROLEBOT_SEEDS_DIR") or DEFAULT_SEEDS_DIR)


def load_articles(knowledge: Knowledge, folder: Path) -> dict[str, tuple[str, ...]]:
    """Each source's article as its lines (line 1 is index 0); raises OSError if one is absent."""
    return {
        source.id: tuple((folder / source.file).read_text(encoding="utf-8").splitlines())
        for source in knowledge.sources.values()
    }


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement of the knowledge, where it is, and how well its cited lines carry it."""

    where: str
    text: str
    refs: tuple[SourceRef, ...]
    inferred: bool
    score: float
    # Content words not found in the cited lines, figures not found, and line numbers that the
    # articles do not have (or that are blank).
    unmatched: tuple[str, ...]
    missing_figures: tuple[str, ...]
    bad_lines: tuple[str, ...]

    @property
    def problem(self) -> str | None:
        if self.bad_lines:
            return f"cites lines that do not exist or are blank: {', '.join(self.bad_lines)}"
        if self.missing_figures:
            return f"figures not in the cited lines: {', '.join(self.missing_figures)}"
        if self.score < THRESHOLD:
            return f"only {self.score:.0%} of its words are in the cited lines"
        return None

    def __str__(self) -> str:
        cited = "; ".join(f"{r.id} {','.join(map(str, r.lines))}" for r in self.refs)
        return f"{self.where}: {self.score:.2f} [{cited}] {self.text}"


@dataclass(frozen=True, slots=True)
class Grounding:
    claims: tuple[Claim, ...]

    @property
    def failures(self) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if c.problem)

    def least(self, count: int) -> tuple[Claim, ...]:
        return tuple(sorted(self.claims, key=lambda c: (c.score, c.where))[:count])


Statement = tuple[str, tuple[str | int, ...], Fact]


def _role_statements(role: Role) -> Iterator[Statement]:
    """Every cited statement of one role file."""
    file = f"roles/{role.id}.yaml"
    yield file, ("summary",), role.summary
    for i, nickname in enumerate(role.nicknames):
        yield file, ("nicknames", i), nickname
    for i, duty in enumerate(role.duties):
        yield file, ("duties", i), duty
    for facet, facts in role.facets.items():
        for i, fact in enumerate(facts):
            yield file, ("facets", facet, i), fact
    for i, disagreement in enumerate(role.disagreements):
        for j, view in enumerate(disagreement.views):
            yield file, ("disagreements", i, "views", j), view
        if disagreement.why is not None:
            yield file, ("disagreements", i, "why"), disagreement.why


def _statements(knowledge: Knowledge) -> Iterator[Statement]:
    """Every cited statement: (file relative to the knowledge root, YAML path, fact)."""
    for role in knowledge.roles.values():
        yield from _role_statements(role)
    for i, comparison in enumerate(knowledge.comparisons):
        here: tuple[str | int, ...] = ("comparisons", i)
        for group in ("summary", "notes"):
            for j, fact in enumerate(getattr(comparison, group)):
                yield "comparisons.yaml", (*here, group, j), fact
        for j, aspect in enumerate(comparison.aspects):
            for rid, fact in aspect.values.items():
                yield "comparisons.yaml", (*here, "aspects", j, "values", rid), fact
    for i, topic in enumerate(knowledge.topics.values()):
        yield "topics.yaml", ("topics", i, "summary"), topic.summary
        for j, fact in enumerate(topic.facts):
            yield "topics.yaml", ("topics", i, "facts", j), fact
    if knowledge.key_accounts is not None:
        for i, note in enumerate(knowledge.key_accounts.method):
            yield "key_accounts.yaml", ("method", i), Fact(text=note.text, source=note.source)
    for i, gap in enumerate(knowledge.gaps.values()):
        for j, fact in enumerate(gap.said):
            yield "gaps.yaml", ("gaps", i, "said", j), fact
    for i, person in enumerate(knowledge.vocabulary.people):
        yield "vocabulary.yaml", ("people", i, "about"), person.about
    for i, move in enumerate(knowledge.career.moves):
        if move.note:
            yield "career.yaml", ("moves", i), Fact(text=move.note, source=move.source)


class Checker:
    """Scores statements of one knowledge base against the articles' lines."""

    def __init__(self, knowledge: Knowledge, articles: Mapping[str, Sequence[str]]) -> None:
        self.knowledge = knowledge
        self.articles = articles
        self.names = _names(knowledge)

    def score(self, fact: Fact, where: str = "") -> Claim:
        """How well ``fact`` rests on the lines it cites."""
        return self._score(fact, where, self.names)

    def _score(self, fact: Fact, where: str, ignore: frozenset[str]) -> Claim:
        cited: list[str] = []
        bad: list[str] = []
        for ref in fact.source:
            lines = self.articles.get(ref.id, ())
            for number in ref.lines:
                if number > len(lines) or not lines[number - 1].strip():
                    bad.append(f"{ref.id}:{number}")
                else:
                    cited.append(lines[number - 1])
        text = "\n".join(cited)
        wanted = content_stems(fact.text, ignore=ignore)
        found = content_stems(text)
        unmatched = tuple(sorted(w for w in wanted if not _found(w, found)))
        score = 1 - len(unmatched) / len(wanted) if wanted else 1.0
        figures = tuple(sorted(_numbers(fact.text) - _numbers(text)))
        return Claim(
            where, fact.text, fact.source, fact.inferred, score, unmatched, figures, tuple(bad)
        )

    def named(self, node: str, refs: tuple[SourceRef, ...], where: str = "") -> Claim:
        """How well the lines name a role or career step, by the best of its names (a career
        move without a note claims only that its lines name where it leads)."""
        names = [self.knowledge.name_of(node), *self.knowledge.aliases_of(node)]
        claims = [self._score(Fact(text=n, source=refs), where, frozenset()) for n in names]
        return max(claims, key=lambda c: c.score)

    def check(self) -> Grounding:
        """Every statement of the knowledge, scored, with its file and line."""
        docs: dict[str, Document] = {}

        def where(file: str, loc: tuple[str | int, ...]) -> str:
            doc = docs.get(file) or docs.setdefault(
                file, load_document(self.knowledge.root / file)
            )
            return f"{doc.name}:{doc.line_of(loc)}"

        claims = [self.score(fact, where(f, loc)) for f, loc, fact in _statements(self.knowledge)]
        claims += [
            self.named(move.to, move.source, where("career.yaml", ("moves", i)))
            for i, move in enumerate(self.knowledge.career.moves)
            if not move.note
        ]
        return Grounding(tuple(claims))


def check_grounding(knowledge: Knowledge, articles: Mapping[str, Sequence[str]]) -> Grounding:
    """Score every statement of ``knowledge`` against the lines it cites."""
    return Checker(knowledge, articles).check()
