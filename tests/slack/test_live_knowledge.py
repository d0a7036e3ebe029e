"""Knowledge edited while the Slack app runs: the next question is answered from the new
version; a broken edit is refused, the admins are told by DM, and the old version answers."""

from __future__ import annotations

import shutil
from pathlib import Path

from fake_slack import direct_message

from bot.live import LiveAdvisor
from bot.slack.admins import AdminNotice

REPO = Path(__file__).resolve().parents[2]


def _header(call):
    return next(b["text"]["text"] for b in call.body["blocks"] if b["type"] == "header")


def test_an_edit_is_answered_and_a_broken_one_refused_with_a_dm_to_the_admins(
    make_slack_app, tmp_path
):
    knowledge, responses = tmp_path / "knowledge", tmp_path / "responses"
    shutil.copytree(REPO / "knowledge", knowledge)
    shutil.copytree(REPO / "responses", responses)
    notice = AdminNotice(["U0ADMIN"])
    live = LiveAdvisor(knowledge, responses, interval=0, on_refused=notice)
    slack = make_slack_app(source=live)
    notice.clients = slack.runtime.clients

    def ask(n):
        slack.send.event(
            direct_message("what does an SDR do?", ts=f"17000007{n:02d}.000001"), event_id=f"EvL{n}"
        )
        return slack.fake.wait_for("chat.postMessage", n)[-1]

    assert _header(ask(1)).startswith("Sales Development Representative (SDR)")
    path = knowledge / "roles" / "sales_development_rep.yaml"
    path.write_text(
        path.read_text().replace(
            "name: Sales Development Representative", "name: Sales Development Rep"
        )
    )
    assert _header(ask(2)).startswith("Sales Development Rep (SDR)")

    path.write_text(path.read_text().replace("short: SDR", "short: SDR: broken"))
    third = ask(4)  # the admin's DM and the answer
    calls = slack.fake.calls_to("chat.postMessage")
    [dm] = [c for c in calls if c.body["channel"] == "U0ADMIN"]
    assert "refused" in dm.body["text"]
    assert "sales_development_rep.yaml" in dm.body["text"]
    answers = [c for c in calls if c.body["channel"] != "U0ADMIN"]
    assert _header(answers[-1]).startswith("Sales Development Rep (SDR)")
    assert third is not None


def test_admins_are_optional_and_a_failed_dm_is_only_logged(fake_slack, caplog):
    from slack_sdk import WebClient

    from bot.slack.delivery import OneWorkspace

    AdminNotice([])(["anything"])  # no admins: nothing to do
    client = WebClient(token="xoxb-test", base_url="http://127.0.0.1:9/api/")  # nothing listens
    AdminNotice(["U0ADMIN"], OneWorkspace(client))(["problem"])
    assert "could not tell admin U0ADMIN" in caplog.text
