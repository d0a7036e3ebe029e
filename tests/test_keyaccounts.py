"""The key-account scorecard: the shipped YAML, its validation, and the arithmetic and ranking
of bot.keyaccounts (no Slack, no database: ranking takes stored scorecards as they come)."""

from __future__ import annotations

import re

import pytest
from test_knowledge import Broken, assert_reported, copy_knowledge

from bot.keyaccounts import (
    CLIENT,
    InvalidScores,
    Scorecard,
    StoredScorecard,
    client_key,
    number,
    rank,
)
from bot.knowledge import load_knowledge, read_knowledge
from bot.knowledge.schema import KeyAccountsFile

KA = "key_accounts.yaml"


@pytest.fixture(scope="module")
def shipped() -> Scorecard:
    spec = load_knowledge().key_accounts
    assert spec is not None
    return Scorecard(spec)


def small(count: int = 2) -> Scorecard:
    """Two criteria: growth weighted 3, harmony weighted 1 (max total 40)."""
    source = {"id": "am_key_accounts", "lines": [7]}
    return Scorecard(
        KeyAccountsFile.model_validate(
            {
                "method": [{"text": "how", "source": {"id": "am_key_accounts", "lines": [8]}}],
                "defaults_note": "ours, not the article's",
                "key_account_count": count,
                "groups": [
                    {"id": "growth", "label": "Growth", "source": source},
                    {"id": "harmony", "label": "Harmony", "source": source},
                    {"id": "value_creation", "label": "Value creation", "source": source},
                ],
                "criteria": [
                    {"id": "g", "label": "Growth one", "group": "growth", "weight": 3},
                    {"id": "h", "label": "Harmony one", "group": "harmony", "weight": 1},
                ],
            }
        )
    )


def card(name: str, **scores: int) -> StoredScorecard:
    return StoredScorecard(name, client_key(name), scores, "U1", 1.0)


# -- the shipped scorecard -------------------------------------------------------------------


def test_shipped_scorecard_has_the_articles_three_groups_and_cites_lines_7_and_8(shipped):
    spec = shipped.spec
    assert [g.id for g in spec.groups] == ["growth", "harmony", "value_creation"]
    assert all(
        [(r.id, r.lines) for r in g.source] == [("am_key_accounts", (7,))] for g in spec.groups
    )
    assert {line for note in spec.method for ref in note.source for line in ref.lines} == {7, 8}
    assert all(len(criteria) >= 1 for _, criteria in shipped.grouped())
    assert all(c.weight > 0 for c in shipped.criteria)


def test_shipped_criteria_are_labelled_as_ours_not_the_articles_15(shipped):
    assert "15 criteria" in shipped.note
    assert "not list them" in shipped.note
    assert "not the article's list" in shipped.note
    assert "NOT the\n# article's list" in (load_knowledge().root / KA).read_text()


def test_the_scorecard_file_is_optional(tmp_path):
    root = copy_knowledge(tmp_path)
    (root / KA).unlink()
    knowledge, problems = read_knowledge(root)
    assert problems == []
    assert knowledge is not None
    assert knowledge.key_accounts is None


# -- broken copies, reported where an editor fixes them ---------------------------------------

BROKEN = {
    "weight_zero": Broken(
        KA, "    weight: 3\n", "    weight: 0\n", ("weight: 0",), "greater than 0"
    ),
    "weight_negative": Broken(
        KA, "    weight: 2\n", "    weight: -2\n", ("weight: -2",), "greater than 0"
    ),
    "weight_not_a_number": Broken(
        KA, "    weight: 3\n", "    weight: lots\n", ("weight: lots",), "valid number"
    ),
    "unknown_group": Broken(
        KA,
        "    group: harmony\n",
        "    group: happiness\n",
        ("group: happiness",),
        "criterion 'relationship' names unknown group 'happiness'",
    ),
    "duplicate_criterion": Broken(
        KA,
        "  - id: culture_fit\n",
        "  - id: relationship\n",
        ("label: Strength of our relationships", "- id: relationship"),
        "duplicate criterion id 'relationship'",
    ),
    "criterion_without_label": Broken(
        KA,
        "    label: Room for upsell and cross-sell\n",
        "",
        ("- id: expansion_room",),
        "missing required field 'criteria.1.label'",
    ),
    "unknown_source": Broken(
        KA,
        "    label: Harmony\n    source: {id: am_key_accounts",
        "    label: Harmony\n    source: {id: nowhere",
        ("source: {id: nowhere",),
        "unknown source 'nowhere' (see sources.yaml)",
    ),
    "unknown_key": Broken(
        KA, "    weight: 1\n", "    weight: 1\n    colour: red\n", ("colour: red",), "unknown key"
    ),
    "no_criteria": Broken(
        KA,
        re.compile(r"^criteria:\n(?:.*\n)+", re.MULTILINE),
        "criteria: []\n",
        ("criteria: []",),
        "criteria: List should have at least 1 item",
    ),
}


@pytest.mark.parametrize("case", BROKEN.values(), ids=BROKEN.keys())
def test_broken_scorecard_is_reported_at_the_right_line(tmp_path, case):
    assert_reported(tmp_path, case)


# -- checking a submission -------------------------------------------------------------------


def test_check_cleans_the_name_and_accepts_digits_or_numbers():
    name, scores = small().check("  Acme\t Corp \n", {"g": "7", "h": 10})
    assert (name, scores) == ("Acme Corp", {"g": 7, "h": 10})


@pytest.mark.parametrize("bad", [0, 11, -1, "11", "7.5", 7.5, "", "ten", None, True, "٣", [3]])
def test_a_score_outside_1_to_10_or_not_whole_is_refused_on_its_criterion(bad):
    with pytest.raises(InvalidScores) as error:
        small().check("Acme", {"g": bad, "h": 5})
    assert set(error.value.problems) == {"g"}
    assert "1 to 10" in error.value.problems["g"]


@pytest.mark.parametrize("name", ["", "   ", None, 42, "\u200b\n", "\x00\x1b"])
def test_a_missing_or_invisible_client_name_is_refused(name):
    with pytest.raises(InvalidScores) as error:
        small().check(name, {"g": 5, "h": 5})
    assert error.value.problems == {CLIENT: "Enter the client's name."}


def test_a_long_name_is_refused_with_the_limit():
    with pytest.raises(InvalidScores) as error:
        small().check("x" * 81, {"g": 5, "h": 5})
    assert "80 characters" in error.value.problems[CLIENT]


def test_unknown_and_missing_criteria_are_each_named():
    with pytest.raises(InvalidScores) as error:
        small().check("Acme", {"g": 5, "bogus": 5})
    assert "Unknown criterion 'bogus'" in error.value.problems["bogus"]
    assert "score" in error.value.problems["h"]
    assert set(error.value.problems) == {"bogus", "h"}


def test_same_client_whatever_the_case_width_and_spacing():
    fullwidth = "\uff21\uff23\uff2d\uff25 corp"
    assert client_key("  ACME   corp") == client_key("acme corp") == client_key(fullwidth)
    assert client_key("Acme") != client_key("Acme Corp")


# -- arithmetic and ranking ------------------------------------------------------------------


def test_weighted_total_is_the_sum_of_score_times_weight():
    assert small().total({"g": 7, "h": 4}) == 7 * 3 + 4 * 1
    assert small().max_total == 40
    assert number(25.0) == "25"
    assert number(0.1 + 0.2) == "0.3"
    assert number(12.345) == "12.35"


def test_shipped_totals(shipped):
    weights = {c.id: c.weight for c in shipped.criteria}
    scores = {cid: 1 + i % 10 for i, cid in enumerate(weights)}
    assert shipped.total(scores) == sum(scores[c] * w for c, w in weights.items())
    assert shipped.max_total == 10 * sum(weights.values())


def test_ranking_is_by_weighted_total_highest_first_not_by_raw_sum():
    # Beta has the higher raw sum (2 + 10 = 12 against 9 + 1 = 10) but Acme weighs more.
    ranked = rank(small(1), [card("Beta", g=2, h=10), card("Acme", g=9, h=1)])
    assert [(r.client, r.total, r.rank, r.key_account) for r in ranked] == [
        ("Acme", 28, 1, True),
        ("Beta", 16, 2, False),
    ]


def test_ties_share_a_rank_and_a_tie_at_the_cut_is_a_key_account_too():
    cards = [card("Delta", g=1, h=1), card("Carol", g=5, h=5), card("Bob", g=5, h=5)]
    cards.append(card("Ann", g=10, h=10))
    ranked = rank(small(2), cards)
    assert [(r.client, r.rank, r.key_account) for r in ranked] == [
        ("Ann", 1, True),
        ("Bob", 2, True),
        ("Carol", 2, True),
        ("Delta", 4, False),
    ]


def test_the_top_n_are_the_key_accounts():
    cards = [card(f"Client {i}", g=i, h=1) for i in range(1, 9)]
    ranked = rank(small(3), cards)
    assert [r.client for r in ranked if r.key_account] == ["Client 8", "Client 7", "Client 6"]
    assert [r.rank for r in ranked] == list(range(1, 9))


def test_criteria_changed_since_scoring_count_zero_and_are_named_missing():
    ranked = rank(small(), [card("Old", g=4, gone=10)])
    assert ranked[0].total == 12
    assert ranked[0].missing == ("h",)
    assert dict(ranked[0].scores) == {"g": 4}


def test_nobody_scored_is_an_empty_ranking():
    assert rank(small(), []) == []
