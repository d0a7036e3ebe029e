""" "Which role fits me?": roles ranked by how well what someone enjoys matches their duties.

The cues that ask it and where the articles point a newcomer are in ``knowledge/recommend.yaml``;
what someone says they like or are good at is matched against every role's duties with the
lexicon's duty index (a lower cutoff than "who does X?", since people describe themselves
loosely). Pure; knows nothing of Slack.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.knowledge import Knowledge
from bot.understanding.lexicon import Lexicon
from bot.understanding.reading import Reading

__all__ = ["Recommender"]

# Roles a recommendation names at most, and how close a duty must come to what was said.
_MAX_ROLES = 3
_CUTOFF = 70.0
# What else still counts beside the newcomer's role for someone new to sales.
_STRONG = 85.0
# A role further than this below the best match is not worth naming beside it.
_SPREAD = 20.0


def _phrases(phrases: Sequence[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p.casefold()) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _fit_pattern(which: Sequence[str], jobs: Sequence[str], fits: Sequence[str]) -> re.Pattern[str]:
    """A word of ``which``, one of ``jobs`` at most two words later, one of ``fits`` after."""
    words = [_phrases(w).pattern for w in (which, jobs, fits)]
    return re.compile(rf"{words[0]}(?:\s+[\w'-]+){{0,2}}?\s+{words[1]}.*?{words[2]}")


def _bare_pattern(
    which: Sequence[str], jobs: Sequence[str], bare: Sequence[str]
) -> re.Pattern[str]:
    """A question ending at its job word ("what role?", "which sales job?") or with a phrase
    of ``bare``."""
    words = [_phrases(w).pattern for w in (which, jobs)]
    ends = rf"|{_phrases(bare).pattern}" if bare else ""
    return re.compile(rf"(?:{words[0]}(?:\s+[\w'-]+)?\s+{words[1]}{ends})[\s?!.]*$")


class Recommender:
    """Reads "which role fits me?" questions against one knowledge base."""

    def __init__(self, knowledge: Knowledge, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.roles = tuple(knowledge.roles)
        self.newcomer = knowledge.recommend.newcomer.role
        self._asks = _phrases(knowledge.recommend.cues)
        fit = knowledge.recommend.fit_question
        self._fit = None if fit is None else _fit_pattern(fit.which, fit.jobs, fit.fits)
        self._bare = None if fit is None else _bare_pattern(fit.which, fit.jobs, fit.bare)
        self._asker = None if fit is None else _phrases(fit.asker)
        self._new = _phrases(knowledge.recommend.newcomer.cues)

    def read(
        self, question: str, stems: Sequence[str], context: Reading | None = None
    ) -> Reading | None:
        """A ``recommend`` reading when ``question`` asks which role fits; else None.

        ``stems`` are the question's stems as the reader matched them. After a comparison
        ("SDR vs AE" -> "which one should I start in if I'm new?"), only its roles are ranked.
        """
        said = question.casefold()
        bare = not (self._asks.search(said) or self._asks_fit(said))
        if bare and not self._asks_bare(said):
            return None
        among = context.roles if context is not None and len(context.roles) > 1 else self.roles
        ranked = self._by_duties(stems, among)
        if bare and not ranked:
            return None  # "my laptop is slow, what should I do?" says nothing of sales work
        if self._new.search(said) and self.newcomer in among:
            # New to sales: where the articles say newcomers start, then only strong matches.
            strong = self._by_duties(stems, among, cutoff=_STRONG)
            ranked = [(self.newcomer, None), *((r, d) for r, d in strong if r != self.newcomer)]
        roles = tuple(role for role, _ in ranked[:_MAX_ROLES])
        duty = ranked[0][1] if ranked else None
        return Reading("recommend", roles=roles, duty=duty, confidence=0.7 if roles else 0.5)

    def _asks_fit(self, said: str) -> bool:
        """"Which sales job should I go for?": the fit question in words of one's own."""
        if self._fit is None or self._asker is None:
            return False
        return bool(self._fit.search(said) and self._asker.search(said))

    def _asks_bare(self, said: str) -> bool:
        """"I love closing deals. What role?": a bare fit question after the asker's words."""
        if self._bare is None or self._asker is None:
            return False
        found = self._bare.search(said)
        return found is not None and bool(self._asker.search(said[: found.start()]))

    def _by_duties(
        self, stems: Sequence[str], among: Sequence[str], cutoff: float = _CUTOFF
    ) -> list[tuple[str, str | None]]:
        """Roles whose duties match what was said, best first, each with its best duty."""
        words = [s for s in stems if s not in self.lexicon.fillers and s.isalnum()]
        best: dict[str, tuple[float, int, str]] = {}
        for duty, score in self.lexicon.duty_index.search(words, cutoff):
            if duty.role not in among:
                continue
            hits = best.get(duty.role, (0.0, 0, duty.phrase))
            top = (score, duty.phrase) if score > hits[0] else (hits[0], hits[2])
            best[duty.role] = (top[0], hits[1] + 1, top[1])
        if not best:
            return []
        ranked = sorted(best.items(), key=lambda item: (item[1][0], item[1][1]), reverse=True)
        first = ranked[0][1][0]
        return [(role, phrase) for role, (score, _, phrase) in ranked if first - score <= _SPREAD]
