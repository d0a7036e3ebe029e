"""/keyaccount for real: the Bolt app receives signed requests, opens the scoring modal on the
fake Slack (views.open with the command's trigger), checks and stores a view_submission, and
ranks the workspace's clients with /keyaccount list; bad submissions get response_action errors
on the right block, never a traceback."""

from __future__ import annotations

import json

import pytest
from fake_slack import TEAM_ID, view_submission
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import TableBlock

from bot.db import Database
from bot.db.key_accounts import KeyAccountStore
from bot.keyaccounts import InvalidScores, Scorecard
from bot.knowledge import load_knowledge
from bot.slack.keyaccount_blocks import error_blocks, read_submission
from bot.slack.keyaccounts import COMMAND


@pytest.fixture
def scorecard(slack):
    spec = slack.advisor.knowledge.key_accounts
    assert spec is not None
    return spec


def open_modal(slack, text: str = "") -> dict:
    response = slack.send.command(COMMAND, text, response_url=slack.fake.response_url())
    assert response.status_code == 200
    assert response.data == b""
    [call] = slack.fake.wait_for("views.open")
    slack.fake.forget_calls()
    return call.body["view"]


def values(view: dict, client: str | None, **scores: object) -> dict:
    """The modal's state with ``client`` typed in and ``scores`` chosen (by criterion id)."""
    state: dict = {}
    for block in view["blocks"]:
        block_id = block.get("block_id", "")
        if block_id == "client" and client is not None:
            state["client"] = {"name": {"type": "plain_text_input", "value": client}}
        elif block_id.startswith("score:") and block_id[6:] in scores:
            value = str(scores[block_id[6:]])
            option = {"text": {"type": "plain_text", "text": value}, "value": value}
            state[block_id] = {"score": {"type": "static_select", "selected_option": option}}
    return state


def submit(slack, view: dict, state: dict):
    response = slack.send.action(view_submission(view, state))
    assert response.status_code == 200, response.data
    return json.loads(response.data) if response.data else {}


def stored(slack) -> dict:
    database = Database.connect(slack.database_url, upgrade=False)
    try:
        return {c.client: dict(c.scores) for c in KeyAccountStore(database).scorecards(TEAM_ID)}
    finally:
        database.dispose()


def all_scores(scorecard, value: int, **overrides: int) -> dict[str, int]:
    return {**{c.id: value for c in scorecard.criteria}, **overrides}


def section_text(view: dict) -> str:
    return "\n".join(
        b["text"]["text"] if b["type"] == "section" else b["elements"][0]["text"]
        for b in view["blocks"]
        if b["type"] in {"section", "context"}
    )


def test_the_command_opens_the_modal_with_one_select_per_criterion_grouped(slack, scorecard):
    view = open_modal(slack)
    assert view["type"] == "modal"
    assert view["callback_id"] == "keyaccount_score"
    headers = [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]
    assert headers == ["Growth", "Harmony", "Value creation"]
    selects = {
        b["block_id"]: b for b in view["blocks"] if b.get("block_id", "").startswith("score:")
    }
    assert set(selects) == {f"score:{c.id}" for c in scorecard.criteria}
    for block in selects.values():
        options = [o["value"] for o in block["element"]["options"]]
        assert options == [str(n) for n in range(1, 11)]
        assert "(weight " in block["label"]["text"]
    assert "not the article's list" in section_text(view)
    assert "15 criteria" in section_text(view)


def test_the_command_sends_its_trigger_and_prefills_the_client(slack):
    slack.send.command(COMMAND, "  Acme   Corp ", response_url=slack.fake.response_url())
    [call] = slack.fake.wait_for("views.open")
    assert call.body["trigger_id"] == "1337.42.trigger"
    [name] = [b for b in call.body["view"]["blocks"] if b.get("block_id") == "client"]
    assert name["element"]["initial_value"] == "Acme Corp"


def test_valid_scores_are_stored_and_the_modal_shows_the_total_and_rank(slack, scorecard):
    view = open_modal(slack)
    scores = all_scores(scorecard, 7, revenue_potential=10)
    answer = submit(slack, view, values(view, "Acme Corp", **scores))

    assert answer["response_action"] == "update"
    expected = sum(scores[c.id] * c.weight for c in scorecard.criteria)
    text = section_text(answer["view"])
    most = 10 * sum(c.weight for c in scorecard.criteria)
    assert f"*Acme Corp*: weighted total *{expected:g}* of {most:g}" in text
    assert "ranks *1* of 1" in text
    assert "*a key account*" in text
    assert "not the article's list" in text
    assert stored(slack) == {"Acme Corp": scores}


@pytest.mark.parametrize(
    ("client", "override", "block", "message"),
    [
        ("Acme", {"revenue_potential": 11}, "score:revenue_potential", "from 1 to 10"),
        ("Acme", {"culture_fit": 0}, "score:culture_fit", "from 1 to 10"),
        ("Acme", {"culture_fit": "7; drop table"}, "score:culture_fit", "from 1 to 10"),
        ("", {}, "client", "Enter the client's name."),
        (None, {}, "client", "Enter the client's name."),
        ("x" * 200, {}, "client", "80 characters"),
    ],
)
def test_bad_submissions_get_errors_on_the_right_block_and_store_nothing(
    slack, scorecard, client, override, block, message
):
    view = open_modal(slack)
    answer = submit(slack, view, values(view, client, **all_scores(scorecard, 5, **override)))
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {block}
    assert message in answer["errors"][block]
    assert stored(slack) == {}


def test_a_forged_unknown_criterion_and_a_missing_score_are_errors(slack, scorecard):
    view = open_modal(slack)
    scores = all_scores(scorecard, 5)
    del scores["relationship"]
    state = values(view, "Acme", **scores)
    state["score:bogus"] = {"score": {"type": "static_select", "selected_option": {"value": "5"}}}
    answer = submit(slack, view, state)
    assert answer["response_action"] == "errors"
    assert "Unknown criterion 'bogus'" in answer["errors"]["score:bogus"]
    assert "score" in answer["errors"]["score:relationship"]
    assert stored(slack) == {}


@pytest.mark.parametrize("state", [None, "junk", {"client": "junk"}, {"client": {"name": 5}}])
def test_malformed_state_is_an_error_not_a_traceback(slack, state):
    view = open_modal(slack)
    payload = view_submission(view, {})
    payload["view"]["state"] = {"values": state}
    response = slack.send.action(payload)
    assert response.status_code == 200
    answer = json.loads(response.data)
    assert answer["response_action"] == "errors"
    assert "client" in answer["errors"]


def test_rescoring_a_client_updates_it_and_list_ranks_and_marks_the_key_accounts(slack, scorecard):
    view = open_modal(slack)
    for name, value in [("Low Ltd", 2), ("High Inc", 9), ("Mid plc", 5), ("low ltd", 10)]:
        assert (
            submit(slack, view, values(view, name, **all_scores(scorecard, value)))[
                "response_action"
            ]
            == "update"
        )
    assert set(stored(slack)) == {"low ltd", "High Inc", "Mid plc"}  # one row for Low Ltd

    response = slack.send.command(COMMAND, "list", response_url=slack.fake.response_url())
    answer = json.loads(response.data)
    assert answer["response_type"] == "ephemeral"
    [table] = [b for b in answer["blocks"] if b["type"] == "table"]
    TableBlock(**{k: v for k, v in table.items() if k != "type"}).validate_json()
    rows = [[cell.get("text") for cell in row[:4]] for row in table["rows"]]
    top = 10 * sum(c.weight for c in scorecard.criteria)
    assert rows == [
        ["Rank", "Client", "Weighted total", "Key account"],
        ["1", "low ltd", f"{top:g}", "★ key account"],
        ["2", "High Inc", f"{top * 0.9:g}", "★ key account"],
        ["3", "Mid plc", f"{top * 0.5:g}", "★ key account"],
    ]
    assert table["rows"][1][4]["elements"][0]["elements"][0] == {
        "type": "user",
        "user_id": "U0MANAGER",
    }
    assert answer["text"].splitlines()[1].startswith("1. *low ltd*")
    assert "not the article's list" in answer["text"]
    assert slack.fake.calls_to("response_url") == []  # the ack itself is the answer


def test_only_the_top_n_are_key_accounts(slack, scorecard):
    view = open_modal(slack)
    for value in range(1, 8):
        submit(slack, view, values(view, f"Client {value}", **all_scores(scorecard, value)))
    answer = json.loads(slack.send.command(COMMAND, "list", response_url="x").data)
    [table] = [b for b in answer["blocks"] if b["type"] == "table"]
    marked = [row[1]["text"] for row in table["rows"][1:] if row[3]["text"]]
    assert marked == [f"Client {v}" for v in range(7, 7 - scorecard.key_account_count, -1)]


def test_list_with_nobody_scored_says_how_to_start(slack):
    answer = json.loads(slack.send.command(COMMAND, "list", response_url="x").data)
    assert "No client has been scored" in answer["text"]
    assert all(b["type"] != "table" for b in answer["blocks"])


def test_workspaces_do_not_see_each_others_clients(slack, scorecard):
    view = open_modal(slack)
    submit(slack, view, values(view, "Acme", **all_scores(scorecard, 5)))
    response = slack.send.command(COMMAND, "list", response_url="x", team_id="T0OTHER")
    assert "No client has been scored" in json.loads(response.data)["text"]


def test_a_modal_that_cannot_open_is_explained(slack):
    slack.fake.fail_next("views.open", body={"ok": False, "error": "expired_trigger_id"})
    response = slack.send.command(COMMAND, "", response_url=slack.fake.response_url())
    assert response.status_code == 200
    assert "could not open (expired_trigger_id)" in json.loads(response.data)["text"]


def test_help_explains_both_forms(slack):
    response = slack.send.command(COMMAND, "help", response_url="x")
    text = json.loads(response.data)["text"]
    assert "`/keyaccount list`" in text
    assert "`/keyaccount Acme Corp`" in text


def test_a_database_failure_keeps_the_form_open_with_a_message(slack, scorecard, monkeypatch):
    view = open_modal(slack)

    def broken(*_args, **_kwargs):
        raise RuntimeError("database away")

    monkeypatch.setattr(KeyAccountStore, "save", broken)
    answer = submit(slack, view, values(view, "Acme", **all_scores(scorecard, 5)))
    assert answer == {
        "response_action": "errors",
        "errors": {"client": "The scores could not be saved just now; try Save again."},
    }


def test_a_database_failure_on_list_is_a_message(slack, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("database away")

    monkeypatch.setattr(KeyAccountStore, "scorecards", broken)
    response = slack.send.command(COMMAND, "list", response_url="x")
    assert response.status_code == 200
    assert "cannot be read just now" in json.loads(response.data)["text"]


def test_each_request_gets_one_log_line_without_user_text(slack, scorecard):
    view = open_modal(slack)
    submit(slack, view, values(view, "Secret Client", **all_scores(scorecard, 5, culture_fit=11)))
    lines = slack.log.wait(2)
    assert [(line["intent"], line["outcome"]) for line in lines] == [
        ("keyaccount_form", "answered"),
        ("keyaccount_score", "invalid"),
    ]
    assert "Secret" not in json.dumps(lines)


class Acks:
    def __init__(self):
        self.calls = []

    def __call__(self, **kwargs):
        self.calls.append(kwargs)


def test_without_a_scorecard_both_say_it_is_not_set_up():
    from slack_bolt import BoltContext

    from bot.slack.keyaccounts import NOT_SET_UP, KeyAccountListeners

    listeners = KeyAccountListeners(None)
    context = BoltContext({"team_id": TEAM_ID})
    ack = Acks()
    listeners.command(ack, {"text": "list", "user_id": "U1"}, client=None, context=context)
    listeners.submit(ack, view_submission({"blocks": []}, {}), context)
    assert ack.calls == [
        {"response_type": "ephemeral", "text": NOT_SET_UP},
        {"response_action": "errors", "errors": {"client": NOT_SET_UP}},
    ]


SCORECARD = Scorecard(load_knowledge().key_accounts)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    view=st.one_of(
        JSON,
        st.fixed_dictionaries({"state": st.fixed_dictionaries({"values": JSON})}),
        st.fixed_dictionaries(
            {
                "state": st.fixed_dictionaries(
                    {
                        "values": st.dictionaries(
                            st.sampled_from(["client", "score:culture_fit", "score:x"]), JSON
                        )
                    }
                )
            }
        ),
    )
)
def test_any_submission_is_read_and_checked_without_an_exception(view):
    client, scores, blocks = read_submission(view)
    try:
        SCORECARD.check(client, scores)
    except InvalidScores as error:
        errors = error_blocks(error.problems, blocks)
        assert errors
        assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in errors.items())
