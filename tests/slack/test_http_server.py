"""The production web process (the Procfile's ``web:``) against oversized bodies and slow clients.

One process serves the whole module, started as the platform would, with a read timeout of
2 seconds; the sockets below talk raw HTTP to it on loopback. Each test is bounded in time.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
import urllib.request

import pytest
from fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, SlackSender, event_envelope, mention
from processes import clean_env, free_port, post, run, stop, wait_healthy, web_command

from bot.slack.server import THREADS
from bot.slack.settings import DEFAULT_MAX_BODY_BYTES

READ_TIMEOUT = 2  # seconds, for this module's process
LIMIT = DEFAULT_MAX_BODY_BYTES


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    fake = FakeSlack().start()
    port = free_port()
    env = clean_env(
        DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('web')}/web.db",
        PORT=str(port),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_BASE_URL=fake.api_url,
        ROLE_ADVISOR_READ_TIMEOUT=str(READ_TIMEOUT),
    )
    process = run(web_command(), env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
        yield base, port, fake
    finally:
        stop(process)
        fake.stop()


def _signed_headers(body: str) -> dict[str, str]:
    return SlackSender(lambda *a: None).headers(body, content_type="application/json")


def _head(length_header: str, headers: dict[str, str]) -> bytes:
    lines = ["POST /slack/events HTTP/1.1", "Host: 127.0.0.1", length_header]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _status(sock: socket.socket) -> int:
    sock.settimeout(5)
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1])


def _send_until_answered(sock: socket.socket, chunks, *, cap: int) -> int:
    """Send chunks until the server answers or closes; returns how many bytes went out."""
    sent = 0
    for chunk in chunks:
        if select.select([sock], [], [], 0)[0] or sent >= cap:
            break
        try:
            sock.sendall(chunk)
        except OSError:  # the server answered and closed while we were still sending
            break
        sent += len(chunk)
    return sent


def test_a_50_mb_body_gets_413_from_its_content_length_without_being_read(web):
    _, port, _ = web
    body = json.dumps(event_envelope(mention("hi"), event_id="Ev800"))
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(_head(f"Content-Length: {50 * 1024 * 1024}", _signed_headers(body)))
        sent = _send_until_answered(sock, iter(lambda: b"x" * 65536, None), cap=4 * LIMIT)
        assert _status(sock) == 413
    assert sent < 4 * LIMIT  # answered long before the body could have been sent


def test_a_chunked_body_is_cut_off_at_the_limit(web):
    _, port, _ = web
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": "1"}
    chunk = b"%x\r\n%s\r\n" % (65536, b"x" * 65536)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(_head("Transfer-Encoding: chunked", headers))
        sent = _send_until_answered(sock, iter(lambda: chunk, None), cap=8 * LIMIT)
        assert _status(sock) == 413
    assert sent < 8 * LIMIT


def test_a_body_of_exactly_the_limit_is_read_and_handled(web):
    base, _, fake = web
    event = mention("what does a CSM do?", ts="1700000800.000100")
    envelope = {**event_envelope(event, event_id="Ev801"), "padding": ""}
    envelope["padding"] = "p" * (LIMIT - len(json.dumps(envelope)))
    body = json.dumps(envelope)
    assert len(body.encode()) == LIMIT
    status, _ = post(f"{base}/slack/events", body.encode(), _signed_headers(body))
    assert status == 200
    fake.wait_for("chat.postMessage")


class Tricklers:
    """Connections sending a request one byte at a time, as a slow client would."""

    def __init__(self, port: int, count: int, *, interval: float = 0.2, deadline: float) -> None:
        self.sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
        head = _head("Content-Length: 1000", {"Content-Type": "application/json"})
        for number, sock in enumerate(self.sockets):
            # Half trickle a body; the other half never finish their headers.
            sock.sendall(head + b"{" if number % 2 else head[: head.index(b"\r\n") + 2])
        self.opened = time.monotonic()
        self.closed_after: dict[int, float] = {}
        self._interval, self._deadline = interval, deadline
        self._thread = threading.Thread(target=self._trickle, daemon=True)
        self._thread.start()

    def _trickle(self) -> None:
        stop = time.monotonic() + self._deadline
        while len(self.closed_after) < len(self.sockets) and time.monotonic() < stop:
            for number, sock in enumerate(self.sockets):
                if number in self.closed_after:
                    continue
                try:
                    if select.select([sock], [], [], 0)[0] and not sock.recv(4096):
                        raise ConnectionResetError
                    sock.send(b" ")
                except OSError:
                    self.closed_after[number] = time.monotonic() - self.opened
            time.sleep(self._interval)

    def join(self) -> dict[int, float]:
        self._thread.join(self._deadline + 1)
        for sock in self.sockets:
            sock.close()
        return self.closed_after


def test_trickling_clients_neither_hold_the_workers_nor_outlive_the_read_timeout(web):
    base, port, fake = web
    tricklers = Tricklers(port, 4 * THREADS, deadline=READ_TIMEOUT + 6)
    try:
        time.sleep(0.3)  # the trickle has started on every connection
        for number in range(3):
            event = mention("what does an SDR do?", ts=f"1700000900.00010{number}")
            body = json.dumps(event_envelope(event, event_id=f"Ev81{number}"))
            status, _ = post(f"{base}/slack/events", body.encode(), _signed_headers(body))
            assert status == 200
        fake.wait_for("chat.postMessage", 3)
    finally:
        closed = tricklers.join()
    assert len(closed) == 4 * THREADS  # every slow request was cut off...
    assert min(closed.values()) >= READ_TIMEOUT - 0.5  # ...by the read timeout, not before
    with urllib.request.urlopen(f"{base}/metrics", timeout=5) as response:
        metrics = response.read().decode()
    assert "roleadvisor_http_slow_requests_closed_total" in metrics
    closed_count = next(
        float(line.split()[-1])
        for line in metrics.splitlines()
        if line.startswith("roleadvisor_http_slow_requests_closed_total")
    )
    assert closed_count >= 4 * THREADS


def test_metrics_count_requests_by_outcome(web):
    base, _, _ = web
    body = json.dumps(event_envelope(mention("hi"), event_id="Ev820"))
    unsigned = {"Content-Type": "application/json"}
    assert post(f"{base}/slack/events", body.encode(), unsigned)[0] == 401
    with urllib.request.urlopen(f"{base}/metrics", timeout=5) as response:
        assert response.headers["Content-Type"].startswith("text/plain")
        metrics = response.read().decode()
    assert 'roleadvisor_http_requests_total{outcome="unsigned",status="401"}' in metrics
    assert "roleadvisor_http_request_seconds_bucket" in metrics
    assert "roleadvisor_http_queued_requests 0.0" in metrics
