"""A conversation: follow-ups read with what came before. Knows nothing of Slack.

Each surface keeps one ``Conversation`` per person and place (a DM, a channel thread, a
terminal chat) and hands it to ``converse`` with the next message; it gets the answer and the
conversation to keep. Besides what the reader does with the previous reading ("what about
AMs?", "and their salary?"), a conversation knows:

- "more": the next part of the last answer;
- "the first one", "the latter", "2": that choice of a clarifying question's buttons;
- "compare them": the last two roles talked about;
- "it" / "that one" after an answer that pointed to a role ("what's my next step?" ->
  "what will I need to learn for it?") or a topic ("what's BANT?" -> "who uses it?");
- a question it declines takes no context and leaves the conversation as it was.

``Conversations`` keeps them in memory, per key, for an idle time (30 minutes by default).
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from bot.answer import Advisor, Answer
from bot.understanding import Reading
from bot.understanding.normalize import SPOKEN_OF, clean, tokenize

__all__ = ["DEFAULT_IDLE", "Conversation", "Conversations", "Turn", "converse", "follow"]

DEFAULT_IDLE = 30 * 60.0
_KEPT_TURNS = 8
# Readings that are not a conversation's context: declines, help and thanks.
_NO_CONTEXT = frozenset({"unknown", "help", "thanks"})
_MORE = re.compile(
    r"^(?:(?:can|could) you |pls |please )?(?:(?:show|tell|give)(?: me)? )?(?:some )?"
    r"(?:more|next|continue|go on|elaborate|expand)\b"
)
_THEM = re.compile(
    r"\b(?:compare (?:them|the two|both|those|these)|how do (?:they|the two) compare|"
    r"(?:them|the two|both) compared|diff\w* (?:betw\w*|btw\w*|b/w) (?:them|the two))\b"
)
# "which travels more?", "who earns less": which of two roles, on a facet
_WHICH_MORE = re.compile(
    r"^(?:so |and )?(?:which|who)\b.*\b(?:more|less|better|worse|most|least)\b"
)
_POINTER = re.compile(r"\b(?:it|that|this|that one|this one|that role|this role|there)\b")
_WHO = re.compile(r"^(?:so )?(?:who|which (?:role|job|one))\b")
# "and how do i move up to AE?" -> "how long does that take?": the move, not where it leads
_HOW_LONG = re.compile(r"^(?:and |so |ok )?how (?:long|soon|quickly|fast)\b")
_ONE = re.compile(r"\b(?:a|an|the) (\w+) one\b")
_DIFFERENT = re.compile(r"\b(?:different|differ|difference|compare|compared|versus|vs)\b")
_ORDINALS = {"first": 0, "1st": 0, "1": 0, "former": 0, "second": 1, "2nd": 1, "2": 1}
_ORDINALS |= {"third": 2, "3rd": 2, "3": 2, "fourth": 3, "4th": 3, "4": 3, "latter": -1, "last": -1}
_CHOICE = re.compile(
    rf"^(?:(?:i mean|i meant|i'd say) )?(?:the |number |option |no )?({'|'.join(_ORDINALS)})"
    r"(?: one| option| please)*$"
)


@dataclass(frozen=True, slots=True)
class Turn:
    """One answered message: its reading as resolved, the roles the answer pointed to (where
    a career path leads, who uses a topic), and what "more" would show next."""

    reading: Reading
    pointed: tuple[str, ...] = ()
    more: Reading | None = None
    # A clarifying question's choices, in the order its buttons show them.
    choices: tuple[Reading, ...] = ()
    # What the surface calls the message this turn answered (in Slack, its request's key).
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Conversation:
    """The last few answered turns, oldest first."""

    turns: tuple[Turn, ...] = ()

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def roles(self) -> tuple[str, ...]:
        """Roles talked about, most recent first, each once (of "AE vs AM", the AM first)."""
        recent = (r for turn in reversed(self.turns) for r in reversed(turn.reading.roles))
        return tuple(dict.fromkeys(recent))

    def add(self, turn: Turn) -> Conversation:
        return Conversation((*self.turns, turn)[-_KEPT_TURNS:])


def converse(
    advisor: Advisor, text: str, conversation: Conversation
) -> tuple[Answer, Conversation]:
    """Answer ``text`` as the next message of ``conversation``."""
    said = clean(text or "").casefold().strip(" ?!.")
    last = conversation.last
    roles = conversation.roles()
    if _THEM.search(said) and len(roles) < 2:
        # "compare the two" with fewer than two roles known: which ones?
        facet = last.reading.facet if last is not None else None
        which = Reading("clarify", roles=roles[:1], facet=facet, pairing=True)
        return advisor.answer(which), conversation
    if last is None:
        return _answered(advisor, advisor.ask(text), conversation)
    if _MORE.match(said) and len(said.split()) <= 4:
        if last.more is None:
            return advisor.nothing_more(last.reading), conversation
        return _answered(advisor, advisor.answer(last.more), conversation)
    choice = _CHOICE.match(said)
    if choice and last.choices:
        index = _ORDINALS[choice.group(1)]
        if index < len(last.choices):
            return _answered(advisor, advisor.answer(last.choices[index]), conversation)
    if _THEM.search(said):
        both = Reading("compare", roles=roles[1::-1], facet=last.reading.facet)
        return _answered(advisor, advisor.answer(both), conversation)
    terms = advisor.reader.terms(text) if _WHICH_MORE.match(said) and len(roles) >= 2 else None
    if terms is not None and not terms.roles and terms.facet:
        # "and RAMs?" -> "which travels more?": the last two roles talked about, on its facet
        both = Reading("compare", roles=roles[1::-1], facet=terms.facet)
        return _answered(advisor, advisor.answer(both), conversation)
    topical = last.reading.intent == "topic" and bool(last.pointed)
    if topical and _WHO.match(said) and _POINTER.search(said):
        # "what's BANT?" -> "who uses it?": the roles the topic is for
        users = Reading("which_role", roles=last.pointed, duty=_duty_for(advisor, last))
        return _answered(advisor, advisor.answer(users), conversation)
    ellipsis = _ONE.search(said)
    if ellipsis and last.reading.roles and _DIFFERENT.search(said):
        # "how is that different from a regional one?": the last role's kind, another of it
        name = advisor.knowledge.roles[last.reading.roles[0]].name.split()
        text = said.replace(ellipsis.group(0), f"{ellipsis.group(1)} {' '.join(name[1:])}")
        return _answered(advisor, advisor.ask(text, context=last.reading), conversation)
    pointer = bool(_POINTER.search(said) and last.pointed)
    pointer = pointer and not (_WHO.match(said) or _HOW_LONG.match(said))
    if pointer and last.pointed[0] not in (terms or advisor.reader.terms(text)).roles:
        # "what's my next step?" -> "what will I need to learn for it?": the role it pointed to
        # (not "how does that compare with CSMs?" after the AM's career path, which leads to
        # the CSM: the AM's)
        context = Reading("role_info", roles=last.pointed[:1])
    elif {t.text for t in tokenize(said)} & SPOKEN_OF and last.reading.person is None:
        # "who is Amanda Sides?", "how long was she a junior AM?", "what advice did she give?":
        # "she" is still the one asked about before
        quoted = (t.reading for t in reversed(conversation.turns) if t.reading.person)
        context = next(quoted, last.reading)
    else:
        context = last.reading
    return _answered(advisor, advisor.ask(text, context=context), conversation)


def _duty_for(advisor: Advisor, turn: Turn) -> str | None:
    """A duty of the first role a topic points to that names the topic ("bant")."""
    topic = advisor.knowledge.topics.get(turn.reading.topic or "")
    if topic is None:
        return None
    names = {n.casefold() for n in (topic.name, *topic.aliases)}
    duties = advisor.knowledge.roles[turn.pointed[0]].duties
    return next((d.text for d in duties if any(n in d.text.casefold() for n in names)), None)


def follow(advisor: Advisor, answer: Answer, conversation: Conversation) -> Conversation:
    """The conversation once ``answer`` was given in it (a decline or help adds no turn)."""
    reading = answer.reading
    if reading.intent in _NO_CONTEXT:
        return conversation
    more = next((r for r in _button_readings(answer, "") if r.page), None)
    choices = _button_readings(answer, "choose_")
    return conversation.add(Turn(reading, _pointed(advisor, reading), more, choices))


def _answered(
    advisor: Advisor, answer: Answer, conversation: Conversation
) -> tuple[Answer, Conversation]:
    return answer, follow(advisor, answer, conversation)


def _pointed(advisor: Advisor, reading: Reading) -> tuple[str, ...]:
    """The roles an answer points to: where a career path leads, who a topic is for, who does
    what was asked."""
    knowledge = advisor.knowledge
    if reading.intent == "role_info" and reading.facet == "career_path" and reading.roles:
        ahead = (m.to for m in knowledge.moves_from(reading.roles[0]))
        return tuple(r for r in ahead if r in knowledge.roles)
    topic = knowledge.topics.get(reading.topic or "")
    if reading.intent == "topic" and topic is not None:
        return tuple(topic.related_roles)
    if reading.intent == "which_role":
        return reading.roles
    return ()


def _button_readings(answer: Answer, prefix: str) -> tuple[Reading, ...]:
    """The readings of the answer's buttons whose action id starts with ``prefix``."""
    readings = (
        Reading.from_value(element.get("value", ""))
        for block in answer.blocks
        if block["type"] == "actions"
        for element in block.get("elements", ())
        if str(element.get("action_id", "")).startswith(prefix)
    )
    return tuple(r for r in readings if r is not None)


class Conversations:
    """Each key's conversation (a person in a DM, a thread or a terminal), kept in memory
    until it has been idle for ``idle`` seconds. Thread-safe and bounded."""

    def __init__(
        self,
        *,
        idle: float = DEFAULT_IDLE,
        max_items: int = 20_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.idle = idle
        self.max_items = max_items
        self._clock = clock
        self._items: OrderedDict[Hashable, tuple[float, Conversation]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Conversation:
        """The conversation under ``key``; a new one when there is none or it went idle."""
        now = self._clock()
        with self._lock:
            found = self._items.get(key)
            if found is None or now - found[0] > self.idle:
                self._items.pop(key, None)
                return Conversation()
            return found[1]

    def put(self, key: Hashable, conversation: Conversation) -> None:
        now = self._clock()
        with self._lock:
            self._items[key] = (now, conversation)
            self._items.move_to_end(key)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)

    def ask(self, advisor: Advisor, key: Hashable, text: str) -> Answer:
        """Answer ``text`` in the conversation under ``key``, and keep what it leaves."""
        answer, conversation = converse(advisor, text, self.get(key))
        self.put(key, conversation)
        return answer
