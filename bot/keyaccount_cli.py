"""``rolebot keyaccount``: score clients and rank them from the command line, like /keyaccount.

    rolebot keyaccount criteria
    rolebot keyaccount score "Acme Corp" -c revenue_potential=8 -c relationship=6 ...
    rolebot keyaccount list [--json]

Scores go to ``DATABASE_URL`` (the SQLite file by default), under ``--team`` (default ``local``;
a Slack workspace's team id shares its scores with /keyaccount there). Bad input is a message
and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import TYPE_CHECKING, Any, TextIO

from bot.keyaccounts import InvalidScores, Ranked, Scorecard, number
from bot.knowledge import read_knowledge

if TYPE_CHECKING:
    from bot.db.key_accounts import KeyAccounts

__all__ = ["add_parser", "run"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def add_parser(commands: Any) -> None:
    """``keyaccount criteria|score|list`` under the CLI's sub-commands."""
    parser = commands.add_parser(
        "keyaccount", help="score clients on the key-account criteria, and rank them"
    )
    actions = parser.add_subparsers(dest="action", required=True)
    criteria = actions.add_parser("criteria", help="the criteria, their groups and weights")
    criteria.add_argument("--json", action="store_true", help="print JSON")
    score = actions.add_parser("score", help="score one client (replaces its earlier scores)")
    score.add_argument("client", help="the client's name")
    score.add_argument(
        "-c",
        "--criterion",
        action="append",
        default=[],
        metavar="ID=SCORE",
        help="a score from 1 to 10 for one criterion; every criterion needs one",
    )
    score.add_argument("--by", default="cli", help="who scored (default: cli)")
    listing = actions.add_parser("list", help="the clients by weighted total, key accounts marked")
    for sub in (score, listing):
        sub.add_argument("--team", default="local", help="the workspace (default: local)")
        sub.add_argument("--json", action="store_true", help="print JSON")


def _scores(pairs: list[str]) -> tuple[dict[str, object], dict[str, str]]:
    """The ``ID=SCORE`` pairs as scores by criterion id, and what is wrong with the others."""
    scores: dict[str, object] = {}
    problems: dict[str, str] = {}
    for pair in pairs:
        criterion, sep, value = pair.partition("=")
        criterion = criterion.strip()
        if not sep or not criterion:
            problems[pair] = "expected ID=SCORE, e.g. revenue_potential=8"
        elif criterion in scores:
            problems[criterion] = "scored twice"
        else:
            scores[criterion] = value
    return scores, problems


def _entry(entry: Ranked) -> dict[str, Any]:
    return {
        "rank": entry.rank,
        "client": entry.client,
        "total": entry.total,
        "key_account": entry.key_account,
        "scores": dict(entry.scores),
        "missing": list(entry.missing),
        "scored_by": entry.scored_by,
        "scored_at": entry.scored_at,
    }


def _criteria(scorecard: Scorecard, as_json: bool, out: TextIO) -> None:
    if as_json:
        rows = [c.model_dump() for c in scorecard.criteria]
        out.write(json.dumps({"criteria": rows, "note": scorecard.note}, ensure_ascii=False))
        out.write("\n")
        return
    for group, criteria in scorecard.grouped():
        out.write(f"{group.label}\n")
        for c in criteria:
            out.write(f"  {c.id:<24} weight {number(c.weight):<5} {c.label}\n")
    out.write(f"\n{scorecard.note}\n")


def _table(scorecard: Scorecard, ranking: list[Ranked], out: TextIO) -> None:
    width = max([len("Client"), *(len(e.client) for e in ranking)])
    out.write(
        f"{'Rank':>4}  {'Client':<{width}}  {'Weighted total':>14}  Key account\n"
        if ranking
        else "No client has been scored in this workspace yet.\n"
    )
    for e in ranking:
        total = number(e.total) + (" (incomplete)" if e.missing else "")
        mark = "★" if e.key_account else ""
        out.write(f"{e.rank:>4}  {e.client:<{width}}  {total:>14}  {mark}\n".rstrip() + "\n")
    out.write(
        f"\nOut of {number(scorecard.max_total)}; the key accounts are the top "
        f"{scorecard.key_account_count} by weighted total. {scorecard.note}\n"
    )


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    knowledge, problems = read_knowledge(args.knowledge)
    if knowledge is None:
        err.write("".join(f"{p}\n" for p in problems))
        err.write("The knowledge base has problems; run 'rolebot validate'.\n")
        return EXIT_PROBLEMS
    if knowledge.key_accounts is None:
        err.write(f"{args.knowledge}/key_accounts.yaml is missing: no criteria to score with.\n")
        return EXIT_PROBLEMS
    scorecard = Scorecard(knowledge.key_accounts)
    if args.action == "criteria":
        _criteria(scorecard, args.json, out)
        return EXIT_OK
    # SQLAlchemy and Alembic take a second to import: only the commands that need them do.
    from bot.db import DatabaseUnavailable, open_database
    from bot.db.key_accounts import KeyAccounts, KeyAccountStore

    try:
        database = open_database(os.environ)
    except DatabaseUnavailable as error:
        err.write(f"{error}\n")
        return EXIT_PROBLEMS
    try:
        accounts = KeyAccounts(scorecard, KeyAccountStore(database))
        if args.action == "score":
            return _score(accounts, args, out, err)
        return _list(accounts, args, out)
    finally:
        database.dispose()


def _score(accounts: KeyAccounts, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    scores, problems = _scores(args.criterion)
    try:
        accounts.scorecard.check(args.client, scores)
    except InvalidScores as error:
        problems = {**problems, **error.problems}
    if problems:
        for key, message in problems.items():
            err.write(f"{key}: {message}\n")
        err.write("Usage: rolebot keyaccount score CLIENT -c ID=SCORE ... ")
        err.write("('rolebot keyaccount criteria' lists the ids)\n")
        return EXIT_USAGE
    standing = accounts.score(args.team, args.client, scores, args.by)
    scorecard, entry = accounts.scorecard, standing.entry
    if args.json:
        found = {**_entry(entry), "of": standing.of, "max_total": scorecard.max_total}
        out.write(json.dumps({**found, "note": scorecard.note}, ensure_ascii=False) + "\n")
        return EXIT_OK
    verdict = "a key account" if entry.key_account else "not a key account"
    out.write(
        f"{entry.client}: weighted total {number(entry.total)} of {number(scorecard.max_total)}; "
        f"rank {entry.rank} of {standing.of}: {verdict} (the key accounts are the top "
        f"{scorecard.key_account_count}).\n{scorecard.note}\n"
    )
    return EXIT_OK


def _list(accounts: KeyAccounts, args: argparse.Namespace, out: TextIO) -> int:
    ranking = accounts.ranking(args.team)
    scorecard = accounts.scorecard
    if args.json:
        listing = {
            "team": args.team,
            "max_total": scorecard.max_total,
            "key_account_count": scorecard.key_account_count,
            "note": scorecard.note,
            "clients": [_entry(e) for e in ranking],
        }
        out.write(json.dumps(listing, ensure_ascii=False) + "\n")
    else:
        _table(scorecard, ranking, out)
    return EXIT_OK
