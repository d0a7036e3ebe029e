"""Group commit: rows that threads write at the same moment go to the database together.

``GroupCommit.add`` is called by many threads at once (the web server's, one per request). The
first to take the turn writes every row waiting, its own and the others', in one call to
``write`` (one transaction); the others, when their turn comes, find their row written and
return. Under load a transaction carries several rows, so each costs a fraction of one, and a
thread holding the turn no longer has seven others lined up behind it each for a transaction of
its own. A failed write fails every row it carried: each of their callers gets the error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["GroupCommit", "WriteFailed"]

T = TypeVar("T")


class WriteFailed(Exception):
    """The write that carried this row failed (the cause is chained)."""


@dataclass(eq=False, slots=True)
class _Waiting(Generic[T]):
    row: T
    written: bool = False
    error: BaseException | None = None


class GroupCommit(Generic[T]):
    """Writes rows with ``write(rows)``, as many together as arrive while one write runs."""

    def __init__(self, write: Callable[[Sequence[T]], None]) -> None:
        self._write = write
        self._waiting: list[_Waiting[T]] = []
        self._lock = threading.Lock()  # guards ``_waiting``
        self._turn = threading.Lock()  # one write at a time

    def add(self, row: T) -> None:
        """Write ``row`` (with whatever else is waiting); raises ``WriteFailed`` if it failed."""
        waiting = _Waiting(row)
        with self._lock:
            self._waiting.append(waiting)
        with self._turn:
            if not waiting.written:
                with self._lock:
                    batch, self._waiting = self._waiting, []
                error: BaseException | None = None
                try:
                    self._write([each.row for each in batch])
                except Exception as failure:
                    error = failure
                for each in batch:
                    each.written, each.error = True, error
        if waiting.error is not None:
            raise WriteFailed("the write carrying this row failed") from waiting.error
