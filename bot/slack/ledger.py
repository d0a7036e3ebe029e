"""The database side of delivery: the inbox, the requests taken on, the replies owed.

The inbox holds requests acknowledged before any listener saw them: ``receive`` writes them
(many rows in one transaction when they arrive together), ``claim_received`` takes the oldest
for one dispatch with a lease, and ``dispatched`` deletes them once Bolt has handed them to the
listeners (a claim whose lease ran out, its process gone, is taken over: the listeners
recognise a request they took on already by its key).

``Ledger`` also implements ``SeenEvents`` (a request's key is its primary key, so it is
recorded once) and the outbox: a reply is added in the same transaction that marks its request
answered, claimed by one sender at a time with a lease, and finished, rescheduled or failed
with its error. A claim whose lease ran out (its process died mid-send) is taken over as
ambiguous: the reply may have reached Slack.

Several processes claim from one inbox and one outbox: on PostgreSQL ``claim_received`` and
``claim_due`` pick their rows with ``SELECT ... FOR UPDATE SKIP LOCKED``, so two claiming at
once take different rows and neither waits for the other's; on SQLite the transaction holds the
database's write lock (``BEGIN IMMEDIATE``), so claims take turns and ``FOR UPDATE`` is left
out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Row,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from bot.db import Database
from bot.db.models import SlackEvent, SlackInbox, SlackOutbox
from bot.slack.inbound import Inbound, Kind, Method, Received, Reply

__all__ = [
    "ACCEPTED",
    "FAILED",
    "IGNORED",
    "PENDING",
    "QUEUED",
    "SENDING",
    "SENT",
    "Claimed",
    "Ledger",
]

# Requests: accepted -> queued (a reply is in the outbox) | ignored (none is owed).
ACCEPTED, QUEUED, IGNORED = "accepted", "queued", "ignored"
# Replies: pending -> sending -> sent | failed, or back to pending for another try.
PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


@dataclass(frozen=True, slots=True)
class Claimed:
    """An outbox row a sender holds until ``lease_until``."""

    id: int
    event_key: str
    method: Method
    request: dict[str, Any]
    fallback: dict[str, Any] | None
    followup: dict[str, Any] | None
    report: dict[str, Any]
    attempts: int
    ambiguous: bool
    created_at: float


_RECEIVE = insert(SlackInbox)
_ADD_EVENT = insert(SlackEvent)
_ADD_REPLY = insert(SlackOutbox).returning(SlackOutbox.id)
_QUEUE_EVENT = (
    update(SlackEvent)
    .where(SlackEvent.key == bindparam("event_key"), SlackEvent.status == ACCEPTED)
    .values(status=QUEUED)
)
_RECEIVED = (
    SlackInbox.body,
    SlackInbox.content_type,
    SlackInbox.received_at,
    SlackInbox.retry_num,
    SlackInbox.id,
)
_CLAIMED = (
    SlackOutbox.id,
    SlackOutbox.event_key,
    SlackOutbox.method,
    SlackOutbox.request,
    SlackOutbox.fallback,
    SlackOutbox.followup,
    SlackOutbox.report,
    SlackOutbox.attempts,
    SlackOutbox.ambiguous,
    SlackOutbox.created_at,
)


def _rowcount(result: Any) -> int:
    return cast(CursorResult[Any], result).rowcount


class Ledger:
    """Requests and replies in ``database``."""

    def __init__(self, database: Database) -> None:
        self.database = database

    # -- the inbox -----------------------------------------------------------------------------

    def receive(self, requests: Sequence[Received]) -> None:
        """Write ``requests`` to the inbox, in one transaction."""
        rows = [
            {
                "body": r.body,
                "content_type": r.content_type,
                "retry_num": r.retry_num,
                "received_at": r.received_at,
            }
            for r in requests
        ]
        with self.database.connection() as session:
            session.execute(_RECEIVE, rows)

    def claim_received(self, now: float, limit: int, lease: float) -> list[Received]:
        """Take up to ``limit`` requests from the inbox, oldest first, for one dispatch until
        ``now + lease``; rows another process holds (or is claiming at this moment) are
        skipped."""
        rows = self._claim(
            SlackInbox,
            or_(SlackInbox.claimed_until.is_(None), SlackInbox.claimed_until <= now),
            order=SlackInbox.id,
            limit=limit,
            values={"claimed_until": now + lease},
            columns=_RECEIVED,
        )
        return [Received(**row._asdict()) for row in rows]

    def dispatched(self, ids: Sequence[int], *, release: Sequence[int] = ()) -> None:
        """Take requests the listeners have had out of the inbox, and give back the claims on
        ``release`` (not dispatched: they are claimable again at once)."""
        with self.database.connection() as session:
            if ids:
                session.execute(delete(SlackInbox).where(SlackInbox.id.in_(ids)))
            if release:
                session.execute(
                    update(SlackInbox)
                    .where(SlackInbox.id.in_(release))
                    .values(claimed_until=None)
                )

    def inbox_depth(self) -> int:
        """Requests acknowledged and not yet dispatched."""
        with self.database.connection() as session:
            return int(session.scalar(select(func.count()).select_from(SlackInbox)) or 0)

    # -- requests (SeenEvents) -----------------------------------------------------------------

    def accept(self, inbound: Inbound) -> bool:
        return self._record(inbound, ACCEPTED)

    def record(self, inbound: Inbound) -> bool:
        """Record a request that is owed no reply (a feedback click), so that a redelivery or
        a replay of it is recognised; ``False`` when it was recorded already."""
        return self._record(inbound, IGNORED)

    def _record(self, inbound: Inbound, status: str) -> bool:
        row = {
            "key": inbound.key,
            "kind": inbound.kind,
            "body": inbound.body,
            "retry_num": inbound.retry_num,
            "received_at": inbound.received_at,
            "status": status,
        }
        try:
            with self.database.connection() as session:
                session.execute(_ADD_EVENT, row)
        except IntegrityError:
            return False
        return True

    def ignore(self, key: str) -> None:
        with self.database.connection() as session:
            session.execute(
                update(SlackEvent)
                .where(SlackEvent.key == key, SlackEvent.status == ACCEPTED)
                .values(status=IGNORED)
            )

    def unanswered(self, before: float) -> list[Inbound]:
        query = (
            select(
                SlackEvent.key,
                SlackEvent.kind,
                SlackEvent.body,
                SlackEvent.received_at,
                SlackEvent.retry_num,
            )
            .where(SlackEvent.status == ACCEPTED, SlackEvent.received_at < before)
            .order_by(SlackEvent.received_at)
        )
        with self.database.connection() as session:
            return [
                Inbound(e.key, cast(Kind, e.kind), e.body, e.received_at, e.retry_num)
                for e in session.execute(query)
            ]

    # -- the outbox ----------------------------------------------------------------------------

    def add(self, reply: Reply, now: float) -> int | None:
        """Put ``reply`` in the outbox and mark its request answered, in one transaction.

        ``None`` when the request already has its reply (it was answered by someone else).
        """
        return self._insert(reply, now, lease=None)

    def add_claimed(self, reply: Reply, now: float, lease: float) -> Claimed | None:
        """``add``, with the reply claimed for a first try until ``now + lease`` (one
        transaction fewer than ``add`` then ``claim``)."""
        reply_id = self._insert(reply, now, lease=lease)
        if reply_id is None:
            return None
        return Claimed(
            id=reply_id,
            event_key=reply.event_key,
            method=reply.method,
            request=reply.request,
            fallback=reply.fallback,
            followup=reply.followup,
            report=reply.report,
            attempts=1,
            ambiguous=False,
            created_at=now,
        )

    def _insert(self, reply: Reply, now: float, *, lease: float | None) -> int | None:
        with self.database.connection() as session:
            if _rowcount(session.execute(_QUEUE_EVENT, {"event_key": reply.event_key})) != 1:
                return None
            row = {
                "event_key": reply.event_key,
                "method": reply.method,
                "request": reply.request,
                "fallback": reply.fallback,
                "followup": reply.followup,
                "report": reply.report,
                "status": PENDING if lease is None else SENDING,
                "attempts": 0 if lease is None else 1,
                "ambiguous": False,
                "created_at": now,
                "next_attempt_at": now,
                "lease_until": None if lease is None else now + lease,
            }
            return session.execute(_ADD_REPLY, row).scalar_one()

    @staticmethod
    def _claimable(now: float) -> Any:
        return or_(
            and_(SlackOutbox.status == PENDING, SlackOutbox.next_attempt_at <= now),
            and_(SlackOutbox.status == SENDING, SlackOutbox.lease_until <= now),
        )

    def next_due(self) -> float | None:
        """When the next reply waiting for a try (or a lease) comes due."""
        with self.database.connection() as session:
            pending = session.scalar(
                select(func.min(SlackOutbox.next_attempt_at)).where(SlackOutbox.status == PENDING)
            )
            leased = session.scalar(
                select(func.min(SlackOutbox.lease_until)).where(SlackOutbox.status == SENDING)
            )
        times = [t for t in (pending, leased) if t is not None]
        return min(times) if times else None

    def claim_due(self, now: float, limit: int, lease: float) -> list[Claimed]:
        """Take up to ``limit`` replies ready for a try, oldest first, each for one try until
        ``now + lease``; rows another process is claiming at this moment are skipped."""
        values = {
            # A lease that ran out means a try whose end nobody saw.
            "ambiguous": or_(SlackOutbox.ambiguous, SlackOutbox.status == SENDING),
            "status": SENDING,
            "lease_until": now + lease,
            "attempts": SlackOutbox.attempts + 1,
        }
        rows = self._claim(
            SlackOutbox,
            self._claimable(now),
            order=SlackOutbox.next_attempt_at,
            limit=limit,
            values=values,
            columns=_CLAIMED,
        )
        return [Claimed(**row._asdict()) for row in rows]

    def _claim(
        self,
        model: type[SlackInbox] | type[SlackOutbox],
        free: ColumnElement[bool],
        *,
        order: Any,
        limit: int,
        values: dict[str, Any],
        columns: Sequence[Any],
    ) -> list[Row[Any]]:
        """In one transaction, pick up to ``limit`` of ``model``'s rows that are ``free``, by
        ``order`` (``FOR UPDATE SKIP LOCKED``: rows another process is claiming are skipped, not
        waited for), set ``values`` on them, and return their ``columns`` (the id among them)
        in the order they were picked."""
        pick = (
            select(model.id)
            .where(free)
            .order_by(order)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        with self.database.connection() as session:
            ids = list(session.scalars(pick))
            if not ids:
                return []
            taken = session.execute(
                update(model).where(model.id.in_(ids)).values(**values).returning(*columns)
            )
            rows = list(taken)
        order_of = {row_id: n for n, row_id in enumerate(ids)}
        return sorted(rows, key=lambda row: order_of[row.id])

    def _settle(self, reply_id: int, **values: Any) -> bool:
        """Record how a try ended; ``False`` if the claim was no longer held (taken back)."""
        with self.database.connection() as session:
            settled = session.execute(
                update(SlackOutbox)
                .where(SlackOutbox.id == reply_id, SlackOutbox.status == SENDING)
                .values(lease_until=None, **values)
            )
        return _rowcount(settled) == 1

    def finish(
        self, reply_id: int, outcome: str, now: float, *, channel: str | None, ts: str | None
    ) -> bool:
        return self._settle(
            reply_id, status=SENT, outcome=outcome, finished_at=now, channel=channel, ts=ts
        )

    def retry(self, reply_id: int, at: float, error: str, *, ambiguous: bool) -> bool:
        return self._settle(
            reply_id, status=PENDING, next_attempt_at=at, last_error=error, ambiguous=ambiguous
        )

    def fail(self, reply_id: int, error: str, now: float) -> bool:
        return self._settle(
            reply_id, status=FAILED, outcome=FAILED, finished_at=now, last_error=error
        )

    def depth(self) -> int:
        """Replies not yet sent nor failed."""
        with self.database.connection() as session:
            count = session.scalar(
                select(func.count())
                .select_from(SlackOutbox)
                .where(SlackOutbox.status.in_((PENDING, SENDING)))
            )
        return int(count or 0)

    def prune(self, before: float) -> None:
        """Forget requests received before ``before`` whose replies are done with."""
        with self.database.connection() as session:
            session.execute(
                delete(SlackOutbox).where(
                    SlackOutbox.status.in_((SENT, FAILED)), SlackOutbox.created_at < before
                )
            )
            session.execute(
                delete(SlackEvent).where(
                    SlackEvent.received_at < before,
                    SlackEvent.status != ACCEPTED,
                    ~SlackEvent.key.in_(select(SlackOutbox.event_key)),
                )
            )
