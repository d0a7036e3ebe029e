"""``/keyaccount``'s listeners: the command opens the scoring modal (or lists the ranking), the
modal's submission is checked and stored. Thin: the scoring is ``bot.keyaccounts``'s, the
blocks ``bot.slack.keyaccount_blocks``'s.

Unlike the question commands, nothing here goes through the outbox: a modal must open within
Slack's three seconds of the trigger, and every reply is the acknowledgement itself (an
ephemeral response to the command, ``response_action`` to the submission), so nothing is owed
once Slack has it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db.key_accounts import KeyAccounts
from bot.keyaccounts import InvalidScores
from bot.slack.delivery import error_code
from bot.slack.inbound import user_of
from bot.slack.intake import log_request
from bot.slack.keyaccount_blocks import (
    CLIENT_BLOCK,
    SUBMIT_CALLBACK,
    error_blocks,
    ranking_message,
    read_submission,
    result_view,
    score_modal,
)

__all__ = ["COMMAND", "KeyAccountListeners"]

COMMAND = "/keyaccount"
USAGE = (
    "`/keyaccount` opens the form to score a client (`/keyaccount Acme Corp` fills in the "
    "name); `/keyaccount list` ranks the clients scored in this workspace."
)
NOT_SET_UP = (
    "Key-account scoring is not set up here: it needs knowledge/key_accounts.yaml "
    "(see the README's Key accounts section)."
)
UNAVAILABLE = "The key-account scores cannot be read just now; try again in a minute."
UNKNOWN_TEAM = "This request names no workspace, so there are no scores to keep or show."
logger = logging.getLogger("bot.slack.keyaccounts")


def _team(context: BoltContext) -> str | None:
    return context.team_id or context.enterprise_id


class KeyAccountListeners:
    """``/keyaccount`` and its modal, scoring with ``accounts`` (``None``: not set up)."""

    def __init__(
        self, accounts: KeyAccounts | None, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.accounts = accounts
        self.clock = clock

    def register(self, app: App) -> None:
        app.command(COMMAND)(self.command)
        app.view(SUBMIT_CALLBACK)(self.submit)

    def _log(self, body: dict[str, Any], intent: str, outcome: str, started: float) -> None:
        report = {"kind": COMMAND, "user": user_of(body) or body.get("user_id"), "intent": intent}
        log_request({**report, "received_at": started}, outcome, self.clock())

    def command(
        self, ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        started = self.clock()
        text = " ".join(str(body.get("text") or "").split())
        team = _team(context)
        if self.accounts is None or team is None:
            ack(
                response_type="ephemeral",
                text=NOT_SET_UP if self.accounts is None else UNKNOWN_TEAM,
            )
            self._log(body, "keyaccount", "not_set_up", started)
        elif text.casefold() == "list":
            self._list(ack, body, self.accounts, team, started)
        elif text.casefold() in {"help", "?"}:
            ack(response_type="ephemeral", text=USAGE)
            self._log(body, "keyaccount_help", "answered", started)
        else:
            self._open(ack, body, client, score_modal(self.accounts.scorecard, text), started)

    def _list(
        self, ack: Ack, body: dict[str, Any], accounts: KeyAccounts, team: str, started: float
    ) -> None:
        try:
            ranking = accounts.ranking(team)
        except Exception:  # the database is away: say so instead of Slack's "dispatch failed"
            logger.exception("key-account scores could not be read")
            ack(response_type="ephemeral", text=UNAVAILABLE)
            self._log(body, "keyaccount_list", "error", started)
            return
        ack(response_type="ephemeral", **ranking_message(accounts.scorecard, ranking))
        self._log(body, "keyaccount_list", "answered", started)

    def _open(
        self,
        ack: Ack,
        body: dict[str, Any],
        client: WebClient,
        view: dict[str, Any],
        started: float,
    ) -> None:
        try:
            client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=view)
        except SlackApiError as error:
            code = error_code(error)
            logger.warning("the scoring form did not open: %s", code)
            ack(
                response_type="ephemeral",
                text=f"The scoring form could not open ({code}). Try `/keyaccount` again.",
            )
            self._log(body, "keyaccount_form", "failed", started)
            return
        ack()
        self._log(body, "keyaccount_form", "answered", started)

    def submit(self, ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        """Errors go back on their blocks; saved scores turn the modal into the result."""
        started = self.clock()
        client, scores, blocks = read_submission(body.get("view"))
        team = _team(context)
        if self.accounts is None or team is None:
            ack(
                response_action="errors",
                errors={CLIENT_BLOCK: NOT_SET_UP if self.accounts is None else UNKNOWN_TEAM},
            )
            self._log(body, "keyaccount_score", "not_set_up", started)
            return
        try:
            standing = self.accounts.score(team, client, scores, user_of(body) or "unknown")
        except InvalidScores as error:
            ack(response_action="errors", errors=error_blocks(error.problems, blocks))
            self._log(body, "keyaccount_score", "invalid", started)
            return
        except Exception:  # the database is away: say so on the form, keep it open
            logger.exception("key-account scores could not be saved")
            message = "The scores could not be saved just now; try Save again."
            ack(response_action="errors", errors={CLIENT_BLOCK: message})
            self._log(body, "keyaccount_score", "error", started)
            return
        ack(response_action="update", view=result_view(self.accounts.scorecard, standing))
        self._log(body, "keyaccount_score", "answered", started)
