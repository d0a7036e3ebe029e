"""Global middleware: hand the listeners their services, and drop redelivered events."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse

from bot.slack.services import DUPLICATE, Services

__all__ = ["register"]


def register(app: App, services: Services) -> None:
    """Install the middleware, in order, on ``app``."""

    def provide_services(
        context: BoltContext, request: BoltRequest, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        context["services"] = services
        context["received_at"] = time.monotonic()
        # Slack's X-Slack-Retry-Num; Bolt carries it over from Socket Mode envelopes too.
        retry = request.headers.get("x-slack-retry-num") or ["0"]
        context["retry_num"] = int(retry[0]) if retry[0].isdigit() else 0
        return next()

    app.use(provide_services)
    app.use(skip_redelivered_events)


def skip_redelivered_events(
    body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse]
) -> BoltResponse:
    """Acknowledge an event id seen before without handling it again (Slack's retries)."""
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    services: Services = context["services"]
    if not isinstance(event_id, str) or services.first_delivery(event_id):
        return next()
    event = body.get("event") or {}
    with services.handling(str(event.get("type")), context, body, event.get("user")) as handling:
        handling.outcome = DUPLICATE
    return BoltResponse(status=200, body="")
