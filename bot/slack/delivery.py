"""Getting an answer to Slack: retried on transient failures, plain text when blocks are refused.

Both ways out are slack_sdk clients with the same retry handlers: the ``WebClient`` for Web API
calls (``chat.postMessage``, ``views.publish``) and a ``WebhookClient`` for ``response_url``
replies (what Bolt's ``respond()`` does, plus the retries). A reply that still fails is logged
with its event id and reported as ``failed``; nothing here raises, so the app keeps serving.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from http.client import RemoteDisconnected
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    RetryHandler,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.answer import Answer

__all__ = [
    "ANSWERED",
    "ANSWERED_AS_TEXT",
    "BLOCKS_REFUSED",
    "FAILED",
    "Delivery",
    "cannot_post_here",
    "error_code",
    "post",
    "respond",
    "retry_handlers",
]

logger = logging.getLogger("bot.slack.delivery")

ANSWERED, ANSWERED_AS_TEXT, FAILED = "answered", "answered_as_text", "failed"
# Errors that mean Slack refused the blocks themselves: the text fallback still gets through.
BLOCKS_REFUSED = frozenset(
    {"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long", "too_many_blocks"}
)
# Errors that mean the bot cannot post where it was asked (the reply then goes to response_url).
CANNOT_POST_HERE = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
WEBHOOK_TIMEOUT = 10.0


def retry_handlers() -> list[RetryHandler]:
    """Retries for connection errors and timeouts, rate limits (429) and server errors (5xx).

    slack_sdk only turns the first on by default. A timed-out post is retried too: Slack may
    rarely have posted it already, but a lost answer is worse than a repeated one.
    """
    return [
        ConnectionErrorRetryHandler(
            max_retry_count=2,
            error_types=[URLError, ConnectionResetError, RemoteDisconnected, TimeoutError],
        ),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
    ]


@dataclass(frozen=True, slots=True)
class Delivery:
    """How a reply went: its outcome, and where it landed when Slack said so."""

    outcome: str
    channel: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome != FAILED


def error_code(error: Exception) -> str:
    """Slack's error code for a failed call (``invalid_blocks``...), or the exception's name."""
    if not isinstance(error, SlackApiError):
        return type(error).__name__
    data = getattr(error.response, "data", None)
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"http_{getattr(error.response, 'status_code', 'error')}"


def post(
    client: WebClient,
    answer: Answer,
    *,
    channel: str,
    thread_ts: str | None = None,
    event_id: str | None = None,
) -> Delivery:
    """``chat.postMessage`` the answer; if Slack refuses its blocks, post its text alone."""
    message: dict[str, Any] = {
        "channel": channel,
        "text": answer.text,
        "blocks": list(answer.blocks),
        "unfurl_links": False,
        "unfurl_media": False,
    }
    if thread_ts:
        message["thread_ts"] = thread_ts
    try:
        response = client.chat_postMessage(**message)
        return Delivery(ANSWERED, response.get("channel"))
    except SlackApiError as error:
        code = error_code(error)
        if code not in BLOCKS_REFUSED:
            logger.error("chat.postMessage failed: event_id=%s error=%s", event_id, code)
            return Delivery(FAILED, error=code)
        logger.warning("blocks refused (%s), posting text only: event_id=%s", code, event_id)
    except (OSError, ValueError) as error:  # connection errors and timeouts, after the retries
        logger.error("chat.postMessage failed: event_id=%s error=%s", event_id, error_code(error))
        return Delivery(FAILED, error=error_code(error))
    del message["blocks"]
    try:
        response = client.chat_postMessage(**message)
        return Delivery(ANSWERED_AS_TEXT, response.get("channel"))
    except (SlackApiError, OSError, ValueError) as error:
        code = error_code(error)
        logger.error("text-only chat.postMessage failed: event_id=%s error=%s", event_id, code)
        return Delivery(FAILED, error=code)


def cannot_post_here(delivery: Delivery) -> bool:
    """True when the bot may not post in that conversation (not a member, archived...)."""
    return delivery.error in CANNOT_POST_HERE


def respond(
    response_url: str,
    answer: Answer | None,
    *,
    response_type: str = "ephemeral",
    replace_original: bool = False,
    delete_original: bool = False,
    event_id: str | None = None,
) -> Delivery:
    """Reply through a ``response_url`` (slash commands, buttons); text alone if blocks fail."""
    message: dict[str, Any] = {"replace_original": replace_original}
    if delete_original:
        message["delete_original"] = True
    if answer is not None:
        message.update(response_type=response_type, text=answer.text, blocks=list(answer.blocks))
    client = WebhookClient(response_url, timeout=WEBHOOK_TIMEOUT, retry_handlers=retry_handlers())
    outcome = ANSWERED
    for attempt in range(2):
        try:
            response = client.send_dict(message)
        except (OSError, ValueError) as error:
            logger.error("response_url failed: event_id=%s error=%s", event_id, error_code(error))
            return Delivery(FAILED, error=error_code(error))
        if response.status_code == 200:
            return Delivery(outcome)
        body = response.body or ""
        refused = next((code for code in BLOCKS_REFUSED if code in body), None)
        if attempt or refused is None or "blocks" not in message:
            break
        logger.warning("blocks refused (%s), responding text only: event_id=%s", refused, event_id)
        del message["blocks"]
        outcome = ANSWERED_AS_TEXT
    error = f"http_{response.status_code}"
    logger.error("response_url failed: event_id=%s error=%s", event_id, error)
    return Delivery(FAILED, error=error)
