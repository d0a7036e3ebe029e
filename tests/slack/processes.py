"""The Procfile's processes, started as a platform starts them (for the tests and bench/).

Each command runs under ``bash -c exec ...`` in its own session, with the environment a
deployment would have: this interpreter's directory first on PATH, no SLACK_*, ROLE_ADVISOR* or
DATABASE_URL variables but the ones given.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[2]
STARTUP = 20.0  # seconds a server gets to come up


class StartupFailed(AssertionError):
    """The process exited, or never answered its health check."""


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def web_command() -> str:
    """The Procfile's ``web:`` line, bound to loopback instead of every interface."""
    return procfile()["web"].replace("0.0.0.0", "127.0.0.1")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_env(**values: str) -> dict[str, str]:
    own = ("SLACK_", "ROLE_ADVISOR", "DATABASE_URL", "REDIS_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(own)}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(values)
    return env


@dataclass
class Process:
    """A started command. Its stderr goes to a temporary file: a pipe nobody reads fills up
    after 64 KiB of log lines and then blocks every thread of the process that logs."""

    popen: subprocess.Popen[str]
    log: IO[str]

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def returncode(self) -> int | None:
        return self.popen.returncode

    def poll(self) -> int | None:
        return self.popen.poll()

    def wait(self, timeout: float) -> int:
        return self.popen.wait(timeout)

    def stderr(self) -> str:
        self.log.seek(0)
        return self.log.read()


def run(command: str, env: dict[str, str]) -> Process:
    log = tempfile.TemporaryFile("w+")  # noqa: SIM115  (closed by stop)
    popen = subprocess.Popen(
        ["bash", "-c", f"exec {command}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
        start_new_session=True,
    )
    return Process(popen, log)


def stop(process: Process) -> str:
    """SIGTERM, then SIGKILL after 10 s; returns what the process wrote to stderr."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
    err = process.stderr()
    process.log.close()
    return err


def post(url: str, data: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_healthy(base: str, process: Process) -> None:
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StartupFailed(f"the web process exited: {process.stderr()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise StartupFailed("the web process never answered /healthz")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def install(base: str, fake: Any, workspace: Any) -> int:
    """What a browser does to install the app at ``base`` in ``workspace`` (a ``FakeWorkspace``
    of ``fake``): ``/slack/install`` (its state and cookie), Slack's code, then the redirect
    back. Returns the redirect's status."""
    try:
        urllib.request.build_opener(_NoRedirects).open(f"{base}/slack/install", timeout=10)
    except urllib.error.HTTPError as redirect:
        location, cookie = redirect.headers["Location"], redirect.headers["Set-Cookie"]
    else:
        raise AssertionError("/slack/install did not redirect")
    state = parse_qs(urlsplit(location).query)["state"][0]
    code = f"code-{workspace.team_id}"
    fake.grant(code, workspace)
    back = urllib.request.Request(
        f"{base}/slack/oauth_redirect?code={code}&state={state}",
        headers={"Cookie": cookie.split(";")[0]},
    )
    try:
        with urllib.request.urlopen(back, timeout=10) as response:  # loopback only
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
