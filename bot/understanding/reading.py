"""What the bot understood of a question: the frozen value every later stage works from."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot.knowledge.schema import FACET_IDS

__all__ = ["INTENT_IDS", "MAX_ROLES", "Reading"]

INTENT_IDS: tuple[str, ...] = (
    "role_info",
    "compare",
    "which_role",
    "topic",
    "list_roles",
    "help",
    "thanks",
    "clarify",
    "recommend",
    "person",
    "disputes",
    "unknown",
)
# Roles a reading keeps (a comparison shows at most four of them).
MAX_ROLES = 8

_ID_MAX = 64
_PAGES_MAX = 100


@dataclass(frozen=True, slots=True)
class Reading:
    """A question read into intent, roles (in the order named), facet, topic and confidence."""

    intent: str
    roles: tuple[str, ...] = ()
    facet: str | None = None
    topic: str | None = None
    confidence: float = field(default=1.0, compare=False)
    # Best-effort extras that templates may use; not part of the public JSON contract.
    question: str = field(default="", compare=False)
    duty: str | None = field(default=None, compare=False)
    # For "who does X?": each role's own duty that matched, in the order of ``roles`` (a
    # button's reading, with one role, carries ``duty`` alone).
    duties: tuple[str, ...] = field(default=(), compare=False)
    # ... and the first role's other duties naming more of what was asked ("who handles
    # renewals and upselling?": upselling, after the AM's renewals).
    more_duties: tuple[str, ...] = field(default=(), compare=False)
    # A career step named in a question that names no role ("what does a sales director do?"),
    # or in one asking a role's career path ("senior AE, and then what?").
    step: str | None = field(default=None, compare=False)
    # A sales role no article describes, by name, asked about ("what does a sales engineer
    # do?"), or named beside asking for the roles covered ("do you cover sales engineers?").
    uncovered: str | None = field(default=None, compare=False)
    # Which page of a long answer to show (0 is the first).
    page: int = field(default=0, compare=False)
    # Something the question asks that the articles never cover (an id from gaps.yaml).
    gap: str | None = field(default=None, compare=False)
    # A clarifying question about which roles to compare ("compare the two" with none known).
    pairing: bool = field(default=False, compare=False)
    # A recommendation asked the other way round: which role to avoid (its roles are those
    # whose duties include what the asker would rather not do).
    avoid: bool = field(default=False, compare=False)
    # With ``avoid``: the question asked which role fits, telling only what the asker would
    # rather not do ("I hate cold calling, which role is for me?").
    disliked_only: bool = field(default=False, compare=False)
    # Someone an article quotes, asked about ("who is John Golden?"): their name.
    person: str | None = field(default=None, compare=False)
    # A second facet asked in a part of its own ("what do AEs earn, and do they travel
    # much?"): the answer offers it first among its next questions.
    also_asked: str | None = field(default=None, compare=False)
    # A name of a role no article uses, as the question used it ("BDR"): the answer says it
    # is read as that role.
    unused_name: str | None = field(default=None, compare=False)
    # A comparison asking whether the roles are the same ("are AE and AM the same thing?",
    # "interchangeable titles?"): the answer says first what the articles say of that.
    same: bool = field(default=False, compare=False)
    # Asked in a line ("AE vs AM in one sentence"): the roles' summary, the rest a button away.
    brief: bool = field(default=False, compare=False)
    # A declined question that names roles ("how much does Sarah make? she's an AE"): the
    # role and facet it names, so that the answer can offer the general question instead.
    declined_about: tuple[tuple[str, ...], str | None] = field(
        default=((), None), compare=False
    )
    # A declined question that looks written in another language: the answer asks for English.
    foreign: bool = field(default=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """The public contract: ``intent``, ``roles``, ``facet``, ``topic``, ``confidence``."""
        return {
            "intent": self.intent,
            "roles": list(self.roles),
            "facet": self.facet,
            "topic": self.topic,
            "confidence": round(self.confidence, 3),
        }

    def to_value(self) -> str:
        """Serialise for a Slack button ``value`` (well under its 2000-character limit)."""
        data: dict[str, Any] = {
            "intent": self.intent,
            "roles": list(self.roles),
            "facet": self.facet,
            "topic": self.topic,
            "duty": self.duty,
        }
        if self.page:
            data["page"] = self.page
        if self.gap:
            data["gap"] = self.gap
        if self.pairing:
            data["pairing"] = True
        if self.avoid:
            data["avoid"] = True
        if self.same:  # a "same thing?" comparison's screens are laid out round its notes
            data["same"] = True
        if self.person:
            data["person"] = self.person
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_value(cls, value: str) -> Reading | None:
        """Parse a button value back; ``None`` for anything malformed (values come from users)."""
        try:
            data = json.loads(value)
        except (TypeError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        intent, roles = data.get("intent"), data.get("roles", [])
        facet, topic, duty = data.get("facet"), data.get("topic"), data.get("duty")
        gap, pairing = data.get("gap"), data.get("pairing", False)
        avoid, person = data.get("avoid", False), data.get("person")
        same = data.get("same", False)
        page = data.get("page", 0)
        if not isinstance(page, int) or isinstance(page, bool) or not 0 <= page <= _PAGES_MAX:
            return None
        if intent not in INTENT_IDS or facet not in (None, *FACET_IDS):
            return None
        if not isinstance(roles, list) or len(roles) > MAX_ROLES:
            return None
        if not all(isinstance(r, str) and 0 < len(r) <= _ID_MAX for r in roles):
            return None
        if not (topic is None or (isinstance(topic, str) and len(topic) <= _ID_MAX)):
            return None
        if not (duty is None or (isinstance(duty, str) and len(duty) <= _ID_MAX * 2)):
            return None
        if not all(v is None or (isinstance(v, str) and len(v) <= _ID_MAX) for v in (gap, person)):
            return None
        if not all(isinstance(flag, bool) for flag in (pairing, avoid, same)):
            return None
        return cls(
            intent=intent,
            roles=tuple(roles),
            facet=facet,
            topic=topic,
            duty=duty,
            page=page,
            gap=gap,
            pairing=pairing,
            avoid=avoid,
            person=person,
            same=same,
        )
