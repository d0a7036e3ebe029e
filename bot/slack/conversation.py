"""Conversation state in Slack: which conversation a message belongs to, and its turns.

A follow-up ("what about AMs?") is read with what came before in its conversation
(``bot.conversation``); this module names conversations (a DM is one per person, a channel
thread one per person in it) and keeps them in a ``ConversationContexts`` store, in memory by
default, until they have been idle for the configured time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bot.answer import Advisor, Answer
from bot.conversation import DEFAULT_IDLE, Conversation, converse, follow
from bot.conversation import Conversations as MemoryConversations
from bot.slack.store import ConversationContexts, ConversationKey
from bot.understanding.reading import Reading

__all__ = ["Conversations", "conversation_key", "is_direct_message"]

# Answers that leave a clarifying question open: another one, a decline, help, thanks.
_OPEN = frozenset({"clarify", "unknown", "help", "thanks"})


def is_direct_message(event: Mapping[str, Any]) -> bool:
    """A message in a DM with the bot (``channel_type`` im, or a ``D`` channel id)."""
    return event.get("channel_type") == "im" or str(event.get("channel") or "").startswith("D")


def conversation_key(channel: str, thread_ts: str | None, user: str | None) -> ConversationKey:
    """A DM is one conversation per user; in a channel, each thread with each user is one."""
    return (channel, None if channel.startswith("D") else thread_ts, user)


class Conversations:
    """Each conversation's turns, in ``store`` (memory, by default, idle after ``idle`` s)."""

    def __init__(
        self, store: ConversationContexts | None = None, *, idle: float = DEFAULT_IDLE
    ) -> None:
        self.store: ConversationContexts = store or MemoryConversations(idle=idle)

    def ask(
        self,
        advisor: Advisor,
        text: str,
        channel: str,
        thread_ts: str | None,
        user: str | None,
        *,
        asked: str | None = None,
    ) -> tuple[Answer, str | None]:
        """Answer ``text`` as the next message of its conversation, and keep the conversation.

        ``asked`` names the message (its request's key); returned with the answer is the name of
        the clarifying question this message answered ("AE", "the second one"), if it did.
        """
        key = conversation_key(channel, thread_ts, user)
        before = self.store.get(key)
        answer, conversation = converse(advisor, text, before)
        if conversation is not before and conversation.turns:  # this message added a turn
            turns = conversation.turns
            conversation = Conversation((*turns[:-1], replace(turns[-1], key=asked)))
        self.store.put(key, conversation)
        last = before.last
        settled = answer.reading.intent not in _OPEN
        resolves = last.key if last and last.reading.intent == "clarify" and settled else None
        return answer, resolves

    def clicked(
        self,
        advisor: Advisor,
        reading: Reading,
        channel: str,
        thread_ts: str | None,
        user: str | None,
    ) -> None:
        """A button's answer was posted in a conversation: it is the context of what comes next."""
        key = conversation_key(channel, thread_ts, user)
        self.store.put(key, follow(advisor, advisor.answer(reading), self.store.get(key)))

    def recall(self, channel: str, thread_ts: str | None, user: str | None) -> Conversation:
        return self.store.get(conversation_key(channel, thread_ts, user))
