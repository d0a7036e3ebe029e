"""Buttons: next-step suggestions, clarifying choices, and "Share in channel"."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

__all__ = ["answer_button", "share_in_channel"]


def answer_button(
    client: WebClient, context: BoltContext, body: dict[str, Any], action: dict[str, Any]
) -> None:
    context["services"].reply_to_button(client, context, body, action)


def share_in_channel(context: BoltContext, body: dict[str, Any], action: dict[str, Any]) -> None:
    context["services"].share(context, body, action)
