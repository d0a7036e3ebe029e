"""What the listeners share: the advisor, the dedupe and conversation stores, and the request log.

Each ``reply_*`` method is one request's whole path: read the Slack payload, ask the advisor,
deliver the answer, remember the reading for follow-ups, and write one structured log line
(``event_id``, ``user``, ``intent``, ``latency_ms``, ``outcome``). None of them raises.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answer import Advisor, Answer
from bot.slack import delivery
from bot.slack.store import TTLStore
from bot.understanding.reading import Reading

__all__ = ["Handling", "Services", "conversation_key", "is_direct_message"]

# One structured line per handled request goes to its own logger; problems go to another.
request_log = logging.getLogger("bot.slack.requests")
logger = logging.getLogger("bot.slack.services")

# Outcomes besides delivery's answered / answered_as_text / failed.
DUPLICATE, IGNORED, REJECTED, PUBLISHED, SHARED, ERROR = (
    "duplicate",
    "ignored",
    "rejected",
    "published",
    "shared",
    "error",
)
# Readings that do not become the context of a follow-up (as in the CLI's chat).
_NO_CONTEXT = frozenset({"unknown", "help"})
SEEN_TTL = 2 * 3600.0  # Slack retries an event up to three times, over a few minutes.
CONTEXT_TTL = 2 * 3600.0

Payload = Mapping[str, Any]
ConversationKey = tuple[str, str | None, str | None]


def is_direct_message(event: Payload) -> bool:
    """A message in a DM with the bot (``channel_type`` im, or a ``D`` channel id)."""
    return event.get("channel_type") == "im" or str(event.get("channel") or "").startswith("D")


def conversation_key(channel: str, thread_ts: str | None, user: str | None) -> ConversationKey:
    """A DM is one conversation per user; in a channel, each thread with each user is one."""
    return (channel, None if channel.startswith("D") else thread_ts, user)


@dataclass
class Handling:
    """One request being handled; becomes one log line."""

    kind: str
    event_id: str | None
    user: str | None
    received_at: float
    retry_num: int = 0
    intent: str | None = None
    outcome: str = IGNORED

    def line(self) -> str:
        return json.dumps(
            {
                "kind": self.kind,
                "event_id": self.event_id,
                "user": self.user,
                "intent": self.intent,
                "latency_ms": round((time.monotonic() - self.received_at) * 1000, 1),
                "outcome": self.outcome,
                "retry_num": self.retry_num,
            },
            ensure_ascii=False,
        )


def _user_id(body: Payload) -> str | None:
    user = body.get("user")
    return user.get("id") if isinstance(user, Mapping) else user


@dataclass(eq=False)
class Services:
    """The advisor and the app's memory, shared by every listener thread."""

    advisor: Advisor
    welcome_dm: bool = False
    seen: TTLStore[Any, float] = field(
        default_factory=lambda: TTLStore(ttl=SEEN_TTL, max_items=100_000)
    )
    contexts: TTLStore[ConversationKey, Reading] = field(
        default_factory=lambda: TTLStore(ttl=CONTEXT_TTL, max_items=20_000)
    )

    def __deepcopy__(self, memo: dict[int, Any]) -> Services:
        # Bolt deep-copies the request context for lazy listeners; this object is shared.
        return self

    # -- bookkeeping ---------------------------------------------------------------------------

    def first_delivery(self, event_id: str) -> bool:
        """Claim an event id; ``False`` when it was already taken on (a redelivery)."""
        return self.seen.claim(("event", event_id), time.time())

    @contextmanager
    def handling(
        self, kind: str, context: Payload, body: Payload, user: str | None
    ) -> Iterator[Handling]:
        """Time a request and log one line for it, whatever happens inside."""
        handling = Handling(
            kind=kind,
            event_id=body.get("event_id") or body.get("trigger_id"),
            user=user,
            received_at=context.get("received_at") or time.monotonic(),
            retry_num=context.get("retry_num") or 0,
        )
        try:
            yield handling
        except Exception:
            handling.outcome = ERROR
            logger.exception("failed to handle %s: event_id=%s", kind, handling.event_id)
        finally:
            request_log.info(handling.line())

    def _remember(self, key: ConversationKey, reading: Reading) -> None:
        if reading.intent not in _NO_CONTEXT:
            self.contexts.put(key, reading)

    def _forget_delivery(self, body: Payload, *keys: object) -> None:
        """Let Slack's redelivery of a request that failed be answered after all."""
        if body.get("event_id"):
            self.seen.discard(("event", body["event_id"]))
        for key in keys:
            self.seen.discard(key)

    # -- channels and DMs ----------------------------------------------------------------------

    def reply_to_message(
        self, client: WebClient, context: Payload, body: Payload, event: Payload
    ) -> None:
        """A mention in a channel (answered in its thread) or a DM (answered in the DM)."""
        user = event.get("user")
        with self.handling(str(event.get("type")), context, body, user) as handling:
            channel, ts = event.get("channel"), event.get("ts")
            if not channel or not ts or event.get("bot_id"):
                return
            # The mention and its ``message`` twin share (channel, ts): only one is answered.
            message_key = ("message", channel, ts)
            if not self.seen.claim(message_key, time.time()):
                handling.outcome = DUPLICATE
                return
            direct = is_direct_message(event)
            thread_ts = event.get("thread_ts") or (None if direct else ts)
            key = conversation_key(channel, thread_ts, user)
            answer = self.advisor.ask(str(event.get("text") or ""), context=self.contexts.get(key))
            handling.intent = answer.reading.intent
            self._remember(key, answer.reading)  # before posting: a quick follow-up sees it
            sent = delivery.post(
                client, answer, channel=channel, thread_ts=thread_ts, event_id=handling.event_id
            )
            handling.outcome = sent.outcome
            if not sent.ok:
                self._forget_delivery(body, message_key)

    def ignore(self, context: Payload, body: Payload, event: Payload) -> None:
        """Events that get no answer (edits, bots, joins, channel twins of mentions) are logged."""
        with self.handling(str(event.get("type")), context, body, _user_id(event)):
            return

    # -- slash commands ------------------------------------------------------------------------

    def reply_to_command(self, context: Payload, body: Payload, command: Payload) -> None:
        """``/compare``, ``/role``, ``/roles``: an ephemeral answer with a share button."""
        name = str(command.get("command") or "").lstrip("/")
        with self.handling(f"/{name}", context, body, command.get("user_id")) as handling:
            answer = self.advisor.command(name, str(command.get("text") or ""))
            handling.intent = answer.reading.intent
            if answer.reading.intent != "help":
                answer = self.advisor.shareable(answer)
            handling.outcome = self._respond(body, answer, handling).outcome

    def _respond(
        self, body: Payload, answer: Answer | None, handling: Handling, **options: Any
    ) -> delivery.Delivery:
        url = body.get("response_url")
        if not isinstance(url, str) or not url:
            logger.error("no response_url: event_id=%s", handling.event_id)
            return delivery.Delivery(delivery.FAILED, error="no_response_url")
        return delivery.respond(url, answer, event_id=handling.event_id, **options)

    # -- buttons -------------------------------------------------------------------------------

    def _answer_button(self, action: Payload, handling: Handling) -> Answer | None:
        """The answer a button's value asks for; ``None`` (rejected) for a forged value."""
        reading = Reading.from_value(str(action.get("value") or ""))
        if reading is None:
            handling.outcome = REJECTED
            return None
        answer = self.advisor.answer(reading)
        handling.intent = answer.reading.intent
        return answer

    def reply_to_button(
        self, client: WebClient, context: Payload, body: Payload, action: Payload
    ) -> None:
        """A suggestion or a clarifying choice: answered where the button was."""
        user = _user_id(body)
        with self.handling(str(action.get("action_id")), context, body, user) as handling:
            answer = self._answer_button(action, handling)
            if answer is None:
                return
            container = body.get("container") or {}
            if container.get("is_ephemeral"):  # a slash command's answer: stays ephemeral
                sent = self._respond(body, self.advisor.shareable(answer), handling)
                handling.outcome = sent.outcome
                return
            if container.get("type") == "view":  # App Home: answered in the DM with the bot
                channel, thread_ts = user, None
            else:
                message = body.get("message") or {}
                channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
                thread_ts = message.get("thread_ts")
                if not thread_ts and not str(channel or "").startswith("D"):
                    thread_ts = message.get("ts") or container.get("message_ts")
            if not channel:
                return
            sent = delivery.post(
                client, answer, channel=channel, thread_ts=thread_ts, event_id=handling.event_id
            )
            if delivery.cannot_post_here(sent):  # e.g. a private channel the bot is not in
                sent = self._respond(body, self.advisor.shareable(answer), handling)
            elif sent.ok:
                key = conversation_key(sent.channel or channel, thread_ts, user)
                self._remember(key, answer.reading)
            handling.outcome = sent.outcome

    def share(self, context: Payload, body: Payload, action: Payload) -> None:
        """Share in channel: the ephemeral answer posted for everyone, the ephemeral removed."""
        with self.handling("share", context, body, _user_id(body)) as handling:
            answer = self._answer_button(action, handling)
            if answer is None:
                return
            sent = self._respond(body, answer, handling, response_type="in_channel")
            handling.outcome = SHARED if sent.ok else sent.outcome
            if sent.ok:
                self._respond(body, None, handling, delete_original=True)

    # -- App Home and new members --------------------------------------------------------------

    def publish_home(
        self, client: WebClient, context: Payload, body: Payload, event: Payload
    ) -> None:
        """The App Home tab: what the bot knows, example questions, buttons that ask them."""
        user = event.get("user")
        with self.handling("app_home_opened", context, body, user) as handling:
            if event.get("tab") != "home" or not user:
                return
            view = {"type": "home", "blocks": list(self.advisor.home_blocks())}
            try:
                client.views_publish(user_id=user, view=view)
                handling.outcome = PUBLISHED
            except (SlackApiError, OSError, ValueError) as error:
                handling.outcome = delivery.FAILED
                logger.error(
                    "views.publish failed: event_id=%s error=%s",
                    handling.event_id,
                    delivery.error_code(error),
                )
                self._forget_delivery(body)

    def welcome(self, client: WebClient, context: Payload, body: Payload, event: Payload) -> None:
        """A welcome DM for a new member, when the welcome switch is on."""
        member = event.get("user") if isinstance(event.get("user"), Mapping) else {}
        with self.handling("team_join", context, body, member.get("id")) as handling:
            if not self.welcome_dm or member.get("is_bot") or member.get("deleted"):
                return
            if not member.get("id"):
                return
            answer = self.advisor.welcome()
            handling.intent = answer.reading.intent
            sent = delivery.post(client, answer, channel=member["id"], event_id=handling.event_id)
            handling.outcome = sent.outcome
            if not sent.ok:
                self._forget_delivery(body)
