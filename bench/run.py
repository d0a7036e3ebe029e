"""Role Advisor benchmarks: latency, cold start, memory, scaling, reader vs a fuzzy baseline,
and a batch through the CLI against a bare matcher.

Run ``.venv/bin/python bench/run.py`` (``--quick`` for a short run, ``--speed`` for the cold
start and the CLI batch only, ``--profile`` for the functions a thousand questions spend their
time in). Prints tables; never fails on timing. See bench/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import cycle, islice
from pathlib import Path

import yaml
from measure import first_pass, summary, timed
from rapidfuzz import fuzz, process, utils

from bot.answer import Advisor
from bot.evaluate import DATA, REPO, SHARED_DATA, Case, load_cases, load_lines, matches
from bot.knowledge import DEFAULT_KNOWLEDGE_DIR
from bot.understanding import Reading

BENCH = Path(__file__).resolve().parent
TARGET_P99_MS = 2.0
TARGET_COLD_MS = 800.0
TARGET_BATCH_RATIO = 5.0
COLD_RUNS = 5
BATCH_RUNS = 5
CUTOFFS = tuple(range(30, 100, 5))
MIB = 1024 * 1024

# Used only while tests/data or ../shared/data lack their files (the output says so).
BUILT_IN_CASES = """
- {q: "What does an AE do?", intent: role_info, roles: [account_executive], facet: responsibilities}
- {q: "how much does an SDR make", intent: role_info, roles: [sales_development_rep],
   facet: compensation}
- {q: "what skills does a CSM need", intent: role_info, roles: [customer_success_manager],
   facet: skills}
- {q: "sales manager career path", intent: role_info, roles: [sales_manager], facet: career_path}
- {q: "what metrics does an SDR track", intent: role_info, roles: [sales_development_rep],
   facet: metrics}
- {q: "what education do you need to be a sales manager", intent: role_info,
   roles: [sales_manager], facet: education}
- {q: "what is the work environment like for an AE", intent: role_info,
   roles: [account_executive], facet: work_environment}
- {q: "what does a national account manager do", intent: role_info,
   roles: [national_account_manager], facet: responsibilities}
- {q: "how do I become an account manager", intent: role_info, roles: [account_manager],
   facet: career_path}
- {q: "AE vs AM?", intent: compare, roles: [account_executive, account_manager]}
- {q: "difference between account executive and account manager", intent: compare,
   roles: [account_executive, account_manager]}
- {q: "compare SDR and AE salary", intent: compare,
   roles: [sales_development_rep, account_executive], facet: compensation}
- {q: "regional vs national account manager", intent: compare,
   roles: [regional_account_manager, national_account_manager]}
- {q: "CSM vs AM", intent: compare, roles: [customer_success_manager, account_manager]}
- {q: "who handles renewals?", intent: which_role, roles: [account_manager]}
- {q: "who does cold calling", intent: which_role, roles: [sales_development_rep]}
- {q: "what roles are there", intent: list_roles}
- {q: "list all roles", intent: list_roles}
- {q: "what is bant", intent: topic, topic: bant}
- {q: "tell me about key accounts", intent: topic, topic: key_accounts}
- {q: "what is freelancing in sales", intent: topic, topic: freelancing}
- {q: "help", intent: help}
"""
BUILT_IN_OUT_OF_SCOPE = (
    "what's the weather like tomorrow",
    "how do i change my billing address",
    "set a timer for ten minutes",
    "what is the capital of australia",
    "how long should i boil an egg",
    "book a flight to denver",
    "what is my credit score",
    "translate hello into french",
)


@dataclass(slots=True)
class Data:
    """The questions benchmarked: baseline examples, held-out cases, out-of-scope lines."""

    examples: list[Case]
    held_out: list[Case]
    out_of_scope: list[str]
    notes: list[str]

    @property
    def questions(self) -> list[str]:
        every = [c.question for c in (*self.examples, *self.held_out)] + self.out_of_scope
        return list(dict.fromkeys(every))


def load_data() -> Data:
    notes = []
    in_scope, holdout = DATA / "in_scope.yaml", DATA / "in_scope_holdout.yaml"
    oos = SHARED_DATA / "out_of_scope_dev.txt"
    if in_scope.exists():
        examples = load_cases(in_scope)
        notes.append(f"{len(examples)} questions from {in_scope.relative_to(REPO)}")
    else:
        examples = [
            Case(
                item["q"],
                Reading(
                    item["intent"],
                    roles=tuple(item.get("roles", ())),
                    facet=item.get("facet"),
                    topic=item.get("topic"),
                ),
            )
            for item in yaml.safe_load(BUILT_IN_CASES)
        ]
        notes.append(f"{in_scope.relative_to(REPO)} missing: {len(examples)} built-in questions")
    if holdout.exists():
        held_out = load_cases(holdout)
        notes.append(f"{len(held_out)} questions from {holdout.relative_to(REPO)}")
    else:
        examples, held_out = examples[0::2], examples[1::2]
        notes.append(
            f"{holdout.relative_to(REPO)} missing: every 2nd in-scope question held out "
            f"({len(held_out)}), the other {len(examples)} are the baseline's examples"
        )
    if oos.exists():
        out_of_scope = load_lines(oos)
        notes.append(f"{len(out_of_scope)} questions from {oos}")
    else:
        out_of_scope = list(BUILT_IN_OUT_OF_SCOPE)
        notes.append(f"{oos} missing: {len(out_of_scope)} built-in out-of-scope questions")
    return Data(examples, held_out, out_of_scope, notes)


# -- printing -----------------------------------------------------------------------------


def heading(title: str) -> None:
    print(f"\n{title}\n{'-' * len(title)}")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], indent: int = 0) -> None:
    """Left-align the first column, right-align the rest."""
    cells = [[str(c) for c in row] for row in (headers, *rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        first, *rest = row
        line = (
            " " * indent
            + first.ljust(widths[0])
            + "".join("  " + c.rjust(w) for c, w in zip(rest, widths[1:], strict=True))
        )
        print(line.rstrip())


def ms(value: float) -> str:
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER"


def show_failures(what: str, failures: dict[str, str]) -> None:
    """Questions that raise are left out of the timings; say which and why."""
    if not failures:
        return
    by_error: dict[str, list[str]] = defaultdict(list)
    for question, error in failures.items():
        by_error[error].append(question)
    print(f"  !! {len(failures)} questions raised in {what} and are left out of its timings:")
    for error, questions in by_error.items():
        print(f"     {len(questions)} x {error}  e.g. {questions[0]!r}")


# -- 1. latency ---------------------------------------------------------------------------


def latency(advisor: Advisor, questions: list[str], reps: int) -> None:
    heading(
        f"1. Latency per question (ms): {len(questions)} questions x {reps} repetitions, "
        "after a warm-up pass"
    )
    usable, first, failures = first_pass(advisor.ask, questions)
    show_failures("ask()", failures)
    readings = [advisor.read(q) for q in usable]
    ask = timed(advisor.ask, usable, reps)
    stages = [
        ("ask: understanding + rendering", ask, f"p99 <= {TARGET_P99_MS:g} ms"),
        ("read: understanding alone", timed(advisor.read, usable, reps), ""),
        ("answer: rendering alone", timed(advisor.answer, readings, reps), ""),
        ("ask, warm-up pass (cold word caches)", first, ""),
    ]
    rows = []
    for name, samples, target in stages:
        s = summary(samples)
        status = verdict(s["p99"], TARGET_P99_MS) if target else ""
        rows.append(
            [name, s["n"], *(ms(s[k]) for k in ("p50", "p90", "p99", "max")), target, status]
        )
    table(["stage", "n", "p50", "p90", "p99", "max", "target", ""], rows)

    print("\n  ask by intent read (same samples as the first row)")
    by_intent: dict[str, list[int]] = defaultdict(list)
    intents = [r.intent for r in readings]
    for sample, intent in zip(ask, cycle(intents), strict=False):
        by_intent[intent].append(sample)
    stats = sorted(
        (summary(v) | {"intent": k} for k, v in by_intent.items()), key=lambda s: -s["p99"]
    )
    rows = [[s["intent"], s["n"], ms(s["p50"]), ms(s["p99"]), ms(s["max"])] for s in stats]
    table(["intent", "n", "p50", "p99", "max"], rows, indent=2)


# -- 2. cold start ------------------------------------------------------------------------

_COLD = """
import time
t0 = time.perf_counter()
import bot
t1 = time.perf_counter()
advisor = bot.Advisor.load()
t2 = time.perf_counter()
advisor.ask("What does an AE do?")
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, time.process_time())
"""
# The baseline's cold start: import rapidfuzz, read the labelled questions, match one.
_COLD_MATCHER = """
import time
t0 = time.perf_counter()
import json, sys
from rapidfuzz import fuzz, process, utils
questions = json.load(sys.stdin)
process.extractOne("What does an AE do?", questions, scorer=fuzz.token_sort_ratio,
                   processor=utils.default_process)
print(time.perf_counter() - t0)
"""


def cold_start(examples: Sequence[Case]) -> None:
    heading(f"2. Cold start in a fresh process (ms, median of {COLD_RUNS} runs)")
    runs = []
    questions = json.dumps([c.question for c in examples])
    for _ in range(COLD_RUNS):
        start = time.perf_counter()
        out = python("-c", _COLD)
        wall = time.perf_counter() - start
        *parts, cpu = (float(x) * 1000 for x in out.split())
        matcher = float(python("-c", _COLD_MATCHER, stdin=questions)) * 1000
        runs.append([*parts, sum(parts), wall * 1000, cpu, matcher, sum(parts) / matcher])
    median = [statistics.median(column) for column in zip(*runs, strict=True)]
    names = ["import bot", "Advisor.load() (load + validate + build)", "first answer"]
    rows = [[name, ms(value), "", ""] for name, value in zip(names, median, strict=False)]
    total, wall, cpu = median[3], median[4], median[5]
    rows.append(
        [
            "total: import + load + first answer",
            ms(total),
            f"<= {TARGET_COLD_MS:g} ms",
            verdict(total, TARGET_COLD_MS),
        ]
    )
    rows.append(["process wall time (adds interpreter start)", ms(wall), "", ""])
    rows.append(["process CPU time to the first answer (user + system)", ms(cpu), "", ""])
    rows.append(
        [
            f"baseline: import rapidfuzz, read {len(examples)} questions, match one",
            ms(median[6]),
            "",
            "",
        ]
    )
    rows.append(["total / baseline (median of per-run ratios)", f"{median[7]:.1f}x", "", ""])
    table(["step", "ms", "target", ""], rows)


# -- 3 + 4. memory and scaling ------------------------------------------------------------


def python(*args: str, stdin: str = "") -> str:
    """Run a fresh Python process in the repo; its stdout, or its stderr raised if it failed."""
    done = subprocess.run(
        [sys.executable, *args], input=stdin, cwd=REPO, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"python {args[0]} failed:\n{done.stderr}")
    return done.stdout


def worker(knowledge: Path, questions: list[str], *, trace: bool, reps: int) -> dict:
    request = {"knowledge": str(knowledge), "questions": questions, "trace": trace, "reps": reps}
    return json.loads(python(str(BENCH / "measure.py"), stdin=json.dumps(request)))


def synthetic_knowledge(root: Path, factor: int) -> Path:
    """A copy of knowledge/ with synthetic roles added until there are ``factor`` times as many.

    Each synthetic role has its own id, name and short name, and copies the summary, duties
    and facts (with their sources) of a real role, so facts grow with roles.
    """
    target = root / f"knowledge_x{factor}"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, target)
    paths = sorted((DEFAULT_KNOWLEDGE_DIR / "roles").glob("*.yaml"))
    templates = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in paths]
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for n in range(1, len(templates) * (factor - 1) + 1):
        template = templates[(n - 1) % len(templates)]
        role_id = f"synthetic_role_{n:04d}"
        role = {
            "id": role_id,
            "name": f"Synthetic Role {n:04d}",
            "short": f"SR{n:04d}",
            "aliases": [f"SR{n:04d}"],
            "summary": template["summary"],
            "duties": template.get("duties", []),
            "facets": template.get("facets", {}),
        }
        text = yaml.dump(role, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
        (target / "roles" / f"{role_id}.yaml").write_text(text, encoding="utf-8")
    return target


def memory_and_scaling(questions: list[str], factors: Sequence[int], reps: int) -> None:
    results = {}
    with tempfile.TemporaryDirectory(prefix="rolebench-") as tmp:
        for factor in factors:
            kb = DEFAULT_KNOWLEDGE_DIR if factor == 1 else synthetic_knowledge(Path(tmp), factor)
            results[factor] = {
                **worker(kb, questions, trace=True, reps=0),
                **worker(kb, questions, trace=False, reps=reps),
            }

    base = results[1]
    heading(
        f"3. Memory in a fresh process: import + load + answering {len(questions)} questions "
        "once (MiB)"
    )
    table(
        ["measure", "MiB"],
        [
            ["tracemalloc peak (Python allocations)", f"{base['traced_peak'] / MIB:.1f}"],
            ["tracemalloc still allocated at the end", f"{base['traced_current'] / MIB:.1f}"],
            ["ru_maxrss, whole process (untraced run)", f"{base['maxrss'] / MIB:.1f}"],
        ],
    )

    heading(
        f"4. Scaling with synthetic roles (fresh process per size; {reps} timed "
        f"pass{'es' if reps > 1 else ''} after a warm-up pass)"
    )
    rows = []
    for factor, r in results.items():
        lat = r["latency"]
        rows.append(
            [
                f"{factor}x",
                r["roles"],
                r["facts"],
                r["duties"],
                ms(r["load_ms"]),
                ms(lat["p50"]),
                ms(lat["p99"]),
                ms(lat["max"]),
                ms(r["who_read"]["p99"]),
                f"{r['traced_peak'] / MIB:.1f}",
                f"{r['maxrss'] / MIB:.1f}",
            ]
        )
    table(
        [
            "size",
            "roles",
            "facts",
            "duties",
            "load ms",
            "p50 ms",
            "p99 ms",
            "max ms",
            "who p99 ms",
            "peak MiB",
            "maxrss MiB",
        ],
        rows,
    )
    print("  (who p99: reading alone of the questions read as 'who does X?'; <= 2 ms at 100x)")
    for factor, r in results.items():
        if factor != 1 and r["failures"].keys() != base["failures"].keys():
            show_failures(f"ask() at {factor}x", r["failures"])


# -- 5. reader vs baseline ----------------------------------------------------------------


# WRatio as asked, and token_sort_ratio, which does best on held-out questions without a cutoff
# (WRatio scores any two questions of different lengths that share one word 85.5).
SCORERS = {"WRatio": fuzz.WRatio, "token_sort_ratio": fuzz.token_sort_ratio}


class Baseline:
    """Label of the nearest labelled example by a rapidfuzz scorer; "unknown" below the cutoff."""

    def __init__(self, examples: Sequence[Case], scorer: Callable[..., float], cutoff: int) -> None:
        self.questions = [c.question for c in examples]
        self.labels = [c.expected for c in examples]
        self.scorer = scorer
        self.cutoff = cutoff

    def read(self, question: str) -> Reading:
        found = process.extractOne(
            question,
            self.questions,
            scorer=self.scorer,
            processor=utils.default_process,
            score_cutoff=self.cutoff,
        )
        return self.labels[found[2]] if found else Reading("unknown")


def sweep(
    examples: Sequence[Case], out_of_scope: Sequence[str], scorer: Callable[..., float]
) -> list[tuple[int, float, float]]:
    """Per cutoff: leave-one-out accuracy on the examples, and share of out-of-scope declined."""
    questions = [c.question for c in examples]
    options = {"scorer": scorer, "processor": utils.default_process}
    loo = []  # per example: (score of the nearest other example, whether its label is right)
    for i, case in enumerate(examples):
        hits = process.extract(case.question, questions, limit=2, **options)
        nearest = next((hit for hit in hits if hit[2] != i), None)
        if nearest is not None:
            loo.append((nearest[1], matches(examples[nearest[2]].expected, case.expected)))
    oos_best = [process.extractOne(q, questions, **options)[1] for q in out_of_scope]
    return [
        (
            cutoff,
            sum(ok and score >= cutoff for score, ok in loo) / max(len(loo), 1),
            sum(score < cutoff for score in oos_best) / max(len(oos_best), 1),
        )
        for cutoff in CUTOFFS
    ]


def accuracy(read: Callable[[Case], Reading], cases: Sequence[Case]) -> str:
    right = sum(matches(read(c), c.expected) for c in cases)
    return f"{right / len(cases):.1%} ({right}/{len(cases)})" if cases else "n/a"


def declines(read: Callable[[str], Reading], questions: Sequence[str]) -> str:
    declined = sum(read(q).intent == "unknown" for q in questions)
    return f"{declined / len(questions):.1%} ({declined}/{len(questions)})"


def reader_vs_baseline(advisor: Advisor, data: Data, reps: int) -> None:
    heading("5. Reader vs baseline: label of the nearest example (rapidfuzz extractOne)")
    sweeps = {name: sweep(data.examples, data.out_of_scope, s) for name, s in SCORERS.items()}
    print(
        f"  Cutoff sweep over {len(data.examples)} examples: 'in' = accuracy, each example left "
        "out in turn; 'oos' = out-of-scope declined"
    )
    table(
        ["C", *(f"{name} {part}" for name in SCORERS for part in ("in", "oos"))],
        [
            [
                str(rows[0][0]),
                *(f"{v:.1%}" for _, right, declined in rows for v in (right, declined)),
            ]
            for rows in zip(*sweeps.values(), strict=True)
        ],
        indent=2,
    )
    cutoffs = {name: max(rows, key=lambda r: r[1] + r[2])[0] for name, rows in sweeps.items()}
    print(
        "  Chosen C (best mean of in and oos; tuned on the out-of-scope set scored below): "
        + ", ".join(f"{name} {c}" for name, c in cutoffs.items())
        + "\n"
    )

    timing_set = [c.question for c in data.held_out] + data.out_of_scope
    _, _, failures = first_pass(advisor.read, timing_set)
    show_failures("read()", failures)
    columns = [("reader", lambda c: advisor.read(c.question, context=c.prev), advisor.read)]
    for name, scorer in SCORERS.items():
        baseline = Baseline(data.examples, scorer, cutoffs[name])
        columns.append(
            (f"{name} C={cutoffs[name]}", lambda c, b=baseline: b.read(c.question), baseline.read)
        )
    latencies = []
    for _, _, read in columns:
        first_pass(read, timing_set)
        latencies.append(summary(timed(read, timing_set, reps)))
    table(
        ["", *(name for name, _, _ in columns)],
        [
            [
                f"held-out accuracy ({len(data.held_out)})",
                *(accuracy(read_case, data.held_out) for _, read_case, _ in columns),
            ],
            [
                f"accuracy on the baselines' examples ({len(data.examples)})",
                accuracy(columns[0][1], data.examples),
                *("n/a" for _ in SCORERS),
            ],
            [
                f"out-of-scope declined ({len(data.out_of_scope)})",
                *(declines(read, data.out_of_scope) for _, _, read in columns),
            ],
            [
                f"p50 ms / question ({len(timing_set)} x {reps})",
                *(ms(lat["p50"]) for lat in latencies),
            ],
            ["p99 ms / question", *(ms(lat["p99"]) for lat in latencies)],
        ],
        indent=2,
    )
    print("  (latency: understanding only, over the held-out and out-of-scope questions)")


# -- 6. a batch through the CLI vs a bare matcher ------------------------------------------


def cli_batch(questions: Sequence[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one ``rolebot ask --json -`` process answering ``questions``.

    Its stdin and stdout are files, so this process only waits while the CLI runs.
    """
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as stdin,
        tempfile.TemporaryFile("w+", encoding="utf-8") as stdout,
    ):
        stdin.writelines(f"{q}\n" for q in questions)
        stdin.seek(0)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "bot", "ask", "--json", "-"],
            stdin=stdin,
            stdout=stdout,
            stderr=subprocess.PIPE,
            cwd=REPO,
            check=False,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        stdout.seek(0)
        answers = sum(1 for _ in stdout)
    if done.returncode or answers != len(questions):
        raise RuntimeError(
            f"rolebot ask: {len(questions)} questions in, {answers} answers out, "
            f"exit {done.returncode}:\n{done.stderr.decode(errors='replace')}"
        )
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def matcher_pass(matcher: Baseline, questions: Sequence[str]) -> tuple[float, float]:
    """Wall and CPU seconds of the matcher reading every question once."""
    wall, cpu = time.perf_counter(), time.process_time()
    for question in questions:
        matcher.read(question)
    return time.perf_counter() - wall, time.process_time() - cpu


def batch_vs_matcher(examples: Sequence[Case], questions: list[str], runs: int) -> None:
    questions = [" ".join(q.splitlines()) for q in questions]  # one question a line
    n = len(questions)
    heading(f"6. A batch through the CLI vs a bare matcher ({n} questions, median of {runs} runs)")
    matcher = Baseline(examples, fuzz.token_sort_ratio, 0)
    first_pass(matcher.read, questions)
    clocks = ("wall", "cpu")
    samples: dict[tuple[str, str], list[float]] = defaultdict(list)
    for _ in range(runs):
        # The matcher runs before and after the CLI, so a change of load hits both alike.
        before = matcher_pass(matcher, questions)
        empty, full = cli_batch([]), cli_batch(questions)
        after = matcher_pass(matcher, questions)
        bare = [(b + a) / 2 for b, a in zip(before, after, strict=True)]
        for clock, e, f, b in zip(clocks, empty, full, bare, strict=True):
            samples[clock, "empty"].append(e * 1000)
            samples[clock, "full"].append(f * 1000)
            samples[clock, "cli"].append((f - e) * 1000 / n)
            samples[clock, "bare"].append(b * 1000 / n)
            samples[clock, "ratio"].append((f - e) / b)
    m = {key: statistics.median(values) for key, values in samples.items()}
    rows = [
        ["CLI, empty stdin (start-up: import + load)", "empty"],
        [f"CLI, {n} questions", "full"],
        [f"CLI per question: (all - empty) / {n}", "cli"],
        [f"bare matcher per question: extractOne over {len(examples)} examples", "bare"],
    ]
    ratio = m["wall", "ratio"]
    table(
        ["measure", "wall ms", "cpu ms", "target", ""],
        [
            *([name, *(ms(m[clock, key]) for clock in clocks), "", ""] for name, key in rows),
            [
                "CLI / matcher per question (median of per-run ratios)",
                *(f"{m[clock, 'ratio']:.1f}x" for clock in clocks),
                f"<= {TARGET_BATCH_RATIO:g}x",
                verdict(ratio, TARGET_BATCH_RATIO),
            ],
        ],
    )
    print(
        "  (CLI: `python -m bot ask --json -` in a fresh process, one question a line on stdin.\n"
        "   Matcher, in this process: extractOne, token_sort_ratio, utils.default_process, no\n"
        "   cutoff. CPU time is user + system time, less moved by other load than wall time.)"
    )


# -- profile ------------------------------------------------------------------------------


def profile(advisor: Advisor, questions: list[str], calls: int, top: int) -> None:
    heading(f"Profile: {calls} asks cycling over {len(questions)} questions, top {top} by cumtime")
    usable, _, failures = first_pass(advisor.ask, questions)
    show_failures("ask()", failures)
    profiler = cProfile.Profile()
    profiler.enable()
    for question in islice(cycle(usable), calls):
        advisor.ask(question)
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(top)


# -- main ---------------------------------------------------------------------------------


def describe_run(mode: str) -> str:
    git = ["git", "-C", str(REPO)]
    commit = (
        subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
        or "?"
    )
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "--", "bot", "knowledge", "responses"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return (
        f"Role Advisor benchmark ({mode}) - commit {commit}{' + local changes' if dirty else ''}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="1 repetition, no 100x knowledge base, fewer questions in fresh processes (< 30 s)",
    )
    parser.add_argument(
        "--speed",
        action="store_true",
        help="only the cold start and the batch through the CLI (parts 2 and 6, under 1 min)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="only profile 1000 asks with cProfile and print the top functions",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    data = load_data()
    advisor = Advisor.load()
    if args.profile:
        profile(advisor, data.questions, calls=1000, top=20)
        return 0
    # --quick: one repetition, no 100x base, and fresh processes answer every 3rd question only
    # (under tracemalloc each answer costs ~5 ms).
    reps, scale_reps, factors, stride = (
        (1, 1, (1, 10), 3) if args.quick else (5, 3, (1, 10, 100), 1)
    )
    print(describe_run("speed" if args.speed else "quick" if args.quick else "full"))
    for note in data.notes:
        print(f"  questions: {note}")

    if not args.speed:
        latency(advisor, data.questions, reps)
    cold_start(data.examples)
    if not args.speed:
        memory_and_scaling(data.questions[::stride], factors, scale_reps)
        reader_vs_baseline(advisor, data, reps)
    batch_vs_matcher(data.examples, data.questions, 3 if args.quick else BATCH_RUNS)
    print(f"\nTotal benchmark time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
