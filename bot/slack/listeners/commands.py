"""Slash commands: /compare, /role, /roles."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

__all__ = ["answer_command"]


def answer_command(context: BoltContext, body: dict[str, Any], command: dict[str, Any]) -> None:
    context["services"].reply_to_command(context, body, command)
