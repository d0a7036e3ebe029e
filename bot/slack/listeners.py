"""Every listener, registered in one place: bound methods of ``Listeners``.

Each answering listener records the request (``Intake.accept``), acknowledges it, and builds its
reply into the outbox (``Intake.answer``); delivery sends it from there. A request already
recorded (a redelivery, a replay, the ``message`` twin of a mention) is acknowledged and left
alone.

None of these acknowledgements carries anything, so over HTTP the web process does not wait for
them: what ``answered_later`` says yes to is written to the inbox and acknowledged before Bolt
sees it, and Bolt dispatches it to these listeners afterwards, in the answering process
(``bot.slack.inbox``). The rest (``url_verification``, ``ssl_check``, ``/keyaccount`` and its
modal, the feedback buttons, ``/roleadvisor-report``: whose acknowledgements carry an answer or
must come after a Web API call) goes through Bolt while Slack waits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, App, BoltRequest

from bot import answer
from bot.slack.inbound import Kind
from bot.slack.intake import Intake

__all__ = [
    "ANSWER_BUTTONS",
    "COMMANDS",
    "EVENTS",
    "SHARE",
    "Listeners",
    "answered_later",
    "is_question_in_dm",
]

COMMANDS = tuple(f"/{name}" for name in answer.COMMANDS)
ANSWER_BUTTONS = re.compile(r"^(suggest|choose)_\d+$")
SHARE = "share"
# The event types that have listeners (every other message is ignored by one of them).
APP_MENTION, MESSAGE, APP_HOME_OPENED, TEAM_JOIN = (
    "app_mention",
    "message",
    "app_home_opened",
    "team_join",
)
EVENTS = frozenset({APP_MENTION, MESSAGE, APP_HOME_OPENED, TEAM_JOIN})


def is_question_in_dm(event: dict[str, Any]) -> bool:
    """A person's new message in a DM with the bot: no subtype (edits, joins...), no bot."""
    return (
        event.get("channel_type") == "im"
        and "subtype" not in event
        and not event.get("bot_id")
        and bool(event.get("user"))
    )


def answered_later(payload: Mapping[str, Any]) -> bool:
    """Whether ``payload`` goes to one of these listeners, whose acknowledgement is empty: an
    event of ``EVENTS``, a question command, an answer button or Share."""
    event = payload.get("event")
    if payload.get("type") == "event_callback" and isinstance(event, Mapping):
        return event.get("type") in EVENTS
    if "command" in payload:
        return payload["command"] in COMMANDS
    actions = payload.get("actions")
    if payload.get("type") == "block_actions" and isinstance(actions, list) and actions:
        action_id = actions[0].get("action_id") if isinstance(actions[0], Mapping) else None
        return isinstance(action_id, str) and (
            action_id == SHARE or ANSWER_BUTTONS.match(action_id) is not None
        )
    return False


def retry_num(request: BoltRequest) -> int:
    """Slack's ``X-Slack-Retry-Num`` (Bolt carries Socket Mode's ``retry_attempt`` over)."""
    value = (request.headers.get("x-slack-retry-num") or ["0"])[0]
    return int(value) if value.isdigit() else 0


class Listeners:
    """The app's listeners, all handing their work to ``intake``."""

    def __init__(self, intake: Intake) -> None:
        self.intake = intake

    def register(self, app: App) -> None:
        app.event(APP_MENTION)(self.on_message)
        app.event(MESSAGE, matchers=[is_question_in_dm])(self.on_message)
        # Everything else that arrives as a message: edits, deletions, joins, bots, channel twins.
        app.event(MESSAGE)(self.ignore_message)
        app.event(APP_HOME_OPENED)(self.on_home)
        app.event(TEAM_JOIN)(self.on_welcome)
        for name in COMMANDS:
            app.command(name)(self.on_command)
        # Next-step suggestions (suggest_<n>) and a clarifying question's choices (choose_<n>).
        app.action(ANSWER_BUTTONS)(self.on_button)
        app.action(SHARE)(self.on_share)

    def _take(self, kind: Kind, ack: Ack, body: dict[str, Any], request: BoltRequest) -> None:
        inbound = self.intake.accept(kind, body, retry_num(request))
        ack()
        if inbound is not None:
            self.intake.answer(inbound)

    def on_message(self, ack: Ack, body: dict[str, Any], request: BoltRequest) -> None:
        self._take("message", ack, body, request)

    def on_home(self, ack: Ack, body: dict[str, Any], request: BoltRequest) -> None:
        self._take("home", ack, body, request)

    def on_welcome(self, ack: Ack, body: dict[str, Any], request: BoltRequest) -> None:
        self._take("welcome", ack, body, request)

    def on_command(self, ack: Ack, body: dict[str, Any], request: BoltRequest) -> None:
        self._take("command", ack, body, request)

    def on_button(self, ack: Ack, body: dict[str, Any], request: BoltRequest) -> None:
        self._take("button", ack, body, request)

    def on_share(self, ack: Ack, body: dict[str, Any], request: BoltRequest) -> None:
        self._take("share", ack, body, request)

    def ignore_message(self, body: dict[str, Any], request: BoltRequest) -> None:
        """Messages that get no answer are logged, not recorded."""
        self.intake.ignore("message", body, retry_num(request))
