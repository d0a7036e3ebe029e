"""Command line: ask, chat, validate, report and serve. ``rolebot`` and ``python -m bot`` run
this. Questions asked here are not recorded: only Slack's are (see ``bot.report``)."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from jinja2 import TemplateError

from bot import keyaccount_cli
from bot.answer import DEFAULT_RESPONSES_DIR, Advisor, Answer, suggested_questions
from bot.conversation import Conversation, converse
from bot.knowledge import DEFAULT_KNOWLEDGE_DIR, Knowledge, KnowledgeError, read_knowledge
from bot.render import ExamplesError
from bot.terminal import to_terminal

__all__ = ["main"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
_QUIT = {"quit", "exit", ":q", "bye"}


def _safe(text: str) -> str:
    """Text from argv or stdin as valid UTF-8 (undecodable bytes become U+FFFD)."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _show(answer: Answer, *, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(answer.as_json(), ensure_ascii=False) + "\n")
    else:
        out.write(to_terminal(answer.blocks) + "\n")
    out.flush()


def _ask(advisor: Advisor, args: argparse.Namespace, out: TextIO) -> int:
    question = " ".join(args.question)
    if question != "-":
        _show(advisor.ask(_safe(question)), as_json=args.json, out=out)
        return EXIT_OK
    stdin = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
    lines = (raw.decode("utf-8", "replace") for raw in stdin) if stdin is not None else sys.stdin
    conversation = Conversation()
    # What is loaded lives as long as the batch: the garbage collector need not walk it again.
    gc.freeze()
    try:
        for number, line in enumerate(lines):
            if number and not args.json:
                out.write("\n")
            text = line.rstrip("\r\n")
            if args.conversation:  # each line is the next turn of one conversation
                answer, conversation = converse(advisor, text, conversation)
            else:
                answer = advisor.ask(text)
            _show(answer, as_json=args.json, out=out)
    finally:
        gc.unfreeze()
    return EXIT_OK


def _chat(advisor: Advisor, out: TextIO) -> int:
    out.write("Role Advisor — ask about sales roles (AE, AM, SDR, CSM...). Type 'quit' to leave.\n")
    conversation = Conversation()
    while True:
        try:
            line = input("\nyou> ")
        except (EOFError, KeyboardInterrupt):
            out.write("\n")
            return EXIT_OK
        if line.strip().lower() in _QUIT:
            return EXIT_OK
        answer, conversation = converse(advisor, _safe(line), conversation)
        out.write("\n" + to_terminal(answer.blocks) + "\n")


def _validate(directory: Path, out: TextIO, err: TextIO) -> int:
    knowledge, problems = read_knowledge(directory)
    for problem in problems:
        err.write(f"{problem}\n")
    if knowledge is None:
        err.write(f"{len(problems)} problem(s) in {directory}\n")
        return EXIT_PROBLEMS
    facts = sum(len(fs) for r in knowledge.roles.values() for fs in r.facets.values())
    out.write(
        f"{directory}: OK — {len(knowledge.roles)} roles, {facts} role facts, "
        f"{len(knowledge.comparisons)} comparisons, {len(knowledge.topics)} topics\n"
    )
    return EXIT_OK


def _ground(knowledge: Knowledge, seeds: Path | None, show: int, out: TextIO, err: TextIO) -> int:
    from bot.knowledge.grounding import THRESHOLD, check_grounding, load_articles, seeds_dir

    folder = seeds or seeds_dir()
    try:
        articles = load_articles(knowledge, folder)
    except OSError as error:
        err.write(f"cannot read the seed articles in {folder}: {error.strerror or error}\n")
        return EXIT_USAGE
    grounding = check_grounding(knowledge, articles)
    out.write(f"The {show} least-grounded statements (share of their words in the cited lines):\n")
    for claim in grounding.least(show):
        out.write(f"  {claim}\n")
    for claim in grounding.failures:
        err.write(f"{claim.where}: {claim.problem}: {claim.text}\n")
    inferred = sum(c.inferred for c in grounding.claims)
    out.write(
        f"{len(grounding.claims)} statements, {inferred} marked as our reading, "
        f"{len(grounding.failures)} under the bar ({THRESHOLD:.0%} of words, every figure)\n"
    )
    return EXIT_PROBLEMS if grounding.failures else EXIT_OK


def _period(text: str) -> float | None:
    """``--since``: a period such as 7d, 24h or 30m in seconds, or ``all`` (``None``)."""
    from bot.report import parse_since  # with the database layer: only when asked for

    if text.strip().lower() == "all":
        return None
    try:
        return parse_since(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _count(text: str) -> int:
    """``--top``: a whole number, 0 or more."""
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    return int(text)


def _report(advisor: Advisor, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    # SQLAlchemy and Alembic take a second to import: only the commands that need them do.
    from bot.db import DatabaseUnavailable, open_database
    from bot.db.questions import QuestionStore
    from bot.report import TOP, build_report, render_report

    try:
        database = open_database(os.environ)
    except DatabaseUnavailable as error:
        err.write(f"rolebot report: {error} Check DATABASE_URL.\n")
        return EXIT_PROBLEMS
    try:
        store = QuestionStore(database)
        report = build_report(store, now=time.time(), period=args.since, team=args.team)
    finally:
        database.dispose()
    if args.json:
        out.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        built = render_report(advisor, report, top=TOP if args.top is None else args.top)
        out.write(to_terminal(built.blocks) + "\n")
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rolebot", description=__doc__)
    parser.add_argument(
        "--knowledge", type=Path, default=DEFAULT_KNOWLEDGE_DIR, help="knowledge directory"
    )
    parser.add_argument(
        "--responses", type=Path, default=DEFAULT_RESPONSES_DIR, help="templates directory"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    ask = commands.add_parser("ask", help="answer one question ('-' reads one per line)")
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")
    ask.add_argument(
        "--conversation",
        action="store_true",
        help="with '-': each line is the next turn of one conversation (follow-ups use context)",
    )
    ask.add_argument("question", nargs="+", help="the question, or - for stdin")
    commands.add_parser("chat", help="talk to the bot in the terminal")
    commands.add_parser(
        "examples", help="print every question the bot suggests anywhere, one per line"
    )
    evaluate = commands.add_parser("eval", help="print reading accuracy on the labelled sets")
    evaluate.add_argument(
        "--show", type=int, default=0, metavar="N", help="list N misses a development set"
    )
    evaluate.add_argument("--sweep", action="store_true", help="score each threshold value")
    evaluate.add_argument(
        "--typos",
        action="store_true",
        help="how many development questions read right still are with a typing slip in them",
    )
    evaluate.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="labelled sets (default: the checkout's tests/data)",
    )
    evaluate.add_argument(
        "--out-of-scope",
        type=Path,
        metavar="FILE",
        help="CLINC150 out-of-scope questions, one a line "
        "(default: ../shared/data/out_of_scope_dev.txt beside the checkout, when there)",
    )
    ground = commands.add_parser(
        "ground", help="check every fact against the article lines it cites (needs the seeds)"
    )
    ground.add_argument("--seeds", type=Path, default=None, help="folder of the seed articles")
    ground.add_argument("--show", type=int, default=15, metavar="N", help="list the N weakest")
    validate = commands.add_parser("validate", help="check the knowledge YAML")
    validate.add_argument("directory", nargs="?", type=Path, default=None)
    report = commands.add_parser(
        "report",
        help="what people asked in Slack and could not get, and their feedback (DATABASE_URL)",
    )
    report.add_argument(
        "--since",
        type=_period,
        default="7d",
        metavar="PERIOD",
        help="the last 7d (the default), 24h, 30m... or 'all'",
    )
    report.add_argument("--json", action="store_true", help="print one JSON object")
    report.add_argument("--team", metavar="T", help="one workspace's questions (its team id)")
    report.add_argument(
        "--top", type=_count, metavar="N", help="list N of each in the text (10 by default)"
    )
    commands.add_parser("serve", help="run the Slack app: serve --socket | --http [--port N]")
    keyaccount_cli.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (2 for usage errors, 1 for broken knowledge)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    args, rest = _parser().parse_known_args(argv)
    if args.command == "serve":  # its options are the Slack runner's own
        from bot.slack.serve import main as serve_main

        return serve_main(rest, knowledge_dir=args.knowledge, responses_dir=args.responses)
    if rest:
        _parser().error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        return _run(args)
    except BrokenPipeError:  # the reader went away ("| head"): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    out, err = sys.stdout, sys.stderr
    if args.command == "validate":
        return _validate(args.directory or args.knowledge, out, err)
    if args.command == "keyaccount":
        return keyaccount_cli.run(args, out, err)
    if not args.responses.is_dir():
        err.write(f"No templates at {args.responses}; set --responses or ROLEBOT_RESPONSES_DIR.\n")
        return EXIT_PROBLEMS
    try:
        advisor = Advisor.load(args.knowledge, args.responses)
    except KnowledgeError as error:
        err.write(f"{error}\nThe knowledge base has problems; run 'rolebot validate'.\n")
        return EXIT_PROBLEMS
    except ExamplesError as error:
        err.write(f"{error}\n")
        return EXIT_PROBLEMS
    if args.command == "ask" and args.question == ["-"]:
        # A batch compiles its templates before its first line (as a reload is checked): a
        # broken one is said here, not halfway through, and no answer waits for a compile.
        try:
            advisor.renderer.compile_all()
        except TemplateError as error:
            name = type(error).__name__
            err.write(f"{name}: {error}\nA template in {args.responses} is broken.\n")
            return EXIT_PROBLEMS
    if args.command == "ask":
        return _ask(advisor, args, out)
    if args.command == "examples":
        out.writelines(f"{question}\n" for question in suggested_questions(advisor))
        return EXIT_OK
    if args.command == "ground":
        return _ground(advisor.knowledge, args.seeds, args.show, out, err)
    if args.command == "eval":
        return _eval(advisor, args, err)
    if args.command == "report":
        return _report(advisor, args, out, err)
    return _chat(advisor, out)


def _eval(advisor: Advisor, args: argparse.Namespace, err: TextIO) -> int:
    from bot.evaluate import DATA, OUT_OF_SCOPE, report, sweep, typo_robustness

    data: Path = args.data or DATA
    out_of_scope: Path | None = args.out_of_scope
    if out_of_scope is None and OUT_OF_SCOPE.is_file():
        out_of_scope = OUT_OF_SCOPE
    if not data.is_dir():
        err.write(
            f"rolebot eval: no labelled sets at {data}; pass --data DIR "
            "(the tests/data folder of a checkout)\n"
        )
        return EXIT_USAGE
    if out_of_scope is not None and not out_of_scope.is_file():
        err.write(f"rolebot eval: no file {out_of_scope} for --out-of-scope\n")
        return EXIT_USAGE
    try:
        if args.sweep:
            sweep(advisor.knowledge, data, out_of_scope)
        elif args.typos:
            score = typo_robustness(advisor.reader, data)
            what = "still read right with a typing slip in them"
            print(f"{what:<48} {score.right:>4}/{score.total:<4} {score.rate:7.2%}")
            for question, want, got in score.misses[: args.show]:
                print(f"    {question!r}\n        want {want}\n        got  {got}")
        else:
            report(advisor.reader, data, out_of_scope, show=args.show)
    except FileNotFoundError as error:
        err.write(f"rolebot eval: {error.filename} not found\n")
        return EXIT_USAGE
    return EXIT_OK
