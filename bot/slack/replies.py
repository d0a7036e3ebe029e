"""What each request is answered with: the advisor's answer, addressed the way Slack needs.

``Responder.build`` turns a recorded request into the ``Reply`` that goes to the outbox (or
into no reply, with the reason), reading its conversation's context first. It makes no Slack
call: delivery does that, later, from the outbox. None of it raises on a malformed payload.

Every answer gets Slack's feedback buttons (``responses/feedback.j2``), carrying the key of
its request; the question, as its asker wrote it (without the bot's mention), is stored under
that key with its reading and answer (``bot.db.questions``), so a click finds it from any
process, before or after a restart (``bot.slack.feedback``). An ephemeral answer also gets a
"Share in channel" button (``responses/share.j2``), which carries the key too: the shared
answer's feedback counts for the same question; so do a clarifying question's choices, whose
click is stored as resolving it.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from bot.answer import Advisor, Answer
from bot.db.questions import DOWN, UP, Asked, QuestionStore
from bot.render import LIMITS
from bot.slack.conversation import Conversations, is_direct_message
from bot.slack.feedback_blocks import (
    CHANNEL,
    COMMAND,
    DM,
    conversation_of,
    feedback_value,
    team_of,
)
from bot.slack.inbound import KEY_MAX, Inbound, Reply, Workspace, user_of
from bot.understanding.reading import Reading

__all__ = ["FAILED", "IGNORED", "PUBLISHED", "REJECTED", "SHARED", "Built", "Responder"]

IGNORED, REJECTED, FAILED, PUBLISHED, SHARED = (
    "ignored",
    "rejected",
    "failed",
    "published",
    "shared",
)
Payload = Mapping[str, Any]
CHOICE = "choose_"  # a clarifying question's buttons: a click replaces the question
# What an answer replacing a message keeps of its post.
_UPDATED = frozenset({"channel", "text", "blocks"})
logger = logging.getLogger("bot.slack.replies")


@dataclass
class Built:
    """A request's reply (``None`` when it gets none, for ``outcome``), its log fields, and the
    question it answers, to store."""

    report: dict[str, Any]
    reply: Reply | None = None
    outcome: str = IGNORED
    asked: Asked | None = None


@dataclass(frozen=True, slots=True)
class _Target:
    channel: str
    thread_ts: str | None


def _mapping(value: object) -> Payload:
    return value if isinstance(value, Mapping) else {}


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _action(body: Payload) -> Payload:
    actions = body.get("actions")
    return _mapping(actions[0] if isinstance(actions, list) and actions else None)


def _post(answer: Answer, target: _Target) -> dict[str, Any]:
    message: dict[str, Any] = {
        "channel": target.channel,
        "text": answer.text,
        "blocks": list(answer.blocks),
        "unfurl_links": False,
        "unfurl_media": False,
    }
    if target.thread_ts:
        message["thread_ts"] = target.thread_ts
    return message


def _bot_ids(body: Payload) -> set[str]:
    """The bot's own user ids, from an event's ``authorizations``."""
    found = body.get("authorizations")
    grants = found if isinstance(found, list) else []
    return {
        str(grant["user_id"])
        for grant in grants
        if isinstance(grant, Mapping) and grant.get("is_bot") and grant.get("user_id")
    }


def without_mention(text: str, body: Payload) -> str:
    """A message's text as its author wrote it, without the bot's own mention (``<@U…>``);
    in a mention event that names no bot in its ``authorizations``, the leading mention."""
    ids = "|".join(re.escape(bot) for bot in sorted(_bot_ids(body)))
    if ids:
        return re.sub(rf"\s*<@(?:{ids})(?:\|[^>]*)?>\s*", " ", text).strip()
    if _mapping(body.get("event")).get("type") == "app_mention":
        return re.sub(r"^\s*<@[^>]*>\s*", "", text).strip()
    return text.strip()


def _with_question(value: str, question: str) -> str:
    """A button's reading ``value`` that also carries the key of the question it answers."""
    return json.dumps({**json.loads(value), "question": question}, separators=(",", ":"))


def _question_in(value: str) -> str | None:
    """The question key a button's value carries (``_with_question``), if any."""
    try:
        data = json.loads(value)
    except ValueError:
        return None
    question = data.get("question") if isinstance(data, dict) else None
    return question if isinstance(question, str) and 0 < len(question) <= KEY_MAX else None


def _choices_carrying(block: dict[str, Any], question: str) -> dict[str, Any]:
    """``block``, its clarifying choices (``choose_<n>``) carrying the key of the question they
    clarify: a click on one resolves it, wherever it was (an ephemeral click has no message)."""
    if block.get("type") != "actions":
        return block
    elements = [
        {**element, "value": _with_question(element["value"], question)}
        if str(element.get("action_id")).startswith(CHOICE)
        else element
        for element in block["elements"]
    ]
    return {**block, "elements": elements}


def _label(body: Payload) -> str:
    """The label of the button a click payload is for: what the person chose to ask."""
    return str(_mapping(_action(body).get("text")).get("text") or "")


def _respond(
    url: str, answer: Answer, response_type: str = "ephemeral", *, replace: bool = False
) -> dict[str, Any]:
    message = {
        "replace_original": replace,
        "response_type": response_type,
        "text": answer.text,
        "blocks": list(answer.blocks),
    }
    return {"url": url, "message": message}


class AdvisorSource(Protocol):
    """Where the advisor to answer with comes from: an ``Advisor`` (always itself) or a
    ``bot.live.LiveAdvisor`` (the newest good version of the knowledge)."""

    def current(self) -> Advisor: ...


@dataclass
class Responder:
    """Builds replies with the current advisor of ``source``, reading follow-ups with
    ``conversations``."""

    source: AdvisorSource
    conversations: Conversations = field(default_factory=Conversations)
    welcome_dm: bool = False
    # Where the questions answered are stored, for feedback and the report (None: nowhere).
    questions: QuestionStore | None = None

    @property
    def advisor(self) -> Advisor:
        return self.source.current()

    def describe(self, inbound: Inbound) -> dict[str, Any]:
        """A request's log fields, before any answer: kind, ids, user and workspace."""
        body, event = inbound.body, _mapping(inbound.body.get("event"))
        kind: str
        user: str | None
        if inbound.kind == "message":
            kind, user = str(event.get("type")), _str(event.get("user"))
        elif inbound.kind == "home":
            kind, user = "app_home_opened", _str(event.get("user"))
        elif inbound.kind == "welcome":
            kind, user = "team_join", _str(_mapping(event.get("user")).get("id"))
        elif inbound.kind == "command":
            kind = "/" + str(body.get("command") or "").lstrip("/")
            user = _str(body.get("user_id"))
        else:
            kind = "share" if inbound.kind == "share" else str(_action(body).get("action_id"))
            user = user_of(body)
        return {
            "kind": kind,
            "event_id": _str(body.get("event_id")) or _str(body.get("trigger_id")),
            "user": user,
            "intent": None,
            "retry_num": inbound.retry_num,
            "received_at": inbound.received_at,
            # Whose bot token delivers the reply (many workspaces).
            "workspace": Workspace.of(body).as_value(),
        }

    def build(self, inbound: Inbound) -> Built:
        """The reply to ``inbound``, or none and why."""
        builder = {
            "message": self._message,
            "home": self._home,
            "welcome": self._welcome,
            "command": self._command,
            "button": self._button,
            "share": self._share,
        }[inbound.kind]
        built = Built(self.describe(inbound))
        builder(inbound, built)
        # Stored before the answer goes out, so any click on it finds its question.
        if built.asked is not None and built.reply is not None and self.questions is not None:
            try:
                self.questions.add(built.asked)
            except Exception as error:  # the answer goes out all the same, its feedback unlinked
                # Only the error's type: a database's own message may quote the row.
                kind = type(error).__name__
                logger.error("the question could not be stored (%s): key=%s", kind, inbound.key)
        return built

    def for_slack(self, answer: Answer, question: str, *, share: bool = False) -> Answer:
        """``answer`` as Slack shows it: with a "Share in channel" button when ``share`` (an
        ephemeral answer), and the feedback buttons, both carrying the ``question`` key."""
        renderer = self.advisor.renderer
        extra: list[dict[str, Any]] = []
        if share:
            value = _with_question(answer.reading.to_value(), question)
            extra += renderer.render("share", value=value).blocks
        up, down = feedback_value(question, UP), feedback_value(question, DOWN)
        extra += renderer.render("feedback", up=up, down=down).blocks
        room = LIMITS["blocks"] - len(extra)
        blocks = [_choices_carrying(block, question) for block in answer.blocks[:room]]
        return replace(answer, blocks=(*blocks, *extra))

    @staticmethod
    def _asked(inbound: Inbound, where: str, text: str, answer: Answer, **extra: Any) -> Asked:
        return Asked(
            inbound.key,
            where,
            text,
            answer.reading,
            answer.text,
            inbound.received_at,
            team_of(inbound.body),
            **extra,
        )

    # -- channels and DMs ----------------------------------------------------------------------

    def _message(self, inbound: Inbound, built: Built) -> None:
        """A mention in a channel (answered in its thread) or a DM (answered in the DM)."""
        event = _mapping(inbound.body.get("event"))
        user = built.report["user"]
        channel, ts = _str(event.get("channel")), _str(event.get("ts"))
        if not channel or not ts or event.get("bot_id"):
            return
        thread_ts = _str(event.get("thread_ts")) or (None if is_direct_message(event) else ts)
        # Kept now, not once posted: a quick follow-up already reads it.
        text = str(event.get("text") or "")
        answer, resolves = self.conversations.ask(
            self.advisor, text, channel, thread_ts, user, asked=inbound.key
        )
        built.report["intent"] = answer.reading.intent
        where = DM if is_direct_message(event) else CHANNEL
        said = without_mention(text, inbound.body)
        # "AE", "the second one" after a clarifying question resolve it, as a click does
        built.asked = self._asked(inbound, where, said, answer, follows=resolves)
        message = _post(self.for_slack(answer, inbound.key), _Target(channel, thread_ts))
        built.reply = Reply(inbound.key, "chat.postMessage", message, built.report)

    # -- App Home and new members --------------------------------------------------------------

    def _home(self, inbound: Inbound, built: Built) -> None:
        """The App Home tab: what the bot knows, example questions, buttons that ask them."""
        event = _mapping(inbound.body.get("event"))
        user = built.report["user"]
        if event.get("tab") != "home" or not user:
            return
        view = {"type": "home", "blocks": list(self.advisor.home_blocks())}
        built.report["outcome"] = PUBLISHED
        request = {"user_id": user, "view": view}
        built.reply = Reply(inbound.key, "views.publish", request, built.report)

    def _welcome(self, inbound: Inbound, built: Built) -> None:
        """A welcome DM for a new member, when the welcome switch is on."""
        member = _mapping(_mapping(inbound.body.get("event")).get("user"))
        user = built.report["user"]
        if not self.welcome_dm or member.get("is_bot") or member.get("deleted") or not user:
            return
        answer = self.advisor.welcome()
        built.report["intent"] = answer.reading.intent
        request = _post(answer, _Target(user, None))
        built.reply = Reply(inbound.key, "chat.postMessage", request, built.report)

    # -- slash commands ------------------------------------------------------------------------

    def _command(self, inbound: Inbound, built: Built) -> None:
        """``/compare``, ``/role``, ``/roles``: an ephemeral answer with a share button."""
        body = inbound.body
        name = str(body.get("command") or "").lstrip("/")
        text = str(body.get("text") or "")
        answer = self.advisor.command(name, text)
        built.report["intent"] = answer.reading.intent
        url = _str(body.get("response_url"))
        if url is None:
            built.outcome = FAILED
            return
        built.asked = self._asked(inbound, COMMAND, f"/{name} {text}".strip(), answer)
        shown = self.for_slack(answer, inbound.key, share=answer.reading.intent != "help")
        built.reply = Reply(inbound.key, "response_url", _respond(url, shown), built.report)

    # -- buttons -------------------------------------------------------------------------------

    def _clicked(self, inbound: Inbound, built: Built) -> Answer | None:
        """The answer a button's value asks for; ``None`` (rejected) for a forged value."""
        reading = Reading.from_value(str(_action(inbound.body).get("value") or ""))
        if reading is None:
            built.outcome = REJECTED
            return None
        answer = self.advisor.answer(reading)
        built.report["intent"] = answer.reading.intent
        return answer

    def _button(self, inbound: Inbound, built: Built) -> None:
        """A suggestion, answered where the button was; or a clarifying question's choice,
        answered in place: the question is replaced by its answer."""
        answer = self._clicked(inbound, built)
        if answer is None:
            return
        body, user = inbound.body, built.report["user"]
        in_place = str(_action(body).get("action_id") or "").startswith(CHOICE)
        url = _str(body.get("response_url"))
        container = _mapping(body.get("container"))
        # A choice resolves the clarifying question it came with.
        follows = _question_in(str(_action(body).get("value") or "")) if in_place else None
        built.asked = self._asked(
            inbound, conversation_of(body), _label(body), answer, follows=follows
        )
        shareable = self.for_slack(answer, inbound.key, share=True)
        if container.get("is_ephemeral"):  # a slash command's answer: stays ephemeral
            if url:
                ephemeral = _respond(url, shareable, replace=in_place)
                built.reply = Reply(inbound.key, "response_url", ephemeral, built.report)
            return
        target = self._where(body, container, user)
        if target is None:
            return
        built.report["remember"] = {
            "thread_ts": target.thread_ts,
            "user": user,
            "reading": answer.reading.to_value(),
        }
        post = _post(self.for_slack(answer, inbound.key), target)
        asked = _str(container.get("message_ts")) or _str(_mapping(body.get("message")).get("ts"))
        if in_place and asked and container.get("type") == "message":
            update = {k: v for k, v in post.items() if k in _UPDATED} | {"ts": asked}
            built.reply = Reply(inbound.key, "chat.update", update, built.report, fallback=post)
            return
        built.reply = Reply(
            inbound.key,
            "chat.postMessage",
            post,
            built.report,
            # where the bot may not post (a private channel)
            fallback=_respond(url, shareable) if url else None,
        )

    @staticmethod
    def _where(body: Payload, container: Payload, user: str | None) -> _Target | None:
        """Where a click on a posted answer is answered: its thread, its DM, or the bot's DM."""
        if container.get("type") == "view":  # App Home: answered in the DM with the bot
            return _Target(user, None) if user else None
        message = _mapping(body.get("message"))
        channel = _str(container.get("channel_id")) or _str(_mapping(body.get("channel")).get("id"))
        if not channel:
            return None
        thread_ts = _str(message.get("thread_ts"))
        if not thread_ts and not channel.startswith("D"):
            thread_ts = _str(message.get("ts")) or _str(container.get("message_ts"))
        return _Target(channel, thread_ts)

    def _share(self, inbound: Inbound, built: Built) -> None:
        """Share in channel: the ephemeral answer posted for everyone, the ephemeral removed;
        its feedback counts for the question the ephemeral answer was for."""
        answer = self._clicked(inbound, built)
        url = _str(inbound.body.get("response_url"))
        if answer is None or url is None:
            return
        question = _question_in(str(_action(inbound.body).get("value") or ""))
        if question is not None:  # a share button from before feedback links nowhere
            answer = self.for_slack(answer, question)
        built.report["outcome"] = SHARED
        removal = {"url": url, "message": {"replace_original": False, "delete_original": True}}
        request = _respond(url, answer, response_type="in_channel")
        built.reply = Reply(inbound.key, "response_url", request, built.report, followup=removal)
