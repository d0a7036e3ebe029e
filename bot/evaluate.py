"""Reading accuracy on labelled questions, and how often out-of-scope questions are declined.

``rolebot eval`` prints the figures README reports. The same functions back the accuracy test.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge import Knowledge
from bot.paths import CHECKOUT
from bot.understanding import Reader, Reading
from bot.understanding.facet_model import FACETED, MODEL_FILE, FacetModel, train

__all__ = [
    "Case",
    "Score",
    "declines",
    "facet_training_data",
    "load_cases",
    "load_lines",
    "report",
    "score_declines",
    "score_readings",
    "sweep",
    "typo_robustness",
    "write_facet_model",
]

# Labelled sets: what each holds. Development sets may be tuned on (vocabulary, thresholds,
# ``--sweep``); held-out sets are only ever reported, when present, and never tuned or swept on.
# The blind sets were written from the articles alone by someone who never saw the lexicon.
DEV_SETS = {
    "in_scope.yaml": "in-scope reading accuracy (dev)",
    "in_scope_dev2.yaml": "second in-scope set (dev, new wording)",
    "in_scope_dev3.yaml": "third in-scope set (dev, other personas)",
    "blind_dev.yaml": "blind in-scope set (dev, written blind)",
    "blind_dev2.yaml": "second blind set (dev, written blind)",
    "blind_dev3.yaml": "third blind set (dev, written blind)",
    "blind_dev4.yaml": "fourth blind set (dev, written blind)",
    "blind_dev5.yaml": "fifth blind set (dev, written blind)",
    "blind_dev6.yaml": "sixth blind set (dev, written blind)",
    "blind_dev7.yaml": "seventh blind set (dev, written blind)",
    "blind_dev8.yaml": "eighth blind set (dev, written blind)",
    "blind_dev9.yaml": "ninth blind set (dev, written blind)",
    "blind_dev10.yaml": "tenth blind set (dev, written blind)",
    "blind_dev11.yaml": "eleventh blind set (dev, written blind)",
    "blind_dev12.yaml": "twelfth blind set (dev, written blind)",
    "blind_dev13.yaml": "thirteenth blind set (dev, written blind)",
    "blind_dev14.yaml": "fourteenth blind set (dev, written blind)",
    "blind_dev15.yaml": "fifteenth blind set (dev, written blind)",
    "blind_dev16.yaml": "sixteenth blind set (dev, written blind)",
    "blind_dev17.yaml": "seventeenth blind set (dev, written blind)",
    "blind_dev18.yaml": "eighteenth blind set (dev, written blind)",
    "blind_dev19.yaml": "nineteenth blind set (dev, written blind)",
    "blind_dev20.yaml": "twentieth blind set (dev, written blind)",
    "blind_dev21.yaml": "twenty-first blind set (dev, written blind)",
    "blind_dev22.yaml": "twenty-second blind set (dev, written blind)",
    "blind_dev23.yaml": "twenty-third blind set (dev, written blind)",
    "blind_dev24.yaml": "twenty-fourth blind set (dev, written blind)",
    "blind_dev25.yaml": "twenty-fifth blind set (dev, written blind)",
    "blind_dev26.yaml": "twenty-sixth blind set (dev, written blind)",
    "blind_dev27.yaml": "twenty-seventh blind set (dev, written blind)",
    "blind_dev28.yaml": "twenty-eighth blind set (dev, written blind)",
    "blind_dev29.yaml": "twenty-ninth blind set (dev, written blind)",
    "blind_dev30.yaml": "thirtieth blind set (dev, written blind)",
    "blind_dev31.yaml": "thirty-first blind set (dev, written blind)",
    "blind_dev32.yaml": "thirty-second blind set (dev, written blind)",
    "blind_dev33.yaml": "thirty-third blind set (dev, written blind)",
    "blind_dev34.yaml": "thirty-fourth blind set (dev, written blind)",
    "blind_dev35.yaml": "thirty-fifth blind set (dev, written blind)",
    "blind_dev36.yaml": "thirty-sixth blind set (dev, written blind)",
    "blind_dev37.yaml": "thirty-seventh blind set (dev, written blind)",
    "blind_dev38.yaml": "thirty-eighth blind set (dev, written blind)",
    "blind_dev39.yaml": "thirty-ninth blind set (dev, written blind)",
    "blind_dev40.yaml": "fortieth blind set (dev, written blind)",
    "blind_dev41.yaml": "forty-first blind set (dev, written blind)",
    "blind_dev42.yaml": "forty-second blind set (dev, written blind)",
    "blind_dev43.yaml": "forty-third blind set (dev, written blind)",
    "blind_dev44.yaml": "forty-fourth blind set (dev, written blind)",
    "blind_dev45.yaml": "forty-fifth blind set (dev, written blind)",
    "blind_dev46.yaml": "forty-sixth blind set (dev, written blind)",
    "blind_dev47.yaml": "forty-seventh blind set (dev, written blind)",
    "blind_dev48.yaml": "forty-eighth blind set (dev, written blind)",
    "blind_dev49.yaml": "forty-ninth blind set (dev, written blind)",
    "blind_dev50.yaml": "fiftieth blind set (dev, written blind)",
    "blind_dev51.yaml": "fifty-first blind set (dev, written blind)",
    "blind_dev52.yaml": "fifty-second blind set (dev, written blind)",
    "blind_dev53.yaml": "fifty-third blind set (dev, written blind)",
}
HELD_OUT_SETS = {
    "in_scope_holdout.yaml": "held-out reading accuracy (never tuned on)",
    "blind_holdout.yaml": "blind held-out set (never seen or tuned on)",
    "blind_holdout3.yaml": "third blind held-out set (read once)",
    "blind_holdout4.yaml": "fourth blind held-out set (read once)",
    "blind_holdout5.yaml": "fifth blind held-out set (read once)",
    "blind_holdout6.yaml": "sixth blind held-out set (read once)",
    "blind_holdout7.yaml": "seventh blind held-out set (read once)",
    "blind_holdout8.yaml": "eighth blind held-out set (read once)",
    "blind_holdout9.yaml": "ninth blind held-out set (read once)",
    "blind_holdout10.yaml": "tenth blind held-out set (read once)",
    "blind_holdout11.yaml": "eleventh blind held-out set (read once)",
    "blind_holdout12.yaml": "twelfth blind held-out set (read once)",
    "blind_holdout13.yaml": "thirteenth blind held-out set (read once)",
    "blind_holdout14.yaml": "fourteenth blind held-out set (read once)",
    "blind_holdout15.yaml": "fifteenth blind held-out set (read once)",
    "blind_holdout16.yaml": "sixteenth blind held-out set (read once)",
    "blind_holdout17.yaml": "seventeenth blind held-out set (read once)",
    "blind_holdout18.yaml": "eighteenth blind held-out set (read once)",
    "blind_holdout19.yaml": "nineteenth blind held-out set (read once)",
    "blind_holdout20.yaml": "twentieth blind held-out set (read once)",
    "blind_holdout21.yaml": "twenty-first blind held-out set (read once)",
    "blind_holdout22.yaml": "twenty-second blind held-out set (read once)",
    "blind_holdout23.yaml": "twenty-third blind held-out set (read once)",
    "blind_holdout24.yaml": "twenty-fourth blind held-out set (read once)",
    "blind_holdout25.yaml": "twenty-fifth blind held-out set (read once)",
    "blind_holdout26.yaml": "twenty-sixth blind held-out set (read once)",
    "blind_holdout27.yaml": "twenty-seventh blind held-out set (read once)",
    "blind_holdout28.yaml": "twenty-eighth blind held-out set (read once)",
    "blind_holdout29.yaml": "twenty-ninth blind held-out set (read once)",
    "blind_holdout30.yaml": "thirtieth blind held-out set (read once)",
    "blind_holdout31.yaml": "thirty-first blind held-out set (read once)",
    "blind_holdout32.yaml": "thirty-second blind held-out set (read once)",
    "blind_holdout33.yaml": "thirty-third blind held-out set (read once)",
    "blind_holdout34.yaml": "thirty-fourth blind held-out set (read once)",
    "blind_holdout35.yaml": "thirty-fifth blind held-out set (read once)",
    "blind_holdout36.yaml": "thirty-sixth blind held-out set (read once)",
    "blind_holdout37.yaml": "thirty-seventh blind held-out set (read once)",
    "blind_holdout38.yaml": "thirty-eighth blind held-out set (read once)",
    "blind_holdout39.yaml": "thirty-ninth blind held-out set (read once)",
}
DEV_DECLINES = (
    "near_domain_decline.txt",
    "near_domain_decline_dev2.txt",
    "near_domain_decline_dev3.txt",
    "near_domain_blind_dev.txt",
    "near_domain_blind_dev2.txt",
    "near_domain_blind_dev3.txt",
    "near_domain_blind_dev4.txt",
    "near_domain_blind_dev5.txt",
    "near_domain_blind_dev6.txt",
    "near_domain_blind_dev7.txt",
    "near_domain_blind_dev8.txt",
    "near_domain_blind_dev9.txt",
    "near_domain_blind_dev10.txt",
    "near_domain_blind_dev11.txt",
    "near_domain_blind_dev12.txt",
    "near_domain_blind_dev13.txt",
    "near_domain_blind_dev14.txt",
    "near_domain_blind_dev15.txt",
    "near_domain_blind_dev16.txt",
    "near_domain_blind_dev17.txt",
    "near_domain_blind_dev18.txt",
    "near_domain_blind_dev19.txt",
    "near_domain_blind_dev20.txt",
    "near_domain_blind_dev21.txt",
    "near_domain_blind_dev22.txt",
    "near_domain_blind_dev23.txt",
    "near_domain_blind_dev24.txt",
    "near_domain_blind_dev25.txt",
    "near_domain_blind_dev26.txt",
    "near_domain_blind_dev27.txt",
    "near_domain_blind_dev28.txt",
    "near_domain_blind_dev29.txt",
    "near_domain_blind_dev30.txt",
    "near_domain_blind_dev31.txt",
    "near_domain_blind_dev32.txt",
    "near_domain_blind_dev33.txt",
    "near_domain_blind_dev34.txt",
    "near_domain_blind_dev35.txt",
    "near_domain_blind_dev36.txt",
    "near_domain_blind_dev37.txt",
    "near_domain_blind_dev38.txt",
    "near_domain_blind_dev39.txt",
    "near_domain_blind_dev40.txt",
    "near_domain_blind_dev41.txt",
    "near_domain_blind_dev42.txt",
    "near_domain_blind_dev43.txt",
    "near_domain_blind_dev44.txt",
    "near_domain_blind_dev45.txt",
    "near_domain_blind_dev46.txt",
    "near_domain_blind_dev47.txt",
    "near_domain_blind_dev48.txt",
    "near_domain_blind_dev49.txt",
    "near_domain_blind_dev50.txt",
    "near_domain_blind_dev51.txt",
    "near_domain_blind_dev52.txt",
    "near_domain_blind_dev53.txt",
    "near_domain_blind_dev54.txt",
    "near_domain_blind_dev55.txt",
)
HELD_OUT_DECLINES = (
    "near_domain_blind_holdout.txt",
    "near_domain_blind_holdout3.txt",
    "near_domain_blind_holdout4.txt",
    "near_domain_blind_holdout5.txt",
    "near_domain_blind_holdout6.txt",
    "near_domain_blind_holdout7.txt",
    "near_domain_blind_holdout8.txt",
    "near_domain_blind_holdout9.txt",
    "near_domain_blind_holdout10.txt",
    "near_domain_blind_holdout11.txt",
    "near_domain_blind_holdout12.txt",
    "near_domain_blind_holdout13.txt",
    "near_domain_blind_holdout14.txt",
    "near_domain_blind_holdout15.txt",
    "near_domain_blind_holdout16.txt",
    "near_domain_blind_holdout17.txt",
    "near_domain_blind_holdout18.txt",
    "near_domain_blind_holdout19.txt",
    "near_domain_blind_holdout20.txt",
    "near_domain_blind_holdout21.txt",
    "near_domain_blind_holdout22.txt",
    "near_domain_blind_holdout23.txt",
    "near_domain_blind_holdout24.txt",
    "near_domain_blind_holdout25.txt",
    "near_domain_blind_holdout26.txt",
    "near_domain_blind_holdout27.txt",
    "near_domain_blind_holdout28.txt",
    "near_domain_blind_holdout29.txt",
    "near_domain_blind_holdout30.txt",
    "near_domain_blind_holdout31.txt",
    "near_domain_blind_holdout32.txt",
    "near_domain_blind_holdout33.txt",
    "near_domain_blind_holdout34.txt",
    "near_domain_blind_holdout35.txt",
    "near_domain_blind_holdout36.txt",
    "near_domain_blind_holdout37.txt",
    "near_domain_blind_holdout38.txt",
    "near_domain_blind_holdout39.txt",
)
# A fixed third of each blind development set, read by a reader whose facet model learnt without
# them: how the development work generalises, next to the held-out sets.
ASIDE_SETS = tuple(name for name in DEV_SETS if name.startswith("blind_dev"))
# The same third of the near-domain development sets written to tune declines on (those from
# near_domain_blind_dev10 on).
ASIDE_DECLINES = DEV_DECLINES[DEV_DECLINES.index("near_domain_blind_dev10.txt") :]
SWEEPS: dict[str, tuple[float, ...]] = {
    "typo_cutoff": (0.7, 0.75, 0.8, 0.85, 0.9),
    "duty_cutoff": (70.0, 80.0, 86.0, 90.0, 95.0),
    "nearest_cutoff": (50.0, 60.0, 70.0, 80.0),
    "min_coverage": (0.5, 0.6, 0.7, 0.8, 0.9),
}

# The longest question a typing slip is put into (long ones have words enough to spare one).
_TYPO_LENGTH = 120
# Where a checkout keeps the labelled sets; ``rolebot eval`` defaults to them when they exist.
REPO = CHECKOUT
DATA = REPO / "tests" / "data"
SHARED_DATA = REPO.parent / "shared" / "data"
OUT_OF_SCOPE = SHARED_DATA / "out_of_scope_dev.txt"


@dataclass(frozen=True, slots=True)
class Case:
    """A labelled question; ``prev`` is the reading it follows, for follow-up cases."""

    question: str
    expected: Reading
    prev: Reading | None = None


@dataclass(slots=True)
class Score:
    total: int = 0
    right: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 0.0


def _reading(item: dict[str, Any]) -> Reading:
    return Reading(
        item["intent"],
        roles=tuple(item.get("roles") or ()),
        facet=item.get("facet"),
        topic=item.get("topic"),
    )


def load_cases(path: Path) -> list[Case]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Case(
            item["q"],
            _reading(item),
            _reading(item["prev_reading"]) if "prev_reading" in item else None,
        )
        for item in items
    ]


def load_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# Intents that answer a question labelled with the key just as well. The labelled sets were
# written before ``recommend`` existed, so "which role suits me?" is labelled ``which_role``;
# both answer with roles ranked best first. From stop 25 on, the other way round too: "I
# know every distributor up there, which role works with them?" answered as "who works with
# distributors?" names the role with the fact that shows it, as the recommendation would.
# A role's facet where the articles disagree ("is AE entry level? one article says yes,
# another no. which is it?") is answered by where they disagree on it, which the facet's own
# answer shows too.
_ALSO_RIGHT = {
    "which_role": frozenset({"which_role", "recommend"}),
    "recommend": frozenset({"recommend", "which_role"}),
    "role_info": frozenset({"role_info", "disputes"}),
}
# What a message of small talk is met with instead of a decline.
_SMALL_TALK = frozenset({"help", "thanks"})


def _facet(reading: Reading) -> str | None:
    """A role's overview and the whole role are one reading: both answer "what is an AE?" with
    the role's definition and overview, and writers label the same question both ways ("tell me
    about the sales manager role")."""
    if reading.intent == "role_info" and reading.facet is None:
        return "overview"
    return reading.facet


def names_no_covered_role(reading: Reading) -> bool:
    """Whether a reading is of a role the articles do not describe, which the answer says
    ("None of the five articles describes the Sales Engineer role ..."), naming the roles
    they do: an answer, not a decline."""
    return reading.uncovered is not None or reading.step is not None


def matches(got: Reading, expected: Reading) -> bool:
    """All of intent, roles, facet and topic right (a role's overview and the whole role
    alike); for which_role and recommend, the best role right (for which_role, a
    recommendation with that role first is right too, and for recommend, a "who does X?" reading
    with it first); for a topic, the topic: its answer is
    the same whatever roles the question names beside it ("pros and cons of freelance account
    management?"), and writers label those both ways. A question about a role the articles
    do not describe, labelled as about no role, is read right when the reading names that
    role as not covered; one about a person the articles quote, when the answer leads with
    that person (a person's advice is answered with the role's facet it is about)."""
    if expected.intent == "role_info" and not expected.roles:
        return names_no_covered_role(got)
    if expected.intent == "person" and got.intent in {"person", "role_info"}:
        return got.person is not None
    intents = _ALSO_RIGHT.get(expected.intent, frozenset({expected.intent}))
    if got.intent not in intents or got.topic != expected.topic:
        return False
    if _facet(got) != _facet(expected):
        return False
    if expected.intent in {"topic", "list_roles"}:
        # (a list's roles are those it leaves out, "any roles besides AE and AM?", which the
        # sets do not label)
        return True
    if expected.intent in {"which_role", "recommend"}:
        return got.roles[:1] == expected.roles[:1]
    return got.roles == expected.roles


def declines(reading: Reading) -> bool:
    """Whether a reading is met with a decline (one of a role the articles do not describe
    is answered with the roles they do)."""
    return reading.intent == "unknown" and not names_no_covered_role(reading)


def _describe(reading: Reading) -> str:
    parts = [reading.intent, ",".join(reading.roles) or "-", reading.facet or "-"]
    return " ".join([*parts, reading.topic or "-"])


def score_readings(read: Callable[[Case], Reading], cases: Iterable[Case]) -> Score:
    score = Score()
    for case in cases:
        got = read(case)
        score.total += 1
        if matches(got, case.expected):
            score.right += 1
        else:
            score.misses.append((case.question, _describe(case.expected), _describe(got)))
    return score


def score_declines(read: Callable[[str], Reading], questions: Iterable[str]) -> Score:
    score = Score()
    for question in questions:
        got = read(question)
        score.total += 1
        if got.intent == "unknown":
            score.right += 1
        else:
            score.misses.append((question, "unknown", _describe(got)))
    return score


def report(
    reader: Reader, data: Path, out_of_scope: Path | None, *, show: int = 0
) -> dict[str, float]:
    """Print the figures for the sets in ``data`` (and CLINC150's, if given); returns them."""
    figures: dict[str, float] = {}

    def line(name: str, score: Score, what: str) -> None:
        figures[name] = score.rate
        print(f"{what:<48} {score.right:>4}/{score.total:<4} {score.rate:7.2%}")
        for question, want, got in score.misses[:show]:
            print(f"    {question!r}\n        want {want}\n        got  {got}")

    def scored(name: str, read: Reader, cases: list[Case], what: str, hidden: bool) -> None:
        """One set's line; misses of questions held out or aside are never listed (reading
        them would be tuning on them)."""
        readings = {c.question: read.read(c.question) for c in cases}
        score = score_readings(lambda c: readings[c.question], cases)
        held = {c.question for c in cases} if hidden else set()
        if name in {f.removesuffix(".yaml") for f in ASIDE_SETS}:
            held |= {c.question for c in cases if set_aside(c.question)}
        score.misses = [m for m in score.misses if m[0] not in held]
        line(name, score, what)
        declined = sum(1 for c in cases if declines(readings[c.question]))
        figures[f"{name}_declined"] = declined / len(cases)
        print(
            f"{'  of which wrongly declined':<48} {declined:>4}/{len(cases):<4} "
            f"{declined / len(cases):7.2%}"
        )

    sets = {f: load_cases(data / f) for f in {**DEV_SETS, **HELD_OUT_SETS} if (data / f).exists()}
    for file, cases in sets.items():
        what = DEV_SETS.get(file) or HELD_OUT_SETS[file]
        scored(file.removesuffix(".yaml"), reader, cases, what, file in HELD_OUT_SETS)
    aside = {f: [c for c in sets[f] if set_aside(c.question)] for f in ASIDE_SETS if f in sets}
    if any(aside.values()):
        left_out = [c for cases in aside.values() for c in cases]
        apart = Reader(reader.knowledge, facet_model=FacetModel(train(_training(data, left_out))))
        for file, cases in aside.items():
            name = file.removesuffix(".yaml")
            scored(f"{name}_aside", apart, cases, f"held-aside third of {name}", True)
    followups = load_cases(data / "followups.yaml")
    line(
        "followups",
        score_readings(lambda c: reader.read(c.question, context=c.prev), followups),
        "follow-up reading accuracy (with context)",
    )
    if out_of_scope is not None:
        line(
            "out_of_scope",
            score_declines(reader.read, load_lines(out_of_scope)),
            "out-of-scope (CLINC150) declined",
        )
    for name in (*DEV_DECLINES, *HELD_OUT_DECLINES):
        if (data / name).exists():
            questions = load_lines(data / name)
            score = score_declines(reader.read, questions)
            score.misses = [
                m
                for m in score.misses
                if name not in HELD_OUT_DECLINES
                and not (name in ASIDE_DECLINES and set_aside(m[0]))
            ]
            line(name.removesuffix(".txt"), score, f"near-domain declined ({name})")
            # small talk ("good morning :sunny:", "thanks!") gets the help or a short reply:
            # counted as not declined, and said apart
            small = sum(1 for q in questions if reader.read(q).intent in _SMALL_TALK)
            what = "  of the rest, met with the help or thanks"
            print(f"{what:<48} {small:>4}/{len(questions):<4}")
            if name in ASIDE_DECLINES:
                third = score_declines(reader.read, [q for q in questions if set_aside(q)])
                third.misses = []
                what = f"held-aside third of {name.removesuffix('.txt')} declined"
                line(f"{name.removesuffix('.txt')}_aside", third, what)
    return figures


def _rates(reader: Reader, cases: list[Case], declines: list[str]) -> tuple[float, float]:
    """How often ``reader`` reads ``cases`` right, and declines ``declines``."""
    right = score_readings(lambda c: reader.read(c.question), cases)
    return right.rate, score_declines(reader.read, declines).rate


def sweep(knowledge: Knowledge, data: Path, out_of_scope: Path | None) -> None:
    """Print accuracy and decline rates on the development sets (only) for each threshold value."""
    cases = [c for name in DEV_SETS if (data / name).exists() for c in load_cases(data / name)]
    declines = [
        q for name in DEV_DECLINES if (data / name).exists() for q in load_lines(data / name)
    ]
    declines += load_lines(out_of_scope) if out_of_scope is not None else []
    print(f"{'threshold':<14}{'value':>7}{'in-scope right':>16}{'declined right':>16}")
    for name, values in SWEEPS.items():
        for value in values:
            setting: dict[str, Any] = {name: value}
            right, declined = _rates(Reader(knowledge, **setting), cases, declines)
            print(f"{name:<14}{value:>7}{right:>16.2%}{declined:>16.2%}")


def _misspelt(word: str, rnd: random.Random) -> str:
    """``word`` with one typing slip: two letters swapped, one dropped, doubled or replaced."""
    i = rnd.randrange(1, len(word) - 1)
    slip = rnd.choice(["swap", "drop", "double", "replace"])
    if slip == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if slip == "drop":
        return word[:i] + word[i + 1 :]
    if slip == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rnd.choice("aeiourstnl") + word[i + 1 :]


def typo_robustness(reader: Reader, data: Path, *, seed: int = 0) -> Score:
    """How many development questions read right still are with one slip typed into one of
    their words of five letters or more (questions in other scripts, long ones and the
    held-aside thirds left out); the same slips for the same ``seed``."""
    rnd = random.Random(seed)  # noqa: S311 (repeatable slips, not secrets)
    slipped: list[Case] = []
    for name in DEV_SETS:
        cases = load_cases(data / name) if name in ASIDE_SETS and (data / name).exists() else []
        for case in cases:
            words = case.question.split()
            long = [i for i, w in enumerate(words) if w.isascii() and w.isalpha() and len(w) >= 5]
            plain = case.question.isascii() and len(case.question) <= _TYPO_LENGTH
            if set_aside(case.question) or not (plain and long):
                continue
            if not matches(reader.read(case.question), case.expected):
                continue
            at = rnd.choice(long)
            words[at] = _misspelt(words[at], rnd)
            slipped.append(replace(case, question=" ".join(words)))
    return score_readings(lambda c: reader.read(c.question), slipped)


def set_aside(question: str) -> bool:
    """Whether a question of the blind development set is in its held-aside third."""
    return int(hashlib.md5(question.encode()).hexdigest(), 16) % 3 == 0  # noqa: S324


def _training(data: Path, leave_out: Iterable[Case]) -> list[tuple[str, str | None]]:
    """The facet model's examples from the development sets in ``data``, without some."""
    left = {c.question for c in leave_out}
    return [
        (case.question, case.expected.facet)
        for name in DEV_SETS
        if (data / name).exists()
        for case in load_cases(data / name)
        if case.expected.intent in FACETED and case.question not in left
    ]


def facet_training_data(names: Iterable[str] = DEV_SETS) -> list[tuple[str, str | None]]:
    """The questions the facet model learns from: the facets of the development sets."""
    return [
        (case.question, case.expected.facet)
        for name in names
        for case in load_cases(DATA / name)
        if case.expected.intent in FACETED
    ]


def write_facet_model(path: Path = MODEL_FILE) -> int:
    """Rewrite the facet model's file from the development sets; returns its feature count."""
    data = train(facet_training_data())
    path.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", "utf-8")
    return len(data["counts"])


if __name__ == "__main__":
    if sys.argv[1:] != ["--facet-model"]:
        sys.exit("usage: python -m bot.evaluate --facet-model")
    print(f"{MODEL_FILE}: {write_facet_model()} features")
