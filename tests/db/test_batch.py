"""Group commit (bot/db/batch.py): rows added while a write runs go together in the next one."""

from __future__ import annotations

import threading
import time

import pytest

from bot.db.batch import GroupCommit, WriteFailed

THREADS = 6


def _until(check, timeout=5.0):
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not check():
        assert time.monotonic() < deadline, "timed out"
        pause.wait(0.005)


def test_rows_arriving_during_a_write_are_written_together_in_the_next():
    first_write_started, release_first = threading.Event(), threading.Event()
    writes: list[list[int]] = []

    def write(rows):
        writes.append(list(rows))
        if len(writes) == 1:  # hold the first write until the others are waiting
            first_write_started.set()
            assert release_first.wait(5)

    group = GroupCommit(write)
    leader = threading.Thread(target=group.add, args=(0,))
    leader.start()
    assert first_write_started.wait(5)
    others = [threading.Thread(target=group.add, args=(n,)) for n in range(1, THREADS)]
    for thread in others:
        thread.start()
    _until(lambda: len(group._waiting) == THREADS - 1)  # all queued behind the first write
    release_first.set()
    for thread in [leader, *others]:
        thread.join(5)
    assert writes[0] == [0]
    assert sorted(writes[1]) == list(range(1, THREADS))  # one write for all five
    assert len(writes) == 2


def test_a_row_alone_is_written_at_once():
    writes = []
    group = GroupCommit(writes.append)
    group.add("a")
    group.add("b")
    assert writes == [["a"], ["b"]]


def test_a_failed_write_fails_every_row_it_carried_and_the_next_write_goes_on():
    calls = []

    def write(rows):
        calls.append(list(rows))
        if "bad" in rows:
            raise RuntimeError("the database is away")

    group = GroupCommit(write)
    with pytest.raises(WriteFailed) as failed:
        group.add("bad")
    assert isinstance(failed.value.__cause__, RuntimeError)
    group.add("good")  # not poisoned by the failure
    assert calls == [["bad"], ["good"]]
