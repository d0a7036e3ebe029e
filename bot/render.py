"""One sandboxed Jinja environment turns data into Slack Block Kit answers.

Templates in ``responses/`` hold all the wording. They build blocks through a small builder
passed in as ``slack`` (``{% do slack.section(body) %}``); the builder knows Slack's limits and
splits or trims content so Slack never rejects an answer. Every ``{{ ... }}`` value is escaped
for Slack mrkdwn (``&``, ``<``, ``>`` only), so echoed user text can never ping or mention.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

__all__ = ["LIMITS", "BlockBuilder", "Renderer", "escape_mrkdwn", "unescape_mrkdwn"]

# Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks).
LIMITS = {
    "blocks": 50,
    "section_text": 3000,
    "fields": 10,
    "field_text": 2000,
    "header_text": 150,
    "button_text": 75,
    "button_value": 2000,
    "actions_elements": 25,
    "context_text": 3000,
    "message_text": 40000,
}
_ELLIPSIS = "…"


def escape_mrkdwn(value: object) -> str:
    """Escape the three characters Slack treats as control characters in mrkdwn."""
    if value is None:
        return ""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape_mrkdwn(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


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


class BlockBuilder:
    """Collects Block Kit blocks and the matching plain-text fallback, within Slack's limits.

    Methods return an empty string so they can be called from templates with ``{% do %}``.
    Text arguments must already be mrkdwn-escaped (templates produce them with ``{{ }}``).
    """

    def __init__(self) -> None:
        self._blocks: list[dict[str, Any]] = []
        self._text: list[str] = []
        self._buttons: list[dict[str, Any]] = []

    def header(self, text: str) -> str:
        plain = _clip(" ".join(unescape_mrkdwn(text).split()), LIMITS["header_text"])
        if plain:
            self._blocks.append(
                {"type": "header", "text": {"type": "plain_text", "text": plain, "emoji": True}}
            )
            self._text.append(f"*{escape_mrkdwn(plain)}*")
        return ""

    def section(self, text: str) -> str:
        for piece in _chunks(text, LIMITS["section_text"]):
            self._blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": piece}})
            self._text.append(piece)
        return ""

    def row(self, title: str, cells: list[str]) -> str:
        """A titled section whose cells show side by side (two columns in Slack)."""
        title = _clip(title, LIMITS["section_text"])
        clipped = [_clip(c, LIMITS["field_text"]) or " " for c in cells]
        for start in range(0, len(clipped), LIMITS["fields"]):
            block: dict[str, Any] = {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": c} for c in clipped[start : start + LIMITS["fields"]]
                ],
            }
            if title and start == 0:
                block["text"] = {"type": "mrkdwn", "text": title}
            self._blocks.append(block)
        self._text.append("\n".join([title, *(f"• {c}" for c in clipped if c.strip())]).strip())
        return ""

    def context(self, text: str) -> str:
        piece = _clip(text, LIMITS["context_text"])
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
                "text": {
                    "type": "plain_text",
                    "text": _clip(unescape_mrkdwn(label), LIMITS["button_text"]) or "…",
                },
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
                labels = " · ".join(escape_mrkdwn(b["text"]["text"]) for b in self._buttons)
                self._text.append(f"{lead.strip()}: {labels}")
            self._buttons = []
        return ""

    def build(self) -> tuple[tuple[dict[str, Any], ...], str]:
        self.actions()
        blocks = self._blocks
        if len(blocks) > LIMITS["blocks"]:
            note = {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": "_Answer shortened to fit Slack._"}],
            }
            blocks = [*blocks[: LIMITS["blocks"] - 1], note]
        text = _clip("\n\n".join(self._text), LIMITS["message_text"])
        return tuple(blocks), text


class Renderer:
    """The one Jinja environment: sandboxed, strict about undefined names, mrkdwn-escaping."""

    def __init__(self, responses_dir: Path) -> None:
        self.env = ImmutableSandboxedEnvironment(
            loader=FileSystemLoader(str(responses_dir)),
            undefined=StrictUndefined,
            autoescape=False,
            finalize=escape_mrkdwn,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            extensions=["jinja2.ext.do"],
        )

    def render(self, name: str, **data: Any) -> tuple[tuple[dict[str, Any], ...], str]:
        """Render ``responses/<name>.j2``; returns ``(blocks, text)``."""
        builder = BlockBuilder()
        self.env.get_template(f"{name}.j2").render(slack=builder, **data)
        return builder.build()
