"""One try at getting a reply to Slack, and what came of it.

``Sender.send`` makes the calls an outbox row asks for and never raises: it returns a ``Result``
that says whether the reply went out, and if not, whether another try may succeed (with
Slack's ``Retry-After`` when it gave one) and whether this try may have reached Slack anyway.
Waiting between tries is the delivery worker's business; nothing here sleeps, and the clients
carry no retry handlers (a blind retry of a timed-out post could answer twice).

Every post carries message metadata naming its request (``role_advisor_reply`` with the
request's key), so after a try that may have reached Slack, the next one first looks for the
reply in the conversation (``conversations.history``/``conversations.replies``) and skips the
post when it is there. ``response_url`` replies cannot be looked up: they are sent again. An
update (``chat.update``, a clarifying question replaced by its answer) is the same however
often it is made, so it is made again too.

Each try goes out with the bot token of the workspace the request came from (``Clients``): the
one token of a single workspace, or the installation's token, looked up for every try when the
app is installed in many. A reply for a workspace the app is no longer installed in fails for
good (``NOT_INSTALLED``).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.slack.inbound import Workspace
from bot.slack.ledger import Claimed

__all__ = [
    "ANSWERED",
    "ANSWERED_AS_TEXT",
    "BLOCKS_REFUSED",
    "CANNOT_POST_HERE",
    "CANNOT_UPDATE",
    "METADATA_EVENT_TYPE",
    "NOT_INSTALLED",
    "PERMANENT",
    "Clients",
    "OneWorkspace",
    "Result",
    "Sender",
    "error_code",
]

logger = logging.getLogger("bot.slack.delivery")

ANSWERED, ANSWERED_AS_TEXT = "answered", "answered_as_text"
NOT_INSTALLED = "not_installed"  # no bot token for the reply's workspace: uninstalled, revoked
METADATA_EVENT_TYPE = "role_advisor_reply"
# Errors that mean Slack refused the blocks themselves: the text fallback still gets through.
BLOCKS_REFUSED = frozenset(
    {"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long", "too_many_blocks"}
)
# Errors that mean the bot cannot post where it was asked (the reply then goes to response_url).
CANNOT_POST_HERE = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
# Errors that mean the message to update is not there to update: the reply is posted anew.
CANNOT_UPDATE = frozenset(
    {"message_not_found", "cant_update_message", "edit_window_closed", "channel_not_found"}
)
# Errors no later try can change: the reply is recorded as failed with its error.
PERMANENT = (
    BLOCKS_REFUSED
    | CANNOT_POST_HERE
    | CANNOT_UPDATE
    | {
        "cannot_dm_bot",
        "invalid_arguments",
        "invalid_metadata_format",
        "messages_tab_disabled",
        "msg_too_long",
        "no_text",
        "user_not_found",
        NOT_INSTALLED,
        # the token no longer works (the app was uninstalled, or the token revoked)
        "account_inactive",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        # response_url: expired, used up, or never valid
        "expired_url",
        "no_active_hooks",
        "used_url",
        "http_404",
        "http_410",
    }
)
WEBHOOK_TIMEOUT = 10.0
LOOKUP_LIMIT = 200  # messages read back when looking for a reply that may have been posted


@dataclass(frozen=True, slots=True)
class Result:
    """How one try went: ``outcome`` when the reply went out, else its ``error``."""

    outcome: str | None = None
    channel: str | None = None
    ts: str | None = None
    error: str | None = None
    permanent: bool = False
    retry_after: float | None = None  # seconds, as Slack asked
    ambiguous: bool = False  # the try may have reached Slack

    @property
    def sent(self) -> bool:
        return self.outcome is not None


def error_code(error: Exception) -> str:
    """Slack's error code for a failed call (``invalid_blocks``...), or the exception's name."""
    if not isinstance(error, SlackApiError):
        reason = getattr(error, "reason", None)
        return type(reason if isinstance(reason, BaseException) else error).__name__
    data = getattr(error.response, "data", None)
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"http_{getattr(error.response, 'status_code', 'error')}"


def _retry_after(headers: Mapping[str, Any] | None) -> float | None:
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            text = value[0] if isinstance(value, list) and value else value
            try:
                return max(0.0, float(str(text)))
            except ValueError:
                return None
    return None


def _api_failure(error: SlackApiError) -> Result:
    code = error_code(error)
    status = getattr(error.response, "status_code", 200)
    if status == 429 or code == "ratelimited":
        return Result(error="ratelimited", retry_after=_retry_after(error.response.headers))
    # A 5xx may come after Slack did the work; an ok:false answer comes instead of it.
    return Result(error=code, permanent=code in PERMANENT, ambiguous=status >= 500)


def _connection_failure(error: Exception) -> Result:
    """Refused or unresolved: nothing reached Slack. Timeouts and resets: it may have."""
    reason = error.reason if isinstance(error, URLError) else error
    nothing_sent = isinstance(reason, ConnectionRefusedError | socket.gaierror)
    return Result(error=error_code(error), ambiguous=not nothing_sent)


class Clients(Protocol):
    """The Web API client with a workspace's bot token."""

    def client_for(self, workspace: Workspace) -> WebClient | None:
        """``None`` when the app has no bot token there (not installed, or uninstalled)."""
        ...


class OneWorkspace:
    """One workspace: the client with ``SLACK_BOT_TOKEN`` answers every request."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def client_for(self, workspace: Workspace) -> WebClient:
        return self.client


class Sender:
    """Makes the calls for one try of an outbox row, through the client ``clients`` gives for
    the row's workspace."""

    def __init__(self, clients: Clients, *, webhook_timeout: float = WEBHOOK_TIMEOUT) -> None:
        self.clients = clients
        self.webhook_timeout = webhook_timeout

    def send(self, claimed: Claimed) -> Result:
        workspace = Workspace.from_value(claimed.report.get("workspace"))
        try:
            client = self.clients.client_for(workspace)
        except Exception:  # the installations cannot be read just now: another try may work
            logger.exception("no bot token could be read: key=%s", claimed.event_key)
            return Result(error="installation_unavailable")
        if client is None:
            logger.warning(
                "not installed in team=%s enterprise=%s: key=%s",
                workspace.team_id,
                workspace.enterprise_id,
                claimed.event_key,
            )
            return Result(error=NOT_INSTALLED, permanent=True)
        if claimed.method == "response_url":
            result = self.respond(claimed.request)
        elif claimed.method == "views.publish":
            result = self._call(lambda: client.views_publish(**claimed.request))
        elif claimed.method == "chat.update":
            result = self._update(client, claimed)
        else:
            result = self._post_once(client, claimed)
            if result.error in CANNOT_POST_HERE and claimed.fallback is not None:
                result = self.respond(claimed.fallback)
        if result.sent and claimed.followup is not None:
            followed = self.respond(claimed.followup)
            if not followed.sent:
                logger.warning(
                    "follow-up failed: key=%s error=%s", claimed.event_key, followed.error
                )
        return result

    # -- chat.postMessage ----------------------------------------------------------------------

    def _post_once(self, client: WebClient, claimed: Claimed) -> Result:
        message = {**claimed.request, "metadata": _metadata(claimed)}
        if claimed.ambiguous:
            found = self._look_for(client, claimed)
            if found is not None:
                return found
        return _text_if_blocks_refused(
            lambda m: self._call(lambda: client.chat_postMessage(**m)), message
        )

    # -- chat.update ----------------------------------------------------------------------------

    def _update(self, client: WebClient, claimed: Claimed) -> Result:
        """Replace a message with the reply (an update can be made twice: no look-up); if the
        message is gone, post the reply anew (``fallback``)."""
        message = {**claimed.request, "metadata": _metadata(claimed)}
        result = _text_if_blocks_refused(
            lambda m: self._call(lambda: client.chat_update(**m)), message
        )
        if result.permanent and result.error in CANNOT_UPDATE and claimed.fallback is not None:
            key = claimed.event_key
            logger.info("cannot update (%s), posting instead: key=%s", result.error, key)
            anew = replace(claimed, method="chat.postMessage", request=claimed.fallback)
            return self._post_once(client, replace(anew, fallback=None))
        return result

    def _look_for(self, client: WebClient, claimed: Claimed) -> Result | None:
        """The reply, if an earlier try posted it; a failed ``Result`` if Slack cannot tell."""
        request = claimed.request
        try:
            channel = str(request["channel"])
            if channel.startswith(("U", "W")):  # a user: the reply went to the DM with the app
                channel = client.conversations_open(users=channel)["channel"]["id"]
            if request.get("thread_ts"):
                page = client.conversations_replies(
                    channel=channel,
                    ts=request["thread_ts"],
                    include_all_metadata=True,
                    limit=LOOKUP_LIMIT,
                )
            else:
                page = client.conversations_history(
                    channel=channel,
                    oldest=f"{claimed.created_at - 60:.6f}",
                    include_all_metadata=True,
                    limit=LOOKUP_LIMIT,
                )
        except SlackApiError as error:
            if error_code(error) in {"missing_scope", "not_allowed_token_type"}:
                logger.warning(
                    "cannot look for an earlier reply (%s): posting again", error_code(error)
                )
                return None
            failed = _api_failure(error)
            return Result(error=failed.error, retry_after=failed.retry_after, ambiguous=True)
        except (OSError, ValueError) as error:
            return Result(error=error_code(error), ambiguous=True)
        for message in page.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (
                metadata.get("event_type") == METADATA_EVENT_TYPE
                and payload.get("key") == claimed.event_key
            ):
                logger.info("reply already posted: key=%s", claimed.event_key)
                outcome = (
                    ANSWERED
                    if message.get("blocks") or "blocks" not in request
                    else ANSWERED_AS_TEXT
                )
                return Result(outcome, channel, message.get("ts"))
        return None

    def _call(self, call: Any) -> Result:
        try:
            response = call()
        except SlackApiError as error:
            return _api_failure(error)
        except (OSError, ValueError) as error:
            return _connection_failure(error)
        return Result(ANSWERED, response.get("channel"), response.get("ts"))

    # -- response_url --------------------------------------------------------------------------

    def respond(self, request: Mapping[str, Any]) -> Result:
        """Send a ``response_url`` message (``{"url": ..., "message": {...}}``)."""
        client = WebhookClient(str(request["url"]), timeout=int(self.webhook_timeout))
        return _text_if_blocks_refused(lambda m: _respond_once(client, m), request["message"])


def _respond_once(client: WebhookClient, message: dict[str, Any]) -> Result:
    try:
        response = client.send_dict(message)
    except (OSError, ValueError) as error:
        return _connection_failure(error)
    if response.status_code == 200:
        return Result(ANSWERED)
    if response.status_code == 429:
        return Result(error="ratelimited", retry_after=_retry_after(response.headers))
    if response.status_code >= 500:
        return Result(error=f"http_{response.status_code}")
    body = (response.body or "").strip()
    refused = next((code for code in BLOCKS_REFUSED if code in body), None)
    code = refused or (body if body in PERMANENT else f"http_{response.status_code}")
    return Result(error=code, permanent=True)


def _metadata(claimed: Claimed) -> dict[str, Any]:
    """The message metadata naming the request a reply answers."""
    return {"event_type": METADATA_EVENT_TYPE, "event_payload": {"key": claimed.event_key}}


def _text_if_blocks_refused(
    send: Callable[[dict[str, Any]], Result], message: Mapping[str, Any]
) -> Result:
    """Send ``message``; if Slack refuses its blocks, send its text alone."""
    result = send(dict(message))
    if result.error not in BLOCKS_REFUSED or "blocks" not in message:
        return result
    logger.warning("blocks refused (%s), sending the text alone", result.error)
    retried = send({k: v for k, v in message.items() if k != "blocks"})
    return Result(ANSWERED_AS_TEXT, retried.channel, retried.ts) if retried.sent else retried
