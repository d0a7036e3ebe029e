"""Timing helpers for ``bench/run.py``, and the worker it starts in a fresh process.

As a worker (``python bench/measure.py`` with a JSON request on stdin) it loads one knowledge
directory, answers every question once (a warm-up pass) and then ``reps`` more times, and
prints JSON: load time, latency percentiles, questions that raised, and memory. With
``"trace": true`` it runs under tracemalloc from before ``bot`` is imported and times nothing
but reports the traced peak; tracing slows everything, so timings come from an untraced run.
"""

from __future__ import annotations

import json
import math
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

PERCENTILES = (50, 90, 99)
_NS_PER_MS = 1_000_000


def summary(samples_ns: Sequence[int]) -> dict[str, float]:
    """Count, nearest-rank p50/p90/p99 and max of per-call samples, in milliseconds."""
    ordered = sorted(samples_ns)
    if not ordered:
        return {"n": 0, **{f"p{p}": math.nan for p in PERCENTILES}, "max": math.nan}
    ranks = {f"p{p}": ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] for p in PERCENTILES}
    return {
        "n": len(ordered),
        **{name: ns / _NS_PER_MS for name, ns in ranks.items()},
        "max": ordered[-1] / _NS_PER_MS,
    }


def first_pass(
    call: Callable[[T], object], items: Sequence[T]
) -> tuple[list[T], list[int], dict[str, str]]:
    """Call once per item: the items that worked, their times (ns), and what the others raised."""
    usable: list[T] = []
    samples: list[int] = []
    failures: dict[str, str] = {}
    for item in items:
        start = time.perf_counter_ns()
        try:
            call(item)
        except Exception as error:
            failures[str(item)] = f"{type(error).__name__}: {error}"
            continue
        samples.append(time.perf_counter_ns() - start)
        usable.append(item)
    return usable, samples, failures


def timed(call: Callable[[T], object], items: Sequence[T], reps: int) -> list[int]:
    """Per-call times (ns) of ``reps`` passes over the items."""
    samples: list[int] = []
    clock = time.perf_counter_ns
    for _ in range(reps):
        for item in items:
            start = clock()
            call(item)
            samples.append(clock() - start)
    return samples


def _maxrss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


def work(request: dict[str, Any]) -> dict[str, Any]:
    """Load, answer every question (warm-up) and time ``reps`` more passes; report memory."""
    if request["trace"]:
        tracemalloc.start()
    from bot.answer import Advisor

    start = time.perf_counter_ns()
    advisor = Advisor.load(Path(request["knowledge"]))
    load_ms = (time.perf_counter_ns() - start) / _NS_PER_MS
    knowledge = advisor.knowledge
    usable, _, failures = first_pass(advisor.ask, request["questions"])
    result: dict[str, Any] = {
        "roles": len(knowledge.roles),
        "facts": sum(len(facts) for r in knowledge.roles.values() for facts in r.facets.values()),
        "duties": len(advisor.reader.lexicon.duties),
        "failures": failures,
    }
    if request["trace"]:
        current, peak = tracemalloc.get_traced_memory()
        return {**result, "traced_peak": peak, "traced_current": current}
    latency = summary(timed(advisor.ask, usable, request["reps"]))
    # "who does X?" read alone: the duty index's part, which grows with the duties
    who = [q for q in usable if advisor.read(q).intent == "which_role"]
    who_read = summary(timed(advisor.read, who, request["reps"]))
    return {
        **result,
        "load_ms": load_ms,
        "latency": latency,
        "who_read": who_read,
        "maxrss": _maxrss_bytes(),
    }


if __name__ == "__main__":
    json.dump(work(json.load(sys.stdin)), sys.stdout)
