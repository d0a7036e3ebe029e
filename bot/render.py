"""One sandboxed Jinja environment turns data into Slack Block Kit answers.

Templates in ``responses/`` hold all the wording. They build blocks through a small builder
passed in as ``slack`` (``{% do slack.section(body) %}``); the builder knows Slack's limits and
splits or trims content so Slack never rejects an answer. Text is escaped once, where the
builder turns it into mrkdwn (``&``, ``<``, ``>`` only), so echoed user text can never ping or
mention; plain_text (headers, buttons, table cells) is never escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml
from jinja2 import FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bot.knowledge.schema import Source, SourceRef


class Cited(Protocol):
    """Anything that cites article lines: a fact, a career move."""

    @property
    def source(self) -> tuple[SourceRef, ...]: ...

__all__ = [
    "LIMITS",
    "BlockBuilder",
    "Built",
    "Citation",
    "ExamplesError",
    "Renderer",
    "escape_mrkdwn",
    "unescape_mrkdwn",
]

# Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks).
LIMITS = {
    "blocks": 50,
    "section_text": 3000,
    "fields": 10,
    "field_text": 2000,
    "header_text": 150,
    "button_text": 75,
    "button_value": 2000,
    "accessibility_label": 75,
    "actions_elements": 25,
    "context_text": 3000,
    "table_rows": 100,
    "table_columns": 20,
    "table_cell": 1000,
    "message_text": 40000,
}
_ELLIPSIS = "…"
# (type, attribute) verdicts the sandbox keeps; templates read a few dozen.
_VERDICTS_MAX = 4096


def escape_mrkdwn(value: object) -> str:
    """Escape the three characters Slack treats as control characters in mrkdwn."""
    if value is None:
        return ""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape_mrkdwn(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _raw(text: str) -> dict[str, str]:
    return {"type": "raw_text", "text": text}


def _text(value: object) -> str:
    """How a ``{{ }}`` value is written: None as nothing. Escaping is the builder's job."""
    return "" if value is None else str(value)


def _clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + _ELLIPSIS


def _chunks(text: str, limit: int) -> list[str]:
    """Split text into pieces of at most ``limit`` characters, at line breaks where possible."""
    pieces: list[str] = []
    current = ""
    for whole in text.strip().split("\n"):
        line = whole
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        pieces.append(current)
    return [p for p in pieces if p.strip()]


@dataclass(frozen=True, slots=True)
class Citation:
    """One article an answer cites: its marker number, the source, and the lines used."""

    marker: int
    source: Source
    lines: tuple[int, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "marker": self.marker,
            "source": self.source.id,
            "title": self.source.title,
            "lines": list(self.lines),
        }


class BlockBuilder:
    """Collects Block Kit blocks and the matching mrkdwn fallback, within Slack's limits.

    Methods return an empty string so they can be called from templates with ``{% do %}``.
    Text arrives as the templates wrote it (mrkdwn formatting, raw ``&``, ``<``, ``>``) and is
    escaped here, once, where it becomes mrkdwn; plain_text and table cells are not escaped.
    ``mark(fact)`` numbers the articles an answer cites, in order of first use.
    """

    def __init__(self, sources: Mapping[str, Source] | None = None) -> None:
        self._blocks: list[dict[str, Any]] = []
        self._text: list[str] = []
        self._buttons: list[dict[str, Any]] = []
        self._sources = sources or {}
        self._cited: dict[str, set[int]] = {}
        self._has_table = False

    def header(self, text: str) -> str:
        plain = _clip(" ".join(text.split()), LIMITS["header_text"])
        if plain:
            self._blocks.append(
                {"type": "header", "text": {"type": "plain_text", "text": plain, "emoji": True}}
            )
            self._text.append(f"*{escape_mrkdwn(plain)}*")
        return ""

    def section(self, text: str) -> str:
        for piece in _chunks(escape_mrkdwn(text), LIMITS["section_text"]):
            self._blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": piece}})
            self._text.append(piece)
        return ""

    def table(self, head: list[str], rows: list[list[str]]) -> str:
        """A table block (a row per aspect, a column per role); mrkdwn lines as its fallback.

        Slack allows one table per message: a second one is laid out as sections instead.
        """
        width = min(len(head), LIMITS["table_columns"])
        cells = [[" ".join(c.split()) for c in row[:width]] for row in [head, *rows]]
        cells = cells[: LIMITS["table_rows"]]
        lines = []
        for row in cells[1:]:
            lines.append(f"*{row[0]}*")
            lines += [f"• {name}: {cell}" for name, cell in zip(head[1:], row[1:], strict=False)]
        fallback = escape_mrkdwn("\n".join(lines))
        if self._has_table:
            self.section("\n".join(lines))
            return ""
        self._has_table = True
        self._blocks.append(
            {
                "type": "table",
                "column_settings": [{"is_wrapped": True} for _ in range(width)],
                "rows": [
                    [_raw(_clip(c, LIMITS["table_cell"]) or "-") for c in row] for row in cells
                ],
            }
        )
        self._text.append(fallback)
        return ""

    def context(self, text: str) -> str:
        piece = _clip(escape_mrkdwn(text), LIMITS["context_text"])
        if piece:
            self._blocks.append(
                {"type": "context", "elements": [{"type": "mrkdwn", "text": piece}]}
            )
            self._text.append(piece)
        return ""

    def divider(self) -> str:
        self._blocks.append({"type": "divider"})
        return ""

    def button(self, label: str, value: str, action_id: str | None = None) -> str:
        """Queue a button; consecutive buttons are laid out in one actions block."""
        if len(value) > LIMITS["button_value"] or len(self._buttons) >= LIMITS["actions_elements"]:
            return ""
        self._buttons.append(
            {
                "type": "button",
                "text": {"type": "plain_text", "text": _clip(label, LIMITS["button_text"]) or "…"},
                "value": value,
                "action_id": action_id or f"suggest_{len(self._buttons)}",
            }
        )
        return ""

    def actions(self, lead: str = "") -> str:
        """Close the queued buttons into one actions block.

        The fallback text gets a line ``<lead>: label · label`` when ``lead`` is given.
        """
        if self._buttons:
            self._blocks.append({"type": "actions", "elements": self._buttons})
            if lead.strip():
                labels = " · ".join(b["text"]["text"] for b in self._buttons)
                self._text.append(escape_mrkdwn(f"{lead.strip()}: {labels}"))
            self._buttons = []
        return ""

    def feedback(
        self, up: str, down: str, *, up_text: str, down_text: str, up_label: str, down_label: str
    ) -> str:
        """Slack's thumbs up and down: a ``context_actions`` block with one ``feedback_buttons``
        element (``action_id`` ``feedback``); ``up`` and ``down`` are the values each sends."""
        if max(len(up), len(down)) > LIMITS["button_value"]:
            return ""

        def button(text: str, value: str, label: str) -> dict[str, Any]:
            return {
                "text": {"type": "plain_text", "text": _clip(text, LIMITS["button_text"]) or "…"},
                "value": value,
                "accessibility_label": _clip(label, LIMITS["accessibility_label"]) or "…",
            }

        element = {
            "type": "feedback_buttons",
            "action_id": "feedback",
            "positive_button": button(up_text, up, up_label),
            "negative_button": button(down_text, down, down_label),
        }
        self._blocks.append({"type": "context_actions", "elements": [element]})
        return ""

    def mark(self, cited: Cited) -> str:
        """The citation markers for a fact or career move ("[1]", "[1][2]"), recording its
        lines."""
        markers = []
        for ref in cited.source:
            if ref.id not in self._sources:
                continue
            lines = self._cited.setdefault(ref.id, set())
            lines.update(ref.lines)
            markers.append(f"[{list(self._cited).index(ref.id) + 1}]")
        return "".join(markers)

    def citations(self) -> list[Citation]:
        """The articles cited so far, numbered as their markers are."""
        return [
            Citation(n, self._sources[sid], tuple(sorted(lines)))
            for n, (sid, lines) in enumerate(self._cited.items(), start=1)
        ]

    def build(self) -> Built:
        self.actions()
        blocks = self._blocks
        if len(blocks) > LIMITS["blocks"]:
            note = {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": "_Answer shortened to fit Slack._"}],
            }
            blocks = [*blocks[: LIMITS["blocks"] - 1], note]
        text = _clip("\n\n".join(self._text), LIMITS["message_text"])
        return Built(tuple(blocks), text, tuple(self.citations()))


@dataclass(frozen=True, slots=True)
class Built:
    """What one template made: Block Kit blocks, the mrkdwn fallback, and the citations."""

    blocks: tuple[dict[str, Any], ...]
    text: str
    citations: tuple[Citation, ...]


def format_lines(lines: Sequence[int]) -> str:
    """Line numbers as people write them: ``3, 5-7`` (with an en dash)."""
    spans: list[list[int]] = []
    for line in sorted(set(lines)):
        if spans and line == spans[-1][-1] + 1:
            spans[-1].append(line)
        else:
            spans.append([line])
    return ", ".join(f"{s[0]}\u2013{s[-1]}" if len(s) > 1 else str(s[0]) for s in spans)


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, remembering its verdict on each attribute a template reads.

    Jinja's rule looks only at the object's type and the attribute's name, and runs on every
    ``{{ x.y }}``; the first verdict for a (type, name) is kept, so the rule stays the same.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = super().is_safe_attribute(obj, attr, value)
            if len(self._verdicts) < _VERDICTS_MAX:
                self._verdicts[key] = verdict
        return verdict


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """jinja2's cache of compiled templates in its per-user temporary folder, where there can
    be one (a folder it cannot make or trust leaves templates compiled in memory only)."""
    try:
        return FileSystemBytecodeCache()
    except RuntimeError:
        return None


class ExamplesError(ValueError):
    """``responses/examples.yaml`` is not a mapping of places to lists of questions."""


def load_examples(path: Path) -> dict[str, tuple[str, ...]]:
    """The example questions the templates show, by place (``help``, ``home``, ``compare``...)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ExamplesError(f"{path}: {error}") from None
    if not isinstance(data, dict) or not all(
        isinstance(qs, list) and all(isinstance(q, str) and q.strip() for q in qs)
        for qs in data.values()
    ):
        raise ExamplesError(f"{path}: expected places, each with a list of questions")
    return {str(place): tuple(q.strip() for q in qs) for place, qs in data.items()}


class Renderer:
    """The one Jinja environment: sandboxed, strict about undefined names, mrkdwn-escaping."""

    def __init__(self, responses_dir: Path, sources: Mapping[str, Source] | None = None) -> None:
        self.sources = sources or {}
        self.examples = load_examples(responses_dir / "examples.yaml")
        # Templates are read once: no disk check on every answer (restart to pick up edits).
        # Compiled, they are kept in jinja2's per-user cache folder, keyed by their source, so
        # a new process does not compile them again (an edited template is compiled afresh).
        self.env = _Sandbox(
            auto_reload=False,
            loader=FileSystemLoader(str(responses_dir)),
            bytecode_cache=_bytecode_cache(),
            undefined=StrictUndefined,
            autoescape=False,
            finalize=_text,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            extensions=["jinja2.ext.do"],
        )
        self.env.filters["lines"] = format_lines

    def compile_all(self) -> None:
        """Compile every template now; raises jinja2's ``TemplateError`` for a broken one."""
        for name in self.env.list_templates(extensions=["j2"]):
            self.env.get_template(name)

    def render(self, name: str, **data: Any) -> Built:
        """Render ``responses/<name>.j2`` into blocks, fallback text and citations."""
        builder = BlockBuilder(self.sources)
        self.env.get_template(f"{name}.j2").render(slack=builder, **data)
        return builder.build()
