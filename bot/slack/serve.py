"""``python -m bot serve --socket`` and ``serve --http [--port N]``: run the Slack app.

Settings come from the environment (see ``bot.slack.settings``); a missing or malformed one
prints one message naming the variable and where to find it, and exits with status 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from slack_bolt import App
from slack_bolt.error import BoltError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.answer import DEFAULT_RESPONSES_DIR
from bot.knowledge import DEFAULT_KNOWLEDGE_DIR, KnowledgeError
from bot.live import LiveAdvisor
from bot.render import ExamplesError
from bot.slack.admins import AdminNotice
from bot.slack.inbound import Workspace
from bot.slack.settings import HttpLimits, Mode, Settings, SettingsError, port_from_env

__all__ = ["StartupError", "configure_logging", "load", "main"]

EXIT_OK, EXIT_BROKEN, EXIT_USAGE = 0, 1, 2
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


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
) -> tuple[Settings, App]:
    """Settings, knowledge and the Bolt app (whose bot token, if one, Slack checks); raises
    StartupError."""
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
        runtime = create_runtime(settings, advisor)
        notice.clients = runtime.clients
        return settings, runtime.app
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
        where = make_url(settings.database_url).render_as_string(hide_password=True)
        message = (
            f"Role Advisor cannot start: the database at {where} cannot be used "
            f"({type(error).__name__}). Check DATABASE_URL."
        )
        raise StartupError(message, EXIT_BROKEN) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rolebot serve", description="Run Role Advisor's Slack app."
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--socket", action="store_true", help="Socket Mode (needs SLACK_APP_TOKEN)")
    mode.add_argument(
        "--http", action="store_true", help="HTTP with waitress (needs SLACK_SIGNING_SECRET)"
    )
    parser.add_argument("--host", default="0.0.0.0", help="HTTP: address to bind (0.0.0.0)")
    parser.add_argument("--port", type=int, default=None, help="HTTP: port ($PORT, else 3000)")
    return parser


def _serve_http(app: App, settings: Settings, limits: HttpLimits, host: str, port: int) -> int:
    from bot.slack import server
    from bot.slack.app import redis_client
    from bot.slack.redis_stores import RedisSeenSignatures
    from bot.slack.web import create_flask_app

    shared = redis_client(settings)
    seen = RedisSeenSignatures(shared) if shared else None
    secret = settings.signing_secret or ""
    wsgi = create_flask_app(app, signing_secret=secret, limits=limits, seen=seen)
    return server.run(wsgi, host=host, port=port, limits=limits)


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
    mode: Mode = "socket" if args.socket else "http"
    try:
        port = args.port if args.port is not None else port_from_env(env)
        limits = HttpLimits.from_env(env)
        settings, app = load(mode, env, knowledge_dir=knowledge_dir, responses_dir=responses_dir)
    except (StartupError, SettingsError) as error:
        status = error.status if isinstance(error, StartupError) else EXIT_USAGE
        prefix = "" if isinstance(error, StartupError) else "Role Advisor cannot start: "
        sys.stderr.write(f"{prefix}{error}\n")
        return status
    if mode == "socket":
        from bot.slack import socket_mode

        return socket_mode.run(app, settings.app_token or "")
    return _serve_http(app, settings, limits, args.host, port)


if __name__ == "__main__":
    raise SystemExit(main())
