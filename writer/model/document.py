"""The laid-out document: a flat list of styled blocks, each with its sources.

Produced by ``writer.render.layout`` from a Report (or a digest) and the templates;
read by the Markdown writer and the .docx writer only.
"""

from __future__ import annotations

from dataclasses import dataclass

from writer.model.report import SourceRef

# Block kinds; the .docx writer maps them to Word's built-in styles.
TITLE = "title"  # Title
SUBTITLE = "subtitle"  # Subtitle ("——…")
UNIT = "unit"  # the unit line under the title
MEETING = "meeting"  # the meeting/date line (meeting.j2), under the unit line
HEADING = "heading"  # Heading 1–4 (level)
PARAGRAPH = "paragraph"  # Normal body paragraph
TABLE = "table"  # rows in Block.rows (first row = header)


@dataclass(frozen=True)
class Block:
    kind: str
    text: str = ""  # a title's lines are joined by "\n" (a line break inside the paragraph)
    level: int = 0  # for headings: 1–4
    refs: tuple[SourceRef, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()  # for tables
    template: bool = False  # written from a template, not from a source: marked for the editor
    emphasis: int = 0  # the first ``emphasis`` characters (an item's lead phrase) may be set in bold
    overflow: tuple[tuple[str, ...], ...] = ()  # for tables: rows left out of the printed table, sidecar only


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
    unit: str | None = None  # the speaking unit (the outline's ``unit``), for ``writer check``
    perspective: str | None = None  # 我院 / 本院 / 院党组 / 第三人称; None for a compilation
    notes: tuple[str, ...] = ()  # the draft's warnings (shortfalls, template text …), kept in the sidecar
