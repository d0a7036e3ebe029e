"""What people asked and could not get, and what they thought of the answers: the report for
whoever keeps the knowledge (``rolebot report``, and ``/roleadvisor-report`` in Slack).

``build_report`` reads the questions and feedback stored by ``bot.db.questions`` since a time:
the questions left unanswered (read as ``unknown``, a clarifying question nobody answered, or
asking what no article covers), grouped by similarity with rapidfuzz, the most asked first; the
answers with the most thumbs down; and counts by intent, role, kind of conversation and rating.
``render_report`` lays it out with ``responses/report.j2``. Knows nothing of Slack.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rapidfuzz import fuzz, process

from bot.answer import Advisor
from bot.db.questions import DOWN, RATINGS, UP, QuestionStore, Rating, Recorded
from bot.intents import common
from bot.render import Built
from bot.understanding.normalize import clean
from bot.understanding.reading import Reading

__all__ = [
    "NOT_COVERED",
    "SIMILAR",
    "UNKNOWN",
    "UNRESOLVED",
    "Disliked",
    "Report",
    "Unanswered",
    "build_report",
    "group_questions",
    "parse_since",
    "render_report",
]

# Why a question counts as unanswered.
UNKNOWN, UNRESOLVED, NOT_COVERED = "unknown", "unresolved", "not_covered"
# Two questions whose normalised words score this much (rapidfuzz's token_sort_ratio, 0-100)
# are one item: "how do I reset my password?" and "How do i reset my password" (100), "how can
# I reset my password" (91); but "what does a sales engineer do" and "what does a solutions
# engineer do" (87) are two, and "what is the dress code" (33) is another.
SIMILAR = 88
TOP = 10
_SINCE = re.compile(r"([0-9]{1,6})([smhdw])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_PUNCTUATION = re.compile(r"[^\w\s]")
_SHOWN = 5  # wordings, questions and notes listed with each item


def parse_since(text: str) -> float:
    """A period such as ``7d``, ``24h``, ``30m`` (also ``s`` and ``w``) in seconds; raises
    ``ValueError`` for anything else."""
    match = _SINCE.fullmatch(text.strip().lower())
    if match is None or int(match.group(1)) == 0:
        raise ValueError(f"{text!r} is not a period such as 7d, 24h or 30m")
    return float(int(match.group(1)) * _UNITS[match.group(2)])


def _utc(when: float) -> datetime:
    return datetime.fromtimestamp(when, UTC)


def _iso(when: float) -> str:
    return _utc(when).isoformat(timespec="seconds")


def normalise(text: str) -> str:
    """A question's words for comparing: no Slack markup, case or punctuation."""
    return " ".join(_PUNCTUATION.sub(" ", clean(text).casefold()).split())


@dataclass(frozen=True, slots=True)
class Unanswered:
    """Questions asked alike that got no answer: the most common wording, how often, why."""

    question: str
    count: int
    reasons: tuple[str, ...]
    wordings: tuple[str, ...]
    last_asked: float

    def as_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "count": self.count,
            "reasons": list(self.reasons),
            "wordings": list(self.wordings),
            "last_asked": _iso(self.last_asked),
        }


@dataclass(frozen=True, slots=True)
class Disliked:
    """One answer (its reading) and the thumbs it got, with the questions it answered and what
    people said was missing."""

    reading: Reading
    down: int
    up: int
    questions: tuple[str, ...]
    missing: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "answer_intent": self.reading.intent,
            "roles": list(self.reading.roles),
            "facet": self.reading.facet,
            "topic": self.reading.topic,
            "down": self.down,
            "up": self.up,
            "questions": list(self.questions),
            "missing": list(self.missing),
        }


def _rating_json(rating: Rating) -> dict[str, Any]:
    reading = rating.asked.reading
    return {
        "question": rating.asked.text,
        "answer_intent": reading.intent,
        "roles": list(reading.roles),
        "facet": reading.facet,
        "topic": reading.topic,
        "rating": rating.rating,
        "missing": rating.missing,
        "conversation": rating.conversation,
        "team": rating.team,
        "at": _iso(rating.at),
    }


@dataclass(frozen=True, slots=True)
class Report:
    """The report for the period from ``since`` (``None``: everything stored) to ``until``."""

    since: float | None
    until: float
    questions: int
    unanswered: tuple[Unanswered, ...]
    feedback: tuple[Rating, ...]
    disliked: tuple[Disliked, ...]
    by_intent: dict[str, int]
    by_role: dict[str, int]
    by_conversation: dict[str, int]
    ratings: dict[str, int]

    @property
    def unanswered_count(self) -> int:
        return sum(item.count for item in self.unanswered)

    def as_json(self) -> dict[str, Any]:
        return {
            "since": None if self.since is None else _iso(self.since),
            "until": _iso(self.until),
            "unanswered": [item.as_json() for item in self.unanswered],
            "feedback": [_rating_json(rating) for rating in self.feedback],
            "disliked": [item.as_json() for item in self.disliked],
            "counts": {
                "questions": self.questions,
                "unanswered": self.unanswered_count,
                "by_intent": self.by_intent,
                "by_role": self.by_role,
                "by_conversation": self.by_conversation,
                "feedback": self.ratings,
            },
        }


def why_unanswered(recorded: Recorded) -> str | None:
    """Why a question counts as unanswered, or ``None`` when it got an answer."""
    reading = recorded.asked.reading
    if reading.intent == "unknown":
        return UNKNOWN
    if reading.intent == "clarify" and not recorded.followed:
        return UNRESOLVED
    return NOT_COVERED if reading.gap else None


def group_questions(asked: Iterable[tuple[str, str, float]]) -> list[Unanswered]:
    """Group (question, reason, time asked) by similarity: the same words (case, punctuation
    and Slack markup aside) are one item, and so are wordings scoring ``SIMILAR`` or more
    against the item's most asked one. The most asked items first."""
    by_words: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    for text, reason, when in asked:
        by_words[normalise(text)].append((text.strip(), reason, when))
    # The most asked wordings lead their groups; each other one joins the closest leader.
    ordered = sorted(by_words, key=lambda words: (-len(by_words[words]), by_words[words][0][2]))
    leaders: list[str] = []
    groups: list[list[str]] = []
    for words in ordered:
        match = (
            process.extractOne(words, leaders, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR)
            if words
            else None
        )
        if match is None:
            leaders.append(words)
            groups.append([words])
        else:
            groups[match[2]].append(words)
    items = [_unanswered([e for words in group for e in by_words[words]]) for group in groups]
    return sorted(items, key=lambda item: (-item.count, -item.last_asked))


def _unanswered(entries: Sequence[tuple[str, str, float]]) -> Unanswered:
    wordings = Counter(text for text, _, _ in entries)
    reasons = Counter(reason for _, reason, _ in entries)
    return Unanswered(
        question=wordings.most_common(1)[0][0],
        count=len(entries),
        reasons=tuple(reason for reason, _ in reasons.most_common()),
        wordings=tuple(text for text, _ in wordings.most_common(_SHOWN)),
        last_asked=max(when for _, _, when in entries),
    )


def _disliked(ratings: Sequence[Rating]) -> list[Disliked]:
    by_answer: dict[Reading, list[Rating]] = defaultdict(list)
    for rating in ratings:
        by_answer[rating.asked.reading].append(rating)
    items = []
    for reading, given in by_answer.items():
        down = sum(r.rating == DOWN for r in given)
        if down:
            questions = Counter(r.asked.text for r in given)
            missing = [r.missing for r in given if r.missing]
            items.append(
                Disliked(
                    reading,
                    down,
                    sum(r.rating == UP for r in given),
                    tuple(q for q, _ in questions.most_common(_SHOWN)),
                    tuple(missing[-_SHOWN:]),
                )
            )
    return sorted(items, key=lambda item: (-item.down, item.up))


def _counted(values: Iterable[str]) -> dict[str, int]:
    return dict(Counter(values).most_common())


def build_report(
    store: QuestionStore, *, now: float, period: float | None = None, team: str | None = None
) -> Report:
    """The report for the last ``period`` seconds before ``now`` (everything, for ``None``),
    in ``team`` (every workspace, for ``None``)."""
    since = None if period is None else now - period
    asked = store.questions(since, team)
    ratings = store.ratings(since, team)
    unanswered = [
        (recorded.asked.text, reason, recorded.asked.asked_at)
        for recorded in asked
        if (reason := why_unanswered(recorded)) is not None
    ]
    readings = [recorded.asked.reading for recorded in asked]
    return Report(
        since=since,
        until=now,
        questions=len(asked),
        unanswered=tuple(group_questions(unanswered)),
        feedback=tuple(ratings),
        disliked=tuple(_disliked(ratings)),
        by_intent=_counted(r.intent for r in readings),
        by_role=_counted(role for r in readings for role in r.roles),
        by_conversation=_counted(recorded.asked.conversation for recorded in asked),
        ratings={rating: sum(r.rating == rating for r in ratings) for rating in RATINGS},
    )


def render_report(advisor: Advisor, report: Report, *, top: int = TOP) -> Built:
    """The report as Block Kit blocks and mrkdwn text (``responses/report.j2``), listing the
    ``top`` unanswered questions and disliked answers."""
    return advisor.renderer.render(
        "report",
        report=report,
        since=None if report.since is None else f"{_utc(report.since):%Y-%m-%d %H:%M} UTC",
        unanswered=report.unanswered[:top],
        disliked=report.disliked[:top],
        **common(advisor.knowledge),
    )
