"""HTTP mode: a Flask app around Bolt's Flask adapter, served by gunicorn.

``POST /slack/events`` takes events, slash commands and interactivity (Bolt verifies each
request's signature and answers 401 to a forged or stale one); ``GET /healthz`` answers 200.
The Procfile's ``web:`` line runs ``gunicorn 'bot.slack.web:create_wsgi_app()'``.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from flask import Flask, Response, jsonify, request
from slack_bolt import App
from slack_bolt.adapter.flask import SlackRequestHandler

__all__ = ["EVENTS_PATH", "GUNICORN_OPTIONS", "HEALTH_PATH", "create_flask_app", "create_wsgi_app"]

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# One process (the dedupe and conversation stores are in memory), threads for concurrency.
GUNICORN_OPTIONS: dict[str, Any] = {
    "workers": 1,
    "threads": 8,
    "timeout": 30,
    "preload_app": True,
}


def create_flask_app(bolt_app: App) -> Flask:
    """The WSGI app: Slack's requests go to Bolt, health checks answer directly."""
    flask_app = Flask("role_advisor")
    handler = SlackRequestHandler(bolt_app)

    @flask_app.post(EVENTS_PATH)
    def slack_events() -> Response:
        return handler.handle(request)

    @flask_app.get(HEALTH_PATH)
    def healthz() -> Response:
        return jsonify(status="ok")

    return flask_app


def create_wsgi_app() -> Flask:
    """Build everything from the environment, for gunicorn; exits with status 2 on bad settings."""
    from bot.slack.serve import StartupError, configure_logging, load

    configure_logging()
    try:
        _, bolt_app = load("http", os.environ)
    except StartupError as error:
        sys.stderr.write(f"{error}\n")
        sys.stderr.flush()
        raise SystemExit(error.status) from None
    return create_flask_app(bolt_app)
