"""HTTP benchmark: the Procfile's ``web:`` process, started as the platform starts it, on loopback.

    .venv/bin/python bench/http.py [--quick]

It runs the ``web:`` line on a free 127.0.0.1 port with a fake Slack Web API on loopback
(tests/slack/fake_slack.py), then measures, in one run:

1. signed ``app_mention`` events from 1, 10 and 50 concurrent senders (a new connection per
   request, as Slack makes): ack p50/p99, replies per second, replies lost and doubled, and the
   CPU the web process and its answer process spent per event; next to them, as the baseline,
   ``GET /healthz`` at the same concurrency (the server's own cost). The senders run in a
   process of their own, with every request signed before the clock starts, as Slack's senders
   are not the Web API the replies go to: in one process, the fake Slack's threads and the
   senders' share one GIL, and a sender's timer then also counts its wait for it;
2. 64 connections trickling a body one byte a second while 20 signed events are sent: the time
   to ack each (Slack gives up after 3 s), and when the read timeout cut the slow ones off;
3. a 50 MB body, declared by Content-Length and then sent chunked: the status, the bytes the
   client got to send before the answer, and the process's RSS before and after.

Bounded in count and time; prints tables and never fails on timing.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, where this file would shadow the
# standard library's ``http`` (which urllib imports): take the folder off before importing it.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent / "tests" / "slack"))
sys.path.insert(0, str(_HERE.parent / "tests"))

import argparse
import contextlib
import itertools
import json
import multiprocessing
import os
import select
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection

from fake_slack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    SlackSender,
    event_envelope,
    mention,
)
from processes import clean_env, free_port, run, stop, wait_healthy, web_command
from schemas import new_schema

QUESTIONS = ("AE vs AM?", "what does an SDR do?", "CSM salary", "how do I become a sales manager")
SENDERS = (1, 10, 50)
EVENTS = {1: 100, 10: 300, 50: 500}
PHASE_LIMIT = 60.0  # seconds any one load phase may take
REPLY_WAIT = 30.0  # seconds to wait for the last replies after the last ack
TRICKLERS, SLOW_EVENTS, SLACK_ACK_LIMIT = 64, 20, 3.0
TARGET_ACK_P99_MS = 100.0  # issue 9's target at 50 senders
BIG = 50 * 1024 * 1024
ANSWERS_START = 3.0  # seconds the answer process takes to start (events meanwhile wait)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> int:
    method = "POST" if data is not None else "GET"
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:  # loopback only
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def concurrently(
    senders: int, count: int, send: Callable[[int], tuple[int, float]]
) -> dict[int, tuple[int, float]]:
    """Run ``send(i)`` for i < count on ``senders`` threads, starting none past the limit;
    the outcome of each ``i`` sent."""
    numbers = itertools.count()
    lock = threading.Lock()
    results: dict[int, tuple[int, float]] = {}
    stop_at = time.monotonic() + PHASE_LIMIT

    def sender() -> None:
        while time.monotonic() < stop_at:
            with lock:
                number = next(numbers)
            if number >= count:
                return
            outcome = send(number)
            with lock:
                results[number] = outcome

    threads = [threading.Thread(target=sender) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


HEALTH_PATH, EVENTS_PATH = "/healthz", "/slack/events"
Request = tuple[str, bytes | None, dict[str, str]]  # path, body, headers


def _send_all(base: str, senders: int, work: list[Request], results: Connection) -> None:
    """In the senders' process: send ``work`` from ``senders`` threads; (status, seconds) of
    each sent, by its place in ``work``."""

    def send(number: int) -> tuple[int, float]:
        path, data, headers = work[number]
        started = time.perf_counter()
        status = request(base + path, data, headers)
        return status, time.perf_counter() - started

    results.send(concurrently(senders, len(work), send))


def in_other_process(
    base: str, senders: int, work: list[Request]
) -> dict[int, tuple[int, float]]:
    """``work`` sent from a process of its own (started before, and not timed)."""
    receiving, sending = multiprocessing.get_context("spawn").Pipe(duplex=False)
    process = multiprocessing.get_context("spawn").Process(
        target=_send_all, args=(base, senders, work, sending)
    )
    process.start()
    results: dict[int, tuple[int, float]] = receiving.recv()
    process.join()
    return results


def cpu_seconds(pid: int | None) -> float:
    """User and system CPU seconds of process ``pid`` (all its threads) so far; 0 if none."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def answer_process(web: int) -> int | None:
    """The web process's answer process (its child running ``serve --answers``), if any."""
    for child in Path(f"/proc/{web}/task/{web}/children").read_text().split():
        if b"--answers" in Path(f"/proc/{child}/cmdline").read_bytes():
            return int(child)
    return None


class Bench:
    def __init__(self, base: str, fake: FakeSlack, pid: int) -> None:
        self.base = base
        self.fake = fake
        self.pid = pid
        self.signer = SlackSender(lambda *a: None)
        self.events = itertools.count()

    def signed_event(self) -> tuple[bytes, dict[str, str], str]:
        number = next(self.events)
        ts = f"1800{number:06d}.000100"
        event = mention(QUESTIONS[number % len(QUESTIONS)], ts=ts)
        body = json.dumps(event_envelope(event, event_id=f"EvB{number}"))
        return body.encode(), self.signer.headers(body, content_type="application/json"), ts

    def send_event(self) -> tuple[int, float, str]:
        data, headers, ts = self.signed_event()
        started = time.perf_counter()
        status = request(f"{self.base}/slack/events", data, headers)
        return status, time.perf_counter() - started, ts

    def _posts(self, expected: set[str]) -> Counter[str]:
        return Counter(
            str(call.body.get("thread_ts"))
            for call in self.fake.calls_to("chat.postMessage")
            if call.body.get("thread_ts") in expected
        )

    def replies(self, expected: set[str], started: float) -> tuple[Counter[str], float]:
        """Each expected thread's replies (waiting, bounded) and the seconds to the last one."""
        deadline = time.monotonic() + REPLY_WAIT
        count, last = -1, started
        while len(posts := self._posts(expected)) < len(expected) and time.monotonic() < deadline:
            if sum(posts.values()) != count:
                count, last = sum(posts.values()), time.perf_counter()
            time.sleep(0.02)
        if sum(posts.values()) != count:
            last = time.perf_counter()
        time.sleep(0.5)  # a second copy of a reply would come about now
        return self._posts(expected), last - started

    def load(self, senders: int, count: int, answering: int | None) -> dict[str, float]:
        health = in_other_process(self.base, senders, [(HEALTH_PATH, None, {})] * count)
        self.fake.forget_calls()
        signed = [self.signed_event() for _ in range(count)]
        work = [(EVENTS_PATH, data, headers) for data, headers, _ in signed]
        web, answers = cpu_seconds(self.pid), cpu_seconds(answering)
        started = time.perf_counter()
        sent = in_other_process(self.base, senders, work)
        acked = {signed[number][2] for number, (status, _) in sent.items() if status == 200}
        posts, elapsed = self.replies(acked, started)
        acks = [seconds * 1000 for status, seconds in sent.values() if status == 200]
        return {
            "senders": senders,
            "sent": len(sent),
            "acked": len(acked),
            "ack_p50": percentile(acks, 0.5) if acks else float("nan"),
            "ack_p99": percentile(acks, 0.99) if acks else float("nan"),
            "health_p50": percentile([s * 1000 for _, s in health.values()], 0.5),
            "health_p99": percentile([s * 1000 for _, s in health.values()], 0.99),
            "replies_per_s": sum(posts.values()) / elapsed if elapsed else float("nan"),
            "lost": len(acked - set(posts)),
            "doubled": sum(1 for n in posts.values() if n > 1),
            "web_cpu_ms": (cpu_seconds(self.pid) - web) * 1000 / count,
            "answer_cpu_ms": (cpu_seconds(answering) - answers) * 1000 / count,
        }

    def slow_clients(self, port: int, events: int) -> dict[str, float]:
        head = (
            b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
        )
        sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(TRICKLERS)]
        for sock in sockets:
            sock.sendall(head)
        opened = time.monotonic()
        closed: dict[int, float] = {}
        done = threading.Event()

        def trickle() -> None:
            while not done.is_set() and len(closed) < len(sockets):
                for number, sock in enumerate(sockets):
                    if number in closed:
                        continue
                    try:
                        if select.select([sock], [], [], 0)[0] and not sock.recv(4096):
                            raise ConnectionResetError
                        sock.send(b" ")
                    except OSError:
                        closed[number] = time.monotonic() - opened
                done.wait(1.0)  # one byte a second on each connection

        thread = threading.Thread(target=trickle)
        thread.start()
        time.sleep(1.5)
        acks = []
        for _ in range(events):
            status, seconds, _ = self.send_event()
            acks.append(seconds if status == 200 else float("inf"))
        while len(closed) < len(sockets) and time.monotonic() - opened < 30:
            time.sleep(0.2)
        done.set()
        thread.join()
        for sock in sockets:
            sock.close()
        return {
            "events": events,
            "under_3s": sum(1 for seconds in acks if seconds < SLACK_ACK_LIMIT),
            "ack_p50": percentile(acks, 0.5) * 1000,
            "ack_max": max(acks) * 1000,
            "cut": len(closed),
            "cut_after_min": min(closed.values(), default=float("nan")),
            "cut_after_max": max(closed.values(), default=float("nan")),
        }

    def big_body(self, port: int, pid: int, chunked: bool) -> dict[str, float | str]:
        before = rss_mib(pid)
        _, headers, _ = self.signed_event()
        framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {BIG}"
        lines = ["POST /slack/events HTTP/1.1", "Host: 127.0.0.1", framing]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        block = b"x" * 65536
        piece = b"%x\r\n%s\r\n" % (len(block), block) if chunked else block
        sent, status = 0, "none"
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            while sent < BIG:
                if select.select([sock], [], [], 0)[0]:
                    break
                try:
                    sock.sendall(piece)
                except OSError:
                    break
                sent += len(block)
            try:
                sock.settimeout(10)
                status = sock.recv(64).split(b" ")[1].decode()
            except (OSError, IndexError):
                status = "closed"
        time.sleep(0.5)
        return {
            "framing": "chunked" if chunked else "Content-Length",
            "status": status,
            "sent_mib": sent / 1024 / 1024,
            "rss_before": before,
            "rss_after": rss_mib(pid),
        }


def _table(title: str, header: list[str], rows: Iterator[list[str]]) -> None:
    print(f"\n{title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fifth of the events")
    parser.add_argument(
        "--database", metavar="URL",
        help="a PostgreSQL server to run the store on, in a fresh schema dropped after "
        "(default: a SQLite file, the app's default)",
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.database:
            database_url = stack.enter_context(new_schema(args.database, "bench"))
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory())
            database_url = f"sqlite:///{folder}/bench.db"
        return measure(database_url, scale=5 if args.quick else 1)


def measure(database_url: str, *, scale: int) -> int:
    fake = FakeSlack().start()
    port = free_port()
    env = clean_env(
        DATABASE_URL=database_url,
        PORT=str(port),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_BASE_URL=fake.api_url,
    )
    command = web_command()
    process = run(command, env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
        bench = Bench(base, fake, process.pid)
        time.sleep(ANSWERS_START)
        answering = answer_process(process.pid)
        store = database_url.split(":", 1)[0]
        print(f"web: {command}  (PORT={port}, fake Slack at {fake.api_url}, store {store})")
        loads = [bench.load(n, max(n, EVENTS[n] // scale), answering) for n in SENDERS]
        slow = bench.slow_clients(port, SLOW_EVENTS)
        big = [bench.big_body(port, process.pid, chunked) for chunked in (False, True)]
    finally:
        err = stop(process)
        fake.stop()
    quiet = (" bot.slack.http: ", " bot.slack.requests: ", " waitress.queue: ")
    problems = [line for line in err.splitlines() if not any(q in line for q in quiet)]
    print("web process stderr, less its request lines and queue-depth notes:")
    print("\n".join("    " + line for line in problems[-20:]))
    _table(
        "Signed app_mention events (baseline: GET /healthz at the same concurrency)",
        ["senders", "events", "ack p50 ms", "ack p99 ms", "healthz p50/p99 ms", "replies/s",
         "lost", "doubled", "CPU ms per event: web / answers"],
        (
            [
                f"{r['senders']:.0f}", f"{r['acked']:.0f}/{r['sent']:.0f}",
                f"{r['ack_p50']:.1f}", f"{r['ack_p99']:.1f}",
                f"{r['health_p50']:.1f} / {r['health_p99']:.1f}",
                f"{r['replies_per_s']:.0f}", f"{r['lost']:.0f}", f"{r['doubled']:.0f}",
                f"{r['web_cpu_ms']:.2f} / {r['answer_cpu_ms']:.2f}",
            ]
            for r in loads
        ),
    )
    worst = loads[-1]["ack_p99"]
    verdict = "ok" if worst < TARGET_ACK_P99_MS else "OVER"
    target = f"target {TARGET_ACK_P99_MS:.0f} ms"
    print(f"\nack p99 at {SENDERS[-1]} senders: {worst:.0f} ms, {target}: {verdict}")
    _table(
        f"{TRICKLERS} connections trickling a body at 1 byte/s, {SLOW_EVENTS} signed events "
        f"meanwhile (baseline: ack p50 {loads[0]['ack_p50']:.1f} ms with no slow clients)",
        ["acked under 3 s", "ack p50 ms", "ack max ms", "slow ones cut", "cut after (s)"],
        iter([[
            f"{slow['under_3s']:.0f}/{slow['events']:.0f}", f"{slow['ack_p50']:.1f}",
            f"{slow['ack_max']:.1f}", f"{slow['cut']:.0f}/{TRICKLERS}",
            f"{slow['cut_after_min']:.1f}-{slow['cut_after_max']:.1f}",
        ]]),
    )
    verdict = "ok" if slow["under_3s"] == slow["events"] else "OVER"
    print(f"\nevery event acked within Slack's 3 s while slow clients trickle: {verdict}")
    _table(
        "A 50 MB body",
        ["framing", "status", "MiB sent before the answer", "RSS before MiB", "RSS after MiB"],
        (
            [str(b["framing"]), str(b["status"]), f"{b['sent_mib']:.1f}",
             f"{b['rss_before']:.0f}", f"{b['rss_after']:.0f}"]
            for b in big
        ),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
