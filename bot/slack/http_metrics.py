"""Request-level metrics of the HTTP front (prometheus_client's default registry).

``GET /metrics`` serves these with the app's own (``bot.slack.metrics.exposition_registry``).
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import Counter, Histogram

from bot.slack.metrics import LIVE

__all__ = ["REQUESTS", "REQUEST_SECONDS", "SLOW_REQUESTS_CLOSED", "watch_queue"]

REQUESTS = Counter(
    "roleadvisor_http_requests",
    "Requests to /slack/events, by outcome (accepted, replay, unsigned, bad_signature, "
    "too_large, malformed, error) and HTTP status.",
    ["outcome", "status"],
)
REQUEST_SECONDS = Histogram(
    "roleadvisor_http_request_seconds",
    "Time from a whole request reaching the app to its response (the ack), in seconds.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
SLOW_REQUESTS_CLOSED = Counter(
    "roleadvisor_http_slow_requests_closed",
    "Connections closed because their request was still arriving after the read timeout.",
)


def watch_queue(length: Callable[[], int]) -> None:
    """Read the number of requests waiting for a worker thread whenever ``/metrics`` is
    scraped."""
    LIVE.watch(
        "roleadvisor_http_queued_requests",
        "Requests received whole and waiting for a free worker thread.",
        length,
    )
