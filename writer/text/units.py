"""Unit names (上海市人民检察院, 江苏省昆山市检察院第四党支部): comparing them as text."""

from __future__ import annotations


def same_unit(a: str | None, b: str | None) -> bool:
    """Unit names match, ignoring 人民 and a trailing sub-unit."""
    if not a or not b:
        return False
    na, nb = a.replace("人民", ""), b.replace("人民", "")
    return na == nb or na.startswith(nb) or nb.startswith(na)
