"""What the app takes on from Slack, and the outbox rows it owes in return.

A ``Received`` is a request as it arrived, acknowledged before any listener saw it: it waits in
the inbox until Bolt dispatches it to the listeners. An ``Inbound`` is one request (an event, a
slash command, a click) as a listener records it before acknowledging it; its ``key`` is what
makes it unique, so Slack's redeliveries and replays of it are recognised. A ``Reply`` is the
one message (or view) it is answered with. A ``Workspace`` is where a request came from, which
says whose bot token answers it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from slack_bolt.request.internals import (
    extract_enterprise_id,
    extract_is_enterprise_install,
    extract_team_id,
)

__all__ = [
    "KEY_MAX",
    "Inbound",
    "Kind",
    "Method",
    "Received",
    "Reply",
    "Workspace",
    "request_key",
    "user_of",
]

Kind = Literal["message", "home", "welcome", "command", "button", "share", "feedback"]
Method = Literal["chat.postMessage", "chat.update", "views.publish", "response_url"]
KEY_MAX = 255


@dataclass(frozen=True, slots=True)
class Received:
    """A signed request's body, as it arrived, with what Bolt needs to dispatch it later.

    ``id`` is its place in the inbox (``None`` until it is written there).
    """

    body: str
    content_type: str
    received_at: float
    retry_num: int = 0
    id: int | None = None


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
    reply went out; ``report`` carries what the request log line and the conversation store
    need afterwards, and the ``workspace`` whose bot token sends the reply.
    """

    event_key: str
    method: Method
    request: dict[str, Any]
    report: dict[str, Any] = field(default_factory=dict)
    fallback: dict[str, Any] | None = None
    followup: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Workspace:
    """The installation a request belongs to: a team, an enterprise's team, or (an
    organisation-wide install) the enterprise alone."""

    team_id: str | None = None
    enterprise_id: str | None = None
    is_enterprise_install: bool = False

    @classmethod
    def of(cls, body: dict[str, Any]) -> Workspace:
        """The workspace of a request, read the way Bolt reads it to authorize the request."""
        team, enterprise = extract_team_id(body), extract_enterprise_id(body)
        return cls(
            team if isinstance(team, str) else None,
            enterprise if isinstance(enterprise, str) else None,
            extract_is_enterprise_install(body) is True,
        )

    @classmethod
    def named(cls, team_or_enterprise: str) -> Workspace:
        """A team (``T...``), or an organisation-wide install (``E...``)."""
        if team_or_enterprise.startswith("E"):
            return cls(enterprise_id=team_or_enterprise, is_enterprise_install=True)
        return cls(team_id=team_or_enterprise)

    @classmethod
    def from_value(cls, value: object) -> Workspace:
        """A workspace stored with ``as_value`` (nothing usable: no workspace)."""
        if not isinstance(value, Mapping):
            return cls()
        team, enterprise = value.get("team_id"), value.get("enterprise_id")
        return cls(
            team if isinstance(team, str) else None,
            enterprise if isinstance(enterprise, str) else None,
            value.get("is_enterprise_install") is True,
        )

    def as_value(self) -> dict[str, Any]:
        return asdict(self)


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
    events their ``event_id``; commands and clicks (feedback ones too) their ``trigger_id``. A
    request missing those is keyed by its content, so an exact replay is still recognised.
    """
    raw_event = body.get("event")
    event: Mapping[str, Any] = raw_event if isinstance(raw_event, Mapping) else {}
    if kind == "message" and event.get("channel") and event.get("ts"):
        return _clip(f"message:{event['channel']}:{event['ts']}")
    if kind in {"message", "home", "welcome"} and body.get("event_id"):
        return _clip(f"event:{body['event_id']}")
    if kind in {"command", "button", "share", "feedback"} and body.get("trigger_id"):
        return _clip(f"{'command' if kind == 'command' else 'action'}:{body['trigger_id']}")
    return f"{kind}:sha256:{_digest(body)}"


def user_of(body: Mapping[str, Any]) -> str | None:
    """The user a payload is from: ``{"user": {"id": ...}}`` or ``{"user": "U..."}``."""
    user = body.get("user")
    if isinstance(user, Mapping):
        user = user.get("id")
    return user if isinstance(user, str) else None
