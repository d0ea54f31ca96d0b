"""Text that remembers where each character came from.

Cleaning rewrites text (joins broken paragraphs, deletes stray spaces, swaps
punctuation); provenance must survive it.  A ``Traced`` pairs a string with the
source offset of each of its characters, so any slice of cleaned text maps back
to a character span (and so a line range) in the original file.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Callable
from typing import Union

Repl = Union[str, Callable[[re.Match], str]]


class Traced:
    __slots__ = ("text", "src")

    def __init__(self, text: str, src: array | None = None, start: int = 0):
        self.text = text
        if src is None:
            src = array("l", range(start, start + len(text)))
        self.src = src

    def __len__(self) -> int:
        return len(self.text)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Traced({self.text!r})"

    def __add__(self, other: Traced) -> Traced:
        return Traced(self.text + other.text, self.src + other.src)

    def __getitem__(self, key: slice) -> Traced:
        return Traced(self.text[key], self.src[key])

    def span(self, start: int = 0, end: int | None = None) -> tuple[int, int]:
        """Source span [a, b) of text[start:end]."""
        end = len(self.text) if end is None else end
        if not self.text or start >= end:
            a = self.src[min(start, len(self.src) - 1)] if self.src else 0
            return a, a
        return self.src[start], self.src[end - 1] + 1

    def strip(self, chars: str | None = None) -> Traced:
        t = self.text
        left = len(t) - len(t.lstrip(chars))
        right = len(t.rstrip(chars))
        if right <= left:
            return Traced("", array("l"))
        if left == 0 and right == len(t):
            return self  # nothing to strip (a Traced is never changed in place)
        return self[left:right]

    def sub(self, pattern: str | re.Pattern, repl: Repl, count: int = 0) -> Traced:
        """Like re.sub, keeping offsets: replacement characters map onto the match
        (one to one where lengths agree, else to the match's first character)."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        if rx.search(self.text) is None:
            return self  # most lines, for most rules: nothing to replace
        parts: list[str] = []
        src = array("l")
        pos = 0
        n = 0
        for m in rx.finditer(self.text):
            if count and n >= count:
                break
            n += 1
            a, b = m.span()
            parts.append(self.text[pos:a])
            src.extend(self.src[pos:a])
            new = repl(m) if callable(repl) else m.expand(repl)
            parts.append(new)
            if len(new) == b - a:
                src.extend(self.src[a:b])
            elif new:
                anchor = (
                    self.src[a]
                    if b > a
                    else (self.src[a] if a < len(self.src) else (self.src[-1] + 1 if self.src else 0))
                )
                src.extend([anchor] * len(new))
            pos = b
        if not n:
            return self
        parts.append(self.text[pos:])
        src.extend(self.src[pos:])
        return Traced("".join(parts), src)

    def map_chars(self, fn: Callable[[str], str]) -> Traced:
        """Apply a same-length string transform (e.g. punctuation width)."""
        new = fn(self.text)
        if new == self.text:
            return self
        if len(new) != len(self.text):
            raise ValueError("map_chars needs a transform that keeps the length")
        return Traced(new, self.src)


def join(parts: list[Traced], sep: str = "") -> Traced:
    if not parts:
        return Traced("", array("l"))
    out = parts[0]
    for p in parts[1:]:
        if sep:
            anchor = out.src[-1] + 1 if out.src else (p.src[0] if p.src else 0)
            out = out + Traced(sep, array("l", [anchor] * len(sep)))
        out = out + p
    return out


class LineIndex:
    """Maps character offsets of a text to 1-based line numbers."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(self, offset: int) -> int:
        return bisect_right(self.starts, offset)
