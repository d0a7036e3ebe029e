"""Telling the admins: a DM to each user id in ``ROLE_ADVISOR_ADMINS`` when an edit to the
knowledge is refused (``bot.live.LiveAdvisor``'s ``on_refused``).

The DM goes out with the bot token of the admins' workspace: the one token of a single
workspace, or, installed in many, that of ``ROLE_ADVISOR_ADMIN_TEAM``'s installation, looked up
for each notice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from slack_sdk.errors import SlackApiError

from bot.render import escape_mrkdwn
from bot.slack.delivery import Clients
from bot.slack.inbound import Workspace

__all__ = ["AdminNotice"]

_log = logging.getLogger(__name__)
_SHOWN = 20  # problems listed in one DM; the log has them all


class AdminNotice:
    """Sends the problems of a refused knowledge edit to the admins, once per edit."""

    def __init__(
        self,
        admins: Sequence[str],
        clients: Clients | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        self.admins = tuple(admins)
        # Set once the app (and its clients) exists: the advisor is loaded before the app.
        self.clients = clients
        self.workspace = workspace or Workspace()

    def __call__(self, problems: Sequence[str]) -> None:
        if self.clients is None or not self.admins:
            return
        try:
            client = self.clients.client_for(self.workspace)
        except Exception:  # the installations cannot be read: the log has the problems
            _log.exception("could not tell the admins of the refused edit")
            return
        if client is None:
            _log.warning(
                "could not tell the admins of the refused edit: not installed in team %s",
                self.workspace.team_id or self.workspace.enterprise_id,
            )
            return
        lines = [escape_mrkdwn(p) for p in problems[:_SHOWN]]
        if len(problems) > _SHOWN:
            lines.append(f"… and {len(problems) - _SHOWN} more (see the log)")
        text = (
            "An edit to the knowledge was refused, so I keep answering with the last good "
            "version. Run `rolebot validate` to see the problems:\n" + "\n".join(lines)
        )
        for admin in self.admins:
            try:
                client.chat_postMessage(channel=admin, text=text)
            except (SlackApiError, OSError) as error:
                _log.warning("could not tell admin %s of the refused edit: %s", admin, error)
