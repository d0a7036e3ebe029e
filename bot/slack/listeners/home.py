"""The App Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

__all__ = ["publish_home"]


def publish_home(
    client: WebClient, context: BoltContext, body: dict[str, Any], event: dict[str, Any]
) -> None:
    context["services"].publish_home(client, context, body, event)
