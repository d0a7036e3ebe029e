"""Knowledge edited while the bot runs is picked up; a broken edit is refused and the last good
version keeps answering."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.live import LiveAdvisor

REPO = Path(__file__).resolve().parents[1]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def copies(tmp_path):
    knowledge, responses = tmp_path / "knowledge", tmp_path / "responses"
    shutil.copytree(REPO / "knowledge", knowledge)
    shutil.copytree(REPO / "responses", responses)
    return knowledge, responses


def sdr_file(knowledge: Path) -> Path:
    return knowledge / "roles" / "sales_development_rep.yaml"


def test_an_edit_is_picked_up_after_the_interval(copies):
    knowledge, responses = copies
    clock = Clock()
    live = LiveAdvisor(knowledge, responses, interval=5, clock=clock)
    before = live.current().ask("what does an SDR do?").text
    path = sdr_file(knowledge)
    path.write_text(
        path.read_text().replace(
            "name: Sales Development Representative", "name: Sales Development Rep"
        )
    )
    assert live.current().ask("what does an SDR do?").text == before  # not looked yet
    clock.now += 5
    after = live.current().ask("what does an SDR do?").text
    assert "Sales Development Rep (SDR)" in after
    assert after != before


def test_a_broken_edit_is_refused_and_the_old_version_keeps_answering(copies, caplog):
    knowledge, responses = copies
    clock = Clock()
    refused: list[list[str]] = []
    live = LiveAdvisor(knowledge, responses, interval=1, clock=clock, on_refused=refused.append)
    before = live.current().ask("SDR metrics").text
    path = sdr_file(knowledge)
    path.write_text(path.read_text().replace("short: SDR", "short: SDR: broken"))
    clock.now += 1
    assert live.current().ask("SDR metrics").text == before
    assert len(refused) == 1
    assert any("sales_development_rep.yaml" in p and "YAML syntax error" in p for p in refused[0])
    assert "knowledge edit refused" in caplog.text
    clock.now += 1
    live.current()
    assert len(refused) == 1  # the same broken version is reported once
    path.write_text(path.read_text().replace("short: SDR: broken", "short: SDR"))
    clock.now += 1
    assert live.current().ask("SDR metrics").text == before


def test_a_broken_template_is_refused_too(copies):
    knowledge, responses = copies
    clock = Clock()
    refused: list[list[str]] = []
    live = LiveAdvisor(knowledge, responses, interval=1, clock=clock, on_refused=refused.append)
    before = live.current().ask("AE vs AM").text
    (responses / "compare.j2").write_text("{% if %}")
    clock.now += 1
    assert live.current().ask("AE vs AM").text == before
    assert "TemplateSyntaxError" in refused[0][0]
