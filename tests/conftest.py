"""Shared fixtures for the whole suite."""

from __future__ import annotations

import pytest

from bot.answer import Advisor


@pytest.fixture(scope="session")
def advisor() -> Advisor:
    """The shipped knowledge and templates, loaded once for every test."""
    return Advisor.load()
