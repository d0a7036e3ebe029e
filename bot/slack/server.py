"""The HTTP server: waitress, its settings, and a deadline for receiving each request.

Why waitress: its one I/O thread reads every connection without blocking and hands a request
to a worker thread only once it has arrived whole, so a client that trickles its body holds a
socket, never a thread. It answers 413 to a body over the limit from the Content-Length header
alone (and stops a chunked body at the limit), and spools bodies over 512 KiB to a temporary
file. It is pure Python and needs no monkey-patching, so Bolt's listener threads stay threads.

waitress closes a connection that has been *idle* for ``channel_timeout``; a client sending a
byte a second is never idle, so :class:`Server` also closes a connection whose current request
has been arriving for longer than the read timeout.

Only ``python -m bot serve --http`` (the Procfile's ``web:``) imports this module.
"""

from __future__ import annotations

import logging
import signal
import socket
from collections.abc import Callable, Mapping
from types import FrameType
from typing import Any, cast

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer

from bot.slack import http_metrics
from bot.slack.settings import HttpLimits

__all__ = ["Server", "bind", "create_server", "options", "run"]

logger = logging.getLogger("bot.slack.server")

# Worker threads run the WSGI app: the gate, then the inbox's write or Bolt. Answers are built
# in the answer process, so a few suffice.
THREADS = 8
# Open connections at most; more wait in the listen backlog until one closes.
CONNECTION_LIMIT = 256
BACKLOG = 1024  # connections the kernel holds for accepting (waitress's default)
IDLE_TIMEOUT = 30  # seconds a kept-alive connection may sit idle
CHECK_INTERVAL = 1  # seconds between looks for idle and slow connections


def options(sock: socket.socket, limits: HttpLimits) -> dict[str, Any]:
    """waitress's adjustments for this app, serving on ``sock``."""
    return {
        "sockets": [sock],
        "backlog": BACKLOG,
        "threads": THREADS,
        "connection_limit": CONNECTION_LIMIT,
        "channel_timeout": IDLE_TIMEOUT,
        "cleanup_interval": CHECK_INTERVAL,
        # waitress refuses a body whose length is >= this; the app's limit is inclusive.
        "max_request_body_size": limits.max_body_bytes + 1,
        "asyncore_use_poll": True,  # select() stops at 1024 file descriptors
        "ident": "role-advisor",
        "expose_tracebacks": False,
    }


class Server(TcpWSGIServer):
    """waitress's TCP server, which also closes requests still arriving after ``read_timeout``."""

    read_timeout: float = HttpLimits().read_timeout

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._arriving: dict[HTTPChannel, tuple[HTTPRequestParser, float]] = {}
        super().__init__(*args, **kwargs)

    def maintenance(self, now: float) -> None:
        """waitress's check for idle connections, then the read deadline."""
        super().maintenance(now)  # type: ignore[arg-type]  # the stubs say int; it is time.time()
        arriving: dict[HTTPChannel, tuple[HTTPRequestParser, float]] = {}
        cut = 0
        channels = cast(Mapping[int, HTTPChannel], self.active_channels)
        for channel in channels.values():
            request = channel.request  # the request being received, if any
            if request is None or channel.will_close:
                continue
            seen, since = self._arriving.get(channel, (request, now))
            if seen is not request:
                since = now
            if now - since >= self.read_timeout:
                channel.will_close = True  # waitress closes it on its next turn
                cut += 1
            else:
                arriving[channel] = (request, since)
        if cut:
            http_metrics.SLOW_REQUESTS_CLOSED.inc(cut)
            logger.info("closed %d request(s) still arriving after %.0f s", cut, self.read_timeout)
        self._arriving = arriving


def bind(host: str, port: int, *, share: bool = False) -> socket.socket:
    """A socket bound to ``host:port`` (``SO_REUSEADDR``, as waitress binds its own) that the
    server starts listening on once the app is ready: until then a connection is refused, not
    left waiting. With ``share``, other sockets bound with it to the same port (``SO_REUSEPORT``)
    each get a share of the connections, spread by the kernel."""
    family, _, _, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if share:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
    except BaseException:
        sock.close()
        raise
    return sock


def create_server(app: Any, *, sock: socket.socket, limits: HttpLimits) -> Server:
    """A server for ``app`` listening on ``sock`` (call ``run()`` to serve, ``close()`` to
    stop): bound by ``bind``, here or in the parent of ``serve --workers``."""
    server = Server(
        app,
        _sock=sock,  # what waitress's own create_server passes for each of its ``sockets``
        bind_socket=False,
        sockinfo=(sock.family, sock.type, sock.proto, sock.getsockname()),
        adj=Adjustments(**options(sock, limits)),
    )
    server.read_timeout = limits.read_timeout
    queue = server.task_dispatcher.queue
    http_metrics.watch_queue(lambda: len(queue))
    return server


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)  # waitress's run() catches it and stops its threads


def run(
    app: Any,
    *,
    sock: socket.socket,
    limits: HttpLimits,
    ready: Callable[[], None] = lambda: None,
) -> int:
    """Serve ``app`` on ``sock`` until SIGTERM or Ctrl-C; returns the exit status. ``ready``
    is called once the server is about to take connections."""
    server = create_server(app, sock=sock, limits=limits)
    # waitress warns once per request queued while every worker is busy: a gauge says it instead.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    signal.signal(signal.SIGTERM, _stop)
    logger.info("serving on http://%s:%s", *server.getsockname()[:2])
    ready()
    try:
        server.run()
    finally:
        server.close()
    return 0
