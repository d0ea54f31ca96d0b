"""Lay a Report out as a Document: the templates decide the wording, this decides the order.

Order: title, subtitle (“——…”), unit line, lead paragraph, then per section a level-1
heading and its items, nested subsections one heading level deeper, then the closing.
Items render as run-in paragraphs (“一是……。”) or, with ``items: headings`` in
layout.yaml, as a sub-heading (the lead) followed by a paragraph (the sentences).
Every paragraph block carries the SourceRefs of what it was made from.
"""

from __future__ import annotations

from pathlib import Path

from writer.compose.digest import Digest
from writer.model.document import HEADING, PARAGRAPH, SUBTITLE, TITLE, UNIT, Block, Document
from writer.model.report import Item, Report, Section, SourceRef
from writer.render.templates import Templates
from writer.text.numerals import cn_number, ordinal

MAX_HEADING_LEVEL = 4
SUBTITLE_DASH = "——"

DIGEST_TEMPLATE_CONTEXT: dict[str, tuple[str, ...]] = {
    "editor_note.j2": ("note", "digest"),
    "entry_title.j2": ("entry", "index", "number", "digest"),
    "unit_line.j2": ("entry", "index", "digest"),
    "entry_body.j2": ("entry", "index", "digest"),
}


def layout_report(report: Report, templates: Templates) -> Document:
    """Turn a composed Report into a flat list of styled blocks with their sources."""
    blocks: list[Block] = [Block(TITLE, text=report.title.strip())]
    if report.subtitle and report.subtitle.strip():
        blocks.append(Block(SUBTITLE, text=subtitle_text(report.subtitle)))
    if report.unit and report.unit.strip():
        blocks.append(Block(UNIT, text=report.unit.strip()))
    if report.lead is not None:
        text = templates.render("lead.j2", lead=report.lead, report=report)
        if text:
            blocks.append(Block(PARAGRAPH, text=text, refs=report.lead.refs, template=report.lead.template))
    for index, section in enumerate(report.sections, start=1):
        blocks.extend(_section_blocks(section, index, 1, report, templates))
    if report.closing is not None:
        text = templates.render("closing.j2", closing=report.closing, report=report)
        if text:
            blocks.append(Block(PARAGRAPH, text=text, refs=report.closing.refs, template=report.closing.template))
    return Document(title=report.title.strip(), blocks=tuple(blocks), unit=report.unit, perspective=report.perspective)


def subtitle_text(subtitle: str) -> str:
    """“——…” prefix added when missing (a lone dash or hyphens are normalised)."""
    text = subtitle.strip().lstrip("—-－─ ").strip()
    return SUBTITLE_DASH + text


def _heading(
    level: int, index: int, section: Section, item: Item | None, text: str, report: Report, templates: Templates
) -> Block:
    level = min(level, MAX_HEADING_LEVEL)
    context = dict(number=cn_number(index), index=index, section=section, report=report, level=level)
    if level > 1:
        context.update(text=text, item=item)
    refs = item.refs if item is not None else ()
    return Block(HEADING, text=templates.render(f"heading{level}.j2", **context), level=level, refs=refs)


def _section_blocks(section: Section, index: int, level: int, report: Report, templates: Templates) -> list[Block]:
    blocks = [_heading(level, index, section, None, section.title, report, templates)]
    if section.intro is not None and section.intro.text:
        blocks.append(Block(PARAGRAPH, text=section.intro.text, refs=section.intro.refs))
    as_headings = templates.items_as_headings and level < MAX_HEADING_LEVEL
    for n, item in enumerate(section.items, start=1):
        context = dict(
            item=item,
            ordinal=ordinal(n),
            number=cn_number(n),
            index=n,
            run_in=not as_headings,
            section=section,
            report=report,
        )
        if as_headings:
            heading = _heading(level + 1, n, section, item, item.lead, report, templates)
            text = templates.render("item.j2", **context)
            if text:
                # the heading shows the lead; the paragraph carries the sources
                blocks.append(Block(HEADING, text=heading.text, level=heading.level))
                blocks.append(Block(PARAGRAPH, text=text, refs=_unique(item.refs)))
            else:
                blocks.append(heading)
        else:
            blocks.append(Block(PARAGRAPH, text=templates.render("item.j2", **context), refs=_unique(item.refs)))
    # subsections number on after items rendered as headings at the same level
    start = len(section.items) + 1 if as_headings else 1
    for n, sub in enumerate(section.subsections, start=start):
        blocks.extend(_section_blocks(sub, n, level + 1, report, templates))
    return blocks


def _unique(refs: tuple[SourceRef, ...]) -> tuple[SourceRef, ...]:
    """Same ref listed twice (two sentences of one passage) → once, order kept."""
    return tuple(dict.fromkeys(refs))


# ------------------------------------------------------------------ digest


def bundled_templates_dir() -> Path:
    from writer.config.paths import TEMPLATES_DIR

    return TEMPLATES_DIR / "digest"


def load_digest_templates(folder: Path | None = None) -> Templates:
    """templates/digest/, overridden file by file by ``folder`` (same checks as the draft's)."""
    from writer.render.templates import load_templates

    return load_templates(
        folder, bundled=bundled_templates_dir(), context=DIGEST_TEMPLATE_CONTEXT, layout_choices={}, layout_defaults={}
    )


def layout_digest(digest: Digest, templates: Templates) -> Document:
    """Title, editor's note, then per entry: title (Heading 1), unit line, condensed paragraph."""
    blocks: list[Block] = [Block(TITLE, text=digest.title)]
    if digest.editor_note:
        text = templates.render("editor_note.j2", note=digest.editor_note, digest=digest)
        if text:
            blocks.append(Block(PARAGRAPH, text=text, refs=digest.editor_note_refs))
    for index, entry in enumerate(digest.entries, start=1):
        title = templates.render("entry_title.j2", entry=entry, index=index, number=cn_number(index), digest=digest)
        blocks.append(Block(HEADING, text=title, level=1))
        if entry.unit:
            unit = templates.render("unit_line.j2", entry=entry, index=index, digest=digest)
            if unit:
                blocks.append(Block(UNIT, text=unit))
        body = templates.render("entry_body.j2", entry=entry, index=index, digest=digest)
        blocks.append(Block(PARAGRAPH, text=body, refs=tuple(dict.fromkeys(entry.refs))))
    return Document(title=digest.title, blocks=tuple(blocks))
