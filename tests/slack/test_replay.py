"""Seen signatures (bot/slack/replay.py): a replay within the window is refused, memory bounded."""

from __future__ import annotations

from bot.slack.replay import REPLAY_WINDOW, InProcessSeenSignatures, SeenSignatures


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

def test_a_signature_is_new_once_within_the_window_then_forgotten():
    clock = Clock()
    seen: SeenSignatures = InProcessSeenSignatures(clock=clock)
    assert seen.first_time("v0=aa")
    assert not seen.first_time("v0=aa")
    assert seen.first_time("v0=bb")
    clock.now += REPLAY_WINDOW - 1
    assert not seen.first_time("v0=aa")
    clock.now += 2
    assert seen.first_time("v0=aa")

def test_at_most_max_items_are_kept_oldest_first_out():
    seen = InProcessSeenSignatures(max_items=3, clock=Clock())
    for name in "abcd":
        assert seen.first_time(name)
    assert seen.first_time("a")  # evicted by "d"
    assert not seen.first_time("d")
