"""HTTP mode: the Flask app in front of Bolt's Flask adapter (served by ``bot.slack.server``).

``POST /slack/events`` takes events, slash commands and interactivity. Each request passes
``bot.slack.gate`` first (signature, body limit, replay, shape). One that goes to a listener
whose acknowledgement carries nothing (``bot.slack.listeners.answered_later``) is written to
the inbox and acknowledged at once, with an empty 200; Bolt dispatches it later, in the answer
process (``bot.slack.inbox``). The others (``url_verification``, ``ssl_check``, ``/keyaccount``
and its modal, the feedback buttons and their form, ``/roleadvisor-report``, uninstalls and
revoked tokens, anything no listener takes) reach Bolt's Flask adapter while Slack waits, and
Bolt verifies their signature again. ``GET /healthz`` answers 200 without touching anything;
``GET /metrics`` serves every process's metrics (``bot.slack.metrics.exposition_registry``).

Installed in many workspaces (``bot.slack.workspaces``), ``GET /slack/install`` and
``GET /slack/oauth_redirect`` go to Bolt's OAuth flow without the gate: they are people's
browsers, not Slack, so nothing is signed. They take no body; what they do is bounded by Bolt's
checks (the redirect needs the state this server issued, with the same value in the browser's
cookie, unexpired and unused, then a code that Slack exchanges for the client secret), and a
failure is a page that says why (400 or 401), never a 500.

``POST /slack/events`` is taken ahead of Flask (``_Acknowledger``, wrapping Flask's
``wsgi_app``): a request the inbox takes, or one refused, never enters Flask's request
handling, which cost about a fifth of an acknowledgement's time in process; one Bolt answers
goes on to Flask's route with the gate's verdict and its body as read.

Each request to ``/slack/events`` gets one structured line on the ``bot.slack.http`` logger
(outcome, status, kind, event id, ack time); what is done with an accepted request gets its own
line on ``bot.slack.requests``, with the same event id. No line holds a body or a header value.
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask, Response, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from slack_bolt import App
from slack_bolt.adapter.flask import SlackRequestHandler
from werkzeug.wrappers import Request

from bot.db.batch import WriteFailed
from bot.slack import gate, http_metrics
from bot.slack.app import BOLT_LOGGER
from bot.slack.inbox import Inbox
from bot.slack.listeners import answered_later
from bot.slack.metrics import exposition_registry
from bot.slack.replay import InProcessSeenSignatures, SeenSignatures
from bot.slack.settings import HttpLimits

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["EVENTS_PATH", "HEALTH_PATH", "METRICS_PATH", "create_flask_app"]

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"

http_log = logging.getLogger("bot.slack.http")
logger = logging.getLogger("bot.slack.web")
UNAVAILABLE_PAGE = (
    "<html><body><h2>Installing is unavailable just now</h2>"
    "<p>The app cannot reach its database. Try again in a minute.</p></body></html>"
)

# What ``_Acknowledger`` leaves in the environ of a request it hands on to Flask's route.
_VERDICT, _STARTED = "role_advisor.verdict", "role_advisor.started"

_REFUSALS = {
    401: "invalid request",
    413: "request body too large",
    415: "unsupported content type",
    400: "malformed request",
}


class _NoRequestBodies(logging.Filter):
    """Bolt logs the whole body of a request whose signature fails (at INFO, in
    ``RequestVerification._debug_log_error``) and parts of one no listener matches (WARNING):
    the first record is dropped (``bot.slack.http`` logs the refusal), the others lose the body.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("Invalid request signature detected"):
            return False
        if message.startswith(("Unhandled request (", "A global middleware (")):
            record.msg, record.args = "Unhandled request: no listener took it (body not logged)", ()
        if message.startswith("Failed to fetch oauth.v2.access result with code:"):
            record.msg, record.args = "oauth.v2.access refused the code (code not logged)", ()
        return True


for _name in ("slack_bolt.RequestVerification", BOLT_LOGGER):
    logging.getLogger(_name).addFilter(_NoRequestBodies())


def _outcome(verdict: gate.Verdict, status: int) -> str:
    if not verdict.accepted:
        return verdict.outcome
    if status >= 500:
        return "error"
    return {401: gate.BAD_SIGNATURE, 404: "unhandled"}.get(status, verdict.outcome)


def _record(verdict: gate.Verdict, status: int, started: float, size: int | None) -> None:
    elapsed = time.perf_counter() - started
    outcome = _outcome(verdict, status)
    http_metrics.REQUESTS.labels(outcome, str(status)).inc()
    http_metrics.REQUEST_SECONDS.observe(elapsed)
    line = {
        "path": EVENTS_PATH,
        "status": status,
        "outcome": outcome,
        "kind": verdict.kind,
        "event_id": verdict.event_id,
        "retry_num": verdict.retry_num,
        "bytes": size,
        "ack_ms": round(elapsed * 1000, 1),
    }
    http_log.info(json.dumps(line, ensure_ascii=False))


class _Acknowledger:
    """``POST /slack/events`` ahead of Flask: the gate, then the inbox's write and its empty
    200, or a refusal; a request for Bolt goes on to ``app`` (Flask's ``wsgi_app``) with its
    verdict, the body it was read with back in place."""

    def __init__(
        self, app: WSGIApplication, *, checks: gate.Gate, inbox: Inbox, max_body_bytes: int
    ) -> None:
        self.app = app
        self.checks = checks
        self.inbox = inbox
        self.max_body_bytes = max_body_bytes

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != EVENTS_PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        started = time.perf_counter()
        arrived = Request(environ)
        arrived.max_content_length = self.max_body_bytes  # reading a body without a length
        verdict = self.checks.check(arrived)
        if verdict.accepted and not answered_later(verdict.payload):
            body = verdict.body.encode()
            environ.pop("HTTP_TRANSFER_ENCODING", None)
            environ.update({
                "wsgi.input": io.BytesIO(body),
                "CONTENT_LENGTH": str(len(body)),
                _VERDICT: verdict,
                _STARTED: started,
            })
            return self.app(environ, start_response)
        if verdict.accepted:
            response = self._receive(verdict)
        elif verdict.status == 200:  # a replay: acknowledged, not handled
            response = Response("", 200)
        else:
            refusal = json.dumps({"error": _REFUSALS[verdict.status]})
            response = Response(refusal, verdict.status, mimetype="application/json")
        _record(verdict, response.status_code, started, arrived.content_length)
        return response(environ, start_response)

    def _receive(self, verdict: gate.Verdict) -> Response:
        try:
            self.inbox.receive(verdict.body, verdict.content_type, verdict.retry_num)
        except WriteFailed as failed:  # no body in the log: the cause's text may hold it
            logger.error("the inbox cannot be written (%s)", type(failed.__cause__).__name__)
            return Response("", 500)  # Slack sends it again
        return Response("", 200)


def create_flask_app(
    bolt_app: App,
    *,
    inbox: Inbox,
    signing_secret: str,
    limits: HttpLimits | None = None,
    seen: SeenSignatures | None = None,
) -> Flask:
    """The WSGI app: Slack's requests go through the gate to ``inbox`` or to Bolt; health and
    metrics answer directly."""
    limits = limits or HttpLimits()
    flask_app = Flask("role_advisor")
    # Werkzeug stops reading a body without Content-Length past this (Flask answers 413).
    flask_app.config["MAX_CONTENT_LENGTH"] = limits.max_body_bytes
    checks = gate.Gate(
        signing_secret,
        max_body_bytes=limits.max_body_bytes,
        seen=seen or InProcessSeenSignatures(),
    )
    flask_app.wsgi_app = _Acknowledger(  # type: ignore[method-assign]
        flask_app.wsgi_app, checks=checks, inbox=inbox, max_body_bytes=limits.max_body_bytes
    )
    handler = SlackRequestHandler(bolt_app)
    registry = exposition_registry()

    @flask_app.post(EVENTS_PATH)
    def slack_events() -> Response:
        """A request the gate passed that Bolt answers while Slack waits."""
        verdict: gate.Verdict = request.environ[_VERDICT]
        started: float = request.environ[_STARTED]
        try:
            response = handler.handle(request)
        except Exception:
            _record(verdict, 500, started, request.content_length)
            raise
        _record(verdict, response.status_code, started, request.content_length)
        return response

    flow = bolt_app.oauth_flow
    if flow is not None:

        @flask_app.get(flow.install_path)
        @flask_app.get(flow.redirect_uri_path)
        def install() -> Response:
            started = time.perf_counter()
            try:
                response = handler.handle(request)
            except Exception:  # the installation or state store is away
                http_log.exception("installing failed: path=%s", request.path)
                response = Response(UNAVAILABLE_PAGE, 503, content_type="text/html; charset=utf-8")
            line = {
                "path": request.path,
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            }
            http_log.info(json.dumps(line))
            return response

    @flask_app.get(HEALTH_PATH)
    def healthz() -> Response:
        return jsonify(status="ok")

    @flask_app.get(METRICS_PATH)
    def metrics() -> Response:
        return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)

    return flask_app
