"""The Slack app's Prometheus metrics, in prometheus_client's default registry.

``/metrics`` (the HTTP app) serves ``exposition_registry()``: the default registry in one
process; over HTTP the answers are built and sent in the answer process, so ``serve --http``
runs both in prometheus_client's multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``) and the web
process serves every process's counters and histograms, summed, from their files:

- ``role_advisor_slack_acks_total{kind,outcome}``: requests acknowledged (``accepted`` or
  ``duplicate``), and ``role_advisor_slack_ack_seconds{kind}`` the time to record and ack one;
- ``role_advisor_slack_answers_total{intent}``: replies built, by the question's intent;
- ``role_advisor_slack_deliveries_total{method,outcome}``: replies that reached Slack, and
  ``role_advisor_slack_delivery_seconds{method}`` from acceptance to delivery;
- ``role_advisor_slack_delivery_retries_total{method,error}``: tries that will be tried again;
- ``role_advisor_slack_delivery_failures_total{method,error}``: replies given up on;
- ``role_advisor_slack_outbox_depth``: replies waiting to be sent, and
  ``role_advisor_slack_inbox_depth`` requests acknowledged and not yet dispatched to the
  listeners: both read from the database when scraped, by the process that serves ``/metrics``
  (``LIVE``; the multiprocess mode has no ``Gauge.set_function``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from bot.slack.settings import METRICS_DIR_VARIABLE

__all__ = [
    "ACKS",
    "ACK_SECONDS",
    "ANSWERS",
    "DELIVERIES",
    "DELIVERY_SECONDS",
    "FAILURES",
    "LIVE",
    "RETRIES",
    "ReadWhenScraped",
    "exposition_registry",
    "watch_inbox",
    "watch_outbox",
]

logger = logging.getLogger("bot.slack.metrics")

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


class ReadWhenScraped(Collector):
    """Gauges whose value is read when ``/metrics`` is scraped (a count in the database, a
    queue's length), in the process that serves it."""

    def __init__(self) -> None:
        self._reads: dict[str, tuple[str, Callable[[], float]]] = {}

    def watch(self, name: str, documentation: str, read: Callable[[], float]) -> None:
        """Serve ``name`` as ``read()`` from now on (the last ``watch`` of a name wins)."""
        self._reads[name] = (documentation, read)

    def collect(self) -> Iterator[Metric]:
        for name, (documentation, read) in list(self._reads.items()):
            try:
                value = float(read())
            except Exception:  # the database is away: the other metrics are still served
                logger.exception("%s cannot be read", name)
                continue
            yield GaugeMetricFamily(name, documentation, value=value)

    def describe(self) -> Iterator[Metric]:
        return iter(())  # nothing is read when it is registered


LIVE = ReadWhenScraped()
REGISTRY.register(LIVE)


def watch_outbox(depth: Callable[[], int]) -> None:
    """Read the outbox depth from ``depth`` whenever ``/metrics`` is scraped."""
    LIVE.watch(f"{_PREFIX}_outbox_depth", "Replies waiting to be sent.", depth)


def watch_inbox(depth: Callable[[], int]) -> None:
    """Read the inbox depth from ``depth`` whenever ``/metrics`` is scraped."""
    LIVE.watch(
        f"{_PREFIX}_inbox_depth", "Requests acknowledged, waiting for their listener.", depth
    )


def exposition_registry() -> CollectorRegistry:
    """What ``/metrics`` serves: this process's default registry, or with several processes
    (``PROMETHEUS_MULTIPROC_DIR`` set), every process's metrics from their files and this
    process's ``LIVE`` gauges."""
    if not os.environ.get(METRICS_DIR_VARIABLE):
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    registry.register(LIVE)
    return registry
