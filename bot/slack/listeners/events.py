"""Events: mentions in channels, DMs, and new members."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

__all__ = [
    "answer_message",
    "ignore_message",
    "is_question_in_dm",
    "welcome_member",
]


def is_question_in_dm(event: dict[str, Any]) -> bool:
    """A person's new message in a DM with the bot: no subtype (edits, joins...), no bot."""
    return (
        event.get("channel_type") == "im"
        and "subtype" not in event
        and not event.get("bot_id")
        and bool(event.get("user"))
    )


def answer_message(
    client: WebClient, context: BoltContext, body: dict[str, Any], event: dict[str, Any]
) -> None:
    """A mention in a channel (answered in its thread) or a question in a DM."""
    context["services"].reply_to_message(client, context, body, event)


def ignore_message(context: BoltContext, body: dict[str, Any], event: dict[str, Any]) -> None:
    context["services"].ignore(context, body, event)


def welcome_member(
    client: WebClient, context: BoltContext, body: dict[str, Any], event: dict[str, Any]
) -> None:
    context["services"].welcome(client, context, body, event)
