"""What feedback looks like to Slack, and what a click on it says: the values of an answer's
feedback buttons (its question's key and a rating), where a click was, and the form a thumbs
down opens. No Slack call and no database here: ``bot.slack.feedback`` listens, and
``bot.slack.replies`` adds the buttons to answers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.db.questions import RATINGS
from bot.slack.inbound import KEY_MAX, Workspace

__all__ = [
    "APP_HOME",
    "CHANNEL",
    "COMMAND",
    "DM",
    "FEEDBACK_ACTION",
    "MISSING_BLOCK",
    "MISSING_CALLBACK",
    "MISSING_INPUT",
    "MISSING_MAX",
    "conversation_of",
    "feedback_value",
    "missing_form",
    "read_feedback",
    "submitted",
    "team_of",
]

# Where a question was asked, or an answer clicked.
DM, CHANNEL, COMMAND, APP_HOME = "dm", "channel", "command", "app_home"
FEEDBACK_ACTION = "feedback"
MISSING_CALLBACK = "feedback_missing"
MISSING_BLOCK, MISSING_INPUT = "missing", "missing_text"
MISSING_MAX = 1000  # characters the form takes
Payload = Mapping[str, Any]


def _mapping(value: object) -> Payload:
    return value if isinstance(value, Mapping) else {}


def feedback_value(question: str, rating: str) -> str:
    """The value of a feedback button: the question's key and the rating it gives."""
    return json.dumps({"question": question, "rating": rating}, separators=(",", ":"))


def read_feedback(value: object) -> tuple[str, str] | None:
    """(question key, rating) from a feedback button's value; ``None`` for anything else."""
    try:
        data = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    question, rating = data.get("question"), data.get("rating")
    if not isinstance(question, str) or not 0 < len(question) <= KEY_MAX or rating not in RATINGS:
        return None
    return question, str(rating)


def conversation_of(body: Payload) -> str:
    """Where a click was: App Home, a slash command's (ephemeral) answer, a DM or a channel."""
    container = _mapping(body.get("container"))
    if container.get("type") == "view":
        return APP_HOME
    if container.get("is_ephemeral"):
        return COMMAND
    channel = container.get("channel_id") or _mapping(body.get("channel")).get("id")
    return DM if str(channel or "").startswith("D") else CHANNEL


def team_of(body: Payload) -> str | None:
    """The workspace a request came from, read as Bolt reads it: its team, or for an
    organisation-wide install, the enterprise."""
    workspace = Workspace.of(dict(body))
    return workspace.team_id or workspace.enterprise_id


def missing_form(feedback: int) -> dict[str, Any]:
    """The form a thumbs down opens: what was missing (optional), for feedback ``feedback``."""
    return {
        "type": "modal",
        "callback_id": MISSING_CALLBACK,
        "private_metadata": str(feedback),
        "title": {"type": "plain_text", "text": "What was missing?"},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Skip"},
        "blocks": [
            {
                "type": "input",
                "block_id": MISSING_BLOCK,
                "optional": True,
                "label": {
                    "type": "plain_text",
                    "text": "Thanks for saying so. What did you want to know that the answer "
                    "did not tell you?",
                },
                "element": {
                    "type": "plain_text_input",
                    "action_id": MISSING_INPUT,
                    "multiline": True,
                    "max_length": MISSING_MAX,
                },
            }
        ],
    }


def submitted(body: Payload) -> tuple[int, str] | None:
    """(feedback id, what was missing) from the form's submission; ``None`` if it is empty or
    not one of ours."""
    view = _mapping(body.get("view"))
    metadata = str(view.get("private_metadata") or "")
    values = _mapping(_mapping(view.get("state")).get("values"))
    text = _mapping(_mapping(values.get(MISSING_BLOCK)).get(MISSING_INPUT)).get("value")
    if not (metadata.isascii() and metadata.isdigit() and len(metadata) <= 9):
        return None
    if not isinstance(text, str):
        return None
    return (int(metadata), text.strip()[:MISSING_MAX]) if text.strip() else None
