"""The draft's shape: sections with nothing in them, a 一是 with no 二是, template text.

- An empty section: a heading with no body paragraph before the next heading of the
  same or a higher level (or the end).  A heading that runs into its text
  ("思想铸魂强根基。始终坚持……") carries its own body.
- A lone 一是: a run-in enumeration that opens and never reaches 二是 within its
  section (the run may go across paragraphs, as in 一是…/二是… items).
- Template text: a paragraph the writer wrote from a template (the sidecar marks it
  ``"template": true``) and the editor has not changed.
"""

from __future__ import annotations

import re

from writer.check.draft_reading import Draft, DraftParagraph
from writer.check.findings import ERROR, WARNING, Finding
from writer.text.enumerators import HEADING_ENUMS, RUN_IN_IN_TEXT
from writer.text.numerals import chinese_to_int

_SENTENCE_INSIDE = re.compile(r"[。！？；].")


def _excerpt(text: str, start: int, end: int, width: int = 10) -> str:
    a, b = max(0, start - width), min(len(text), end + width)
    return ("…" if a else "") + text[a:b] + ("…" if b < len(text) else "")


def heading_level(para: DraftParagraph) -> int | None:
    """0 for the title, 1..4 for a heading (by style, or a short numbered line such as
    “一、强化政治引领” typed in a body paragraph), None for body text."""
    if para.is_title:
        return 0
    if para.in_table:
        return None
    if para.level > 0:
        return para.level
    if len(para.text) <= 40 and not re.search(r"[。！？；]", para.text):
        for level, rx in HEADING_ENUMS:
            if rx.match(para.text):
                return level
    return None


# ================================================================ empty sections


def check_empty_sections(draft: Draft) -> list[Finding]:
    """A heading followed by no body before the next heading of its level or higher.
    A document with no body at all is one problem, not one per heading: left to the
    empty-document check."""
    findings: list[Finding] = []
    paras = draft.paragraphs
    levels = [heading_level(p) for p in paras]
    if all(level is not None for level in levels):
        return findings
    for i, (para, level) in enumerate(zip(paras, levels, strict=True)):
        if not level or _SENTENCE_INSIDE.search(para.text):
            continue
        has_body = False
        for later, later_level in zip(paras[i + 1 :], levels[i + 1 :], strict=True):
            if later_level is not None and later_level <= level:
                break
            if later_level is None or _SENTENCE_INSIDE.search(later.text):
                has_body = True
                break
        if not has_body:
            findings.append(
                Finding(
                    "structure",
                    ERROR,
                    para.index,
                    _excerpt(para.text, 0, len(para.text), 0),
                    f"“{para.text}”下面没有正文",
                    "补写这一部分，或删去这个标题并调整后面的编号。",
                )
            )
    return findings


# ================================================================ a lone 一是


def check_lone_first_point(draft: Draft) -> list[Finding]:
    """A run-in 一是 with no 二是 after it in the same section."""
    findings = []
    pending: tuple[DraftParagraph, int, int] | None = None  # a 一是 still waiting for its 二是

    def close() -> None:
        nonlocal pending
        if pending is not None:
            para, start, end = pending
            findings.append(
                Finding(
                    "numbering",
                    ERROR,
                    para.index,
                    _excerpt(para.text, start, end),
                    "只有“一是”，没有“二是”",
                    "补上“二是”等后续分项，或删去“一是”直接叙述。",
                )
            )
        pending = None

    for para in draft.paragraphs:
        if heading_level(para) is not None:
            close()
        for m in RUN_IN_IN_TEXT.finditer(para.text):
            n = chinese_to_int(m[1]) or 0
            if n == 1:
                close()  # a new run begins: the one before never reached 二是
                pending = (para, m.start(1), m.end())
            elif n >= 2:
                pending = None
    close()
    return findings


# ================================================================ template text


def check_template_text(draft: Draft) -> list[Finding]:
    """Template text (opening, closing, section intro) the editor has left as written."""
    return [
        Finding(
            "template",
            WARNING,
            para.index,
            _excerpt(para.text, 0, min(len(para.text), 20), 0),
            "模板文字，请核改",
            "这段是按模板写的，素材里没有依据：按本单位实际改写，或删除。",
        )
        for para in draft.paragraphs
        if para.template and para.unedited
    ]
