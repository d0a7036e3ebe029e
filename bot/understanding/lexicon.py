"""The words the understanding knows, built once from the knowledge base.

Every name, alias, facet keyword, topic alias and cue phrase becomes a sequence of stems in
one phrase table, so a question is matched by looking its n-grams up, longest first. Words
the lexicon does not know are corrected towards the closest known word (rapidfuzz), which is
how "accout executive" and "salry" are read.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import snowballstemmer
from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import OSA

from bot.knowledge import Knowledge
from bot.knowledge.schema import Fact
from bot.understanding.normalize import Token, Translator, tokenize

__all__ = ["SHORT_FORMS", "Duty", "DutyIndex", "Entry", "Lexicon", "stem"]

_STEMMER = snowballstemmer.stemmer("english")
# Cue kinds, as named in knowledge/vocabulary.yaml.
CUES = ("compare", "which_role", "list_roles", "help", "domain", "decline", "people", "dispute")


# The most roles whose duties use a word that still tells something of the work asked about.
_TELLING = 2
# How many words a duty offered as the nearest shares with the question, if none tells.
_SHARED = 2
# How many words as close to a misspelt one are weighed against each other.
_TIES = 5
# The shortest words repaired towards a known word, and towards one with two letters swapped.
_CORRECTED_MIN = 5
_SWAPPED_MIN = 4
# The longest short name read when spelt out letter by letter ("en ay em": NAM).
_SPELT_MAX = 4
# The longest run of a fact's words ``Lexicon.phrase_owners`` indexes.
_PHRASE_MAX = 4
def _runs(stems: list[str]) -> Iterable[tuple[str, ...]]:
    """Every run of two to ``_PHRASE_MAX`` consecutive stems."""
    for n in range(2, _PHRASE_MAX + 1):
        for i in range(len(stems) - n + 1):
            yield tuple(stems[i : i + n])


# Short forms people type, read as the word they stand for (in questions and in the knowledge).
SHORT_FORMS: Mapping[str, str] = MappingProxyType(
    {
        # a dollar sign standing alone asks about money ("AE vs AM $"), not one in "$80k"
        "$": "pay",
        "$$": "pay",
        "$$$": "pay",
        "mgr": "manager",
        "mgrs": "managers",
        "mngr": "manager",
        "mgmt": "management",
        "acct": "account",
        "accnt": "account",
        "accts": "accounts",
        "exec": "executive",
        "execs": "executives",
        "natl": "national",
        "nat'l": "national",
        "regnl": "regional",
        "reg'l": "regional",
        "rgnl": "regional",
        "cust": "customer",
        "dev": "development",
        "devt": "development",
        "u": "you",
        "ur": "your",
        "r": "are",
        "n": "and",
        "w": "with",
        "wat": "what",
        "wats": "what's",
        "wut": "what",
        "yr": "year",
        "yrs": "years",
        "exp": "experience",
        "biz": "business",
        "comp": "compensation",
        "diff": "difference",
        "info": "information",
        "qs": "questions",
        "ppl": "people",
        "sr": "senior",
        "jr": "junior",
        # words too short for spelling repair, mistyped
        "aftr": "after",
        "thye": "they",
        "tehy": "they",
        "thier": "their",
    }
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


@dataclass(frozen=True, slots=True)
class Entry:
    """What a phrase means: ``kind`` is role, facet, topic, step, gap, person, or a cue kind."""

    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class Duty:
    role: str
    phrase: str
    stems: str
    # Position in the role's list: earlier duties are more typical of the role.
    rank: int
    # The stems one by one, worked out once (a 100x knowledge base matches thousands a question).
    words: frozenset[str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", frozenset(self.stems.split()))


class DutyIndex:
    """Duties by stem, so "who does X?" scores only the duties sharing a word with the question.

    Duties with the same stems (several roles cold call) are one phrase, scored once.
    """

    def __init__(self, duties: Iterable[Duty]) -> None:
        by_phrase: dict[str, list[Duty]] = defaultdict(list)
        for duty in duties:
            by_phrase[duty.stems].append(duty)
        self.phrases = tuple(by_phrase)
        self._duties = tuple(tuple(by_phrase[p]) for p in self.phrases)
        postings: dict[str, set[int]] = defaultdict(set)
        for i, phrase in enumerate(self.phrases):
            for part in phrase.split():
                postings[part].add(i)
        self._postings = {part: frozenset(found) for part, found in postings.items()}
        # How telling each stem is: a stem few duties share weighs more (inverse frequency).
        count = len(self.phrases)
        self._weight = {part: math.log(1 + count / len(f)) for part, f in postings.items()}
        self._parts = tuple(frozenset(phrase.split()) for phrase in self.phrases)
        self._weights = tuple(sum(self._weight[p] for p in parts) for parts in self._parts)

    def search(
        self, words: Iterable[str], cutoff: float, *, covering: bool = False
    ) -> list[tuple[Duty, float]]:
        """Duties scoring at least ``cutoff`` (token-set similarity, 0-100) against ``words``;
        with ``covering``, also by the share of a duty's telling words that ``words`` have
        (each stem weighted by how few duties share it), whichever is higher."""
        found = self.phrases_scored(words, cutoff, covering=covering)
        return [(duty, score) for score, _, duties in found for duty in duties]

    def phrases_scored(
        self, words: Iterable[str], cutoff: float, *, covering: bool = False
    ) -> list[tuple[float, frozenset[str], tuple[Duty, ...]]]:
        """As ``search``, by phrase, best first: its score, its stems and the duties that
        have it (one phrase stands for every role whose duty it is)."""
        query = list(words)
        candidates = sorted(set().union(*(self._postings.get(w, ()) for w in query)))
        if not candidates:
            return []
        found = process.extract(
            " ".join(query),
            [self.phrases[i] for i in candidates],
            scorer=fuzz.token_set_ratio,
            score_cutoff=cutoff,
            limit=None,
        )
        scores = {candidates[i]: score for _, score, i in found}
        asked = set(query)
        for i in candidates if covering else ():  # "what training the team needs"
            shared = self._parts[i] & asked
            covered = min(100.0, 100 * sum(self._weight[p] for p in shared) / self._weights[i])
            if covered >= cutoff and covered > scores.get(i, 0.0):
                scores[i] = covered
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        return [(score, self._parts[i], self._duties[i]) for i, score in ranked]


def _by_letters(words: Iterable[str]) -> Mapping[str, list[str]]:
    """Words by their letters in order ("aelss": ["sales"]): those two swapped letters apart."""
    found: dict[str, list[str]] = defaultdict(list)
    for word in words:
        found["".join(sorted(word))].append(word)
    return found


def _dropping_one(words: Sequence[str], length: int) -> Mapping[str, str]:
    """The words of ``length`` letters by each of them with one letter but the first dropped
    ("sals": "sales"); the first word of the order where two give the same."""
    return {
        word[:i] + word[i + 1 :]: word
        for word in reversed(words)
        if len(word) == length
        for i in range(1, len(word))
    }


def _spelt_out(
    names: Iterable[str], letters: Mapping[str, Sequence[str]], english: Collection[str]
) -> dict[str, str]:
    """Each short name of ``names`` (two to four capitals) as speech-to-text may write it
    down, letter by letter in the words of ``letters`` ("ess dee are": "SDR"), but where
    every word is an English word or a letter alone ("a e")."""
    spelt: dict[str, str] = {}
    for name in names:
        if not (2 <= len(name) <= _SPELT_MAX and name.isalpha() and name.isupper()):
            continue
        said = [letters.get(letter.casefold(), ()) for letter in name]
        for words in itertools.product(*said):
            if any(len(w) > 1 and w not in english for w in words):
                spelt.setdefault(" ".join(words), name)
    return spelt


def _partial_names(knowledge: Knowledge) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """The first words of each role's name that tell it from the roles whose names end the
    same way ("national" of "national account manager"), and those roles, its kin."""
    names = {
        role.id: tuple(t.text for t in tokenize(role.name.casefold()))
        for role in knowledge.roles.values()
    }
    tails: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for role_id, parts in names.items():
        if len(parts) >= 3:
            tails[parts[-2:]].add(role_id)
    partial: dict[str, str] = {}
    kin: dict[str, frozenset[str]] = {}
    for role_id, parts in names.items():
        if len(tails.get(parts[-2:], ())) > 1:
            partial[role_id] = " ".join(parts[:-2])
            kin[role_id] = frozenset(tails[parts[-2:]] - {role_id})
    return partial, kin


class Lexicon:
    """Phrase table and spelling lexicon for one knowledge base."""

    def __init__(self, knowledge: Knowledge, *, typo_cutoff: float = 0.8) -> None:
        table: dict[tuple[str, ...], set[Entry]] = defaultdict(set)
        self._words: set[str] = set()
        self.typo_cutoff = typo_cutoff
        # rapidfuzz turns a cutoff into whole edits rounding down: one just under it lets a
        # word exactly at it through
        self._at_cutoff = typo_cutoff - 1e-6

        def add(phrases: Iterable[str], entry: Entry, *, spell: bool = True) -> None:
            for phrase in phrases:
                key = self._key(phrase, spell=spell)
                if key:
                    table[key].add(entry)

        for role in knowledge.roles.values():
            add(role.names, Entry("role", role.id))
        # What an article calls a role ("the hunters"), by its stems.
        self.nicknames: Mapping[tuple[str, ...], str] = MappingProxyType(
            {
                self._key(n.text, spell=False): n.text
                for role in knowledge.roles.values()
                for n in role.nicknames
            }
        )
        # "national vs regional account manager": a name's distinctive first words stand for it
        # when another role's name ends the same way.
        partial, kin = _partial_names(knowledge)
        for role_id, words in partial.items():
            add([words], Entry("partial_role", role_id))
        # The roles whose names end as a role's own does: the NAM's kin is the RAM.
        self.kin: Mapping[str, frozenset[str]] = MappingProxyType(kin)
        self.tails = self._tails(knowledge)
        for step in knowledge.career.steps:
            add([step.name, *step.aliases], Entry("step", step.id))
        for facet in knowledge.facets.values():
            add(facet.keywords, Entry("facet", facet.id))
            add(facet.weak_keywords, Entry("weak_facet", facet.id))
        for topic in knowledge.topics.values():
            add([topic.name, *topic.aliases], Entry("topic", topic.id))
            add(topic.weak_aliases, Entry("weak_topic", topic.id))
        for gap in knowledge.gaps.values():
            add(gap.keywords, Entry("gap", gap.id))
        vocab = knowledge.vocabulary
        for i, person in enumerate(vocab.people):
            add([person.name, *person.aliases], Entry("person", str(i)))
        for i, ambiguous in enumerate(vocab.ambiguous_names):
            add(ambiguous.names, Entry("ambiguous", str(i)))
        for uncovered in vocab.uncovered_roles:
            add([uncovered.name, *uncovered.aliases], Entry("uncovered", uncovered.name))
        for kind, phrases in zip(
            CUES,
            (
                vocab.compare_markers,
                vocab.which_role_cues,
                vocab.list_roles_cues,
                vocab.help_cues,
                vocab.domain_words,
                vocab.decline_cues,
                vocab.people_cues,
                vocab.dispute_cues,
            ),
            strict=True,
        ):
            # a misspelt word is never repaired into a decline cue ("prefer" is not "refer")
            add(phrases, Entry(kind, kind), spell=kind != "decline")
        add(vocab.thanks, Entry("help", "thanks"))
        self.fillers = frozenset(stem(w.casefold()) for w in vocab.filler_words)
        self.requests = frozenset(w.casefold() for w in vocab.request_verbs)
        self.english = frozenset(w.casefold() for w in vocab.english_words)
        names = [n for r in knowledge.roles.values() for n in (r.name, *r.aliases)]
        spelt = _spelt_out(names, vocab.spoken_letters, self.english)
        self.translate = Translator({**spelt, **vocab.translations}, names)
        self.table: Mapping[tuple[str, ...], frozenset[Entry]] = MappingProxyType(
            {key: frozenset(entries) for key, entries in table.items()}
        )
        self.longest = max(len(key) for key in self.table)
        self.stems = frozenset(part for key in self.table for part in key)
        self.duties = tuple(
            Duty(role.id, duty.text, self._stem_text(duty.text), rank)
            for role in knowledge.roles.values()
            for rank, duty in enumerate(role.duties)
        )
        self.duty_index = DutyIndex(self.duties)
        roles_using: dict[str, set[str]] = defaultdict(set)
        for duty in self.duties:
            for word in duty.words:
                roles_using[word].add(duty.role)
        # words the duties of few roles use ("quota", the AE's and the sales manager's; not
        # "client", which every client-facing role's use)
        self._telling = frozenset(w for w, roles in roles_using.items() if len(roles) <= _TELLING)
        self._duty_words = {duty.phrase: duty.words for duty in self.duties}
        self._fact_stems: dict[str, frozenset[str]] = {}
        self._knowledge = knowledge
        self._phrases: dict[tuple[str, ...], set[str]] | None = None
        self._said: dict[str, frozenset[tuple[str, str]]] | None = None
        duty_stems = {part for duty in self.duties for part in duty.stems.split()}
        self.duty_words: Mapping[str, tuple[str, ...]] = MappingProxyType(
            {
                stem(word.casefold()): tuple(self._stem_text(" ".join(meant)).split())
                for word, meant in vocab.duty_words.items()
            }
        )
        self.known = self.stems | self.fillers | duty_stems | set(self.duty_words)
        self._learn_spelling(knowledge)

    def _learn_spelling(self, knowledge: Knowledge) -> None:
        """The known words a misspelt one is repaired towards, and the ways it is."""
        vocab = knowledge.vocabulary
        spelled = {w for w in self._words if len(w) >= 4 and w.isalpha()}
        self._choices = sorted(spelled | {f"{w}s" for w in spelled if not w.endswith("s")})
        self._processed = [utils.default_process(c) for c in self._choices]
        self._anagrams = _by_letters(self._processed)
        self._dropped = _dropping_one(self._processed, _CORRECTED_MIN)
        # the words of the roles' names and of the cues asking which role or for the list,
        # repaired even at the cutoff itself ("slles", "whech": one letter off in five)
        core = [n for role in knowledge.roles.values() for n in role.names]
        core += [*vocab.which_role_cues, *vocab.list_roles_cues]
        self._core = sorted(
            {t.text for n in core for t in tokenize(n.casefold()) if len(t.text) >= _CORRECTED_MIN}
        )
        self._near: dict[int, tuple[list[int], list[str]]] = {}
        self._correct = lru_cache(maxsize=16384)(self._closest_word)

    def meanings(self, stems: Iterable[str]) -> list[str]:
        """The duties' words that everyday ones among ``stems`` stand for ("finds" as
        "acquiring"), in order."""
        return [meant for w in stems for meant in self.duty_words.get(w, ())]

    def near_in_words(self, duty: str, stems: Iterable[str]) -> bool:
        """Whether the duty's phrase shares two of ``stems``, or one that the duties of few
        roles use: "who chases insurers when a client's claim is stuck?" comes near "clients
        in one area" only by a word every client-facing role's duties use, which tells
        nothing of the work; "landing brand new customers" is near "acquiring new
        customers"."""
        shared = self._duty_words.get(duty, frozenset()) & set(stems)
        return len(shared) >= _SHARED or bool(shared & self._telling)

    def _tails(self, knowledge: Knowledge) -> Mapping[tuple[tuple[str, ...], str], str]:
        """"account manager or executive?": after one role's name, the last word of another's
        that starts the same way stands for it (a pair two roles share means neither)."""
        last_words: dict[tuple[tuple[str, ...], str], set[str]] = defaultdict(set)
        for role in knowledge.roles.values():
            for name in role.names:
                words = self._key(name, spell=False)
                if len(words) >= 2:
                    last_words[words[:-1], words[-1]].add(role.id)
        return MappingProxyType(
            {pair: min(owners) for pair, owners in last_words.items() if len(owners) == 1}
        )

    def _key(self, phrase: str, *, spell: bool = True) -> tuple[str, ...]:
        """A phrase's stems; ``spell``: its words are ones misspellings are repaired to."""
        tokens = tokenize(phrase.casefold())
        if spell:
            self._words.update(t.text for t in tokens)
        return tuple(stem(SHORT_FORMS.get(t.text, t.text)) for t in tokens)

    def _stem_text(self, text: str) -> str:
        """Stems of a duty phrase, without filler words (they are not matched in questions);
        its words are spelt right."""
        self._words.update(t.text for t in tokenize(text.casefold()))
        return " ".join(self._stems_of(text))

    def fact_stems(self, fact: Fact) -> frozenset[str]:
        """A fact's stems as the duties are stemmed (kept once worked out)."""
        return self.text_stems(fact.text)

    def text_stems(self, text: str) -> frozenset[str]:
        """A text's stems as the duties are stemmed, fillers out (kept once worked out)."""
        found = self._fact_stems.get(text)
        if found is None:
            found = self._fact_stems[text] = frozenset(self._stems_of(text))
        return found

    def phrase_texts(self, phrase: tuple[str, ...]) -> frozenset[str]:
        """The texts of the roles' facts saying ``phrase``, a run of two to four stems
        (fillers out): ("pipelin", "health") is said by two of the AE's metrics. Indexed on
        first use, each text once however many roles' facts share it."""
        if self._phrases is None:
            self._phrases = defaultdict(set)
            for text in self._owners():
                for run in _runs(self._stems_of(text)):
                    self._phrases[run].add(text)
        return frozenset(self._phrases.get(phrase, ()))

    def text_owners(self, text: str) -> frozenset[tuple[str, str]]:
        """The roles and facets whose facts have this text."""
        return self._owners().get(text, frozenset())

    def _owners(self) -> Mapping[str, frozenset[tuple[str, str]]]:
        if self._said is None:
            said: dict[str, set[tuple[str, str]]] = defaultdict(set)
            for role in self._knowledge.roles.values():
                for facet, facts in role.facets.items():
                    for fact in facts:
                        said[fact.text].add((role.id, facet))
            self._said = {text: frozenset(owners) for text, owners in said.items()}
        return self._said

    def _stems_of(self, text: str) -> list[str]:
        """Stems of a text, without filler words."""
        stems = (stem(t.text) for t in tokenize(text.casefold()))
        return [s for s in stems if s not in self.fillers]

    def stem_token(self, token: Token) -> tuple[str, float]:
        """The stem a token is matched by, after plural and spelling repair, and how sure (0-1)."""
        word = SHORT_FORMS.get(token.text, token.text)
        base = stem(word)
        if base in self.known or not word.isalpha():
            return base, 1.0
        if word.endswith("s") and stem(word[:-1]) in self.stems:  # "sdrs", "csms"
            return stem(word[:-1]), 1.0
        return self._correct(word) or (base, 1.0)

    def _closest_word(self, word: str) -> tuple[str, float] | None:
        if len(word) < _SWAPPED_MIN:
            return None
        query = utils.default_process(word)
        if len(word) >= _CORRECTED_MIN:
            indices, near = self._near_length(len(query))
            found = process.extract(
                query,
                near,
                scorer=OSA.normalized_similarity,
                score_cutoff=self.typo_cutoff,
                limit=_TIES,
            )
            if found:
                # of words as close, the one reached without swapping a letter for another
                # ("succeess": "success", not "succeeds")
                best = max(found, key=lambda f: (f[1], fuzz.ratio(query, f[0])))
                return stem(self._choices[indices[best[2]]]), best[1]
            found_core = process.extractOne(
                query, self._core, scorer=OSA.normalized_similarity, score_cutoff=self._at_cutoff
            )
            if found_core:
                return stem(found_core[0]), found_core[1]
        # "slaes", "whcih", "rloe": two letters swapped, which in a short word is one edit too
        # many for the cutoff
        swapped = self._anagrams.get("".join(sorted(query)), ())
        match = next((w for w in swapped if OSA.distance(query, w) == 1), None)
        # "sals", "saes": a letter dropped from a five-letter word
        match = match or (self._dropped.get(query) if len(query) == _SWAPPED_MIN else None)
        return (stem(match), self.typo_cutoff) if match else None

    def _near_length(self, length: int) -> tuple[list[int], list[str]]:
        """The known words (processed, in order) whose length can reach the typo cutoff.

        Words whose lengths differ by d are at least d edits apart, so a word more than
        ``(1 - cutoff) * longer length`` longer or shorter can never score over the cutoff.
        """
        if length not in self._near:
            slack = 1 - self.typo_cutoff
            pairs = [
                (i, p)
                for i, p in enumerate(self._processed)
                if abs(len(p) - length) <= slack * max(len(p), length) + 1e-9
            ]
            self._near[length] = ([i for i, _ in pairs], [p for _, p in pairs])
        return self._near[length]
