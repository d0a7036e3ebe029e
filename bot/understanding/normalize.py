"""From raw Slack or terminal text to clean tokens, keeping each token's original spelling."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["MAX_CHARS", "SPOKEN_OF", "Token", "Translator", "clean", "token_starts", "tokenize"]

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
# A case ending put on a name: a few lowercase letters, not an English plural.
_ENDING = r"[a-z\u00e0-\u017f]{1,5}"
# Characters of scripts written without spaces between words (CJK ideographs, kana).
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
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
    ("account managerhez", "account managerilta": "account manager")."""

    def __init__(self, table: Mapping[str, str], names: Iterable[str] = ()) -> None:
        self._table = {phrase.lower(): english for phrase, english in table.items()}
        spaced = sorted({n.casefold() for n in names if " " in n}, key=len, reverse=True)
        self._inflected = (
            re.compile(rf"(?<!\w)({'|'.join(map(re.escape, spaced))})(?!s\b){_ENDING}(?!\w)", re.I)
            if spaced
            else None
        )
        phrases = sorted(self._table, key=len, reverse=True)
        # Chinese and Japanese write no spaces between words: their phrases match anywhere
        words = "|".join(re.escape(p) for p in phrases if not _UNSPACED.search(p))
        unspaced = "|".join(re.escape(p) for p in phrases if _UNSPACED.search(p))
        either = [f"(?<!\\w)(?:{words})(?!\\w)" if words else "", unspaced]
        self._pattern = re.compile("|".join(filter(None, either)), re.I) if phrases else None
        # a phrase starts where a word does: a text with none of their first words has none
        self._firsts = frozenset(_WORD.findall(p)[0] for p in phrases if _WORD.search(p))

    def __call__(self, text: str) -> str:
        if self._inflected is not None:
            text = self._inflected.sub(r"\1", text)
        if self._pattern is None:
            return text
        if self._firsts.isdisjoint(_WORD.findall(text.lower())) and not _UNSPACED.search(text):
            return text
        text = self._pattern.sub(self._english, text)
        return " ".join(text.split())

    def _english(self, match: re.Match[str]) -> str:
        english = self._table[match.group().lower()]
        return f" {english} " if _UNSPACED.search(match.group()) else english  # "AE是什么"


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
