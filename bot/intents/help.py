"""What the bot does and how to ask: the roles and topics it knows, with example questions."""

from __future__ import annotations

from bot.intents import list_roles
from bot.intents.base import Intent

__all__ = ["INTENT"]

# The same view as the list of roles, worded as an introduction.
INTENT = Intent("help", "help", list_roles.answer)
