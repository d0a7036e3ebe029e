"""Role Advisor: answers questions about sales roles from a YAML knowledge base."""

from bot.answer import Advisor, Answer
from bot.understanding import Reading

__all__ = ["Advisor", "Answer", "Reading"]
__version__ = "0.1.0"
