"""Text in, answer out: the one entry point every surface (CLI, Slack) calls.

``Advisor`` loads the knowledge and templates once; each call reads a question, looks up what
it needs and renders a Block Kit answer with a plain-text fallback. Nothing here knows Slack's
transport: the Slack listeners and the CLI both just call these methods.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.intents import (
    INTENTS,
    MAX_COMPARED,
    Context,
    Suggestion,
    common,
    sanitize,
    template_data,
)
from bot.knowledge import DEFAULT_KNOWLEDGE_DIR, Knowledge, load_knowledge
from bot.paths import RESPONSES_DIR
from bot.render import Citation, Renderer
from bot.understanding import Reader, Reading

__all__ = ["Advisor", "Answer", "suggested_questions"]


@dataclass(frozen=True, slots=True)
class Answer:
    """A rendered answer: Block Kit ``blocks``, a mrkdwn ``text`` fallback, its reading, and
    the article lines it cites."""

    reading: Reading
    text: str
    blocks: tuple[dict[str, Any], ...]
    citations: tuple[Citation, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            **self.reading.as_dict(),
            "text": self.text,
            "blocks": list(self.blocks),
            "citations": [c.as_dict() for c in self.citations],
        }


DEFAULT_RESPONSES_DIR = RESPONSES_DIR
COMMANDS = ("compare", "role", "roles")
# Where the example questions the fallback may offer are shown (the rest are slash commands).
_ASKED = ("help", "home")
_ARGS_MAX = 300


class Advisor:
    """The knowledge, the reader and the templates, loaded once and shared by every surface."""

    def __init__(self, knowledge: Knowledge, renderer: Renderer) -> None:
        self.knowledge = knowledge
        self.reader = Reader(knowledge)
        self.renderer = renderer
        self.examples = renderer.examples
        asked = [q for place, qs in self.examples.items() if place in _ASKED for q in qs]
        self.context = Context.of(
            knowledge, tuple(Suggestion(self.read(q), q) for q in dict.fromkeys(asked))
        )
        self._common = {**common(knowledge), "examples": self.examples}

    @classmethod
    def load(
        cls,
        knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR,
        responses_dir: Path = DEFAULT_RESPONSES_DIR,
    ) -> Advisor:
        """Load and validate the knowledge; raises ``KnowledgeError`` listing every problem."""
        knowledge = load_knowledge(knowledge_dir)
        return cls(knowledge, Renderer(responses_dir, knowledge.sources))

    def current(self) -> Advisor:
        """The advisor to answer with: itself (``bot.live.LiveAdvisor`` gives the newest)."""
        return self

    def read(self, text: str, *, context: Reading | None = None) -> Reading:
        return self.reader.read(text, context=context)

    def ask(self, text: str, *, context: Reading | None = None) -> Answer:
        """Answer one question; ``context`` is the previous reading in the conversation."""
        return self.answer(self.read(text, context=context))

    def answer(self, reading: Reading) -> Answer:
        """Answer a reading directly (buttons carry readings)."""
        reading = sanitize(reading, self.knowledge)
        intent = INTENTS[reading.intent]
        view = intent.answer(reading, self.context)
        return self._render(intent.template, reading, **template_data(view))

    def _render(self, template: str, reading: Reading, **data: Any) -> Answer:
        built = self.renderer.render(template, reading=reading, **self._common, **data)
        return Answer(reading, built.text, built.blocks, built.citations)

    def command(self, name: str, args: str) -> Answer:
        """A slash command: ``compare`` (2-4 roles) or ``role`` (one), each [facet]; ``roles``."""
        if name == "roles":
            return self.answer(Reading("list_roles"))
        args = " ".join(args.split())[:_ARGS_MAX]
        terms = self.reader.terms(args)
        problem = None
        if name not in COMMANDS:
            problem = "unknown_command"
        elif terms.unknown:
            problem = "unknown_words"
        elif terms.ambiguous and len(terms.roles) == (name == "compare"):
            # "/role account rep", "/compare SDR account rep": which role was meant
            roles, pairing = (*terms.roles, *terms.ambiguous), name == "compare"
            return self.answer(Reading("clarify", roles=roles, facet=terms.facet, pairing=pairing))
        elif name == "compare" and not 2 <= len(terms.roles) <= MAX_COMPARED:
            problem = "compare_count"
        elif name == "role" and len(terms.roles) != 1:
            problem = "role_count"
        if problem is None:
            intent = "compare" if name == "compare" else "role_info"
            return self.answer(Reading(intent, roles=terms.roles, facet=terms.facet))
        return self._render(
            "usage",
            Reading("help"),
            command=name,
            args=args,
            problem=problem,
            terms=terms,
            max_compared=MAX_COMPARED,
        )

    def nothing_more(self, reading: Reading) -> Answer:
        """The reply to "more" when the last answer was all there is."""
        last = sanitize(reading, self.knowledge)
        view = INTENTS[last.intent].answer(last, self.context)
        return self._render("nothing_more", last, suggestions=view.suggestions)

    def home_blocks(self) -> tuple[dict[str, Any], ...]:
        """The App Home page for new hires."""
        view = INTENTS["list_roles"].answer(Reading("list_roles"), self.context)
        return self.renderer.render("home", **self._common, **template_data(view)).blocks

    def welcome(self) -> Answer:
        """The welcome DM for new members."""
        view = INTENTS["help"].answer(Reading("help"), self.context)
        return self._render("welcome", Reading("help"), **template_data(view))


def _every_reading(knowledge: Knowledge) -> list[Reading]:
    """A reading of every kind the knowledge allows: each role and facet, each pair of roles
    and facet, each topic, who-does for each duty, the lists, help, clarify and decline."""
    facets: list[str | None] = [None, *knowledge.facets]
    roles = list(knowledge.roles)
    readings = [Reading("role_info", roles=(r,), facet=f) for r in roles for f in facets]
    readings += [
        Reading("compare", roles=(a, b), facet=f)
        for i, a in enumerate(roles)
        for b in roles[i + 1 :]
        for f in facets
    ]
    readings += [Reading("topic", topic=t) for t in knowledge.topics]
    readings += [
        Reading("which_role", roles=(r.id,), duty=d.text) for r in knowledge.roles.values()
        for d in r.duties[:1]
    ]
    readings += [Reading("which_role"), Reading("list_roles"), Reading("help")]
    readings += [Reading("clarify", facet=f) for f in facets]
    return [*readings, Reading("unknown", question="how do I reset my password?")]


def suggested_questions(advisor: Advisor) -> dict[str, Reading | None]:
    """Every question the bot suggests anywhere: the examples of help, App Home, slash-command
    usage and the fallback, and the label of every next-step button an answer can carry (the
    "More" of a long comparison and the role choices of a clarifying question are not
    questions), each with the reading its button carries (None for the examples)."""
    questions: dict[str, Reading | None] = {q: None for qs in advisor.examples.values() for q in qs}
    pages = [advisor.answer(r).blocks for r in _every_reading(advisor.knowledge)]
    for blocks in [*pages, advisor.home_blocks()]:
        for block in blocks:
            for element in block.get("elements", ()) if block["type"] == "actions" else ():
                reading = Reading.from_value(element.get("value", ""))
                suggested = element["action_id"].startswith("suggest_")
                if suggested and reading is not None and not reading.page:
                    questions.setdefault(element["text"]["text"], reading)
    return questions
