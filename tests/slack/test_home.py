"""App Home (bot/slack/listeners/home.py): the onboarding page, published when the tab opens."""

from __future__ import annotations

from fake_slack import buttons

from bot.understanding.reading import Reading


def _home_opened(tab="home"):
    return {
        "type": "app_home_opened",
        "user": "U0NEWHIRE",
        "channel": "D0NEWHIRE",
        "tab": tab,
        "event_ts": "1700000700.000100",
    }


def test_opening_the_home_tab_publishes_the_onboarding_page(slack):
    response = slack.send.event(_home_opened(), event_id="Ev400")
    assert response.status_code == 200
    [call] = slack.fake.wait_for("views.publish")
    assert call.body["user_id"] == "U0NEWHIRE"
    assert call.body["view"]["type"] == "home"
    blocks = call.body["view"]["blocks"]
    assert blocks == list(slack.advisor.home_blocks())
    page = str(blocks)
    assert "AE" in page
    assert "SDR" in page
    example_buttons = buttons(blocks)
    assert example_buttons  # example questions that ask themselves
    assert all(Reading.from_value(b["value"]) is not None for b in example_buttons)
    [line] = slack.log.wait(1)
    assert (line["kind"], line["outcome"]) == ("app_home_opened", "published")


def test_opening_the_messages_tab_publishes_nothing(slack):
    slack.send.event(_home_opened(tab="messages"), event_id="Ev401")
    [line] = slack.log.wait(1)
    assert line["outcome"] == "ignored"
    assert slack.fake.calls_to("views.publish") == []


def test_a_refused_home_view_is_logged_and_the_app_keeps_serving(slack):
    slack.fake.fail_next("views.publish", body={"ok": False, "error": "invalid_blocks"})
    slack.send.event(_home_opened(), event_id="Ev402")
    [line] = slack.log.wait(1)
    assert line["outcome"] == "failed"
    slack.send.event(_home_opened(), event_id="Ev403")
    assert [c.status for c in slack.fake.wait_for("views.publish", 2)] == [200, 200]
    assert slack.log.wait(2)[1]["outcome"] == "published"
