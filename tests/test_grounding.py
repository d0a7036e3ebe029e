"""Every statement in the knowledge rests on the article lines it cites.

Reads the seed articles from ``../shared/seeds`` (or ``ROLEBOT_SEEDS_DIR``); skipped, with the
reason, where they are absent. The least-grounded statements are printed at the end of the run.
"""

from __future__ import annotations

import pytest

from bot.knowledge import load_knowledge
from bot.knowledge.grounding import (
    THRESHOLD,
    Checker,
    Grounding,
    check_grounding,
    content_stems,
    load_articles,
    seeds_dir,
)
from bot.knowledge.schema import Fact

KNOWLEDGE = load_knowledge()


@pytest.fixture(scope="module")
def articles() -> dict[str, tuple[str, ...]]:
    folder = seeds_dir()
    try:
        return load_articles(KNOWLEDGE, folder)
    except OSError as error:
        pytest.skip(f"no seed articles in {folder} ({error.strerror}); set ROLEBOT_SEEDS_DIR")


@pytest.fixture(scope="module")
def grounding(articles) -> Grounding:
    return check_grounding(KNOWLEDGE, articles)


def test_every_statement_rests_on_its_cited_lines(grounding, capsys):
    with capsys.disabled():
        print(f"\nThe least-grounded statements (bar: {THRESHOLD:.0%} of their words):")
        for claim in grounding.least(8):
            print(f"  {claim}")
    failures = [f"{c.where}: {c.problem}: {c.text}" for c in grounding.failures]
    assert failures == []


def test_every_kind_of_statement_is_checked(grounding):
    where = {c.where.split(":")[0].rsplit("/", 1)[-1] for c in grounding.claims}
    assert {"comparisons.yaml", "topics.yaml", "career.yaml", "account_executive.yaml"} <= where
    duties = sum(len(r.duties) for r in KNOWLEDGE.roles.values())
    facts = sum(len(fs) for r in KNOWLEDGE.roles.values() for fs in r.facets.values())
    assert len(grounding.claims) > duties + facts


def test_the_threshold_separates_right_and_wrong_citations(articles):
    """Each fact passes against its own lines and fails against its article's title line:
    the threshold tells the two apart."""
    checker = Checker(KNOWLEDGE, articles)
    facts = [f for r in KNOWLEDGE.roles.values() for fs in r.facets.values() for f in fs]
    moved = [Fact(text=f.text, source={"id": f.source[0].id, "lines": [1]}) for f in facts]
    assert all(checker.score(f).score >= THRESHOLD for f in facts)
    wrong = sum(checker.score(f).score < THRESHOLD for f in moved)
    assert wrong >= 0.9 * len(moved)


def test_figures_must_appear_in_the_cited_lines(articles):
    salary = next(
        f for f in KNOWLEDGE.roles["sales_manager"].facets["compensation"] if "$" in f.text
    )
    bumped = Fact(text=salary.text.replace("83,778", "93,778"), source=salary.source)
    claim = Checker(KNOWLEDGE, articles).score(bumped)
    assert claim.missing_figures == ("93778",)
    assert claim.problem is not None


def test_missing_lines_are_reported(articles):
    fact = Fact(text="anything", source={"id": "ae_vs_sdr", "lines": [9999]})
    assert "do not exist" in (Checker(KNOWLEDGE, articles).score(fact).problem or "")


def test_content_words_are_stemmed_without_stop_words():
    assert content_stems("The AEs are closing the deals") == {"ae", "close", "deal"}
    assert content_stems("AEs close deals", ignore=frozenset({"ae"})) == {"close", "deal"}
