"""Cleaning rules, each a small named function.

Two kinds of rules:
- text rules (``Traced`` → ``Traced`` or ``str`` → ``str`` of the same length):
  punctuation width, quote direction, stray spaces, inline junk such as 【资料图】;
- line rules (``str`` → a verdict): is this line web boilerplate, a 来源/byline/
  date/关键词/编者按 line, a placeholder?

The structure stage (``writer.sources.structure``) applies them in order and keeps the
provenance.  Rules are written for the genre (web copies of procuratorate
materials), not for particular files.
"""

from __future__ import annotations

import re

from writer.sources.script import PINYIN_NOTE
from writer.text.punctuation import CJK_RE, CLOSERS, FW_PUNCT, HALF_TO_FULL, TERMINAL, URL_RE
from writer.text.traced import Traced


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(CJK_RE.match(ch))


def _chinese_side(ch: str) -> bool:
    return _is_cjk(ch) or (ch != "" and ch in FW_PUNCT)


# ---------------------------------------------------------------- text rules
_HALF_MARK_RE = re.compile(r"[,;:?!()]")


def fullwidth_punctuation(text: str) -> str:
    """Half-width , ; : ? ! ( ) → full-width where they stand in Chinese text.

    Numbers (1,000 / 10:30), decimals, URLs, e-mail addresses and Latin text keep
    their marks.  Brackets are converted as a pair when either the content or the
    outside is Chinese.  Keeps the length (one character for one).
    """
    if not _HALF_MARK_RE.search(text):
        return text  # most lines: nothing to convert (this function is hot on large corpora)
    chars = list(text)
    protected = [False] * len(chars)
    for m in URL_RE.finditer(text):
        for i in range(m.start(), m.end()):
            protected[i] = True

    def neighbour(i: int, step: int) -> str:
        j = i + step
        while 0 <= j < len(chars) and chars[j] == " ":
            j += step
        return chars[j] if 0 <= j < len(chars) else ""

    # brackets, as pairs
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, ch in enumerate(chars):
        if protected[i]:
            continue
        if ch in "(（":
            stack.append(i)
        elif ch in ")）" and stack:
            pairs.append((stack.pop(), i))
    for a, b in pairs:
        inner = text[a + 1 : b]
        chinese = bool(CJK_RE.search(inner)) or _chinese_side(neighbour(a, -1)) or _chinese_side(neighbour(b, 1))
        if chinese:
            if chars[a] == "(":
                chars[a] = "（"
            if chars[b] == ")":
                chars[b] = "）"
    # unpaired brackets: by their neighbours
    paired = {i for p in pairs for i in p}
    for i, ch in enumerate(chars):
        if protected[i] or i in paired or ch not in "()":
            continue
        if _chinese_side(neighbour(i, -1)) or _chinese_side(neighbour(i, 1)):
            chars[i] = HALF_TO_FULL[ch]
    # , ; : ? !
    for i, ch in enumerate(chars):
        if protected[i] or ch not in ",;:?!":
            continue
        before, after = neighbour(i, -1), neighbour(i, 1)
        if ch in ",:" and before.isdigit() and after.isdigit():
            continue  # 1,000 / 10:30
        if _chinese_side(before) or _is_cjk(after) or (after in "“‘《（" and after != ""):
            chars[i] = HALF_TO_FULL[ch]
    return "".join(chars)


_DOUBLE_QUOTE = re.compile('[“”"]')
_SINGLE_CLOSED = re.compile(r"“([^“”‘’]{1,20})’")


def fix_quotes(text: str) -> str:
    """Straighten Chinese double quotes in one paragraph.

    ASCII " between Chinese characters become “ ” alternately; a paragraph whose
    curly quotes all run backwards (”两张皮“) is turned round; a lone ’ closing a
    “ (“两个维护’) becomes ”.  Keeps the length.
    """
    if '"' not in text and "“" not in text and "”" not in text:
        return text  # no quotes: nothing to do
    idx = [m.start() for m in _DOUBLE_QUOTE.finditer(text)]
    seq = [text[i] for i in idx]  # the double quotes, in order
    # ASCII quotes in Chinese context → alternate open/close, continuing the curly sequence
    if '"' in text and CJK_RE.search(text):
        is_open = True
        for k, c in enumerate(seq):
            if c == '"':
                seq[k] = "“" if is_open else "”"
                is_open = not is_open
            else:
                is_open = c == "”"
    if len(seq) % 2 == 0 and all(c == ("”" if k % 2 == 0 else "“") for k, c in enumerate(seq)):
        seq = ["“" if k % 2 == 0 else "”" for k in range(len(seq))]
    out = text
    changed = [k for k, i in enumerate(idx) if text[i] != seq[k]]
    if changed:
        chars = list(text)
        for k in changed:
            chars[idx[k]] = seq[k]
        out = "".join(chars)
    # “两个维护’ : an opening double quote closed by a single one
    if "’" in out:
        out = _SINGLE_CLOSED.sub(lambda m: "“" + m.group(1) + "”", out)
    return out


_INLINE_JUNK = re.compile(r"【(?:资料图|图片|视频|组图|摄影)[^】]{0,10}】|〔资料图〕|（资料图）|\(资料图\)")


def drop_inline_junk(t: Traced) -> Traced:
    """Remove 【资料图】-style markers inside a line."""
    return t.sub(_INLINE_JUNK, "")


_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff\u2060]")
_WIDE_SPACE = re.compile(r"[\t\u3000\u00a0\u2002\u2003\u2009]")
_SPACES = re.compile(r" {2,}")


def normalize_spaces(t: Traced) -> Traced:
    """Zero-width characters out, tabs/ideographic/NBSP spaces to one space,
    runs of spaces folded, the line trimmed."""
    t = t.sub(_ZERO_WIDTH, "")
    t = t.sub(_WIDE_SPACE, " ")
    t = t.sub(_SPACES, " ")
    return t.strip()


_SPACE_BEFORE_MARK = re.compile(r" +(?=[，。、；：？！”’）》】])")
_SPACE_AFTER_MARK = re.compile(r"(?<=[，。、；：？！“‘（《【]) +")


def remove_space_before_punct(t: Traced) -> Traced:
    """'考核 ，' → '考核，' and '， 后文' → '，后文' (spaces hugging full-width marks)."""
    if " " not in t.text:
        return t
    t = t.sub(_SPACE_BEFORE_MARK, "")
    return t.sub(_SPACE_AFTER_MARK, "")


def clean_line(t: Traced) -> Traced:
    """All text rules for one line, in order."""
    t = normalize_spaces(t)
    t = t.sub(PINYIN_NOTE, "")
    t = drop_inline_junk(t)
    t = t.map_chars(fullwidth_punctuation)
    t = t.map_chars(fix_quotes)
    t = remove_space_before_punct(t)
    return t.strip()


# ---------------------------------------------------------------- line rules
_BOILERPLATE_PATTERNS = [
    # copyright / disclaimer footers
    r"版权所有|版权声明|版权归|Copyright|©|（C）|\(C\)|All Rights Reserved",
    r"本网信息来自于?互联网|本文内容由互联网用户|本站仅提供信息存储|不拥有所有权|不承担相关法律责任",
    r"涉嫌抄袭侵权|侵权请联系|侵删|如有侵权|免责声明|本站将立刻删除|一经查实",
    r"如若转载|转载请注明|未经授权|禁止转载|转载须|欢迎转载",
    r"ICP备|ICP证|公网安备|网安备",
    # 原文链接
    r"^(?:原文链接|原文地址|本文链接|本文地址|文章链接|阅读原文)",
    # paywall notices
    r"阅读全部图文内容|全文共\s*\d+\s*字|当前显示\s*\d+\s*字|开通会员|付费阅读|登录后(?:查看|阅读)|剩余\s*\d+%|展开全文|点击查看(?:全文|更多)|查看完整内容",
    # picture file names / image lines
    r"^\S+\.(?:jpe?g|png|gif|bmp|webp|tiff?)$",
    r"^(?:【资料图】|（资料图）|资料图|图片来源[：:].*|图\s*\d+)$",
]
_BOILERPLATE_RE = [re.compile(p, re.I) for p in _BOILERPLATE_PATTERNS]
# A character every match of a pattern contains, tested first where the pattern itself
# is slow to search (case-insensitive Latin words scan every character of every line).
_BOILERPLATE_NEEDS = {
    _BOILERPLATE_PATTERNS[0]: re.compile("[版c©a]", re.I),  # 版权… Copyright © （C） All Rights…
    _BOILERPLATE_PATTERNS[4]: re.compile("[i网]", re.I),  # ICP备 公网安备 网安备
    _BOILERPLATE_PATTERNS[7]: re.compile(r"\."),  # picture file names
}
_BOILERPLATE_CHECKS = [(_BOILERPLATE_NEEDS.get(rx.pattern), rx) for rx in _BOILERPLATE_RE]

_NAV_WORDS = (
    "相关新闻|相关阅读|相关文章|相关链接|延伸阅读|推荐阅读|热门推荐|点击排行|热点推荐|"
    "联系我们|关于我们|在线咨询|在线留言|网站地图|网站声明|设为首页|加入收藏|收藏本页|"
    "分享本页|分享到|分享至|返回顶部|返回首页|返回列表|回到顶部|打印本页|打印|关闭窗口|关闭|"
    "上一篇|下一篇|上一条|下一条|扫一扫|微信扫一扫|扫码|字号|大|中|小|【|】|责任编辑|"
    "首页|English|无障碍|登录|注册|更多|订阅|评论|点赞|收藏|转发|微博|微信|QQ空间"
)
_NAV_LINE = re.compile(rf"^(?:(?:{_NAV_WORDS})[\s:：>》|/·、,，]*)+$", re.I)
_CRUMB = re.compile(r"^(?:当前位置|您的位置|你的位置|所在位置)[：:]|^首页\s*(?:>|》|»|→)")


def boilerplate_reason(line: str) -> str | None:
    """Why a whole line is web boilerplate (None if it is not)."""
    s = line.strip()
    if not s:
        return None
    if _CRUMB.search(s):
        return "导航"
    if len(s) <= 40 and _NAV_LINE.match(s):
        return "导航"
    for needs, rx in _BOILERPLATE_CHECKS:
        if (needs is None or needs.search(s)) and rx.search(s):
            return "网页版权或广告"
    if URL_RE.fullmatch(s):
        return "链接"
    return None


# A line this long is an article pasted as one line, not a footer: only its
# boilerplate sentences go, never the whole line.
LONG_LINE = 200
_SENTENCE = re.compile(r"[^。！？!?；;]*(?:[。！？!?；;]+[”’」』）)]*|$)")


def drop_boilerplate_sentences(t: Traced) -> tuple[Traced, int]:
    """A long line without its boilerplate sentences, and how many went."""
    kept: list[Traced] = []
    dropped = 0
    for m in _SENTENCE.finditer(t.text):
        if m.start() == m.end():
            continue
        part = t[m.start() : m.end()]
        if boilerplate_reason(part.text):
            dropped += 1
        else:
            kept.append(part)
    if not kept:
        return t[0:0], dropped
    out = kept[0]
    for part in kept[1:]:
        out = out + part
    return out.strip(), dropped


_META_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("editor_note", re.compile(r"^[【\[]?编者按[】\]]?[\s:：]")),
    ("keywords", re.compile(r"^[【\[]?关\s*键\s*[词字][】\]]?\s*[:：]")),
    ("source", re.compile(r"^(?:文章|信息|稿件|新闻)?来\s*源(?:于)?\s*[:：]")),
    (
        "byline",
        re.compile(
            r"^(?:本报|本刊|本网)?(?:特约)?(?:记者|通讯员|作者|撰稿人?|供稿|责任编辑|责编|编辑|审核|审校|校对|摄影|摄)(?:\s*[:：]\s*|\s+)[\u4e00-\u9fff·]{2,4}(?:[\s、，][\u4e00-\u9fff·]{2,4})*\s*$"
            r"|^文\s*[/／:：]\s*[\u4e00-\u9fff]{2,}"
        ),
    ),
    (
        "date",
        re.compile(
            r"^(?:发布|更新|发表)?(?:时间|日期)\s*[:：]"
            r"|^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
        ),
    ),
]


_META_LABEL = re.compile(r"(?:编辑|作者|记者|通讯员|来源|发布时间|时间|日期|浏览次数|点击数|点击|阅读量|字号)\s*[:：]")


def meta_kind(line: str) -> str | None:
    """Metadata kind of a whole line (来源, byline, date, 关键词, 编者按), or None.

    Bylines and dates must be short lines; an 编者按 may be long."""
    s = line.strip()
    labels = _META_LABEL.findall(s) if len(s) <= 100 and "。" not in s else []
    if len(labels) >= 2:  # "编辑：黄荣 信息来源：西e网 发布时间：2019-1-23" on one line: the first label says
        return "date" if re.search("时间|日期", labels[0]) else "source" if "来源" in labels[0] else "byline"
    for kind, rx in _META_PATTERNS:
        if rx.search(s):
            if kind in ("byline", "date", "source") and len(s) > 60:
                continue
            if kind == "date" and ("。" in s or "，" in s):
                continue
            return kind
    return None


_TRAILING_NAME = re.compile(
    r"(?<=[。！？”])\s*[（(]\s*([\u4e00-\u9fff·]{2,4}(?:[、，,\s][\u4e00-\u9fff·]{2,4}){0,3})\s*[）)]\s*$"
)
_NOT_NAMES = {
    "试行",
    "草案",
    "节选",
    "摘要",
    "摘编",
    "待续",
    "完",
    "全文",
    "未完",
    "上",
    "下",
    "续",
    "原文",
    "有删节",
    "略",
}


def split_trailing_byline(text: str) -> tuple[str, str | None]:
    """'……贡献力量。（兰桂萍）' → ('……贡献力量。', '兰桂萍')."""
    m = _TRAILING_NAME.search(text)
    if not m or m.group(1) in _NOT_NAMES:
        return text, None
    return text[: m.start()].rstrip(), m.group(1)


_PLACEHOLDER_RE = re.compile(
    r"\*{3,}|\*{2}(?:[省市县区镇乡村]|(?=[\u4e00-\u9fff]))"  # *** / **县
    r"|(?<![A-Za-z])(?:XX|xx|Xx|ＸＸ|××|ZZ|zz)(?![A-Za-z])"
    r"|\?{2,}|？{2,}|\ufffd+"  # lost characters
    r"|某某某"
)


_PLACEHOLDER_CHAR = re.compile("[*XxＸ×Zz?？\ufffd某]")  # a character every placeholder contains


def find_placeholders(text: str) -> list[re.Match]:
    """Masked or placeholder text (***, XX/xx, **县, ZZ, lost characters)."""
    if not _PLACEHOLDER_CHAR.search(text):
        return []  # most passages: one fast scan instead of the full pattern at every character
    return list(_PLACEHOLDER_RE.finditer(text))


def ends_sentence(text: str) -> bool:
    """Does the text end with sentence-final punctuation (allowing closing quotes)?"""
    s = text.rstrip().rstrip(CLOSERS)
    return bool(s) and s[-1] in TERMINAL + "；;：:"
