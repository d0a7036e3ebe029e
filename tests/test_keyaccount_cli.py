"""``rolebot keyaccount criteria|score|list``, run as users run it (``python -m bot`` in a
subprocess) against DATABASE_URL: scores stored per --team, ranked, bad input exit 2."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge import load_knowledge

REPO = Path(__file__).resolve().parents[1]
SPEC = load_knowledge().key_accounts
assert SPEC is not None
IDS = [c.id for c in SPEC.criteria]
NOTE = "not the article's list"


def run(url: str, *args: str, knowledge: Path | None = None):
    """``rolebot keyaccount ARGS`` in a subprocess, as users run it."""
    env = {**os.environ, "DATABASE_URL": url}
    extra = ["--knowledge", str(knowledge)] if knowledge else []
    result = subprocess.run(
        [sys.executable, "-m", "bot", *extra, "keyaccount", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


@pytest.fixture
def cli(monkeypatch, capsys):
    """The same, in this process (``bot.cli.main``): a subprocess costs a second and more."""

    def call(url: str, *args: str, knowledge: Path | None = None):
        monkeypatch.setenv("DATABASE_URL", url)
        extra = ["--knowledge", str(knowledge)] if knowledge else []
        capsys.readouterr()
        try:
            code = main([*extra, "keyaccount", *args])
        except SystemExit as error:  # argparse's usage errors
            code = int(error.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return call


def scores(value: int, **overrides: int) -> list[str]:
    given = {**dict.fromkeys(IDS, value), **overrides}
    return [arg for cid, v in given.items() for arg in ("-c", f"{cid}={v}")]


def test_score_then_list_ranks_by_weighted_total(cli, database_url):
    code, out, err = cli(database_url, "score", "Acme Corp", *scores(9), "--json")
    assert code == 0, err
    acme = json.loads(out)
    top = 10 * sum(c.weight for c in SPEC.criteria)
    assert (acme["total"], acme["rank"], acme["of"], acme["max_total"]) == (top * 0.9, 1, 1, top)
    assert acme["key_account"] is True
    assert NOTE in acme["note"]

    assert cli(database_url, "score", "Beta", *scores(4), "--by", "ana")[0] == 0
    code, out, err = cli(database_url, "score", "  acme   CORP", *scores(2))
    assert code == 0, err
    assert f"weighted total {top * 0.2:g} of {top:g}; rank 2 of 2" in out

    code, out, err = cli(database_url, "list", "--json")
    assert code == 0, err
    listing = json.loads(out)
    assert [(c["rank"], c["client"], c["total"]) for c in listing["clients"]] == [
        (1, "Beta", top * 0.4),
        (2, "acme CORP", top * 0.2),
    ]
    assert listing["clients"][0]["scored_by"] == "ana"
    assert listing["team"] == "local"
    assert NOTE in listing["note"]


def test_rolebot_keyaccount_runs_as_a_command(sqlite_url):
    code, out, err = run(sqlite_url, "score", "Acme Corp", *scores(6))
    assert (code, err) == (0, "")
    assert out.startswith("Acme Corp: weighted total ")
    code, out, err = run(sqlite_url, "score", "Acme Corp", *scores(6, culture_fit=11))
    assert code == 2
    assert "culture_fit: Give a whole-number score from 1 to 10." in err
    assert "Traceback" not in err


def test_list_prints_a_table_marking_the_key_accounts(cli, sqlite_url):
    for value in range(1, 8):
        assert cli(sqlite_url, "score", f"Client {value}", *scores(value))[0] == 0
    code, out, err = cli(sqlite_url, "list")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["Rank", "Client", "Weighted", "total", "Key", "account"]
    marked = [line.split()[2] for line in lines[1:8] if line.endswith("★")]
    count = SPEC.key_account_count
    assert marked == [str(v) for v in range(7, 7 - count, -1)]
    assert NOTE in out


def test_teams_are_kept_apart(cli, sqlite_url):
    assert cli(sqlite_url, "score", "Acme", *scores(5), "--team", "T1")[0] == 0
    assert json.loads(cli(sqlite_url, "list", "--team", "T2", "--json")[1])["clients"] == []
    assert "No client has been scored" in cli(sqlite_url, "list")[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Acme", *scores(5, revenue_potential=11)], "revenue_potential: Give a whole-number"),
        (["Acme", *scores(5), "-c", "bogus=3"], "bogus: Unknown criterion 'bogus'"),
        (["", *scores(5)], "client: Enter the client's name."),
        (["Acme", *scores(5)[:-2]], f"{IDS[-1]}: Give a score from 1 to 10."),
        (["Acme", *scores(5), "-c", "revenue_potential"], "expected ID=SCORE"),
    ],
    ids=["score_11", "unknown_criterion", "no_client", "missing_criterion", "no_equals"],
)
def test_bad_input_is_a_message_and_exit_2(cli, sqlite_url, args, message):
    code, out, err = cli(sqlite_url, "score", *args)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err
    assert json.loads(cli(sqlite_url, "list", "--json")[1])["clients"] == []


def test_missing_client_argument_is_a_usage_error(cli, sqlite_url):
    code, _, err = cli(sqlite_url, "score")
    assert code == 2
    assert "required: client" in err


def test_criteria_lists_ids_weights_and_the_note(cli, sqlite_url):
    code, out, err = cli(sqlite_url, "criteria")
    assert code == 0, err
    assert all(cid in out for cid in IDS)
    assert NOTE in out
    data = json.loads(cli(sqlite_url, "criteria", "--json")[1])
    assert [c["id"] for c in data["criteria"]] == IDS


def test_without_a_scorecard_file_it_says_so_and_exits_1(cli, tmp_path, sqlite_url):
    root = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", root)
    (root / "key_accounts.yaml").unlink()
    code, _, err = cli(sqlite_url, "list", knowledge=root)
    assert code == 1
    assert "key_accounts.yaml is missing" in err


def test_an_unusable_database_is_a_message_without_the_password(cli, tmp_path):
    url = "postgresql+psycopg://user:s3cret@127.0.0.1:1/nowhere?connect_timeout=2"
    code, _, err = cli(url, "list")
    assert code == 1
    assert "cannot be used" in err
    assert "s3cret" not in err
    assert "Traceback" not in err
