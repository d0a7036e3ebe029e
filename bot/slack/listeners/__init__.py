"""Every listener, registered in one place.

Answers are built after the acknowledgement: the app runs with ``process_before_response`` and
each listener is split into Bolt's ``ack`` (run before the HTTP response or Socket Mode ack, and
doing nothing but acknowledge) and a ``lazy`` function that does the work on Bolt's executor.
"""

from __future__ import annotations

import re

from slack_bolt import Ack, App

from bot import answer
from bot.slack.listeners import actions, commands, events, home

__all__ = ["ANSWER_BUTTONS", "COMMANDS", "register"]

COMMANDS = tuple(f"/{name}" for name in answer.COMMANDS)
ANSWER_BUTTONS = re.compile(r"^(suggest|choose)_\d+$")


def acknowledge(ack: Ack) -> None:
    """Acknowledge at once; the answer follows from the lazy listener."""
    ack()


def register(app: App) -> None:
    app.event("app_mention")(ack=acknowledge, lazy=[events.answer_message])
    app.event("message", matchers=[events.is_question_in_dm])(
        ack=acknowledge, lazy=[events.answer_message]
    )
    # Everything else that arrives as a message: edits, deletions, joins, bots, channel twins.
    app.event("message")(events.ignore_message)
    app.event("app_home_opened")(ack=acknowledge, lazy=[home.publish_home])
    app.event("team_join")(ack=acknowledge, lazy=[events.welcome_member])
    for name in COMMANDS:
        app.command(name)(ack=acknowledge, lazy=[commands.answer_command])
    # Next-step suggestions (suggest_<n>) and a clarifying question's choices (choose_<n>).
    app.action(ANSWER_BUTTONS)(ack=acknowledge, lazy=[actions.answer_button])
    app.action("share")(ack=acknowledge, lazy=[actions.share_in_channel])
