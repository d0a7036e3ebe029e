"""The knowledge base: the shipped YAML validates, and every kind of mistake is reported as
``file:line: message`` pointing at the line an editor has to fix."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.knowledge import DEFAULT_KNOWLEDGE_DIR, KnowledgeError, load_knowledge, read_knowledge

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = REPO / "knowledge"
AE = "roles/account_executive.yaml"
AM = "roles/account_manager.yaml"
# The one-fact education facet of the AE file: "  education:\n    - text: ...\n      source: ..."
AE_EDUCATION = re.compile(
    r"(  education:\n    - text: .*\n)(      source: )\{id: \w+, lines: \[[\d, ]*\]\}\n"
)
SUMMARY_TEXT = re.compile(r"^  text: .*$", re.MULTILINE)


def run_bot(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def copy_knowledge(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    return root


def edit(path: Path, old: str | re.Pattern[str], new: str) -> str:
    """Replace the first occurrence of ``old`` (text or regex) in ``path``; returns the new text."""
    text = path.read_text(encoding="utf-8")
    if isinstance(old, re.Pattern):
        assert old.search(text), f"pattern {old.pattern!r} not found in {path.name}"
        changed = old.sub(new, text, count=1)
    else:
        assert old in text, f"{old!r} not found in {path.name}"
        changed = text.replace(old, new, 1)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    return changed


def line_number(text: str, *prefixes: str) -> int:
    """1-based line of the first line starting (after indentation) with the last prefix, each
    prefix searched for after the line of the one before it."""
    lines = [line.strip() for line in text.splitlines()]
    start = 0
    for prefix in prefixes:
        start = next((i for i in range(start, len(lines)) if lines[i].startswith(prefix)), None)
        assert start is not None, f"no line starts with {prefix!r}"
    if len(prefixes) == 1:
        count = sum(line.startswith(prefixes[0]) for line in lines)
        assert count == 1, f"{prefixes[0]!r} starts {count} lines; the expected line is ambiguous"
    return start + 1


# -- the shipped knowledge -------------------------------------------------------------------


def test_shipped_knowledge_has_no_problems():
    knowledge, problems = read_knowledge(KNOWLEDGE)
    assert [str(p) for p in problems] == []
    assert knowledge is not None
    assert DEFAULT_KNOWLEDGE_DIR.resolve() == KNOWLEDGE.resolve()


def test_shipped_knowledge_is_complete():
    knowledge = load_knowledge()
    assert len(knowledge.roles) >= 7
    assert {"account_executive", "account_manager", "sales_development_rep"} <= set(knowledge.roles)
    assert len(knowledge.facets) == 10
    assert knowledge.comparison(["account_manager", "account_executive"]) is not None
    for role in knowledge.roles.values():
        assert set(role.summary.source_ids) <= set(knowledge.sources)
        assert role.facets, f"{role.id} has no facets"


def test_shipped_sources_name_existing_seed_files():
    knowledge = load_knowledge()
    seeds = REPO.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"{seeds} is not available")
    for source in knowledge.sources.values():
        assert (seeds / source.file).is_file(), source.file


def test_cli_validate_shipped_knowledge_exits_0():
    result = run_bot("validate")
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout
    assert "roles" in result.stdout
    assert result.stderr == ""


# -- one mistake at a time -------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    file: str
    old: str | re.Pattern[str]
    new: str
    line: tuple[str, ...]  # prefixes locating the reported line in the edited file
    message: str


BROKEN = {
    "yaml_syntax_error": Broken(
        AE, "short: AE\n", "short: AE: oops\n", ("short: AE: oops",), "YAML syntax error"
    ),
    "missing_required_summary": Broken(
        AE,
        re.compile(r"^summary:\n(  .*\n)+", re.MULTILINE),
        "",
        ("id: account_executive",),
        "missing required field 'summary'",
    ),
    "unknown_key": Broken(
        AE, "short: AE\n", "short: AE\ncolour: red\n", ("colour: red",), "unknown key 'colour'"
    ),
    "aliases_is_a_string": Broken(
        AE,
        re.compile(r"^aliases:\n(  - .*\n)+", re.MULTILINE),
        "aliases: AE\n",
        ("aliases: AE",),
        "aliases: Input should be a valid list",
    ),
    "fact_text_is_a_mapping": Broken(
        AE,
        SUMMARY_TEXT,
        "  text: {words: wins new clients}",
        ("text: {words: wins new clients}",),
        "summary.text: Input should be a valid string",
    ),
    "empty_fact_text": Broken(
        AE, SUMMARY_TEXT, '  text: ""', ('text: ""',), "summary.text: String should have at least"
    ),
    "blank_fact_text": Broken(
        AE, SUMMARY_TEXT, '  text: "   "', ('text: "   "',), "summary.text: String should have"
    ),
    "alias_claimed_by_two_roles": Broken(
        AM,
        "aliases:\n  - AM\n",
        "aliases:\n  - AM\n  - AE\n",
        ("- AE",),
        "alias 'AE' is claimed by both 'account_executive' and 'account_manager'",
    ),
    "plural_alias_claimed_by_two_roles": Broken(
        AM,
        "aliases:\n  - AM\n",
        "aliases:\n  - AM\n  - account executives\n",
        ("- account executives",),
        "alias 'account executives' is claimed by both 'account_executive' and 'account_manager'",
    ),
    "unused_name_not_an_alias": Broken(
        "roles/sales_development_rep.yaml",
        "unused_by_articles:\n  - BDR\n",
        "unused_by_articles:\n  - BDR\n  - growth hacker\n",
        ("- growth hacker",),
        "'growth hacker' is not one of the aliases",
    ),
    "gap_answered_for_an_unknown_role": Broken(
        "gaps.yaml",
        "    answered_for: [account_manager]\n",
        "    answered_for: [account_wizard]\n",
        ("answered_for: [account_wizard]",),
        "unknown role 'account_wizard'",
    ),
    "disagreement_shown_nowhere": Broken(
        AE,
        '  - about: "how senior and experienced AEs are"\n    facets: [experience]\n',
        '  - about: "how senior and experienced AEs are"\n',
        ('- about: "how senior and experienced AEs are"',),
        "a disagreement needs facets or duties to be shown on",
    ),
    "disagreement_on_no_roles_duty": Broken(
        AE,
        "      - hand-off from the AE\n",
        "      - juggling\n",
        ("- juggling",),
        "'juggling' is no role's duty",
    ),
    "career_move_to_unknown_role": Broken(
        "career.yaml",
        "    to: senior_account_executive\n",
        "    to: chief_closer\n",
        ("to: chief_closer",),
        "career move names unknown role or step 'chief_closer'",
    ),
    "career_move_from_unknown_role": Broken(
        "career.yaml",
        "  - from: sales_development_rep\n",
        "  - from: sales_wizard\n",
        ("- from: sales_wizard",),
        "career move names unknown role or step 'sales_wizard'",
    ),
    "summary_with_unknown_source": Broken(
        AE,
        re.compile(r"^(summary:\n  text: .*\n  source: )\{id: \w+", re.MULTILINE),
        r"\1{id: nowhere",
        ("source: {id: nowhere",),
        "unknown source 'nowhere' (see sources.yaml)",
    ),
    "fact_with_unknown_source": Broken(
        AE,
        AE_EDUCATION,
        r"\1\2{id: nowhere, lines: [1]}\n",
        ("source: {id: nowhere",),
        "unknown source 'nowhere' (see sources.yaml)",
    ),
    "fact_without_source": Broken(
        AE,
        AE_EDUCATION,
        r"\1",
        ("education:", "- text:"),
        "missing required field 'facets.education.0.source'",
    ),
    "empty_facet_list": Broken(
        AE,
        AE_EDUCATION,
        "  education: []\n",
        ("education: []",),
        "facet 'education' has no facts",
    ),
    "fact_source_without_lines": Broken(
        AE,
        re.compile(r"^(summary:\n  text: .*\n  source: )\{id: (\w+), lines: \[[\d, ]*\]\}", re.M),
        r"\1{id: \2}",
        ("summary:", "source:"),
        "missing required field 'summary.source.0.lines'",
    ),
    "line_number_zero": Broken(
        AE,
        re.compile(r"^(summary:\n  text: .*\n  source: \{id: \w+, lines: )\[[\d, ]*\]", re.M),
        r"\1[0]",
        ("summary:", "source:"),
        "Input should be greater than or equal to 1",
    ),
    "duty_without_a_fact_showing_it": Broken(
        AE,
        "duties:\n",
        'duties:\n  - {text: "juggling", source: {id: ae_vs_sdr, lines: [1]}}\n',
        ('- {text: "juggling"',),
        "duty 'juggling': no fact of the role cites the same lines",
    ),
    "nickname_without_a_fact_showing_it": Broken(
        AE,
        "nicknames:  # what an article calls AEs, cited like a fact\n",
        "nicknames:  # what an article calls AEs, cited like a fact\n"
        '  - {text: "the closers", source: {id: ae_vs_sdr, lines: [1]}}\n',
        ('- {text: "the closers"',),
        "nickname 'the closers': no fact of the role cites the same lines",
    ),
    "disagreement_with_one_view": Broken(
        "roles/regional_account_manager.yaml",
        "facets:\n",
        "disagreements:\n  - about: x\n    facets: [overview]\n    views: []\nfacets:\n",
        ("views: []",),
        "disagreements.0.views: List should have at least 2 items",
    ),
    "gap_with_unknown_facet": Broken(
        "gaps.yaml",
        re.compile(r"facet: \w+"),
        "facet: hobbies",
        ("facet: hobbies",),
        "gaps.0.facet: Input should be",
    ),
    "nickname_with_unknown_source": Broken(
        AE,
        '{text: "hunter", source: {id: am_key_accounts',
        '{text: "hunter", source: {id: nowhere',
        ('- {text: "hunter", source: {id: nowhere',),
        "unknown source 'nowhere' (see sources.yaml)",
    ),
    "nickname_claimed_by_two_roles": Broken(
        AM,
        "aliases:\n  - AM\n",
        "aliases:\n  - AM\n  - the hunters\n",
        ("- the hunters",),
        "alias 'the hunters' is claimed by both",
    ),
    "unknown_facet_id": Broken(
        AE, "\n  education:\n", "\n  hobbies:\n", ("hobbies:",), "unknown facet 'hobbies'"
    ),
    "comparison_names_unknown_role": Broken(
        "comparisons.yaml",
        "roles: [account_executive, account_manager]",
        "roles: [account_executive, account_wizard]",
        ("roles: [account_executive, account_wizard]",),
        "unknown role 'account_wizard'",
    ),
    "aspect_missing_a_roles_value": Broken(
        "comparisons.yaml",
        re.compile(r"(label: Primary goal\n(?:.*\n)*?\s+)account_manager:"),
        r"\1sales_manager:",
        ("- label: Primary goal", "values:"),
        "aspect 'Primary goal' must give a value for each of account_executive, account_manager",
    ),
    "duplicate_yaml_key": Broken(
        AE, "short: AE\n", "short: AE\nshort: AE2\n", ("short: AE2",), "duplicate key 'short'"
    ),
    "ambiguous_name_for_an_unknown_role": Broken(
        "vocabulary.yaml",
        "    roles: [account_manager, account_executive]",
        "    roles: [account_manager, account_wizard]",
        ("roles: [account_manager, account_wizard]",),
        "unknown role 'account_wizard'",
    ),
    "person_cites_an_unknown_article": Broken(
        "vocabulary.yaml",
        "      source: {id: ae_am_insiders, lines: [11, 76]}",
        "      source: {id: ghost_article, lines: [11, 76]}",
        ("source: {id: ghost_article",),
        "ghost_article",
    ),
    "degree_for_an_unknown_role": Broken(
        "recommend.yaml",
        "    - role: account_executive\n      names: [communications",
        "    - role: account_wizard\n      names: [communications",
        ("- role: account_wizard",),
        "unknown role 'account_wizard'",
    ),
    "topic_names_unknown_role": Broken(
        "topics.yaml",
        re.compile(r"(related_roles: \[)\w+"),
        r"\1ghost_role",
        ("related_roles: [ghost_role",),
        "unknown role 'ghost_role'",
    ),
}


@pytest.mark.parametrize("case", BROKEN.values(), ids=BROKEN.keys())
def test_broken_knowledge_is_reported_at_the_right_line(tmp_path, case):
    assert_reported(tmp_path, case)


def assert_reported(tmp_path: Path, case: Broken) -> None:
    """Make the edit in a copy of the knowledge; its problem is reported at the right line."""
    root = copy_knowledge(tmp_path)
    path = root / case.file
    text = edit(path, case.old, case.new)
    expected = f"{path}:{line_number(text, *case.line)}: "

    knowledge, problems = read_knowledge(root)

    assert knowledge is None
    reported = [str(p) for p in problems]
    assert any(r.startswith(expected) and case.message in r for r in reported), (
        f"expected a problem starting {expected!r} containing {case.message!r}; got:\n"
        + "\n".join(reported)
    )
    # Every problem names a real file and a line inside it.
    for problem in problems:
        assert Path(problem.file).is_file() or Path(problem.file).is_dir()
        assert problem.line >= 1


def test_load_knowledge_raises_with_every_problem(tmp_path):
    root = copy_knowledge(tmp_path)
    edit(root / AE, "short: AE\n", "short: AE\ncolour: red\n")
    edit(root / "career.yaml", "    to: senior_account_executive\n", "    to: chief_closer\n")
    _, problems = read_knowledge(root)
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(root)
    assert raised.value.problems == tuple(sorted(problems))
    assert str(raised.value).splitlines() == [str(p) for p in sorted(problems)]


def test_duplicate_role_id(tmp_path):
    root = copy_knowledge(tmp_path)
    original = root / AE
    copy = root / "roles" / "zz_account_executive_copy.yaml"
    shutil.copyfile(original, copy)
    text = copy.read_text(encoding="utf-8")

    knowledge, problems = read_knowledge(root)

    assert knowledge is None
    expected = (
        f"{copy}:{line_number(text, 'id: account_executive')}: "
        f"duplicate role id 'account_executive' (also in {original})"
    )
    assert expected in [str(p) for p in problems]


def test_role_id_must_match_file_name(tmp_path):
    root = copy_knowledge(tmp_path)
    renamed = root / "roles" / "ae.yaml"
    (root / AE).rename(renamed)
    text = renamed.read_text(encoding="utf-8")

    knowledge, problems = read_knowledge(root)

    assert knowledge is None
    assert [str(p) for p in problems] == [
        f"{renamed}:{line_number(text, 'id: account_executive')}: "
        "role id 'account_executive' must match the file name 'ae.yaml'"
    ]


def test_role_id_edited_to_mismatch_file_name(tmp_path):
    root = copy_knowledge(tmp_path)
    path = root / "roles" / "customer_success_manager.yaml"
    text = edit(path, "id: customer_success_manager\n", "id: csm\n")

    _, problems = read_knowledge(root)

    assert f"{path}:{line_number(text, 'id: csm')}: role id 'csm' must match the file name " in (
        "\n".join(str(p) for p in problems)
    )


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    root = copy_knowledge(tmp_path)
    edit(root / AE, "short: AE\n", "short: AE\ncolour: red\n")
    edit(root / "career.yaml", "    to: senior_account_executive\n", "    to: chief_closer\n")

    knowledge, problems = read_knowledge(root)

    assert knowledge is None
    messages = "\n".join(str(p) for p in problems)
    assert "unknown key 'colour'" in messages
    assert "unknown role or step 'chief_closer'" in messages


def test_missing_directory_is_a_problem_not_a_crash(tmp_path):
    knowledge, problems = read_knowledge(tmp_path / "nowhere")
    assert knowledge is None
    assert [p.message for p in problems] == ["no such directory"]


def test_empty_file_is_a_problem(tmp_path):
    root = copy_knowledge(tmp_path)
    (root / "sources.yaml").write_text("# nothing here\n", encoding="utf-8")
    knowledge, problems = read_knowledge(root)
    assert knowledge is None
    assert f"{root / 'sources.yaml'}:1: file is empty" in [str(p) for p in problems]


def test_cli_validate_broken_copy_prints_problems_and_exits_1(tmp_path):
    root = copy_knowledge(tmp_path)
    text = edit(root / AE, "short: AE\n", "short: AE\ncolour: red\n")
    line = line_number(text, "colour: red")

    result = run_bot("validate", str(root))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert f"{root / AE}:{line}: unknown key 'colour'" in lines
    problem_lines = [ln for ln in lines if not re.search(r"^\d+ problem\(s\) in ", ln)]
    assert problem_lines
    for ln in problem_lines:
        assert re.match(r"^.+\.yaml:\d+: \S", ln), ln
    assert "OK" not in result.stdout
