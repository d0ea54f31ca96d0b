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
HEADING = "heading"  # Heading 1–4 (level)
PARAGRAPH = "paragraph"  # Normal body paragraph
TABLE = "table"  # rows in Block.rows (first row = header)


@dataclass(frozen=True)
class Block:
    kind: str
    text: str = ""
    level: int = 0  # for headings: 1–4
    refs: tuple[SourceRef, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()  # for tables


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
