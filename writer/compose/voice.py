"""Voice: who speaks in a draft, applied to text taken verbatim from the sources.

In a unit's own report every reference to the speaking unit — its full name, its
short forms (with or without province, city, 人民, 自治), 该院 — becomes the chosen
form (我院 / 本院 / 院党组), and "<name>党组" becomes 院党组.  In any draft, another
unit's own 我院/本院 is not the speaker: it becomes that unit's short name the first
time and 该院 after it.  Text inside quotation marks (“…”, 《…》) never changes, and
neither do figures: only names are replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from writer.text.units import find_mentions, short_name

FIRST_PERSON_FORMS = ("我院", "本院", "院党组")
_QUOTED = re.compile(r"“[^“”]*”|《[^《》]*》|‘[^‘’]*’")
_CLAUSE_START = "。！？；，：、\n"


@dataclass
class VoiceCount:
    """How many names were replaced (for the draft summary)."""

    replaced: int = 0


def _protected(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(text)]


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def _replace_spans(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for start, end, new in sorted(edits):
        if start < last:
            continue
        out.append(text[last:start])
        out.append(new)
        last = end
    out.append(text[last:])
    return "".join(out)


def _tidy(text: str, form: str) -> str:
    """No doubled forms after replacement: 我院我院 → 我院, 我院院党组 → 院党组."""
    for doubled, single in (
        (form + form, form),
        ("我院院党组", "院党组"),
        ("本院院党组", "院党组"),
        ("院党组院党组", "院党组"),
        ("我院本院", "我院"),
        ("本院我院", "本院"),
    ):
        while doubled in text:
            text = text.replace(doubled, single)
    return text


# What a Party group does at the start of a clause (院党组坚持…/院党组把…); a name
# followed by anything else (我院干警, 我院7个办案组) is the procuratorate itself.
_PARTY_GROUP_ACTS = re.compile(
    r"(?:坚持|始终|严格|深入|高度|认真|全面|持续|扎实|牢固|积极|主动|着力|紧扣|紧紧|聚焦|围绕|立足|按照|结合|"
    r"把|将|以|从|在|对|研究|制定|出台|建立|健全|推动|推进|带头|召开|组织|落实|注重|强化|狠抓|统筹|部署|印发)"
)


def _form_at(text: str, start: int, end: int, form: str) -> str:
    """院党组 speaks where a clause starts with what a Party group does; elsewhere the
    procuratorate itself stays 我院."""
    if form != "院党组":
        return form
    at_clause_start = start == 0 or text[start - 1] in _CLAUSE_START
    return form if at_clause_start and _PARTY_GROUP_ACTS.match(text, end) else "我院"


def speak_as(text: str, unit: str, form: str, count: VoiceCount | None = None) -> str:
    """The speaking ``unit``'s names in ``text`` become ``form`` (我院/本院/院党组)."""
    if form not in FIRST_PERSON_FORMS or not text:
        return text
    quoted = _protected(text)
    edits: list[tuple[int, int, str]] = []
    for start, end in find_mentions(text, unit):
        if _inside(quoted, start, end):
            continue
        if text.startswith("党组", end):  # 济阳区检察院党组 → 院党组
            edits.append((start, end + 2, "院党组"))
        else:
            edits.append((start, end, _form_at(text, start, end, form)))
    plain = "我院" if form == "院党组" else form
    for m in re.finditer(r"该院|本院|我院", text):
        if _inside(quoted, *m.span()):
            continue
        if text.startswith("党组", m.end()):
            edits.append((m.start(), m.end() + 2, "院党组"))
        elif (new := _form_at(text, m.start(), m.end(), form)) != m.group(0):
            edits.append((m.start(), m.end(), new))
    if count is not None:
        count.replaced += len(edits)
    return _tidy(_replace_spans(text, edits), plain)


def as_other_unit(text: str, unit: str | None, count: VoiceCount | None = None, *, named: bool = False) -> str:
    """Another unit's 我院/本院 become its short name (first time) and 该院 after it; a
    该院 that comes before any name (the news copy named the unit earlier) is named too.
    ``named``: the name has already been given (in this item), so 该院 from the start."""
    quoted = _protected(text)
    edits: list[tuple[int, int, str]] = []
    name = short_name(unit) if unit else None
    for m in re.finditer(r"我院|本院|该院", text):
        if _inside(quoted, *m.span()):
            continue
        if name and not named:  # the first mention names the unit (a 该院 with nothing before it too)
            edits.append((m.start(), m.end(), name))
            named = True
        elif m.group(0) != "该院":
            edits.append((m.start(), m.end(), "该院"))
    if count is not None:
        count.replaced += len(edits)
    return _replace_spans(text, edits)
