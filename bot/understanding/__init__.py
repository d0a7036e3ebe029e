"""Understanding: from a question's text to a ``Reading``. Knows nothing of Slack."""

from bot.understanding.reader import Reader
from bot.understanding.reading import Reading

__all__ = ["Reader", "Reading"]
