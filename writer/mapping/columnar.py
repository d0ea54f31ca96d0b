"""A mapping kept as columns: assignments made only for the passages someone reads.

The vectorised path decides 100,000 passages in arrays (``scoring._vectorised``); making
an ``Assignment`` (with its dict of scores) for each of them cost more than the
decisions.  ``ColumnMapping`` answers what ``scoring.Mapping`` answers — ``assignment``,
``in_section``, ``pinned_in``, ``unassigned``, ``assignments`` — making each passage's
``Assignment`` the first time it is asked for and keeping it (so the same object comes
back: ``mapping.assignment(pid) is a`` holds as for ``Mapping``).  ``ranked``, ``counts``
and ``row`` serve ``writer map`` without making the rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from typing import Any

from writer.mapping import matrix
from writer.mapping.result import PINNED, Assignment, Mapping

# ``matrix.decide``'s reason codes as ``Policy.decide`` words them
_REASONS = ("", "随标题", "本段证据明显指向别处", "明显领先", "低于阈值", "短句随标题", "随下文")


@dataclass
class Decided:
    """The vectorised decisions, as columns: per passage the chosen section (index into
    ``ids``, -1: none), the shown scores (passages × sections), the reason code and the
    runner-up of ``matrix.decide``, the heading section; ``special`` holds ``Policy.decide``'s
    (section, score, reason, runner-up) for the passages it decided itself."""

    ids: list[str]
    section: list[int]
    shown: Any  # numpy array, passages × sections (float64)
    best: list[int]
    reason: list[int]
    runner_up: list[int]
    heading: list[str | None]
    special: dict[int, tuple[str | None, float, str, str | None]]

    def encode(self) -> bytes:
        import marshal
        from array import array

        heads: dict[str | None, int] = {}
        refs = [heads.setdefault(h, len(heads)) for h in self.heading]
        parts = (
            self.ids,
            array("q", self.section).tobytes(),
            self.shown.astype("<f8").tobytes(),
            array("q", self.best).tobytes(),
            array("q", self.reason).tobytes(),
            array("q", self.runner_up).tobytes(),
            (array("q", refs).tobytes(), list(heads)),
            self.special,
        )
        return marshal.dumps(parts)  # not compressed: a warm run reads it whole

    @classmethod
    def decode(cls, blob: bytes) -> Decided:
        import marshal
        from array import array

        ids, section, shown, best, reason, runner_up, (refs, heads), special = marshal.loads(blob)
        rows = array("q", section).tolist()
        matrix_ = matrix.np.frombuffer(shown, dtype="<f8").reshape(len(rows), len(ids))
        heading = [heads[k] for k in array("q", refs)]
        out = cls(ids, rows, matrix_, array("q", best).tolist(), array("q", reason).tolist(),
                  array("q", runner_up).tolist(), heading, special)  # fmt: skip
        if not len(out.best) == len(out.reason) == len(out.runner_up) == len(heading) == len(rows):
            raise ValueError("decisions of different lengths")
        return out


class ColumnMapping(Mapping):
    """A ``Mapping`` whose assignments are made on demand from ``Decided`` columns."""

    _ids: list[str]
    _decided: Decided
    _explain: Any  # scoring._Explainer: .sections, .terms(row, section id)
    _made: dict[int, Assignment]
    _row_of: dict[str, int] | None
    _all: tuple[Assignment, ...] | None
    _placed: tuple[list[str | None], list[float]] | None
    _grouped: tuple[Any, Any] | None  # each row's section number (-1: none) and score, as arrays
    _pinned: dict[str | None, set[str]] | None

    def __init__(self, outline, threshold: float, warnings: tuple[str, ...], ids: list[str], decided, explain):
        object.__setattr__(self, "outline", outline)
        object.__setattr__(self, "threshold", threshold)
        object.__setattr__(self, "warnings", warnings)
        object.__setattr__(self, "_ids", ids)
        object.__setattr__(self, "_decided", decided)
        object.__setattr__(self, "_explain", explain)
        object.__setattr__(self, "_made", {})
        object.__setattr__(self, "_row_of", None)
        object.__setattr__(self, "_all", None)
        object.__setattr__(self, "_placed", None)
        object.__setattr__(self, "_grouped", None)
        object.__setattr__(self, "_pinned", None)

    # ------------------------------------------------------------ Mapping's interface

    @property  # type: ignore[override]
    def assignments(self) -> tuple[Assignment, ...]:
        if self._all is None:
            object.__setattr__(self, "_all", tuple(self._get(i) for i in range(len(self._ids))))
        assert self._all is not None
        return self._all

    @property  # type: ignore[override]
    def by_id(self) -> dict[str, Assignment]:
        return {pid: self._get(i) for pid, i in self._rows().items()}

    def assignment(self, passage_id: str) -> Assignment | None:
        i = self._rows().get(passage_id)
        return None if i is None else self._get(i)

    def in_section(self, section_id: str) -> list[Assignment]:
        return [self._get(i) for i in self.ranked(section_id)]

    def pinned_in(self, section_id: str) -> set[str]:
        if self._pinned is None:
            pinned: dict[str | None, set[str]] = {}
            for i, (sec, _, why, _) in self._decided.special.items():
                if why == PINNED:
                    pinned.setdefault(sec, set()).add(self._ids[i])
            object.__setattr__(self, "_pinned", pinned)
        assert self._pinned is not None
        return set(self._pinned.get(section_id, ()))

    def unassigned(self) -> list[Assignment]:
        return [self._get(i) for i in range(len(self._ids)) if self.section_of(i) is None]

    # ------------------------------------------------------------ columns

    def section_of(self, i: int) -> str | None:
        return self._placement()[0][i]

    def ranked(self, section_id: str | None) -> list[int]:
        """Rows placed in a section (None: the unassigned), best first; ties in corpus order."""
        np = matrix.np
        section, scores = self._arrays()
        j = (
            self._decided.ids.index(section_id)
            if section_id in self._decided.ids
            else (-1 if section_id is None else -2)
        )
        rows = np.flatnonzero(section == j)
        return rows[np.argsort(-scores[rows], kind="stable")].tolist()

    def counts(self) -> Counter:
        """Passages per section id (None: unassigned)."""
        return Counter(self._placement()[0])

    def reason_of(self, i: int) -> str:
        """Row i's reason, as its assignment gives it (without making the assignment)."""
        d = self._decided
        special = d.special.get(i)
        if special is not None:
            return special[2]
        if d.section[i] < 0:
            return _REASONS[matrix.BELOW]
        why = _REASONS[d.reason[i]]
        return (why + "；" if why else "") + "两可" if d.runner_up[i] >= 0 else why

    def fresh(self, passage_id: str) -> Assignment | None:
        """``assignment(passage_id)``, made afresh unless made before and not kept."""
        i = self._rows().get(passage_id)
        return None if i is None else self.row(i)

    def at(self, i: int) -> Assignment:
        """Row i's assignment, kept (the same object ``assignment`` and ``in_section`` give)."""
        return self._get(i)

    def row(self, i: int) -> Assignment:
        """Row i's assignment, made afresh and not kept (for writing every row once)."""
        made = self._made.get(i)
        return made if made is not None else self._make(i)

    # ------------------------------------------------------------ making assignments

    def _rows(self) -> dict[str, int]:
        if self._row_of is None:
            # the last row of an id wins, as in ``Mapping.by_id``
            object.__setattr__(self, "_row_of", {pid: i for i, pid in enumerate(self._ids)})
        assert self._row_of is not None
        return self._row_of

    def _get(self, i: int) -> Assignment:
        made = self._made.get(i)
        if made is None:
            made = self._made[i] = self._make(i)
        return made

    def _make(self, i: int) -> Assignment:
        section, score, scores, reason, runner_up, head = self.fields(i)
        return Assignment(self._ids[i], section, score, scores, _Evidence(self._explain, i), reason, runner_up, head)

    def fields(self, i: int) -> tuple[str | None, float, dict[str, float], str, str | None, str | None]:
        """Row i's (section, score, scores, reason, runner-up, heading section), as its
        assignment holds them."""
        d = self._decided
        row = d.shown[i].tolist()
        scores = dict(zip(d.ids, row))
        head = d.heading[i]
        special = d.special.get(i)
        if special is not None:
            sec, score, why, ru = special
            return sec, score, scores, why, ru, head
        j = d.section[i]
        if j < 0:
            return None, row[d.best[i]], scores, _REASONS[matrix.BELOW], None, head
        why = _REASONS[d.reason[i]]
        ru = d.ids[d.runner_up[i]] if d.runner_up[i] >= 0 else None
        if ru is not None:
            why = (why + "；" if why else "") + "两可"
        return d.ids[j], row[j], scores, why, ru, head

    def evidence_in_order(self, rows: list[int], texts: Iterable[str] | None = None) -> Iterator[list[str]]:
        """For each of ``rows`` (``map --json``'s: every row, or the last row of its id), that
        row's evidence for its section (its best when unplaced): kept with the decisions, so
        that a warm run builds none.  ``texts``, when given, are the rows' texts in the same
        order (a row of the same id has the same text): read in order, not looked up."""
        d = self._decided
        if not d.ids:
            return iter([[] for _ in rows])
        sections = [d.ids[j] if j >= 0 else d.ids[b] for j, b in zip(d.section, d.best)]
        for i, (sec, _, _, _) in d.special.items():
            sections[i] = sec if sec is not None else d.ids[d.best[i]]
        return self._explain.rows([(k, sections[k]) for k in rows], texts)

    def evidence(self, i: int, section_id: str) -> list[str]:
        """Row i's evidence for a section (``[]`` for an unknown section), not kept."""
        return self._explain.terms(i, section_id) if section_id in self._explain.sections else []

    def _arrays(self) -> tuple[Any, Any]:
        """Each row's section number (-1: none) and score, as ``_make`` would give them, as arrays."""
        if self._grouped is None:
            np = matrix.np
            d = self._decided
            n = len(d.section)
            section = np.array(d.section, dtype=np.int64)
            picked = np.where(section >= 0, section, np.array(d.best, dtype=np.int64))
            scores = d.shown[np.arange(n), picked] if n else np.zeros(0)
            number = {sid: j for j, sid in enumerate(d.ids)}
            for i, (sec, score, _, _) in d.special.items():
                section[i] = number[sec] if sec is not None else -1
                scores[i] = score
            object.__setattr__(self, "_grouped", (section, scores))
        assert self._grouped is not None
        return self._grouped

    def _placement(self) -> tuple[list[str | None], list[float]]:
        """Each row's section id (or None) and its score, as lists."""
        if self._placed is None:
            section, scores = self._arrays()
            names: list[str | None] = [*self._decided.ids, None]
            object.__setattr__(self, "_placed", ([names[j] for j in section.tolist()], scores.tolist()))
        assert self._placed is not None
        return self._placed


class _Evidence(MappingABC):
    """An assignment's evidence (section id → strings), each section's built on first use."""

    __slots__ = ("_explain", "_i", "_terms")

    def __init__(self, explain: Any, i: int):
        self._explain, self._i = explain, i
        self._terms: dict[str, list[str]] = {}

    def __getitem__(self, key: str) -> list[str]:
        hit = self._terms.get(key)
        if hit is None:
            if key not in self._explain.sections:
                raise KeyError(key)
            hit = self._terms[key] = self._explain.terms(self._i, key)
        return hit

    def __iter__(self):
        return iter(self._explain.sections)

    def __len__(self) -> int:
        return len(self._explain.sections)

    def __repr__(self) -> str:
        return repr(dict(self))
