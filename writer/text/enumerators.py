"""Enumerators: the numbers that open headings and sub-points in the genre.

Headings 一、 / （一） / 1. / （1） (levels 1–4) and run-in sub-points 一是 / 二是 / 首先 /
其次.  Extraction (``writer.sources.structure``) finds them, composition strips them
from chosen text, and ``writer check`` verifies their sequence.
"""

from __future__ import annotations

import re

# Numerals that can number a heading or a sub-point (一 … 十, 百, 零/〇, 两).
CN_NUM = "一二三四五六七八九十百零〇两"
_CN = "一二三四五六七八九十"

# Headings as extraction reads them (with the spaces web copies put around marks).
H1_RE = re.compile(rf"^([{CN_NUM}]{{1,3}})\s*[、．.]\s*")
H2_RE = re.compile(rf"^[（(]\s*([{CN_NUM}]{{1,3}})\s*[）)]\s*[、．.]?\s*")
H3_RE = re.compile(r"^(\d{1,2})\s*(?:[．.](?!\d)|、)\s*")
H4_RE = re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*[、．.]?\s*")
RUNIN_RE = re.compile(rf"(?:^|(?<=[。；;！？”]))\s*([{CN_NUM}]{{1,3}}是|首先|其次|再次|最后)(?=[，,：:]?\S)")

# Headings as an edited draft writes them, by level, the number captured.
HEADING_ENUMS = (
    (1, re.compile(rf"^([{_CN}]+)、")),
    (2, re.compile(rf"^[（(]([{_CN}]+)[）)]")),
    (3, re.compile(r"^(\d{1,2})[.．、](?!\d)")),
    (4, re.compile(r"^[（(](\d{1,2})[）)]")),
)
# A 一是/二是 inside a paragraph (at its start or after a clause mark).
RUN_IN_IN_TEXT = re.compile(rf"(?:^|(?<=[。；;：:，,！？]))\s*([{_CN}]+)是")

# Any enumerator that opens a sentence, with the mark after it: what composition strips.
LEADING_ENUMERATOR = re.compile(
    rf"^\s*(?:[{_CN}]{{1,3}}是|首先|其次|再次|最后|[（(][{_CN}\d]{{1,3}}[）)]|\d{{1,2}}[.．、](?!\d)|[{_CN}]{{1,3}}、)[，,：:]?"
)


def strip_enumerator(text: str) -> str:
    """'一是强化……' → '强化……'; '（三）健全……' → '健全……'."""
    return LEADING_ENUMERATOR.sub("", text, count=1)
