"""Block Kit answers as plain terminal text, for the local CLI."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from typing import Any

from bot.render import unescape_mrkdwn

__all__ = ["to_terminal"]

_WIDTH = 88
_EMPHASIS = re.compile(r"(?<![\w*_])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*_])")
_EMOJI = {":wave:": "👋"}


def _plain(mrkdwn: str) -> str:
    text = _EMPHASIS.sub(r"\2", mrkdwn)
    for code, char in _EMOJI.items():
        text = text.replace(code, char)
    return unescape_mrkdwn(text)


def _wrap(text: str, indent: str = "") -> str:
    lines = []
    for line in _plain(text).split("\n"):
        bullet = line.startswith("• ")
        lines.append(
            textwrap.fill(
                line,
                _WIDTH,
                initial_indent=indent,
                subsequent_indent=indent + ("  " if bullet else ""),
            )
            if line.strip()
            else ""
        )
    return "\n".join(lines)


def _block(block: dict[str, Any]) -> Iterable[str]:
    kind = block.get("type")
    if kind == "header":
        title = block["text"]["text"]
        yield f"{title}\n{'=' * min(len(title), _WIDTH)}"
    elif kind == "section":
        if "text" in block:
            yield _wrap(block["text"]["text"])
        cells = [_wrap(f["text"], "  ") for f in block.get("fields", ())]
        if cells:
            yield "\n".join(cells)
    elif kind == "context":
        yield "\n".join(_wrap(e["text"], "  ") for e in block["elements"] if "text" in e)
    elif kind == "table":
        head, *rows = [[str(cell.get("text", "")) for cell in row] for row in block["rows"]]
        for row in rows:
            pairs = zip(head[1:], row[1:], strict=False)
            lines = [row[0], *(f"  {name}: {cell}" for name, cell in pairs)]
            yield "\n".join(
                textwrap.fill(line, _WIDTH, subsequent_indent="    ") for line in lines
            )
    elif kind == "divider":
        yield "-" * 40
    elif kind == "actions":
        labels = [e["text"]["text"] for e in block["elements"] if e.get("type") == "button"]
        yield _wrap("→ " + " · ".join(labels))


def to_terminal(blocks: Iterable[dict[str, Any]]) -> str:
    """Readable text for a terminal: headers underlined, fields indented, buttons listed."""
    return "\n\n".join(part for block in blocks for part in _block(block) if part.strip())
