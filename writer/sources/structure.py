"""From a file's text to a Source: articles, headings, passages, sentences.

Stages, each a function from data to data:
  lines()            text → cleaned lines with provenance (boilerplate dropped)
  classify()         each line: title? unit? heading? caption? meta? body?
  join_broken_headings()  a heading broken across two lines is rejoined
  join_broken()      paragraphs broken mid-sentence or hard-wrapped are rejoined
  split_articles()   a compilation becomes several articles
  build_article()    heading tree, paragraphs, run-in sub-points → passages
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from writer.model.corpus import (
    ABSTRACT,
    BODY,
    CLOSING,
    OPENING,
    Article,
    Heading,
    Location,
    Meta,
    Notice,
    Passage,
    Source,
)
from writer.sources import cleaning, script
from writer.sources.cleaning import ends_sentence
from writer.sources.reading import RawDocument

# SCHEMA (bump it whenever reading, cleaning or structuring would give a different Source
# for the same bytes) and RESULTS_RE live in schema.py: read without compiling this module.
from writer.sources.schema import RESULTS_RE, SCHEMA  # noqa: F401
from writer.text.enumerators import CN_NUM, H1_RE, H2_RE, H3_RE, H4_RE, RUNIN_RE
from writer.text.punctuation import CJK
from writer.text.traced import LineIndex, Traced, join

# ------------------------------------------------------------------ patterns
SENT_RE = re.compile(r"[^。！？!?…]*(?:[。！？!?]+|…{1,2}|$)[”’」』）)]*")

PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|内蒙古|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|"
    "广东|广西|海南|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|香港|澳门|台湾"
)
_PLACE = r"(?:(?!检察|机关|人民)[^\W\d_的在和与及为是对将由向从等])(?:(?!检察|机关|人民)[^\W\d_的在和与及为是对将由向从等]){0,7}?(?:省|自治区|自治州|市|州|盟|地区|县|区|旗)"
ORG_TAIL = r"(?:人民)?检察(?:院|分院)(?:第[一二三四五六七八九十\d]+分院)?"
SUB_UNIT = rf"(?:[{CJK}、和与]{{0,16}}(?:党支部|党总支|党委|检察部|检察室|检察处|部|处|室|厅|局|团队|办案组))?"
# A unit line: "上海市检察院" / "江苏省昆山市检察院第四党支部" / "云南省…检察院党组书记、检察长 王辉"
UNIT_LINE_RE = re.compile(rf"^(?P<unit>(?:{_PLACE})*?[{CJK}]{{0,6}}{ORG_TAIL}{SUB_UNIT})(?P<rest>.*)$")
ORG_MENTION_RE = re.compile(
    rf"(?:(?:{PROVINCES})(?:省|市|自治区|维吾尔自治区|壮族自治区|回族自治区)?)?(?:{_PLACE}){{0,3}}{ORG_TAIL}"
)
_UNIT_PREFIX_JUNK = re.compile(
    r"^(?:近年来|今年以来|同时|此外|近日|目前|在|由|对|与|和|及|是|为|将|据|经|该|其|被|向|从|让)+"
)
OPENING_RE = re.compile(
    r"^(?:近年来|近年|近些年|今年以来|近期|近日|自\S{0,12}以来|\d{4}年以来|多年来|长期以来|党的[十二三四五六七八九]+大以来)"
)
# a news lead: "本报讯（记者……）5月28日，……", "中国法院网讯 （汪羚）", "新华社北京5月28日电（记者……）"
NEWS_LEAD_RE = re.compile(r"^(?:[^，。；：\s]{0,12}?(?:讯|\d日电)\s*[（(【]|(?:本报|本网|本刊)讯)")
CLOSING_RE = re.compile(r"^(?:下一步|下步|今后|未来|接下来|展望未来|在今后|站在新的起点)")
# a paragraph announcing what follows: "现将有关情况介绍如下。", "主要做法汇报如下："
INTRO_RE = re.compile(r"(?:现将|现就|特将|下面将)[^。]{0,30}?(?:介绍|报告|汇报|总结|简介)如下[。：:]?$")
ABSTRACT_RE = re.compile(r"^(?:内容)?(?:摘\s*要|提\s*要)\s*[:：]\s*")
CAPTION_HINT = re.compile(r"(?:现场|合影|留影|图为|摄$|供图|照片|剪影|掠影|活动中)")
CONNECTIVES = re.compile(
    r"^(?:同时|此外|另外|目前|今年|近年|截至|通过|其中|如|例如|对此|为此|因此|但|并|该院|我院|这|在|此|而|且|又|还|也|从|自|据|经|其|由于|随着|针对|按照|围绕)"
)

# small patterns of the hot paths, compiled once
_DIGIT_RE = re.compile(r"\d")
_WORD_RE = re.compile(r"\w")
_HARD_STOP_RE = re.compile(r"[。；！？]")
_INNER_MARK_RE = re.compile(r"[，；：]")
_CJK_CHAR_RE = re.compile(f"[{CJK}]")
_CONTINUES_RE = re.compile(f"[{CJK}\\w“‘《（]")  # a line that can continue a broken paragraph
_ORGAN_RE = re.compile(rf"(?:{PROVINCES})[{CJK}]{{0,6}}?检察机关")
_PLACE_ORGAN_RE = re.compile(rf"((?:{PROVINCES})[{CJK}]{{0,4}}?(?:省|市|自治区))检察机关")
_CLOSERS_ONLY = "”’」』）)。！？"  # a "sentence" of only these joins the one before
_CLAUSE_END_RE = re.compile(r"[，,：:]")
_COMMA_RE = re.compile(r"[，,]")
_STRIP_NUMBER_RE = re.compile(rf"^\s*([{CN_NUM}]{{1,3}}是|首先|其次|再次|最后)[，,：:]?")
_RUNIN_NUMBER_RE = re.compile(rf"^([{CN_NUM}]{{1,3}}是|首先|其次|再次|最后)(?=[，,：:]?\S)")
_UNIT_TITLE_RE = re.compile(rf"^([{CJK}]{{0,20}}?{ORG_TAIL})[：:](.+)$")


# ------------------------------------------------------------------ lines
@dataclass
class Line:
    t: Traced  # cleaned text with provenance
    blank_before: int  # blank lines before it
    style: str | None = None  # docx paragraph style hint
    cls: str = "body"  # body | title | unit | heading | caption | meta | abstract
    meta_kind: str | None = None
    level: int = 0
    number: str = ""
    unit: str | None = None
    rest: str = ""  # unit line: what follows the unit (position, author)

    @property
    def text(self) -> str:
        return self.t.text


def lines_of(raw: RawDocument, notices: list[Notice]) -> list[Line]:
    """Cleaned non-empty lines with their blank-line context; boilerplate dropped."""
    out: list[Line] = []
    offset = 0
    blank = 0
    styles = raw.line_styles
    text = raw.text
    simplified = script.to_simplified(text)
    if simplified:
        text = simplified[0]
        notices.append(Notice("traditional", f"繁体字已按简体读入（{simplified[1]} 字）", raw.path))
    for n, line in enumerate(text.split("\n")):
        t = cleaning.clean_line(Traced(line, start=offset))
        offset += len(line) + 1
        if not t.text:
            blank += 1
            continue
        if cleaning.boilerplate_reason(t.text):
            if len(t.text) <= cleaning.LONG_LINE:
                blank += 1  # a dropped line separates like a blank one
                continue
            t, dropped = cleaning.drop_boilerplate_sentences(t)
            notices.append(Notice("boilerplate", f"长行中删去网页套话 {dropped} 句，其余保留", raw.path, n + 1))
            if not t.text:
                blank += 1
                continue
        out.append(Line(t, blank, styles[n] if n < len(styles) else None))
        blank = 0
    return out


# ------------------------------------------------------------------ classify
# what a title says after its unit, never a position or a name
_TITLE_REST_RE = re.compile(
    r"召开|举办|举行|开展|推进|加强|深化|打造|坚持|探索|构建|创新|实施|荣获|获评|党建|工作|情况|经验|做法|材料|建设|机制|活动|^[以把用让在]"
)


def unit_of_line(text: str) -> tuple[str, str] | None:
    """If the whole line names a unit, return (unit, rest)."""
    if len(text) > 48 or ends_sentence(text) or "，" in text:
        return None
    m = UNIT_LINE_RE.match(text)
    if not m:
        return None
    unit, rest = m.group("unit"), m.group("rest").strip()
    unit = _UNIT_PREFIX_JUNK.sub("", unit)
    if len(unit) < 3:
        return None
    # rest may only be a position and a name: "党组书记、检察长 王辉"
    if rest and (len(rest) > 24 or _HARD_STOP_RE.search(rest) or _TITLE_REST_RE.search(rest)):
        return None  # "……检察院召开机关党建工作推进会" is a title that opens with its unit
    return unit, rest


def heading_of(text: str) -> tuple[int, str, str] | None:
    """(level, enumerator, remainder) for a numbered heading start."""
    for level, rx in ((2, H2_RE), (4, H4_RE), (1, H1_RE), (3, H3_RE)):
        m = rx.match(text)
        if m:
            rest = text[m.end() :]
            if level == 3 and _DIGIT_RE.match(rest):
                return None
            if level == 1 and rest.startswith("是"):
                return None  # 一是… is a run-in sub-point
            return level, text[: m.end()].strip(), rest
    return None


def is_title_like(text: str, max_len: int = 50) -> bool:
    """A short line that reads like a title or an unnumbered heading."""
    if len(text) > max_len or len(text) < 4:
        return False
    if ends_sentence(text) and not text.endswith(("？", "！")):
        return False
    if text.count("，") > 1 or "；" in text:
        return False
    if not _CJK_CHAR_RE.search(text):
        return False
    return True


def classify(lines: list[Line]) -> None:
    """Give each line its class, in place."""
    for i, ln in enumerate(lines):
        text = ln.text
        kind = cleaning.meta_kind(text)
        if kind:
            ln.cls, ln.meta_kind = "meta", kind
            continue
        if ABSTRACT_RE.match(text):
            ln.cls = "abstract"
            continue
        if ln.style and (ln.style == "Title" or ln.style.startswith("Heading")):
            ln.cls = "title" if ln.style == "Title" else "heading"
            ln.level = 0 if ln.style == "Title" else int(re.sub(r"\D", "", ln.style) or 1)
            h = heading_of(text)
            if h:
                ln.number = h[1]
            continue
        unit = unit_of_line(text)
        if unit:
            ln.cls, ln.unit, ln.rest = "unit", unit[0], unit[1]
            continue
        h = heading_of(text)
        if h:
            level, number, rest = h
            # a standalone numbered heading, or a run-in one ("1.旗帜鲜明讲政治，……。一是……")
            ln.cls, ln.level, ln.number = "heading", level, number
            continue
        if _is_caption(lines, i):
            ln.cls = "caption"
            continue
        if is_title_like(text, 90 if i == 0 else 50) or _is_sentence_heading(lines, i):
            ln.cls = "title"  # provisional: a title or an unnumbered heading


def promote_top_heading(lines: list[Line]) -> None:
    """A styled heading on the first line with no heading of its level or above
    after it (Markdown '# 标题', a .docx whose title uses Heading 1) is the title."""
    if not lines or lines[0].cls != "heading" or not lines[0].style:
        return
    top = lines[0].level
    if all(not (l.cls == "heading" and l.style and l.level <= top) for l in lines[1:]):
        lines[0].cls, lines[0].level = "title", 0
        for l in lines[1:]:
            if l.cls == "heading" and l.style:
                l.level = max(1, l.level - top)


def _is_caption(lines: list[Line], i: int) -> bool:
    """A photo caption: a short standalone one-sentence line set apart by blank
    lines, typically between paragraphs (often in the middle of a broken one)."""
    text = lines[i].text
    if len(text) > 45 or not text.endswith("。") or _INNER_MARK_RE.search(text[:-1]):
        return False
    if i == 0 or i == len(lines) - 1:
        return False
    prev, nxt = lines[i - 1], lines[i + 1]
    set_apart = lines[i].blank_before >= 1 and nxt.blank_before >= 1
    if not set_apart:
        return False
    broken_around = not ends_sentence(prev.text) and len(prev.text) > 50
    far = lines[i].blank_before >= 2
    return bool(CAPTION_HINT.search(text)) or broken_around or far


def _is_sentence_heading(lines: list[Line], i: int) -> bool:
    """A short one-sentence line on its own ("坚持学字当头，凝心铸魂。",
    "第一，要在建强基层党组织上下更大功夫。") directly followed by a longer
    paragraph heads that paragraph."""
    text = lines[i].text
    if i == 0 or i + 1 >= len(lines) or not 6 <= len(text) <= 26 or not text.endswith("。"):
        return False
    if _HARD_STOP_RE.search(text[:-1]) or text.count("，") > 2 or _DIGIT_RE.search(text):
        return False
    if CLOSING_RE.match(text) or RESULTS_RE.match(text) or OPENING_RE.match(text):
        return False
    prev, nxt = lines[i - 1], lines[i + 1]
    if prev.cls == "body" and not ends_sentence(prev.text):
        return False  # the tail of a broken or hard-wrapped paragraph
    return nxt.cls == "body" and len(nxt.text) >= max(40, 2 * len(text)) and nxt.blank_before <= 1


# ------------------------------------------------------------------ joining
HEADING_FRAGMENT_MAX = 8  # the tail of a heading broken across two lines is short …
# … and a heading line cut in mid-phrase often ends in a function word
CUT_ENDING = "的在到和与及把让为向对以于之将从使"


def join_broken_headings(lines: list[Line]) -> list[Line]:
    """A heading broken across two lines ("二、坚持把制度挺在前面，让责任落到" / "实处")
    is one heading: the short fragment on the next line is not a passage.  The
    heading must be numbered, end in mid-phrase (a function word such as 的/在/到) or
    be followed on the very next line by three characters or fewer ("主战场"); the
    fragment is a few characters without punctuation, and text follows it."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        # a line of three characters or fewer is too short to be a heading of its own
        tiny = nxt is not None and len(nxt.text) <= 3 and nxt.blank_before == 0
        cut = ln.cls == "heading" or (ln.cls == "title" and i > 0 and (ln.text.endswith(tuple(CUT_ENDING)) or tiny))
        if (
            nxt is not None
            and i + 2 < len(lines)
            and cut
            and len(ln.text) >= 8
            and not ends_sentence(ln.text)
            and not ln.text.endswith(("，", "、", "？", "！"))
            and nxt.cls in ("body", "title")
            and nxt.blank_before <= 1
            and 2 <= len(nxt.text) <= HEADING_FRAGMENT_MAX
            and re.fullmatch(f"[{CJK}“”]+", nxt.text)
        ):
            ln = Line(join([ln.t, nxt.t]), ln.blank_before, ln.style, ln.cls, ln.meta_kind, ln.level, ln.number)
            i += 1
        out.append(ln)
        i += 1
    return out


def is_hard_wrapped(lines: list[Line]) -> bool:
    """Lines cut at a fixed width (no blank line between paragraphs): most body
    lines end without sentence punctuation and share a common length."""
    body = [l.text for l in lines if l.cls in ("body", "title")]
    if len(body) < 4:
        return False
    open_ended = sum(1 for t in body if not ends_sentence(t))
    if open_ended < 0.5 * len(body):
        return False
    lengths = sorted(len(t) for t in body)
    wrap = lengths[int(len(lengths) * 0.8)]
    near = sum(1 for n in lengths if n >= 0.85 * wrap)
    return wrap <= 120 and near >= 0.4 * len(body)


def join_broken(lines: list[Line]) -> list[Line]:
    """Rejoin paragraphs broken mid-sentence ("开" + blank + "展文化润检") and
    hard-wrapped lines, stepping over captions that sit in the break."""
    wrapped = is_hard_wrapped(lines)
    out: list[Line] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        joinable = ln.cls in ("body", "abstract") or (ln.cls == "meta" and ln.meta_kind == "editor_note")
        if wrapped and ln.cls == "title" and i > 0:
            joinable = False
        if not joinable:
            out.append(ln)
            i += 1
            continue
        j = i + 1
        while j < len(lines):
            k = j
            while k < len(lines) and lines[k].cls == "caption":
                k += 1
            if k >= len(lines):
                break
            nxt = lines[k]
            tail = ln.text
            if ends_sentence(tail) or len(tail) < (8 if wrapped else 20):
                break
            if not wrapped and not _CONTINUES_RE.match(nxt.text):
                break
            if nxt.blank_before == 0 and k == j and not wrapped:
                break  # adjacent lines are separate paragraphs unless the file is hard-wrapped
            if nxt.cls == "title":
                if not wrapped and len(tail) < 60:
                    break
            elif nxt.cls != "body":
                break
            out.extend(lines[j:k])  # captions found inside the break stay as captions
            ln = Line(join([ln.t, nxt.t]), ln.blank_before, ln.style, ln.cls, ln.meta_kind)
            j = k + 1
        out.append(ln)
        i = j
    return out


# ------------------------------------------------------------------ articles
@dataclass
class ArticleDraft:
    title: Line | None = None
    subtitle: Line | None = None
    unit_line: Line | None = None
    lines: list[Line] = field(default_factory=list)


def _next_content(lines: list[Line], i: int, skip_meta: bool = False) -> int | None:
    j = i + 1
    while j < len(lines) and (lines[j].cls == "caption" or (skip_meta and lines[j].cls == "meta")):
        j += 1
    return j if j < len(lines) else None


def _is_byline(ln: Line) -> bool:
    return ln.cls == "meta" and ln.meta_kind in ("byline", "source", "date")


def find_article_starts(lines: list[Line]) -> list[tuple[int, int | None, int | None, int]]:
    """Article starts as (first line, title index, subtitle index, body start)."""
    starts: list[tuple[int, int | None, int | None, int]] = []
    i = 0
    n = len(lines)
    while i < n:
        ln = lines[i]
        if ln.cls == "title":
            j = _next_content(lines, i)
            if j is not None and lines[j].cls == "unit":
                starts.append((i, i, None, j))
                i = j + 1
                continue
            if j is not None and _is_byline(lines[j]):
                starts.append((i, i, None, j))
                i = j + 1
                continue
            if j is not None and lines[j].cls == "title" and lines[j].blank_before <= 1:
                k = _next_content(lines, j)
                if k is not None and (lines[k].cls == "unit" or _is_byline(lines[k])):
                    starts.append((i, i, j, k))
                    i = k + 1
                    continue
        elif ln.cls == "unit":
            prev_title = i > 0 and lines[i - 1].cls == "title"
            if not prev_title and (i == 0 or ln.blank_before >= 1 or ends_sentence(lines[i - 1].text)):
                starts.append((i, None, None, i))
        i += 1
    return starts


def split_articles(lines: list[Line]) -> tuple[list[ArticleDraft], list[Line]]:
    """Split into article drafts; returns (articles, preface lines of the file)."""
    starts = find_article_starts(lines)
    # A single article whose title/unit stand at the top: no preface.
    if not starts:
        return [_single_article(lines)], []
    drafts: list[ArticleDraft] = []
    preface = lines[: starts[0][0]]
    if len(starts) == 1 and any(l.cls in ("body", "abstract") for l in preface):
        # the lone "start" is inside an ordinary article: treat the file as one article
        return [_single_article(lines)], []
    for n, (_first, ti, si, body) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        d = ArticleDraft()
        d.title = lines[ti] if ti is not None else None
        d.subtitle = lines[si] if si is not None else None
        if lines[body].cls == "unit":
            d.unit_line = lines[body]
            d.lines = lines[body + 1 : end]
        else:
            d.lines = lines[body:end]
        drafts.append(d)
    # a title standing alone at the very end belongs to the last untitled article
    last = drafts[-1]
    tail = [l for l in last.lines if l.cls not in ("caption",)]
    if tail and tail[-1].cls == "title" and tail[-1].blank_before >= 1:
        orphan = tail[-1]
        for d in reversed(drafts):
            if d.title is None:
                d.title = orphan
                last.lines = [l for l in last.lines if l is not orphan]
                break
    if len(drafts) == 1 and not preface:
        return drafts, []
    return drafts, preface


def _single_article(lines: list[Line]) -> ArticleDraft:
    d = ArticleDraft()
    rest = list(lines)
    # leading title lines (a duplicate second title is dropped)
    if rest and rest[0].cls == "title":
        d.title = rest.pop(0)
        while rest and rest[0].cls == "title" and _similar(rest[0].text, d.title.text):
            rest.pop(0)
        if rest and rest[0].cls == "title" and rest[0].text.startswith(("——", "--", "—")):
            d.subtitle = rest.pop(0)
    while rest and rest[0].cls == "meta":
        d.lines.append(rest.pop(0))
    if rest and rest[0].cls == "unit":
        d.unit_line = rest.pop(0)
    d.lines.extend(rest)
    return d


def _similar(a: str, b: str) -> bool:
    sa, sb = set(a), set(b)
    return len(sa & sb) >= 0.8 * max(len(sa), len(sb))


# ------------------------------------------------------------------ units
def find_unit_in_text(text: str) -> str | None:
    """The first full organisation name in a text (e.g. 内蒙古自治区包头市检察院)."""
    for m in ORG_MENTION_RE.finditer(text):
        name = _UNIT_PREFIX_JUNK.sub("", m.group(0))
        if len(name) >= 5 and not name.startswith(("检察", "人民检察")):
            return name
    organ = _ORGAN_RE.search(text)
    return organ.group(0) if organ else None


def qualify_unit(unit: str, text: str) -> str:
    """'市检察院' with no place name: borrow the place from '北京市检察机关' in the text."""
    if not re.match(r"^(?:市|区|县|省)", unit):
        return unit
    m = _PLACE_ORGAN_RE.search(text)
    if m and m.group(1).endswith(unit[0]):
        return m.group(1) + unit[1:]
    return unit


# ------------------------------------------------------------------ sentences
def split_sentences(text: str) -> list[str]:
    """Sentences ending in 。！？… (closing quotes stay with their sentence)."""
    out = [s for s in (g.strip() for g in SENT_RE.findall(text)) if s]
    # a sentence that is only closing punctuation joins the previous one
    merged: list[str] = []
    for s in out:
        if merged and not s.strip(_CLOSERS_ONLY):
            merged[-1] += s
        else:
            merged.append(s)
    return merged


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in SENT_RE.finditer(text):
        g = m.group(0)
        if g.strip():
            spans.append((m.start() + (len(g) - len(g.lstrip())), m.end()))
    return spans


# ------------------------------------------------------------------ sub-points
def _first_clause(sentence: str) -> str:
    m = _CLAUSE_END_RE.search(sentence)
    return sentence[: m.start()] if m else sentence


def _lead_candidate(sentence: str) -> bool:
    core = sentence.rstrip("。！？；")
    if not (4 <= len(core) <= 32):
        return False
    if _DIGIT_RE.search(core) or CONNECTIVES.match(core):
        return False
    if core.count("，") > 1:
        return False
    return True


def find_lead_starts(paragraphs: list[str], parallel: bool = True) -> set[tuple[int, int]]:
    """Run-in lead sentences found by parallelism across an article.

    Returns {(paragraph index, char offset)} where a sub-point starts.  A lead is a
    short sentence ("思想铸魂强根基。", "实施“融合发展赋能”工程。",
    "压实主体责任，从严管党治检。") that has parallel siblings: the same first two
    characters, or the same shape (first clause length + second clause opening)."""
    cands: list[tuple[int, int, str]] = []
    all_spans = [_sentence_spans(para) for para in paragraphs]
    for pi, para in enumerate(paragraphs):
        for a, b in all_spans[pi]:
            s = para[a:b]
            clause = _first_clause(s)
            short = _lead_candidate(s)
            if short or (4 <= len(clause) <= 16 and not CONNECTIVES.match(clause) and not _DIGIT_RE.search(clause)):
                cands.append((pi, a, s if short else ""))
                cands[-1] = (pi, a, s) if short else (pi, a, "~" + clause)
    groups: dict[tuple, list[tuple[int, int]]] = {}
    shorts: dict[tuple, int] = {}
    for pi, a, s in cands:
        is_short = not s.startswith("~")
        body = s.lstrip("~")
        keys: list[tuple[str | int, ...]] = [("first2", body[:2])]
        parts = _COMMA_RE.split(body.rstrip("。！？；"), maxsplit=1)
        if is_short and len(parts) == 2 and len(parts[0]) <= 8:
            keys.append(("shape", len(parts[0]), parts[1][:2]))
        if is_short and len(parts) == 1 and 5 <= len(parts[0]) <= 10:
            keys.append(("tiny", len(parts[0])))  # 筑牢思想根基。夯实组织基础。
        for key in keys:
            groups.setdefault(key, []).append((pi, a))
            if is_short:
                shorts[key] = shorts.get(key, 0) + 1
    starts: set[tuple[int, int]] = set()
    for key, members in groups.items():
        if parallel and shorts.get(key, 0) >= 2 and len(members) >= 2:
            starts.update(members)
    # paragraph-initial short sentences are leads too ("留心积累齐育苗。")
    for pi, para in enumerate(paragraphs):
        spans = all_spans[pi]
        if len(spans) >= 2:
            s = para[spans[0][0] : spans[0][1]]
            if _lead_candidate(s) and len(s) <= 20 and s.count("，") <= (1 if len(s) <= 13 else 0):
                starts.add((pi, spans[0][0]))
    return starts


def lead_of(text: str) -> str | None:
    """The lead phrase of a sub-point: its first sentence if short, else its first clause."""
    sents = split_sentences(text)
    if not sents:
        return None
    first = sents[0].rstrip("。！？；")
    if len(first) <= 40 and len(sents) > 1:
        return first
    clause = _first_clause(first)
    if 4 <= len(clause) <= 24 and clause != first:
        return clause
    return None


def strip_number(text: str) -> tuple[str, str]:
    """('一是', '强化……') from '一是强化……'."""
    m = _STRIP_NUMBER_RE.match(text)
    if m:
        return m.group(1), text[m.end() :]
    h = heading_of(text)
    if h:
        return h[1], h[2]
    return "", text


# ------------------------------------------------------------------ passages
def _passage_id(text: str) -> str:
    return "p" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


@dataclass
class Piece:
    t: Traced
    heading: tuple[str, ...]
    kind: str
    number: str = ""
    lead: str | None = None


def _split_runin(t: Traced) -> list[tuple[Traced, str]]:
    """Split a paragraph at 一是/二是… enumerators; returns [(piece, number)]."""
    text = t.text
    ms = list(RUNIN_RE.finditer(text))
    nums = [m.group(1) for m in ms]
    if len(ms) < 2 or not any(n.endswith("是") for n in nums) and not {"首先", "其次"} <= set(nums):
        return [(t, "")]
    pieces = len(ms) + (1 if ms[0].start(1) > 0 else 0)  # a lead-in before 一是 is a piece too
    if len(text) / pieces < 45:
        return [(t, "")]  # short enumerations stay one passage
    out = []
    cuts = [m.start(1) for m in ms]
    if cuts[0] > 0:
        out.append((t[: cuts[0]], ""))
    for k, c in enumerate(cuts):
        end = cuts[k + 1] if k + 1 < len(cuts) else len(text)
        out.append((t[c:end], nums[k]))
    return [(p.strip(), n) for p, n in out if p.strip().text]


def build_article(d: ArticleDraft, raw: RawDocument, index: LineIndex, n: int, notices: list[Notice]) -> Article:
    """One article draft → Article: title and unit, heading tree, pieces (run-in
    sub-points split, leads found), opening/closing kinds, passages and notices."""
    b = _ArticleBuilder(raw.path, index, notices)
    title, unit = b.title_and_unit(d)
    body_lines, unit = b.walk_lines(d.lines, unit)
    body_lines = b.split_trailing_byline(body_lines)
    pieces = _merge_lead_only(_pieces(body_lines))
    _mark_opening_closing(pieces, has_headings=bool(b.headings))
    unit = _unit_from_text(unit, pieces)
    passages = b.passages(pieces)
    b.notice_truncation(passages)
    stem = b.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    subtitle = d.subtitle.text if d.subtitle else None
    return Article(
        f"{stem}#{n}", title, subtitle, unit, tuple(b.meta), tuple(b.headings), tuple(passages), b.article_location(d)
    )


BodyLine = tuple[Line, tuple[str, ...]]  # a body line and its heading path


class _ArticleBuilder:
    """What build_article collects while it walks one article: metadata, the
    heading tree (and the open heading path), notices; each phase is a method."""

    def __init__(self, path: str, index: LineIndex, notices: list[Notice]):
        self.path = path
        self.index = index
        self.notices = notices
        self.meta: list[Meta] = []
        self.headings: list[Heading] = []
        self.stack: list[tuple[int, str]] = []  # open headings: (level, text)

    def loc(self, t: Traced, a: int = 0, b: int | None = None) -> Location:
        s, e = t.span(a, b)
        return Location(self.path, self.index.line_of(s), self.index.line_of(max(s, e - 1)), s, e)

    # -------------------------------------------------------- title and unit
    def title_and_unit(self, d: ArticleDraft) -> tuple[str | None, str | None]:
        """Title and unit from the draft's title and unit lines ("系列名 | 单位：标题")."""
        title = d.title.text if d.title else None
        unit = d.unit_line.unit if d.unit_line else None
        if d.unit_line and d.unit_line.rest:
            self.meta.append(Meta("author", d.unit_line.rest, self.loc(d.unit_line.t)))
        if title:
            assert d.title is not None
            m = re.match(r"^(.{2,40}?)\s*[|｜]\s*(.+)$", title)
            if m:
                self.meta.append(Meta("meeting", m.group(1).strip(), self.loc(d.title.t)))
                title = m.group(2).strip()
            m = _UNIT_TITLE_RE.match(title)
            if m:
                unit = unit or m.group(1)
                title = m.group(2).strip()
        return title, unit

    # -------------------------------------------------------- lines and headings
    def walk_lines(self, lines: list[Line], unit: str | None) -> tuple[list[BodyLine], str | None]:
        """Metadata and headings are collected; body lines come back with their
        heading paths.  The first unit line names the unit if nothing did yet."""
        body_lines: list[BodyLine] = []
        has_numbered_h1 = any(l.cls == "heading" and l.level == 1 for l in lines)
        for ln in lines:
            if ln.cls == "meta":
                self.meta.append(Meta(ln.meta_kind or "meta", ln.text, self.loc(ln.t)))
                continue
            if ln.cls == "caption":
                self.meta.append(Meta("caption", ln.text, self.loc(ln.t)))
                continue
            if ln.cls == "unit":
                if unit is None:
                    unit = ln.unit
                    if ln.rest:
                        self.meta.append(Meta("author", ln.rest, self.loc(ln.t)))
                    continue
                ln.cls = "body"
            if ln.cls == "title":
                # an unnumbered heading inside the article
                level = (self.stack[-1][0] + 1 if self.stack else 1) if has_numbered_h1 else 1
                if self.headings and self.stack and not self.headings[-1].number and ln.text.endswith("。"):
                    level = self.stack[-1][0]  # sentence headings in a row are siblings
                self.push_heading(min(level, 4), ln.text.rstrip("。"), "", ln.t)
                continue
            if ln.cls == "heading":
                run_in = self.heading_line(ln)
                if run_in is not None:
                    body_lines.append((run_in, self.path_now()))
                continue
            kind_line = ln
            if ln.cls == "abstract":
                m = ABSTRACT_RE.match(ln.text)
                assert m is not None
                kind_line = Line(ln.t[m.end() :], ln.blank_before, cls="abstract")
            body_lines.append((kind_line, self.path_now()))
        return body_lines, unit

    def path_now(self) -> tuple[str, ...]:
        return tuple(h for _, h in self.stack)

    def push_heading(self, level: int, text: str, number: str, t: Traced) -> None:
        if not text.strip("。，、；：！？“”‘’（）《》 "):
            return  # an enumerator with no heading text is noise
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, text))
        self.headings.append(Heading(text, level, number, self.loc(t)))

    def heading_line(self, ln: Line) -> Line | None:
        """Push a numbered heading; a run-in heading ("1.旗帜鲜明讲政治，……。一是……")
        returns the body text that follows its first sentence."""
        number, rest = ln.number, ln.text[len(ln.number) :] if ln.number and ln.text.startswith(ln.number) else ln.text
        if not number:
            h = heading_of(ln.text)
            if h:
                number, rest = h[1], h[2]
        rest_t = ln.t[len(ln.text) - len(rest) :]
        sents = split_sentences(rest)
        if len(sents) > 1 or (sents and len(rest) > 50 and ends_sentence(rest)):
            head = sents[0].rstrip("。；")
            self.push_heading(ln.level or 1, head, number, ln.t)
            body_t = rest_t[len(sents[0]) :].strip()
            return Line(body_t, 0) if body_t.text else None
        self.push_heading(ln.level or 1, rest.rstrip("。"), number, ln.t)
        return None

    def split_trailing_byline(self, body_lines: list[BodyLine]) -> list[BodyLine]:
        """A trailing byline "（兰桂萍）" leaves the last paragraph for the metadata."""
        if body_lines:
            last, hp = body_lines[-1]
            text, name = cleaning.split_trailing_byline(last.text)
            if name:
                self.meta.append(Meta("byline", name, self.loc(last.t, len(text))))
                body_lines[-1] = (Line(last.t[: len(text)], last.blank_before, cls=last.cls), hp)
        return body_lines

    # -------------------------------------------------------- passages
    def passages(self, pieces: list[Piece]) -> list[Passage]:
        """Passages of the pieces that say something, with a notice per placeholder."""
        out: list[Passage] = []
        for pc in pieces:
            text = pc.t.text
            if not _WORD_RE.search(text):
                continue  # punctuation only: nothing to say
            for m in cleaning.find_placeholders(text):
                s, _ = pc.t.span(m.start(), m.end())
                self.notices.append(
                    Notice(
                        "placeholder",
                        f"疑似屏蔽或占位文字“{m.group(0)}”，请核对原文补全",
                        self.path,
                        self.index.line_of(s),
                        _excerpt(text, m.start()),
                    )
                )
            out.append(
                Passage(
                    id=_passage_id(text),
                    kind=pc.kind,
                    text=text,
                    sentences=tuple(split_sentences(text)),
                    lead=pc.lead,
                    number=pc.number,
                    heading=pc.heading,
                    location=self.loc(pc.t),
                )
            )
        return out

    def notice_truncation(self, passages: list[Passage]) -> None:
        """A last paragraph without final punctuation: a web copy cut off mid-sentence."""
        if passages and not ends_sentence(passages[-1].text) and len(passages[-1].text) > 30:
            p = passages[-1]
            self.notices.append(
                Notice(
                    "truncated",
                    "最后一段没有结束标点，疑似被截断，请核对原文",
                    self.path,
                    p.location.line_end,
                    p.text[-20:],
                )
            )

    def article_location(self, d: ArticleDraft) -> Location:
        all_lines = ([d.title] if d.title else []) + ([d.unit_line] if d.unit_line else []) + d.lines
        spans = [l.t.span() for l in all_lines if l.t.text]
        a = min(s for s, _ in spans) if spans else 0
        b = max(e for _, e in spans) if spans else 0
        return Location(self.path, self.index.line_of(a), self.index.line_of(max(a, b - 1)), a, b)


# ------------------------------------------------------------------ pieces
def _pieces(body_lines: list[BodyLine]) -> list[Piece]:
    """Body lines cut into pieces at run-in sub-points: enumerators inside a
    paragraph (一是……二是……), or parallel lead sentences across the article."""
    paragraphs = [bl.text for bl, _ in body_lines]
    uses_enumerators = any(len(RUNIN_RE.findall(p)) >= 2 for p in paragraphs)
    starts = _starts_by_paragraph(find_lead_starts(paragraphs, parallel=not uses_enumerators))
    pieces: list[Piece] = []
    for pi, (bl, hp) in enumerate(body_lines):
        if bl.cls == "abstract":
            pieces.append(Piece(bl.t, hp, ABSTRACT))
            continue
        para_starts = starts.get(pi, set())
        pieces.extend(_paragraph_pieces(bl.t, hp, _paragraph_parts(bl.t, para_starts), para_starts))
    return pieces


def _starts_by_paragraph(lead_starts: set[tuple[int, int]]) -> dict[int, set[int]]:
    """{paragraph index: sub-point start offsets} (one pass, looked up per paragraph)."""
    out: dict[int, set[int]] = {}
    for p, a in lead_starts:
        out.setdefault(p, set()).add(a)
    return out


def _paragraph_parts(t: Traced, para_starts: set[int]) -> list[tuple[Traced, str]]:
    """A paragraph's parts: at its enumerators, else at its lead-sentence starts."""
    parts = _split_runin(t)
    if len(parts) == 1 and para_starts:
        cuts = sorted(para_starts)
        bounds = ([0] if cuts[0] > 0 else []) + cuts + [len(t.text)]
        parts = []
        for k in range(len(bounds) - 1):
            seg = t[bounds[k] : bounds[k + 1]].strip()
            if seg.text:
                parts.append((seg, ""))
    return parts


def _paragraph_pieces(
    t: Traced, hp: tuple[str, ...], parts: list[tuple[Traced, str]], para_starts: set[int]
) -> list[Piece]:
    """Pieces of one paragraph's parts, each with its number and lead phrase."""
    out: list[Piece] = []
    para_lead: str | None = None
    for k, (pt, num) in enumerate(parts):
        if k > 0 and para_lead and num:
            hp_k = hp + (para_lead,)  # "组织建设强堡垒。……一是……二是……": the lead heads the sub-points
        else:
            hp_k = hp
        if not num:
            m = _RUNIN_NUMBER_RE.match(pt.text)
            num = m.group(1) if m else ""
        is_lead = num != "" or _starts_a_lead(t, pt, para_starts)
        lead = lead_of(strip_number(pt.text)[1]) if (num or is_lead) else None
        if k == 0 and len(parts) > 1 and lead and not num:
            para_lead = lead
        out.append(Piece(pt, hp_k, BODY, num, lead))
    return out


def _starts_a_lead(outer: Traced, part: Traced, para_starts: set[int]) -> bool:
    """Whether a part begins at one of its paragraph's lead starts (by source
    offset from the paragraph start, or by character offset in it)."""
    if not para_starts:
        return False
    return part.src[0] - outer.src[0] in para_starts or _offset_in(outer, part) in para_starts


def _opens(text: str) -> bool:
    """An opening by its words: 近年来…, or a news lead."""
    return bool(OPENING_RE.match(text) or NEWS_LEAD_RE.match(text))


def _mark_opening_closing(pieces: list[Piece], has_headings: bool) -> None:
    """Opening pieces before the first heading or sub-point; closing ones (下一步……)."""
    if not pieces:
        return
    first = True
    if pieces[0].kind == BODY and NEWS_LEAD_RE.match(pieces[0].t.text) and len(pieces) > 1:
        pieces[0].kind = OPENING  # whatever its first sentence looks like (a quote, a run-in lead)
        first = False  # the lead is the opening: what follows it is not
    for pc in pieces:
        if pc.heading or pc.lead is not None:
            break
        if pc.kind != BODY:
            continue
        if has_headings or (first and len(pieces) > 2) or (_opens(pc.t.text) and len(pieces) > 1):
            pc.kind = OPENING
        first = False
    _mark_introductions(pieces)
    last = pieces[-1]
    if last.kind == BODY and (CLOSING_RE.match(last.t.text) or _closes_after_summary(last.t.text)):
        last.kind = CLOSING
    for pc in pieces:
        if pc.kind == BODY and CLOSING_RE.match(pc.t.text) and re.search(r"将|继续|持续", pc.t.text[:40]):
            pc.kind = CLOSING


def _mark_introductions(pieces: list[Piece]) -> None:
    """An article's first block (under its first heading, before any sub-point) may
    still introduce it when a case write-up puts the opening under a heading
    ("一、基本情况"): a paragraph that opens with 近年来…, or one that announces what
    follows ("现将有关情况介绍如下")."""
    if len(pieces) < 2:
        return  # a one-paragraph material is its own content
    first_path = pieces[0].heading
    for pc in pieces:
        if pc.heading != first_path or pc.lead is not None or pc.number:
            break
        if pc.kind != BODY:
            continue
        if OPENING_RE.match(pc.t.text) or INTRO_RE.search(pc.t.text):
            pc.kind = OPENING


def _closes_after_summary(text: str) -> bool:
    """A closing that opens with one summarising sentence ("党建工作永远在路上。下一步，……将……")."""
    sents = split_sentences(text)
    return len(sents) >= 2 and len(sents[0]) <= 40 and bool(CLOSING_RE.match(sents[1])) and "将" in sents[1][:40]


def _unit_from_text(unit: str | None, pieces: list[Piece]) -> str | None:
    """The unit found in the text when no unit line named it, then qualified."""
    full_text = "\n".join(pc.t.text for pc in pieces)
    if unit is None:
        unit = find_unit_in_text(full_text[:400]) or find_unit_in_text(full_text)
    if unit:
        unit = qualify_unit(unit, full_text)
    return unit


def _merge_lead_only(pieces: list[Piece]) -> list[Piece]:
    """A sub-point that is only its lead sentence ("党建赋能职责引领，把握重心强化履职。")
    takes the following lead-less paragraphs under the same heading as its body;
    so does a sub-point followed by a lead-less paragraph that continues it."""
    out: list[Piece] = []
    for pc in pieces:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == BODY
            and pc.kind == BODY
            and prev.lead is not None
            and len(split_sentences(prev.t.text)) == 1  # the sub-point is only its lead
            and pc.lead is None
            and not pc.number
            and prev.heading == pc.heading
            and not OPENING_RE.match(pc.t.text)
            and not CLOSING_RE.match(pc.t.text)
            and not RESULTS_RE.match(pc.t.text)
        ):
            prev.t = join([prev.t, pc.t])
            continue
        out.append(pc)
    return out


def _offset_in(outer: Traced, inner: Traced) -> int:
    if not inner.src or not outer.src:
        return -1
    try:
        return outer.src.index(inner.src[0])
    except ValueError:
        return -1


def _excerpt(text: str, at: int, width: int = 12) -> str:
    return text[max(0, at - width) : at + width]


# ------------------------------------------------------------------ entry
def parse_document(raw: RawDocument) -> Source:
    """Clean and structure one file."""
    notices: list[Notice] = []
    index = LineIndex(raw.text)
    lines = lines_of(raw, notices)
    classify(lines)
    promote_top_heading(lines)
    lines = join_broken(join_broken_headings(lines))
    drafts, preface = split_articles(lines)
    file_meta: list[Meta] = []
    for ln in preface:
        s, e = ln.t.span()
        loc = Location(raw.path, index.line_of(s), index.line_of(max(s, e - 1)), s, e)
        if ln.cls == "meta":
            file_meta.append(Meta(ln.meta_kind or "meta", ln.text, loc))
        elif ln.cls in ("title", "heading"):
            file_meta.append(Meta("page_title", ln.text, loc))
        else:
            file_meta.append(Meta("preface", ln.text, loc))
    articles = [build_article(d, raw, index, n, notices) for n, d in enumerate(drafts, 1)]
    articles = [a for a in articles if a.passages or a.title]
    # ids unique within the file
    seen: dict[str, int] = {}
    fixed = []
    for a in articles:
        ps = []
        for p in a.passages:
            k = seen.get(p.id, 0)
            seen[p.id] = k + 1
            if k:
                p = Passage(f"{p.id}-{k + 1}", p.kind, p.text, p.sentences, p.lead, p.number, p.heading, p.location)
            ps.append(p)
        fixed.append(Article(a.id, a.title, a.subtitle, a.unit, a.meta, a.headings, tuple(ps), a.location))
    return Source(raw.path, raw.format, raw.encoding, raw.sha256, tuple(fixed), tuple(file_meta), tuple(notices))
