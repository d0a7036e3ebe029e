"""Feedback on answers: the thumbs up and down under each answer, and the form a thumbs down
opens to ask what was missing.

The feedback buttons of an answer (``responses/feedback.j2``, added by ``bot.slack.replies``)
carry the key of the question it answers, which was stored in the database with the answer
(``bot.db.questions``): so a click is stored against its question by whichever process gets
it, before or after a restart. The click is recorded in the ledger like any request, so a
redelivered or replayed one is not counted twice; a person's later click on the same answer
replaces their earlier one. A thumbs down opens a small form (optional to fill in); what they
write is kept with their feedback.

Like ``/keyaccount``, nothing here goes through the outbox: the form must open within Slack's
three seconds of the click, and nothing else is owed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db.questions import DOWN, QuestionStore
from bot.slack.delivery import error_code
from bot.slack.feedback_blocks import (
    FEEDBACK_ACTION,
    MISSING_BLOCK,
    MISSING_CALLBACK,
    conversation_of,
    missing_form,
    read_feedback,
    submitted,
    team_of,
)
from bot.slack.inbound import Inbound, request_key, user_of
from bot.slack.intake import log_request
from bot.slack.ledger import Ledger

__all__ = ["NOT_FOUND", "UNAVAILABLE", "FeedbackListeners"]

Payload = Mapping[str, Any]

NOT_FOUND = (
    "Thanks. I could not find the question this answer was for, so your feedback was not "
    "recorded; ask again and rate the new answer."
)
UNAVAILABLE = "Thanks. Your feedback could not be recorded just now; try again in a minute."
logger = logging.getLogger("bot.slack.feedback")


def _tell(respond: Respond, text: str) -> None:
    """An ephemeral word to the person who clicked, if Slack gave a way (a ``response_url``)."""
    try:
        respond(text=text, response_type="ephemeral", replace_original=False)
    except (ValueError, OSError) as error:
        logger.warning("could not answer the feedback click: %s", type(error).__name__)


class FeedbackListeners:
    """The feedback buttons' clicks, recorded in ``seen`` and stored in ``questions``."""

    def __init__(
        self, seen: Ledger, questions: QuestionStore, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.seen = seen
        self.questions = questions
        self.clock = clock

    def register(self, app: App) -> None:
        app.action(FEEDBACK_ACTION)(self.click)
        app.view(MISSING_CALLBACK)(self.missing)

    def _log(self, body: Payload, intent: str, outcome: str, started: float) -> None:
        report = {"kind": FEEDBACK_ACTION, "user": user_of(body), "intent": intent}
        log_request({**report, "received_at": started}, outcome, self.clock())

    def click(self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """Store a thumbs up or down (once), and open the form after a thumbs down."""
        started = self.clock()
        actions = body.get("actions")
        action = actions[0] if isinstance(actions, list) and actions else {}
        action = action if isinstance(action, Mapping) else {}
        clicked, user = read_feedback(action.get("value")), user_of(body)
        if clicked is None or user is None:
            ack()
            self._log(body, FEEDBACK_ACTION, "rejected", started)
            return
        question, rating = clicked
        intent = f"{FEEDBACK_ACTION}_{rating}"
        try:
            inbound = Inbound(request_key("feedback", body), "feedback", body, started)
            if not self.seen.record(inbound):
                ack()
                self._log(body, intent, "duplicate", started)
                return
            feedback = self.questions.rate(
                question,
                user=user,
                rating=rating,
                at=started,
                conversation=conversation_of(body),
                team=team_of(body),
            )
        except Exception as error:  # the database is away: say so instead of nothing
            # Only the error's type: a database's own message may quote the row.
            logger.error("feedback could not be stored (%s)", type(error).__name__)
            ack()
            _tell(respond, UNAVAILABLE)
            self._log(body, intent, "error", started)
            return
        if feedback is None:
            ack()
            _tell(respond, NOT_FOUND)
            self._log(body, intent, "unlinked", started)
            return
        if rating == DOWN:
            self._ask_what_was_missing(client, body, feedback)
        ack()
        self._log(body, intent, "recorded", started)

    @staticmethod
    def _ask_what_was_missing(client: WebClient, body: Payload, feedback: int) -> None:
        try:
            trigger = str(body.get("trigger_id") or "")
            client.views_open(trigger_id=trigger, view=missing_form(feedback))
        except (SlackApiError, OSError) as error:  # the thumbs down is stored all the same
            logger.warning("the what-was-missing form did not open: %s", error_code(error))

    def missing(self, ack: Ack, body: dict[str, Any]) -> None:
        """Keep what the form says was missing; an empty form just closes."""
        started = self.clock()
        form, user = submitted(body), user_of(body)
        if form is None or user is None:
            ack()
            self._log(body, "feedback_missing", "empty", started)
            return
        feedback, text = form
        try:
            noted = self.questions.note_missing(feedback, user=user, text=text)
        except Exception as error:  # what the person wrote stays out of the log
            logger.error("what was missing could not be stored (%s)", type(error).__name__)
            message = "That could not be saved just now; try Send again."
            ack(response_action="errors", errors={MISSING_BLOCK: message})
            self._log(body, "feedback_missing", "error", started)
            return
        ack()
        self._log(body, "feedback_missing", "recorded" if noted else "rejected", started)
