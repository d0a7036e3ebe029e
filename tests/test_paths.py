"""Where the knowledge base and the templates are found in a checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answer import DEFAULT_RESPONSES_DIR
from bot.knowledge import DEFAULT_KNOWLEDGE_DIR
from bot.paths import CHECKOUT, data_dir

REPO = Path(__file__).resolve().parents[1]


def test_a_checkout_reads_its_top_level_folders():
    """An editable install reads knowledge/ and responses/ in place: edits take effect at once."""
    assert CHECKOUT == REPO
    assert DEFAULT_KNOWLEDGE_DIR == REPO / "knowledge"
    assert DEFAULT_RESPONSES_DIR == REPO / "responses"
    assert not (REPO / "bot" / "_data").exists()


@pytest.mark.parametrize("name", ["knowledge", "responses"])
def test_the_environment_variable_wins(name, tmp_path):
    env = {f"ROLEBOT_{name.upper()}_DIR": str(tmp_path)}
    assert data_dir(name, env) == tmp_path


@pytest.mark.parametrize("name", ["knowledge", "responses"])
def test_an_empty_environment_variable_is_no_choice(name):
    assert data_dir(name, {f"ROLEBOT_{name.upper()}_DIR": ""}) == REPO / name
    assert data_dir(name, {}) == REPO / name
