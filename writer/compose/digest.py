"""The editor's compilation (摘登): one condensed entry per article, ordered by unit level.

``build_digest(corpus, chars=300, outline=None)`` makes a ``Digest``: for each article
its title (the article's own, or one composed from its most prominent quoted practice
name, verbatim: “1416”工作思路), its unit as the corpus gives it, and an extractive
condensation of about ``chars`` characters (±20%): whole sentences taken verbatim from
the cleaned passages, in source order, chosen for the article's lead claim, its named
practices and its figures.  Entries are ordered by the unit's level (province → city →
county, a unit's 党支部/部 after the units of its level) or, when the outline lists
``sources``, by that list.  ``layout_digest`` lays it out with the templates in
``templates/digest/`` as a ``Document`` for the shared Markdown and .docx writers.

``build_comparison``/``comparison_blocks`` give the optional cross-unit table (per
outline section, each unit's main practice there), using ``writer.mapping.scoring``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from writer.compose.highlights import article_unit, find_key_figures, find_practice_names, place
from writer.config.outline import Outline
from writer.errors import UsageError
from writer.model.corpus import ABSTRACT, CLOSING, OPENING, Article, Corpus, Notice, Passage, Source
from writer.model.document import HEADING, TABLE, Block
from writer.model.report import SourceRef
from writer.sources.cleaning import find_placeholders
from writer.text.enumerators import strip_enumerator

DEFAULT_CHARS = 300
TOLERANCE = 0.2  # an entry's length stays within ±20% of the requested one
DEFAULT_TITLE = "经验做法摘编"  # without an outline: one source's page title would name only that page
MIN_SENTENCE = 8  # shorter "sentences" are run-in heads (留心积累齐育苗。), not content


COMPARISON_HEADING = "附：各单位做法对照"
COMPARISON_HEADER = ("部分", "单位", "主要做法", "出处")


@dataclass(frozen=True)
class DigestEntry:
    """One article condensed: title, unit line and verbatim sentences with their sources."""

    article_id: str
    title: str
    title_composed: bool  # True when the article had no title and one was composed
    unit: str | None
    sentences: tuple[str, ...]
    refs: tuple[SourceRef, ...]  # refs[i] is the passage of sentences[i]

    @property
    def text(self) -> str:
        return "".join(self.sentences)

    @property
    def chars(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class Digest:
    title: str
    editor_note: str | None
    editor_note_refs: tuple[SourceRef, ...]
    entries: tuple[DigestEntry, ...]
    chars: int  # the requested length per entry
    notices: tuple[Notice, ...] = ()


# ------------------------------------------------------------------ unit level

MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_PROVINCE_NAMES = (
    "北京|天津|上海|重庆|河北|山西|内蒙古|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|"
    "广东|广西|海南|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆"
)
_ORG_RE = re.compile(r"(?:人民)?检察(?:院|分院)")
_ADMIN_RE = re.compile(r"自治区|特别行政区|自治州|自治县|地区|省|市|州|盟|县|区|旗")
_BRANCH_COURT = re.compile(r"^第[一二三四五六七八九十\d]+分院")
LEVEL_NATIONAL, LEVEL_PROVINCE, LEVEL_CITY, LEVEL_COUNTY, LEVEL_UNKNOWN = 0, 1, 2, 3, 9
LEVEL_NAMES = {0: "中央", 1: "省级", 2: "市级", 3: "县级", 9: "未识别"}


def unit_level(unit: str | None) -> tuple[int, bool]:
    """(level, is_branch) from a unit name: 省/自治区/直辖市 → 1, 市/州/盟 → 2, 县/区/旗 → 3;
    a 党支部/部 of a procuratorate has its parent's level and is_branch=True."""
    if not unit or not unit.strip():
        return LEVEL_UNKNOWN, False
    unit = re.sub(r"\s+", "", unit)
    org = _ORG_RE.search(unit)
    admin = unit[: org.start()] if org else unit
    rest = unit[org.end() :] if org else ""
    if admin.startswith("最高") or unit.startswith("最高人民检察院"):
        return LEVEL_NATIONAL, bool(rest)
    level = LEVEL_UNKNOWN
    matches = list(_ADMIN_RE.finditer(admin))
    if matches:
        last = matches[-1]
        suffix = last.group(0)
        if suffix in ("自治区", "特别行政区", "省"):
            level = LEVEL_PROVINCE
        elif suffix == "市":
            level = LEVEL_PROVINCE if admin[: last.end()] in MUNICIPALITIES else LEVEL_CITY
        elif suffix in ("自治州", "地区", "州", "盟"):
            level = LEVEL_CITY
        else:
            level = LEVEL_COUNTY
    elif re.match(rf"(?:{_PROVINCE_NAMES})", admin):
        level = LEVEL_PROVINCE  # 福建检察院: a bare province name
    if org and (org.group(0).endswith("分院") or _BRANCH_COURT.match(rest)):
        # 市分院 / 第一分院: a province's branch procuratorate serves a city-level area
        return max(level, LEVEL_CITY) if level != LEVEL_UNKNOWN else LEVEL_CITY, False
    return level, bool(rest.strip())


# ------------------------------------------------------------------ condensation

_HONOUR_WORDS = re.compile(r"获评|荣获|获得|入选|授予|被评为|推广")


@dataclass(frozen=True)
class _Candidate:
    order: tuple[int, int]
    text: str
    passage: Passage
    score: float
    needs_repair: bool = False  # an unpaired or mis-directed quote, or a masked name: see ``needs_repair``


_QUOTES = {"“": "”", "‘": "’"}
_QUOTE_OPENER = {v: k for k, v in _QUOTES.items()}


def quotes_unpaired(text: str) -> bool:
    """Does ``text`` hold a quotation mark without its partner, or one written the wrong way
    round (”党建+互联网”, 共成长”人才培养计划, an unclosed “政治引领……)?  Counting alone misses
    ”晨光“: as many openers as closers, yet neither pairs."""
    stack: list[str] = []
    for ch in text:
        if ch in _QUOTES:
            stack.append(ch)
        elif ch in _QUOTE_OPENER:
            if not stack or stack[-1] != _QUOTE_OPENER[ch]:
                return True
            stack.pop()
    return bool(stack)


def needs_repair(text: str) -> bool:
    """A sentence (or title) an editor would have to repair before printing: an unpaired or
    mis-directed quotation mark, or a masked name / placeholder (XX, ***, 某某某)."""
    return quotes_unpaired(text) or bool(find_placeholders(text))


def _strip_enumerator(sentence: str) -> str:
    """“二是以……” → “以……”: an enumerator means nothing once siblings are dropped.
    What stays is still a verbatim piece of the passage."""
    stripped = strip_enumerator(sentence)
    return stripped if len(stripped) >= MIN_SENTENCE else sentence


_SPEECH_INTRO = re.compile(r"(?:指出|强调|表示|说|讲话中提到)[，,：:]?[“「]")


def _is_speech(sentence: str) -> bool:
    """Quoted speech (“……。”, 总书记指出，“……。”): news narrative, not a claim of the unit."""
    if sentence.startswith(("“", "「")) and re.search(r"[。！？!?…][”」]", sentence):
        return True
    return bool(_SPEECH_INTRO.search(sentence))


def _eligible(sentence: str) -> bool:
    core = sentence.strip()
    return len(core) >= MIN_SENTENCE and not core.endswith(("？", "?")) and not _is_speech(core)


def _score(text: str, passage: Passage) -> float:
    score = 0.0
    names = find_practice_names(text)
    figures = find_key_figures(text)
    if names:
        score += 3 + min(2, len(names) - 1)
    if figures:
        score += 3 + min(2, len(figures) - 1)
    if passage.kind in (OPENING, ABSTRACT):
        score += 1
    if passage.lead and text.startswith(passage.lead):
        score += 1  # the sub-point's own claim
    if _HONOUR_WORDS.search(text):
        score += 1
    if len(text) < 20:
        score -= 2
    return score


def _candidates(article: Article) -> list[_Candidate]:
    out = []
    for pi, passage in enumerate(article.passages):
        if passage.kind == CLOSING:
            continue
        for si, sentence in enumerate(passage.sentences):
            text = _strip_enumerator(sentence.strip())
            if _eligible(text):
                out.append(_Candidate((pi, si), text, passage, _score(text, passage), needs_repair(text)))
    return out


_SELF_REFERENCE = re.compile(r"^近年来|该院|我院|本院|院党组")


def _lead_claim(cands: list[_Candidate], hi: int, unit: str | None) -> _Candidate | None:
    """The article's lead claim: the first opening sentence that speaks of the unit itself
    (“近年来，XX院坚持……”), else the first opening sentence, else the first sentence.

    A sentence that needs repair (``needs_repair``) is the lead only when no clean one can
    stand in: for a claim of the unit that needs repair (or an opening that needs repair
    throughout), the first clean sentence that speaks of the unit; else the first clean
    opening sentence; only then the one that needs repair."""
    fitting = [c for c in cands if len(c.text) <= hi]
    clean = [c for c in fitting if not c.needs_repair]
    opening = [c for c in fitting if c.passage.kind in (OPENING, ABSTRACT)]
    clean_opening = [c for c in opening if not c.needs_repair]

    def speaks_of_unit(c: _Candidate) -> bool:
        return bool((unit and unit in c.text) or _SELF_REFERENCE.search(c.text))

    claim = next((c for c in opening if speaks_of_unit(c)), None)
    if claim is not None and not claim.needs_repair:
        return claim
    if claim is not None or (opening and not clean_opening):
        stand_in = next((c for c in clean if speaks_of_unit(c)), None)
        if stand_in is not None:
            return stand_in
    if clean_opening:
        return clean_opening[0]
    if opening:
        return claim or opening[0]
    return clean[0] if clean else fitting[0] if fitting else None


def condense(article: Article, chars: int) -> list[_Candidate]:
    """Whole sentences of ``article`` totalling about ``chars`` characters, in source order.

    The lead claim first, then sentences by score (named practices, figures, honours),
    each only if it keeps the total within +20% and brings it nearer the target (or the
    total is still under −20%).  When that falls short of −20%, any remaining sentence
    that fits fills up.  An article shorter than the target is taken whole.

    A sentence that ``needs_repair`` (an unpaired quote, a masked name) is taken only when
    the clean sentences cannot make up the entry: the lead claim is the clean one when
    there is one, and such sentences are ranked and filled in only after all clean ones.
    Sentences are never edited.
    """
    lo, hi = int(chars * (1 - TOLERANCE)), int(chars * (1 + TOLERANCE))
    cands = _candidates(article)
    clean = [c for c in cands if not c.needs_repair]
    flawed = [c for c in cands if c.needs_repair]
    chosen: list[_Candidate] = []
    total = 0
    if sum(len(c.text) for c in cands) <= hi:
        # the whole article fits: all of it, less the sentences needing repair the rest can do without
        chosen, total = list(clean), sum(len(c.text) for c in clean)
        for c in sorted(flawed, key=lambda c: (-c.score, c.order)):
            if total >= lo:
                break
            chosen.append(c)
            total += len(c.text)
        return sorted(chosen, key=lambda c: c.order)
    lead = _lead_claim(cands, hi, article.unit)
    if lead is not None:
        chosen.append(lead)
        total += len(lead.text)
    for pool in (clean, flawed):
        ranked = sorted((c for c in pool if c is not lead), key=lambda c: (-c.score, c.order))
        for c in ranked:
            after = total + len(c.text)
            if after <= hi and (total < lo or abs(after - chars) < abs(total - chars)):
                chosen.append(c)
                total = after
        if total < lo:
            for c in sorted(ranked, key=lambda c: len(c.text)):
                if c not in chosen and total + len(c.text) <= hi:
                    chosen.append(c)
                    total += len(c.text)
                    if total >= lo:
                        break
        if total >= lo:
            break
    return sorted(chosen, key=lambda c: c.order)


# ------------------------------------------------------------------ titles


# A bracketed tail a web page adds to an article's title: the attachment or document it
# links (“（1336党建工作模式实施方案）”), a media note (“（组图）”, “（附视频）”).
_TITLE_JUNK = re.compile(
    r"[（(【\[][^（）()【】\[\]]*(?:方案|通知|附件|全文|图文|组图|视频|链接|转载|来源|PDF|pdf)[^（）()【】\[\]]*[）)】\]]\s*$"
)


def clean_title(title: str) -> str:
    """An article title without the web page's bracketed tail (see ``_TITLE_JUNK``)."""
    title = title.strip()
    cleaned = _TITLE_JUNK.sub("", title).strip()
    return cleaned or title


def masked_title(article: Article) -> str | None:
    """The placeholder in the article's own title (XX市检察机关……), or None: such a title
    cannot be printed as it stands, so the digest composes one as for an untitled article."""
    found = find_placeholders(article.title or "")
    return found[0].group(0) if found else None


def compose_title(article: Article) -> tuple[str, bool]:
    """The article's title, or (when it has none, or its title holds a placeholder) its most
    prominent quoted practice name as written (“1416”工作思路), else its first heading, else
    “<unit>经验做法”; a name or heading that needs repair is passed over."""
    if article.title and article.title.strip() and not masked_title(article):
        return clean_title(article.title), False
    best: tuple[float, str] | None = None
    counts: dict[str, int] = {}
    found: list[tuple[str, str, bool, bool, bool, int]] = []
    for n, passage in enumerate(article.passages):
        for q in find_practice_names(passage.text):
            if needs_repair(q.name):
                continue
            counts[q.core] = counts.get(q.core, 0) + 1
            found.append((q.name, q.core, q.is_code, q.has_noun, passage.kind == OPENING, n))
    for name, core, is_code, has_noun, in_opening, n in found:
        # a code named in the opening (“1416”工作思路) is the article's own brand
        score = counts[core] + 2 * is_code + 3 * in_opening + 1 * has_noun - 0.01 * n
        if best is None or score > best[0]:
            best = (score, name)
    if best is not None:
        return best[1], True
    for heading in article.headings:
        if not needs_repair(heading.text):
            return heading.text, True
    return f"{article.unit or ''}经验做法", True


# ------------------------------------------------------------------ order


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _norm_unit(unit: str) -> str:
    return re.sub(r"\s+|人民", "", unit)


def _outline_position(source: Source, article: Article, outline: Outline) -> tuple[int, int] | None:
    """(index of the outline source, index of the unit in its units list), or None if not listed."""
    path = Path(source.path).resolve()
    for i, spec in enumerate(outline.sources):
        if not _under(path, Path(spec.path).resolve()):
            continue
        if not spec.units:
            return i, 0
        unit = _norm_unit(article.unit or "")
        for j, wanted in enumerate(spec.units):
            w = _norm_unit(wanted)
            # equal, or one names the other without its province/city prefix (昆山市检察院);
            # a unit's 党支部 is not the unit itself
            if unit and (unit.endswith(w) or w.endswith(unit)):
                return i, j
    return None


def _ordered(corpus: Corpus, outline: Outline | None) -> list[tuple[Source, Article]]:
    items = corpus.articles()

    def level_key(k: int) -> tuple[int, bool, int]:
        level, branch = unit_level(items[k][1].unit)
        return level, branch, k

    if outline is None or not outline.sources:
        return [items[k] for k in sorted(range(len(items)), key=level_key)]
    keyed = []
    for k, (source, article) in enumerate(items):
        pos = _outline_position(source, article, outline)
        if pos is None:
            listed_path = any(_under(Path(source.path).resolve(), Path(s.path).resolve()) for s in outline.sources)
            if listed_path:
                continue  # a unit the outline's units list leaves out
            pos = (len(outline.sources), 0)  # given on the command line only: after the listed ones
        keyed.append((pos, level_key(k), k))
    return [items[k] for _, _, k in sorted(keyed)]


# ------------------------------------------------------------------ build


def check_chars(chars: int) -> None:
    if not isinstance(chars, int) or isinstance(chars, bool) or chars <= 0:
        raise UsageError(f"--chars 应为正整数（每条摘要的大致字数），现在是 {chars}。例如 --chars 300。")


def _editor_note_refs(outline: Outline) -> tuple[SourceRef, ...]:
    """The outline line that holds editor_note, so the note is traceable like any paragraph."""
    if outline.path is None:
        return ()
    try:
        lines = Path(outline.path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return ()
    for n, line in enumerate(lines, 1):
        if re.match(r"^editor_note\s*:", line):
            return (SourceRef("editor_note", str(outline.path), None, n, n, "大纲：编者按"),)
    return ()


def build_digest(corpus: Corpus, *, chars: int = DEFAULT_CHARS, outline: Outline | None = None) -> Digest:
    """One entry per article (see the module docstring)."""
    check_chars(chars)
    notices: list[Notice] = []
    entries: list[DigestEntry] = []
    lo = int(chars * (1 - TOLERANCE))
    for source, article in _ordered(corpus, outline):
        picked = condense(article, chars)
        title, composed = compose_title(article)
        where = article.location.label()
        if not picked:
            notices.append(
                Notice(
                    "digest-empty",
                    f"《{title}》没有可摘录的完整句子，未收入摘登。",
                    source.path,
                    article.location.line_start,
                )
            )
            continue
        mask = masked_title(article)
        if composed and mask:
            notices.append(
                Notice(
                    "digest-title",
                    f"文章标题《{article.title}》含屏蔽或占位文字“{mask}”，摘登以原文中的 {title} 作标题，请核对。",
                    source.path,
                    article.location.line_start,
                )
            )
        elif composed:
            notices.append(
                Notice(
                    "digest-title",
                    f"文章没有标题，摘登以原文中的 {title} 作标题，请核对。",
                    source.path,
                    article.location.line_start,
                )
            )
        if not article.unit:
            notices.append(
                Notice(
                    "digest-unit",
                    f"《{title}》找不到单位名称，单位行空缺，请补上。",
                    source.path,
                    article.location.line_start,
                )
            )
        entry = DigestEntry(
            article_id=article.id,
            title=title,
            title_composed=composed,
            unit=article_unit(article),
            sentences=tuple(c.text for c in picked),
            refs=tuple(SourceRef.of_passage(source, article, c.passage) for c in picked),
        )
        if entry.chars < lo:
            notices.append(
                Notice(
                    "digest-short",
                    f"《{title}》原文可摘的句子只有 {entry.chars} 字，不足要求的 {chars} 字，已全文收入。",
                    source.path,
                    article.location.line_start,
                    excerpt=where,
                )
            )
        entries.append(entry)
    title = outline.title if outline is not None and outline.title else DEFAULT_TITLE
    note = outline.editor_note.strip() if outline is not None and outline.editor_note else None
    refs = _editor_note_refs(outline) if note and outline is not None else ()
    return Digest(title, note, refs, tuple(entries), chars, tuple(notices))


# ------------------------------------------------------------------ comparison


@dataclass(frozen=True)
class ComparisonRow:
    section: str  # the outline section's title
    unit: str
    practice: str  # the passage's lead phrase or quoted practice name, verbatim; NOTHING when none
    ref: SourceRef | None  # None when the unit has nothing for the section


@dataclass(frozen=True)
class Comparison:
    rows: tuple[ComparisonRow, ...]


def _lead_phrase(passage: Passage) -> str:
    if passage.lead:
        return passage.lead.strip()
    first = _strip_enumerator(passage.sentences[0] if passage.sentences else passage.text)
    return re.split(r"[，。；：！？,;:]", first, maxsplit=1)[0].strip()


NOTHING = "—"
MAX_LEAD = 20  # a longer "lead" is a narrative sentence, not a practice's name


def _practice_phrase(passage: Passage) -> str | None:
    """What names the practice a passage describes: its lead phrase (强化“思想要素”核心功能)
    when short and more than a nationwide formulation (做到“两个维护”), else its first quoted
    practice name (“双融双促”考评体系); None for a narrative passage."""
    from writer.compose.highlights import common_quotes

    lead = (passage.lead or "").strip()
    if lead and len(lead) <= MAX_LEAD:
        rest = re.sub(r"“([^”]*)”", lambda m: "" if m.group(1) in common_quotes() else m.group(0), lead)
        if len(re.sub(r"[，,、\s]", "", rest)) > 4 or rest == lead:
            return lead
    names = find_practice_names(passage.text)
    return names[0].name if names else None


def build_comparison(corpus: Corpus, outline: Outline, order: list[str] | None = None) -> Comparison:
    """Per outline section (leaves, in outline order), one row per unit: the practice named by
    the unit's best-scoring passage placed there that names one (``_practice_phrase``), or
    NOTHING.  ``order`` lists article ids (the digest's order)."""
    from writer.mapping.scoring import map_corpus

    mapping = map_corpus(corpus, outline)
    where: dict[str, tuple[Source, Article, Passage]] = {p.id: (s, a, p) for s, a, p in corpus.iter_passages()}
    articles = [a.id for _, a in _ordered(corpus, None)] if order is None else list(order)
    by_id = {a.id: a for _, a in corpus.articles()}
    rank = {aid: i for i, aid in enumerate(articles)}
    leaves = [s for top in outline.sections for s in (top.sections or (top,))]
    rows: list[ComparisonRow] = []
    for section in leaves:
        best: dict[str, tuple[str, SourceRef]] = {}
        for assignment in mapping.in_section(section.id):  # best first
            source, article, passage = where[assignment.passage_id]
            if article.id in rank and article.id not in best:
                phrase = _practice_phrase(passage)
                if phrase:
                    best[article.id] = (phrase, SourceRef.of_passage(source, article, passage))
        for aid in articles:
            if aid not in by_id:
                continue
            phrase, ref = best.get(aid, (NOTHING, None))
            rows.append(ComparisonRow(section.title, article_unit(by_id[aid]) or "", phrase, ref))
    return Comparison(tuple(rows))


def comparison_blocks(comparison: Comparison, *, level: int = 1, root: str | None = None) -> list[Block]:
    if not comparison.rows:
        return []
    rows = [COMPARISON_HEADER] + [
        (r.section, r.unit, r.practice, place(r.ref, root) if r.ref else "") for r in comparison.rows
    ]
    refs = tuple(dict.fromkeys(r.ref for r in comparison.rows if r.ref is not None))
    return [Block(HEADING, text=COMPARISON_HEADING, level=level), Block(TABLE, rows=tuple(rows), refs=refs)]
