"""The Procfile's commands, run as they are deployed, against the fake Slack on loopback.

``web:`` is gunicorn serving ``bot.slack.web:create_wsgi_app()``; the test binds it to a free
loopback port instead of 0.0.0.0. ``worker:`` is Socket Mode, connecting to a local websocket.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from fake_slack import (
    APP_TOKEN,
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSocketMode,
    SlackSender,
    direct_message,
    events_api_envelope,
    mention,
    wait_until,
)
from sqlalchemy import select

from bot.db import Database
from bot.db.models import SlackOutbox
from bot.slack.web import GUNICORN_OPTIONS

ROOT = Path(__file__).resolve().parents[2]
STARTUP = 20.0  # seconds a server gets to come up


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env(**values: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "ROLE_ADVISOR", "DATABASE_URL"))
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(values)
    return env


def _run(command: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["bash", "-c", f"exec {command}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen[str]) -> str:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        _, err = process.communicate()
    return err


def _post(url: str, data: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _wait_healthy(base: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the web process exited: {process.communicate()[1]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    pytest.fail("the web process never answered /healthz")


def test_procfile_declares_web_on_all_interfaces_and_a_socket_mode_worker():
    lines = procfile()
    assert lines["web"].startswith("gunicorn ")
    assert "--bind 0.0.0.0:$PORT" in lines["web"]
    assert "'bot.slack.web:create_wsgi_app()'" in lines["web"]
    # The same gunicorn settings as 'python -m bot serve --http' (one process: see README).
    assert f"--workers {GUNICORN_OPTIONS['workers']} " in lines["web"]
    assert f"--threads {GUNICORN_OPTIONS['threads']} " in lines["web"]
    assert f"--timeout {GUNICORN_OPTIONS['timeout']} " in lines["web"]
    assert ("--preload " in lines["web"]) is GUNICORN_OPTIONS["preload_app"]
    assert lines["worker"] == "python -m bot serve --socket"


def test_the_web_command_serves_signed_requests_and_refuses_forged_ones(
    fake_slack, advisor, tmp_path
):
    port = _free_port()
    command = procfile()["web"].replace("0.0.0.0", "127.0.0.1")
    env = _env(
        DATABASE_URL=f"sqlite:///{tmp_path}/web.db",
        PORT=str(port),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_BASE_URL=fake_slack.api_url,
    )
    process = _run(command, env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, process)
        sender = SlackSender(lambda path, data, headers: _post(base + path, data, headers))
        event = mention("what does an AE do?")
        status, body = sender.event(event, event_id="Ev700")
        assert (status, body) == (200, b"")
        [call] = fake_slack.wait_for("chat.postMessage", timeout=10)
        assert call.body["thread_ts"] == event["ts"]
        assert call.body["blocks"] == list(advisor.ask(event["text"]).blocks)

        forged = SlackSender(
            lambda path, data, headers: _post(base + path, data, headers), secret="e" * 32
        )
        assert forged.event(mention("AE vs AM?"), event_id="Ev701")[0] == 401
    finally:
        err = _stop(process)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    request_lines = [line for line in err.splitlines() if "bot.slack.requests" in line]
    assert len(request_lines) == 1
    assert '"event_id": "Ev700"' in request_lines[0]
    assert BOT_TOKEN not in err
    assert SIGNING_SECRET not in err
    assert "will be unused" not in err  # Bolt's token warning is filtered as noise


def _serve(fake_slack, database: str, **extra: str) -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    env = _env(
        DATABASE_URL=database,
        PORT=str(port),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_BASE_URL=fake_slack.api_url,
        **extra,
    )
    process = _run(procfile()["web"].replace("0.0.0.0", "127.0.0.1"), env)
    base = f"http://127.0.0.1:{port}"
    _wait_healthy(base, process)
    return process, base


def test_sigterm_mid_flight_then_a_restart_answers_every_question_once(fake_slack, tmp_path):
    database = f"sqlite:///{tmp_path}/restart.db"
    for _ in range(4):  # four senders: each post reaches Slack, its answer comes late
        fake_slack.post_then_delay("chat.postMessage", 3.0)
    process, base = _serve(fake_slack, database, ROLE_ADVISOR_SHUTDOWN_GRACE="0.5")
    questions = [direct_message(f"AE vs AM {n}?", ts=f"1700000500.{n:06d}") for n in range(6)]
    try:
        sender = SlackSender(lambda path, data, headers: _post(base + path, data, headers))
        for n, event in enumerate(questions):
            assert sender.event(event, event_id=f"EvT{n}")[0] == 200
        wait_until(lambda: len(fake_slack.messages) == 4, "four posts in flight", timeout=10)
    finally:
        first = _stop(process)  # SIGTERM: the four are not done within the grace
    assert process.returncode == 0, first
    assert "delivery stopped: 6 replies wait for the next start" in first

    process, _ = _serve(fake_slack, database)
    outbox = Database.connect(database, upgrade=False)
    try:
        wait_until(lambda: _sent(outbox) == 6, "every reply to be sent", timeout=10)
    finally:
        outbox.dispose()
        _stop(process)
    keys = [f"message:{e['channel']}:{e['ts']}" for e in questions]
    assert [len(fake_slack.posted(k)) for k in keys] == [1] * 6  # lost 0, doubled 0
    assert len(fake_slack.calls_to("conversations.history")) >= 4  # the four were looked for


def _sent(database: Database) -> int:
    with database.transaction() as session:
        return len(session.scalars(select(SlackOutbox).where(SlackOutbox.status == "sent")).all())


def test_the_web_command_without_a_signing_secret_exits_2_with_one_clear_message(fake_slack):
    command = procfile()["web"].replace("0.0.0.0", "127.0.0.1")
    env = _env(PORT=str(_free_port()), SLACK_BOT_TOKEN=BOT_TOKEN)
    process = _run(command, env)
    try:
        _, err = process.communicate(timeout=STARTUP)
    finally:
        _stop(process)
    assert process.returncode == 2
    assert "SLACK_SIGNING_SECRET is not set" in err
    assert "Signing Secret" in err
    assert "Traceback" not in err


def test_the_worker_command_answers_over_socket_mode(fake_slack, advisor, tmp_path):
    server = FakeSocketMode().start()
    fake_slack.socket_url = server.url
    env = _env(
        DATABASE_URL=f"sqlite:///{tmp_path}/worker.db",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=APP_TOKEN,
        SLACK_API_BASE_URL=fake_slack.api_url,
    )
    process = _run(procfile()["worker"], env)
    try:
        deadline = time.monotonic() + STARTUP
        while not server.connected():
            if process.poll() is not None:
                pytest.fail(f"the worker exited: {process.communicate()[1]}")
            if time.monotonic() > deadline:
                pytest.fail("the worker never connected")
            time.sleep(0.05)
        event = mention("AE vs AM?")
        server.send(events_api_envelope(event, event_id="Ev710", envelope_id="env-10"))
        [call] = fake_slack.wait_for("chat.postMessage", timeout=10)
        assert call.body["blocks"] == list(advisor.ask(event["text"]).blocks)
        assert server.wait_for_acks(1)[0]["envelope_id"] == "env-10"
    finally:
        err = _stop(process)
        server.stop()
    assert process.returncode == 0, err
    line = next(line for line in err.splitlines() if "bot.slack.requests" in line)
    assert json.loads(line.split(": ", 1)[1])["outcome"] == "answered"
