"""From a request to an outbox row: record it, build its reply, hand it to delivery.

``accept`` runs first, in the listener, before the listener acknowledges: it records the
request in the ``SeenEvents`` store (a redelivery or a replay finds its key there and is
acknowledged without being handled again). ``answer`` runs after, in the same listener: it
builds the reply and puts it in the outbox, in the same transaction that marks the request
answered.
``resume`` does the same for requests accepted and never answered (a previous process's, at
start-up). ``delivered`` hears how each reply ended. Each request gets one line on the
``bot.slack.requests`` logger, once its fate is known.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from bot.slack import metrics
from bot.slack.delivery import Result
from bot.slack.inbound import Inbound, Kind, request_key
from bot.slack.ledger import Claimed, Ledger
from bot.slack.replies import Responder
from bot.slack.store import SeenEvents
from bot.slack.worker import DeliveryWorker
from bot.understanding.reading import Reading

__all__ = ["DUPLICATE", "ERROR", "Intake", "log_request"]

request_log = logging.getLogger("bot.slack.requests")
logger = logging.getLogger("bot.slack.intake")

DUPLICATE, ERROR = "duplicate", "error"


def log_request(report: Mapping[str, Any], outcome: str, now: float, **extra: Any) -> None:
    """One structured line for a handled request: ids, intent, latency, outcome. No text."""
    received = report.get("received_at")
    latency = (now - received) * 1000 if isinstance(received, int | float) else 0.0
    line = {
        "kind": report.get("kind"),
        "event_id": report.get("event_id"),
        "user": report.get("user"),
        "intent": report.get("intent"),
        "latency_ms": round(max(0.0, latency), 1),
        "outcome": outcome,
        "retry_num": report.get("retry_num", 0),
        **extra,
    }
    request_log.info(json.dumps(line, ensure_ascii=False))


class Intake:
    """Records requests in ``seen``, builds replies with ``responder``, queues them in
    ``outbox`` (one ``Ledger`` for both, by default: adding a reply there also marks its request
    answered)."""

    def __init__(
        self,
        seen: SeenEvents,
        outbox: Ledger,
        responder: Responder,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.seen = seen
        self.outbox = outbox
        self.responder = responder
        self.clock = clock
        self.worker: DeliveryWorker | None = None

    def accept(self, kind: Kind, body: dict[str, Any], retry_num: int = 0) -> Inbound | None:
        """Record a request; ``None`` for one already recorded (logged as a duplicate)."""
        started = time.perf_counter()
        inbound = Inbound(request_key(kind, body), kind, body, self.clock(), retry_num)
        accepted = self.seen.accept(inbound)
        metrics.ACKS.labels(kind, "accepted" if accepted else DUPLICATE).inc()
        metrics.ACK_SECONDS.labels(kind).observe(time.perf_counter() - started)
        if accepted:
            return inbound
        report = self.responder.describe(inbound)
        log_request(report, DUPLICATE, self.clock())
        return None

    def ignore(self, kind: Kind, body: dict[str, Any], retry_num: int = 0) -> None:
        """A request that gets no answer (an edit, a bot's message): logged, not recorded."""
        now = self.clock()
        report = self.responder.describe(
            Inbound(request_key(kind, body), kind, body, now, retry_num)
        )
        log_request(report, "ignored", now)

    def answer(self, inbound: Inbound) -> None:
        """Build the reply to an accepted request and queue it (or record that it needs none)."""
        try:
            built = self.responder.build(inbound)
        except Exception:
            logger.exception("failed to answer: key=%s", inbound.key)
            self.seen.ignore(inbound.key)
            log_request(self.responder.describe(inbound), ERROR, self.clock())
            return
        if built.report.get("intent"):
            metrics.ANSWERS.labels(built.report["intent"]).inc()
        if built.reply is None:
            self.seen.ignore(inbound.key)
            log_request(built.report, built.outcome, self.clock())
            return
        worker = self.worker
        if worker is not None and worker.has_room():  # straight to a sender, claimed
            claimed = self.outbox.add_claimed(built.reply, self.clock(), worker.policy.lease)
            if claimed is not None:
                worker.hand_over(claimed)
        elif self.outbox.add(built.reply, self.clock()) is not None and worker is not None:
            worker.notify()  # it waits in the outbox for the scheduler

    def resume(self, before: float) -> None:
        """Answer the requests accepted before ``before`` and never answered."""
        unanswered = self.seen.unanswered(before=before)
        if unanswered:
            logger.info("resuming %d unanswered request(s)", len(unanswered))
        for inbound in unanswered:
            self.answer(inbound)

    def delivered(self, claimed: Claimed, result: Result) -> None:
        """A reply reached Slack, or was given up on: log it, remember what was clicked."""
        report = claimed.report
        if not result.sent:
            log_request(report, "failed", self.clock(), error=result.error)
            return
        outcome = str(result.outcome)
        if outcome == "answered" and report.get("outcome"):
            outcome = str(report["outcome"])
        remember = report.get("remember")
        channel = result.channel or claimed.request.get("channel")
        # Only a posted message (it has a ts), not the ephemeral fallback, sets the context.
        if isinstance(remember, Mapping) and result.ts and channel:
            reading = Reading.from_value(str(remember.get("reading") or ""))
            if reading is not None:
                self.responder.conversations.clicked(
                    self.responder.advisor,
                    reading,
                    str(channel),
                    remember.get("thread_ts"),
                    remember.get("user"),
                )
        log_request(report, outcome, self.clock(), attempts=claimed.attempts)
