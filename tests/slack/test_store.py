"""Stores (bot/slack/store.py): bounded, expiring, safe across threads."""

from __future__ import annotations

import threading

import pytest

from bot.slack.store import TTLStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_entry_lives_until_its_ttl_runs_out():
    clock = Clock()
    store = TTLStore(ttl=60, max_items=10, clock=clock)
    store.put("C1", 1)
    clock.now += 59
    assert "C1" in store
    assert store.get("C1") == 1
    clock.now += 2
    assert "C1" not in store
    assert store.get("C1") is None
    assert store.get("C1", 7) == 7


def test_oldest_entries_are_evicted_past_the_bound():
    store = TTLStore(ttl=60, max_items=3)
    for n in range(5):
        store.put(n, str(n))
    assert len(store) == 3
    assert store.get(0) is None
    assert store.get(4) == "4"


def test_put_refreshes_an_entry():
    clock = Clock()
    store = TTLStore(ttl=10, max_items=10, clock=clock)
    store.put("k", "a")
    clock.now += 8
    store.put("k", "b")
    clock.now += 8
    assert store.get("k") == "b"


def test_many_threads_writing_keep_the_bound():
    store = TTLStore(ttl=60, max_items=50)
    start = threading.Barrier(16)

    def write(n: int) -> None:
        start.wait()
        for i in range(200):
            store.put((n, i), i)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store) == 50


def test_limits_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        TTLStore(ttl=0, max_items=1)
