"""Every listener, registered in one place: bound methods of ``Listeners``.

Each answering listener is split into Bolt's ``ack`` and a ``lazy`` function (the app runs with
``process_before_response``). The ack records the request (``Intake.accept``) and acknowledges
it, so nothing Slack was told it got is only in memory; the lazy function builds the reply and
queues it for delivery. A request already recorded (a redelivery, a replay, the ``message``
twin of a mention) is acknowledged and left alone.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest

from bot import answer
from bot.slack.inbound import Kind
from bot.slack.intake import Intake

__all__ = ["ANSWER_BUTTONS", "COMMANDS", "Listeners", "is_question_in_dm"]

COMMANDS = tuple(f"/{name}" for name in answer.COMMANDS)
ANSWER_BUTTONS = re.compile(r"^(suggest|choose)_\d+$")
INBOUND = "role_advisor_inbound"  # the context key handing the accepted request to ``answer``


def is_question_in_dm(event: dict[str, Any]) -> bool:
    """A person's new message in a DM with the bot: no subtype (edits, joins...), no bot."""
    return (
        event.get("channel_type") == "im"
        and "subtype" not in event
        and not event.get("bot_id")
        and bool(event.get("user"))
    )


def retry_num(request: BoltRequest) -> int:
    """Slack's ``X-Slack-Retry-Num`` (Bolt carries Socket Mode's ``retry_attempt`` over)."""
    value = (request.headers.get("x-slack-retry-num") or ["0"])[0]
    return int(value) if value.isdigit() else 0


class Listeners:
    """The app's listeners, all handing their work to ``intake``."""

    def __init__(self, intake: Intake) -> None:
        self.intake = intake

    def register(self, app: App) -> None:
        app.event("app_mention")(ack=self.accept_message, lazy=[self.answer])
        app.event("message", matchers=[is_question_in_dm])(
            ack=self.accept_message, lazy=[self.answer]
        )
        # Everything else that arrives as a message: edits, deletions, joins, bots, channel twins.
        app.event("message")(self.ignore_message)
        app.event("app_home_opened")(ack=self.accept_home, lazy=[self.answer])
        app.event("team_join")(ack=self.accept_welcome, lazy=[self.answer])
        for name in COMMANDS:
            app.command(name)(ack=self.accept_command, lazy=[self.answer])
        # Next-step suggestions (suggest_<n>) and a clarifying question's choices (choose_<n>).
        app.action(ANSWER_BUTTONS)(ack=self.accept_button, lazy=[self.answer])
        app.action("share")(ack=self.accept_share, lazy=[self.answer])

    def _accept(
        self, kind: Kind, ack: Ack, body: dict[str, Any], context: BoltContext, request: BoltRequest
    ) -> None:
        inbound = self.intake.accept(kind, body, retry_num(request))
        if inbound is not None:
            context[INBOUND] = inbound
        ack()

    def accept_message(
        self, ack: Ack, body: dict[str, Any], context: BoltContext, request: BoltRequest
    ) -> None:
        self._accept("message", ack, body, context, request)

    def accept_home(
        self, ack: Ack, body: dict[str, Any], context: BoltContext, request: BoltRequest
    ) -> None:
        self._accept("home", ack, body, context, request)

    def accept_welcome(
        self, ack: Ack, body: dict[str, Any], context: BoltContext, request: BoltRequest
    ) -> None:
        self._accept("welcome", ack, body, context, request)

    def accept_command(
        self, ack: Ack, body: dict[str, Any], context: BoltContext, request: BoltRequest
    ) -> None:
        self._accept("command", ack, body, context, request)

    def accept_button(
        self, ack: Ack, body: dict[str, Any], context: BoltContext, request: BoltRequest
    ) -> None:
        self._accept("button", ack, body, context, request)

    def accept_share(
        self, ack: Ack, body: dict[str, Any], context: BoltContext, request: BoltRequest
    ) -> None:
        self._accept("share", ack, body, context, request)

    def answer(self, context: BoltContext) -> None:
        """The lazy half: the accepted request's reply goes to the outbox."""
        inbound = context.get(INBOUND)
        if inbound is not None:
            self.intake.answer(inbound)

    def ignore_message(self, body: dict[str, Any], request: BoltRequest) -> None:
        """Messages that get no answer are logged, not recorded."""
        self.intake.ignore("message", body, retry_num(request))
