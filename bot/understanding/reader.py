"""Text in, reading out: intent, roles, facet, topic and confidence. Pure; knows nothing of Slack.

Matching yields scored candidates (roles, facets, topics, cues, duties); one ranking in
``Reader.read`` decides the intent. A previous reading may be passed as context, so that a
follow-up ("what about AMs?", "and their salary?") keeps what it leaves out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from bot.knowledge import Knowledge
from bot.understanding.lexicon import Entry, Lexicon
from bot.understanding.normalize import Token, clean, tokenize
from bot.understanding.reading import Reading

__all__ = ["Reader", "Terms"]

# Single-word role aliases that are also everyday English ("I am", "RAM" of a laptop).
_AMBIGUOUS = frozenset({"am", "ram"})
_DETERMINERS = frozenset({"a", "an", "the", "my", "our", "your", "as", "each", "every", "new"})
_THIRD_PERSON = frozenset({"they", "them", "their"})
# A facet signalled this weakly ("do", "does") is no question about sales roles by itself.
_STRONG_FACET = 6
_SHORT = 8
_FIRST_PERSON = frozenset({"i", "my", "me", "im", "i'm", "mine"})
_FOLLOW_UP_STARTS = (("what", "about"), ("how", "about"), ("and",), ("same", "for"), ("for",))
_MAX_ROLES = 8


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    entries: frozenset[Entry]

    def has(self, kind: str) -> bool:
        return any(e.kind == kind for e in self.entries)

    def values(self, kind: str) -> list[str]:
        return sorted(e.value for e in self.entries if e.kind == kind)


@dataclass(frozen=True, slots=True)
class _Signals:
    """Everything matched in one question, before any decision."""

    tokens: tuple[Token, ...]
    found: tuple[_Found, ...]
    roles: tuple[str, ...]
    facet: str | None
    topic: str | None
    cues: frozenset[str]
    certainty: float
    facet_weight: int

    def coverage(self, kind: str) -> float:
        """Share of the words that matched a phrase of this kind."""
        words = [i for i, t in enumerate(self.tokens) if t.text != "?"]
        covered = {i for f in self.found if f.has(kind) for i in range(f.start, f.end)}
        return len(covered.intersection(words)) / len(words) if words else 0.0

    def first_words(self, *words: str) -> bool:
        head = tuple(t.text for t in self.tokens[: len(words)])
        return head == words


@dataclass(frozen=True, slots=True)
class Terms:
    """The roles and facet named in a list of terms (slash command arguments), and the rest."""

    roles: tuple[str, ...]
    facet: str | None
    unknown: tuple[str, ...]


class Reader:
    """Reads questions against one knowledge base. Build once; ``read`` is cheap and pure."""

    def __init__(
        self, knowledge: Knowledge, *, typo_cutoff: float = 84.0, duty_cutoff: float = 80.0
    ) -> None:
        self.knowledge = knowledge
        self.lexicon = Lexicon(knowledge, typo_cutoff=typo_cutoff)
        self.duty_cutoff = duty_cutoff
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
        if "i" in (before, after) or before.isdigit() or before in {"how", "where", "what"}:
            return False
        if token.raw.isupper() and len(token.raw) > 1:
            return True
        if token.text.endswith("s") or before in _DETERMINERS or len(tokens) == 1:
            return True
        neighbours = [f for f in others if f.end == i or f.start == found.end]
        return any(f.has("role") or f.has("compare") or f.has("facet") for f in neighbours)

    def _signals(self, text: str) -> _Signals:
        tokens = tokenize(clean(text))
        repaired = [self.lexicon.stem_token(t) for t in tokens]
        stems = [stemmed for stemmed, _ in repaired]
        certainty = min((score for _, score in repaired), default=1.0)
        found = self._scan(stems)
        roles: list[str] = []
        partial: list[tuple[int, str]] = []
        facets: dict[str, int] = {}
        topic: str | None = None
        cues: set[str] = set()
        for item in found:
            for entry in item.entries:
                if entry.kind == "role":
                    word = tokens[item.start].text
                    single = item.end - item.start == 1
                    if (
                        single
                        and word.rstrip("s") in _AMBIGUOUS
                        and not (self._is_role_word(tokens, item, found))
                    ):
                        continue
                    if entry.value not in roles:
                        roles.append(entry.value)
                elif entry.kind == "facet":
                    weight = sum(len(t.text) for t in tokens[item.start : item.end])
                    facets[entry.value] = facets.get(entry.value, 0) + weight
                elif entry.kind == "partial_role":
                    partial.append((item.start, entry.value))
                elif entry.kind == "topic":
                    topic = topic or entry.value
                elif entry.kind != "step":
                    cues.add(entry.kind)
        if partial and roles and "compare" in cues:
            named = [
                (f.start, e.value)
                for f in found
                for e in f.entries
                if e.kind == "role" and e.value in roles
            ]
            first_seen: dict[str, int] = {}
            for start, role_id in sorted([*named, *partial]):
                first_seen.setdefault(role_id, start)
            roles = sorted(first_seen, key=first_seen.__getitem__)
        facet = None
        if facets:
            facet = max(facets, key=lambda f: (facets[f], -self._facet_order[f]))
        return _Signals(
            tokens=tokens,
            found=tuple(found),
            roles=tuple(roles[:_MAX_ROLES]),
            facet=facet,
            topic=topic,
            cues=frozenset(cues),
            certainty=certainty,
            facet_weight=facets.get(facet, 0) if facet else 0,
        )

    def _duties(self, tokens: Sequence[Token]) -> list[tuple[str, str, float]]:
        """Roles whose duties the question names, best first: (role, duty, score)."""
        text = " ".join(self.lexicon.stem_token(t)[0] for t in tokens)
        if not text:
            return []
        scores: dict[str, tuple[str, float]] = {}
        for _, score, index in process.extract(
            text,
            [d.stems for d in self.lexicon.duties],
            scorer=fuzz.partial_ratio,
            score_cutoff=self.duty_cutoff,
            limit=None,
        ):
            duty = self.lexicon.duties[index]
            best = scores.get(duty.role)
            if best is None or score > best[1]:
                scores[duty.role] = (duty.phrase, score)
        ranked = sorted(scores.items(), key=lambda item: -item[1][1])
        return [(role, phrase, score) for role, (phrase, score) in ranked]

    def terms(self, text: str) -> Terms:
        """Read command arguments such as ``AE AM metrics``: every word must mean something."""
        s = self._signals(text)
        covered = {i for f in s.found for i in range(f.start, f.end)}
        unknown = tuple(
            t.raw
            for i, t in enumerate(s.tokens)
            if i not in covered and t.text not in {"/", "?", "and", "with"}
        )
        return Terms(roles=s.roles, facet=s.facet, unknown=unknown)

    # -- deciding -------------------------------------------------------------------------

    def read(self, text: str, *, context: Reading | None = None) -> Reading:
        """Read one question; ``context`` is the previous reading in the same conversation."""
        signals = self._signals(text or "")
        question = clean(text or "")
        reading = self._decide(signals)
        if context is not None:
            reading = self._follow_up(signals, reading, context)
        return replace(reading, question=question)

    def _decide(self, s: _Signals) -> Reading:
        words = {t.text for t in s.tokens}
        if not s.tokens:
            return Reading("help", confidence=1.0)
        if "decline" in s.cues:
            return Reading("unknown", confidence=0.9)
        if s.topic and (not s.roles or len(s.roles) == 1):
            return Reading("topic", roles=s.roles, topic=s.topic, confidence=s.certainty)
        if len(s.roles) >= 2:
            return Reading("compare", roles=s.roles, facet=s.facet, confidence=s.certainty)
        if len(s.roles) == 1:
            return Reading("role_info", roles=s.roles, facet=s.facet, confidence=s.certainty)
        if "which_role" in s.cues:
            duties = self._duties(s.tokens)
            if duties:
                return Reading(
                    "which_role",
                    roles=tuple(role for role, _, _ in duties[:_MAX_ROLES]),
                    duty=duties[0][1],
                    confidence=duties[0][2] / 100,
                )
        if "list_roles" in s.cues:
            return Reading("list_roles", confidence=s.certainty)
        if s.facet and (
            "domain" in s.cues
            or (
                words & _THIRD_PERSON
                and s.facet_weight >= _STRONG_FACET
                and len(s.tokens) <= _SHORT
            )
        ):
            return Reading("clarify", facet=s.facet, confidence=0.6)
        if "help" in s.cues and s.coverage("help") >= 0.5:
            return Reading("help", confidence=s.certainty)
        return Reading("unknown", confidence=1.0)

    def _follow_up(self, s: _Signals, reading: Reading, context: Reading) -> Reading:
        """Fill what a follow-up leaves out from the previous reading."""
        follow_marker = any(s.first_words(*start) for start in _FOLLOW_UP_STARTS)
        words = {t.text for t in s.tokens}
        # "what about AMs?" after a facet question, or "AEs" after "which role do you mean?"
        new_roles = reading.intent in {"role_info", "compare"} and reading.facet is None
        if new_roles and (
            context.intent == "clarify"
            or (follow_marker and context.intent in {"role_info", "compare"})
        ):
            return replace(reading, facet=context.facet)
        # "and their salary?" after a question about roles
        about_same = (
            reading.intent in {"clarify", "unknown"}
            and s.facet is not None
            and context.roles
            and context.intent in {"role_info", "compare", "which_role"}
            and (follow_marker or bool(words & _THIRD_PERSON) or len(s.tokens) <= _SHORT)
        )
        if about_same:
            roles = context.roles[:1] if context.intent == "which_role" else context.roles
            intent = "compare" if len(roles) > 1 else "role_info"
            return Reading(intent, roles=roles, facet=s.facet, confidence=0.8 * s.certainty)
        return reading
