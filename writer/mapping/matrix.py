"""Mapping in bulk: every passage against every section at once, with numpy.

Pure array arithmetic, no knowledge of passages or outlines: ``scoring.map_corpus``
hands in the term counts and the rules' constants, and gets back a passages ×
sections matrix of scores and each passage's decision.  The arithmetic is the
scalar path's (``scoring._score``, ``Policy.decide``) operation for operation and in
the same order, so the floats are the same to the last bit, not merely close; a
test compares the two paths on the seeds and on a generated corpus.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TermColumn:
    """One term's occurrences: the passages (rows) that contain it, how often, and
    whether their lead phrase contains it too."""

    rows: np.ndarray  # int64, ascending, unique
    tf: np.ndarray  # float64 count in the text
    in_lead: np.ndarray  # bool


def own_scores(
    n: int,
    sections: list[list[tuple[int, float]]],
    columns: list[TermColumn],
    base: np.ndarray,
    lead_weight: float,
    extra: list[tuple[np.ndarray, list[np.ndarray]]],
    start: list[np.ndarray],
) -> np.ndarray:
    """Passages × sections: each section's keyword evidence, then its extra parts.

    ``sections[j]`` lists (term column, weight × idf) in the section's term order;
    ``base[i]`` is ``1.2 * length_norm ** -1`` of passage i (the saturation's
    denominator without tf); ``extra[j]`` is (rows, [parts in the order they are
    added]) — the mechanisms a passage sets up that count for the section; ``start[j]``
    what each passage's score begins with (a lead naming the section's topic)."""
    out = np.zeros((n, len(sections)), dtype=np.float64)
    for j, terms in enumerate(sections):
        score = start[j].copy()
        for col, w_idf in terms:
            c = columns[col]
            if not len(c.rows):
                continue
            sat = c.tf * 2.2 / (c.tf + base[c.rows])
            part = w_idf * sat
            part = np.where(c.in_lead, part + w_idf * lead_weight, part)
            score[c.rows] += part
        rows, parts = extra[j]
        for add in parts:
            score[rows] += add
        out[:, j] = score
    return out


@dataclass(frozen=True)
class Rules:
    """The decision's constants (``scoring``'s, passed in)."""

    threshold: float
    override_margin: float
    override_ratio: float
    modest_floor: float
    modest_ratio: float
    split_ratio: float


# reason codes of ``decide``
ASSIGNED, FOLLOWS_HEADING, OVERRIDES_HEADING, CLEAR_LEAD, BELOW, SHORT_FOLLOWS = 0, 1, 2, 3, 4, 5
FOLLOWS_NEXT = 6  # set after ``decide``: a line heading the paragraph after it goes where that goes


def decide(
    own: np.ndarray,
    shown: np.ndarray,
    heading: np.ndarray,
    sub_point: np.ndarray,
    short: np.ndarray,
    order: np.ndarray,
    rules: Rules,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``Policy.decide`` for passages with no pin, ban, exclusion or special kind:
    (section index or -1, reason code, runner-up index or -1) per passage.

    ``own`` is each passage's own evidence, ``shown`` the rounded totals with the
    heading's share; ``heading`` the section index its heading points to (-1: none);
    ``sub_point`` whether it is a point of its heading (a lead, a number, a short
    sentence: it inherits the heading with no term of its own, and modest but clear
    evidence places it); ``short`` a short one-sentence point; ``order`` the
    section indices sorted by section id (ties between equal scores go to the
    smaller id, as ``sorted(key=(-score, id))`` does)."""
    n, s = own.shape
    rows = np.arange(n)
    by_id = own[:, order]
    # stable sort on -score within columns already in id order: (-score, id) ranking
    rank = np.argsort(-by_id, axis=1, kind="stable")
    first = order[rank[:, 0]]
    second = order[rank[:, 1]] if s > 1 else np.full(n, -1)
    top = own[rows, first]
    runner = own[rows, second] if s > 1 else np.zeros(n)
    has_heading = heading >= 0
    h = np.where(has_heading, heading, 0)
    inherited = np.where(has_heading, own[rows, h], 0.0)
    said = (top > 0) | sub_point
    follows = has_heading & said & (shown[rows, h] >= rules.threshold)
    overrides = follows & (top - inherited >= rules.override_margin) & (top >= rules.override_ratio * inherited)
    plain = ~follows & (top >= rules.threshold)
    modest = ~follows & ~plain & sub_point & (top >= rules.modest_floor) & (top >= rules.modest_ratio * runner)
    short_follows = ~follows & ~plain & ~modest & has_heading & (top < rules.modest_floor) & short
    section = np.full(n, -1)
    reason = np.full(n, BELOW)
    section[plain] = first[plain]
    reason[plain] = ASSIGNED
    section[modest] = first[modest]
    reason[modest] = CLEAR_LEAD
    section[short_follows] = heading[short_follows]
    reason[short_follows] = SHORT_FOLLOWS
    stay = follows & ~overrides
    section[stay] = heading[stay]
    reason[stay] = FOLLOWS_HEADING
    section[overrides] = first[overrides]
    reason[overrides] = OVERRIDES_HEADING
    # the runner-up: the best other section in the ranking
    other = np.where(section == first, second, first)
    chosen = np.where(section >= 0, section, 0)
    other_ok = other >= 0
    o = np.where(other_ok, other, 0)
    own_other = own[rows, o]
    split = (
        (section >= 0)
        & other_ok
        & (own_other >= rules.threshold)
        & (own_other >= rules.split_ratio * own[rows, chosen])
    )
    runner_up = np.where(split, other, -1)
    return section, reason, runner_up
