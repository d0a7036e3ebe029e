"""A message that only thanks the bot or says goodbye: a short reply, and where to go next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.intents.base import Context, Intent, Suggestion, starters
from bot.understanding.reading import Reading

__all__ = ["INTENT", "ThanksView", "answer"]


@dataclass(frozen=True, slots=True)
class ThanksView:
    suggestions: Sequence[Suggestion]


def answer(reading: Reading, ctx: Context) -> ThanksView:
    return ThanksView(starters(ctx.knowledge))


INTENT = Intent("thanks", "thanks", answer)
