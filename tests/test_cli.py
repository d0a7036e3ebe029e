"""The command line, run as users run it: ``python -m bot ...`` in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.evaluate import SWEEPS
from bot.knowledge import load_knowledge

REPO = Path(__file__).resolve().parents[1]
KEYS = {"intent", "roles", "facet", "topic", "confidence", "text", "blocks", "citations"}


def run(*args, stdin: bytes = b"", env: dict[str, str] | None = None):
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def json_lines(stdout: str):
    # Split on "\n" only: the JSON may hold characters str.splitlines() would break on.
    lines = stdout.split("\n")
    assert lines[-1] == ""
    return [json.loads(line) for line in lines[:-1]]


def test_ask_prints_readable_text():
    code, out, err = run("ask", "AE vs AM?")
    assert code == 0, err
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == "Account Executive (AE) vs Account Manager (AM)"
    assert set(lines[1]) == {"="}
    assert "AE:" in out
    assert "AM:" in out
    # Terminal text, not mrkdwn or JSON.
    assert "*AE:*" not in out
    assert not out.lstrip().startswith("{")


def test_ask_json_is_one_object_with_the_contract_keys():
    code, out, err = run("ask", "--json", "AE vs AM?")
    assert code == 0, err
    [answer] = json_lines(out)
    assert set(answer) == KEYS
    assert answer["intent"] == "compare"
    assert answer["roles"] == ["account_executive", "account_manager"]
    assert answer["facet"] is None
    assert answer["topic"] is None
    assert 0 < answer["confidence"] <= 1
    assert answer["text"].strip()
    assert isinstance(answer["blocks"], list)
    assert answer["blocks"][0]["type"] == "header"
    # Each article the answer cites, with the lines its facts rest on.
    assert answer["citations"]
    for citation in answer["citations"]:
        assert set(citation) == {"marker", "source", "title", "lines"}
        assert f"[{citation['marker']}]" in answer["text"]
        assert citation["lines"]
        assert all(n >= 1 for n in citation["lines"])


def test_ask_json_with_a_facet():
    code, out, _ = run("ask", "--json", "what", "metrics", "for", "CSM?")
    assert code == 0
    [answer] = json_lines(out)
    assert (answer["intent"], answer["roles"], answer["facet"]) == (
        "role_info",
        ["customer_success_manager"],
        "metrics",
    )


STDIN_LINES = [
    b"AE vs AM?",
    b"",
    b"y" * 100_000,
    b"\xff\xfe AE",
    b"\x00",
    b"{{ 7*7 }}",
    b"<!channel>",
    b"what is BANT?\r",
]


def test_ask_json_stdin_answers_every_line_in_order():
    code, out, err = run("ask", "--json", "-", stdin=b"\n".join(STDIN_LINES) + b"\n")
    assert code == 0, err
    assert "Traceback" not in err
    answers = json_lines(out)
    assert len(answers) == len(STDIN_LINES)
    assert all(set(a) == KEYS for a in answers)
    intents = [a["intent"] for a in answers]
    assert intents[0] == "compare"
    assert intents[1] == "help"
    assert intents[2] == "unknown"
    assert answers[3]["roles"] == ["account_executive"]
    assert intents[4] == "help"
    assert intents[5] == "unknown"
    assert "49" not in answers[5]["text"]
    assert intents[6] == "help"
    assert (intents[7], answers[7]["topic"]) == ("topic", "bant")
    assert all(a["text"].strip() and a["blocks"] for a in answers)


def test_a_batch_with_a_broken_template_says_so_before_its_first_line(tmp_path):
    """``ask -`` compiles every template first: a broken one is a clear error (exit 1), not
    a traceback halfway through the batch."""
    responses = tmp_path / "responses"
    shutil.copytree(Path(__file__).parents[1] / "responses", responses)
    (responses / "help.j2").write_text("{% if %}\n", encoding="utf-8")
    code, out, err = run("--responses", str(responses), "ask", "--json", "-", stdin=b"AE vs AM?\n")
    assert code == 1
    assert out == ""
    assert "TemplateSyntaxError" in err
    assert "is broken" in err
    assert "Traceback" not in err


def test_ask_stdin_without_final_newline():
    code, out, err = run("ask", "--json", "-", stdin=b"AE vs AM?\nwho handles renewals?")
    assert code == 0, err
    assert [a["intent"] for a in json_lines(out)] == ["compare", "which_role"]


def test_ask_undecodable_argument():
    code, out, err = run("ask", "--json", b"AE \xff vs AM")
    assert code == 0, err
    [answer] = json_lines(out)
    assert answer["roles"] == ["account_executive", "account_manager"]


def test_chat_keeps_the_conversation():
    stdin = b"what does an AE do?\nwhat about AMs?\nquit\n"
    code, out, err = run("chat", stdin=stdin)
    assert code == 0, err
    assert "Traceback" not in err
    answers = out.split("you> ")
    assert len(answers) == 4  # banner, two answers, then the prompt "quit" answered
    assert "Account Executive" in answers[1]
    assert "Account Manager" in answers[2]
    label = load_knowledge().facets["responsibilities"].label
    assert label.lower() in answers[2].lower()  # the facet carried over from the first question


def test_chat_ends_at_end_of_input():
    code, out, err = run("chat", stdin=b"AE vs AM\n")
    assert code == 0, err
    assert "AE vs AM" in out


def test_no_arguments_is_a_usage_error():
    code, _, err = run()
    assert code == 2
    assert "usage" in err.lower()


def test_unknown_subcommand_is_a_usage_error():
    code, _, err = run("frobnicate")
    assert code == 2
    assert "invalid choice" in err


def test_ask_without_question_is_a_usage_error():
    code, _, _ = run("ask")
    assert code == 2


def test_validate():
    code, out, err = run("validate")
    assert code == 0, err
    assert "OK" in out


def test_broken_knowledge_makes_ask_exit_1(tmp_path):
    code, out, err = run("--knowledge", str(tmp_path / "missing"), "ask", "AE vs AM")
    assert code == 1
    assert out == ""
    assert "no such directory" in err
    assert "Traceback" not in err


def test_a_closed_pipe_ends_quietly():
    """`rolebot ask - | head -1`: no traceback when the reader goes away."""
    ask = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "-"],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert ask.stdout is not None
    assert ask.stdin is not None
    ask.stdin.write(b"AE vs AM\n" * 500)
    ask.stdin.close()
    assert ask.stdout.readline().strip() == b"Account Executive (AE) vs Account Manager (AM)"
    ask.stdout.close()
    assert ask.stderr is not None
    with ask.stderr:
        err = ask.stderr.read()
    assert ask.wait(timeout=60) == 0
    assert b"Traceback" not in err


def test_serve_takes_the_global_knowledge_option(tmp_path):
    """Options before `serve` are the CLI's; the rest are the Slack runner's."""
    code, _, err = run("--knowledge", str(tmp_path / "missing"), "serve", "--socket")
    assert code == 2  # the settings are checked first: no token in this environment
    assert "SLACK_BOT_TOKEN" in err
    assert "unrecognized arguments" not in err


def test_the_environment_names_the_knowledge_directory(tmp_path):
    env = {**os.environ, "ROLEBOT_KNOWLEDGE_DIR": str(tmp_path / "elsewhere")}
    code, _, err = run("validate", env=env)
    assert code == 1
    assert f"{tmp_path / 'elsewhere'}:1: no such directory" in err


def test_the_environment_names_the_templates_directory(tmp_path):
    templates = tmp_path / "responses"
    shutil.copytree(REPO / "responses", templates)
    help_page = templates / "help.j2"
    help_page.write_text(help_page.read_text().replace("Role Advisor", "Test Advisor"))
    code, out, err = run("ask", "help", env={**os.environ, "ROLEBOT_RESPONSES_DIR": str(templates)})
    assert code == 0, err
    assert "Test Advisor" in out


def test_missing_templates_are_a_clear_error(tmp_path):
    code, out, err = run("--responses", str(tmp_path / "none"), "ask", "AE vs AM")
    assert (code, out) == (1, "")
    assert f"No templates at {tmp_path / 'none'}" in err
    assert "Traceback" not in err


AE_VS_AM = {
    "q": "AE vs AM?",
    "intent": "compare",
    "roles": ["account_executive", "account_manager"],
}
SDR_PAY = {
    "q": "what do SDRs earn",
    "intent": "role_info",
    "roles": ["sales_development_rep"],
    "facet": "compensation",
}
EVAL_SETS = {
    "in_scope.yaml": [AE_VS_AM],
    "in_scope_dev2.yaml": [SDR_PAY],
    "in_scope_dev3.yaml": [AE_VS_AM],
    "in_scope_holdout.yaml": [AE_VS_AM],
    "followups.yaml": [AE_VS_AM],
    # "how much does an SDR make" is in the blind set's held-aside third, "AE vs AM?" is not
    "blind_dev.yaml": [{**SDR_PAY, "q": "how much does an SDR make"}, AE_VS_AM],
}
DECLINES = (
    "near_domain_decline.txt",
    "near_domain_decline_dev2.txt",
    "near_domain_decline_dev3.txt",
)


@pytest.fixture
def eval_data(tmp_path):
    """A tiny copy of tests/data: one question a set."""
    data = tmp_path / "data"
    data.mkdir()
    for name, cases in EVAL_SETS.items():
        (data / name).write_text(yaml.safe_dump(cases))
    for name in DECLINES:
        (data / name).write_text("What is the capital of France?\n")
    return data


def test_eval_reads_the_sets_it_is_given(eval_data, tmp_path):
    oos = tmp_path / "oos.txt"
    oos.write_text("book a table for two\nwhat's the weather\n")
    (eval_data / DECLINES[1]).write_text("What is the capital of France?\nthanks!\n")
    code, out, err = run("eval", "--data", str(eval_data), "--out-of-scope", str(oos))
    assert code == 0, err
    figures = {line[:48].strip(): line[48:].split()[0] for line in out.splitlines()}
    assert figures["in-scope reading accuracy (dev)"] == "1/1"
    assert figures["out-of-scope (CLINC150) declined"] == "2/2"
    assert figures["near-domain declined (near_domain_decline.txt)"] == "1/1"
    # a thanks is not declined, and is said apart
    lines = out.splitlines()
    second = lines.index(next(x for x in lines if "near_domain_decline_dev2.txt" in x))
    assert lines[second].split()[-2:] == ["1/2", "50.00%"]
    assert lines[second + 1].split()[-1] == "1/2"
    assert "met with the help or thanks" in lines[second + 1]
    assert figures["blind in-scope set (dev, written blind)"] == "2/2"
    assert figures["held-aside third of blind_dev"] == "1/1"


def test_eval_never_lists_the_held_aside_third_of_a_near_domain_set(eval_data):
    # Both are answered, so both are misses; "what does an AE do" is in the held-aside third.
    (eval_data / "near_domain_blind_dev10.txt").write_text(
        "what does an AE do\nwhat do SDRs earn\n"
    )
    code, out, err = run("eval", "--show", "5", "--data", str(eval_data))
    assert code == 0, err
    assert "what do SDRs earn" in out
    assert "what does an AE do" not in out
    aside = "held-aside third of near_domain_blind_dev10 declined"
    assert [line.split()[-2] for line in out.splitlines() if line.startswith(aside)] == ["0/1"]


def test_eval_sweep_reads_the_sets_it_is_given(eval_data, tmp_path):
    oos = tmp_path / "oos.txt"
    oos.write_text("book a table for two\nwhat's the weather\n")
    code, out, err = run("eval", "--sweep", "--data", str(eval_data), "--out-of-scope", str(oos))
    assert code == 0, err
    rows = [line.split() for line in out.splitlines()[1:]]
    assert len(rows) == sum(len(values) for values in SWEEPS.values())
    # 3 development questions, and 3 near-domain plus 2 out-of-scope ones to decline.
    assert {row[2] for row in rows} <= {f"{k / 3:.2%}" for k in range(4)}
    assert {row[3] for row in rows} <= {f"{k / 5:.2%}" for k in range(6)}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--data", "{tmp}/none"), "no labelled sets at {tmp}/none; pass --data DIR"),
        (("--data", "{tmp}"), "{tmp}/followups.yaml not found"),
        (("--data", "{data}", "--out-of-scope", "{tmp}/none"), "no file {tmp}/none"),
    ],
)
def test_eval_without_its_data_is_a_clear_usage_error(args, message, eval_data, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    fill = {"tmp": empty, "data": eval_data}
    code, _, err = run("eval", *(arg.format(**fill) for arg in args))
    assert code == 2
    assert message.format(**fill) in err
    assert "Traceback" not in err


def test_eval_typos_puts_one_slip_into_each_question_read_right(eval_data):
    (eval_data / "blind_dev.yaml").write_text(
        yaml.safe_dump([{**SDR_PAY, "q": "what does a salary look like for an SDR"}, AE_VS_AM])
    )
    code, out, err = run("eval", "--typos", "--show", "5", "--data", str(eval_data))
    assert code == 0, err
    line = out.splitlines()[0]
    assert line.startswith("still read right with a typing slip in them")
    right, total = map(int, line.split()[-2].split("/"))
    assert total == 1  # the one question not set aside with a word of five letters or more
    assert right + out.count("    want ") == total
    assert "what does a salary look like for an SDR" not in out  # shown only with its slip
