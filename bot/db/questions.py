"""Questions asked in Slack and the feedback on their answers, in the database.

``QuestionStore`` records a question once (by its request's key, so a redelivery or a resumed
request does not add it again), a person's thumbs up or down on its answer (one row per person
and answer: a later click replaces the earlier one), and what was missing when they said so;
and reads them back, since a time and for one workspace or all, for ``bot.report``. ``prune``
deletes the questions asked before a time, with their feedback, a batch at a time.
Knows nothing of Slack: where a question was asked is a word (``dm``, ``channel``...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, select, update
from sqlalchemy.orm import InstrumentedAttribute, aliased

from bot.db.engine import Database
from bot.db.models import Feedback, Question
from bot.understanding.reading import Reading

__all__ = ["DOWN", "RATINGS", "UP", "Asked", "QuestionStore", "Rating", "Recorded"]

UP, DOWN = "up", "down"
RATINGS = (UP, DOWN)
TEXT_MAX = 3000  # characters of a question kept (Slack allows 40,000 in a message)
MISSING_MAX = 2000
_ID_MAX, _KEY_MAX, _WORD_MAX = 40, 255, 20
PRUNE_BATCH = 500  # questions deleted per transaction, with their feedback


@dataclass(frozen=True, slots=True)
class Asked:
    """A question as it was sent, where (``conversation``, ``team``), how it was read and what
    it was answered (``answer``: the text shown); for a clarifying question's choice,
    ``follows`` is the key of the question it clarifies."""

    key: str
    conversation: str
    text: str
    reading: Reading
    answer: str
    asked_at: float
    team: str | None = None
    follows: str | None = None


@dataclass(frozen=True, slots=True)
class Recorded:
    """A stored question, and whether a later one follows it (its clarifying choice)."""

    asked: Asked
    followed: bool


@dataclass(frozen=True, slots=True)
class Rating:
    """One person's latest thumbs up or down on an answer, with its question."""

    asked: Asked
    rating: str
    at: float
    conversation: str
    team: str | None = None
    missing: str | None = None


def _clip(value: str | None, limit: int) -> str | None:
    return None if value is None else value[:limit]


def _asked(row: Any) -> Asked:
    reading = Reading(
        row.intent,
        roles=tuple(r for r in row.roles if isinstance(r, str)),
        facet=row.facet,
        topic=row.topic,
        confidence=row.confidence,
        gap=row.gap,
        question=row.text,
    )
    return Asked(
        row.key,
        row.conversation,
        row.text,
        reading,
        row.answer,
        row.asked_at,
        row.team_id,
        row.follows,
    )


_QUESTION_COLUMNS = (
    Question.key,
    Question.conversation,
    Question.text,
    Question.intent,
    Question.roles,
    Question.facet,
    Question.topic,
    Question.gap,
    Question.confidence,
    Question.answer,
    Question.asked_at,
    Question.team_id,
    Question.follows,
)


class QuestionStore:
    """The ``questions`` and ``feedback`` tables of ``database``."""

    def __init__(self, database: Database) -> None:
        self.database = database
        # Built once: one statement for every question, compiled once (SQLAlchemy's cache).
        self._add = database.upsert(Question).on_conflict_do_nothing(index_elements=["key"])

    def prune(self, before: float, *, batch: int = PRUNE_BATCH) -> int:
        """Delete the questions asked before ``before``, oldest first, and the feedback on
        them (however recent), ``batch`` questions to a transaction, so that no prune holds the
        tables for long; how many questions went. Rows another process is pruning at the
        same moment are skipped (PostgreSQL), not waited for."""
        pick = (
            select(Question.id)
            .where(Question.asked_at < before)  # ix_questions_asked_at
            .order_by(Question.asked_at)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        pruned = 0
        while True:
            with self.database.connection() as connection:
                ids = list(connection.scalars(pick))
                if ids:  # uq_feedback_question_id's index leads with question_id
                    connection.execute(delete(Feedback).where(Feedback.question_id.in_(ids)))
                    connection.execute(delete(Question).where(Question.id.in_(ids)))
            pruned += len(ids)
            if len(ids) < batch:
                return pruned

    def add(self, asked: Asked) -> None:
        """Record ``asked``; nothing happens if its key is recorded already."""
        reading = asked.reading
        values = {
            "key": asked.key[:_KEY_MAX],
            "team_id": _clip(asked.team, _ID_MAX),
            "conversation": asked.conversation[:_WORD_MAX],
            "text": asked.text[:TEXT_MAX],
            "intent": reading.intent,
            "roles": list(reading.roles),
            "facet": reading.facet,
            "topic": reading.topic,
            "gap": reading.gap,
            "confidence": reading.confidence,
            "answer": asked.answer,
            "follows": _clip(asked.follows, _KEY_MAX),
            "asked_at": asked.asked_at,
        }
        with self.database.connection() as connection:
            connection.execute(self._add, values)

    def rate(
        self,
        key: str,
        *,
        user: str,
        rating: str,
        at: float,
        conversation: str,
        team: str | None = None,
    ) -> int | None:
        """Store ``user``'s ``rating`` (up or down) of the answer to question ``key``,
        replacing their earlier one; the feedback's id, or ``None`` for an unknown question."""
        if rating not in RATINGS:
            raise ValueError(f"a rating is up or down, not {rating!r}")
        values = {
            "user_id": user[:_ID_MAX],
            "team_id": _clip(team, _ID_MAX),
            "conversation": conversation[:_WORD_MAX],
            "rating": rating,
            "missing": None,  # a new click asks again what was missing
            "clicked_at": at,
        }
        with self.database.connection() as connection:
            question = connection.scalar(select(Question.id).where(Question.key == key))
            if question is None:
                return None
            statement = self.database.upsert(Feedback).values(question_id=question, **values)
            statement = statement.on_conflict_do_update(
                index_elements=["question_id", "user_id"],
                set_={name: statement.excluded[name] for name in values if name != "user_id"},
            )
            return int(connection.execute(statement.returning(Feedback.id)).scalar_one())

    def note_missing(self, feedback: int, *, user: str, text: str) -> bool:
        """Keep what ``user`` said was missing from an answer they gave a thumbs down;
        ``False`` when that feedback is not theirs, or not a thumbs down."""
        with self.database.connection() as connection:
            noted = connection.execute(
                update(Feedback)
                .where(Feedback.id == feedback, Feedback.user_id == user, Feedback.rating == DOWN)
                .values(missing=text[:MISSING_MAX])
            )
        return bool(getattr(noted, "rowcount", 0) == 1)

    def questions(self, since: float | None = None, team: str | None = None) -> list[Recorded]:
        """The questions asked since ``since`` (all, for ``None``), in ``team`` (or all), oldest
        first, each with whether a question follows it (a choice of its clarifying answer)."""
        later = aliased(Question)
        followed = exists().where(later.follows == Question.key).label("followed")
        query = select(*_QUESTION_COLUMNS, followed).where(
            *_within(Question.asked_at, since, team)
        )
        with self.database.connection() as connection:
            rows = connection.execute(query.order_by(Question.asked_at, Question.id))
            return [Recorded(_asked(row), bool(row.followed)) for row in rows]

    def ratings(self, since: float | None = None, team: str | None = None) -> list[Rating]:
        """The feedback given since ``since`` on answers in ``team`` (or all), oldest first."""
        query = select(
            *_QUESTION_COLUMNS,
            Feedback.rating,
            Feedback.clicked_at,
            Feedback.conversation.label("rated_in"),
            Feedback.team_id.label("rated_by_team"),
            Feedback.missing,
        ).join(Question, Feedback.question_id == Question.id)
        query = query.where(*_within(Feedback.clicked_at, since, team))
        with self.database.connection() as connection:
            rows = connection.execute(query.order_by(Feedback.clicked_at, Feedback.id))
            return [
                Rating(_asked(r), r.rating, r.clicked_at, r.rated_in, r.rated_by_team, r.missing)
                for r in rows
            ]


def _within(
    when: InstrumentedAttribute[float], since: float | None, team: str | None
) -> list[ColumnElement[bool]]:
    """The conditions for rows from ``since`` on (``when``), in ``team``."""
    conditions = [] if since is None else [when >= since]
    return conditions if team is None else [*conditions, Question.team_id == team]
