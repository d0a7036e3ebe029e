"""Many workspaces against one bot token: the Procfile's ``web:`` process, both ways, on loopback.

    .venv/bin/python bench/workspaces.py [--quick]

Runs the ``web:`` line with ``SLACK_BOT_TOKEN`` (the baseline), then with ``SLACK_CLIENT_ID``
and ``SLACK_CLIENT_SECRET`` after installing it in 1 and in 20 workspaces through
``/slack/install`` and ``/slack/oauth_redirect`` (the fake Slack on loopback issues one token
per workspace). Each time it sends the same signed ``app_mention`` events from 10 concurrent
senders, spread over the workspaces, and reports ack p50/p99, replies per second, replies lost
and doubled, and replies posted with another workspace's token (or none). Also the time one
install takes.

Then, in this process on a SQLite file: 3 threads look bot tokens up (300 each) while 3 others
write requests as the ledger does, once with slack_sdk's store as it is (the baseline) and once
with ``BotStore``, whose look-ups take their turn with the app's transactions: p50/p99/max.
Bounded in count and time; prints tables and never fails on timing.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This folder's http.py would shadow the standard library's ``http``: the folder goes last.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE] + [str(_HERE)]
sys.path.insert(0, str(_HERE.parent / "tests" / "slack"))

import argparse
import itertools
import json
import tempfile
import threading
import time
from collections import Counter

from fake_slack import (
    BOT_TOKEN,
    CLIENT_ID,
    CLIENT_SECRET,
    ONE_WORKSPACE,
    SIGNING_SECRET,
    FakeSlack,
    FakeWorkspace,
    SlackSender,
    event_envelope,
    mention,
)
from measure import summary
from processes import (
    clean_env,
    free_port,
    install,
    post,
    run,
    stop,
    wait_healthy,
    web_command,
)
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import insert

from bot.db import Database
from bot.db.models import SlackEvent
from bot.slack.workspaces import BotStore

QUESTIONS = ("AE vs AM?", "what does an SDR do?", "CSM salary", "how do I become a sales manager")
SENDERS = 10
EVENTS = 400
REPLY_WAIT = 30.0


def load(base: str, fake: FakeSlack, workspaces: list[FakeWorkspace], count: int, run_id: str):
    """``count`` mentions, workspace by workspace in turn, from ``SENDERS`` threads."""
    signer = SlackSender(lambda *a: None)
    numbers = itertools.count()
    lock = threading.Lock()
    acks: list[int] = []  # ns
    expected: dict[str, str] = {}  # thread ts -> the token its reply must carry
    fake.forget_calls()

    def sender() -> None:
        while (number := next(numbers)) < count:
            workspace = workspaces[number % len(workspaces)]
            ts = f"18{run_id}{number:06d}.000100"
            event = mention(QUESTIONS[number % len(QUESTIONS)], ts=ts)
            body = json.dumps(
                event_envelope(event, event_id=f"Ev{run_id}{number}", workspace=workspace)
            )
            headers = signer.headers(body, content_type="application/json")
            started = time.perf_counter_ns()
            status, _ = post(f"{base}/slack/events", body.encode(), headers)
            with lock:
                if status == 200:
                    acks.append(time.perf_counter_ns() - started)
                    expected[ts] = workspace.token

    started = time.perf_counter()
    threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    deadline = time.monotonic() + REPLY_WAIT

    def replies() -> list[tuple[str, str | None]]:
        return [
            (str(c.body.get("thread_ts")), c.token)
            for c in fake.calls_to("chat.postMessage")
            if c.body.get("thread_ts") in expected
        ]

    while len({ts for ts, _ in replies()}) < len(expected) and time.monotonic() < deadline:
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    time.sleep(0.5)  # a second copy would come about now
    posted = replies()
    per_thread = Counter(ts for ts, _ in posted)
    times = summary(acks)
    return {
        "acked": len(acks),
        "ack_p50": times["p50"],
        "ack_p99": times["p99"],
        "replies_per_s": len(per_thread) / elapsed,
        "lost": len(set(expected) - set(per_thread)),
        "doubled": sum(1 for n in per_thread.values() if n > 1),
        "wrong_token": sum(1 for ts, token in posted if token != expected[ts]),
    }


def err_of(process) -> str:
    return process.stderr()[-2000:]


def serve(env: dict[str, str], fake: FakeSlack, teams: int, count: int, run_id: str):
    port = free_port()
    database = tempfile.TemporaryDirectory()
    process = run(
        web_command(),
        clean_env(
            DATABASE_URL=f"sqlite:///{database.name}/bench.db",
            PORT=str(port),
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_BASE_URL=fake.api_url,
            **env,
        ),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
        if teams:
            workspaces = [
                FakeWorkspace(f"T{run_id}{n:04d}", f"xoxb-{run_id}-{n:04d}-benchtoken")
                for n in range(teams)
            ]
            installs = []
            for workspace in workspaces:
                started = time.perf_counter_ns()
                if install(base, fake, workspace) != 200:
                    raise SystemExit(f"installing in {workspace.team_id} failed: {err_of(process)}")
                installs.append(time.perf_counter_ns() - started)
        else:
            workspaces, installs = [ONE_WORKSPACE], []
        result = load(base, fake, workspaces, count, run_id)
    finally:
        err = stop(process)
        database.cleanup()
    problems = [line for line in err.splitlines() if " ERROR " in line or "Traceback" in line]
    result["install_ms"] = summary(installs)["p50"]
    result["problems"] = len(problems)
    return result


def lookups_under_writes(readers: int = 3, writers: int = 3, each: int = 300):
    """Token look-ups (ms) while other threads write, with slack_sdk's store and ``BotStore``."""
    folder = tempfile.TemporaryDirectory()
    database = Database.connect(f"sqlite:///{folder.name}/lookups.db")
    plain = SQLAlchemyInstallationStore(CLIENT_ID, database.engine)
    turns = BotStore(CLIENT_ID, database)
    plain.save(Installation(app_id="A0", team_id="T0", user_id="U0", bot_token="xoxb-0-0-t"))
    keys = itertools.count()

    def measure(store: SQLAlchemyInstallationStore) -> dict[str, float]:
        stop_writing = threading.Event()
        samples: list[int] = []
        lock = threading.Lock()

        def write() -> None:
            while not stop_writing.is_set():
                row = {"key": f"k{next(keys)}", "kind": "message", "body": {}, "retry_num": 0}
                with database.connection() as connection:
                    connection.execute(
                        insert(SlackEvent), {**row, "received_at": 0.0, "status": "accepted"}
                    )

        def read() -> None:
            for _ in range(each):
                started = time.perf_counter_ns()
                store.find_bot(enterprise_id=None, team_id="T0")
                with lock:
                    samples.append(time.perf_counter_ns() - started)

        threads = [threading.Thread(target=write) for _ in range(writers)]
        for thread in threads:
            thread.start()
        looking = [threading.Thread(target=read) for _ in range(readers)]
        for thread in looking:
            thread.start()
        for thread in looking:
            thread.join()
        stop_writing.set()
        for thread in threads:
            thread.join()
        return summary(samples)

    try:
        return [("slack_sdk's store (baseline)", measure(plain)), ("BotStore", measure(turns))]
    finally:
        database.dispose()
        folder.cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a quarter of the events")
    count = EVENTS // 4 if parser.parse_args().quick else EVENTS
    fake = FakeSlack().start()
    oauth = {"SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET}
    runs = [
        ("one bot token (baseline)", {"SLACK_BOT_TOKEN": BOT_TOKEN}, 0),
        ("OAuth, 1 workspace", oauth, 1),
        ("OAuth, 20 workspaces", oauth, 20),
    ]
    try:
        results = [
            (name, serve(env, fake, teams, count, f"{n}"))
            for n, (name, env, teams) in enumerate(runs, 1)
        ]
    finally:
        fake.stop()
    print(f"\n{count} signed app_mention events from {SENDERS} senders, web: on loopback\n")
    print(
        "| mode | acked | ack p50 ms | ack p99 ms | replies/s | lost | doubled | wrong token "
        "| install p50 ms | errors logged |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, r in results:
        print(
            f"| {name} | {r['acked']}/{count} | {r['ack_p50']:.1f} | {r['ack_p99']:.1f} "
            f"| {r['replies_per_s']:.0f} | {r['lost']} | {r['doubled']} | {r['wrong_token']} "
            f"| {r['install_ms']:.1f} | {r['problems']} |"
        )
    print("\nbot token look-ups on SQLite, 3 threads x 300, while 3 threads write requests\n")
    print("| store | look-ups | p50 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|")
    for name, r in lookups_under_writes():
        print(f"| {name} | {r['n']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['max']:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
