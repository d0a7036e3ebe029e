"""Conversation state: which conversation a message belongs to, and its last reading.

A follow-up ("what about AMs?") is read with the previous reading of its conversation; this
module names conversations and keeps their readings in a ``ConversationContexts`` store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.slack.store import ConversationContexts, ConversationKey, TTLStore
from bot.understanding.reading import Reading

__all__ = ["CONTEXT_TTL", "Conversations", "conversation_key", "is_direct_message"]

CONTEXT_TTL = 2 * 3600.0
# Readings that do not become the context of a follow-up (as in the CLI's chat).
_NO_CONTEXT = frozenset({"unknown", "help"})


def is_direct_message(event: Mapping[str, Any]) -> bool:
    """A message in a DM with the bot (``channel_type`` im, or a ``D`` channel id)."""
    return event.get("channel_type") == "im" or str(event.get("channel") or "").startswith("D")


def conversation_key(channel: str, thread_ts: str | None, user: str | None) -> ConversationKey:
    """A DM is one conversation per user; in a channel, each thread with each user is one."""
    return (channel, None if channel.startswith("D") else thread_ts, user)


class Conversations:
    """The last reading of each conversation, in ``store`` (memory, by default)."""

    def __init__(self, store: ConversationContexts | None = None) -> None:
        self.store: ConversationContexts = store or TTLStore(ttl=CONTEXT_TTL, max_items=20_000)

    def recall(self, channel: str, thread_ts: str | None, user: str | None) -> Reading | None:
        return self.store.get(conversation_key(channel, thread_ts, user))

    def remember(
        self, channel: str, thread_ts: str | None, user: str | None, reading: Reading
    ) -> None:
        if reading.intent not in _NO_CONTEXT:
            self.store.put(conversation_key(channel, thread_ts, user), reading)
