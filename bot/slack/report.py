"""``/roleadvisor-report [7d]``: ``rolebot report`` in Slack, for the admins.

Only the user ids of ``ROLE_ADVISOR_ADMINS`` get it (installed in many workspaces, only in the
admins' own, ``ROLE_ADVISOR_ADMIN_TEAM``); anyone else gets a polite refusal. The command is
acknowledged at once; the report (of the workspace it was asked in, for the last
seven days or the period given) is built after, on Bolt's lazy-listener threads, and sent
ephemerally to the command's ``response_url``. A lost report costs nothing but asking again, so
it does not go through the outbox.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.db.questions import QuestionStore
from bot.report import build_report, parse_since, render_report
from bot.slack.inbound import Workspace
from bot.slack.intake import log_request
from bot.slack.replies import AdvisorSource

__all__ = ["COMMAND", "DEFAULT_PERIOD", "ReportListeners"]

COMMAND = "/roleadvisor-report"
DEFAULT_PERIOD = "7d"
REFUSAL = (
    "Sorry, this report is only for the people who look after Role Advisor's knowledge. "
    "If you think it should include you, ask them to add your member ID to ROLE_ADVISOR_ADMINS."
)
USAGE = (
    "`/roleadvisor-report` covers the last 7 days; give another period as a number and a "
    "unit, for example `/roleadvisor-report 24h`, `30d` or `90m`."
)
UNAVAILABLE = "The report cannot be read from the database just now; try again in a minute."
logger = logging.getLogger("bot.slack.report")


class ReportListeners:
    """``/roleadvisor-report`` for ``admins`` (in ``admin_team``, when given), from
    ``questions``, laid out by ``source``'s current advisor."""

    def __init__(
        self,
        admins: Sequence[str],
        questions: QuestionStore,
        source: AdvisorSource,
        *,
        admin_team: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.admins = frozenset(admins)
        self.admin_team = None if admin_team is None else Workspace.named(admin_team)
        self.questions = questions
        self.source = source
        self.clock = clock

    def register(self, app: App) -> None:
        app.command(COMMAND)(ack=self.accept, lazy=[self.send])

    def _admin(self, body: dict[str, Any]) -> bool:
        """From an admin, in the admins' workspace when there are many."""
        if body.get("user_id") not in self.admins:
            return False
        team = self.admin_team
        if team is None:
            return True
        asked = Workspace.of(body)
        if team.enterprise_id is not None:
            return asked.enterprise_id == team.enterprise_id
        return asked.team_id == team.team_id

    def _period(self, body: dict[str, Any]) -> float | None:
        """The period the command asks for in seconds; ``None`` for a malformed one."""
        try:
            return parse_since(str(body.get("text") or "").strip() or DEFAULT_PERIOD)
        except ValueError:
            return None

    def _log(self, body: dict[str, Any], outcome: str, started: float) -> None:
        report = {"kind": COMMAND, "user": body.get("user_id"), "intent": "report"}
        log_request({**report, "received_at": started}, outcome, self.clock())

    def accept(self, ack: Ack, body: dict[str, Any]) -> None:
        """Refuse whoever is not an admin, explain a malformed period; the rest waits."""
        if not self._admin(body):
            ack(response_type="ephemeral", text=REFUSAL)
            self._log(body, "refused", self.clock())
        elif self._period(body) is None:
            ack(response_type="ephemeral", text=USAGE)
            self._log(body, "usage", self.clock())
        else:
            ack()

    def send(self, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        """The lazy half: build the report and send it to the admin."""
        period = self._period(body)
        if not self._admin(body) or period is None:
            return
        started = self.clock()
        try:
            team = context.team_id or None
            report = build_report(self.questions, now=started, period=period, team=team)
            built = render_report(self.source.current(), report)
        except Exception:  # the database is away: say so instead of nothing
            logger.exception("the report could not be built")
            respond(text=UNAVAILABLE, response_type="ephemeral")
            self._log(body, "error", started)
            return
        respond(text=built.text, blocks=list(built.blocks), response_type="ephemeral")
        self._log(body, "answered", started)
