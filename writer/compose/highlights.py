"""The highlights sheet: each unit's named practices and brands, and its key figures.

An editor compiling several units' materials wants at a glance who runs which
named practice (“四同”机制, “1带N”, “土乡丹心 检如磐石”党建品牌, “3315”…) and
which figures back it (64.6%, 82项, 2.9万余人…).  Everything listed is taken from
the passages as written, with its unit and its source (file + lines).

Named practices are quoted names (“…” or 「…」) that denote a practice, mechanism,
brand or project.  A quoted name counts when
  * a mechanism noun follows the closing quote (机制、工程、模式、品牌、工作法、行动、
    平台、清单、体系…), possibly after a short noun qualifier (“政治+业务”双学双训平台);
    the noun is kept with the name;
  * or the name itself ends in such a noun (“三答清单”, “星光课堂”);
  * or it is a code (digits, Latin letters or “+”: “1带N”, “3315”, “AB岗”, “党建+公益诉讼”);
  * or a numeral code (“四同”, “一书四单”, “三亮双帮三评”), but not a numbered
    formulation (“三个效果”, “四大检察”, “四种形态”), which is a requirement, not a practice.
Sentences and quoted speech (with ，。！？), long slogans and the nationwide
formulations listed in config/lexicon/common_quotes.txt (“第一议题”, “两个维护”…) are
left out.

Key figures are percentages, counts and amounts written with Arabic digits (dates,
ordinals and durations are not claims an editor compares), found with
``writer.text.figures.extract_figures``; each comes with the clause it stands in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from writer.model.corpus import Article, Corpus, Source
from writer.model.document import HEADING, TABLE, Block
from writer.model.report import SourceRef
from writer.text.figures import extract_figures

# Nouns that make a quoted name a practice/mechanism/brand; longest first when matching.
MECHANISM_NOUNS = tuple(
    sorted(
        (
            "机制",
            "工程",
            "模式",
            "品牌",
            "工作法",
            "工作思路",
            "行动",
            "计划",
            "平台",
            "清单",
            "体系",
            "制度",
            "项目",
            "活动",
            "课堂",
            "讲堂",
            "沙龙",
            "工作室",
            "驿站",
            "先锋队",
            "服务队",
            "突击队",
            "宣讲队",
            "先锋岗",
            "示范岗",
            "模型",
            "小组",
            "导师制",
            "载体",
            "专班",
            "基地",
            "联盟",
            "工作站",
            "方案",
            "矩阵",
        ),
        key=len,
        reverse=True,
    )
)
_NAME_ENDINGS = tuple(n for n in MECHANISM_NOUNS if n not in ("方案",))
# Honours and titles awarded to a unit are results, not its practices.
_HONOUR = re.compile(r"先进|模范|优秀|最美|十佳|先锋号|标兵|能手|示范点|\d+例|奖$|榜样")
# How far after the closing quote the mechanism noun may end (“…”十佳党建品牌).
MAX_QUALIFIER = 6
MAX_NAME = 20  # longer quoted text is a slogan or a sentence, not a name
_QUALIFIER_STOP = re.compile(r"[的在是等和与及将把被对由从向以了并]")
_QUOTE_RE = re.compile(r"“([^“”\n]{1,40})”|「([^「」\n]{1,40})」")
_SENTENCE_MARKS = re.compile(r"[，。！？；：,.!?;:]")
_CN_NUMERALS = "一二三四五六七八九十两双百千万"
_NUMBERED_FORMULATION = re.compile(rf"^[{_CN_NUMERALS}]+[个大种类项条]")
_CODE = re.compile(r"[0-9０-９A-Za-zＡ-Ｚａ-ｚ+＋]")
_COMPARISON = re.compile(r"[<>=＜＞＝]")

# Figures: measure words that make a number a count, and the amount units.
COUNT_UNITS = frozenset("个项名人次场件家支批类条份篇位所期轮届例户册本处座台套门部笔单宗起") | {"人次", "件次", "余人"}
AMOUNT_UNITS = frozenset({"元", "万元", "亿元"})
PERCENT_UNITS = frozenset({"%", "‰"})
_CLAUSE_BREAK = "，。；！？：,;!?:"
MAX_CONTEXT = 48

# Table wording (Chinese, user-facing).
PRACTICES_HEADING = "附：经验做法与品牌一览"
FIGURES_HEADING = "附：关键数据一览"
PRACTICE_HEADER = ("序号", "做法或品牌", "单位", "出处")
FIGURE_HEADER = ("序号", "数字", "类别", "原文", "单位", "出处")
KIND_PERCENT, KIND_COUNT, KIND_AMOUNT = "百分比", "数量", "金额"


@dataclass(frozen=True)
class NamedPractice:
    """A quoted practice or brand name, with its unit and where it first occurs."""

    name: str  # as displayed, e.g. "“四同”机制" (the quoted text plus a following mechanism noun)
    core: str  # the quoted text without quotes, e.g. "四同"
    unit: str | None
    ref: SourceRef
    occurrences: int = 1  # how often the unit's article names it


@dataclass(frozen=True)
class KeyFigure:
    """A percentage, count or amount with the clause it stands in."""

    text: str  # as written, e.g. "2.9万余人"
    kind: str  # 百分比 / 数量 / 金额
    measure: str  # "%", "项", "人" …
    context: str  # the clause, verbatim from the passage
    unit: str | None
    ref: SourceRef


@dataclass(frozen=True)
class Highlights:
    practices: tuple[NamedPractice, ...]
    figures: tuple[KeyFigure, ...]


@dataclass(frozen=True)
class QuotedName:
    """A practice name found in a text (see ``find_practice_names``)."""

    name: str
    core: str
    start: int
    end: int
    has_noun: bool  # a mechanism noun follows or ends the name
    is_code: bool  # digits/Latin/“+” or a numeral code


# ------------------------------------------------------------------ names


@lru_cache(maxsize=1)
def common_quotes() -> frozenset[str]:
    """Nationwide formulations that are not a unit's own practice (config/lexicon/common_quotes.txt)."""
    from writer.config.paths import CONFIG_DIR

    path = CONFIG_DIR / "lexicon" / "common_quotes.txt"
    if not path.is_file():
        return frozenset()
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(line)
    return frozenset(words)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _noun_after(text: str, end: int) -> str | None:
    """The qualifier + mechanism noun right after a closing quote, or None."""
    window = text[end : end + MAX_QUALIFIER + 4]
    cut = re.search(rf"[{_CLAUSE_BREAK}、“”「」（）()《》\s]", window)
    if cut:
        window = window[: cut.start()]
    best: str | None = None
    for noun in MECHANISM_NOUNS:
        at = window.find(noun)
        if at < 0 or at > MAX_QUALIFIER:
            continue
        qualifier = window[:at]
        if _QUALIFIER_STOP.search(qualifier):
            continue
        candidate = window[: at + len(noun)]
        if best is None or len(candidate) < len(best):
            best = candidate
    return best


def _is_numeral_code(core: str) -> bool:
    """“四同”, “一书四单”, “三亮双帮三评”: numerals that stand for a set of points."""
    if _NUMBERED_FORMULATION.match(core):
        return False
    numerals = sum(1 for c in core if c in _CN_NUMERALS)
    if core[0] in _CN_NUMERALS and len(core) == 2:
        return True
    return numerals >= 2 and len(core) <= 8


def _quote_runs(text: str) -> list[list[re.Match]]:
    """Quoted names in runs: “督事”“督人”双督查机制 is one name of two quotes."""
    runs: list[list[re.Match]] = []
    for m in _QUOTE_RE.finditer(text):
        if runs and runs[-1][-1].end() == m.start():
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _core(m: re.Match) -> str:
    return (m.group(1) or m.group(2) or "").strip()


def _excluded(core: str) -> bool:
    """Nationwide formulations, quoted speech, honours."""
    stop = common_quotes()
    return (
        not core
        or core in stop
        or _squeeze(core) in stop
        or bool(re.search(r"[。！？!?]", core))
        or bool(_HONOUR.search(core))
    )


def find_practice_names(text: str) -> list[QuotedName]:
    """Quoted practice/brand names in ``text``, in order (see the module docstring)."""
    out: list[QuotedName] = []
    for run in _quote_runs(text):
        last = run[-1]
        noun = _noun_after(text, last.end())
        if noun is not None and text[last.end() : last.end() + 1] == "为":  # 以“X”为创新项目: X is the project
            noun = ""
        if noun and len(run) > 1:
            # several quoted names sharing one noun: “A”“B”“C”三争创建活动 is one practice
            cores = [_core(m) for m in run]
            if all(_excluded(c) for c in cores) or any(len(c) > MAX_NAME for c in cores):
                continue
            core = "”“".join(cores)
            out.append(
                QuotedName(
                    text[run[0].start() : last.end()] + noun, core, run[0].start(), last.end() + len(noun), True, False
                )
            )
            continue
        for m in run:
            core = _core(m)
            if _excluded(core):
                continue
            own_noun = noun if m is last else None
            is_code = bool(_CODE.search(core)) and not _COMPARISON.search(core) or _is_numeral_code(core)
            ends_in_noun = (
                core.endswith(_NAME_ENDINGS)
                and not _NUMBERED_FORMULATION.match(core)
                or core.endswith(("工程", "体系"))
            )
            if own_noun is not None:
                if len(core) > MAX_NAME + 4:
                    continue
            elif len(core) > MAX_NAME or _SENTENCE_MARKS.search(core) or "、" in core:
                continue
            elif not (ends_in_noun or is_code):
                continue
            name = text[m.start() : m.end()] + (own_noun or "")
            out.append(
                QuotedName(
                    name, core, m.start(), m.end() + len(own_noun or ""), bool(own_noun) or ends_in_noun, is_code
                )
            )
    return out


# ------------------------------------------------------------------ figures


def _kind(measure: str) -> str | None:
    if measure in PERCENT_UNITS:
        return KIND_PERCENT
    if measure in AMOUNT_UNITS:
        return KIND_AMOUNT
    if measure in COUNT_UNITS:
        return KIND_COUNT
    return None


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTE_RE.finditer(text)]


def clause_around(text: str, start: int, end: int) -> str:
    """The clause (between ，。；！？：) holding text[start:end], verbatim, at most ~48 chars."""
    a = start
    while a > 0 and text[a - 1] not in _CLAUSE_BREAK:
        a -= 1
    b = end
    while b < len(text) and text[b] not in _CLAUSE_BREAK:
        b += 1
    if b - a > MAX_CONTEXT:  # a long run-on clause: a window around the figure
        half = (MAX_CONTEXT - (end - start)) // 2
        a = max(a, start - half)
        b = min(b, end + half)
    clause = text[a:b].strip()
    # a clause cut at a quote's inside: drop the dangling quote mark
    if clause.startswith(("”", "’")):
        clause = clause[1:]
    if clause.endswith(("“", "‘")):
        clause = clause[:-1]
    return clause


def find_key_figures(text: str) -> list[tuple[str, str, str, int, int]]:
    """(figure text, kind, measure, start, end) of the percentages, counts and amounts in ``text``."""
    quoted = _quoted_spans(text)
    out = []
    for fig in extract_figures(text):
        if not re.search(r"\d", fig.text) or fig.key.startswith("第"):
            continue  # Chinese numerals are set phrases more often than claims; 第N is an ordinal
        kind = _kind(fig.unit)
        if kind is None:
            continue
        if any(a <= fig.start and fig.end <= b for a, b in quoted):
            continue  # part of a name (“1+1>2”)
        out.append((fig.text, kind, fig.unit, fig.start, fig.end))
    return out


# ------------------------------------------------------------------ building


def article_practices(source: Source, article: Article) -> list[NamedPractice]:
    """One article's practice names, first occurrence first, counted over the article."""
    found: dict[str, NamedPractice] = {}
    counts: dict[str, int] = {}
    texts = [(None, article.title or "")] + [(p, p.text) for p in article.passages]
    for passage, text in texts:
        for q in find_practice_names(text):
            key = _squeeze(q.core)
            counts[key] = counts.get(key, 0) + 1
            current = found.get(key)
            if passage is None:
                continue  # the title counts as evidence but has no passage to cite
            if current is None or (
                not current.name.endswith(_NAME_ENDINGS) and q.has_noun and len(q.name) > len(current.name)
            ):
                # keep the first place, but prefer the form that names its mechanism noun
                ref = current.ref if current is not None else SourceRef.of_passage(source, article, passage)
                found[key] = NamedPractice(q.name, q.core, article.unit, ref)
    return [NamedPractice(p.name, p.core, p.unit, p.ref, counts[_squeeze(p.core)]) for p in found.values()]


def article_figures(source: Source, article: Article) -> list[KeyFigure]:
    out: list[KeyFigure] = []
    seen: set[tuple[str, str]] = set()
    for passage in article.passages:
        for text, kind, measure, start, end in find_key_figures(passage.text):
            context = clause_around(passage.text, start, end)
            if (text, context) in seen:
                continue
            seen.add((text, context))
            out.append(
                KeyFigure(text, kind, measure, context, article.unit, SourceRef.of_passage(source, article, passage))
            )
    return out


def build_highlights(corpus: Corpus) -> Highlights:
    """Every article's named practices and key figures, in corpus order, deduplicated per unit."""
    practices: list[NamedPractice] = []
    figures: list[KeyFigure] = []
    seen_practice: set[tuple[str, str | None]] = set()
    seen_figure: set[tuple[str, str, str | None]] = set()
    for source, article in corpus.articles():
        for p in article_practices(source, article):
            practice_key = (_squeeze(p.core), p.unit)
            if practice_key not in seen_practice:
                seen_practice.add(practice_key)
                practices.append(p)
        for f in article_figures(source, article):
            figure_key = (f.text, f.context, f.unit)
            if figure_key not in seen_figure:
                seen_figure.add(figure_key)
                figures.append(f)
    return Highlights(tuple(practices), tuple(figures))


# ------------------------------------------------------------------ layout


def place(ref: SourceRef) -> str:
    """“seeds/001.txt 第25行” / “第11–13行”."""
    lines = f"第{ref.line_start}行" if ref.line_start == ref.line_end else f"第{ref.line_start}–{ref.line_end}行"
    return f"{ref.path} {lines}"


def highlights_blocks(highlights: Highlights, *, level: int = 1) -> list[Block]:
    """The highlights sheet as two headed tables (practices, figures); empty parts are left out.

    Each table's refs are the passages its rows cite, so the .docx comment and the
    sidecar trace the table like a paragraph.
    """
    blocks: list[Block] = []
    if highlights.practices:
        practice_rows: list[tuple[str, ...]] = [
            PRACTICE_HEADER,
            *((str(i), p.name, p.unit or "", place(p.ref)) for i, p in enumerate(highlights.practices, 1)),
        ]
        blocks.append(Block(HEADING, text=PRACTICES_HEADING, level=level))
        blocks.append(Block(TABLE, rows=tuple(practice_rows), refs=_unique(p.ref for p in highlights.practices)))
    if highlights.figures:
        figure_rows: list[tuple[str, ...]] = [
            FIGURE_HEADER,
            *(
                (str(i), f.text, f.kind, f.context, f.unit or "", place(f.ref))
                for i, f in enumerate(highlights.figures, 1)
            ),
        ]
        blocks.append(Block(HEADING, text=FIGURES_HEADING, level=level))
        blocks.append(Block(TABLE, rows=tuple(figure_rows), refs=_unique(f.ref for f in highlights.figures)))
    return blocks


def _unique(refs) -> tuple[SourceRef, ...]:
    return tuple(dict.fromkeys(refs))
