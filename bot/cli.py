"""Command line: ask, chat, validate and serve. ``rolebot`` and ``python -m bot`` run this."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot import keyaccount_cli
from bot.answer import DEFAULT_RESPONSES_DIR, Advisor, Answer
from bot.knowledge import DEFAULT_KNOWLEDGE_DIR, KnowledgeError, read_knowledge
from bot.terminal import to_terminal
from bot.understanding import Reading

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
    for number, line in enumerate(lines):
        if number and not args.json:
            out.write("\n")
        _show(advisor.ask(line.rstrip("\r\n")), as_json=args.json, out=out)
    return EXIT_OK


def _chat(advisor: Advisor, out: TextIO) -> int:
    out.write("Role Advisor — ask about sales roles (AE, AM, SDR, CSM...). Type 'quit' to leave.\n")
    context: Reading | None = None
    while True:
        try:
            line = input("\nyou> ")
        except (EOFError, KeyboardInterrupt):
            out.write("\n")
            return EXIT_OK
        if line.strip().lower() in _QUIT:
            return EXIT_OK
        answer = advisor.ask(_safe(line), context=context)
        if answer.reading.intent not in {"unknown", "help"}:
            context = answer.reading
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
    ask.add_argument("question", nargs="+", help="the question, or - for stdin")
    commands.add_parser("chat", help="talk to the bot in the terminal")
    evaluate = commands.add_parser("eval", help="print reading accuracy on the labelled sets")
    evaluate.add_argument("--show", type=int, default=0, metavar="N", help="list N misses a set")
    evaluate.add_argument("--sweep", action="store_true", help="score each threshold value")
    validate = commands.add_parser("validate", help="check the knowledge YAML")
    validate.add_argument("directory", nargs="?", type=Path, default=None)
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
    try:
        advisor = Advisor.load(args.knowledge, args.responses)
    except KnowledgeError as error:
        err.write(f"{error}\nThe knowledge base has problems; run 'rolebot validate'.\n")
        return EXIT_PROBLEMS
    if args.command == "ask":
        return _ask(advisor, args, out)
    if args.command == "eval":
        from bot.evaluate import report, sweep

        if args.sweep:
            sweep(advisor.knowledge)
        else:
            report(advisor.reader, show=args.show)
        return EXIT_OK
    return _chat(advisor, out)
