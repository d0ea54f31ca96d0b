"""Lay a Report out as a Document: the templates decide the wording, this decides the order.

Order: title, subtitle (“——…”), unit line, lead paragraph, then per section a level-1
heading and its items, nested subsections one heading level deeper, then the closing.
Items render as run-in paragraphs (“一是……。”) or, with ``items: headings`` in
layout.yaml, as a sub-heading (the lead) followed by a paragraph (the sentences).
Every paragraph block carries the SourceRefs of what it was made from.

Front matter: a title wider than one line of the type area is broken once at a
phrase boundary (``title_lines``) and carried as lines joined by "\n"; the meeting
line (meeting.j2, from the outline's ``meeting``/``date``) stands under the unit line.
A run-in item's lead part (“一是强化思想引领。”) is measured by rendering item.j2
with the lead alone, and set as the paragraph's ``emphasis`` when style.yaml's
``lead_phrase`` is ``bold``.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import TYPE_CHECKING

from writer.model.document import HEADING, MEETING, PARAGRAPH, SUBTITLE, TITLE, UNIT, Block, Document
from writer.model.report import Item, Report, Section, SourceRef
from writer.render.templates import Templates
from writer.text.numerals import cn_number, ordinal

if TYPE_CHECKING:
    from writer.compose.digest import Digest  # a compilation's: its module is loaded only to make one
    from writer.config.style import Style

MAX_HEADING_LEVEL = 4
SUBTITLE_DASH = "——"
# 二号 (22 pt) in the 156 mm type area: about 20 characters a line.
TITLE_LINE_CHARS = 20

DIGEST_TEMPLATE_CONTEXT: dict[str, tuple[str, ...]] = {
    "editor_note.j2": ("note", "digest"),
    "entry_title.j2": ("entry", "index", "number", "digest"),
    "unit_line.j2": ("entry", "index", "digest"),
    "entry_body.j2": ("entry", "index", "digest"),
}


def layout_report(report: Report, templates: Templates, style: Style | None = None) -> Document:
    """Turn a composed Report into a flat list of styled blocks with their sources.

    ``style`` (config/style.yaml) gives the title's line width and whether lead
    phrases are bold; without it the bundled defaults apply (20 characters, bold)."""
    width = style.title_line_chars() if style is not None else TITLE_LINE_CHARS
    bold_leads = style.bold_leads if style is not None else True
    title = report.title.strip()
    blocks: list[Block] = [Block(TITLE, text="\n".join(title_lines(title, width)))]
    if report.subtitle and report.subtitle.strip():
        blocks.append(Block(SUBTITLE, text=subtitle_text(report.subtitle)))
    if report.unit and report.unit.strip():
        blocks.append(Block(UNIT, text=report.unit.strip()))
    meeting = templates.render("meeting.j2", meeting=report.meeting, date=meeting_date(report.date), report=report)
    if meeting:
        blocks.append(Block(MEETING, text=meeting))
    if report.lead is not None:
        text = templates.render("lead.j2", lead=report.lead, report=report)
        if text:
            blocks.append(Block(PARAGRAPH, text=text, refs=report.lead.refs, template=report.lead.template))
    for index, section in enumerate(report.sections, start=1):
        blocks.extend(_section_blocks(section, index, 1, report, templates, bold_leads))
    if report.closing is not None:
        text = templates.render("closing.j2", closing=report.closing, report=report)
        if text:
            blocks.append(Block(PARAGRAPH, text=text, refs=report.closing.refs, template=report.closing.template))
    return Document(title=one_line(title), blocks=tuple(blocks), unit=report.unit, perspective=report.perspective)


# ------------------------------------------------------------------ front matter

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# Where a title without spaces or commas may break: before a clause-opening verb
# or preposition (以…促…, 推动…, 助力…), never inside a quotation or a book title.
_CLAUSE_OPENERS = ("以", "推动", "促进", "助力", "赋能", "打造", "构建", "奋力")
# 以 that ends a word, not opens a clause (可以、所以、予以…)
_WORDS_ENDING_IN_YI = ("可", "所", "予", "加", "得", "难", "足", "用", "借", "据", "赖", "何")
_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "【": "】"}


def meeting_date(date: str | None) -> str | None:
    """2025-09-12 → 2025年9月12日; any other text as written."""
    if date is None or not date.strip():
        return None
    m = _ISO_DATE.fullmatch(date.strip())
    if not m:
        return date.strip()
    return f"{m[1]}年{int(m[2])}月{int(m[3])}日"


def one_line(title: str) -> str:
    """A title with explicit line breaks as one line: the clauses joined by a space,
    or directly after punctuation."""
    lines = [ln.strip() for ln in title.split("\n") if ln.strip()]
    out = ""
    for line in lines:
        if out and not re.search(r"[，、；：。！？,;:]$", out):
            out += " "
        out += line
    return out


def _width(text: str) -> float:
    """Display width in title characters: Latin letters and digits count half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _protected(text: str) -> set[int]:
    """Positions inside “…”, 《…》, （…）: no break falls there."""
    inside: set[int] = set()
    stack: list[str] = []
    for i, ch in enumerate(text):
        if stack and ch == _PAIRS[stack[-1]]:
            stack.pop()
            if stack:
                inside.add(i + 1)
            continue
        if ch in _PAIRS:
            stack.append(ch)
            inside.add(i + 1)
            continue
        if stack:
            inside.add(i + 1)
    return inside


def title_lines(title: str, width: int = TITLE_LINE_CHARS) -> list[str]:
    """The title's lines: an explicit "\n" wins; a title wider than ``width`` breaks
    once at a phrase boundary — the space between its two clauses, else after 、/，/；,
    else before a clause opener (以、推动…), else after a 的 — choosing the most even split.  A title
    with no such boundary stays one line (Word wraps it) rather than break in a word."""
    if "\n" in title:
        return [ln.strip() for ln in title.split("\n") if ln.strip()]
    title = title.strip()
    if _width(title) <= width:
        return [title]
    protected = _protected(title)
    # (first line end, second line start) for each kind of boundary, best kind first
    spaces = [(i, i + 1) for i, ch in enumerate(title) if ch in " \u3000" and 0 < i < len(title) - 1]
    commas = [(i + 1, i + 1) for i, ch in enumerate(title[:-1]) if ch in "，、；：,;"]
    openers = [
        (i, i)
        for i in range(2, len(title) - 2)
        if any(title.startswith(w, i) for w in _CLAUSE_OPENERS)
        and title[i - 1] not in " \u3000"
        and not (title[i] == "以" and title[i - 1] in _WORDS_ENDING_IN_YI)
    ]
    # last resort: after a 的 that ends a modifier (“…高质量发展的 / 实践与思考”)
    particles = [(i + 1, i + 1) for i in range(2, len(title) - 3) if title[i] == "的" and title[i + 1] not in "确话"]
    for candidates in (spaces, commas, openers, particles):
        candidates = [c for c in candidates if c[0] not in protected]
        if not candidates:
            continue

        def cost(cut: tuple[int, int]) -> tuple[bool, float]:
            first, second = title[: cut[0]].strip(), title[cut[1] :].strip()
            longest = max(_width(first), _width(second))
            return (longest > width, abs(_width(first) - _width(second)))

        best = min(candidates, key=cost)
        if cost(best)[0] and candidates is not spaces and candidates is not commas:
            continue  # a weak break that still overflows helps nobody
        return [title[: best[0]].strip(), title[best[1] :].strip()]
    return [title]


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


def _section_blocks(
    section: Section, index: int, level: int, report: Report, templates: Templates, bold_leads: bool = True
) -> list[Block]:
    blocks = [_heading(level, index, section, None, section.title, report, templates)]
    if section.intro is not None and section.intro.text:
        blocks.append(Block(PARAGRAPH, text=section.intro.text, refs=section.intro.refs))
    as_headings = templates.items_as_headings and level < MAX_HEADING_LEVEL
    for n, item in enumerate(section.items, start=1):
        context = dict(
            item=item,
            # a single item takes no 一是: a lone 一是 with no 二是 is a numbering error
            ordinal=ordinal(n) if len(section.items) > 1 else "",
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
            text = templates.render("item.j2", **context)
            emphasis = _lead_length(text, context, templates) if bold_leads else 0
            blocks.append(Block(PARAGRAPH, text=text, refs=_unique(item.refs), emphasis=emphasis))
    # subsections number on after items rendered as headings at the same level
    start = len(section.items) + 1 if as_headings else 1
    for n, sub in enumerate(section.subsections, start=start):
        blocks.extend(_section_blocks(sub, n, level + 1, report, templates, bold_leads))
    return blocks


def _lead_length(text: str, context: dict, templates: Templates) -> int:
    """Characters of the rendered paragraph that are its lead part (“一是强化思想引领。”):
    item.j2 rendered again with the lead alone (no sentences, no attribution) gives the
    lead as the template writes it; 0 when the paragraph does not start with it."""
    item: Item = context["item"]
    if not item.lead.strip():
        return 0
    bare = dataclasses.replace(item, sentences=(), unit=None)
    lead = templates.render("item.j2", **{**context, "item": bare})
    return len(lead) if lead and text.startswith(lead) else 0


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
