"""A fake Slack on loopback: the Web API, response_url endpoints, and signed request helpers.

``FakeSlack`` is a threaded ``http.server`` on 127.0.0.1 (a free port) that records every call
(method name, headers, parsed JSON or form body) and answers like Slack, or with a failure
queued by a test (``fail_next``): an error status, a ``Retry-After`` header, a slow answer
(``delay``), or a slow answer after the message was posted (``post_then_delay``, what a timed-out
post looks like to Slack). It keeps the messages it posted, with their metadata, and answers
``conversations.history`` and ``conversations.replies`` from them. ``down()`` closes its port
(connections are refused) until ``up()`` opens it again.

Like Slack, it checks the token of every Web API call (``Call.token``): a bot token it never
issued, or one revoked (``revoke``), gets ``invalid_auth``, and a call without a token
``not_authed``. ``BOT_TOKEN`` is ``TEAM_ID``'s; installing issues more: ``grant`` hands out the
code Slack's authorize page would send back to the app for a ``FakeWorkspace``, and
``oauth.v2.access`` trades it (once, with the app's client id and secret) for that workspace's
token, which ``auth.test`` then answers for.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode

from slack_sdk.signature import SignatureVerifier
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"
TEAM_ID = "T0TEAM"
APP_ID = "A0APP"
BOT_TOKEN = "xoxb-1111-2222-fakebottoken"
APP_TOKEN = "xapp-1-A0APP-3333-fakeapptoken"
SIGNING_SECRET = "0123456789abcdef0123456789abcdef"
CLIENT_ID = "1111111111.2222222222"
CLIENT_SECRET = "fedcba9876543210fedcba9876543210"
WAIT = 5.0  # seconds any wait gives up after


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # http.server's 5 resets connections under a burst of replies


class FakeClock:
    """Seconds since the epoch that move only when told (``advance``)."""

    def __init__(self) -> None:
        self.now = time.time()
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


def wait_until(check: Callable[[], object], what: str, timeout: float = WAIT) -> None:
    """Poll ``check`` until it is true (bounded)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


@dataclass
class Call:
    """One request the fake received."""

    path: str
    method: str  # the Web API method ("chat.postMessage"), or "response_url"
    headers: dict[str, str]
    body: dict[str, Any]
    status: int = 200

    @property
    def token(self) -> str | None:
        """The bearer token the call was made with."""
        value = next((v for k, v in self.headers.items() if k.lower() == "authorization"), "")
        return value.removeprefix("Bearer ") if value.startswith("Bearer ") else None


@dataclass(frozen=True)
class FakeWorkspace:
    """A workspace the app can be installed in, and the bot token installing it issues."""

    team_id: str
    token: str
    bot_user_id: str = BOT_USER_ID
    bot_id: str = BOT_ID
    team_name: str = "Fake Team"
    installer: str = "U0INSTALLER"


ONE_WORKSPACE = FakeWorkspace(TEAM_ID, BOT_TOKEN)
NO_TOKEN_NEEDED = {"oauth.v2.access", "response_url"}  # the client secret, or the URL, says it


@dataclass
class Scripted:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    succeed: bool = False  # do the work (post the message), then answer after ``delay``


class FakeSlack:
    """The fake Web API at ``api_url`` and response_url endpoints under ``url``."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: list[dict[str, Any]] = []  # what chat.postMessage posted, in order
        self.socket_url = ""  # what apps.connections.open hands out
        self.tokens: dict[str, FakeWorkspace] = {BOT_TOKEN: ONE_WORKSPACE}  # valid bot tokens
        self._codes: dict[str, FakeWorkspace] = {}
        self._scripts: dict[str, list[Scripted]] = {}
        self._changed = threading.Condition()
        self._ts = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                fake._handle(self)

            def do_GET(self) -> None:  # the Web API's read methods
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

        self._handler = Handler
        self.server = _Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.api_url = f"{self.url}api/"

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def down(self) -> None:
        """Close the port: every call is refused until ``up``."""
        self.stop()

    def up(self) -> None:
        """Listen on the same port again."""
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler)
        self.server.daemon_threads = True
        self.start()

    def forget_calls(self) -> None:
        with self._changed:
            self.calls.clear()

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}response/{name}"

    # -- scripting and inspection --------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 200,
        body: Any = None,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        """Answer the next call to ``method`` this way instead of with success."""
        with self._changed:
            self._scripts.setdefault(method, []).append(
                Scripted(status, body, headers or {}, delay)
            )

    def post_then_delay(self, method: str, delay: float) -> None:
        """Do the next call to ``method`` (post the message), but answer only after ``delay``."""
        with self._changed:
            self._scripts.setdefault(method, []).append(Scripted(delay=delay, succeed=True))

    def grant(self, code: str, workspace: FakeWorkspace) -> None:
        """Slack's authorize page approved installing in ``workspace``: ``code`` is what it sends
        the browser back to the app's redirect URL with."""
        with self._changed:
            self._codes[code] = workspace

    def revoke(self, token: str) -> None:
        """The token stops working (the app was uninstalled, or the token revoked)."""
        with self._changed:
            self.tokens.pop(token, None)

    def posted(self, key: str) -> list[dict[str, Any]]:
        """The messages posted with the app's metadata for request ``key``."""
        with self._changed:
            return [
                m
                for m in self.messages
                if (m.get("metadata") or {}).get("event_payload", {}).get("key") == key
            ]

    def calls_to(self, method: str) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = WAIT) -> list[Call]:
        """The first ``count`` calls to ``method``, waiting for them (bounded)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                calls = [c for c in self.calls if c.method == method]
                if len(calls) >= count:
                    return calls
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"expected {count} {method} call(s), got {seen}")
                self._changed.wait(left)

    # -- serving -------------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length).decode("utf-8")
        content_type = request.headers.get("Content-Type") or ""
        if "json" in content_type:
            body = json.loads(raw or "{}")
        else:
            body = dict(parse_qsl(raw, keep_blank_values=True))
        path, _, query = request.path.partition("?")
        body = {**dict(parse_qsl(query, keep_blank_values=True)), **body}
        if path.startswith("/api/"):
            method = path.removeprefix("/api/")
        elif path.startswith("/response/"):
            method = "response_url"
        else:
            method = path
        authorization = request.headers.get("Authorization") or ""
        token = authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else ""
        refused = self._refused(method, authorization, token, body)
        with self._changed:
            script = None if refused else self._scripts.get(method)
            scripted = script.pop(0) if script else None
        if refused:
            status, payload, headers = 200, refused, {}
        elif scripted and scripted.succeed:
            payload = self._success(method, body, token)
            time.sleep(scripted.delay)
            status, headers = 200, {}
        else:
            if scripted and scripted.delay:
                time.sleep(scripted.delay)
            status, payload, headers = (
                (scripted.status, scripted.body, scripted.headers)
                if scripted
                else (200, self._success(method, body, token), {})
            )
        with self._changed:
            self.calls.append(Call(path, method, dict(request.headers), body, status))
            self._changed.notify_all()
        data = payload if isinstance(payload, str) else json.dumps(payload)
        encoded = data.encode("utf-8")
        try:
            request.send_response(status)
            request.send_header(
                "Content-Type",
                "text/plain" if isinstance(payload, str) else "application/json; charset=utf-8",
            )
            request.send_header("Content-Length", str(len(encoded)))
            for name, value in headers.items():
                request.send_header(name, value)
            request.end_headers()
            request.wfile.write(encoded)
        except OSError:  # the client gave up (a timeout test)
            return

    def _refused(self, method: str, authorization: str, token: str, body: dict[str, Any]) -> Any:
        """Slack's answer to a call it does not let through, or None."""
        if method == "oauth.v2.access":  # the app's credentials, with HTTP Basic
            expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if authorization == f"Basic {expected}":
                return None
            return {"ok": False, "error": "invalid_client_id"}
        if method in NO_TOKEN_NEEDED or method.startswith("/"):
            return None
        if not token:
            return {"ok": False, "error": "not_authed"}
        with self._changed:
            known = token in self.tokens
        if token.startswith("xoxb-") and not known:
            return {"ok": False, "error": "invalid_auth"}
        return None

    def _exchange(self, body: dict[str, Any]) -> Any:
        """``oauth.v2.access``: a granted code, used once, for its workspace's new token."""
        with self._changed:
            workspace = self._codes.pop(str(body.get("code")), None)
            if workspace is None:
                return {"ok": False, "error": "invalid_code"}
            self.tokens[workspace.token] = workspace
        return {
            "ok": True,
            "app_id": APP_ID,
            "authed_user": {"id": workspace.installer},
            "scope": body.get("scope", "chat:write,commands"),
            "token_type": "bot",
            "access_token": workspace.token,
            "bot_user_id": workspace.bot_user_id,
            "team": {"id": workspace.team_id, "name": workspace.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _success(self, method: str, body: dict[str, Any], token: str) -> Any:
        if method == "oauth.v2.access":
            return self._exchange(body)
        if method == "auth.test":
            with self._changed:
                workspace = self.tokens.get(token, ONE_WORKSPACE)
            return {
                "ok": True,
                "url": "https://fake.slack.test/",
                "team": workspace.team_name,
                "user": "roleadvisor",
                "team_id": workspace.team_id,
                "user_id": workspace.bot_user_id,
                "bot_id": workspace.bot_id,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            channel = self._channel(body.get("channel"))
            ts = f"{int(time.time())}.{next(self._ts):06d}"
            message = {
                "type": "message",
                "ts": ts,
                "channel": channel,
                "text": body.get("text"),
                "thread_ts": body.get("thread_ts"),
                "metadata": body.get("metadata"),
                "bot_id": BOT_ID,
            }
            if "blocks" in body:
                message["blocks"] = body["blocks"]
            with self._changed:
                self.messages.append(message)
            return {"ok": True, "channel": channel, "ts": ts, "message": {"ts": ts}}
        if method == "chat.update":  # the bot's own message, replaced
            channel, ts = self._channel(body.get("channel")), body.get("ts")
            with self._changed:
                for message in self.messages:
                    if (message["channel"], message["ts"]) == (channel, ts):
                        message.update(text=body.get("text"), metadata=body.get("metadata"))
                        if "blocks" in body:
                            message["blocks"] = body["blocks"]
                        return {"ok": True, "channel": channel, "ts": ts, "text": body.get("text")}
            return {"ok": False, "error": "message_not_found"}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": self._channel(body.get("users"))}}
        if method in {"conversations.history", "conversations.replies"}:
            return {"ok": True, "messages": self._read(method, body), "has_more": False}
        if method == "views.publish":
            return {"ok": True, "view": {"id": "V0HOME", "type": "home"}}
        if method == "views.open":  # a modal, opened only with the trigger of a user's action
            if not body.get("trigger_id"):
                return {"ok": False, "error": "invalid_trigger_id"}
            view = body.get("view")
            return {
                "ok": True,
                "view": {**(view if isinstance(view, dict) else {}), "id": "V0MODAL"},
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method == "response_url":
            return "ok"
        return {"ok": True}

    @staticmethod
    def _channel(channel: Any) -> str:
        """Posting to a user posts in the DM with the app: ``U0X`` becomes ``D0X``."""
        channel = str(channel or "")
        return "D" + channel[1:] if channel.startswith("U") else channel

    def _read(self, method: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        """A channel's messages (newest first) or a thread's (oldest first), as Slack reads them.

        Metadata is left out unless ``include_all_metadata`` is asked for, as Slack does.
        """
        channel = str(body.get("channel"))
        with self._changed:
            messages = [dict(m) for m in self.messages if m["channel"] == channel]
        if method == "conversations.replies":
            messages = [m for m in messages if body.get("ts") in {m["thread_ts"], m["ts"]}]
        else:
            oldest = float(body.get("oldest") or 0)
            messages = [m for m in messages if not m["thread_ts"] and float(m["ts"]) >= oldest]
            messages.reverse()
        if str(body.get("include_all_metadata")).lower() not in {"1", "true"}:
            for message in messages:
                message.pop("metadata", None)
        return messages


class FakeSocketMode:
    """Slack's Socket Mode end: a websocket server on 127.0.0.1 that sends envelopes to the app
    (``send``) and records the app's acknowledgements (``wait_for_acks``)."""

    def __init__(self) -> None:
        self.acks: list[dict[str, Any]] = []
        self._connections: list[ServerConnection] = []
        self._changed = threading.Condition()
        self.server: Server = serve(self._handle, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self._thread.join(WAIT)

    def _handle(self, connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        with self._changed:
            self._connections.append(connection)
            self._changed.notify_all()
        try:
            for message in connection:
                with self._changed:
                    self.acks.append(json.loads(message))
                    self._changed.notify_all()
        except ConnectionClosed:  # the app went away without a close frame
            return

    def _wait(self, ready: Callable[[], bool], what: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not ready():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out waiting for {what}")
                self._changed.wait(left)

    def connected(self) -> bool:
        with self._changed:
            return bool(self._connections)

    def wait_for_connection(self, timeout: float = WAIT) -> None:
        self._wait(lambda: bool(self._connections), "the app to connect", timeout)

    def wait_for_acks(self, count: int, timeout: float = WAIT) -> list[dict[str, Any]]:
        self._wait(lambda: len(self.acks) >= count, f"{count} ack(s)", timeout)
        return list(self.acks)

    def send(self, envelope: dict[str, Any]) -> None:
        self.wait_for_connection()
        self._connections[-1].send(json.dumps(envelope))


def events_api_envelope(
    event: dict[str, Any], *, event_id: str, envelope_id: str, retry_attempt: int = 0
) -> dict[str, Any]:
    return {
        "envelope_id": envelope_id,
        "payload": event_envelope(event, event_id=event_id),
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": retry_attempt,
        "retry_reason": "timeout" if retry_attempt else "",
    }


# -- requests from Slack, signed -------------------------------------------------------------


class SlackSender:
    """Signs requests like Slack and posts them with ``post(path, data, headers)``."""

    def __init__(
        self,
        post: Callable[[str, bytes, dict[str, str]], Any],
        path: str = "/slack/events",
        secret: str = SIGNING_SECRET,
    ) -> None:
        self._post = post
        self.path = path
        self.signer = SignatureVerifier(secret)

    def headers(
        self, body: str, *, content_type: str, timestamp: int | None = None
    ) -> dict[str, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = self.signer.generate_signature(timestamp=stamp, body=body)
        return {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature or "",
        }

    def send(
        self,
        body: str,
        *,
        content_type: str,
        timestamp: int | None = None,
        extra: dict[str, str] | None = None,
    ) -> Any:
        headers = {**self.headers(body, content_type=content_type, timestamp=timestamp)}
        headers.update(extra or {})
        return self._post(self.path, body.encode("utf-8"), headers)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str,
        retry_num: int | None = None,
        workspace: FakeWorkspace = ONE_WORKSPACE,
    ) -> Any:
        extra, timestamp = {}, None
        if retry_num is not None:
            extra = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
            # Slack's retries come later, signed anew (an old timestamp would be refused).
            timestamp = int(time.time()) + retry_num
        return self.send(
            json.dumps(event_envelope(event, event_id=event_id, workspace=workspace)),
            content_type="application/json",
            timestamp=timestamp,
            extra=extra,
        )

    def command(self, command: str, text: str, *, response_url: str, **fields: str) -> Any:
        form = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "fake",
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": "U0MANAGER",
            "user_name": "manager",
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "response_url": response_url,
            "trigger_id": "1337.42.trigger",
            **fields,
        }
        return self.send(urlencode(form), content_type="application/x-www-form-urlencoded")

    def action(self, payload: dict[str, Any]) -> Any:
        return self.send(
            urlencode({"payload": json.dumps(payload)}),
            content_type="application/x-www-form-urlencoded",
        )


def event_envelope(
    event: dict[str, Any], *, event_id: str, workspace: FakeWorkspace = ONE_WORKSPACE
) -> dict[str, Any]:
    team, bot = workspace.team_id, workspace.bot_user_id
    return {
        "token": "legacy-verification-token",
        "team_id": team,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1700000000,
        "authorizations": [
            {"team_id": team, "user_id": bot, "is_bot": True, "enterprise_id": None}
        ],
    }


def mention(text: str, *, ts: str = "1700000100.000100", **extra: Any) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "user": "U0SELLER",
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "channel": "C0SALES",
        "event_ts": ts,
        **extra,
    }


def direct_message(text: str, *, ts: str = "1700000200.000100", **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "user": "U0NEWHIRE",
        "text": text,
        "ts": ts,
        "channel": "D0NEWHIRE",
        "event_ts": ts,
        **extra,
    }


def block_action(
    button: dict[str, Any], *, container: dict[str, Any], user: str = "U0SELLER", **extra: Any
) -> dict[str, Any]:
    """A ``block_actions`` payload for a click on ``button`` (a button element of an answer)."""
    return {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": user, "username": "someone", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "container": container,
        "trigger_id": "4242.42.trigger",
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": "b1",
                "text": button["text"],
                "value": button.get("value", ""),
                "action_ts": "1700000300.000100",
            }
        ],
        **extra,
    }


def view_submission(
    view: dict[str, Any], values: dict[str, Any], *, user: str = "U0MANAGER"
) -> dict[str, Any]:
    """A ``view_submission`` payload: ``view`` (as views.open sent it) submitted with ``values``
    as its ``state.values`` (``{block_id: {action_id: {...}}}``)."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": user, "username": "someone", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": "5151.42.trigger",
        "view": {
            **view,
            "id": "V0MODAL",
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "private_metadata": view.get("private_metadata", ""),
            "state": {"values": values},
            "hash": "1700000400.abcdef",
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def buttons(blocks: Any) -> list[dict[str, Any]]:
    """Every button in a list of blocks."""
    return [
        element
        for block in blocks
        if block.get("type") == "actions"
        for element in block["elements"]
        if element.get("type") == "button"
    ]


def feedback_of(blocks: Any) -> dict[str, Any]:
    """The feedback buttons an answer ends with (a ``context_actions`` block holding one
    ``feedback_buttons`` element), checked to be there."""
    last = blocks[-1]
    assert last["type"] == "context_actions", last
    [element] = last["elements"]
    assert (element["type"], element["action_id"]) == ("feedback_buttons", "feedback")
    return element


def without_feedback(blocks: Any) -> list[dict[str, Any]]:
    """A posted answer's blocks without the feedback buttons every answer ends with (checked
    to be there): what the advisor answered."""
    feedback_of(blocks)
    return list(blocks[:-1])


def feedback_click(
    blocks: Any, rating: str, *, container: dict[str, Any], trigger_id: str = "7777.42.trigger",
    **extra: Any,
) -> dict[str, Any]:
    """A ``block_actions`` payload for a click on the thumbs up (``rating`` "up") or down of
    the answer whose ``blocks`` are given, as Slack sends it: the clicked button's value."""
    element = feedback_of(blocks)
    button = element["positive_button" if rating == "up" else "negative_button"]
    payload = block_action(
        {"action_id": element["action_id"], "text": button["text"], "value": button["value"]},
        container=container,
        **extra,
    )
    payload["trigger_id"] = trigger_id
    payload["actions"][0]["type"] = "feedback_buttons"
    return payload


def share_of(blocks: Any) -> dict[str, Any]:
    """The "Share in channel" button an ephemeral answer has just before its feedback buttons
    (both checked to be there)."""
    last = without_feedback(blocks)[-1]
    [button] = last["elements"]
    assert (last["type"], button["action_id"]) == ("actions", "share"), last
    return button


def without_share(blocks: Any) -> list[dict[str, Any]]:
    """An ephemeral answer's blocks without its share and feedback buttons (both checked)."""
    share_of(blocks)
    return list(blocks[:-2])
