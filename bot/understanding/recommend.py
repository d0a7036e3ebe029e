""" "Which role fits me?": roles ranked by how well what someone enjoys matches their duties.

The cues that ask it and where the articles point a newcomer are in ``knowledge/recommend.yaml``;
what someone says they like or are good at is matched against every role's duties with the
lexicon's duty index (a lower cutoff than "who does X?", since people describe themselves
loosely). Pure; knows nothing of Slack.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from bot.knowledge import Knowledge
from bot.knowledge.schema import Degree, Degrees, Goal
from bot.understanding.lexicon import Lexicon
from bot.understanding.normalize import token_starts
from bot.understanding.reading import Reading

__all__ = ["Recommender", "named_degrees", "named_goals"]

# Roles a recommendation names at most, and how close a duty must come to what was said.
_MAX_ROLES = 3
_CUTOFF = 70.0
# What else still counts beside the newcomer's role for someone new to sales.
_STRONG = 85.0
# A role further than this below the best match is not worth naming beside it.
_SPREAD = 20.0
# Where a clause ends: what the asker would rather not do goes no further ("I hate cold
# calling, but ...").
_CLAUSE_END = re.compile(
    r"[,.;:!?]|\b(?:but|though|although|while|whereas|yet|however|instead)\b", re.IGNORECASE
)
# After a phrase asking which role to avoid, nothing it could be about: the end, or a clause
# word ("which role should I avoid if I hate cold calling?").
_NOTHING_AFTER = r"\s*(?:$|[,.;:!?]|(?:if|as|since|because|given|when|for me|though)\b)"
# A question's first word: what follows asks something, not only tells.
_QUESTION_START = re.compile(
    r"\s*(?:what|which|who|whos|who's|how|why|when|where|is|are|do|does|can|should|could|would)\b"
)
# How many words the articles tie to a role say who someone is, with no one named.
_TRAITS_ALONE = 2
# Who the asker is, said first: "engineer here, analytical, like data ...".
_SCENE = re.compile(r"\s*[\w-]+(?: [\w-]+)? here\b")
# Words asking for something ("... - show me every sales role you have info about").
_REQUEST = re.compile(
    r"\b(?:show|list|tell|give|explain|describe|compare|description|summary|overview|definition)\b"
)
# A question asked after what the asker tells: "hey im new, whats an SDR".
_ASKS_WITHIN = re.compile(
    r"\b(?:what'?s|whats|wats|what (?:is|are|does|do)|how (?:do|does|much))\b"
)
# Words that may end a question after what asks it: "... what should I apply for first?".
_TRAILING = r"(?:\s+(?:first|next|now|then|please|pls|plz|lol|tho|though|exactly|for me|to me))?"
# The word that offers roles as a choice: "AE or AM for me?".
_OR = re.compile(r"\bor\b")
# How well a degree the articles name for a role matches, against a duty's 0-100: a strong
# match, under a duty named word for word (what one would do outweighs what one studied).
_DEGREE = _STRONG


def _phrases(phrases: Sequence[str], flags: int = 0) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p.casefold()) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)


def _which_job(which: Sequence[str], jobs: Sequence[str], between: int = 2) -> str:
    """A word of ``which``, then one of ``jobs`` at most ``between`` words later, or after
    "of" and as many ("which of our sales roles")."""
    words = [_phrases(w).pattern for w in (which, jobs)]
    return rf"{words[0]}(?:\s+of)?(?:\s+[\w'-]+){{0,{between}}}?\s+{words[1]}"


def _fit_pattern(which: Sequence[str], jobs: Sequence[str], fits: Sequence[str]) -> re.Pattern[str]:
    """A word of ``which``, one of ``jobs`` at most two words later, one of ``fits`` after."""
    return re.compile(rf"{_which_job(which, jobs)}.*?{_phrases(fits).pattern}")


def _bare_pattern(
    which: Sequence[str], jobs: Sequence[str], bare: Sequence[str]
) -> re.Pattern[str]:
    """A question ending at its job word ("what role?", "which sales job?"), or made of it
    alone after what the asker tells ("... go after new hospitals nobody has cracked. role?"),
    or with a phrase of ``bare``."""
    ends = rf"|{_phrases(bare).pattern}" if bare else ""
    alone = rf"|[.,;:!-]\s*{_phrases(jobs).pattern}"
    return re.compile(rf"(?:{_which_job(which, jobs, 1)}{alone}{ends}){_TRAILING}[\s?!.]*$")


def named_degrees(degrees: Degrees | None, question: str) -> tuple[Degree, ...]:
    """The roles' degrees a question says the asker studied ("I'm a journalism graduate"); a
    longer name is one degree ("mass communications" is not also "communications")."""
    said = question.casefold()
    if degrees is None or not _phrases(degrees.study).search(said):
        return ()
    names = {name.casefold() for degree in degrees.roles for name in degree.names}
    found = {match.group() for match in _phrases(sorted(names)).finditer(said)}
    return tuple(d for d in degrees.roles if found & {name.casefold() for name in d.names})


def named_goals(goals: Sequence[Goal], question: str) -> tuple[Goal, ...]:
    """The goals (or traits) a question names of the asker ("I want to manage a team
    eventually", "I'm competitive")."""
    said = question.casefold()
    return tuple(goal for goal in goals if _phrases(goal.cues).search(said))


def _either(*parts: tuple[Sequence[str], str]) -> re.Pattern[str] | None:
    """A phrase of any of the lists, each followed by its pattern; None if all are empty."""
    found = [rf"{_phrases(words).pattern}{after}" for words, after in parts if words]
    return re.compile("|".join(found), re.IGNORECASE) if found else None


class Recommender:
    """Reads "which role fits me?" questions against one knowledge base."""

    def __init__(self, knowledge: Knowledge, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.roles = tuple(knowledge.roles)
        advice = knowledge.recommend
        self.newcomer = advice.newcomer.role
        self.openings = [also.role for also in advice.newcomer.also]
        self.degrees = advice.degrees
        self.goals = advice.goals
        self.traits = advice.traits
        cues = [cue for pointer in (*self.goals, *self.traits) for cue in pointer.cues]
        self._pointers = _phrases(cues, re.IGNORECASE) if cues else None
        self._asks = _phrases(advice.cues)
        fit = advice.fit_question
        self._fit = None if fit is None else _fit_pattern(fit.which, fit.jobs, fit.fits)
        self._bare = None if fit is None else _bare_pattern(fit.which, fit.jobs, fit.bare)
        self._asker = None if fit is None else _phrases(fit.asker)
        self._which_job = None if fit is None else re.compile(_which_job(fit.which, fit.jobs))
        self._choice = _phrases(fit.choice) if fit is not None and fit.choice else None
        self._new = _phrases(advice.newcomer.cues)
        dislikes = advice.dislikes
        self._dislikes = None if dislikes is None else _phrases(dislikes.cues, re.IGNORECASE)
        self._liking = None if dislikes is None else _either((dislikes.likes, ""))
        self._avoid = None
        if dislikes is not None:
            self._avoid = _either((dislikes.avoid, _NOTHING_AFTER), (dislikes.worst, ""))

    def read(
        self,
        question: str,
        stems: Sequence[str],
        context: Reading | None = None,
        *,
        offered: Sequence[str] = (),
        choosing: bool = False,
    ) -> Reading | None:
        """A ``recommend`` reading when ``question`` asks which role fits; else None.

        ``stems`` are the question's stems as the reader matched them (one per token of
        ``question``). Only the roles ``offered`` as a choice ("AE or AM for me?") are ranked,
        or after a comparison ("SDR vs AE" -> "which one should I start in if I'm new?") its
        roles; ``choosing`` says the question ends in them alone ("I like coaching, sales
        manager or AE?"), which asks which fits as a word of fit would.
        """
        said = question.casefold()
        avoid = self._asks_avoid(said)
        chooses = len(offered) > 1 and _OR.search(said) is not None
        fits = choosing or (self._choice is not None and self._choice.search(said) is not None)
        chooses = chooses and fits
        chooses = chooses and self._asker is not None and self._asker.search(said) is not None
        bare = not (avoid or chooses or self._asks.search(said) or self._asks_fit(said))
        if bare and not (self._asks_bare(said) or self._tells_likes(said)):
            return None
        among = context.roles if context is not None and len(context.roles) > 1 else self.roles
        among = tuple(offered) if len(offered) > 1 else among
        spans = self._disliked(question)
        disliked = _tokens_in(question, spans)
        # what they would rather not do names no goal or trait of theirs ("I hate competitive
        # environments"), and what names one is not also matched against duties
        # ("money-motivated" does not point to the sales manager, who motivates a team)
        kept = "".join(
            " " if any(a <= i < b for a, b in spans) else c for i, c in enumerate(question)
        )
        named = self._named(kept)
        liked = [s for i, s in enumerate(stems) if i not in disliked | named]
        against = self._scored([stems[i] for i in sorted(disliked)], among, ())
        if avoid:  # "which role should I avoid if I hate cold calling?"
            roles = tuple(role for role, _, _ in _spread(against)[:_MAX_ROLES])
            duty = against[0][2] if against else None
            return Reading("recommend", roles=roles, duty=duty, avoid=True, confidence=0.5)
        studied = {degree.role for degree in named_degrees(self.degrees, question)}
        # a role whose duties what they'd rather not do names better than what they enjoy
        unwanted = {role: score for role, score, _ in against}
        scored = [r for r in self._scored(liked, among, studied) if r[1] >= unwanted.get(r[0], 0)]
        new = self._new.search(said) is not None
        if len(offered) > 1 and new and self.newcomer not in offered:
            return None  # "I'm new here. AE or AM?": the articles point newcomers elsewhere
        pointed = named_goals((*self.goals, *self.traits), kept)
        if (bare or len(offered) > 1) and not (scored or new or pointed):
            # "my laptop is slow, what should I do?" says nothing of sales work; "AE or AM for
            # me?", nothing of the asker: the roles offered are compared instead
            return None
        ranked = _spread(scored)
        if self._new.search(said) and self.newcomer in among:
            # New to sales: where the articles say newcomers start, the other openings they
            # name for them, then only strong matches.
            starts = [self.newcomer, *(role for role in self.openings if role in among)]
            strong = [r for r in ranked if r[1] >= _STRONG and r[0] not in starts]
            ranked = [*((role, 0.0, None) for role in starts), *strong]
        goals = list(dict.fromkeys(g.role for g in pointed if g.role in among))
        if goals:
            # Aiming for a role later, or like those an article points to a role ("I'm
            # competitive"): that role, with what says so, then only strong matches.
            strong = [r for r in ranked if r[1] >= _STRONG and r[0] not in goals]
            ranked = [*((role, 0.0, None) for role in goals), *strong]
        roles = tuple(role for role, _, _ in ranked[:_MAX_ROLES])
        if not roles and against:  # "I hate cold calling, which role is for me?"
            roles = tuple(role for role, _, _ in _spread(against)[:_MAX_ROLES])
            return Reading(
                "recommend", roles=roles, duty=against[0][2], avoid=True, disliked_only=True
            )
        duty = ranked[0][2] if ranked else None
        return Reading("recommend", roles=roles, duty=duty, confidence=0.7 if roles else 0.5)

    def _asks_fit(self, said: str) -> bool:
        """"Which sales job should I go for?": the fit question in words of one's own."""
        if self._fit is None or self._asker is None:
            return False
        return bool(self._fit.search(said) and self._asker.search(said))

    def _asks_bare(self, said: str) -> bool:
        """"I love closing deals. What role?": a bare fit question after the asker's words, or
        one naming the asker after what they like ("competitive, love the thrill of closing -
        what should I aim for?"), or after what they like and are like, or that they are new to
        sales, the "I" left out ("super competitive, love a fast-paced environment. what
        role?", "fresh grad, no experience, good on the phone. what role")."""
        if self._bare is None or self._asker is None:
            return False
        found = self._bare.search(said)
        if found is None or found.start() == 0:
            return False
        before = said[: found.start()]
        if _REQUEST.search(before):  # "sales manager - explain the role for me pls"
            return False
        liked = self._liking is not None and self._liking.search(before) is not None
        like = self._pointers is not None and self._pointers.search(before) is not None
        new = self._new.search(before) is not None  # "fresh grad, no experience"
        return bool(self._asker.search(said)) or (liked and like) or new

    def _tells_likes(self, said: str) -> bool:
        """"i like long term relationships solving client problems and im detail oriented",
        "i want a foot in the door in sales with zero experience", "high energy want fast paced
        coffee is for closers vibes": what the asker likes or is like, or that they are new to
        sales, said to a role advisor with no question at all."""
        if self._liking is None or self._asker is None or "?" in said:
            return False
        if _QUESTION_START.match(said) or _ASKS_WITHIN.search(said) or _REQUEST.search(said):
            return False
        liked = self._liking.search(said) or self._new.search(said)
        traits = len(self._pointers.findall(said)) if self._pointers is not None else 0
        asker = self._asker.search(said) or _SCENE.match(said)  # "engineer here, ..."
        # with no one named, two of what the articles tie to a role (not "the sales floor is
        # fast paced")
        return bool((liked or traits) and asker) or traits >= _TRAITS_ALONE

    def _asks_avoid(self, said: str) -> bool:
        """"Which role should I avoid?", "which job is worst for introverts?"."""
        if self._avoid is None or self._which_job is None:
            return False
        return bool(self._which_job.search(said) and self._avoid.search(said))

    def _named(self, question: str) -> set[int]:
        """The tokens of the goals' and traits' cues the question says."""
        if self._pointers is None:
            return set()
        return _tokens_in(question, [m.span() for m in self._pointers.finditer(question)])

    def _disliked(self, question: str) -> list[tuple[int, int]]:
        """Where the question says what the asker would rather not do: from a dislike to the
        end of its clause ("I hate cold calling, but ..."), or to what they like ("... and
        love ...")."""
        if self._dislikes is None:
            return []
        spans = []
        for cue in self._dislikes.finditer(question):
            ends = (p.search(question, cue.end()) for p in (_CLAUSE_END, self._liking) if p)
            spans.append((cue.end(), min((e.start() for e in ends if e), default=len(question))))
        return spans

    def _scored(
        self,
        stems: Sequence[str],
        among: Sequence[str],
        studied: Collection[str],
        cutoff: float = _CUTOFF,
    ) -> list[tuple[str, float, str | None]]:
        """Roles whose duties match what was said, or whose degree was studied, best first:
        (role, score, its best duty, None for a degree alone)."""
        words = [s for s in stems if s not in self.lexicon.fillers and s.isalnum()]
        words += [meant for w in words for meant in self.lexicon.duty_words.get(w, ())]
        best: dict[str, tuple[float, int, str | None]] = {
            role: (_DEGREE, 1, None) for role in among if role in studied
        }
        for duty, score in self.lexicon.duty_index.search(words, cutoff):  # best first
            if duty.role not in among:
                continue
            top, hits, phrase = best.get(duty.role, (0.0, 0, None))
            best[duty.role] = (max(top, score), hits + 1, phrase or duty.phrase)
        ranked = sorted(best.items(), key=lambda item: (item[1][0], item[1][1]), reverse=True)
        return [(role, score, phrase) for role, (score, _, phrase) in ranked]


def _tokens_in(question: str, spans: Sequence[tuple[int, int]]) -> set[int]:
    """The indexes of the question's tokens that start inside one of ``spans``."""
    starts = token_starts(question)
    return {i for i, at in enumerate(starts) if any(a <= at < b for a, b in spans)}


def _spread(scored: Sequence[tuple[str, float, str | None]]) -> list[tuple[str, float, str | None]]:
    """The roles worth naming: none further below the best match than ``_SPREAD``."""
    return [r for r in scored if scored[0][1] - r[1] <= _SPREAD]
