"""What mapping produces: an ``Assignment`` per passage, gathered in a ``Mapping``.

(``scoring`` makes them; ``columnar.ColumnMapping`` is a ``Mapping`` that makes its
assignments on demand.)
"""

from __future__ import annotations

from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field

from writer.config.outline import Outline

PINNED = "固定归入"


@dataclass(frozen=True)
class Assignment:
    """Where one passage goes and why."""

    passage_id: str
    section: str | None  # section id or None (unassigned)
    score: float  # score in the chosen section (or the best one when unassigned)
    scores: dict[str, float]  # every section's score
    terms: MappingABC[str, list[str]]  # section id → evidence, e.g. ["第一议题×2", "标题:组织"]
    reason: str = ""  # why unassigned / pinned ("开头段", "固定归入", "低于阈值"…)
    runner_up: str | None = None  # a section nearly as likely (the passage is split between two)
    heading_section: str | None = None  # the section its heading points to, if any


@dataclass(frozen=True)
class Mapping:
    outline: Outline
    assignments: tuple[Assignment, ...]
    threshold: float
    by_id: dict[str, Assignment] = field(default_factory=dict, compare=False)
    warnings: tuple[str, ...] = ()  # pins (include/ban/exclude_passages) that matched nothing

    def assignment(self, passage_id: str) -> Assignment | None:
        return self.by_id.get(passage_id)

    def in_section(self, section_id: str) -> list[Assignment]:
        """Assigned passages of a section, best first."""
        return sorted((a for a in self.assignments if a.section == section_id), key=lambda a: -a.score)

    def pinned_in(self, section_id: str) -> set[str]:
        """Ids of the passages pinned into a section (by id or by text anchor)."""
        return {a.passage_id for a in self.assignments if a.section == section_id and a.reason == PINNED}

    def unassigned(self) -> list[Assignment]:
        return [a for a in self.assignments if a.section is None]
