"""The report model: what composition produces and every writer reads.

Content only, no wording of headings and no format: ``writer.render.layout`` applies the
Jinja templates (heading patterns, item pattern, lead/closing) to turn a Report into
a ``writer.model.document.Document`` (a flat list of styled blocks with their sources),
which the Markdown and .docx writers render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from writer.model.corpus import Article, Passage, Source


@dataclass(frozen=True)
class SourceRef:
    """Where a piece of the draft came from."""

    passage_id: str
    path: str
    unit: str | None
    line_start: int
    line_end: int
    article: str | None = None  # article title

    @classmethod
    def of_passage(cls, source: Source, article: Article, passage: Passage) -> SourceRef:
        """The SourceRef of a passage (file, unit, lines, article title)."""
        loc = passage.location
        return cls(
            passage_id=passage.id,
            path=source.path,
            unit=article.unit,
            line_start=loc.line_start,
            line_end=loc.line_end,
            article=article.title,
        )

    def label(self) -> str:
        where = (
            f"第{self.line_start}行" if self.line_start == self.line_end else f"第{self.line_start}–{self.line_end}行"
        )
        unit = f"（{self.unit}）" if self.unit else ""
        return f"{self.path}{unit} {where} [{self.passage_id}]"


@dataclass(frozen=True)
class Item:
    """One practice under a section: a lead sentence and supporting sentences."""

    lead: str  # short lead sentence without enumerator and without final 。
    sentences: tuple[str, ...]  # supporting sentences, in source order, each ending in punctuation
    unit: str | None  # attribution for a multi-unit summary ("上海市检察院"), None for own unit
    refs: tuple[SourceRef, ...]


@dataclass(frozen=True)
class Section:
    id: str
    title: str  # the outline's heading text, e.g. "思想引领"
    items: tuple[Item, ...]
    subsections: tuple[Section, ...] = ()
    intro: Paragraph | None = None  # the section's own introductory sentence, under its heading


@dataclass(frozen=True)
class Paragraph:
    """An opening, closing or section-intro paragraph.  ``template`` marks text written
    from a template rather than taken from a source: the editor must check it."""

    text: str
    refs: tuple[SourceRef, ...] = ()
    template: bool = False


@dataclass(frozen=True)
class SectionTally:
    """How full one section of the draft is, for the summary and shortfall warnings."""

    label: str  # "一、思想引领" / "（二）党员队伍"
    items: int
    target: int  # the outline's max_items


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str | None
    unit: str | None
    lead: Paragraph | None
    sections: tuple[Section, ...]
    closing: Paragraph | None
    meeting: str | None = None
    date: str | None = None
    notes: tuple[str, ...] = field(default=())  # composition warnings, Chinese
    perspective: str = "第三人称"  # the voice the draft speaks in: 我院 / 本院 / 院党组 / 第三人称
    tallies: tuple[SectionTally, ...] = ()  # per leaf section, in outline order
    target_chars: int = 0  # the outline's length
    voice_replacements: int = 0  # names turned into the chosen voice (or another unit's 我院 into its name)

    @property
    def speaker(self) -> str:
        """Who the template text says does things: the chosen form (我院), else the unit's
        name, else 各单位 (a compilation of several units)."""
        if self.perspective != "第三人称" and self.unit:
            return self.perspective
        return self.unit or "各单位"

    @property
    def template_parts(self) -> tuple[str, ...]:
        """Which paragraphs are template text rather than taken from a source."""
        parts = (("开头", self.lead), ("结尾", self.closing))
        return tuple(name for name, para in parts if para is not None and para.template)
