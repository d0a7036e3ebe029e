"""The stores several processes share, in Redis (``REDIS_URL``): each conversation's turns and
the replay guard's signatures. An event and its retry landing on two processes are answered
once (the seen events are in the database), a follow-up landing on another process keeps its
context, and a replayed request landing on another process is still refused.

Both use atomic Redis commands with an expiry: ``SET ... EX`` for a conversation (its idle
time starts again at each message), ``SET ... NX EX`` for a signature (the first process to
set it handles the request).
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from redis import Redis

from bot.conversation import DEFAULT_IDLE, Conversation, Turn
from bot.slack.replay import REPLAY_WINDOW
from bot.slack.store import ConversationKey
from bot.understanding.reading import Reading

__all__ = ["RedisConversations", "RedisSeenSignatures"]

_PREFIX = "role_advisor"


def _dump(conversation: Conversation) -> str:
    return json.dumps(
        [
            {
                "reading": t.reading.to_value(),
                "question": t.reading.question,
                "pointed": list(t.pointed),
                "more": t.more.to_value() if t.more else None,
                "choices": [c.to_value() for c in t.choices],
                "key": t.key,
            }
            for t in conversation.turns
        ],
        separators=(",", ":"),
    )


def _load(data: Any) -> Conversation:
    """A stored conversation; anything unreadable is a new one (never an error)."""
    try:
        items = json.loads(data)
    except (TypeError, ValueError):
        return Conversation()
    turns = []
    for item in items if isinstance(items, list) else []:
        reading = Reading.from_value(str(item.get("reading"))) if isinstance(item, dict) else None
        if reading is None:
            continue
        more = Reading.from_value(str(item["more"])) if item.get("more") else None
        question = item.get("question")
        if isinstance(question, str):
            reading = replace(reading, question=question)
        pointed = tuple(str(r) for r in item.get("pointed") or ())
        choices = (Reading.from_value(str(c)) for c in item.get("choices") or ())
        key = item.get("key") if isinstance(item.get("key"), str) else None
        turns.append(Turn(reading, pointed, more, tuple(c for c in choices if c is not None), key))
    return Conversation(tuple(turns))


class RedisConversations:
    """Each conversation's turns in Redis, expiring ``idle`` seconds after its last message."""

    def __init__(self, client: Redis, *, idle: float = DEFAULT_IDLE) -> None:
        self.client = client
        self.idle = max(1, round(idle))

    @staticmethod
    def _key(key: ConversationKey) -> str:
        return f"{_PREFIX}:conversation:" + json.dumps(list(key), separators=(",", ":"))

    def get(self, key: ConversationKey, /) -> Conversation:
        data = self.client.get(self._key(key))
        return Conversation() if data is None else _load(data)

    def put(self, key: ConversationKey, value: Conversation, /) -> None:
        self.client.set(self._key(key), _dump(value), ex=self.idle)


class RedisSeenSignatures:
    """Signatures seen by any process, kept for the replay window."""

    def __init__(self, client: Redis, *, window: float = REPLAY_WINDOW) -> None:
        self.client = client
        self.window = max(1, round(window))

    def first_time(self, signature: str) -> bool:
        key = f"{_PREFIX}:signature:{signature}"
        return bool(self.client.set(key, b"1", nx=True, ex=self.window))
