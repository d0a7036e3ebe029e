"""What a request to ``/slack/events`` must pass before Bolt sees it.

In order: the signature headers are there and well formed, the body fits the limit (judged
from Content-Length before anything is read, and while reading one without it), the signature
is Slack's (slack_sdk's ``SignatureVerifier``: HMAC of the raw body, timestamp within five
minutes), it was not seen before (a replay is acknowledged with 200 and not handled), and only
then is the body parsed, the way Bolt will parse it, and its shape checked where Bolt and the
listeners rely on it. Nothing here logs or returns any part of a body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import Clock, SignatureVerifier
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Request

from bot.slack.replay import SeenSignatures

__all__ = [
    "ACCEPTED",
    "BAD_SIGNATURE",
    "MALFORMED",
    "REPLAY",
    "TOO_LARGE",
    "UNSIGNED",
    "UNSUPPORTED",
    "Gate",
    "Verdict",
]

ACCEPTED, REPLAY = "accepted", "replay"
UNSIGNED, BAD_SIGNATURE = "unsigned", "bad_signature"
TOO_LARGE, MALFORMED, UNSUPPORTED = "too_large", "malformed", "unsupported_media_type"

CONTENT_TYPES = frozenset({"application/json", "application/x-www-form-urlencoded"})
_MAX_HEADER_DIGITS = 12


@dataclass(frozen=True, slots=True)
class Verdict:
    """What to do with a request: take it (``ACCEPTED``) or answer ``status``.

    An accepted request carries its body as it arrived, its content type as Bolt reads it, and
    the body as parsed (``payload``).
    """

    outcome: str
    status: int
    kind: str | None = None
    event_id: str | None = None
    retry_num: int = 0
    body: str = field(default="", repr=False)
    content_type: str = ""
    payload: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def accepted(self) -> bool:
        return self.outcome == ACCEPTED


# -- the shapes Bolt's context extraction and the listeners take for granted -------------------

_Id = str | dict[str, Any] | None  # "U123", {"id": "U123", ...}


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class _Ids(_Shape):
    enterprise: _Id = None
    team: _Id = None
    user: _Id = None
    channel: _Id = None


class _Event(_Ids):
    type: str
    message: _Ids | None = None
    previous_message: _Ids | None = None
    item: _Ids | None = None
    assistant_thread: _Ids | None = None


class _Action(_Shape):
    action_id: str


class _Payload(_Ids):
    type: Any = None
    event: _Event | None = None
    actions: Annotated[list[_Action], Field(min_length=1)] | None = None
    authorizations: list[_Ids] | None = None
    message: _Ids | None = None
    view: dict[str, Any] | None = None
    container: dict[str, Any] | None = None
    response_urls: list[dict[str, Any]] | None = None

    @field_validator("event", "actions", mode="before")
    @classmethod
    def _absent_or_not_null(cls, value: Any) -> Any:
        # Bolt reads payload.get("event", {}) and payload["actions"][0]: present means usable.
        if value is None:
            raise ValueError("present but null")
        return value


def _digits(value: str | None) -> bool:
    return (
        value is not None
        and value.isascii()
        and value.isdigit()
        and len(value) <= _MAX_HEADER_DIGITS
    )


def _kind(payload: Mapping[str, Any]) -> str | None:
    event, actions = payload.get("event"), payload.get("actions")
    if isinstance(event, Mapping):
        return str(event.get("type"))
    if isinstance(payload.get("command"), str):
        return str(payload["command"])
    if isinstance(actions, list) and actions and isinstance(actions[0], Mapping):
        return str(actions[0].get("action_id"))
    kind = payload.get("type")
    return kind if isinstance(kind, str) else None


class Gate:
    """Checks each request against the signing secret, the body limit and the seen signatures."""

    def __init__(
        self,
        signing_secret: str,
        *,
        max_body_bytes: int,
        seen: SeenSignatures,
        clock: Clock | None = None,
    ) -> None:
        self._verifier = SignatureVerifier(signing_secret, clock=clock or Clock())
        self.max_body_bytes = max_body_bytes
        self._seen = seen

    def check(self, request: Request) -> Verdict:
        timestamp = request.headers.get("X-Slack-Request-Timestamp")
        signature = request.headers.get("X-Slack-Signature")
        if not _digits(timestamp) or not signature or not signature.startswith("v0="):
            return Verdict(UNSIGNED, 401)
        if (request.content_length or 0) > self.max_body_bytes:
            return Verdict(TOO_LARGE, 413)
        try:
            raw = request.get_data(cache=True)  # stops past MAX_CONTENT_LENGTH without a length
            body = raw.decode("utf-8")
        except RequestEntityTooLarge:
            return Verdict(TOO_LARGE, 413)
        except UnicodeDecodeError:  # Slack signs UTF-8 text: this cannot be one of its requests
            return Verdict(BAD_SIGNATURE, 401)
        if not self._verifier.is_valid(body, timestamp, signature):
            return Verdict(BAD_SIGNATURE, 401)
        return self._read(request, body, signature)

    def _read(self, request: Request, body: str, signature: str) -> Verdict:
        """A signed request: parsed as Bolt will, checked, and claimed against replays."""
        # Bolt's reading of the header (bolt's extract_content_type), so both parse alike.
        content_type = (request.headers.get("Content-Type") or "").split(";")[0]
        if content_type.strip().lower() not in CONTENT_TYPES:
            return Verdict(UNSUPPORTED, 415)
        retry = request.headers.get("X-Slack-Retry-Num")
        if retry is not None and not _digits(retry):
            return Verdict(MALFORMED, 400)
        try:
            payload = parse_body(body, content_type)
            if not isinstance(payload, dict):
                raise TypeError("not an object")
            _Payload.model_validate(payload)
        # JSONDecodeError is a ValueError; nesting too deep for json is a RecursionError.
        except (ValueError, TypeError, RecursionError, ValidationError):
            return Verdict(MALFORMED, 400)
        kind = _kind(payload)
        event_id = payload.get("event_id") or payload.get("trigger_id")
        event_id = event_id if isinstance(event_id, str) else None
        retry_num = int(retry or 0)
        if not self._seen.first_time(signature):
            return Verdict(REPLAY, 200, kind, event_id, retry_num)
        return Verdict(ACCEPTED, 200, kind, event_id, retry_num, body, content_type, payload)
