"""Mapping: score every passage against every outline section, explainably.

Headings first.  Each heading on a passage's path (numbered, paired phrase, a
short sentence on its own line, a run-in lead) is scored against the sections on
its own words (the section's keywords, and the section title's core word, e.g.
组织 for 组织体系引领); the innermost heading whose best section clearly beats
the others gives the passage a *heading section*.  The passage inherits it when
its own text carries any evidence for it, or when it is a sub-point of the heading
(一是……, a lead phrase, a short one-sentence point), unless its own evidence points
to another section by a clear margin; a one-sentence point with little evidence
of its own follows a decisive heading even below the threshold.

A passage's own score adds up weighted evidence:
  - the section's keywords (and their synonyms) found in the passage text,
    weighted by the outline's weight, damped by how common the term is in the
    corpus (a term found in most passages, such as 党建, tells little) and
    saturated so that repetition does not run away;
  - the same keywords in the passage's lead phrase weigh more (a lead states the point;
    an opening "在X方面，" is read as the lead of a passage that has none);
  - the section title's core word (思想/组织/制度) naming the lead's topic
    ("一是坚持以“思想要素”凝心铸魂") counts like that word in a heading, in full;
  - a mechanism the passage sets up ("建立……考核方案", "制定……责任清单") is
    evidence for the section about rules and mechanisms (title with 制度/机制),
    unless it is named after a topic of another section (lexicon
    mechanism_topics.yaml: "“融学习”机制" counts for 思想, "“支部联审”机制" for 组织);
  - lexicon terms named in the section's description, lightly.
Without a heading section a passage is assigned when its best score reaches the
threshold, or, for a sub-point (一是……, a lead phrase), when it clearly beats every
other section on modest evidence (decided by margin as well as by level).  Two close sections are reported as a
split (``runner_up``).  Openings, closings, abstracts, background/significance
passages (headings with 意义/内涵/背景…, not 现状; a leader's words quoted with no practice
after them) and problem statements (存在的问题…) are
never assigned unless pinned.  Every score carries the terms that produced it.

Matching is by substring over the lexicon's canonical terms and variants, so
mapping needs no word segmenter (and no jieba start-up) at all.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from writer.config.lexicon import domain_terms, mechanism_topics, synonym_forms
from writer.config.outline import Outline, SectionSpec
from writer.model.corpus import ABSTRACT, CLOSING, OPENING, Corpus, Passage
from writer.sources.structure import RESULTS_RE

DEFAULT_THRESHOLD = 3.5
HEADING_TITLE_BONUS = 6.0  # the section's own core word in the heading path
HEADING_WEIGHT = 1.5  # keywords found in headings
LEAD_WEIGHT = 1.5  # extra for keywords found in the lead phrase
HEADING_DECISIVE = 1.0  # a heading needs this much evidence for its best section …
HEADING_RATIO = 2.0  # … and this many times the runner-up's
OVERRIDE_MARGIN = 4.0  # own evidence beating the heading's section by this much …
OVERRIDE_RATIO = 2.5  # … and this many times over wins
MODEST_FLOOR = 2.7  # below the threshold, a best score from here up …
MODEST_RATIO = 2.5  # … is enough when it is this many times the runner-up's
SPLIT_RATIO = 0.8  # a runner-up within this share of the best is reported as a split
MECHANISM_WEIGHT = 1.5  # each mechanism the passage sets up (at most two count)
DESCRIPTION_WEIGHT = 0.4
NEVER_KINDS = (OPENING, CLOSING, ABSTRACT)
PINNED = "固定归入"
# not 现状: in a research report the "现状" part describes what units already do (practices)
BACKGROUND_HEADING = re.compile(r"意义|内涵|背景|必要性|重要性|概述|形势")
PROBLEM_HEADING = re.compile(r"存在的?问题|主要问题|问题与不足|问题和不足|不足之处|短板|差距|原因分析|问题及原因")
# a named mechanism: "考核方案", "责任清单", "述职评议制度", "“融学习”机制", "“谈话”制度"
# (not 监督…机制: in a procuratorate 监督 is mostly the legal business).  Rule words keep it
# with the section about rules; a topic word (mechanism_topics.yaml) sends it to its topic's section.
MECHANISM_RULE_WORDS = ("考核", "考评", "评价", "责任", "督查", "督导", "问责", "述职", "评议", "融合", "承诺", "谈话")
# a head may follow the name a few characters on (考核评价办法); 模式, a looser word
# (办案模式, 融合履职模式), only right after it: "“融培训”模式"
MECHANISM_HEADS = r"(?:[^，。；：、“]{0,4}?(?:机制|方案|办法|清单|细则|制度)|”?模式)"
MECHANISM_HEAD_HINT = re.compile(r"机制|方案|办法|清单|细则|制度|模式")  # no head, no mechanism: a quick test
# a mechanism named as the setting ("在“1551”党建工作机制引领下，") is not one the passage sets up
MECHANISM_SETTING_RE = re.compile(r"在[^，。；]{0,30}?(?:引领|指引|指导|带动|推动|框架)下[，,]")
MECHANISM_SECTION = re.compile(r"制度|机制")
# a sub-point's lead that names a section's core word states its topic
# ("一是坚持以“思想要素”凝心铸魂", "组织建设强堡垒"): the full title bonus, as the lead is
# the passage's own heading (a section heading, shared by many passages, counts half of it)
LEAD_CORE_WEIGHT = HEADING_TITLE_BONUS
# … when the word begins a phrase (not 理论学习制度, 法治思想) and is not the verb 组织 (组织开展…)
_CORE_BEFORE = r"(?:^|(?<=[“‘《「以在的抓强化全善固优实严持重把筑夯]))"
_CORE_NOT_VERB = r"(?!开展|召开|举办|参加|参观|观看|干警|党员|青年|全院|集中|学习|动员|实施)"
# a research report states a paragraph's topic up front: "在制度建设方面，……" reads as its lead
TOPIC_LEAD_RE = re.compile(r"^(?:在|从)([^，,。；]{2,12})方面[，,]")
GENERIC_TITLE_PARTS = re.compile(r"引领|建设|体系|机制|工作|作用|方面|情况|主要|坚持|发挥")


@dataclass(frozen=True)
class Assignment:
    """Where one passage goes and why."""

    passage_id: str
    section: str | None  # section id or None (unassigned)
    score: float  # score in the chosen section (or the best one when unassigned)
    scores: dict[str, float]  # every section's score
    terms: dict[str, list[str]]  # section id → evidence, e.g. ["第一议题×2", "标题:组织"]
    reason: str = ""  # why unassigned / pinned ("开头段", "固定归入", "低于阈值"…)
    runner_up: str | None = None  # a section nearly as likely (the passage is split between two)
    heading_section: str | None = None  # the section its heading points to, if any


@dataclass(frozen=True)
class Mapping:
    outline: Outline
    assignments: tuple[Assignment, ...]
    threshold: float
    by_id: dict[str, Assignment] = field(default_factory=dict, compare=False)
    warnings: tuple[str, ...] = ()  # pins (include/ban/exclude_passages) that matched nothing

    def assignment(self, passage_id: str) -> Assignment | None:
        return self.by_id.get(passage_id)

    def in_section(self, section_id: str) -> list[Assignment]:
        """Assigned passages of a section, best first."""
        return sorted((a for a in self.assignments if a.section == section_id), key=lambda a: -a.score)

    def pinned_in(self, section_id: str) -> set[str]:
        """Ids of the passages pinned into a section (by id or by text anchor)."""
        return {a.passage_id for a in self.assignments if a.section == section_id and a.reason == PINNED}

    def unassigned(self) -> list[Assignment]:
        return [a for a in self.assignments if a.section is None]


# ------------------------------------------------------------------ terms
@dataclass(frozen=True)
class KeywordPattern:
    name: str  # canonical form, shown in explanations
    weight: float
    pattern: re.Pattern  # alternation of the term and its variants, longest first


def _term(name: str, weight: float) -> KeywordPattern:
    forms = {name, *(synonym_forms().get(name, ()))}
    alt = "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f)))
    return KeywordPattern(name, weight, re.compile(alt))


class Matcher:
    """Counts every term of an outline in a text with one regex scan.

    Equivalent to running each term's own pattern (its forms, longest first,
    non-overlapping): a lookahead alternation finds the longest form starting
    at each position, the forms that are prefixes of it match there too, and
    each term then counts its own occurrences without overlaps."""

    def __init__(self, terms: list[KeywordPattern]):
        self.forms: dict[str, set[str]] = {}
        for t in terms:
            for f in _forms(t.name):
                self.forms.setdefault(f, set()).add(t.name)
        ordered = sorted(self.forms, key=lambda f: (-len(f), f))
        alternation = "|".join(re.escape(f) for f in ordered)
        # the plain alternation lets the regex engine skip ahead quickly; the
        # lookahead form, tried only inside a match, finds forms that overlap it
        self.rx = re.compile("(" + alternation + ")") if ordered else None
        self.rx_at = re.compile("(?=(" + alternation + "))") if ordered else None
        self.prefixes = {f: [g for g in ordered if f.startswith(g)] for f in ordered}
        self._cache: dict[str, dict[str, int]] = {}

    def counts(self, text: str) -> dict[str, int]:
        if not text or self.rx is None or self.rx_at is None:  # both None together: no terms
            return {}
        starts: dict[int, str] = {}
        for m in self.rx.finditer(text):
            i, j = m.span()
            starts[i] = m.group(1)
            for k in range(i + 1, j):
                inner = self.rx_at.match(text, k)
                if inner:
                    starts[k] = inner.group(1)
        occ: dict[str, list[tuple[int, int]]] = {}
        for i, longest in starts.items():
            for f in self.prefixes[longest]:
                for name in self.forms[f]:
                    occ.setdefault(name, []).append((i, i + len(f)))
        out: dict[str, int] = {}
        for name, spans in occ.items():
            spans.sort(key=lambda sp: (sp[0], -sp[1]))
            n, end = 0, -1
            for a, b in spans:
                if a >= end:
                    n, end = n + 1, b
            out[name] = n
        return out

    def cached_counts(self, text: str) -> dict[str, int]:
        """For headings and leads, which many passages share."""
        hit = self._cache.get(text)
        if hit is None:
            hit = self._cache[text] = self.counts(text)
        return hit


def _forms(name: str) -> set[str]:
    return {name, *(synonym_forms().get(name, ()))}


def section_terms(section: SectionSpec) -> list[KeywordPattern]:
    terms = {name: _term(name, w) for name, w in section.keywords}
    # the description's domain terms count lightly
    desc = section.description or ""
    for w in domain_terms():
        if w in desc and w not in terms:
            terms[w] = _term(w, DESCRIPTION_WEIGHT)
            desc = desc.replace(w, " ")
    # the title itself is a term too
    if section.title not in terms:
        terms[section.title] = _term(section.title, 2.0)
    return list(terms.values())


def title_core(title: str) -> list[str]:
    """The distinctive words of a section title: 思想引领 → [思想]; 组织体系 → [组织]."""
    core = GENERIC_TITLE_PARTS.sub(" ", title)
    return [w for w in core.split() if len(w) >= 2]


# ------------------------------------------------------------------ scoring
def _count(term: KeywordPattern, text: str) -> int:
    # findall (no groups in term patterns) counts the same non-overlapping matches
    # as iterating finditer, in C: mapping calls this passages × sections × terms times.
    return len(term.pattern.findall(text))


def _idf(df: int, n: int) -> float:
    """Smooth, never zero: a term in every passage still counts a little."""
    return max(0.35, math.log((n + 1) / (df + 0.5)) / math.log(n + 1.5)) if n > 1 else 1.0


def map_corpus(corpus: Corpus, outline: Outline, threshold: float | None = None) -> Mapping:
    """Assign each passage of the corpus to at most one leaf section of the outline."""
    threshold = _threshold(outline, threshold)
    leaves = [s for top in outline.sections for s in (top.sections or (top,))]
    passages = corpus.passages()
    n = len(passages)
    sec_terms = {s.id: {t.name: t for t in section_terms(s)} for s in leaves}
    # one scan per passage counts every term; document frequency from the same counts
    all_terms = {name: t for ts in sec_terms.values() for name, t in ts.items()}
    matcher = Matcher(list(all_terms.values()))
    text_counts = [matcher.counts(p.text) for p in passages]
    df = _document_frequency(text_counts)
    policy = Policy.of(outline, leaves, passages)

    headings = _HeadingSections(leaves, sec_terms, df, n, matcher)
    out: list[Assignment] = []
    for p, counts in zip(passages, text_counts):
        own: dict[str, float] = {}
        terms: dict[str, list[str]] = {}
        for s in leaves:
            sc, ev = _score(p, s, sec_terms[s.id], df, n, counts, matcher)
            own[s.id] = sc
            terms[s.id] = ev
        head_id, head_sc, head_ev = headings.of(p.heading)
        scores = {k: round(v + head_sc.get(k, 0.0), 3) for k, v in own.items()}
        for k, ev in head_ev.items():
            terms[k] = ev + terms[k]
        shut = frozenset(s.id for s in leaves if any(w and w in p.text for w in s.exclude))
        section, score, reason, runner_up = policy.decide(p, scores, threshold, own, head_id, shut)
        out.append(Assignment(p.id, section, score, scores, terms, reason, runner_up, head_id))
    return Mapping(outline, tuple(out), threshold, {a.passage_id: a for a in out}, policy.warnings)


class _HeadingSections:
    """The section each heading points to, worked out once per heading text."""

    def __init__(
        self,
        leaves: list[SectionSpec],
        sec_terms: dict[str, dict[str, KeywordPattern]],
        df: dict[str, int],
        n: int,
        matcher: Matcher,
    ):
        self.leaves, self.sec_terms, self.df, self.n, self.matcher = leaves, sec_terms, df, n, matcher
        self._cache: dict[str, tuple[dict[str, float], dict[str, str]]] = {}

    def scores(self, heading: str) -> tuple[dict[str, float], dict[str, str]]:
        """Each section's score for one heading's words, and its evidence."""
        hit = self._cache.get(heading)
        if hit is not None:
            return hit
        counts = self.matcher.cached_counts(heading)
        scores: dict[str, float] = {}
        labels: dict[str, str] = {}
        for s in self.leaves:
            found = [name for name in self.sec_terms[s.id] if counts.get(name)]
            sc = sum(self.sec_terms[s.id][k].weight * _idf(self.df.get(k, 0), self.n) for k in found)
            core = next((c for c in title_core(s.title) if c in heading), None)
            if core:
                found.insert(0, core)
                sc += HEADING_TITLE_BONUS / 2
            scores[s.id] = sc
            labels[s.id] = "、".join(found[:3])
        self._cache[heading] = (scores, labels)
        return scores, labels

    def of(self, path: tuple[str, ...]) -> tuple[str | None, dict[str, float], dict[str, list[str]]]:
        """(heading section, its score per section, evidence) from the innermost decisive heading."""
        for heading in reversed(path):
            scores, labels = self.scores(heading)
            ranked = sorted(scores.values(), reverse=True)
            best = ranked[0] if ranked else 0.0
            second = ranked[1] if len(ranked) > 1 else 0.0
            if best >= HEADING_DECISIVE and best >= HEADING_RATIO * second:
                sid = max(scores, key=lambda k: scores[k])
                short = heading if len(heading) <= 14 else heading[:13] + "…"
                ev = f"标题“{short}”（{labels[sid]}）+{best * HEADING_WEIGHT:.1f}"
                return sid, {sid: best * HEADING_WEIGHT}, {sid: [ev]}
        return None, {}, {}


def _threshold(outline: Outline, threshold: float | None) -> float:
    """The caller's threshold, else the outline's, else the default."""
    threshold = outline.threshold if threshold is None and outline.threshold is not None else threshold
    return DEFAULT_THRESHOLD if threshold is None else threshold


def _document_frequency(text_counts: list[dict[str, int]]) -> dict[str, int]:
    df: dict[str, int] = {}
    for counts in text_counts:
        for name in counts:
            df[name] = df.get(name, 0) + 1
    return df


@dataclass(frozen=True)
class Policy:
    """The outline's placement rules, worked out once per run: passages excluded
    from the whole draft, pinned to a section, banned from a section, and the
    section keywords that let background/significance passages in."""

    excluded: frozenset[str]
    pinned: dict[str, str]  # passage id → section id
    banned: dict[str, frozenset[str]]  # section id → passage ids banned from it
    background_terms: tuple[str, ...]  # keywords naming 意义/背景…, in section order
    warnings: tuple[str, ...] = ()  # pins that matched no passage, in Chinese

    @classmethod
    def of(cls, outline: Outline, leaves: list[SectionSpec], passages: list[Passage] | None = None) -> Policy:
        """``passages`` resolve text anchors ("text:支部建在办案组") and let pins that
        match nothing be reported; without them pins are taken as ids, unchecked."""
        pins = _PinResolver(passages)
        pinned: dict[str, str] = {}
        for s in leaves:
            for pid in pins.ids(s.include, f"部分 {s.id} 的 include"):
                pinned.setdefault(pid, s.id)
        # a pin on a parent section goes to its first child
        for top in outline.sections:
            if top.sections:
                for pid in pins.ids(top.include, f"部分 {top.id} 的 include"):
                    pinned.setdefault(pid, top.sections[0].id)
        banned: dict[str, set[str]] = {}
        for s in leaves:
            banned.setdefault(s.id, set()).update(pins.ids(s.ban, f"部分 {s.id} 的 ban"))
        excluded = frozenset(pins.ids(outline.exclude_passages, "exclude_passages"))
        background = tuple(name for s in leaves for name, _ in s.keywords if BACKGROUND_HEADING.search(name))
        return cls(
            excluded,
            pinned,
            {k: frozenset(v) for k, v in banned.items()},
            background,
            tuple(pins.warnings),
        )

    def wants_background(self, p: Passage) -> bool:
        """A section whose own keywords name 意义/背景… (found in the headings) may take such passages."""
        heads = " ".join(p.heading)
        return any(name in heads for name in self.background_terms)

    def decide(
        self,
        p: Passage,
        scores: dict[str, float],
        threshold: float,
        own: dict[str, float] | None = None,
        heading_section: str | None = None,
        shut: frozenset[str] = frozenset(),
    ) -> tuple[str | None, float, str, str | None]:
        """(section or None, score, reason, runner-up) for one passage.

        ``scores`` are the shown totals (own + heading); ``own`` the passage's own
        evidence (defaults to ``scores``); ``heading_section`` where its heading points;
        ``shut`` the sections whose exclude words the passage contains."""
        own = scores if own is None else own
        best_id = max(scores, key=lambda k: scores[k]) if scores else None
        best = scores.get(best_id, 0.0) if best_id else 0.0
        if p.id in self.excluded:
            return None, best, "全稿排除", None
        if p.id in self.pinned:
            pin = self.pinned[p.id]
            return pin, scores.get(pin, 0.0), PINNED, None
        if p.kind in NEVER_KINDS:
            return None, best, {OPENING: "开头段", CLOSING: "结尾段", ABSTRACT: "摘要"}[p.kind], None
        if any(BACKGROUND_HEADING.search(h) for h in p.heading) and not self.wants_background(p):
            return None, best, "背景或意义", None
        if quotes_guidance_only(p):
            return None, best, "背景或意义", None
        if any(PROBLEM_HEADING.search(h) for h in p.heading):
            return None, best, "问题陈述", None
        allowed = [k for k in scores if p.id not in self.banned.get(k, ()) and k not in shut]
        if not allowed:
            return None, best, "低于阈值", None
        ranked = sorted(allowed, key=lambda k: (-own[k], k))
        top, second = own[ranked[0]], (own[ranked[1]] if len(ranked) > 1 else 0.0)
        section: str | None = None
        reason = ""
        inherited = own.get(heading_section or "", 0.0)
        # a paragraph with no term at all (results, narrative) inherits nothing; a sub-point
        # ("规范小组日常管理。") says what its heading says, in words of its own
        said_something = top > 0 or is_sub_point(p)
        if heading_section in allowed and said_something and scores[heading_section] >= threshold:
            section, reason = heading_section, "随标题"
            if top - inherited >= OVERRIDE_MARGIN and top >= OVERRIDE_RATIO * inherited:
                section, reason = ranked[0], "本段证据明显指向别处"
        elif top >= threshold:
            section = ranked[0]
        elif (p.lead or p.number) and top >= MODEST_FLOOR and top >= MODEST_RATIO * second:
            # a sub-point (一是……, a lead phrase) states one practice: modest but clear evidence places it
            section, reason = ranked[0], "明显领先"
        elif heading_section in allowed and top < MODEST_FLOOR and is_short_point(p):
            # too short to carry evidence of its own: it says what its (decisive) heading says
            section, reason = heading_section, "短句随标题"
        if section is None:
            return None, best, "低于阈值", None
        others = [k for k in ranked if k != section]
        runner_up = None
        if others and own[others[0]] >= threshold and own[others[0]] >= SPLIT_RATIO * own[section]:
            runner_up = others[0]
            reason = (reason + "；" if reason else "") + "两可"
        return section, scores.get(section, 0.0), reason, runner_up


# a paragraph opening with a leader's words ("习近平总书记在……上指出，……") is background …
GUIDANCE_RE = re.compile(
    r"^(?:习近平|总书记|\*{2,}总书记|党的[一二三四五六七八九十]+大报告|党章|党中央)[^。]{0,40}?(?:指出|强调|要求|提出|明确)"
)
# … unless it goes on to what a unit did ("……。我院据此建立……")
UNIT_ACTS_RE = re.compile(
    r"(?:我院|该院|本院|院党组|党组|机关党委|党支部|检察院)[^。；]{0,20}?"
    r"(?:建立|制定|开展|组织|推行|坚持|落实|实行|设立|推动|打造|举办|召开|学习|贯彻|出台|成立)"
)


def quotes_guidance_only(p: Passage) -> bool:
    """A leader's words quoted as background, with no practice of the unit after them."""
    return bool(GUIDANCE_RE.match(p.text)) and not UNIT_ACTS_RE.search(p.text)


SHORT_SUB_POINT = 60  # a one-sentence paragraph up to this long under a heading is one of its points


def is_sub_point(p: Passage) -> bool:
    """A point of its heading: numbered (一是……), opening with a lead phrase, or short."""
    return bool(p.number or p.lead) or is_short_point(p)


def is_short_point(p: Passage) -> bool:
    """A one-sentence point ("扎实推进“规定动作”。", "规范小组日常管理。") — not a figure or
    a dated result (今年，该院办理……320件), which is narrative, nor an introduction
    ("主要做法如下：")."""
    return (
        len(p.sentences) <= 1
        and len(p.text) <= SHORT_SUB_POINT
        and not re.search(r"\d|如下|以下", p.text)
        and not p.text.endswith(("：", ":"))
        and not RESULTS_RE.match(p.text)
    )


TEXT_PIN = "text:"


class _PinResolver:
    """Pins name a passage by id ("p0123456789") or by a few of its words
    ("text:支部建在办案组"), which survive edits elsewhere in the passage."""

    def __init__(self, passages: list[Passage] | None):
        self.passages = passages
        self.known = {p.id for p in passages} if passages is not None else set()
        self.warnings: list[str] = []

    def ids(self, values: tuple[str, ...], where: str) -> list[str]:
        out: list[str] = []
        for value in values:
            if value.startswith(TEXT_PIN):
                anchor = _squeeze(value[len(TEXT_PIN) :])
                hits = [p.id for p in self.passages or () if anchor and anchor in _squeeze(p.text)]
                if not hits and self.passages is not None:
                    self.warnings.append(f"大纲{where}中的“{value}”没有匹配任何段落{self._nearest(anchor)}。")
                out.extend(hits)
            elif self.passages is not None and value not in self.known:
                self.warnings.append(
                    f"大纲{where}中的段落编号 {value} 没有对应的段落（素材改动后编号会变；"
                    "可用 writer ingest --ids 查看现有编号，或改写成“text:段落中的几个字”）。"
                )
            else:
                out.append(value)
        return out

    def _nearest(self, anchor: str) -> str:
        """The passage sharing the longest run of characters with the anchor."""
        best, size = None, 0
        for p in self.passages or ():
            text = _squeeze(p.text)
            n = (
                difflib.SequenceMatcher(None, anchor, text, autojunk=False)
                .find_longest_match(0, len(anchor), 0, len(text))
                .size
            )
            if n > size:
                best, size = p, n
        if best is None or size < 2:
            return ""
        head = best.text if len(best.text) <= 24 else best.text[:24] + "…"
        return f"；最接近的是段落 {best.id}（{best.location.label()}：{head}）"


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _score(
    p: Passage,
    s: SectionSpec,
    terms: dict[str, KeywordPattern],
    df: dict[str, int],
    n: int,
    counts: dict[str, int],
    matcher: Matcher,
) -> tuple[float, list[str]]:
    """Score of one passage for one section, and the evidence (terms by contribution)."""
    text = p.text
    mechanisms = _mechanisms_for(s.title, text)
    lead = scoring_lead(p)
    core = _core_in_lead(s.title, lead)
    if not any(name in terms for name in counts) and not mechanisms and not core:
        return 0.0, []  # without any term in the text, headings alone cannot place the passage
    if any(w and w in text for w in s.exclude):
        return 0.0, ["排除词"]
    l_counts = matcher.cached_counts(lead)
    score = 0.0
    evidence: list[tuple[float, str]] = []
    if core:
        score += LEAD_CORE_WEIGHT
        evidence.append((LEAD_CORE_WEIGHT, f"要点:{core}"))
    length_norm = 1.0 / (0.5 + 0.5 * min(3.0, max(0.3, len(text) / 250)))
    names = [t for t in terms if t in counts]  # in the section's term order
    for name in names:
        t = terms[name]
        tf, ld = counts.get(name, 0), l_counts.get(name, 0)
        idf = _idf(df.get(name, 0), n)
        part = 0.0
        if tf:
            sat = tf * 2.2 / (tf + 1.2 * length_norm**-1)
            part += t.weight * idf * sat
            if ld:
                part += t.weight * idf * LEAD_WEIGHT
        score += part
        label = name + (f"×{tf}" if tf > 1 else "") + ("（要点）" if ld and tf else "")
        evidence.append((part, label))
    for m in mechanisms[:2]:
        part = MECHANISM_WEIGHT * (1 + LEAD_WEIGHT if m in lead else 1)
        score += part
        evidence.append((part, f"机制：{m}" + ("（要点）" if m in lead else "")))
    evidence.sort(key=lambda e: -e[0])
    return score, [f"{label}+{part:.1f}" for part, label in evidence[:8]]


def scoring_lead(p: Passage) -> str:
    """The phrase that states a passage's point: its lead, else an opening "在X方面"."""
    if p.lead:
        return p.lead
    m = TOPIC_LEAD_RE.match(p.text)
    return m.group(1) if m else ""


def _core_in_lead(title: str, lead: str) -> str | None:
    """The section title's core word (思想/组织/制度) where the lead names it as its topic."""
    for core in _title_cores(title) if lead else ():
        if core in lead and _core_re(core).search(lead):
            return core
    return None


@lru_cache(maxsize=256)
def _core_re(core: str) -> re.Pattern:
    return re.compile(_CORE_BEFORE + re.escape(core) + _CORE_NOT_VERB)


def _mechanisms_for(title: str, text: str) -> list[str]:
    """The mechanisms a passage sets up that count for the section titled ``title``:
    those about its topic (a 思想 section takes "“融学习”机制"), and for the section
    about rules (title with 制度/机制) those about rules or no topic at all."""
    found = _mechanisms(text)
    if not found:
        return []
    cores = _title_cores(title)
    rules = bool(MECHANISM_SECTION.search(title))
    return [name for name, topic in found if (any(c in cores for c in topic) if topic else rules)]


@lru_cache(maxsize=256)
def _title_cores(title: str) -> tuple[str, ...]:
    return tuple(title_core(title))


@lru_cache(maxsize=4096)
def _mechanisms(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Mechanisms a passage sets up ("建立……考核方案", "推行“融培训”模式"), each with
    the section core words of its topic (empty: rules or no topic)."""
    if not MECHANISM_HEAD_HINT.search(text):
        return ()
    text = MECHANISM_SETTING_RE.sub("", text)
    out = []
    for m in _mechanism_re().finditer(text):
        start = m.start()
        quote = text.rfind("“", max(0, start - 6), start)  # the whole quoted name: "“融学习”机制"
        if quote != -1 and "”" not in text[quote:start]:
            start = quote
        name = text[start : m.end()]
        out.append((name, () if any(w in name for w in MECHANISM_RULE_WORDS) else _topic_of(name)))
    return tuple(out)


@lru_cache(maxsize=1)
def _mechanism_re() -> re.Pattern:
    topics = [w for _cores, words in mechanism_topics() for w in words]
    names = "|".join(re.escape(w) for w in sorted({*MECHANISM_RULE_WORDS, *topics}, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?:{names}){MECHANISM_HEADS}")


def _topic_of(name: str) -> tuple[str, ...]:
    """Core words of the topic named last in a mechanism's name (the word nearest its head)."""
    best: tuple[str, ...] = ()
    at = -1
    for cores, words in mechanism_topics():
        for w in words:
            i = name.rfind(w)
            if i > at:
                best, at = cores, i
    return best
