"""Chinese numerals both ways: 12 → 十二 (headings, 一是/二是) and 二〇二〇 → 2020."""

from __future__ import annotations

CN_DIGITS = "零一二三四五六七八九"
_CN_VALUES = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL = "零〇一二两三四五六七八九十百千"


def cn_number(n: int) -> str:
    """Chinese numeral as used in headings: 1 → 一, 10 → 十, 15 → 十五, 20 → 二十,
    101 → 一百零一, 110 → 一百一十, 1005 → 一千零五; 10000 and above stay Arabic."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ValueError(f"cn_number 需要非负整数，得到 {n!r}")
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:  # 十, 十一 … 十九 (not 一十一)
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n >= 10000:
        return str(n)
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero and out:
                out += "零"
            out += CN_DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


def ordinal(n: int) -> str:
    """Run-in enumerator: 1 → 一是, 2 → 二是."""
    return cn_number(n) + "是"


def chinese_to_int(numeral: str) -> int | None:
    """``"十二"`` → 12, ``"二〇二〇"`` → 2020, ``"三百五十"`` → 350; None if not a numeral."""
    if not numeral or any(c not in _CN_VALUES and c not in _CN_UNITS for c in numeral):
        return None
    if all(c in _CN_VALUES for c in numeral):  # digit by digit: 二〇二〇
        if len(numeral) > 1 and any(c == "两" for c in numeral):
            return None
        return int("".join(str(_CN_VALUES[c]) for c in numeral))
    total, digit = 0, None
    for c in numeral:
        if c in _CN_VALUES:
            if _CN_VALUES[c] == 0 and total:
                continue  # 一百零一: the 零 only marks a skipped place
            if digit is not None and _CN_VALUES[c] != 0:
                return None  # two digits in a row: 三五 is not a numeral
            digit = _CN_VALUES[c]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[c]
            digit = None
    return total + (digit or 0)
