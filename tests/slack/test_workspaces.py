"""Many workspaces (bot/slack/workspaces.py): installing through OAuth, each workspace answered
with its own bot token, and what uninstalling or revoking leaves behind.

The real app in OAuth mode (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, no SLACK_BOT_TOKEN) on
SQLite and on PostgreSQL; the fake Slack issues the codes and tokens and checks the token of
every call.
"""

from __future__ import annotations

import base64
import logging
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy
from fake_slack import (
    BOT_TOKEN,
    CLIENT_ID,
    CLIENT_SECRET,
    FakeClock,
    FakeWorkspace,
    mention,
    wait_until,
)
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.db.models import SLACK_OAUTH_STATES, SlackOutbox
from bot.slack.admins import AdminNotice
from bot.slack.delivery import NOT_INSTALLED
from bot.slack.inbound import Workspace
from bot.slack.settings import BOT_SCOPES

ALPHA = FakeWorkspace("T0ALPHA", "xoxb-alpha-0001-alphabottoken", bot_user_id="U0BOTALPHA")
BETA = FakeWorkspace("T0BETA", "xoxb-beta-0002-betabottoken", bot_user_id="U0BOTBETA")
NEVER = FakeWorkspace("T0NEVER", "xoxb-never-0003-neverinstalled")
LONG_AGO = datetime(2020, 1, 1)  # slack_sdk keeps naive UTC times
OAUTH = {"SLACK_BOT_TOKEN": "", "SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET}


@pytest.fixture
def many(make_slack_app, database_url):
    """The app installed in no workspace yet, on SQLite and on PostgreSQL."""
    return make_slack_app(OAUTH, database_url=database_url)


def start(slack):
    """``/slack/install``: its redirect and the state in it."""
    response = slack.http.get("/slack/install")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    return response, location, parse_qs(location.query)["state"][0]


def install(slack, workspace, code=None):
    """What a browser does: the install page, Slack's approval (the fake grants the code), and
    the redirect back to the app with the code and the state: the page, and the state."""
    code = code or f"code-{workspace.team_id}"
    slack.fake.grant(code, workspace)
    _, _, state = start(slack)
    return slack.http.get(f"/slack/oauth_redirect?code={code}&state={state}"), state


def store(slack):
    return SQLAlchemyInstallationStore(CLIENT_ID, slack.runtime.database.engine)


def answered_with(slack, count):
    return [call.token for call in slack.fake.wait_for("chat.postMessage", count)]


def test_install_redirects_to_slacks_authorize_page_with_a_state_in_the_database(many):
    response, location, state = start(many)
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        "https://slack.com/oauth/v2/authorize"
    )
    query = parse_qs(location.query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"] == [",".join(BOT_SCOPES)]
    assert f"slack-app-oauth-state={state};" in response.headers["Set-Cookie"]
    with many.runtime.database.engine.connect() as connection:
        states = connection.execute(sqlalchemy.select(SLACK_OAUTH_STATES.c.state)).scalars()
        assert list(states) == [state]
    # Nothing was asked of Slack: no token to check at start-up, nothing installed yet.
    assert many.fake.calls == []


def test_the_redirect_with_a_valid_state_stores_the_installation_once(many):
    page, state = install(many, ALPHA)
    assert page.status_code == 200
    assert "Thank you!" in page.text
    [exchange] = many.fake.calls_to("oauth.v2.access")
    credentials = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert exchange.headers["Authorization"] == f"Basic {credentials}"
    assert exchange.body["code"] == "code-T0ALPHA"
    bot = store(many).find_bot(enterprise_id=None, team_id="T0ALPHA")
    assert bot is not None
    assert (bot.bot_token, bot.bot_user_id) == (ALPHA.token, "U0BOTALPHA")
    # The same redirect again, cookie and all (a replay): its state is used up, and nothing is
    # exchanged again.
    many.http.set_cookie("slack-app-oauth-state", state)
    again = many.http.get(f"/slack/oauth_redirect?code=code-T0ALPHA&state={state}")
    assert again.status_code == 401
    assert "invalid_state" in again.text
    assert len(many.fake.calls_to("oauth.v2.access")) == 1


@pytest.mark.parametrize(
    ("case", "status", "reason"),
    [
        ("expired", 401, "invalid_state"),
        ("unknown_state", 401, "invalid_state"),
        ("no_cookie", 400, "invalid_browser"),
        ("unknown_code", 401, "invalid_code"),
        ("cancelled", 200, "access_denied"),
        ("no_code", 401, "missing_code"),
    ],
)
def test_a_bad_redirect_gets_a_page_that_says_why_and_installs_nothing(
    make_slack_app, sqlite_url, caplog, case, status, reason
):
    slack = make_slack_app(OAUTH, database_url=sqlite_url)
    _, _, state = start(slack)
    query = f"code=code-T0ALPHA&state={state}"
    slack.fake.grant("code-T0ALPHA", ALPHA)
    if case == "expired":  # ten minutes later
        with slack.runtime.database.engine.begin() as connection:
            connection.execute(SLACK_OAUTH_STATES.update().values(expire_at=LONG_AGO))
    elif case == "unknown_state":
        slack.http.set_cookie("slack-app-oauth-state", "forged")
        query = "code=code-T0ALPHA&state=forged"
    elif case == "no_cookie":
        slack.http.delete_cookie("slack-app-oauth-state")
    elif case == "unknown_code":
        query = f"code=stolen&state={state}"
    elif case == "cancelled":
        query = f"error=access_denied&state={state}"
    elif case == "no_code":
        query = f"state={state}"
    with caplog.at_level(logging.INFO, logger="bot.slack.workspaces"):
        page = slack.http.get(f"/slack/oauth_redirect?{query}")
    assert page.status_code == status
    assert page.mimetype == "text/html"
    assert reason in page.text
    assert 'href="/slack/install"' in page.text  # where to start again
    assert f"installation refused: {reason}" in caplog.text
    assert "stolen" not in caplog.text  # a code is a credential: never logged
    if case == "unknown_code":
        assert "oauth.v2.access refused the code (code not logged)" in caplog.text
    assert store(slack).find_bot(enterprise_id=None, team_id="T0ALPHA") is None


def test_each_workspace_is_answered_with_its_own_bot_token(many):
    install(many, ALPHA)
    install(many, BETA)
    many.send.event(mention("what does an AE do?"), event_id="EvA1", workspace=ALPHA)
    assert answered_with(many, 1) == [ALPHA.token]
    sdr = mention("what does an SDR do?", ts="1700000101.0001")
    many.send.event(sdr, event_id="EvB1", workspace=BETA)
    assert answered_with(many, 2) == [ALPHA.token, BETA.token]
    # Bolt checked each token once (auth.test), at the first request from its workspace.
    many.send.event(mention("and a CSM?", ts="1700000102.0001"), event_id="EvA2", workspace=ALPHA)
    assert answered_with(many, 3)[-1] == ALPHA.token
    checked = [c.token for c in many.fake.calls_to("auth.test")]
    assert checked.count(ALPHA.token) == 2  # installing, then authorizing
    assert checked.count(BETA.token) == 2


def test_a_workspace_the_app_is_not_installed_in_is_not_answered(many):
    install(many, ALPHA)
    response = many.send.event(mention("what does an AE do?"), event_id="EvN1", workspace=NEVER)
    assert response.status_code == 200  # acknowledged: Slack need not send it again
    many.send.event(mention("what does an AM do?"), event_id="EvA1", workspace=ALPHA)
    assert answered_with(many, 1) == [ALPHA.token]
    assert [line["event_id"] for line in many.log.wait(1)] == ["EvA1"]


UNINSTALLED = {"type": "app_uninstalled"}
REVOKED = {"type": "tokens_revoked", "tokens": {"bot": [ALPHA.bot_user_id], "oauth": []}}


@pytest.mark.parametrize("event", [UNINSTALLED, REVOKED], ids=["uninstalled", "revoked"])
def test_uninstalling_or_revoking_removes_the_token_and_later_replies_fail_for_good(
    make_slack_app, database_url, event
):
    clock = FakeClock()
    slack = make_slack_app(OAUTH, database_url=database_url, clock=clock)
    install(slack, ALPHA)
    install(slack, BETA)
    # A reply that Slack asks to wait for (rate limited): it is still owed at the uninstall.
    slack.fake.fail_next(
        "chat.postMessage", status=429, body={"ok": False, "error": "ratelimited"},
        headers={"Retry-After": "30"},
    )
    slack.send.event(mention("what does an AE do?"), event_id="EvA1", workspace=ALPHA)
    assert answered_with(slack, 1) == [ALPHA.token]
    assert slack.send.event(event, event_id="EvGone", workspace=ALPHA).status_code == 200
    assert store(slack).find_bot(enterprise_id=None, team_id="T0ALPHA") is None
    assert store(slack).find_bot(enterprise_id=None, team_id="T0BETA") is not None
    slack.fake.revoke(ALPHA.token)

    def rescheduled() -> bool:  # the sender has recorded the 429 (else it reads the clock late)
        with slack.runtime.database.transaction() as session:
            row = session.scalars(sqlalchemy.select(SlackOutbox)).one()
            return row.status == "pending" and row.next_attempt_at > clock()

    wait_until(rescheduled, "the rate-limited reply to be rescheduled")
    clock.advance(31)
    slack.runtime.worker.wake()
    [failed] = slack.log.wait(1)
    assert (failed["event_id"], failed["outcome"]) == ("EvA1", "failed")
    assert failed["error"] == NOT_INSTALLED
    with slack.runtime.database.transaction() as session:
        row = session.scalars(sqlalchemy.select(SlackOutbox)).one()
        assert (row.status, row.last_error, row.attempts) == ("failed", NOT_INSTALLED, 2)
    # Tried once, with the token; never again without one or after it was revoked.
    assert [c.token for c in slack.fake.calls_to("chat.postMessage")] == [ALPHA.token]
    # A new question from the workspace is not taken on; the other workspace still is.
    slack.send.event(mention("an AM?", ts="1700000103.0001"), event_id="EvA2", workspace=ALPHA)
    slack.send.event(mention("an SDR?", ts="1700000104.0001"), event_id="EvB1", workspace=BETA)
    assert answered_with(slack, 2)[-1] == BETA.token
    assert [line["event_id"] for line in slack.log.wait(2)] == ["EvA1", "EvB1"]


def test_the_key_account_form_opens_with_the_workspaces_token(many):
    install(many, BETA)
    response = many.send.command(
        "/keyaccount", "Acme", response_url=many.fake.response_url(), team_id=BETA.team_id
    )
    assert response.status_code == 200
    [opened] = many.fake.calls_to("views.open")
    assert opened.token == BETA.token


def test_the_admins_are_told_through_their_workspaces_installation(many, caplog):
    notice = AdminNotice(["U0ADMIN"], many.runtime.clients, workspace=Workspace("T0ALPHA"))
    notice(["roles/x.yaml:1: broken"])
    assert "not installed in team T0ALPHA" in caplog.text
    assert many.fake.calls_to("chat.postMessage") == []
    install(many, BETA)
    install(many, ALPHA)
    notice(["roles/x.yaml:1: broken"])
    [dm] = many.fake.calls_to("chat.postMessage")
    assert (dm.body["channel"], dm.token) == ("U0ADMIN", ALPHA.token)


def test_the_stores_use_the_tables_the_migrations_made(database):
    """slack_sdk's stores are never asked to create their tables: the migrations did, exactly
    as the stores query them."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    installations = SQLAlchemyInstallationStore(CLIENT_ID, database.engine)
    states = SQLAlchemyOAuthStateStore(600, database.engine)
    for metadata in (installations.metadata, states.metadata):
        with database.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
        # Only the app's other tables (and their indexes), which these stores do not know.
        assert {d[0] for d in differences} <= {"remove_table", "remove_index"}
        tables = {d[1].name if d[0] == "remove_table" else d[1].table.name for d in differences}
        assert tables
        assert not tables & set(metadata.tables)


def test_visiting_the_install_page_forgets_states_that_expired_unused(make_slack_app, sqlite_url):
    slack = make_slack_app(OAUTH, database_url=sqlite_url)
    start(slack)
    with slack.runtime.database.engine.begin() as connection:
        connection.execute(SLACK_OAUTH_STATES.update().values(expire_at=LONG_AGO))
    _, _, fresh = start(slack)
    with slack.runtime.database.engine.connect() as connection:
        states = connection.execute(sqlalchemy.select(SLACK_OAUTH_STATES.c.state)).scalars()
        assert list(states) == [fresh]


def test_installing_without_its_database_is_a_503_page_not_a_traceback(
    make_slack_app, sqlite_url, caplog
):
    slack = make_slack_app(OAUTH, database_url=sqlite_url)
    with slack.runtime.database.engine.begin() as connection:
        connection.execute(sqlalchemy.text("DROP TABLE slack_oauth_states"))
    response = slack.http.get("/slack/install")
    assert response.status_code == 503
    assert "Try again in a minute" in response.text
    assert "Traceback" not in response.text


def test_the_install_paths_take_only_gets_and_exist_only_with_oauth(many, make_slack_app):
    assert many.http.post("/slack/install").status_code == 405
    assert many.http.post("/slack/oauth_redirect").status_code == 405
    one = make_slack_app()  # one bot token: nothing to install
    assert one.http.get("/slack/install").status_code == 404
    assert one.http.get("/slack/oauth_redirect?code=x&state=y").status_code == 404


def test_one_bot_token_is_unchanged_and_an_uninstall_is_only_logged(slack, caplog):
    # Bolt checked the token at start-up, and it answers every request.
    assert [c.token for c in slack.fake.calls_to("auth.test")] == [BOT_TOKEN]
    with caplog.at_level(logging.WARNING, logger="bot.slack.workspaces"):
        response = slack.send.event(UNINSTALLED, event_id="EvGone")
    assert response.status_code == 200
    assert "SLACK_BOT_TOKEN no longer works" in caplog.text
    slack.send.event(mention("what does an AE do?"), event_id="EvA1")
    assert answered_with(slack, 1) == [BOT_TOKEN]


def test_a_reply_whose_token_cannot_be_read_just_now_is_tried_again_not_failed():
    from bot.slack.delivery import Sender
    from bot.slack.ledger import Claimed

    class Unreadable:
        def client_for(self, workspace):
            raise sqlalchemy.exc.OperationalError("select", {}, OSError("database away"))

    claimed = Claimed(
        id=1,
        event_key="event:Ev1",
        method="chat.postMessage",
        request={"channel": "C0SALES", "text": "hi"},
        fallback=None,
        followup=None,
        report={"workspace": Workspace("T0ALPHA").as_value()},
        attempts=1,
        ambiguous=False,
        created_at=0.0,
    )
    result = Sender(Unreadable()).send(claimed)
    assert (result.sent, result.permanent) == (False, False)
    assert result.error == "installation_unavailable"
