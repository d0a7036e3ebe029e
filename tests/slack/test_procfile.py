"""The Procfile's commands, run as they are deployed, against the fake Slack on loopback.

``web:`` is ``python -m bot serve --http`` (waitress serving ``bot.slack.web``); the test
binds it to a free loopback port instead of 0.0.0.0. ``worker:`` is Socket Mode, connecting to a
local websocket.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
import urllib.request
from pathlib import Path

import pytest
from fake_slack import (
    APP_TOKEN,
    BOT_TOKEN,
    CLIENT_ID,
    CLIENT_SECRET,
    SIGNING_SECRET,
    FakeSocketMode,
    FakeWorkspace,
    SlackSender,
    direct_message,
    events_api_envelope,
    mention,
    wait_until,
    without_feedback,
)
from processes import (
    STARTUP,
    clean_env,
    free_port,
    install,
    post,
    procfile,
    run,
    stop,
    wait_healthy,
    web_command,
)
from sqlalchemy import select

from bot.db import Database
from bot.db.models import SlackOutbox


def test_procfile_declares_web_on_all_interfaces_and_a_socket_mode_worker():
    lines = procfile()
    # One process (the in-memory stores: see README), the same entry point as the worker's.
    assert lines["web"] == "python -m bot serve --http --host 0.0.0.0 --port $PORT"
    assert lines["worker"] == "python -m bot serve --socket"


def test_the_web_command_installs_in_many_workspaces_and_answers_each_with_its_token(
    fake_slack, tmp_path
):
    port = free_port()
    env = clean_env(
        DATABASE_URL=f"sqlite:///{tmp_path}/web.db",
        PORT=str(port),
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_BASE_URL=fake_slack.api_url,
    )
    process = run(web_command(), env)
    base = f"http://127.0.0.1:{port}"
    alpha = FakeWorkspace("T0ALPHA", "xoxb-alpha-0001-alphabottoken", bot_user_id="U0BOTALPHA")
    try:
        wait_healthy(base, process)
        assert install(base, fake_slack, alpha) == 200  # through waitress, as deployed
        sender = SlackSender(lambda path, data, headers: post(base + path, data, headers))
        status, _ = sender.event(mention("what does an AE do?"), event_id="Ev710", workspace=alpha)
        assert status == 200
        [call] = fake_slack.wait_for("chat.postMessage", timeout=10)
        assert call.token == alpha.token
    finally:
        err = stop(process)
    assert process.returncode == 0, err
    assert alpha.token not in err  # the token never reaches the log
    assert "installed in team=T0ALPHA" in err


def test_the_web_command_serves_signed_requests_and_refuses_forged_ones(
    fake_slack, advisor, tmp_path
):
    port = free_port()
    command = web_command()
    env = clean_env(
        DATABASE_URL=f"sqlite:///{tmp_path}/web.db",
        PORT=str(port),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_BASE_URL=fake_slack.api_url,
    )
    process = run(command, env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
        sender = SlackSender(lambda path, data, headers: post(base + path, data, headers))
        event = mention("what does an AE do?")
        status, body = sender.event(event, event_id="Ev700")
        assert (status, body) == (200, b"")
        [call] = fake_slack.wait_for("chat.postMessage", timeout=10)
        assert call.body["thread_ts"] == event["ts"]
        assert without_feedback(call.body["blocks"]) == list(advisor.ask(event["text"]).blocks)

        forged = SlackSender(
            lambda path, data, headers: post(base + path, data, headers), secret="e" * 32
        )
        assert forged.event(mention("AE vs AM?"), event_id="Ev701")[0] == 401
    finally:
        err = stop(process)
    assert process.returncode == 0, err  # SIGTERM stops it cleanly
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    request_lines = [line for line in err.splitlines() if "bot.slack.requests" in line]
    assert len(request_lines) == 1
    assert '"event_id": "Ev700"' in request_lines[0]
    assert BOT_TOKEN not in err
    assert SIGNING_SECRET not in err
    assert "will be unused" not in err  # Bolt's token warning is filtered as noise


def _serve(fake_slack, database: str, **extra: str):
    port = free_port()
    env = clean_env(
        DATABASE_URL=database,
        PORT=str(port),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_BASE_URL=fake_slack.api_url,
        **extra,
    )
    process = run(web_command(), env)
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, process)
    return process, base


def test_sigterm_mid_flight_then_a_restart_answers_every_question_once(fake_slack, tmp_path):
    database = f"sqlite:///{tmp_path}/restart.db"
    for _ in range(4):  # four senders: each post reaches Slack, its answer comes late
        fake_slack.post_then_delay("chat.postMessage", 3.0)
    process, base = _serve(fake_slack, database, ROLE_ADVISOR_SHUTDOWN_GRACE="0.5")
    questions = [direct_message(f"AE vs AM {n}?", ts=f"1700000500.{n:06d}") for n in range(6)]
    try:
        sender = SlackSender(lambda path, data, headers: post(base + path, data, headers))
        for n, event in enumerate(questions):
            assert sender.event(event, event_id=f"EvT{n}")[0] == 200
        wait_until(lambda: len(fake_slack.messages) == 4, "four posts in flight", timeout=10)
    finally:
        first = stop(process)  # SIGTERM: the four are not done within the grace
    assert process.returncode == 0, first
    # The four in flight, and the rest: queued for delivery, or still in the inbox.
    [left] = re.findall(r"delivery stopped: (\d+) replies and (\d+) requests wait", first)
    assert int(left[0]) >= 4
    assert sum(map(int, left)) == 6

    process, _ = _serve(fake_slack, database)
    outbox = Database.connect(database, upgrade=False)
    try:
        wait_until(lambda: _sent(outbox) == 6, "every reply to be sent", timeout=10)
    finally:
        outbox.dispose()
        stop(process)
    keys = [f"message:{e['channel']}:{e['ts']}" for e in questions]
    assert [len(fake_slack.posted(k)) for k in keys] == [1] * 6  # lost 0, doubled 0
    assert len(fake_slack.calls_to("conversations.history")) >= 4  # the four were looked for


def _sent(database: Database) -> int:
    with database.transaction() as session:
        return len(session.scalars(select(SlackOutbox).where(SlackOutbox.status == "sent")).all())


def test_the_web_command_without_a_signing_secret_exits_2_with_one_clear_message(fake_slack):
    command = web_command()
    env = clean_env(PORT=str(free_port()), SLACK_BOT_TOKEN=BOT_TOKEN)
    process = run(command, env)
    try:
        process.wait(STARTUP)
    finally:
        err = stop(process)
    assert process.returncode == 2
    assert "SLACK_SIGNING_SECRET is not set" in err
    assert "Signing Secret" in err
    assert "Traceback" not in err


def test_the_worker_command_answers_over_socket_mode(fake_slack, advisor, tmp_path):
    server = FakeSocketMode().start()
    fake_slack.socket_url = server.url
    env = clean_env(
        DATABASE_URL=f"sqlite:///{tmp_path}/worker.db",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=APP_TOKEN,
        SLACK_API_BASE_URL=fake_slack.api_url,
    )
    process = run(procfile()["worker"], env)
    try:
        deadline = time.monotonic() + STARTUP
        while not server.connected():
            if process.poll() is not None:
                pytest.fail(f"the worker exited: {process.stderr()}")
            if time.monotonic() > deadline:
                pytest.fail("the worker never connected")
            time.sleep(0.05)
        event = mention("AE vs AM?")
        server.send(events_api_envelope(event, event_id="Ev710", envelope_id="env-10"))
        [call] = fake_slack.wait_for("chat.postMessage", timeout=10)
        assert without_feedback(call.body["blocks"]) == list(advisor.ask(event["text"]).blocks)
        assert server.wait_for_acks(1)[0]["envelope_id"] == "env-10"
    finally:
        err = stop(process)
        server.stop()
    assert process.returncode == 0, err
    line = next(line for line in err.splitlines() if "bot.slack.requests" in line)
    assert json.loads(line.split(": ", 1)[1])["outcome"] == "answered"


# -- the answer process ----------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _answer_process(web_pid: int) -> int:
    [child] = [c for c in _children(web_pid) if b"--answers" in _cmdline(c)]
    return child


def _cmdline(pid: int) -> bytes:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return b""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and b"zombie" not in _status(pid)


def _status(pid: int) -> bytes:
    try:
        return (Path("/proc") / str(pid) / "status").read_bytes().lower()
    except OSError:
        return b"zombie"


def _metric(text: str, name: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(name) and not line.startswith("#")
    )


def test_answers_come_from_the_answer_process_and_metrics_from_both(fake_slack, tmp_path):
    process, base = _serve(fake_slack, f"sqlite:///{tmp_path}/split.db")
    try:
        child = _answer_process(process.pid)
        sender = SlackSender(lambda path, data, headers: post(base + path, data, headers))
        assert sender.event(mention("what does an AE do?"), event_id="Ev720")[0] == 200
        fake_slack.wait_for("chat.postMessage", timeout=10)
        scraped = []

        def delivered() -> bool:
            with urllib.request.urlopen(f"{base}/metrics", timeout=5) as response:  # loopback
                scraped.append(response.read().decode())
            return _metric(scraped[-1], "role_advisor_slack_deliveries_total") == 1

        wait_until(delivered, "the delivery to be counted", timeout=10)
        text = scraped[-1]
    finally:
        err = stop(process)
    assert process.returncode == 0, err
    assert not _alive(child)  # stopped with the web process
    # The web process acknowledged; the answer process answered and delivered: /metrics has both.
    assert _metric(text, 'roleadvisor_http_requests_total{outcome="accepted",status="200"}') == 1
    assert _metric(text, "role_advisor_slack_answers_total") == 1, err
    assert _metric(text, "role_advisor_slack_deliveries_total") == 1
    assert _metric(text, "role_advisor_slack_inbox_depth") == 0
    line = next(line for line in err.splitlines() if "bot.slack.requests" in line)
    assert f"answering (pid {child})" in err
    assert json.loads(line.split(": ", 1)[1])["event_id"] == "Ev720"


def test_a_dead_answer_process_is_started_again_and_answers_what_waited(fake_slack, tmp_path):
    process, base = _serve(fake_slack, f"sqlite:///{tmp_path}/again.db")
    sender = SlackSender(lambda path, data, headers: post(base + path, data, headers))
    try:
        first = _answer_process(process.pid)
        os.kill(first, signal.SIGKILL)
        wait_until(lambda: not _alive(first), "the answer process to die", timeout=10)
        # Acknowledged while nothing answers: it waits in the inbox.
        event = direct_message("AE vs AM?", ts="1700000600.000001")
        assert sender.event(event, event_id="Ev721")[0] == 200
        [call] = fake_slack.wait_for("chat.postMessage", timeout=STARTUP)
        assert call.body["channel"] == event["channel"]
        second = _answer_process(process.pid)
        assert second != first
    finally:
        err = stop(process)
    assert process.returncode == 0, err
    assert "the answer process exited (status -9); starting another in 1 s" in err
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_the_answer_process_stops_when_the_web_process_dies(fake_slack, tmp_path):
    process, _ = _serve(fake_slack, f"sqlite:///{tmp_path}/orphan.db")
    try:
        child = _answer_process(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        wait_until(lambda: not _alive(child), "the orphaned answer process to stop", timeout=15)
    finally:
        stop(process)
