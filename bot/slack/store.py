"""The stores the Slack app keeps, as protocols, and a bounded in-memory store with a TTL.

``SeenEvents`` is what the app has taken on (so a redelivered event, a replayed request or the
``message`` twin of a mention is answered once): ``bot.slack.ledger.Ledger`` keeps it in the
database. ``ConversationContexts`` is each conversation's turns (for follow-ups):
``bot.conversation.Conversations`` keeps them in one process's memory. ``TTLStore`` keeps the
replay guard's signatures. Another implementation (Redis, for example) only has to provide the
protocol's methods.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from bot.conversation import Conversation
    from bot.slack.inbound import Inbound

__all__ = ["ConversationContexts", "ConversationKey", "SeenEvents", "TTLStore"]

# (channel, thread_ts, user): see ``bot.slack.conversation.conversation_key``.
ConversationKey = tuple[str, str | None, str | None]


class SeenEvents(Protocol):
    """The requests the app has taken on, each recorded once by its key."""

    def accept(self, inbound: Inbound) -> bool:
        """Record ``inbound``; ``False`` when its key was already recorded (a redelivery)."""
        ...

    def ignore(self, key: str) -> None:
        """Mark a recorded request as needing no reply."""
        ...

    def unanswered(self, before: float) -> list[Inbound]:
        """Requests recorded before ``before`` that have neither a reply nor been ignored."""
        ...


class ConversationContexts(Protocol):
    """Each conversation's turns, for reading its follow-ups; an unknown or idle key gives a
    new conversation."""

    def get(self, key: ConversationKey, /) -> Conversation: ...

    def put(self, key: ConversationKey, value: Conversation, /) -> None: ...


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TTLStore(Generic[K, V]):
    """A mapping whose entries expire ``ttl`` seconds after they were written.

    At most ``max_items`` entries are kept: writing one more evicts the oldest. Every method takes
    one lock, so threads can share it.
    """

    def __init__(
        self,
        *,
        ttl: float,
        max_items: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl <= 0 or max_items <= 0:
            raise ValueError("ttl and max_items must be positive")
        self.ttl = ttl
        self.max_items = max_items
        self._clock = clock
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        while self._items:
            key, (expires, _) = next(iter(self._items.items()))
            if expires > now:
                return
            del self._items[key]

    def _set(self, key: K, value: V, now: float) -> None:
        self._items.pop(key, None)
        self._items[key] = (now + self.ttl, value)
        while len(self._items) > self.max_items:
            self._items.popitem(last=False)

    def get(self, key: K, default: V | None = None) -> V | None:
        with self._lock:
            self._expire(self._clock())
            entry = self._items.get(key)
            return default if entry is None else entry[1]

    def put(self, key: K, value: V) -> None:
        with self._lock:
            now = self._clock()
            self._expire(now)
            self._set(key, value, now)

    def claim(self, key: K, value: V) -> bool:
        """Store ``key`` unless it is already there; ``True`` for the one caller that stored it
        (the replay guard's signatures)."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            if key in self._items:
                return False
            self._set(key, value, now)
            return True

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._items)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            self._expire(self._clock())
            return key in self._items
