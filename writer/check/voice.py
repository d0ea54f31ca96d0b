"""The draft's voice: who 我院 is, and which unit names the voice should have replaced.

A unit's own report speaks as 我院/本院/院党组 (the sidecar records the ``perspective``
and the speaking ``unit``); a news copy or a compilation speaks in the third person.
Two slips are common after editing, and both change who is speaking:

- a 我院/本院 in a third-person draft (or in another unit's paragraph of a unit's own
  report): in a compilation it means the quoted unit, never the speaker;
- in a unit's own report, the speaking unit named by name (济阳区检察院坚持……) or as
  该院, where the voice should say 我院 (济阳区检察院党组 → 院党组).

A third, milder one: a unit's own report that mixes its first-person forms (本院 in a
我院 report; 我院 in a 院党组 report) is a warning.

Quoted names (inside “” or 《》) and tables are never flagged.  Without a sidecar the voice is not
known, and ``run_checks`` skips these checks with a notice.
"""

from __future__ import annotations

import re

from writer.check.draft_reading import Draft, DraftParagraph
from writer.check.findings import ERROR, WARNING, Finding
from writer.text.units import belongs_to, find_mentions, parse_unit, same_unit, short_name

FIRST_PERSON = ("我院", "本院", "院党组")
THIRD_PERSON = "第三人称"

_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|‘[^’]*’|「[^」]*」|『[^』]*』")
_OWN_VOICE = re.compile(r"我院|本院")
_THAT_UNIT = re.compile(r"该院")


def is_first_person(draft: Draft) -> bool:
    """A unit's own report: the sidecar records a first-person perspective and the unit."""
    return draft.perspective in FIRST_PERSON and bool(draft.unit)


def _prose(draft: Draft) -> list[DraftParagraph]:
    """The paragraphs outside tables: a table (the highlights appendix) quotes its sources
    word for word beside a column naming each unit."""
    return [p for p in draft.paragraphs if not p.in_table]


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(text)]


def _outside_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    quoted = _quoted_spans(text)
    return [(a, b) for a, b in spans if not any(qa <= a and b <= qb for qa, qb in quoted)]


def _excerpt(text: str, start: int, end: int, width: int = 10) -> str:
    a, b = max(0, start - width), min(len(text), end + width)
    return ("…" if a else "") + text[a:b] + ("…" if b < len(text) else "")


def _source_units(para: DraftParagraph) -> list[str]:
    """The distinct units (by ``same_unit``) of the sources the sidecar records for the paragraph."""
    units: list[str] = []
    for ref in para.sources:
        if ref.unit and not any(ref.unit == u or same_unit(ref.unit, u) for u in units):
            units.append(ref.unit)
    return units


def _from_other_units(para: DraftParagraph, speaker: str) -> bool:
    """Every source of the paragraph names a known unit, and none is the speaker or part
    of it (an unknown unit counts as the speaker's: nothing is flagged on a guess)."""
    if parse_unit(speaker) is None:
        return False
    # sidecar references carry a passage id or a unit; those read from a Word comment carry neither
    units = [r.unit for r in para.sources if r.passage_id or r.unit]
    if not units or any(u is None or parse_unit(u) is None for u in units):
        return False
    return not any(u == speaker or belongs_to(u, speaker) for u in units)


# ================================================================ 我院/本院 of another unit


def check_stray_own_voice(draft: Draft) -> list[Finding]:
    """A 我院/本院 that is not the speaker: anywhere in a third-person draft, and in a
    paragraph of a unit's own report whose sources are all other units."""
    if draft.sidecar is None or (draft.perspective in FIRST_PERSON and not draft.unit):
        return []  # the voice is not known (no sidecar), or 我院 with no unit to tell who it is
    first_person = is_first_person(draft)
    findings = []
    for para in _prose(draft):
        if first_person and not _from_other_units(para, draft.unit or ""):
            continue
        spans = _outside_quotes(para.text, [m.span() for m in _OWN_VOICE.finditer(para.text)])
        units = _source_units(para)
        for start, end in spans:
            word = para.text[start:end]
            findings.append(
                Finding(
                    "voice",
                    ERROR,
                    para.index,
                    _excerpt(para.text, start, end),
                    _stray_message(word, units, draft, first_person),
                    _stray_suggestion(para.text[:start], units),
                )
            )
    return findings


def _stray_message(word: str, units: list[str], draft: Draft, first_person: bool) -> str:
    names = "、".join(short_name(u) for u in units)
    if first_person:
        return f"“{word}”指素材单位{names}，不是本稿的发言单位{short_name(draft.unit or '')}"
    where = "第三人称稿件" if draft.perspective == THIRD_PERSON else "汇编稿件"
    return f"{where}中的“{word}”指素材单位{names if len(units) == 1 else ''}，不是发言者"


def _stray_suggestion(before: str, units: list[str]) -> str:
    if len(units) == 1:
        short = short_name(units[0])
        if find_mentions(before, units[0]):
            return f"改为“{short}”；紧接单位名称之后也可写“该院”。"
        return f"改为“{short}”。"
    return "改为所指单位的简称；紧接单位名称之后也可写“该院”。"


# ================================================================ the speaker named in its own report


def check_speaker_named(draft: Draft) -> list[Finding]:
    """In a unit's own report: the speaking unit's name, or 该院, where the voice
    (我院/本院/院党组) should stand.  The title and the unit line may name the unit;
    该院 in a paragraph from another unit's sources means that unit."""
    if not is_first_person(draft):
        return []
    speaker, form = draft.unit or "", draft.perspective or ""
    findings = []
    for para in _prose(draft):
        if para.is_title or _is_unit_line(para.text, speaker):
            continue
        text = para.text
        for start, end in _outside_quotes(text, find_mentions(text, speaker)):
            name, party = text[start:end], text.startswith("党组", end)
            findings.append(
                Finding(
                    "voice",
                    ERROR,
                    para.index,
                    _excerpt(text, start, end + (2 if party else 0)),
                    f"本稿以“{form}”口吻写成，此处仍写单位名称“{name}{'党组' if party else ''}”",
                    f"改为“{'院党组' if party else form}”。",
                )
            )
        if _from_other_units(para, speaker):
            continue
        for start, end in _outside_quotes(text, [m.span() for m in _THAT_UNIT.finditer(text)]):
            party = text.startswith("党组", end)
            findings.append(
                Finding(
                    "voice",
                    ERROR,
                    para.index,
                    _excerpt(text, start, end + (2 if party else 0)),
                    f"本稿以“{form}”口吻写成，此处却写“该院{'党组' if party else ''}”（新闻稿的说法）",
                    f"改为“{'院党组' if party else form}”。",
                )
            )
    return findings


# ================================================================ one first-person form


def check_mixed_first_person(draft: Draft) -> list[Finding]:
    """In a unit's own report, a first-person form other than the chosen one: 本院 in a
    我院 report (or the reverse), 我院/本院 in a 院党组 report.  A warning: 我院 may
    rightly mean the whole procuratorate in a report the Party group speaks."""
    if not is_first_person(draft):
        return []
    speaker, form = draft.unit or "", draft.perspective or ""
    findings = []
    for para in _prose(draft):
        if _from_other_units(para, speaker):
            continue  # another unit's 我院: check_stray_own_voice
        text = para.text
        for start, end in _outside_quotes(text, [m.span() for m in _OWN_VOICE.finditer(text)]):
            word = text[start:end]
            if word == form:
                continue
            if form == "院党组":
                suggestion = "指院党组的工作时改为“院党组”；指全院时可保留。"
            else:
                suggestion = f"改为“{form}”，全文统一。"
            findings.append(
                Finding(
                    "voice",
                    WARNING,
                    para.index,
                    _excerpt(text, start, end),
                    f"本稿以“{form}”口吻写成，此处写“{word}”",
                    suggestion,
                )
            )
    return findings


def _is_unit_line(text: str, speaker: str) -> bool:
    """The unit line under the title: the paragraph is one name of the speaking unit."""
    stripped = text.strip()
    return stripped == speaker or find_mentions(stripped, speaker) == [(0, len(stripped))]
