"""CJK characters, punctuation, widths and web addresses: the character classes every
stage shares (cleaning converts punctuation, check reports it, figures skip URLs)."""

from __future__ import annotations

import re

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")
# Full-width punctuation that can stand next to a converted mark in Chinese text.
FW_PUNCT = "，。、；：？！“”‘’（）《》【】「」『』…—·"
TERMINAL = "。！？!?….．"  # a sentence can end with these
CLOSERS = "”’」』）)》"

# Half-width marks that house style writes full-width in Chinese text.
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}

URL_RE = re.compile(  # web and e-mail addresses
    r"(?:https?://|www\.)[\w\-./?%&=#:~+@,;]+|[\w.+-]+@[\w-]+\.[\w.]+", re.I
)

# Length-preserving full-width → half-width map (so offsets stay valid).
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20


def normalise_width(text: str) -> str:
    """Full-width ASCII (０-９, Ａ-ｚ, ％, ，…) → half-width; same length."""
    return text.translate(_WIDTH)
