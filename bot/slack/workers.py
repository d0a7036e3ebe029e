"""``serve --http --workers N``: N processes serving one port.

The parent binds N sockets to the port, each with ``SO_REUSEPORT``, and starts N copies of
``python -m bot serve --http``, giving each one of them (its file descriptor, and one end of a
socket pair linking it to the parent, are passed with the hidden ``--worker-fds``). A worker's
socket starts listening when its app is ready, and from then on the kernel spreads new
connections over the listening sockets by a hash of their addresses, so a burst is spread too.
(With one socket shared by all, every worker's poll wakes for each connection and the first to
run accepts all that wait: in bench/scale.py a retry sent right after its original landed on
the other worker 2 or 3 times in 40, against about half the time here; see README.) A worker is
a fresh interpreter, not a fork of the parent: nothing the parent built (threads, connections,
Bolt's pools) is shared by accident, and each exits the ordinary way, with its at-exit stop of
delivery.

The first worker starts alone (it migrates the database, checks the token with Slack and loads
the knowledge): if it cannot start, its message is the only one and the parent exits with its
status. Then the others start. The parent forwards SIGTERM and SIGINT to them and exits once
they have; when a worker exits by itself, the parent stops the others and exits with that
worker's status, for the platform to restart the whole. Each worker says on its link that it
serves, then watches it: when the parent is gone, however it went (SIGKILL included), the link
closes and the worker stops as on SIGTERM, rather than serving on without the parent's lock.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import FrameType

__all__ = ["WORKER_FDS", "Workers", "parse_fds", "serving"]

logger = logging.getLogger("bot.slack.workers")

# A worker told to stop exits 0, or dies of the signal if it came before its handler was set.
_STOPPED = {0, -signal.SIGTERM, -signal.SIGINT}
WORKER_FDS = "--worker-fds"  # SOCKET,LINK: the inherited socket and the worker's end of the link


@dataclass
class _Worker:
    popen: subprocess.Popen[bytes]
    link: socket.socket  # the parent's end, open while the worker runs


def parse_fds(value: str) -> tuple[int, int]:
    """``--worker-fds``'s value: the socket's descriptor and the link's."""
    sock, link = value.split(",")
    return int(sock), int(link)


def serving(fd: int) -> None:
    """In a worker: tell the parent it serves, and stop (SIGTERM to itself) once the parent is
    gone."""
    link = socket.socket(fileno=fd)

    def watch() -> None:
        try:
            link.sendall(b"1")
            link.recv(1)  # nothing more comes: this returns when the parent's end closes
        except OSError:
            pass
        logger.warning("the parent process is gone: stopping")
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-link", daemon=True).start()


class Workers:
    """Runs a copy of ``command`` on each of ``sockets`` until told to stop."""

    def __init__(
        self, command: Sequence[str], sockets: Sequence[socket.socket], env: Mapping[str, str]
    ) -> None:
        self.command = list(command)
        self.sockets = list(sockets)
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
            if self._start(self.sockets[:1]) and self._start(self.sockets[1:]):
                self._serving = True
                count = len(self.sockets)
                logger.info("%d workers serving (pids %s)", count, sorted(self._workers))
            for sock in self.sockets:  # each worker holds its own; it closes with the worker
                sock.close()
            self._wait_all()
        finally:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, signal.SIG_DFL)
        return self._status

    def _start(self, sockets: Sequence[socket.socket]) -> bool:
        """Start a worker on each of ``sockets`` and wait until each serves; False if one
        exited first."""
        started = [self._spawn(sock) for sock in sockets if not self._stopping]
        for worker in started:
            if worker.link.recv(1) != b"1":  # the link closed: the worker exited
                self._reap(worker, worker.popen.wait())
        return not self._stopping

    def _spawn(self, sock: socket.socket) -> _Worker:
        ours, theirs = socket.socketpair()
        with theirs:
            popen = subprocess.Popen(
                [*self.command, WORKER_FDS, f"{sock.fileno()},{theirs.fileno()}"],
                pass_fds=(sock.fileno(), theirs.fileno()),
                env=self.env,
            )
        worker = _Worker(popen, ours)
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
            self._reap(worker, worker.popen.returncode)

    def _reap(self, worker: _Worker, code: int) -> None:
        """``worker`` exited with ``code``: the first to exit unasked sets the status (one that
        could not start has said why; a worker that stops later is logged here)."""
        worker.link.close()
        if not self._stopping:
            if self._serving:
                logger.error("a worker exited (status %d): stopping the others", code)
            self._status = code if code > 0 else 1
            self._stop_all()
        elif code not in _STOPPED and self._status == 0:
            self._status = code if code > 0 else 1
