"""The key-account method as arithmetic: check scores, weight them, rank clients. No Slack, no
database (``bot.db.key_accounts`` keeps the scores).

The method is the article's (am_key_accounts, lines 7-8): score each client 1 to 10 on each
criterion, weight the more critical criteria, and the clients with the highest totals are the key
accounts. The criteria and weights are the team's, from ``knowledge/key_accounts.yaml``.

- A client's weighted total is the sum of ``score * weight`` over the scorecard's criteria; a
  criterion added after the client was scored counts 0 until it is scored (the client is then
  listed as incomplete), and scores for criteria since removed are ignored.
- Clients rank by weighted total, highest first; equal totals share a rank (1, 2, 2, 4) and are
  listed by name.
- The key accounts are the clients ranked within the top ``key_account_count`` of the YAML:
  clients tied with the last of them are key accounts too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.knowledge.schema import KeyAccountCriterion, KeyAccountGroup, KeyAccountsFile

__all__ = [
    "CLIENT",
    "NAME_MAX",
    "SCORE_MAX",
    "SCORE_MIN",
    "InvalidScores",
    "Ranked",
    "Scorecard",
    "StoredScorecard",
    "client_key",
    "number",
    "rank",
]

SCORE_MIN, SCORE_MAX = 1, 10
NAME_MAX = 80  # characters of a client's name
CLIENT = "client"  # the key of a problem with the client's name (criteria use their ids)
_SPACE = re.compile(r"\s+")


class InvalidScores(ValueError):
    """What is wrong with a submission: ``problems`` maps ``CLIENT`` or a criterion id to why."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.problems.items()))


def _clean_name(raw: object) -> str:
    if not isinstance(raw, str):
        raise InvalidScores({CLIENT: "Enter the client's name."})
    text = "".join(c if c.isprintable() else " " for c in unicodedata.normalize("NFC", raw))
    name = _SPACE.sub(" ", text).strip()
    if not name:
        raise InvalidScores({CLIENT: "Enter the client's name."})
    if len(name) > NAME_MAX:
        raise InvalidScores({CLIENT: f"Keep the client's name to {NAME_MAX} characters."})
    return name


def client_key(name: str) -> str:
    """What makes two names the same client: case, width and spacing do not count."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", name).casefold()).strip()


def _score(raw: object) -> int | None:
    """A whole number from 1 to 10 (given as a number or its digits), else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        raw = int(raw.strip())
    if isinstance(raw, int) and SCORE_MIN <= raw <= SCORE_MAX:
        return raw
    return None


def number(value: float) -> str:
    """A total or a weight for people: at most two decimals, none when whole (12, 7.5)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, slots=True)
class Scorecard:
    """The criteria and weights of ``knowledge/key_accounts.yaml``."""

    spec: KeyAccountsFile

    @property
    def criteria(self) -> tuple[KeyAccountCriterion, ...]:
        return tuple(self.spec.criteria)

    @property
    def note(self) -> str:
        """That the criteria are the team's starting point, not the article's (unlisted) 15."""
        return self.spec.defaults_note

    @property
    def key_account_count(self) -> int:
        return self.spec.key_account_count

    def grouped(self) -> list[tuple[KeyAccountGroup, list[KeyAccountCriterion]]]:
        """Each group with its criteria, in the file's order; groups left empty are left out."""
        found = [(g, [c for c in self.spec.criteria if c.group == g.id]) for g in self.spec.groups]
        return [(group, criteria) for group, criteria in found if criteria]

    @property
    def max_total(self) -> float:
        return sum(SCORE_MAX * c.weight for c in self.spec.criteria)

    def total(self, scores: Mapping[str, int]) -> float:
        """The weighted total: ``score * weight`` summed over the criteria scored."""
        return sum(scores[c.id] * c.weight for c in self.spec.criteria if c.id in scores)

    def missing(self, scores: Mapping[str, int]) -> tuple[str, ...]:
        return tuple(c.id for c in self.spec.criteria if c.id not in scores)

    def check(self, client: object, scores: Mapping[str, object]) -> tuple[str, dict[str, int]]:
        """The cleaned client name and its scores, or ``InvalidScores`` saying what is wrong.

        Every criterion needs a whole-number score from 1 to 10; an unknown criterion id is an
        error, not ignored.
        """
        problems: dict[str, str] = {}
        name = ""
        try:
            name = _clean_name(client)
        except InvalidScores as error:
            problems.update(error.problems)
        known = {c.id for c in self.spec.criteria}
        checked: dict[str, int] = {}
        for cid, raw in scores.items():
            if cid not in known:
                problems[cid] = f"Unknown criterion '{cid}': it is not in key_accounts.yaml."
                continue
            value = _score(raw)
            if value is None:
                problems[cid] = f"Give a whole-number score from {SCORE_MIN} to {SCORE_MAX}."
            else:
                checked[cid] = value
        for cid in self.missing(checked):
            problems.setdefault(cid, f"Give a score from {SCORE_MIN} to {SCORE_MAX}.")
        if problems:
            raise InvalidScores(problems)
        return name, checked


@dataclass(frozen=True, slots=True)
class StoredScorecard:
    """One client's scores as last saved in a workspace."""

    client: str
    key: str
    scores: Mapping[str, int]
    scored_by: str
    scored_at: float


@dataclass(frozen=True, slots=True)
class Ranked:
    """One client in a workspace's ranking."""

    rank: int
    client: str
    key: str
    total: float
    key_account: bool
    scores: Mapping[str, int]
    missing: tuple[str, ...]
    scored_by: str
    scored_at: float


def rank(scorecard: Scorecard, cards: Iterable[StoredScorecard]) -> list[Ranked]:
    """The clients by weighted total, highest first, with their ranks and key accounts marked."""
    totals = sorted(
        ((round(scorecard.total(card.scores), 9), card) for card in cards),
        key=lambda pair: (-pair[0], pair[1].key),
    )
    ranked: list[Ranked] = []
    for position, (total, card) in enumerate(totals, start=1):
        place = ranked[-1].rank if ranked and ranked[-1].total == total else position
        ranked.append(
            Ranked(
                rank=place,
                client=card.client,
                key=card.key,
                total=total,
                key_account=place <= scorecard.key_account_count,
                scores={c.id: card.scores[c.id] for c in scorecard.criteria if c.id in card.scores},
                missing=scorecard.missing(card.scores),
                scored_by=card.scored_by,
                scored_at=card.scored_at,
            )
        )
    return ranked
