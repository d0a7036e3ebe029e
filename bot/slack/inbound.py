"""What the app takes on from Slack, and the outbox rows it owes in return.

An ``Inbound`` is one request (an event, a slash command, a click) as recorded before it is
acknowledged; its ``key`` is what makes it unique, so Slack's redeliveries and replays of it are
recognised. A ``Reply`` is the one message (or view) it is answered with.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Inbound", "Kind", "Method", "Reply", "request_key", "user_of"]

Kind = Literal["message", "home", "welcome", "command", "button", "share"]
Method = Literal["chat.postMessage", "chat.update", "views.publish", "response_url"]
KEY_MAX = 255


@dataclass(frozen=True, slots=True)
class Inbound:
    """A request from Slack taken on: recorded (by ``key``) before it is acknowledged."""

    key: str
    kind: Kind
    body: dict[str, Any]
    received_at: float
    retry_num: int = 0


@dataclass(frozen=True, slots=True)
class Reply:
    """What an ``Inbound`` is answered with: one outbox row.

    ``request`` is the call (``chat.postMessage``, ``chat.update`` and ``views.publish``
    arguments, or a ``response_url`` message with its ``url``); ``fallback`` is sent instead
    when the call cannot be made: for a post, a ``response_url`` message where the bot may not
    post; for an update, the ``chat.postMessage`` arguments posting the answer anew (the
    message to update is gone); ``followup`` is a ``response_url`` message sent after the
    reply went out;
    ``report`` carries what the request log line and the conversation store need afterwards.
    """

    event_key: str
    method: Method
    request: dict[str, Any]
    report: dict[str, Any] = field(default_factory=dict)
    fallback: dict[str, Any] | None = None
    followup: dict[str, Any] | None = None


def _digest(body: Mapping[str, Any]) -> str:
    raw = json.dumps(body, sort_keys=True, ensure_ascii=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()


def _clip(key: str) -> str:
    """``key`` as is, or (too long, or with control characters) a prefix and its digest."""
    if len(key) <= KEY_MAX and key.isprintable():
        return key
    prefix = "".join(c for c in key[:120] if c.isprintable())
    return f"{prefix}#{hashlib.sha256(key.encode('utf-8', 'replace')).hexdigest()}"


def request_key(kind: Kind, body: Mapping[str, Any]) -> str:
    """The key that identifies a request however many times Slack sends it.

    A message is its ``(channel, ts)`` (a mention and its ``message`` twin are one question); other
    events their ``event_id``; commands and clicks their ``trigger_id``. A request missing those
    is keyed by its content, so an exact replay is still recognised.
    """
    raw_event = body.get("event")
    event: Mapping[str, Any] = raw_event if isinstance(raw_event, Mapping) else {}
    if kind == "message" and event.get("channel") and event.get("ts"):
        return _clip(f"message:{event['channel']}:{event['ts']}")
    if kind in {"message", "home", "welcome"} and body.get("event_id"):
        return _clip(f"event:{body['event_id']}")
    if kind in {"command", "button", "share"} and body.get("trigger_id"):
        return _clip(f"{'command' if kind == 'command' else 'action'}:{body['trigger_id']}")
    return f"{kind}:sha256:{_digest(body)}"


def user_of(body: Mapping[str, Any]) -> str | None:
    """The user a payload is from: ``{"user": {"id": ...}}`` or ``{"user": "U..."}``."""
    user = body.get("user")
    if isinstance(user, Mapping):
        user = user.get("id")
    return user if isinstance(user, str) else None
