"""From raw Slack or terminal text to clean tokens, keeping each token's original spelling."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from anyascii import anyascii

__all__ = [
    "MAX_CHARS",
    "SPOKEN_OF",
    "Token",
    "Translator",
    "clean",
    "token_starts",
    "tokenize",
    "unglued",
]

# Questions are read up to this many characters; the rest is never looked at.
MAX_CHARS = 600
# Words for someone spoken of: "what was her advice?", "when was he interviewed?".
SPOKEN_OF = frozenset({"she", "her", "he", "him", "his"})

# A user mentioned after one of these words is someone the question is about ("how much does
# <@U123> make?", "the quota of <@U123>"), read as a name: the bot is addressed before a
# question, or after a greeting ("hey <@U123> what's an AE?").
_OF_SOMEONE = frozenset({"does", "did", "is", "was", "for", "of", "with", "to", "about", "from"})
_SOMEONE = "Teammate"
_SLACK_LINK = re.compile(r"<(?P<target>[^<>|]*)(?:\|(?P<label>[^<>]*))?>")
_EMOJI = re.compile(r":[a-z0-9_+'-]+:", re.IGNORECASE)
_FORMAT = re.compile(r"[*_~`]+")
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*|/|\?|=|->|\u2192|(?<!\S)\$+(?=[\s?!]|$)")
_WORD = re.compile(r"\w+")
# How many patterns for sets of phrases found together are kept.
_PATTERNS_MAX = 1024
# A case ending put on a name: a few lowercase letters, not an English plural.
_ENDING = r"[a-z\u00e0-\u017f]{1,5}"
# Characters of scripts written without spaces between words (CJK ideographs, kana).
# An apostrophe, straight or curly, before a case ending ("SDR'lar")
_APOSTROPHE = "['\u2019]"
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
# Where letters of the Latin script meet those of another inside a word: the endings and
# particles other languages glue onto an English name ("SDR의", "የAE", "AEдин": "SDR 의", ...).
_LATIN = "A-Za-z\u00c0-\u024f"
_OTHER = rf"[^\W\d_{_LATIN}]"
_SCRIPTS_MEET = re.compile(rf"(?<=[{_LATIN}])(?={_OTHER})|(?<={_OTHER})(?=[{_LATIN}])")
# Marks written inside a word, read as if not there: Armenian's question, stress and
# exclamation marks ("Ո՞վ", "who?", is the word "Ով")
_IN_WORD_MARKS = re.compile("[\u055b\u055c\u055e]")
# Words in Cyrillic letters, read in Latin ones: the languages written in both (Belarusian,
# Serbian, Tatar) need one translation, and the English loanwords many write in Cyrillic read
# alike in all of them ("аккаунт-менеджер", "акаўнт-менеджар": "akkaunt-menedzher", ...).
_CYRILLIC = re.compile(r"[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]+")
_POSSESSIVE = re.compile(r"['\u2019]s$")
# "S.D.R.", "A.E.": capitals with dots, read as the acronym ("a.m." keeps its dots)
_DOTTED = re.compile(r"\b(?:[A-Z]\.){2,}")
# "good w/ data", "w/o a degree": the shorthand for with and without
_WITH = re.compile(r"\b[wW]/(?:[oO]\b|(?=\s))")


@dataclass(frozen=True, slots=True)
class Token:
    """A word as matched (``text``: lower case, no possessive) and as typed (``raw``)."""

    text: str
    raw: str


def _link_label(match: re.Match[str]) -> str:
    target, label = match.group("target"), match.group("label")
    before = match.string[: match.start()].split()[-1:]
    if target.startswith("@") and before and before[0].casefold() in _OF_SOMEONE:
        return f" {_SOMEONE} "  # "how much does <@U123> make?": about a colleague, not the bot
    if target.startswith(("@", "!")):
        return " "  # user, group and broadcast mentions carry no meaning for a question
    if target.startswith("#"):
        return f" {label or ''} "
    return f" {label} " if label else " "


def clean(text: str) -> str:
    """Drop Slack markup (mentions, links, emoji, formatting) and unify the text's unicode."""
    text = unicodedata.normalize("NFKC", text.replace("\x00", " "))[: MAX_CHARS * 4]
    text = text.replace("&lt;", "\ufe64").replace("&gt;", "\ufe65").replace("&amp;", "&")
    text = _SLACK_LINK.sub(_link_label, text)
    text = text.replace("\ufe64", "<").replace("\ufe65", ">")
    text = _EMOJI.sub(" ", text)
    text = _FORMAT.sub(" ", text)
    text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
    text = _WITH.sub(lambda m: "without" if len(m.group()) == 3 else "with", text)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())[:MAX_CHARS]


class Translator:
    """Reads whole phrases of other languages as the English they mean, longest first and
    whole words only (with ``{"accountmanager": "account manager"}``, "wat is een
    accountmanager?" as "wat is een account manager?"); and ``names`` of two words or more
    with the case ending a language such as Hungarian or Finnish puts on them as the name
    ("account managerhez", "account managerilta": "account manager"), and any of them with
    one put after an apostrophe, as in Turkish or Uzbek ("SDR'lar", "AE'ler": "SDR", "AE"; not
    the English "AE's")."""

    def __init__(self, table: Mapping[str, str], names: Iterable[str] = ()) -> None:
        self._table = {_as_read(phrase): english for phrase, english in table.items()}
        # The names and the phrases by their first word, and the phrases of scripts written
        # without spaces (Chinese and Japanese), which match anywhere: a text is searched only
        # for those whose first word it has and that it holds, in a pattern made for those
        # (most English questions hold none).
        every = {n.casefold() for n in names}
        self._names = _by_first_word(n for n in every if " " in n)
        self._marked = _by_first_word(every)
        self._unspaced = [p for p in self._table if _UNSPACED.search(p)]
        self._by_first = _by_first_word(p for p in self._table if not _UNSPACED.search(p))
        self._patterns: dict[tuple[frozenset[str], str | None], re.Pattern[str]] = {}

    def __call__(self, text: str) -> str:
        text = unglued(text)
        low = text.lower()
        words = set(_WORD.findall(low))
        text = self._names_in(text, low, words, self._names, "")
        low = text.lower()
        found = _held(self._by_first, words, low)
        if _UNSPACED.search(text):
            found.update(p for p in self._unspaced if p in low)
        if found:
            text = " ".join(self._pattern(frozenset(found)).sub(self._english, text).split())
        # after the phrases, some of which hold one ("s'kam asnjë përvojë")
        if "'" in text or "\u2019" in text:
            low = text.lower()
            text = self._names_in(text, low, set(_WORD.findall(low)), self._marked, _APOSTROPHE)
        return text

    def _names_in(
        self,
        text: str,
        low: str,
        words: set[str],
        index: Mapping[str, Sequence[str]],
        ending: str,
    ) -> str:
        """``text`` (``low`` in lower case, holding ``words``) with the names of ``index`` it
        holds with a case ending (after ``ending``) as the names alone."""
        named = _held(index, words, low)
        return self._pattern(frozenset(named), ending).sub(_the_name, text) if named else text

    def _pattern(self, phrases: frozenset[str], ending: str | None = None) -> re.Pattern[str]:
        """One pattern for these phrases, longest first, whole words but for unspaced ones;
        with ``ending`` (what comes between a name and its case ending, "" for nothing), for
        names with a case ending, the name as its group."""
        pattern = self._patterns.get((phrases, ending))
        if pattern is None:
            ordered = sorted(phrases, key=len, reverse=True)
            words = "|".join(re.escape(p) for p in ordered if not _UNSPACED.search(p))
            unspaced = "|".join(re.escape(p) for p in ordered if _UNSPACED.search(p))
            if ending == _APOSTROPHE:  # "SDR'lar", and "l'AE" of French, Catalan, Italian
                after = rf"(?<!\w)({words}){ending}(?!s\b){_ENDING}(?!\w)"
                either = [after, rf"(?<!\w){_ENDING}{ending}({words})(?!\w)"]
            elif ending is not None:
                either = [rf"(?<!\w)({words}){ending}(?!s\b){_ENDING}(?!\w)"]
            else:
                either = [f"(?<!\\w)(?:{words})(?!\\w)" if words else "", unspaced]
            pattern = re.compile("|".join(filter(None, either)), re.I)
            if len(self._patterns) < _PATTERNS_MAX:
                self._patterns[phrases, ending] = pattern
        return pattern

    def _english(self, match: re.Match[str]) -> str:
        english = self._table[match.group().lower()]
        return f" {english} " if _UNSPACED.search(match.group()) else english  # "AE是什么"


def _in_latin(text: str) -> str:
    """``text`` with its Cyrillic words in Latin letters (no apostrophe for the soft sign)."""
    return _CYRILLIC.sub(lambda m: anyascii(m.group()).replace("'", ""), text)


def unglued(text: str) -> str:
    """``text`` as the translations read it: marks inside words dropped, a space where Latin
    letters meet another script's, and Cyrillic in Latin letters (``_in_latin``)."""
    return _in_latin(_SCRIPTS_MEET.sub(" ", _IN_WORD_MARKS.sub("", text)))


def _as_read(phrase: str) -> str:
    """A phrase of the table as the text it is looked for in reads: unicode unified as
    ``clean`` does it, lower case, ``unglued``."""
    return unglued(unicodedata.normalize("NFKC", phrase).lower())


def _the_name(match: re.Match[str]) -> str:
    """The name a pattern of ``Translator._pattern`` found, without its case ending."""
    return next(g for g in match.groups() if g is not None)


def _by_first_word(phrases: Iterable[str]) -> dict[str, list[str]]:
    """Phrases by their first word (those with none left out)."""
    index: dict[str, list[str]] = defaultdict(list)
    for phrase in phrases:
        if first := _WORD.findall(phrase)[:1]:
            index[first[0]].append(phrase)
    return index


def _held(index: Mapping[str, Sequence[str]], words: set[str], low: str) -> set[str]:
    """The phrases of ``index`` whose first word is among ``words`` and that ``low`` holds."""
    return {p for w in index.keys() & words for p in index[w] if p in low}


def tokenize(text: str) -> tuple[Token, ...]:
    """Split cleaned text into words, ``/``, ``?``, ``=`` and arrows; possessive 's is dropped."""
    tokens = []
    for match in _TOKEN.finditer(text):
        raw = match.group().replace("\u2019", "'")
        word = "->" if raw == "\u2192" else _POSSESSIVE.sub("", raw.casefold())
        tokens.append(Token(word, raw))
    return tuple(tokens)


def token_starts(text: str) -> tuple[int, ...]:
    """Where each token of ``tokenize(text)`` starts in ``text``."""
    return tuple(match.start() for match in _TOKEN.finditer(text))
