"""The answer process: where ``serve --http`` builds and sends its answers.

The web process only acknowledges: it writes each request to the inbox and answers Slack.
Building an answer (understanding, look-up, templates) costs several times an acknowledgement
in CPU, and in one process it would hold the GIL the acknowledgements wait for, so the web
process starts a second one, ``python -m bot serve --answers``, which dispatches the inbox to
the listeners, keeps the conversations (their in-memory context lives there only), watches the
knowledge for edits (and tells the admins of a refused one) and runs the delivery worker.

The web process holds the child's stdin: one byte after each write to the inbox wakes the
child's dispatcher (which also looks every second on its own), and end-of-file (the web process
stopped or died) stops the child gracefully, as SIGTERM does. A child that exits while the web
process runs is started again, after a second, then after waits doubling up to half a minute
while it keeps dying. SIGTERM to the web process stops both: it stops accepting, then gives the
child ``ROLE_ADVISOR_SHUTDOWN_GRACE`` seconds (and a margin) to finish what it sends and leave
the rest in the database for the next start.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from types import FrameType

from bot.slack.app import SlackRuntime

__all__ = ["AnswerProcess", "serve_answers"]

logger = logging.getLogger("bot.slack.answer_process")

FIRST_RESTART_WAIT = 1.0
MAX_RESTART_WAIT = 30.0
HEALTHY_AFTER = 60.0  # seconds alive after which a death is not counted as a crash loop
STOP_MARGIN = 5.0  # seconds past the child's own grace before it is killed


class AnswerProcess:
    """The web process's answer process: started, woken, started again if it dies, stopped."""

    def __init__(self, command: Sequence[str], *, grace: float) -> None:
        self.command = list(command)
        self.grace = grace
        self._lock = threading.Lock()  # the child and its stdin change on a restart
        self._child: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        with self._lock:
            return None if self._child is None else self._child.pid

    def start(self) -> None:
        self._spawn()
        self._supervisor = threading.Thread(
            target=self._supervise, name="answer-process", daemon=True
        )
        self._supervisor.start()

    def _spawn(self) -> None:
        child = subprocess.Popen(self.command, stdin=subprocess.PIPE, bufsize=0)
        assert child.stdin is not None
        os.set_blocking(child.stdin.fileno(), False)
        with self._lock:
            self._child = child
        logger.info("answer process started (pid %d)", child.pid)

    def wake(self) -> None:
        """Tell the child the inbox has something (never blocks: it also looks by itself)."""
        with self._lock:  # a closed stdin's descriptor may be reused at once: write under lock
            child = self._child
            if child is None or child.stdin is None or child.stdin.closed:
                return
            with contextlib.suppress(BlockingIOError, BrokenPipeError):  # full, or gone
                child.stdin.write(b".")

    def _supervise(self) -> None:
        wait = FIRST_RESTART_WAIT
        while True:
            with self._lock:
                child = self._child
            assert child is not None
            started = time.monotonic()
            status = child.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= HEALTHY_AFTER:
                wait = FIRST_RESTART_WAIT
            logger.error(
                "the answer process exited (status %s); starting another in %.0f s", status, wait
            )
            with self._lock:
                if child.stdin is not None:
                    child.stdin.close()
            if self._stopping.wait(wait):
                return
            self._spawn()
            wait = min(wait * 2, MAX_RESTART_WAIT)

    def stop(self) -> int | None:
        """Stop the child: end-of-file, then its grace (and a margin) to finish; killed past
        that. Returns its exit status."""
        self._stopping.set()
        with self._lock:
            child = self._child
            if child is None:
                return None
            if child.stdin is not None:
                child.stdin.close()
        try:
            status = child.wait(self.grace + STOP_MARGIN)
        except subprocess.TimeoutExpired:
            logger.error("the answer process did not stop in time: killed")
            child.kill()
            status = child.wait()
        if self._supervisor is not None:
            self._supervisor.join(1.0)
        return status


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def serve_answers(runtime: SlackRuntime, doorbell: int) -> int:
    """The child's side: answer until SIGTERM or end-of-file on ``doorbell`` (its stdin)."""
    signal.signal(signal.SIGTERM, _stop)
    runtime.start()
    logger.info("answering (pid %d)", os.getpid())
    try:
        while os.read(doorbell, 4096):
            runtime.dispatcher.wake()
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # stopping already: let it finish
        runtime.stop()
    return 0
