"""Signatures already seen: a replayed Slack request is acknowledged once and handled once.

Slack signs ``v0:<timestamp>:<body>`` and the app refuses timestamps more than five minutes
off, so a signature can only be replayed within ten minutes of its first arrival (five if it
came in on time). Keeping each one that long is enough. ``SeenSignatures`` is the interface; the
in-process store suits the single process the app runs today (see README), and a shared one
(Redis ``SET NX EX``) can take its place for several.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from bot.slack.store import TTLStore

__all__ = ["REPLAY_WINDOW", "InProcessSeenSignatures", "SeenSignatures"]

REPLAY_WINDOW = 2 * 5 * 60.0  # seconds: the five minutes either side of a valid timestamp


class SeenSignatures(Protocol):
    def first_time(self, signature: str) -> bool:
        """Record ``signature``; ``False`` if it was already recorded within the window."""
        ...


class InProcessSeenSignatures:
    """A bounded, thread-safe in-memory ``SeenSignatures``: the oldest go first when full."""

    def __init__(
        self, *, max_items: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._seen: TTLStore[str, bool] = TTLStore(
            ttl=REPLAY_WINDOW, max_items=max_items, clock=clock
        )

    def first_time(self, signature: str) -> bool:
        return self._seen.claim(signature, True)
