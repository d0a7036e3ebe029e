"""Stores (bot/slack/store.py): bounded, expiring, and one claim wins across threads."""

from __future__ import annotations

import threading

import pytest

from bot.slack.store import TTLStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_claim_succeeds_once_until_the_entry_expires():
    clock = Clock()
    store = TTLStore(ttl=60, max_items=10, clock=clock)
    assert store.claim("Ev1", 1)
    assert not store.claim("Ev1", 2)
    clock.now += 59
    assert "Ev1" in store
    clock.now += 2
    assert "Ev1" not in store
    assert store.claim("Ev1", 3)


def test_oldest_entries_are_evicted_past_the_bound():
    store = TTLStore(ttl=60, max_items=3)
    for n in range(5):
        store.put(n, str(n))
    assert len(store) == 3
    assert store.get(0) is None
    assert store.get(4) == "4"


def test_put_refreshes_and_discard_releases():
    clock = Clock()
    store = TTLStore(ttl=10, max_items=10, clock=clock)
    store.put("k", "a")
    clock.now += 8
    store.put("k", "b")
    clock.now += 8
    assert store.get("k") == "b"
    store.discard("k")
    assert store.claim("k", "c")


def test_only_one_of_many_threads_claims_a_key():
    store = TTLStore(ttl=60, max_items=100)
    start = threading.Barrier(16)
    wins = []

    def claim() -> None:
        start.wait()
        if store.claim("same event", threading.get_ident()):
            wins.append(1)

    threads = [threading.Thread(target=claim) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wins == [1]


def test_limits_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        TTLStore(ttl=0, max_items=1)
