"""``python -m bot serve --socket`` and ``serve --http [--port N]``: run the Slack app.

Each process that serves HTTP starts its answer process itself, ``serve --answers``
(``bot.slack.answer_process``); they all run in prometheus_client's multiprocess mode, in a
temporary directory unless ``PROMETHEUS_MULTIPROC_DIR`` names one. Settings come from the
environment (see ``bot.slack.settings``); a missing or malformed one prints one message naming
the variable and where to find it, and exits with status 2. The process that holds the
database's serving lock watches it while it serves (``bot.slack.lock_watch``): if it is lost,
the process stops as on SIGTERM and exits with status 1.
"""

from __future__ import annotations

import argparse
import functools
import gc
import logging
import os
import socket
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from slack_bolt.error import BoltError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.answer import DEFAULT_RESPONSES_DIR
from bot.db.lock import LockBusy, ServingLock, hold
from bot.knowledge import DEFAULT_KNOWLEDGE_DIR, KnowledgeError
from bot.live import LiveAdvisor
from bot.render import ExamplesError
from bot.slack import workers
from bot.slack.admins import AdminNotice
from bot.slack.inbound import Workspace
from bot.slack.settings import (
    MAX_WORKERS,
    METRICS_DIR_VARIABLE,
    WORKERS_VARIABLE,
    HttpLimits,
    Mode,
    Settings,
    SettingsError,
    port_from_env,
    workers_from_env,
)

if TYPE_CHECKING:
    from bot.slack.app import SlackRuntime

__all__ = ["StartupError", "configure_logging", "load", "main"]

EXIT_OK, EXIT_BROKEN, EXIT_USAGE = 0, 1, 2
# The process id tells the workers of ``--workers`` apart, whose lines share one stderr.
LOG_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"


class StartupError(Exception):
    """The app cannot start; ``status`` is the exit status to leave with."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def configure_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format=LOG_FORMAT, stream=sys.stderr)


def load(
    mode: Mode,
    env: Mapping[str, str],
    *,
    knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR,
    responses_dir: Path = DEFAULT_RESPONSES_DIR,
    migrate: bool = True,
) -> tuple[Settings, SlackRuntime]:
    """Settings, knowledge and the app (whose bot token, if one, Slack checks), not yet
    answering; raises StartupError. ``migrate`` brings the schema up to date first (the answer
    process leaves that to the process that started it, which did it: a migration holds the
    write lock while Alembic loads its scripts, and that process's acknowledgements would wait).
    """
    from bot.slack.app import create_runtime

    try:
        settings = Settings.from_env(env, mode=mode)
    except SettingsError as error:
        raise StartupError(f"Role Advisor cannot start: {error}", EXIT_USAGE) from None
    admin_team = Workspace.named(settings.admin_team) if settings.admin_team else None
    notice = AdminNotice(settings.admins, workspace=admin_team)
    try:
        # Edits to the knowledge and templates are picked up while the app runs.
        advisor = LiveAdvisor(knowledge_dir, responses_dir, on_refused=notice)
    except KnowledgeError as error:
        message = f"{error}\nThe knowledge base has problems; run 'rolebot validate'."
        raise StartupError(message, EXIT_BROKEN) from None
    except ExamplesError as error:
        raise StartupError(f"Role Advisor cannot start: {error}", EXIT_BROKEN) from None
    try:
        runtime = create_runtime(settings, advisor, migrate=migrate, start=False)
        notice.clients = runtime.clients
    except BoltError as error:
        message = (
            f"Role Advisor cannot start: Slack refused SLACK_BOT_TOKEN ({error}). Copy the Bot "
            "User OAuth Token again from 'OAuth & Permissions' in your app's page at "
            "https://api.slack.com/apps, and check that the app is installed."
        )
        raise StartupError(message, EXIT_USAGE) from None
    except OSError as error:
        message = (
            f"Role Advisor cannot start: Slack's Web API at {settings.api_base_url} cannot be "
            f"reached ({type(error).__name__}: {error}). Check the network or SLACK_API_BASE_URL."
        )
        raise StartupError(message, EXIT_BROKEN) from None
    except SQLAlchemyError as error:
        raise _database_problem(settings.database_url, error) from None
    return settings, runtime


def _workers(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"not a whole number from 1 to {MAX_WORKERS}")
    return int(value)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rolebot serve", description="Run Role Advisor's Slack app."
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--socket", action="store_true", help="Socket Mode (needs SLACK_APP_TOKEN)")
    mode.add_argument(
        "--http", action="store_true", help="HTTP with waitress (needs SLACK_SIGNING_SECRET)"
    )
    mode.add_argument(
        "--answers", action="store_true", help="the answer process --http starts for itself"
    )
    parser.add_argument("--host", default="0.0.0.0", help="HTTP: address to bind (0.0.0.0)")
    parser.add_argument("--port", type=int, default=None, help="HTTP: port ($PORT, else 3000)")
    parser.add_argument(
        "--workers",
        type=_workers,
        default=None,
        help=f"HTTP: processes serving the port (${WORKERS_VARIABLE}, else 1); more than 1 "
        "needs REDIS_URL and a PostgreSQL DATABASE_URL",
    )
    parser.add_argument(workers.WORKER_FDS, help=argparse.SUPPRESS)  # set for each of them
    return parser


def _database_problem(url: str, error: Exception) -> StartupError:
    where = make_url(url).render_as_string(hide_password=True)
    message = (
        f"Role Advisor cannot start: the database at {where} cannot be used "
        f"({type(error).__name__}). Check DATABASE_URL."
    )
    return StartupError(message, EXIT_BROKEN)


def _check_workers(mode: Mode, count: int, settings: Settings) -> None:
    """Several workers need state they can share: refuse them what would answer wrongly."""
    if count == 1:
        return
    start = f"Role Advisor cannot start: {count} workers (--workers or {WORKERS_VARIABLE})"
    if mode == "socket":
        message = (
            f"{start} are for --http. For Socket Mode, run the worker: line more than once, "
            "each with the same REDIS_URL and a PostgreSQL DATABASE_URL."
        )
        raise StartupError(message, EXIT_USAGE)
    needs: list[tuple[str, str, str]] = []  # what is needed, why, the variable to set
    if not settings.redis_url:
        why = (
            "without REDIS_URL each process keeps conversations and seen signatures to itself, "
            "so a DM follow-up landing on another process loses its context"
        )
        needs.append(("REDIS_URL", why, "REDIS_URL"))
    if _is_sqlite(settings.database_url):
        why = "SQLite (the default) serves one process"
        needs.append(("a PostgreSQL DATABASE_URL", why, "DATABASE_URL"))
    if needs:
        what, reasons, variables = zip(*needs, strict=True)
        message = (
            f"{start} need {' and '.join(what)}: {'; '.join(reasons)}. Set "
            f"{' and '.join(variables)}, or serve with one worker."
        )
        raise StartupError(message, EXIT_USAGE)


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _serving_lock(settings: Settings) -> ServingLock:
    """The database's serving lock: shared with other processes on the same Redis, alone
    without one (see ``bot.db.lock``)."""
    url = settings.database_url
    try:
        return hold(url, shared=settings.redis_url is not None)
    except LockBusy as busy:
        raise StartupError(_busy_message(url, busy), EXIT_USAGE) from None
    except (OSError, SQLAlchemyError) as error:
        raise _database_problem(url, error) from None


def _busy_message(url: str, busy: LockBusy) -> str:
    where = make_url(url).render_as_string(hide_password=True)
    if busy.backend == "sqlite":
        return (
            f"Role Advisor cannot start: another process already serves the SQLite database "
            f"at {where}, and SQLite serves one process. Stop the other one, or give every "
            "process a PostgreSQL DATABASE_URL and the same REDIS_URL."
        )
    if busy.shared:
        return (
            f"Role Advisor cannot start: a process without REDIS_URL already serves the "
            f"database at {where}, keeping its conversations to itself. Restart it with the "
            "same REDIS_URL as this one, or stop it."
        )
    return (
        f"Role Advisor cannot start: another process already serves the database at {where}, "
        "and this one has no REDIS_URL: it would keep conversations to itself, so a follow-up "
        "landing on the other would lose its context. Set REDIS_URL (the same for every "
        "process), or stop the other one."
    )


def _bind(host: str, port: int, count: int, held: ExitStack) -> list[socket.socket]:
    """``count`` sockets bound to ``host:port``, one per worker (see ``bot.slack.workers``)."""
    from bot.slack import server

    try:
        return [
            held.enter_context(server.bind(host, port, share=count > 1)) for _ in range(count)
        ]
    except OSError as error:
        message = (
            f"Role Advisor cannot start: it cannot listen on {host}:{port} "
            f"({error.strerror or error}). Check --host, and --port or PORT."
        )
        raise StartupError(message, EXIT_BROKEN) from None


def _serve_http(
    runtime: SlackRuntime,
    settings: Settings,
    limits: HttpLimits,
    sock: socket.socket,
    *,
    answer_command: list[str],
    ready: Callable[[], None] = lambda: None,
) -> int:
    from bot.slack import server
    from bot.slack.answer_process import AnswerProcess
    from bot.slack.app import redis_client
    from bot.slack.redis_stores import RedisSeenSignatures
    from bot.slack.web import create_flask_app

    shared = redis_client(settings)
    seen = RedisSeenSignatures(shared) if shared else None
    secret = settings.signing_secret or ""
    wsgi = create_flask_app(
        runtime.app, inbox=runtime.inbox, signing_secret=secret, limits=limits, seen=seen
    )
    answers = AnswerProcess(answer_command, grace=settings.shutdown_grace)
    runtime.inbox.wake = answers.wake
    answers.start()
    try:
        return server.run(wsgi, sock=sock, limits=limits, ready=ready)
    finally:
        answers.stop()


def _multiprocess_metrics(env: Mapping[str, str]) -> tempfile.TemporaryDirectory[str] | None:
    """Switch prometheus_client to its multiprocess mode, in a directory of our own unless one
    is named: only possible before prometheus_client is imported (it decides then)."""
    if env.get(METRICS_DIR_VARIABLE) or "prometheus_client" in sys.modules:
        return None
    directory = tempfile.TemporaryDirectory(prefix="role-advisor-metrics-")
    os.environ[METRICS_DIR_VARIABLE] = directory.name
    return directory


def _command(role: str, knowledge_dir: Path, responses_dir: Path) -> list[str]:
    """How a worker of ``--workers`` (``--http``) or an answer process (``--answers``) is
    started: this interpreter, the same directories."""
    return [
        sys.executable,
        "-m",
        "bot",
        "--knowledge",
        str(knowledge_dir),
        "--responses",
        str(responses_dir),
        "serve",
        role,
    ]


def _prepare(
    args: argparse.Namespace,
    env: Mapping[str, str],
    held: ExitStack,
    *,
    knowledge_dir: Path,
    responses_dir: Path,
) -> Callable[[], int]:
    """Check everything and build the app; returns what serves it until stopped. What must
    last as long as the serving (the lock, the socket) goes on ``held``."""
    mode: Mode = "socket" if args.socket else "http"
    dirs = {"knowledge_dir": knowledge_dir, "responses_dir": responses_dir}

    def loaded(*, migrate: bool = True) -> tuple[Settings, SlackRuntime]:
        return load(mode, env, migrate=migrate, **dirs)

    if args.answers:  # started by a process that serves HTTP: it holds the lock, it migrated
        from bot.slack.answer_process import serve_answers

        settings, runtime = loaded(migrate=False)
        return lambda: serve_answers(runtime, sys.stdin.fileno())
    answers = _command("--answers", **dirs)
    if args.worker_fds:  # one of several: the parent checked, holds the lock, bound the socket
        bound, link = workers.parse_fds(args.worker_fds)
        sock = held.enter_context(socket.socket(fileno=bound))
        limits = HttpLimits.from_env(env)
        settings, runtime = loaded()
        return lambda: _serve_http(
            runtime,
            settings,
            limits,
            sock,
            answer_command=answers,
            ready=lambda: workers.serving(link),
        )
    port = args.port if args.port is not None else port_from_env(env)
    count = args.workers if args.workers is not None else workers_from_env(env)
    limits = HttpLimits.from_env(env)
    settings = Settings.from_env(env, mode=mode)
    _check_workers(mode, count, settings)
    lock = held.enter_context(_serving_lock(settings))
    watched = functools.partial(_watched, lock, settings)
    if mode == "socket":
        from bot.slack import socket_mode

        settings, runtime = loaded()
        runtime.start()
        return watched(lambda: socket_mode.run(runtime.app, settings.app_token or ""))
    sockets = _bind(args.host, port, count, held)
    if count > 1:
        return watched(workers.Workers(_command("--http", **dirs), sockets, env).run)
    settings, runtime = loaded()
    return watched(
        lambda: _serve_http(runtime, settings, limits, sockets[0], answer_command=answers)
    )


def _watched(lock: ServingLock, settings: Settings, serve: Callable[[], int]) -> Callable[[], int]:
    """``serve``, with ``lock`` checked while it runs (``bot.slack.lock_watch``): if the lock
    is lost, the process stops as on SIGTERM and exits with status 1."""
    from bot.slack.lock_watch import LockWatch

    where = make_url(settings.database_url).render_as_string(hide_password=True)

    def run() -> int:
        with LockWatch(lock, where=where, every=settings.lock_check_every) as watch:
            status = serve()
        return EXIT_BROKEN if watch.lost else status

    return run


def main(
    argv: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
    *,
    knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR,
    responses_dir: Path = DEFAULT_RESPONSES_DIR,
) -> int:
    """Run the Slack app until stopped; returns the exit status (2 for usage and settings)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["serve"]:
        args_list = args_list[1:]
    try:
        args = _parser().parse_args(args_list)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    env = os.environ if env is None else env
    configure_logging()
    with ExitStack() as held:
        if args.http:
            metrics_dir = _multiprocess_metrics(env)
            if metrics_dir is not None:
                held.enter_context(metrics_dir)
        try:
            serve = _prepare(
                args, env, held, knowledge_dir=knowledge_dir, responses_dir=responses_dir
            )
        except (StartupError, SettingsError) as error:
            status = error.status if isinstance(error, StartupError) else EXIT_USAGE
            prefix = "" if isinstance(error, StartupError) else "Role Advisor cannot start: "
            sys.stderr.write(f"{prefix}{error}\n")
            return status
        # What was loaded lives as long as the process: a full garbage collection would walk
        # all of it (over 100 ms, stalling whatever thread triggers it), so it is left out.
        gc.collect()
        gc.freeze()
        return serve()


if __name__ == "__main__":
    raise SystemExit(main())
