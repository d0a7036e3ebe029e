"""Every table, as typed SQLAlchemy models; migrations in ``bot/db/migrations`` create them.

Times are seconds since the epoch (floats), from the clock each component is given, so tests
can move time without waiting.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import JSON, Float, ForeignKey, Index, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "SLACK_BOTS",
    "SLACK_INSTALLATIONS",
    "SLACK_OAUTH_STATES",
    "Base",
    "Feedback",
    "KeyAccountScore",
    "Question",
    "SlackEvent",
    "SlackInbox",
    "SlackOutbox",
]

# Stable constraint names, so migrations can refer to them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON}  # noqa: RUF012  (SQLAlchemy's class attribute)


class SlackInbox(Base):
    """A request from Slack acknowledged before any listener saw it, waiting to be dispatched.

    The web process writes the body as it arrived (signature checked) and answers 200 at once;
    an answer process claims rows, oldest first, hands each to Bolt's listeners, and deletes
    it. What a listener takes on becomes a ``SlackEvent`` then (so a redelivery is recognised
    there).
    """

    __tablename__ = "slack_inbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(Text)  # as the header said, for Bolt to parse
    retry_num: Mapped[int] = mapped_column(default=0)
    received_at: Mapped[float] = mapped_column(Float)
    # Set while an answer process dispatches it; one that died leaves it to another after this.
    claimed_until: Mapped[float | None] = mapped_column(Float)


class SlackEvent(Base):
    """A request from Slack the app took on: recorded before it is acknowledged.

    ``key`` is unique (``event:<event_id>``, ``message:<channel>:<ts>``, ``command:<trigger_id>``,
    ...), so a redelivery or a replay finds it there and is not answered again. ``status`` is
    ``accepted`` until its reply is in the outbox (``queued``) or it needs none (``ignored``).
    """

    __tablename__ = "slack_events"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    body: Mapped[dict[str, Any]]
    retry_num: Mapped[int] = mapped_column(default=0)
    received_at: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), index=True)


class SlackOutbox(Base):
    """One reply to send to Slack, retried until it is ``sent`` or ``failed`` (with its error).

    ``request`` is the Web API call (``method`` ``chat.postMessage`` or ``views.publish``) or the
    ``response_url`` message; ``fallback`` is sent instead when the bot may not post there, and
    ``followup`` after the reply went out (a shared answer removes its ephemeral original).
    ``ambiguous`` marks a try that may have reached Slack (a timeout): the next one looks for the
    reply, by its message metadata, before posting again.
    """

    __tablename__ = "slack_outbox"
    __table_args__ = (Index("ix_slack_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(ForeignKey("slack_events.key"), unique=True)
    method: Mapped[str] = mapped_column(String(40))
    request: Mapped[dict[str, Any]]
    fallback: Mapped[dict[str, Any] | None]
    followup: Mapped[dict[str, Any] | None]
    # What the request log line and the conversation store need once the reply is out.
    report: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(40))
    attempts: Mapped[int] = mapped_column(default=0)
    ambiguous: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[float] = mapped_column(Float)
    next_attempt_at: Mapped[float] = mapped_column(Float)
    lease_until: Mapped[float | None] = mapped_column(Float)
    finished_at: Mapped[float | None] = mapped_column(Float)
    channel: Mapped[str | None] = mapped_column(String(40))
    ts: Mapped[str | None] = mapped_column(String(40))
    last_error: Mapped[str | None] = mapped_column(Text)


class KeyAccountScore(Base):
    """A client's key-account scorecard in one workspace (``team_id``): a score from 1 to 10 per
    criterion id of ``knowledge/key_accounts.yaml``, who gave them and when.

    ``client_key`` is the normalised name (case, width and spacing do not count), unique per
    team: scoring the same client again replaces its scores. ``client_name`` is as last typed.
    """

    __tablename__ = "key_account_scores"
    __table_args__ = (UniqueConstraint("team_id", "client_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(40))
    client_key: Mapped[str] = mapped_column(String(255))
    client_name: Mapped[str] = mapped_column(String(255))
    scores: Mapped[dict[str, Any]]
    scored_by: Mapped[str] = mapped_column(String(100))
    scored_at: Mapped[float] = mapped_column(Float)



class Question(Base):
    """A question someone sent the bot in Slack, as they wrote it (the bot's mention left out),
    how it was read, and what it was answered; for the feedback on it and ``rolebot report``.

    ``key`` is its request's key (the ledger's ``slack_events.key``, which is forgotten after a
    week; this row is kept 90 days, or ``ROLE_ADVISOR_KEEP_QUESTIONS_DAYS``, and its feedback with
    it): the answer's feedback buttons carry it, so a click finds its
    question in any process, before or after a restart. ``conversation`` is where it was asked
    (``dm``, ``channel``, ``command``, ``app_home``); for a clarifying question's choice,
    ``follows`` is the key of the question it clarifies (which it resolves).
    """

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    team_id: Mapped[str | None] = mapped_column(String(40))
    conversation: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str] = mapped_column(String(20), index=True)
    roles: Mapped[list[str]] = mapped_column(JSON)
    facet: Mapped[str | None] = mapped_column(String(64))
    topic: Mapped[str | None] = mapped_column(String(64))
    gap: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float)
    # The answer as shown: its mrkdwn text (the blocks' fallback).
    answer: Mapped[str] = mapped_column(Text)
    follows: Mapped[str | None] = mapped_column(String(255), index=True)
    asked_at: Mapped[float] = mapped_column(Float, index=True)


class Feedback(Base):
    """One person's thumbs up or down on one answer (the latest click counts), and what was
    missing when they said so in the thumbs-down form; where and when they clicked."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("question_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    user_id: Mapped[str] = mapped_column(String(40))
    team_id: Mapped[str | None] = mapped_column(String(40))
    conversation: Mapped[str] = mapped_column(String(20))
    rating: Mapped[str] = mapped_column(String(8))
    missing: Mapped[str | None] = mapped_column(Text)
    clicked_at: Mapped[float] = mapped_column(Float, index=True)


# -- installations in many workspaces (OAuth) ------------------------------------------------
# slack_sdk's SQLAlchemy stores read and write these tables; they are defined here by slack_sdk's
# own table builders, so the migrations create exactly what the stores query (and the test that
# compares the migrations with the models notices when a slack_sdk release changes them).

SLACK_INSTALLATIONS = SQLAlchemyInstallationStore.build_installations_table(
    Base.metadata, SQLAlchemyInstallationStore.default_installations_table_name
)
SLACK_BOTS = SQLAlchemyInstallationStore.build_bots_table(
    Base.metadata, SQLAlchemyInstallationStore.default_bots_table_name
)
SLACK_OAUTH_STATES = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    Base.metadata, SQLAlchemyOAuthStateStore.default_table_name
)
