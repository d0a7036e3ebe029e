"""Text in, reading out: intent, roles, facet, topic and confidence. Pure; knows nothing of Slack.

Matching yields scored candidates (roles, facets, topics, cues, duties); one ranking in
``Reader._decide`` picks the intent. A previous reading may be passed as context, so that a
follow-up ("what about AMs?", "and their salary?") keeps what it leaves out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from bot.knowledge import Knowledge
from bot.understanding.lexicon import Entry, Lexicon
from bot.understanding.normalize import Token, clean, tokenize
from bot.understanding.reading import MAX_ROLES, Reading

__all__ = ["Reader", "Terms"]

# Single-word role aliases that are also everyday English ("I am", "RAM" of a laptop).
_AMBIGUOUS = frozenset({"am", "ram"})
_DETERMINERS = frozenset({"a", "an", "the", "my", "our", "your", "as", "each", "every", "new"})
# Questions about the asker's own things ("my pay", "our pipeline") are not about roles.
_OWN_THINGS = frozenset({"my", "our"})
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
_PUNCTUATION = frozenset({"?", "/"})
_NOT_A_PERSON = frozenset(
    {"person", "one", "role", "job", "best", "right", "main", "first", "link", "contact", "boss"}
)
# "what roles do you know?", "roles list pls", "every sales role you have": asking for the list.
_ROLE_NOUNS = frozenset({"roles", "jobs", "positions", "titles", "seats"})
_LIST_WORDS = frozenset({"you", "your", "list", "every", "all", "exist", "available"})


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    entries: frozenset[Entry]

    def has(self, kind: str) -> bool:
        return any(e.kind == kind for e in self.entries)


@dataclass(frozen=True, slots=True)
class _Signals:
    """Everything matched in one question, before any decision."""

    tokens: tuple[Token, ...]
    stems: tuple[str, ...]
    found: tuple[_Found, ...]
    roles: tuple[str, ...]
    facet: str | None
    weak_facet: str | None
    topic: str | None
    step: str | None
    cues: frozenset[str]
    certainty: float
    coverage: float
    content: int

    def first_words(self, *words: str) -> bool:
        return tuple(t.text for t in self.tokens[: len(words)]) == words

    def starts_with(self, kind: str) -> bool:
        return bool(self.found) and self.found[0].start == 0 and self.found[0].has(kind)


@dataclass(frozen=True, slots=True)
class Terms:
    """The roles and facet named in a list of terms (slash command arguments), and the rest."""

    roles: tuple[str, ...]
    facet: str | None
    unknown: tuple[str, ...]


class Reader:
    """Reads questions against one knowledge base. Build once; ``read`` is cheap and pure."""

    def __init__(
        self,
        knowledge: Knowledge,
        *,
        typo_cutoff: float = 0.8,
        duty_cutoff: float = 86.0,
        min_coverage: float = 0.8,
    ) -> None:
        """Thresholds (chosen on the labelled data, see ``rolebot eval --sweep``):

        ``typo_cutoff``: Damerau-Levenshtein similarity (0-1) for repairing a misspelt word;
        ``duty_cutoff``: token-set similarity (0-100) for a duty named in "who does X?";
        ``min_coverage``: share of a question's meaningful words that must be known phrases
        for a question naming no role to count as ours.
        """
        self.knowledge = knowledge
        self.lexicon = Lexicon(knowledge, typo_cutoff=typo_cutoff)
        self.duty_cutoff = duty_cutoff
        self.min_coverage = min_coverage
        self._facet_order = {fid: i for i, fid in enumerate(knowledge.facets)}

    # -- matching -------------------------------------------------------------------------

    def _scan(self, stems: Sequence[str]) -> list[_Found]:
        """Greedy longest-first phrase look-up over the question's stems."""
        table, found, i = self.lexicon.table, [], 0
        while i < len(stems):
            for size in range(min(self.lexicon.longest, len(stems) - i), 0, -1):
                entries = table.get(tuple(stems[i : i + size]))
                if entries:
                    found.append(_Found(i, i + size, entries))
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
        if "i" in (before, after) or before.isdigit():
            return False
        if token.raw.isupper() and len(token.raw) > 1:
            return True
        if before in {"how", "where", "what"}:  # "what am I...", "how am I doing"
            return False
        if token.text.endswith("s") or before in _DETERMINERS or len(tokens) == 1:
            return True
        neighbours = [f for f in others if f.end == i or f.start == found.end]
        return any(f.has("role") or f.has("compare") or f.has("facet") for f in neighbours)

    def _best_facet(self, weights: dict[str, int]) -> str | None:
        if not weights:
            return None
        return max(weights, key=lambda f: (weights[f], -self._facet_order[f]))

    def _signals(self, cleaned: str) -> _Signals:
        """Match a question already passed through ``clean``."""
        tokens = tokenize(cleaned)
        repaired = [self.lexicon.stem_token(t) for t in tokens]
        stems = tuple(stemmed for stemmed, _ in repaired)
        found = self._scan(stems)
        roles: list[tuple[int, str]] = []
        partial: list[tuple[int, str]] = []
        facets: dict[str, int] = {}
        weak: dict[str, int] = {}
        topic: str | None = None
        step: str | None = None
        cues: set[str] = set()
        for item in found:
            weight = sum(len(t.text) for t in tokens[item.start : item.end])
            for entry in item.entries:
                kind = entry.kind
                if kind == "role":
                    ambiguous = (
                        item.end - item.start == 1
                        and tokens[item.start].text.rstrip("s") in _AMBIGUOUS
                    )
                    if ambiguous and not self._is_role_word(tokens, item, found):
                        continue
                    roles.append((item.start, entry.value))
                elif kind == "partial_role":
                    partial.append((item.start, entry.value))
                elif kind in {"facet", "weak_facet"}:
                    bucket = facets if kind == "facet" else weak
                    bucket[entry.value] = bucket.get(entry.value, 0) + weight
                elif kind == "topic":
                    topic = topic or entry.value
                elif kind == "step":
                    step = step or entry.value
                    # "junior AM", "senior AE": the role inside a career step counts too
                    inner = self._scan(stems[item.start + 1 : item.end])
                    roles += [
                        (item.start + f.start + 1, e.value)
                        for f in inner
                        for e in f.entries
                        if e.kind == "role"
                    ]
                else:
                    cues.add(kind)
        if partial and roles and "compare" in cues:
            roles += partial
        first_seen: dict[str, int] = {}
        for start, role_id in sorted(roles):
            first_seen.setdefault(role_id, start)
        content = [
            i
            for i, t in enumerate(tokens)
            if t.text not in _PUNCTUATION and stems[i] not in self.lexicon.fillers
        ]
        covered = {i for f in found for i in range(f.start, f.end)}
        return _Signals(
            tokens=tokens,
            stems=stems,
            found=tuple(found),
            roles=tuple(sorted(first_seen, key=first_seen.__getitem__))[:MAX_ROLES],
            facet=self._best_facet(facets),
            weak_facet=self._best_facet(weak),
            topic=topic,
            step=step,
            cues=frozenset(cues),
            certainty=min((score for _, score in repaired), default=1.0),
            coverage=len(covered.intersection(content)) / len(content) if content else 1.0,
            content=len(content),
        )

    def _duties(self, s: _Signals) -> list[tuple[str, str, float]]:
        """Roles whose duties the question names, best first: (role, duty, score)."""
        words = [
            stem
            for stem, token in zip(s.stems, s.tokens, strict=True)
            if stem not in self.lexicon.fillers and token.text not in _PUNCTUATION
        ]
        if not words:
            return []
        duties = self.lexicon.duties
        best: dict[str, tuple[float, int, int, str]] = {}
        for _, score, index in process.extract(
            " ".join(words),
            [d.stems for d in duties],
            scorer=fuzz.token_set_ratio,
            score_cutoff=self.duty_cutoff,
            limit=None,
        ):
            duty = duties[index]
            key = (score, len(duty.stems.split()), -duty.rank, duty.phrase)
            if duty.role not in best or key > best[duty.role]:
                best[duty.role] = key
        ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
        return [(role, key[3], key[0]) for role, key in ranked]

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
        return Terms(roles=s.roles, facet=s.facet or s.weak_facet, unknown=unknown)

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
        return not named.raw.endswith(("'s", "\u2019s")) and named.text not in _NOT_A_PERSON

    # -- deciding -------------------------------------------------------------------------

    def read(self, text: str, *, context: Reading | None = None) -> Reading:
        """Read one question; ``context`` is the previous reading in the same conversation."""
        question = clean(text or "")
        signals = self._signals(question)
        reading = self._decide(signals)
        if context is not None:
            reading = self._follow_up(signals, reading, context)
        return replace(reading, question=question)

    def _decide(self, s: _Signals) -> Reading:
        sure = s.certainty
        if not s.tokens:
            return Reading("help")
        if "decline" in s.cues or self._asks_for_a_person(s.tokens):
            return Reading("unknown", confidence=0.9)
        # "closing deals: AE or SDR?"; not "AE or SDR, who earns more?" (a facet to compare)
        candidates = len(s.roles) >= 2 and "compare" in s.cues and not s.facet
        if "which_role" in s.cues and (not s.roles or s.starts_with("which_role") or candidates):
            duties = self._duties(s)
            if len(s.roles) >= 2:  # "who handles renewals, AE or AM?": rank the candidates
                duties = [d for d in duties if d[0] in s.roles]
            elif s.roles:  # "who books demos for the AEs?" is not about the AE
                duties = [d for d in duties if d[0] not in s.roles]
            if duties:
                return Reading(
                    "which_role",
                    roles=tuple(role for role, _, _ in duties[:4]),
                    duty=duties[0][1],
                    confidence=sure * duties[0][2] / 100,
                )
        if s.topic and len(s.roles) <= 1:
            return Reading("topic", roles=s.roles, topic=s.topic, confidence=sure)
        career = (s.facet or s.weak_facet) == "career_path"
        if len(s.roles) == 2 and career and "compare" not in s.cues:
            # "can an SDR become a sales manager?": a question about the first role's path
            return Reading("role_info", roles=s.roles[:1], facet="career_path", confidence=sure)
        if len(s.roles) >= 2:
            return Reading("compare", roles=s.roles, facet=s.facet, confidence=sure)
        if len(s.roles) == 1:
            facet = s.facet or s.weak_facet
            return Reading("role_info", roles=s.roles, facet=facet, confidence=sure)
        return self._without_roles(s)

    def _without_roles(self, s: _Signals) -> Reading:
        """A question that names no role: a list, help, a clarifying question, or a decline."""
        sure = s.certainty
        words = {t.text for t in s.tokens}
        asks_for_list = words & _ROLE_NOUNS and words & _LIST_WORDS
        if "list_roles" in s.cues or (asks_for_list and not s.facet):
            return Reading("list_roles", confidence=sure)
        if s.step:
            return Reading("unknown", step=s.step, confidence=sure)
        ours = s.coverage >= self.min_coverage and not _OWN_THINGS & words
        if ours and s.facet:
            return Reading("clarify", facet=s.facet, confidence=0.6 * sure)
        if "help" in s.cues and ours:
            return Reading("help", confidence=sure)
        if ours and "domain" in s.cues:
            intent = "list_roles" if s.content <= 1 and words & _ROLE_NOUNS else "clarify"
            return Reading(intent, confidence=0.6 * sure)
        return Reading("unknown", confidence=1.0 - 0.5 * s.coverage)

    def _follow_up(self, s: _Signals, reading: Reading, context: Reading) -> Reading:
        """Fill what a follow-up leaves out from the previous reading."""
        follow = any(s.first_words(*start) for start in _FOLLOW_UP_STARTS)
        about_roles = context.intent in {"role_info", "compare"}
        # "how does that compare to AEs?", "vs an AE?": add to the roles before
        if reading.intent == "role_info" and about_roles and "compare" in s.cues:
            roles = tuple(dict.fromkeys((*context.roles, *reading.roles)))
            if len(roles) > 1:
                facet = s.facet or context.facet
                return Reading("compare", roles=roles, facet=facet, confidence=0.8 * s.certainty)
        # "what about AMs?" after a facet question; "AEs" after "which role do you mean?"
        if (
            reading.intent in {"role_info", "compare"}
            and s.facet is None
            and (context.intent == "clarify" or (follow and about_roles))
        ):
            return replace(reading, facet=context.facet)
        # "and their salary?" after a question about roles
        if (
            reading.intent in {"clarify", "unknown", "help"}
            and (s.facet or s.weak_facet)
            and context.roles
            and context.intent in {"role_info", "compare", "which_role"}
            and s.coverage >= self.min_coverage
        ):
            roles = context.roles[:1] if context.intent == "which_role" else context.roles
            intent = "compare" if len(roles) > 1 else "role_info"
            facet = s.facet or s.weak_facet
            return Reading(intent, roles=roles, facet=facet, confidence=0.8 * s.certainty)
        return reading
