"""``serve --http --workers N``: N processes serving one port.

The parent binds the listening socket and starts N copies of ``python -m bot serve --http``,
each inheriting it (its file descriptor and a pipe to say it is ready are passed with the
hidden ``--worker-fds``). Every worker's waitress loop polls the one socket and whichever
worker accepts first takes the connection, so a busy worker leaves new connections to an idle
one. A worker is a fresh interpreter, not a fork of the parent: nothing the parent built
(threads, connections, Bolt's pools) is shared by accident, and each exits the ordinary way,
with its at-exit stop of delivery.

The first worker starts alone (it migrates the database, checks the token with Slack and loads
the knowledge): if it cannot start, its message is the only one and the parent exits with its
status. Then the others start. The parent forwards SIGTERM and SIGINT to them and exits once
they have; when a worker exits by itself, the parent stops the others and exits with that
worker's status, for the platform to restart the whole.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import FrameType

__all__ = ["WORKER_FDS", "Workers", "parse_fds", "ready"]

logger = logging.getLogger("bot.slack.workers")

# A worker told to stop exits 0, or dies of the signal if it came before its handler was set.
_STOPPED = {0, -signal.SIGTERM, -signal.SIGINT}
WORKER_FDS = "--worker-fds"  # LISTENING,READY: the inherited socket and the pipe's end


@dataclass
class _Worker:
    popen: subprocess.Popen[bytes]
    ready: int  # the read end of the worker's ready pipe


def parse_fds(value: str) -> tuple[int, int]:
    """``--worker-fds``'s value: the listening socket's descriptor and the ready pipe's."""
    listening, ready_fd = value.split(",")
    return int(listening), int(ready_fd)


def ready(fd: int) -> None:
    """In a worker: tell the parent it serves (one byte on the pipe, then closed)."""
    try:
        os.write(fd, b"1")
    except OSError:  # the parent is gone: serve anyway, SIGTERM will come
        pass
    finally:
        os.close(fd)


class Workers:
    """Runs ``count`` copies of ``command`` on ``sock`` until told to stop."""

    def __init__(
        self, command: Sequence[str], count: int, sock: socket.socket, env: Mapping[str, str]
    ) -> None:
        self.command = list(command)
        self.count = count
        self.sock = sock
        self.env = dict(env)
        self._workers: dict[int, _Worker] = {}
        self._stopping = False
        self._serving = False  # every worker started
        self._status = 0

    def run(self) -> int:
        """Start the workers and wait for them; returns the exit status."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)
        try:
            if self._start(1) and self._start(self.count - 1):
                self._serving = True
                logger.info("%d workers serving (pids %s)", self.count, sorted(self._workers))
            self.sock.close()  # the workers hold it; it closes with the last of them
            self._wait_all()
        finally:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, signal.SIG_DFL)
        return self._status

    def _start(self, count: int) -> bool:
        """Start ``count`` workers and wait until each serves; False if one exited first."""
        started = [self._spawn() for _ in range(count) if not self._stopping]
        for worker in started:
            if os.read(worker.ready, 1) != b"1":  # the pipe closed: the worker exited
                self._reap(worker.popen.wait())
            os.close(worker.ready)
        return not self._stopping

    def _spawn(self) -> _Worker:
        read_end, write_end = os.pipe()
        fds = f"{self.sock.fileno()},{write_end}"
        try:
            popen = subprocess.Popen(
                [*self.command, WORKER_FDS, fds],
                pass_fds=(self.sock.fileno(), write_end),
                env=self.env,
            )
        finally:
            os.close(write_end)
        worker = _Worker(popen, read_end)
        self._workers[popen.pid] = worker
        if self._stopping:  # a signal came while it was being started
            popen.send_signal(signal.SIGTERM)
        return worker

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        logger.info("stopping %d workers", len(self._workers))
        self._stop_all()

    def _stop_all(self) -> None:
        self._stopping = True
        for worker in self._workers.values():
            if worker.popen.returncode is None:
                worker.popen.send_signal(signal.SIGTERM)

    def _wait_all(self) -> None:
        while any(w.popen.returncode is None for w in self._workers.values()):
            pid, status = os.waitpid(-1, 0)
            worker = self._workers.get(pid)
            if worker is None:
                continue
            worker.popen.returncode = os.waitstatus_to_exitcode(status)
            self._reap(worker.popen.returncode)

    def _reap(self, code: int) -> None:
        """A worker exited with ``code``: the first to exit unasked sets the status (one that
        could not start has said why; a worker that stops later is logged here)."""
        if not self._stopping:
            if self._serving:
                logger.error("a worker exited (status %d): stopping the others", code)
            self._status = code if code > 0 else 1
            self._stop_all()
        elif code not in _STOPPED and self._status == 0:
            self._status = code if code > 0 else 1
