"""Which facet a question asks about, from a naive Bayes model over word and character n-grams.

Keywords find roles and intents well but miss the many ways people name a facet ("what am I
on the hook for?", "do they travel a lot?"). The model is trained offline on the labelled
development sets (``python -m bot.evaluate --facet-model`` rewrites ``facet_model.json``; a
test checks the file is what the sets give) and only read at start-up: no heavy imports.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from itertools import pairwise
from pathlib import Path
from typing import Any

from bot.understanding.lexicon import stem
from bot.understanding.normalize import clean, tokenize, unglued

__all__ = ["FACETED", "MODEL_FILE", "FacetModel", "features", "train"]

MODEL_FILE = Path(__file__).with_name("facet_model.json")
# The intents whose readings carry a facet the model chooses.
FACETED = frozenset({"role_info", "compare", "clarify"})
# The label of questions that name no facet ("tell me about SDRs").
NO_FACET = "-"
# Additive smoothing and the least number of training questions a feature must occur in.
_ALPHA = 0.2
_MIN_COUNT = 2
_CHAR_SIZES = (3, 4)


def features(text: str) -> set[str]:
    """Word stems, stem pairs and character n-grams of a question."""
    tokens = tokenize(unglued(clean(text)).casefold())
    words = [t.text for t in tokens if t.text not in {"?", "/", "="}]
    stems = [stem(w) for w in words]
    found = {f"w:{s}" for s in stems}
    found.update(f"b:{a}_{b}" for a, b in pairwise(stems))
    padded = f" {' '.join(words)} "
    for size in _CHAR_SIZES:
        found.update(f"c:{padded[i : i + size]}" for i in range(len(padded) - size + 1))
    return found


class FacetModel:
    """Multinomial naive Bayes over the features' presence.

    The file holds, per feature, the training questions of each label that have it
    (``[label, count, label, count, ...]``), so loading it is a plain JSON read.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.labels: tuple[str, ...] = tuple(data["labels"])
        self._counts: Mapping[str, list[int]] = data["counts"]
        totals = [0] * len(self.labels)
        for pairs in self._counts.values():
            for i in range(0, len(pairs), 2):
                totals[pairs[i]] += pairs[i + 1]
        questions: list[int] = data["questions"]
        smoothed = [math.log(t + _ALPHA * len(self._counts)) for t in totals]
        self._prior = [math.log(n / sum(questions)) for n in questions]
        # what each known feature adds to a label that never saw it, and to one that did
        self._unseen = [math.log(_ALPHA) - d for d in smoothed]
        self._seen = [math.log(c + _ALPHA) - math.log(_ALPHA) for c in range(max(questions) + 1)]

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> FacetModel:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def facet(self, text: str, among: Collection[str] = ()) -> str | None:
        """The facet the question most likely asks about (of ``among``, if given), or None."""
        known = [self._counts[f] for f in features(text) if f in self._counts]
        scores = [p + len(known) * u for p, u in zip(self._prior, self._unseen, strict=True)]
        seen = self._seen
        for pairs in known:
            for i in range(0, len(pairs), 2):
                scores[pairs[i]] += seen[pairs[i + 1]]
        labels = self.labels
        allowed = [i for i, label in enumerate(labels) if not among or label in among]
        best = labels[max(allowed or range(len(labels)), key=scores.__getitem__)]
        return None if best == NO_FACET else best


def train(examples: Iterable[tuple[str, str | None]]) -> dict[str, Any]:
    """The model's data (JSON-ready) from (question, facet or None) pairs."""
    pairs = [(features(q), facet or NO_FACET) for q, facet in examples]
    labels = sorted({label for _, label in pairs})
    index = {label: i for i, label in enumerate(labels)}
    seen: Counter[str] = Counter(f for found, _ in pairs for f in found)
    counts: dict[str, Counter[int]] = {}
    for found, label in pairs:
        for f in found:
            if seen[f] >= _MIN_COUNT:
                counts.setdefault(f, Counter())[index[label]] += 1
    questions = Counter(index[label] for _, label in pairs)
    return {
        "labels": labels,
        "questions": [questions[i] for i in range(len(labels))],
        "counts": {
            f: [x for pair in sorted(c.items()) for x in pair] for f, c in sorted(counts.items())
        },
    }
