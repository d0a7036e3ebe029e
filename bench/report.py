"""What storing questions costs each Slack answer, and how long ``rolebot report`` takes.

Run ``.venv/bin/python bench/report.py [--sizes 2000,10000,50000] [--url DATABASE_URL]``
(SQLite in a temp dir by default). Prints two tables; never fails on timing.

1. **Storing a question** (``QuestionStore.add``, one transaction per answer) against the
   baseline of the same run: the ledger's ``accept`` of a request (the transaction every Slack
   request already costs before its acknowledgement). p50/p99 of 2,000 calls each.
2. **The report** for N stored questions: how long reading the rows takes
   (``QuestionStore.questions``, the baseline) and how long the whole report takes
   (``build_report``: the rows, grouping the unanswered ones with rapidfuzz, the counts), with
   the number of groups found. The questions cycle through the 600 out-of-scope questions of
   ``../shared/data/out_of_scope_dev.txt`` (each asked in up to four wordings: as written, in
   capitals, with a question mark, with "please" in front) and the in-scope ones of
   ``tests/data/in_scope.yaml``, so about half are unanswered.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

import yaml
from measure import summary

from bot.answer import Advisor, Answer
from bot.db import Database
from bot.db.questions import Asked, QuestionStore
from bot.evaluate import DATA, OUT_OF_SCOPE
from bot.report import build_report
from bot.slack.inbound import Inbound
from bot.slack.ledger import Ledger

CALLS = 2000
WORDINGS = (
    lambda q: q,
    lambda q: q.upper(),
    lambda q: f"{q}?",
    lambda q: f"please {q}",
)


def _questions() -> list[str]:
    unanswered = OUT_OF_SCOPE.read_text(encoding="utf-8").splitlines()
    answered = [case["q"] for case in yaml.safe_load((DATA / "in_scope.yaml").read_text())]
    return [q for pair in zip(cycle(answered), unanswered, strict=False) for q in pair]


def _store(advisor: Advisor, store: QuestionStore, texts: list[str], start: int) -> list[int]:
    """Store ``texts`` as questions asked; the time each ``add`` took (ns)."""
    samples = []
    answers: dict[str, Answer] = {}
    for n, text in enumerate(texts, start=start):
        answer = answers.get(text) or answers.setdefault(text, advisor.ask(text))
        asked = Asked(f"bench:{n}", "dm", text, answer.reading, answer.text, time.time(), "T0")
        began = time.perf_counter_ns()
        store.add(asked)
        samples.append(time.perf_counter_ns() - began)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000,10000,50000")
    parser.add_argument("--url", help="a database URL (default: SQLite in a temp dir)")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    if not OUT_OF_SCOPE.is_file():
        sys.stderr.write(f"needs {OUT_OF_SCOPE}\n")
        return 1
    advisor = Advisor.load()
    base = _questions()
    texts = [
        WORDINGS[(n // len(base)) % len(WORDINGS)](q)
        for n, q in enumerate(islice(cycle(base), sizes[-1]))
    ]
    with tempfile.TemporaryDirectory() as folder:
        database = Database.connect(args.url or f"sqlite:///{Path(folder) / 'bench.db'}")
        store, ledger = QuestionStore(database), Ledger(database)

        accepts = []
        for n in range(CALLS):
            inbound = Inbound(f"bench:event:{n}", "message", {"event": {"text": "x"}}, time.time())
            began = time.perf_counter_ns()
            ledger.accept(inbound)
            accepts.append(time.perf_counter_ns() - began)
        adds = _store(advisor, store, texts[:CALLS], 0)
        print(f"Storing a question ({database.engine.dialect.name}, {CALLS} calls each, ms)")
        print(f"{'':<32}{'p50':>8}{'p99':>8}")
        for name, samples in (("ledger accept (baseline)", accepts), ("QuestionStore.add", adds)):
            stats = summary(samples)
            print(f"{name:<32}{stats['p50']:>8.2f}{stats['p99']:>8.2f}")

        print("\nrolebot report over N stored questions (s)")
        print(f"{'N':>8}{'read rows':>12}{'report':>10}{'unanswered':>12}{'groups':>8}")
        stored = CALLS
        for size in sizes:
            if size > stored:
                _store(advisor, store, texts[stored:size], stored)
                stored = size
            began = time.perf_counter()
            rows = store.questions()
            read = time.perf_counter() - began
            began = time.perf_counter()
            report = build_report(store, now=time.time())
            built = time.perf_counter() - began
            print(
                f"{len(rows):>8}{read:>12.3f}{built:>10.3f}"
                f"{report.unanswered_count:>12}{len(report.unanswered):>8}"
            )
        database.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
