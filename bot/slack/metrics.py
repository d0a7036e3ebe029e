"""The Slack app's Prometheus metrics, in prometheus_client's default registry.

Whatever serves the default registry (the HTTP app's ``/metrics``) exposes them:

- ``role_advisor_slack_acks_total{kind,outcome}``: requests acknowledged (``accepted`` or
  ``duplicate``), and ``role_advisor_slack_ack_seconds{kind}`` the time to record and ack one;
- ``role_advisor_slack_answers_total{intent}``: replies built, by the question's intent;
- ``role_advisor_slack_deliveries_total{method,outcome}``: replies that reached Slack, and
  ``role_advisor_slack_delivery_seconds{method}`` from acceptance to delivery;
- ``role_advisor_slack_delivery_retries_total{method,error}``: tries that will be tried again;
- ``role_advisor_slack_delivery_failures_total{method,error}``: replies given up on;
- ``role_advisor_slack_outbox_depth``: replies waiting to be sent (read when scraped).
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import Counter, Gauge, Histogram

__all__ = [
    "ACKS",
    "ACK_SECONDS",
    "ANSWERS",
    "DELIVERIES",
    "DELIVERY_SECONDS",
    "FAILURES",
    "OUTBOX_DEPTH",
    "RETRIES",
    "watch_outbox",
]

_PREFIX = "role_advisor_slack"

ACKS = Counter(f"{_PREFIX}_acks", "Requests from Slack acknowledged.", ["kind", "outcome"])
ACK_SECONDS = Histogram(
    f"{_PREFIX}_ack_seconds",
    "Time to record a request and acknowledge it.",
    ["kind"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
ANSWERS = Counter(f"{_PREFIX}_answers", "Replies built, by intent.", ["intent"])
DELIVERIES = Counter(f"{_PREFIX}_deliveries", "Replies that reached Slack.", ["method", "outcome"])
DELIVERY_SECONDS = Histogram(
    f"{_PREFIX}_delivery_seconds",
    "Time from acceptance to delivery.",
    ["method"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0),
)
RETRIES = Counter(
    f"{_PREFIX}_delivery_retries", "Tries that failed and will be tried again.", ["method", "error"]
)
FAILURES = Counter(
    f"{_PREFIX}_delivery_failures",
    "Replies given up on (a permanent error, or the delivery time ran out).",
    ["method", "error"],
)
OUTBOX_DEPTH = Gauge(f"{_PREFIX}_outbox_depth", "Replies waiting to be sent.")


def watch_outbox(depth: Callable[[], int]) -> None:
    """Read the outbox depth from ``depth`` whenever the gauge is collected."""
    OUTBOX_DEPTH.set_function(lambda: float(depth()))
