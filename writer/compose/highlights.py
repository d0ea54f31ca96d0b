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
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache, lru_cache

from writer.model.corpus import Article, Corpus, Source
from writer.model.document import HEADING, TABLE, Block
from writer.model.report import SourceRef
from writer.text.figures import extract_figures, normalise_width


@cache
def _lexicon_lines(name: str) -> tuple[str, ...]:
    """Non-comment lines of config/lexicon/<name>, in file order."""
    from writer.config.paths import CONFIG_DIR

    path = CONFIG_DIR / "lexicon" / name
    if not path.is_file():
        return ()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line)


# Head-words that make a quoted name a practice/mechanism/brand (config/lexicon/practice_heads.txt);
# longest first when matching.
MECHANISM_NOUNS = tuple(sorted(_lexicon_lines("practice_heads.txt"), key=len, reverse=True))
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
COUNT_UNITS = frozenset("个项名人次场件家支批类条份篇位所期轮届例户册本处座台套门部笔单宗起") | {
    "人次",
    "件次",
    "场次",
    "批次",
    "户次",
    "余人",
}
AMOUNT_UNITS = frozenset({"元", "万元", "亿元"})
PERCENT_UNITS = frozenset({"%", "‰", "个百分点", "百分点"})
_CLAUSE_BREAK = "，。；！？：,;!?:"
MAX_CONTEXT = 48

# Table wording (Chinese, user-facing).
PRACTICES_HEADING = "附：经验做法与品牌一览"
FIGURES_HEADING = "附：关键数据一览"
PRACTICE_HEADER = ("序号", "做法或品牌", "单位", "出处")
FIGURE_HEADER = ("序号", "数字", "类别", "原文", "单位", "出处")
KIND_PERCENT, KIND_COUNT, KIND_AMOUNT = "百分比", "数量", "金额"
# A table longer than this shows this many rows; the rest go to the sources sidecar.
MAX_ROWS = 40
PART_NOTE = "（节选，全表见同名 .sources.json）"


@dataclass(frozen=True)
class NamedPractice:
    """A quoted practice or brand name, with its unit and where it first occurs.

    In a built sheet (``build_highlights``) one NamedPractice is one practice: the
    forms that name the same practice (see ``practice_key``) are merged, and the other
    units and places that name it are in ``others``.
    """

    name: str  # as displayed, e.g. "“四同”机制" (the quoted text plus a following mechanism noun)
    core: str  # the quoted text without quotes, e.g. "四同"
    unit: str | None
    ref: SourceRef
    occurrences: int = 1  # how often the unit's article names it
    others: tuple[tuple[str | None, SourceRef], ...] = ()  # further (unit, first place) naming it

    @property
    def units(self) -> tuple[str | None, ...]:
        return tuple(dict.fromkeys((self.unit, *(u for u, _ in self.others))))

    @property
    def refs(self) -> tuple[SourceRef, ...]:
        return (self.ref, *(r for _, r in self.others))


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
    return frozenset(_lexicon_lines("common_quotes.txt"))


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


_DATE_LIKE = re.compile(r"^\d{1,2}[.·．]\d{1,2}$|^\d{1,2}月\d{1,2}日?$")


def _bare_fragment(core: str) -> bool:
    """A quoted word with no head-word that is not a practice's name on its own:
    a two-character numeral word (“四强”) without 机制/品牌/… after it."""
    return not _CODE.search(core) and len(_squeeze(core)) <= 2


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
            elif not (ends_in_noun or is_code) or _bare_fragment(core):
                continue
            if _DATE_LIKE.match(_squeeze(core)) or _NUMBERED_FORMULATION.match(core):
                continue  # “9.3”活动 names a date, “四个工程” a set of requirements: not a practice's name
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
    """The clause (between ，。；！？：) holding text[start:end], verbatim.

    Never cut inside a clause: a long clause is narrowed only to its 、-separated part
    holding the figure (when that part says more than the figure), else kept whole.
    """
    a = start
    while a > 0 and text[a - 1] not in _CLAUSE_BREAK:
        a -= 1
    b = end
    while b < len(text) and text[b] not in _CLAUSE_BREAK:
        b += 1
    if b - a > MAX_CONTEXT:
        pa = text.rfind("、", a, start) + 1 or a
        pb = text.find("、", end, b)
        pb = b if pb < 0 else pb
        if pb - pa >= (end - start) + 4:
            a, b = max(a, pa), pb
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


def article_unit(article: Article) -> str | None:
    """The article's unit, completed from its text when written without its province
    (自治区人民检察院 → 广西壮族自治区人民检察院, see ``writer.text.units.complete_unit``)."""
    from writer.text.units import complete_unit

    return complete_unit(article.unit, "".join(p.text for p in article.passages))


def article_practices(source: Source, article: Article) -> list[NamedPractice]:
    """One article's practice names, first occurrence first, counted over the article."""
    unit = article_unit(article)
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
                found[key] = NamedPractice(q.name, q.core, unit, ref)
    return [NamedPractice(p.name, p.core, p.unit, p.ref, counts[_squeeze(p.core)]) for p in found.values()]


def article_figures(source: Source, article: Article) -> list[KeyFigure]:
    unit = article_unit(article)
    out: list[KeyFigure] = []
    seen: set[tuple[str, str]] = set()
    for passage in article.passages:
        for text, kind, measure, start, end in find_key_figures(passage.text):
            context = clause_around(passage.text, start, end)
            if (text, context) in seen:
                continue
            seen.add((text, context))
            out.append(KeyFigure(text, kind, measure, context, unit, SourceRef.of_passage(source, article, passage)))
    return out


# Verbs that open a practice's name in running text but are not part of it (争创“双一流”).
_NAME_PREFIXES = ("争创", "打造", "创建", "争当", "争做", "开展", "实施", "推行", "深化", "擦亮")
# Kind words a name is written with or without (“党建+公益诉讼” / “党建+公益诉讼”模式); other
# head-words tell practices apart (“党员示范岗” and “党员先锋岗” are two).
_KIND_SUFFIXES = ("工作机制", "工作模式", "党建品牌", "品牌", "机制", "模式")
_QUOTE_MARKS = re.compile(r"[“”‘’「」『』\"'\s]")
_INNER_QUOTE = re.compile(r"[‘「『'\"]([^’」』'\"]{2,20})[’」』'\"]")


def practice_key(core: str) -> str:
    """What two forms of one practice's name share: the quoted text without quote marks,
    spaces, a leading 争创/打造… and a trailing kind word (品牌, 机制, 模式).
    “党建+”模式 and “党建+”特色品牌 → 党建+; “打造检察铁军”品牌 and “检察铁军” → 检察铁军."""
    key = _QUOTE_MARKS.sub("", normalise_width(core))
    for prefix in _NAME_PREFIXES:
        if key.startswith(prefix) and len(key) - len(prefix) >= 2:
            key = key[len(prefix) :]
            break
    for noun in _KIND_SUFFIXES:
        if key.endswith(noun) and len(key) - len(noun) >= 2:
            key = key[: -len(noun)]
            break
    return key


def _preference(p: NamedPractice) -> tuple[int, int]:
    """Which form of a practice's name to show: no nested quote, then with its head-word."""
    nested = bool(_INNER_QUOTE.search(p.core))
    has_noun = not p.name.endswith(("”", "」")) or p.core.endswith(_NAME_ENDINGS)
    return (int(nested), int(not has_noun))


def merge_practices(found: list[NamedPractice]) -> list[NamedPractice]:
    """One entry per practice: forms with the same ``practice_key`` are merged, and a name
    that quotes another practice inside it (“争创检察‘双一流’”党建品牌) is merged into that
    practice (“双一流”党建品牌).  Order: where each practice is first named."""
    keys = [practice_key(p.core) for p in found]
    known = set(keys)
    for i, p in enumerate(found):
        for m in _INNER_QUOTE.finditer(p.core):
            inner = practice_key(m.group(1))
            if inner in known and inner != keys[i]:
                keys[i] = inner
                break
    groups: dict[str, list[NamedPractice]] = {}
    for key, p in zip(keys, found):
        groups.setdefault(key, []).append(p)
    merged = []
    for forms in groups.values():
        shown = min(forms, key=_preference)  # min is stable: the earliest of the best forms
        places: dict[tuple[str | None, str], tuple[str | None, SourceRef]] = {}
        for p in forms:
            places.setdefault((p.unit, p.ref.path), (p.unit, p.ref))
        # the row cites first the place where the shown form is written
        others = tuple(v for k, v in places.items() if k != (shown.unit, shown.ref.path))
        merged.append(
            NamedPractice(shown.name, shown.core, shown.unit, shown.ref, sum(p.occurrences for p in forms), others)
        )
    return merged


def build_highlights(corpus: Corpus, *, articles: Collection[str] | None = None) -> Highlights:
    """The named practices (one per practice, see ``merge_practices``) and the key figures
    (deduplicated per unit) of the corpus's articles in corpus order; with ``articles``
    (article ids), of those articles only."""
    practices: list[NamedPractice] = []
    figures: list[KeyFigure] = []
    seen_figure: set[tuple[str, str, str | None]] = set()
    for source, article in corpus.articles():
        if articles is not None and article.id not in articles:
            continue
        practices.extend(article_practices(source, article))
        for f in article_figures(source, article):
            figure_key = (f.text, f.context, f.unit)
            if figure_key not in seen_figure:
                seen_figure.add(figure_key)
                figures.append(f)
    return Highlights(tuple(merge_practices(practices)), tuple(figures))


# ------------------------------------------------------------------ layout


def shown_path(path: str, root: str | None = None) -> str:
    """The source file as an editor should see it: relative to the sources folder
    ``root``; a file outside it (or without a root, an absolute path) by its name."""
    import os.path

    if root is not None:
        rel = os.path.relpath(path, root)
        if not rel.startswith(".."):
            return rel.replace(os.sep, "/")
    return os.path.basename(path) if os.path.isabs(path) else path


def place(ref: SourceRef, root: str | None = None) -> str:
    """“001.txt 第25行” / “第11–13行”, the file relative to the sources folder ``root``."""
    lines = f"第{ref.line_start}行" if ref.line_start == ref.line_end else f"第{ref.line_start}–{ref.line_end}行"
    return f"{shown_path(ref.path, root)} {lines}"


def capped(items: list, cap: int | None, unit_of) -> tuple[list, list]:
    """(shown, left out): at most ``cap`` items, taken in turn from each unit so that every
    unit keeps its first ones; both lists keep the original order."""
    if cap is None or len(items) <= cap:
        return list(items), []
    queues: dict[object, list[int]] = {}
    for i, item in enumerate(items):
        queues.setdefault(unit_of(item), []).append(i)
    chosen: set[int] = set()
    while len(chosen) < cap:
        for queue in queues.values():
            if queue and len(chosen) < cap:
                chosen.add(queue.pop(0))
    return [x for i, x in enumerate(items) if i in chosen], [x for i, x in enumerate(items) if i not in chosen]


def highlights_blocks(
    highlights: Highlights, *, level: int = 1, root: str | None = None, cap: int | None = MAX_ROWS
) -> list[Block]:
    """The highlights sheet as two headed tables (practices, figures); empty parts are left out.

    Each table's refs are the passages its rows cite, so the .docx comment and the
    sidecar trace the table like a paragraph.  Paths are shown relative to the sources
    folder ``root``.  A table longer than ``cap`` rows shows ``cap`` of them (every unit
    keeps its first ones), says so in its heading, and the left-out rows go to the
    sidecar only (``Block.overflow``).
    """
    blocks: list[Block] = []
    if highlights.practices:
        shown, rest = capped(list(highlights.practices), cap, lambda p: p.unit)

        def practice_row(p: NamedPractice) -> tuple[str, ...]:
            units = "、".join(u for u in p.units if u)
            return (p.name, units, "；".join(dict.fromkeys(place(r, root) for r in p.refs)))

        blocks.append(Block(HEADING, text=PRACTICES_HEADING + (PART_NOTE if rest else ""), level=level))
        blocks.append(
            Block(
                TABLE,
                rows=(PRACTICE_HEADER, *((str(i), *practice_row(p)) for i, p in enumerate(shown, 1))),
                refs=_unique(r for p in shown for r in p.refs),
                overflow=tuple(practice_row(p) for p in rest),
            )
        )
    if highlights.figures:
        shown_f, rest_f = capped(list(highlights.figures), cap, lambda f: f.unit)

        def figure_row(f: KeyFigure) -> tuple[str, ...]:
            return (f.text, f.kind, f.context, f.unit or "", place(f.ref, root))

        blocks.append(Block(HEADING, text=FIGURES_HEADING + (PART_NOTE if rest_f else ""), level=level))
        blocks.append(
            Block(
                TABLE,
                rows=(FIGURE_HEADER, *((str(i), *figure_row(f)) for i, f in enumerate(shown_f, 1))),
                refs=_unique(f.ref for f in shown_f),
                overflow=tuple(figure_row(f) for f in rest_f),
            )
        )
    return blocks


def _unique(refs) -> tuple[SourceRef, ...]:
    return tuple(dict.fromkeys(refs))
