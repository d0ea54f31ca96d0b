"""Markdown writer: a Document as Markdown that reads well as plain text too.

Layout: ``# 标题``, then subtitle and unit line as plain lines, section headings as
``##`` (level 1) … ``#####`` (level 4), paragraphs separated by blank lines, tables
as GFM tables.

Sources: each paragraph (and table) with sources is followed on the next line by an
HTML comment ``<!-- 来源：path（单位） 第N行 [passage id]；… -->``.  Comments are
invisible when rendered, so the body stays clean, yet every paragraph stays traceable
in the file itself (diffable, survives copy-and-paste of the file); a paragraph
without sources gets ``<!-- 来源：无（请核实） -->`` so an editor can find it; one
written from a template gets ``<!-- 模板文字，请核改 -->`` instead.

A title's lines (joined by "\n" in the Document) stay one heading, joined by
``<br>``; an item's emphasised lead is ``**一是强化思想引领**。`` — the closing ``**``
goes before the lead's final punctuation, since CommonMark does not close emphasis
between a punctuation mark and a following Chinese character.
"""

from __future__ import annotations

import re

from writer.model.document import HEADING, MEETING, PARAGRAPH, SUBTITLE, TABLE, TITLE, UNIT, Block, Document
from writer.model.report import SourceRef

NO_SOURCE = "无（请核实）"
TEMPLATE_COMMENT = "<!-- 模板文字，请核改 -->"
TITLE_BREAK = "<br>"
_TRAILING_PUNCT = re.compile(r"[。！？；：，、]+$")

# Characters that Markdown would read as markup inside Chinese running text
# (“***” where a web copy masked a name, a stray backtick or underscore).  An
# underscore between two letters or digits (000_6ef9.txt) cannot open or close
# emphasis in CommonMark, so it stays as written.
_INLINE_SPECIAL = re.compile(r"([\\`*<>\[\]]|(?<![^\W_])_|_(?![^\W_]))")
# Line starts that would turn a paragraph into a heading, quote, list or rule.
_BLOCK_START = re.compile(r"^(#|>|[-+*]\s|\d+[.)]\s|=+$|-+$)")


def render_markdown(doc: Document) -> str:
    parts: list[str] = []
    for block in doc.blocks:
        parts.append(_block(block))
    return "\n\n".join(p for p in parts if p) + "\n"


def sources_comment(refs: tuple[SourceRef, ...]) -> str:
    labels = "；".join(r.label() for r in refs) if refs else NO_SOURCE
    # "--" may not appear inside an HTML comment
    return f"<!-- 来源：{labels.replace('--', '—')} -->"


def escape(text: str) -> str:
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    if _BLOCK_START.match(text):
        text = "\\" + text
    return text


def _emphasised(text: str, emphasis: int) -> str:
    """The first ``emphasis`` characters in **bold**, trailing punctuation outside it."""
    cut = min(max(emphasis, 0), len(text))
    lead = text[:cut]
    punct = _TRAILING_PUNCT.search(lead)
    core = lead[: punct.start()] if punct else lead
    if not core.strip():
        return escape(text)
    rest = (punct[0] if punct else "") + text[cut:]
    return "**" + _INLINE_SPECIAL.sub(r"\\\1", core) + "**" + _INLINE_SPECIAL.sub(r"\\\1", rest)


def _block(block: Block) -> str:
    if block.kind == TITLE:
        first, *more = block.text.split("\n")
        return "# " + TITLE_BREAK.join([escape(first)] + [_INLINE_SPECIAL.sub(r"\\\1", line) for line in more])
    if block.kind in (SUBTITLE, UNIT, MEETING):
        return escape(block.text)
    if block.kind == HEADING:
        return "#" * (min(max(block.level, 1), 4) + 1) + " " + escape(block.text)
    if block.kind == PARAGRAPH:
        text = _emphasised(block.text, block.emphasis) if block.emphasis else escape(block.text)
        if block.template:
            return text + "\n" + TEMPLATE_COMMENT + ("\n" + sources_comment(block.refs) if block.refs else "")
        return text + "\n" + sources_comment(block.refs)
    if block.kind == TABLE:
        table = _table(block.rows)
        return table + ("\n" + sources_comment(block.refs) if block.refs else "")
    raise ValueError(f"未知的块类型：{block.kind}")


def _cell(text: str) -> str:
    return escape(text).replace("|", "\\|").replace("\n", " ")


def _table(rows: tuple[tuple[str, ...], ...]) -> str:
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    padded = [tuple(r) + ("",) * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(_cell(c) for c in padded[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in padded[1:]]
    return "\n".join(lines)
