"""Knowledge that changes while the bot runs: edits to ``knowledge/`` or ``responses/`` are
picked up without a restart. Knows nothing of Slack.

``LiveAdvisor.current()`` returns the advisor to answer with. At most every ``interval``
seconds it looks at the files' sizes and modification times; when something changed it loads
and validates the new version. A version that fails validation is refused: its problems go to
the log and to ``on_refused`` (the Slack app DMs them to the admins), and the last good version
keeps answering. Every process polls for itself, so every process picks an edit up.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from jinja2 import TemplateError

from bot.answer import Advisor
from bot.knowledge import KnowledgeError
from bot.render import ExamplesError

__all__ = ["DEFAULT_INTERVAL", "LiveAdvisor"]

DEFAULT_INTERVAL = 5.0
_log = logging.getLogger(__name__)
Stamp = tuple[tuple[str, int, int], ...]


def _stamp(folders: Sequence[Path]) -> Stamp:
    """Every file under the folders, with its size and modification time."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            try:
                info = path.stat()
            except OSError:  # removed while we looked
                continue
            if path.is_file():
                found.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(found)


class LiveAdvisor:
    """The advisor of the last good version of the knowledge and templates."""

    def __init__(
        self,
        knowledge_dir: Path,
        responses_dir: Path,
        *,
        interval: float = DEFAULT_INTERVAL,
        on_refused: Callable[[Sequence[str]], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Load the first version; raises ``KnowledgeError`` if it is broken (the bot does
        not start on a broken knowledge base)."""
        self.folders = (Path(knowledge_dir), Path(responses_dir))
        self.interval = interval
        self.on_refused = on_refused
        self._clock = clock
        self._lock = threading.Lock()
        self._stamp = _stamp(self.folders)
        self._advisor = Advisor.load(*self.folders)
        self._checked = clock()
        self._refused: Stamp | None = None

    def current(self) -> Advisor:
        """The advisor to answer with now, reloaded first if the files changed."""
        if self._clock() - self._checked >= self.interval:
            self.refresh()
        return self._advisor

    def refresh(self) -> bool:
        """Look at the files now; returns whether a new version was loaded."""
        with self._lock:
            self._checked = self._clock()
            stamp = _stamp(self.folders)
            if stamp in (self._stamp, self._refused):
                return False
            try:
                advisor = Advisor.load(*self.folders)
                advisor.renderer.compile_all()
            except KnowledgeError as error:
                return self._refuse(stamp, [str(p) for p in error.problems])
            except (ExamplesError, TemplateError) as error:
                return self._refuse(stamp, [f"{type(error).__name__}: {error}"])
            self._advisor, self._stamp, self._refused = advisor, stamp, None
            _log.info("knowledge reloaded: %d roles", len(advisor.knowledge.roles))
            return True

    def _refuse(self, stamp: Stamp, problems: list[str]) -> bool:
        self._refused = stamp
        _log.error(
            "knowledge edit refused, still answering with the last good version:\n%s",
            "\n".join(problems),
        )
        if self.on_refused is not None:
            self.on_refused(problems)
        return False
