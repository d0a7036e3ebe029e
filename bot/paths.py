"""Where the knowledge base and the templates are, for a checkout and an installed wheel alike.

An explicit ``ROLEBOT_KNOWLEDGE_DIR`` / ``ROLEBOT_RESPONSES_DIR`` wins; otherwise the copy a
wheel carries inside the package (``bot/_data/``); otherwise the checkout's top-level folders,
which an editable install reads, so an edited YAML file takes effect at once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["CHECKOUT", "KNOWLEDGE_DIR", "RESPONSES_DIR", "data_dir"]

_PACKAGE = Path(__file__).resolve().parent
# The folder ``bot/`` sits in: the checkout, or site-packages when installed from a wheel.
CHECKOUT = _PACKAGE.parent


def data_dir(name: str, env: Mapping[str, str] = os.environ) -> Path:
    """The ``knowledge`` or ``responses`` directory, by the order above."""
    explicit = env.get(f"ROLEBOT_{name.upper()}_DIR")
    if explicit:
        return Path(explicit)
    packaged = _PACKAGE / "_data" / name
    return packaged if packaged.is_dir() else CHECKOUT / name


KNOWLEDGE_DIR = data_dir("knowledge")
RESPONSES_DIR = data_dir("responses")
