"""Is this passage a unit's own practice?  A small learned model that checks the rules.

The rules say which section a passage's words point to; whether the passage tells what
a unit *does* (rather than news, background, results, a speech, a story) is what they
miss most on texts they were not written for.  This is a logistic regression over the
character pairs (bigrams) of the passage's text, trained on the project's hand-labelled
passages by ``eval/train_practice.py`` and shipped as a plain table of weights
(``data/model/practice.tsv``): no library and no download at run time.

The weights are integers (thousandths), so a passage's score is an exact integer sum:
the same in every path and on every machine.  ``scoring`` uses it after the rules have
decided — a placed passage the model is sure is not practice is left out ("不像做法"),
and a passage just short of the threshold that the model is sure is practice goes to its
best section ("像做法").
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass
from pathlib import Path

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "model" / "practice.tsv"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Model:
    """The weights and the decision points, as the training script wrote them."""

    bias: int  # thousandths of a logit
    weights: dict[str, int]  # bigram → thousandths of a logit
    out_below: int  # a placed passage scoring below this is left out
    in_above: int  # an unplaced passage scoring above this is placed …
    floor: float  # … when its best section's score reaches this


def bigrams(text: str) -> set[str]:
    """The model's features: the distinct character pairs of the text, lower-cased, with
    runs of white space read as one space (the training script uses this very function)."""
    t = _SPACE.sub(" ", text.lower())
    return set(map(operator.add, t, t[1:]))  # pairs made in C: a 10,000-article table scores in seconds


@functools.lru_cache(maxsize=1)
def model() -> Model:
    """The shipped model (read once)."""
    return read(MODEL_FILE)


def read(path: Path) -> Model:
    """A model file: ``#`` comment lines, then ``=key<TAB>value`` lines — ``bias``,
    ``out_below``, ``in_above`` and ``floor`` — then one ``bigram<TAB>weight`` line per
    bigram (a bigram may begin with "#": only the lines before the first value are comments)."""
    head: dict[str, str] = {}
    weights: dict[str, int] = {}
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next((k for k, line in enumerate(lines) if not line.startswith("#")), len(lines))
    for line in lines[start:]:
        if not line:
            continue
        key, _, value = line.rpartition("\t")
        if key.startswith("=") and len(key) > 2:  # a header value: "=bias<TAB>-120"
            head[key[1:]] = value
        else:
            weights[key] = int(value)
    return Model(int(head["bias"]), weights, int(head["out_below"]), int(head["in_above"]), float(head["floor"]))


def score(text: str) -> int:
    """The passage's score in thousandths of a logit (above 0: more likely practice)."""
    m = model()
    return m.bias + sum(filter(None, map(m.weights.get, bigrams(text))))


def probability(value: int) -> float:
    """A score as a probability (for people: "像做法 0.83")."""
    import math

    return 1.0 / (1.0 + math.exp(-value / 1000.0))


def telling(text: str, k: int = 4) -> tuple[list[str], list[str]]:
    """The bigrams that speak most for and most against practice in the text."""
    w = model().weights
    found = sorted((w[b], b) for b in bigrams(text) if b in w)
    pro = [b for v, b in reversed(found[-k:]) if v > 0]
    con = [b for v, b in found[:k] if v < 0]
    return pro, con
