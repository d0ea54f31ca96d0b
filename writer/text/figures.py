"""Figures in Chinese text: numbers with their unit or measure word.

A figure is what an editor can mistype and a reader will quote: ``64.6%``,
``82项``, ``2.9万余人``, ``2020年``, ``1—9月``, ``第3场``, ``三年``.  Each figure
gets a *key* that is equal for equal claims however they are written
(full/half width, Arabic or Chinese numerals, thousands separators, dash
variants), and the few characters around it (its context), so that a figure
changed in an otherwise unchanged clause can be matched with its source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from writer.text.numerals import CN_NUMERAL, chinese_to_int
from writer.text.punctuation import URL_RE, normalise_width

__all__ = ["Figure", "chinese_to_int", "context_score", "extract_figures", "normalise_width"]

# Measure words and units that make a bare numeral a figure.
MEASURE = (
    "个项名人次场件家支批类条份篇位所期轮届天月日年周倍种起例户元册本处座栋台辆套门首部"
    "岁分秒小时亩吨米公里平方千克份节课堂团队组届代把张幅宗笔单"
)
# Multi-character units first so that "小时" beats "小".
_UNITS = [
    "个百分点",
    "百分点",
    "个月",
    "小时",
    "公里",
    "平方米",
    "万元",
    "亿元",
    "人次",
    "件次",
    "场次",
    "批次",
    "户次",
    "余人",
    "%",
    "‰",
]
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS) + "|[" + MEASURE + "]"

_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_RANGE_SEP = r"[—–\-~～至到]"
_MULT = r"[万亿千百]?"
_APPROX = r"(?:余|多|多万|余万)?"

_FIGURE_RE = re.compile(
    rf"(?P<ord>第)?"
    rf"(?P<num>{_ARABIC}(?:{_RANGE_SEP}{_ARABIC})?)"
    rf"(?P<mult>{_MULT})(?P<approx>{_APPROX})(?P<unit>(?:{_UNIT_RE})?)"
)
# Chinese numerals: "三年", "十二届", "第三场", "二〇二〇年".  A lone 一 (一个, 一项)
# is an article more often than a claim, and 一是/二是 are enumerators, so a
# Chinese numeral counts only when a measure word follows it.
_CN_FIGURE_RE = re.compile(
    rf"(?P<ord>第)?(?P<num>[{CN_NUMERAL}]+)(?P<mult>[万亿]?)(?P<approx>{_APPROX})(?P<unit>{_UNIT_RE})"
)

_CJK = r"\u3400-\u9fff"
_CLAUSE_BREAK = re.compile(r"[，。；：！？、,;:!?\n“”‘’《》（）()【】\s]")


@dataclass(frozen=True)
class Figure:
    """One figure found in a text."""

    text: str  # as written, e.g. "2.9万余人"
    key: str  # normalised claim, e.g. "2.9万余人"; "三年" → "3年"
    unit: str  # "人", "%", "" …
    start: int
    end: int
    before: str  # up to CONTEXT chars before, within the clause
    after: str  # up to CONTEXT chars after, within the clause


CONTEXT = 5


def _number_key(num: str) -> str:
    num = num.replace(",", "")
    parts = re.split(_RANGE_SEP, num)
    return "-".join(p.rstrip("0").rstrip(".") if "." in p else p.lstrip("0") or "0" for p in parts)


def _clause_context(text: str, start: int, end: int) -> tuple[str, str]:
    left = text[max(0, start - CONTEXT) : start]
    breaks = list(_CLAUSE_BREAK.finditer(left))
    if breaks:
        left = left[breaks[-1].end() :]
    right = text[end : end + CONTEXT]
    m = _CLAUSE_BREAK.search(right)
    if m:
        right = right[: m.start()]
    return left, right


def extract_figures(text: str, *, masked: Sequence[tuple[int, int]] = ()) -> list[Figure]:
    """All figures in ``text`` in order.  Spans in ``masked`` (e.g. standard
    terms such as “四个意识”) are skipped."""
    norm = normalise_width(text)
    found: list[Figure] = []
    taken: list[tuple[int, int]] = list(masked)
    # numbers inside web addresses and e-mail addresses are not figures
    taken.extend(m.span() for m in URL_RE.finditer(norm))

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _FIGURE_RE.finditer(norm):
        a, b = m.start(), m.end()
        # Part of a Latin word or code (A3, x86): not a figure.
        if a > 0 and re.match(r"[A-Za-z_]", norm[a - 1]) or not free(a, b):
            continue
        key = (m["ord"] or "") + _number_key(m["num"]) + m["mult"] + m["approx"] + m["unit"]
        before, after = _clause_context(norm, a, b)
        found.append(Figure(text[a:b], key, m["unit"], a, b, before, after))
        taken.append((a, b))
    for m in _CN_FIGURE_RE.finditer(norm):
        a, b = m.start(), m.end()
        num = m["num"]
        value = chinese_to_int(num)
        if value is None or not free(a, b):
            continue
        if not m["ord"] and (num == "一" or (num in "两二" and m["unit"] == "个") or num in "十百千"):
            # 一个/两个/十分/百年: articles and set phrases far more often than claims.
            continue
        key = (m["ord"] or "") + str(value) + m["mult"] + m["approx"] + m["unit"]
        before, after = _clause_context(norm, a, b)
        found.append(Figure(text[a:b], key, m["unit"], a, b, before, after))
        taken.append((a, b))
    found.sort(key=lambda f: f.start)
    return found


def context_score(a: Figure, b: Figure) -> int:
    """How many context characters two figures share (common suffix of what
    precedes them + common prefix of what follows)."""
    n = 0
    for x, y in zip(reversed(a.before), reversed(b.before)):
        if x != y:
            break
        n += 1
    for x, y in zip(a.after, b.after):
        if x != y:
            break
        n += 1
    return n
