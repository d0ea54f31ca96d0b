"""Web copies in traditional characters, and pinyin notes after characters.

Some sites republish mainland material converted to traditional characters, often with
the reading of rarer characters in brackets: "堅（jiān）持以“知政治理論”". Such a copy is
read back into simplified characters (same length, so every offset still points at the
source) and the pinyin notes are dropped, so that its words match the outline's and a
draft quoting it reads as the rest of the report.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Frequent characters that exist only in traditional script: a cheap test, so that
# OpenCC is loaded only for the files that need it.
_TRADITIONAL_HINT = re.compile(
    "[們個來為時國會學對說發經過這與關實機檢黨組織書記當後從應數點區動務員業設計現體專導強層進議歷長開問題見報場"
    "與將無還讓樣黃東車門頭條係幹質變認紀規選單總類廣節論]"
)
HINT_MIN = 5  # hint characters before the full conversion is tried
CHANGED_MIN = 10  # characters changed by the conversion, at least…
CHANGED_SHARE = 0.05  # …and this share of the Chinese characters

_HAN = re.compile("[\u4e00-\u9fff]")

# "（jiān）", "(qiáng)": lower-case Latin letters with at least one tone mark, right after
# a Chinese character.  Plain Latin in brackets ("（app）", "(PDF)") is left alone.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
PINYIN_NOTE = re.compile(rf"(?<=[\u4e00-\u9fff])[（(](?=[a-z{_TONED}]*[{_TONED}])[a-z{_TONED}]{{1,7}}[）)]")


_CUT_NOTE = re.compile(rf"(?<=[\u4e00-\u9fff])[（(][a-z{_TONED}]{{0,7}}$")  # a note cut by the end of an excerpt


@lru_cache(maxsize=1)
def _converter():
    import opencc  # only for files in traditional script

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> tuple[str, int] | None:
    """The text in simplified characters and how many characters changed, when it is
    written in traditional script; None when it is not (a stray traditional character in
    a simplified text is not a reason to convert)."""
    if len(_TRADITIONAL_HINT.findall(text, 0, 20000)) < HINT_MIN:
        return None
    convert = _converter().convert
    new = convert(text)
    if len(new) != len(text):  # a phrase rule changed the length: go character by character
        new = "".join(ch if len(c := convert(ch)) != 1 else c for ch in text)
    changed = sum(1 for a, b in zip(text, new, strict=True) if a != b)
    han = len(_HAN.findall(text))
    if changed < CHANGED_MIN or changed < CHANGED_SHARE * han:
        return None
    return new, changed


def simplify(text: str) -> str:
    """Any text (a short anchor, a search word) in simplified characters, pinyin notes out."""
    text = _CUT_NOTE.sub("", PINYIN_NOTE.sub("", text))
    return _converter().convert(text)
