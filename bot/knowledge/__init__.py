"""Role facts from ``knowledge/*.yaml``: load, validate, look up."""

from bot.knowledge.base import (
    DEFAULT_KNOWLEDGE_DIR,
    Knowledge,
    KnowledgeError,
    alias_key,
    load_knowledge,
    read_knowledge,
)
from bot.knowledge.loader import Problem

__all__ = [
    "DEFAULT_KNOWLEDGE_DIR",
    "Knowledge",
    "KnowledgeError",
    "Problem",
    "alias_key",
    "load_knowledge",
    "read_knowledge",
]
