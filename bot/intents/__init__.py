"""One module per intent: how it answers a reading, and which template renders its view.

``INTENTS`` is the one table from intent name to handler. Adding an intent means adding a
module here (a frozen view dataclass, an ``answer(reading, ctx)`` function and its
``INTENT``), a line in the table, and ``responses/<template>.j2``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from bot.intents import (
    clarify,
    compare,
    disputes,
    list_roles,
    person,
    recommend,
    role_info,
    thanks,
    topic,
    unknown,
    which_role,
)
from bot.intents import help as help_intent
from bot.intents.base import (
    MAX_COMPARED,
    Context,
    Intent,
    Suggestion,
    View,
    common,
    sanitize,
    template_data,
)

__all__ = [
    "INTENTS",
    "MAX_COMPARED",
    "Context",
    "Intent",
    "Suggestion",
    "View",
    "common",
    "sanitize",
    "template_data",
]

INTENTS: Mapping[str, Intent] = MappingProxyType(
    {
        intent.name: intent
        for intent in (
            role_info.INTENT,
            compare.INTENT,
            which_role.INTENT,
            topic.INTENT,
            list_roles.INTENT,
            help_intent.INTENT,
            thanks.INTENT,
            clarify.INTENT,
            recommend.INTENT,
            person.INTENT,
            disputes.INTENT,
            unknown.INTENT,
        )
    }
)
