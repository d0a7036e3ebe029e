"""Scale benchmark: two web processes behind one loopback address, on PostgreSQL and Redis.

    .venv/bin/python bench/scale.py [--quick] [--database URL] [--redis URL]

Each setup gets a fresh schema in the PostgreSQL database (``--database``, default
``TEST_DATABASE_URL`` or postgresql+psycopg://postgres@127.0.0.1:5432/test; dropped after) and
the Redis database at ``--redis`` (default ``TEST_REDIS_URL`` or redis://127.0.0.1:6379/15),
which it EMPTIES before each setup. The fake Slack Web API of tests/slack/fake_slack.py runs on
loopback. Setups, in one run:

1. baseline: one process, the Procfile's ``web:`` line;
2. ``--workers 2``: the same line with two workers sharing its socket;
3. two copies of the ``web:`` line started separately, behind a round-robin TCP proxy on one
   loopback port (a load balancer's way).

Load, from 10 concurrent senders: signed ``app_mention`` events, each followed, once it is
acknowledged, by Slack's retry of the same event (``X-Slack-Retry-Num: 1``, signed anew); and
DM conversations, a question and, once it is answered, a follow-up that needs its context
("AE metrics", then "what about AMs?"). Each first request and its second go out on two
connections opened back to back, so the proxy hands them to different copies; which process
handled each request is read from its log line (``[pid] bot.slack.http: {...}``).

Printed: acks p50/p99 (first deliveries; retries beside), replies lost and doubled, retries and
follow-ups that landed on another process than their first request, and follow-ups answered
with their context. Bounded in count and time; never fails on timing.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, where bench/http.py would shadow
# the standard library's ``http``: put the folder last instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path[:0] = [str(_HERE.parent / "tests" / "slack"), str(_HERE.parent / "tests")]
sys.path.append(str(_HERE))

import argparse
import http.client
import itertools
import json
import os
import random
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import redis
from fake_slack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    SlackSender,
    direct_message,
    mention,
    without_feedback,
)
from fake_slack import event_envelope as envelope
from measure import summary
from processes import Process, clean_env, free_port, run, stop, wait_healthy, web_command
from schemas import new_schema
from sqlalchemy.engine import make_url

from bot.answer import Advisor
from bot.conversation import Conversation, converse

SENDERS = 10
EVENTS, CONVERSATIONS = 200, 50
REPLY_WAIT = 30.0  # seconds to wait for the last replies
QUESTIONS = ("AE vs AM?", "what does an SDR do?", "CSM salary", "how do I become a sales manager")
FIRST, FOLLOW_UP = "AE metrics", "what about AMs?"
LINE = re.compile(r"\[(\d+)\] bot\.slack\.http: (\{.*\})$")


class RoundRobin:
    """A TCP proxy on a loopback port: each new connection goes to the next backend in turn."""

    def __init__(self, ports: list[int]) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._next = itertools.cycle(ports)
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", next(self._next)))
            done = threading.Barrier(2, action=lambda c=client, u=upstream: (c.close(), u.close()))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink, done), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket, done: threading.Barrier) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        done.wait()  # both ways finished: close both sockets


@dataclass
class Setup:
    name: str
    port: int
    processes: list[Process]
    proxy: RoundRobin | None = None

    def stop(self) -> str:
        if self.proxy:
            self.proxy.close()
        return "".join(stop(process) for process in self.processes)


@dataclass
class Result:
    acks: list[float] = field(default_factory=list)  # seconds, first deliveries
    retry_acks: list[float] = field(default_factory=list)
    sent: int = 0
    expected: list[str] = field(default_factory=list)  # request keys owed one reply each
    pairs: list[tuple[str, str, str]] = field(default_factory=list)  # kind, first id, second id
    follow_ups: list[str] = field(default_factory=list)  # keys of the follow-ups
    lock: threading.Lock = field(default_factory=threading.Lock)


class Load:
    def __init__(self, fake: FakeSlack, port: int, tag: int) -> None:
        self.fake = fake
        self.port = port
        self.tag = tag
        self.signer = SlackSender(lambda *a: None)
        self.connecting = threading.Lock()
        self.result = Result()

    def _two_connections(self) -> tuple[http.client.HTTPConnection, http.client.HTTPConnection]:
        """Opened back to back: the proxy gives them to different copies."""
        with self.connecting:
            pair = [http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                    for _ in range(2)]
            for connection in pair:
                connection.connect()
        return pair[0], pair[1]

    def _post(
        self, connection: http.client.HTTPConnection, event: dict[str, Any], event_id: str,
        retry: bool = False,
    ) -> tuple[int, float]:
        body = json.dumps(envelope(event, event_id=event_id))
        stamp = int(time.time()) + (1 if retry else 0)
        headers = self.signer.headers(body, content_type="application/json", timestamp=stamp)
        if retry:
            headers |= {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
        started = time.perf_counter()
        try:
            connection.request("POST", "/slack/events", body.encode(), headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except OSError:
            status = 0
        finally:
            connection.close()
        return status, time.perf_counter() - started

    def event(self, n: int) -> None:
        ts = f"19{self.tag}{n:07d}.000100"
        event = mention(QUESTIONS[n % len(QUESTIONS)], ts=ts)
        first, second = self._two_connections()
        event_id = f"EvS{self.tag}x{n}"
        status, seconds = self._post(first, event, event_id)
        retry_status, retry_seconds = self._post(second, event, event_id, retry=True)
        with self.result.lock:
            self.result.sent += 1
            if status == 200:
                self.result.acks.append(seconds)
                self.result.expected.append(f"message:C0SALES:{ts}")
            if retry_status == 200:
                self.result.retry_acks.append(retry_seconds)
            self.result.pairs.append(("retry", f"{event_id}/0", f"{event_id}/1"))

    def conversation(self, n: int) -> None:
        channel, user = f"D0S{self.tag}x{n}", f"U0S{self.tag}x{n}"
        question = direct_message(FIRST, ts=f"19{self.tag}{n:07d}.000201", channel=channel,
                                  user=user)
        follow_up = direct_message(FOLLOW_UP, ts=f"19{self.tag}{n:07d}.000202", channel=channel,
                                   user=user)
        first, second = self._two_connections()
        ids = (f"EvD{self.tag}x{n}a", f"EvD{self.tag}x{n}b")
        keys = [f"message:{channel}:{q['ts']}" for q in (question, follow_up)]
        status, seconds = self._post(first, question, ids[0])
        deadline = time.monotonic() + 10
        while not self.fake.posted(keys[0]) and time.monotonic() < deadline:
            time.sleep(0.01)
        follow_status, follow_seconds = self._post(second, follow_up, ids[1])
        with self.result.lock:
            self.result.sent += 2
            answers = ((status, seconds), (follow_status, follow_seconds))
            for (ok, took), key in zip(answers, keys, strict=True):
                if ok == 200:
                    self.result.acks.append(took)
                    self.result.expected.append(key)
            self.result.pairs.append(("follow-up", f"{ids[0]}/0", f"{ids[1]}/0"))
            self.result.follow_ups.append(keys[1])

    def run(self, events: int, conversations: int) -> Result:
        jobs: list[Callable[[], None]] = [lambda n=n: self.event(n) for n in range(events)]
        jobs += [lambda n=n: self.conversation(n) for n in range(conversations)]
        random.Random(self.tag).shuffle(jobs)
        queue = iter(jobs)
        taking = threading.Lock()

        def sender() -> None:
            while True:
                with taking:
                    job = next(queue, None)
                if job is None:
                    return
                job()

        threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return self.result


def handled_by(log: str) -> dict[str, int]:
    """``event_id/retry_num`` -> the pid whose log line says it took the request."""
    taken = {}
    for line in log.splitlines():
        if match := LINE.search(line):
            record = json.loads(match.group(2))
            taken[f"{record.get('event_id')}/{record.get('retry_num')}"] = int(match.group(1))
    return taken


def wait_for_replies(fake: FakeSlack, result: Result) -> None:
    deadline = time.monotonic() + REPLY_WAIT
    while time.monotonic() < deadline and not all(fake.posted(k) for k in result.expected):
        time.sleep(0.05)
    time.sleep(0.5)  # a second copy of a reply would come about now


def report(name: str, fake: FakeSlack, result: Result, log: str, blocks: list[Any]) -> list[str]:
    counts = [len(fake.posted(key)) for key in result.expected]
    pids = handled_by(log)
    moved = {"retry": [0, 0], "follow-up": [0, 0]}
    for kind, first, second in result.pairs:
        if first in pids and second in pids:
            moved[kind][0] += pids[first] != pids[second]
            moved[kind][1] += 1
    kept = sum(
        1 for key in result.follow_ups
        if [without_feedback(m.get("blocks")) for m in fake.posted(key)[:1]] == [blocks]
    )
    acks = summary([round(s * 1e9) for s in result.acks])
    retries = summary([round(s * 1e9) for s in result.retry_acks])
    shares = Counter(pids.values())
    busiest = max(shares.values(), default=0) / max(1, sum(shares.values()))
    return [
        name,
        f"{len(shares)} ({busiest:.0%})",
        f"{len(result.acks)}/{result.sent}",
        f"{acks['p50']:.1f} / {acks['p99']:.1f}",
        f"{retries['p99']:.1f}",
        f"{sum(1 for c in counts if c == 0)}",
        f"{sum(1 for c in counts if c > 1)}",
        f"{moved['retry'][0]}/{moved['retry'][1]}",
        f"{moved['follow-up'][0]}/{moved['follow-up'][1]}",
        f"{kept}/{len(result.follow_ups)}",
    ]


def start(kind: str, fake: FakeSlack, database: str, redis_url: str) -> Setup:
    def web(port: int, extra: str = "") -> Process:
        env = clean_env(
            DATABASE_URL=database, REDIS_URL=redis_url, PORT=str(port),
            SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_BASE_URL=fake.api_url,
        )
        process = run(web_command() + extra, env)
        wait_healthy(f"http://127.0.0.1:{port}", process)
        return process

    port = free_port()
    if kind == "one":
        return Setup("1 process (baseline)", port, [web(port)])
    if kind == "workers":
        process = web(port, " --workers 2")
        deadline = time.monotonic() + 30
        while "2 workers serving" not in process.stderr() and time.monotonic() < deadline:
            time.sleep(0.1)
        return Setup("`--workers 2`, one port", port, [process])
    ports = [port, free_port()]
    processes = [web(ports[0]), web(ports[1])]
    proxy = RoundRobin(ports)
    return Setup("2 copies behind a round-robin proxy", proxy.port, processes, proxy)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fifth of the load")
    parser.add_argument("--database", default=os.environ.get("TEST_DATABASE_URL")
                        or "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis", default=os.environ.get("TEST_REDIS_URL")
                        or "redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    scale = 5 if args.quick else 1
    advisor = Advisor.load()
    _, conversation = converse(advisor, FIRST, Conversation())
    expected, _ = converse(advisor, FOLLOW_UP, conversation)
    blocks = list(expected.blocks)
    fake = FakeSlack().start()
    shared = redis.Redis.from_url(args.redis)
    rows, problems = [], []
    print(f"PostgreSQL {make_url(args.database).render_as_string(hide_password=True)}, "
          f"Redis {args.redis}, fake Slack {fake.api_url}; {SENDERS} senders, "
          f"{EVENTS // scale} events + their retries, {CONVERSATIONS // scale} DM conversations")
    try:
        for tag, kind in enumerate(("one", "workers", "copies"), start=1):
            shared.flushdb()
            fake.forget_calls()
            with new_schema(args.database, "bench") as database:
                setup = start(kind, fake, database, args.redis)
                try:
                    load = Load(fake, setup.port, tag)
                    result = load.run(EVENTS // scale, CONVERSATIONS // scale)
                    wait_for_replies(fake, result)
                    log = "".join(process.stderr() for process in setup.processes)
                    rows.append(report(setup.name, fake, result, log, blocks))
                finally:
                    log = setup.stop()
                problems += [f"{setup.name}: {line}" for line in log.splitlines()
                             if " ERROR " in line or "Traceback" in line]
    finally:
        fake.stop()
        shared.flushdb()
    print("\nErrors in the processes' logs:", *(problems[-20:] or ["none"]), sep="\n    ")
    header = ["setup", "processes that took requests (the busiest's share)", "first requests acked",
              "ack p50 / p99 ms", "retry ack p99 ms", "replies lost", "replies doubled",
              "retries on another process", "follow-ups on another process",
              "follow-ups with their context"]
    print("\n| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    print("\n".join("| " + " | ".join(row) + " |" for row in rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
