"""Mapping: score every passage against every outline section, explainably.

Headings first.  Each heading on a passage's path (numbered, paired phrase, a
short sentence on its own line, a run-in lead) is scored against the sections on
its own words (the section's keywords, and the section title's core word, e.g.
组织 for 组织体系引领; a 制度/机制 right after another section's term names that
term's system — 落实第一议题制度 is about 第一议题 — and counts for nothing else); the innermost heading whose best section clearly beats
the others gives the passage a *heading section*.  The passage inherits it when
its own text carries any evidence for it, or when it is a sub-point of the heading
(一是……, a lead phrase, a short one-sentence point; a numbered series after a paragraph
opening with a short run-in lead sentence has that sentence as its innermost heading), unless its own evidence points
to another section by a clear margin; a one-sentence point with little evidence
of its own follows a decisive heading even below the threshold.

A passage's own score adds up weighted evidence:
  - the section's keywords (and their synonyms) found in the passage text,
    weighted by the outline's weight, damped by how common the term is in the
    corpus (a term found in most passages, such as 党建, tells little) and
    saturated so that repetition does not run away;
  - the same keywords in the passage's lead phrase weigh more (a lead states the point;
    an opening "在X方面，", the X of an opening "以X为载体", or a run-in lead sentence of
    two short phrases ("强化组织建设，激发组织活力。") is read as the lead of a passage
    that has none);
  - the section title's core word (思想/组织/制度) naming the lead's topic
    ("一是坚持以“思想要素”凝心铸魂") counts like that word in a heading, in full;
  - for the section about rules, a rule or mechanism word (述职, 评议, 考核, 清单, 责任制…)
    in the passage's point (its lead and the first clause after it) counts like the core
    word in the lead, unless the lead names another section's topic (学习, 支部…): a
    述职 point full of 党支部 and 党员 is still about the 述职; a heading naming such a
    word counts it like the section's core word;
  - a mechanism the passage sets up ("建立……考核方案", "制定……责任清单") is
    evidence for the section about rules and mechanisms (title with 制度/机制),
    unless it is named after a topic of another section (lexicon
    mechanism_topics.yaml: "“融学习”机制" counts for 思想, "“支部联审”机制" for 组织);
  - lexicon terms named in the section's description, lightly.
Without a heading section a passage is assigned when its best score reaches the
threshold, or, for a sub-point (一是……, a lead phrase, a short one-sentence point such as a
part's topic sentence), when it clearly beats every other section on modest evidence (decided by margin as well as by level).  Two close sections are reported as a
split (``runner_up``).  A passage dense with casework (case counts, prosecutions,
services to firms: BUSINESS_RE per 100 characters) is assigned only on party-building
evidence well above the threshold; a 临时党支部 or 党建共建 in passing does not make it
party building (sections whose keywords name casework or results, such as 服务大局 or
主要做法, take it as it comes).  Openings, closings, abstracts, background/significance
passages (headings with 意义/内涵/背景…, not 现状; a leader's words quoted with no practice
after them) and problem statements (存在的问题…) are
never assigned unless pinned.  Every score carries the terms that produced it.

Matching is by substring over the lexicon's canonical terms and variants, so
mapping needs no word segmenter (and no jieba start-up) at all.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import itertools
import marshal
import math
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from writer.config.lexicon import domain_terms, mechanism_topics, synonym_forms
from writer.config.outline import Outline, SectionSpec
from writer.mapping import practice, prepared
from writer.mapping.prepared import KeptCounts, PassageTable, TermIndex
from writer.mapping.result import PINNED, Assignment, Mapping
from writer.model.corpus import ABSTRACT, BODY, CLOSING, OPENING, Corpus, Passage, Survey
from writer.sources.schema import RESULTS_RE

if TYPE_CHECKING:
    from writer.mapping.columnar import Decided

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
VECTOR_MIN = 2000  # passages from which scoring all at once (numpy) beats its start-up
NEVER_KINDS = (OPENING, CLOSING, ABSTRACT)
# casework and its results: case counts, prosecutions, services to the economy
BUSINESS_RE = re.compile(
    r"\d[\d.,]*\s*(?:余|多)?\s*(?:件|人|起|亿元|万元|个案例|项数据|位)"
    r"|办理|起诉|批捕|诉讼|案件|案例|营商|企业|追赃|挽损|治理"
)
BUSINESS_DENSITY = 2.5  # business words and case figures per 100 characters that make a passage about casework …
BUSINESS_LEVEL = 1.5  # … which then needs this many times the threshold in party-building evidence
# a section with two keywords like these (营商环境, 公益诉讼; 成效, 获评) takes casework and results as they come
CASEWORK_KEYWORD = re.compile(BUSINESS_RE.pattern + r"|检察建议|服务保障|司法救助|民营|成效|获评|荣誉")
# not 现状: in a research report the "现状" part describes what units already do (practices)
BACKGROUND_HEADING = re.compile(r"意义|内涵|背景|必要性|重要性|概述|形势|基本情况|概况")
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
_CORE_NOT_VERB = r"(?!开展|召开|举办|参加|参观|观看|干警|党员|青年|全院|集中|学习|动员|实施|领导|保障)"  # 加强组织领导: leadership, not the organisation
# a research report states a paragraph's topic up front: "在制度建设方面，……" reads as its lead
TOPIC_LEAD_RE = re.compile(r"^(?:在|从)([^，,。；]{2,12})方面[，,]")
# … so does a run-in lead sentence of two short phrases ("强化组织建设，激发组织活力。……")
RUNIN_LEAD_RE = re.compile(r"^([^，,。；：\d]{2,10}[，,][^，,。；：\d]{2,10})。(?=.)")
# … and a paragraph built on a carrier states its point as that carrier: "该院以“三会一课”、主题党日
# 为载体，……" is about the 三会一课 (not 以……为契机, an occasion)
CARRIER_LEAD_RE = re.compile(r"^[^，,。；“]{0,10}?以([^，,。；]{2,30}?)为(?:载体|抓手|平台|依托)")
SYSTEM_WORD = re.compile(r"制度|机制")  # the generic word a named system ends with
# a passage whose point (its lead and the first clause after it) names a rule or a mechanism
# ("一是程序严。制定述职评议方案……", "实行“一推二考三评议”工作法", "明确党总支成员的工作职责")
# is about that rule, whatever organisation or study words its details carry: for the section
# about rules this counts like the section's core word in the lead
# (not the generic 制度/机制/规范, which name any practice's arrangements, and not when the lead
# itself names another section's topic: "建强抓实学习载体。牢牵住责任制……" is about study)
RULE_POINT_WORDS = (
    "述职", "评议", "考核", "考评", "评查", "清单", "责任制", "工作职责", "台账", "目标管理",
    "党建目标", "督查", "督导", "问责", "追责", "考勤",
)  # fmt: skip
RULE_POINT_RE = re.compile("|".join(RULE_POINT_WORDS))
POINT_CLAUSE_RE = re.compile(r"[^，,。；;：:！？!?]*")
# a numbered series (一是……二是……) after a paragraph that opens with a short run-in lead sentence
# ("突出“严”字抓评议，评出压力与动力。构建……") is that sentence's points: it acts as their heading
INTRO_LEAD_MAX = 24
# the first point of a series, after a stop or a colon ("提出三个方面的要求：一是……")
FIRST_POINT_RE = re.compile(r"(?:^|[。；;：:！？])\s*(?:一是|首先)")
GENERIC_TITLE_PARTS = re.compile(r"引领|建设|体系|机制|工作|作用|方面|情况|主要|坚持|发挥")


# ------------------------------------------------------------------ terms
@dataclass(frozen=True)
class KeywordPattern:
    name: str  # canonical form, shown in explanations
    weight: float
    alternation: str  # the term and its variants, longest first

    @functools.cached_property
    def pattern(self) -> re.Pattern:
        """Compiled when first used: a warm run reads stored counts and compiles none of
        an outline's thousand terms."""
        return re.compile(self.alternation)


def _term(name: str, weight: float) -> KeywordPattern:
    forms = {name, *(synonym_forms().get(name, ()))}
    return KeywordPattern(name, weight, "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f))))


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
        self._alternation = "|".join(re.escape(f) for f in ordered) if ordered else None
        self.prefixes = {f: [g for g in ordered if f.startswith(g)] for f in ordered}
        self._cache: dict[str, dict[str, int]] = {}
        # what the counts depend on: each form and the terms it counts for
        shape = "\n".join(f + "\t" + "\t".join(sorted(self.forms[f])) for f in ordered)
        self.key = hashlib.sha1(shape.encode("utf-8")).hexdigest()[:16]

    @functools.cached_property
    def _patterns(self) -> tuple[re.Pattern, re.Pattern] | None:
        """Compiled when first used (a warm run counts nothing new).  The plain alternation
        lets the regex engine skip ahead quickly; the lookahead form, tried only inside a
        match, finds forms that overlap it."""
        alt = self._alternation
        return None if alt is None else (re.compile("(" + alt + ")"), re.compile("(?=(" + alt + "))"))

    def counts(self, text: str) -> dict[str, int]:
        patterns = self._patterns if text else None
        if patterns is None:  # no text, or no terms
            return {}
        rx, rx_at = patterns
        starts: dict[int, str] = {}
        for m in rx.finditer(text):
            i, j = m.span()
            starts[i] = m.group(1)
            for k in range(i + 1, j):
                inner = rx_at.match(text, k)
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


@functools.lru_cache(maxsize=4096)
def _idf(df: int, n: int) -> float:
    """Smooth, never zero: a term in every passage still counts a little."""
    return max(0.35, math.log((n + 1) / (df + 0.5)) / math.log(n + 1.5)) if n > 1 else 1.0


def map_corpus(
    corpus: Corpus, outline: Outline, threshold: float | None = None, *, counts: CountStore | None = None
) -> Mapping:
    """Assign each passage of the corpus to at most one leaf section of the outline.

    A large corpus is scored all at once (``map_corpus_vectorised``, numpy), a small one
    a passage at a time (``map_corpus_scalar``, no numpy start-up): the two give the
    same sections, scores, reasons and evidence.  ``counts`` keeps each passage's term
    counts between runs (the corpus cache does), so a warm run does not rescan the texts."""
    if sum(len(a.passages) for s in corpus.sources for a in s.articles) >= VECTOR_MIN:
        return map_corpus_vectorised(corpus, outline, threshold, counts=counts)
    return map_corpus_scalar(corpus, outline, threshold, counts=counts)


def map_table(
    table: PassageTable, outline: Outline, threshold: float | None = None, *, counts: CountStore | None = None
) -> Mapping:
    """``map_corpus`` over a passages table (``prepared.PassageTable``, e.g. the one the
    corpus cache keeps): the same sections, scores, reasons and evidence, without the
    corpus's objects."""
    run = _Run(table, outline, threshold, counts)
    if run.n >= VECTOR_MIN:
        return _vectorised_mapping(run)
    return _scalar(run)


def map_corpus_vectorised(
    corpus: Corpus, outline: Outline, threshold: float | None = None, *, counts: CountStore | None = None
) -> Mapping:
    """Every passage against every section at once (``matrix.py``); evidence strings are
    worked out only when an assignment's ``terms`` are read, assignments only when asked for."""
    return _vectorised_mapping(_Run(passage_table(corpus, counts), outline, threshold, counts))


def _vectorised_mapping(run: _Run) -> Mapping:
    """The decisions kept for this table, outline and rules when the store has them, else
    worked out (and kept)."""
    from writer.mapping.columnar import ColumnMapping, Decided

    key = _decisions_key(run)
    decided = prepared.load(run.store, key, Decided.decode) if key else None
    if decided is None or len(decided.section) != run.n:
        decided = _vectorised(run)
        if key:
            run.store.save_blob(key, decided.encode())  # type: ignore[union-attr]
    return ColumnMapping(run.outline, run.threshold, run.policy.warnings, run.table.ids, decided, _Explainer(run, key))


def _decisions_key(run: _Run) -> str | None:
    """What the decisions depend on: the passages table (sources and rules), the term set,
    the outline's sections, keywords and weights, pins, excludes and threshold, and the
    arithmetic (``matrix``).  None when nothing is kept."""
    if not run.table.key or not hasattr(run.store, "save_blob"):
        return None
    from writer.mapping import matrix

    o = run.outline
    terms = {sid: [(name, t.weight) for name, t in ts.items()] for sid, ts in run.sec_terms.items()}
    parts = (run.table.key, run.count_key, rules_key(), repr(o.sections), repr(o.exclude_passages), repr(terms),
             repr(o.practice_model))  # fmt: skip
    h = hashlib.sha1("\n".join((*parts, repr(run.threshold))).encode())
    h.update(Path(matrix.__file__ or "").read_bytes())
    return "decided:" + h.hexdigest()[:24]


def map_corpus_scalar(
    corpus: Corpus, outline: Outline, threshold: float | None = None, *, counts: CountStore | None = None
) -> Mapping:
    """One passage and one section at a time: the readable reference the vectorised
    path is checked against (same sections, scores, reasons and evidence)."""
    return _scalar(_Run(PassageTable.of(corpus, prepare_passages), outline, threshold, counts))


def _scalar(run: _Run) -> Mapping:
    out: list[Assignment] = []
    for p, found, path in zip(run.passages, run.text_counts, run.paths):
        own: dict[str, float] = {}
        terms: dict[str, list[str]] = {}
        for s in run.leaves:
            sc, ev = _score(p, s, run.sec_terms[s.id], run.df, run.n, found, run.matcher, run.lead_counts(p))
            own[s.id] = sc
            terms[s.id] = ev
        head_id, head_sc, head_ev = run.headings.of(path)
        scores = {k: round(v + head_sc.get(k, 0.0), 3) for k, v in own.items()}
        for k, ev in head_ev.items():
            terms[k] = ev + terms[k]
        section, score, reason, runner_up = run.policy.decide(
            p, scores, run.threshold, own, head_id, run.shut(p), run.headings.names_system(path)
        )
        out.append(Assignment(p.id, section, score, scores, terms, reason, runner_up, head_id))
    _short_lines_head_what_follows(run, out)
    _practice_checked(run, out)
    return Mapping(run.outline, tuple(out), run.threshold, {a.passage_id: a for a in out}, run.policy.warnings)


FOLLOWS_NEXT = "随下文"
HEADING_LINE_MAX = 16  # a line that heads a paragraph is this short …
# … and names no unit or person: "干警到快递公司调研。", "检察长主持学习研讨。" tell what happened
PEOPLE_RE = re.compile(r"检察院|法院|检察部|干警|书记|检察长|主任|记者|[。！？].")


def heads_next(p: Passage) -> bool:
    """A line that can head the paragraph after it: a short point with no unit or person
    in it ("守正创新，提升融的层次。"), or a short paragraph announcing points ("……：")."""
    return (
        p.kind == BODY
        and (is_short_point(p) and len(p.text) <= HEADING_LINE_MAX or is_colon_intro(p))
        and not PEOPLE_RE.search(p.text)
    )


def follow_next(run: _Run, sections: list[str | None], reasons: list[str], tops: list[float]) -> dict[int, str]:
    """Rows that go where the paragraph after them goes (``heads_next`` lines left below
    the threshold with nothing of their own, in the same article), worked out last to
    first so that two such lines in a row follow the same paragraph: row → section."""
    moved: dict[int, str] = {}
    article_of, kinds, flags = run.article_of, run.kinds, run.heads_next
    for i in range(run.n - 2, -1, -1):
        if not flags[i] or article_of[i] != article_of[i + 1] or kinds[i + 1] != BODY:
            continue
        section = moved.get(i + 1, sections[i + 1])
        if (
            section is None
            or sections[i] is not None
            or reasons[i] != "低于阈值"
            or tops[i] >= MODEST_FLOOR
            or run.passage_id(i) in run.policy.banned.get(section, ())
            or section in run.shut_at(i)
        ):
            continue
        moved[i] = section
    return moved


def _short_lines_head_what_follows(run: _Run, out: list[Assignment]) -> None:
    """``follow_next`` applied to a list of assignments."""
    moved = follow_next(
        run, [a.section for a in out], [a.reason for a in out], [max(a.scores.values(), default=0.0) for a in out]
    )
    for i, section in moved.items():
        a = out[i]
        out[i] = dataclasses.replace(a, section=section, score=a.scores.get(section, 0.0), reason=FOLLOWS_NEXT)


LIKE_PRACTICE = "像做法"
NOT_PRACTICE = "不像做法"


def practice_check(run: _Run, sections: list[str | None], reasons: list[str], scores_at) -> dict[int, tuple]:
    """The learned model's word after the rules (``practice``): rows it moves, row →
    (section or None, score, reason).  A placed passage it is sure tells no practice of a
    unit is left out; a passage left just below the threshold that it is sure does goes to
    its best section (its shown score at least the model's floor; bans and exclude words
    kept).  Pins and the outline's ``practice_model: false`` leave everything as it is.
    ``scores_at(i)`` gives row i's shown scores (section id → score)."""
    if not run.outline.practice_model or not run.n:
        return {}
    m = practice.model()
    moved: dict[int, tuple] = {}
    for i, value in enumerate(run.table.practice):
        if sections[i] is not None:
            if value < m.out_below and reasons[i] != PINNED:
                moved[i] = (None, max(scores_at(i).values(), default=0.0), NOT_PRACTICE)
        elif value > m.in_above and reasons[i] == "低于阈值":
            scores = scores_at(i)
            pid, shut = run.passage_id(i), run.shut_at(i)
            allowed = [k for k in scores if pid not in run.policy.banned.get(k, ()) and k not in shut]
            best = min(allowed, key=lambda k: (-scores[k], k), default=None)
            if best is not None and scores[best] >= m.floor:
                moved[i] = (best, scores[best], LIKE_PRACTICE)
    return moved


def _practice_checked(run: _Run, out: list[Assignment]) -> None:
    """``practice_check`` applied to a list of assignments."""
    moved = practice_check(run, [a.section for a in out], [a.reason for a in out], lambda i: out[i].scores)
    for i, (section, score, reason) in moved.items():
        out[i] = dataclasses.replace(out[i], section=section, score=score, reason=reason, runner_up=None)


def _vectorised(run: _Run) -> Decided:
    """Each passage's decision, from ``matrix``: the scalar path's numbers, computed a
    section at a time over all passages."""
    import numpy as np

    from writer.mapping import matrix
    from writer.mapping.columnar import Decided

    leaves, passages, n = run.leaves, run.passages, run.n
    table = run.table
    ids = [s.id for s in leaves]
    columns, col_of = _term_columns(run, np, matrix)
    base = np.array(
        [1.2 * (1.0 / (0.5 + 0.5 * min(3.0, max(0.3, length / 250)))) ** -1 for length in table.lengths],
        dtype=np.float64,
    )
    sections = [
        [(col_of[name], t.weight * _idf(run.df.get(name, 0), n)) for name, t in run.sec_terms[s.id].items()]
        for s in leaves
    ]
    extra = [_mechanism_parts(run, s, np) for s in leaves]
    start = [_core_parts(run, s, np) for s in leaves]
    own = matrix.own_scores(n, sections, columns, base, LEAD_WEIGHT, extra, start)
    for j, s in enumerate(leaves):  # a passage with the section's exclude words scores nothing there
        if any(w for w in s.exclude):
            for i, text in enumerate(table.texts):
                if any(w and w in text for w in s.exclude):
                    own[i, j] = 0.0
    # the heading layer, once per distinct heading path
    path_no: dict[tuple[str, ...], int] = {}
    which = np.array([path_no.setdefault(path, len(path_no)) for path in run.paths], dtype=np.int64)
    paths = list(path_no)
    heads = [run.headings.of(path) for path in paths]
    index = {k: j for j, k in enumerate(ids)}
    head_add = np.array([[sc.get(k, 0.0) for k in ids] for _, sc, _ in heads], dtype=np.float64).reshape(-1, len(ids))
    shown = _round3(own + head_add[which], np)
    heading = np.array([index[h] if h else -1 for h, _, _ in heads], dtype=np.int64)[which]
    short = np.array(table.short, dtype=bool)
    sub_point = np.array(table.sub_point, dtype=bool)
    order = np.array(sorted(range(len(ids)), key=lambda j: ids[j]), dtype=np.int64)
    rules = matrix.Rules(run.threshold, OVERRIDE_MARGIN, OVERRIDE_RATIO, MODEST_FLOOR, MODEST_RATIO, SPLIT_RATIO)
    decided = matrix.decide(own, shown, heading, sub_point, short, order, rules)
    section, reason, runner_up = (a.tolist() for a in decided)
    special = _special_rows(run, np)
    # under a heading naming another section's system, ``decide`` keeps its rules with it
    system_head = np.array([run.headings.names_system(path) for path in paths], dtype=bool)[which].tolist()
    special = [a or b for a, b in zip(special, system_head)]
    # 业务为主: a placement below BUSINESS_LEVEL × threshold outside a casework section may be
    # casework with a little party vocabulary: ``decide`` weighs those passages itself
    rows = np.arange(n)
    chosen = np.asarray(section)
    weak = (chosen >= 0) & (shown[rows, np.maximum(chosen, 0)] < BUSINESS_LEVEL * run.threshold)
    if run.policy.casework:
        weak &= ~np.isin(chosen, [index[k] for k in run.policy.casework if k in index])
    density = table.density
    for i in np.nonzero(weak)[0].tolist():
        if not special[i] and density[i] >= BUSINESS_DENSITY:
            special[i] = True
    head_of = [heads[k][0] for k in which.tolist()]
    by_policy = {}
    for i in itertools.compress(range(n), special):
        p = passages[i]
        scores = dict(zip(ids, shown[i].tolist()))
        own_d = dict(zip(ids, own[i].tolist()))
        by_policy[i] = run.policy.decide(p, scores, run.threshold, own_d, head_of[i], run.shut(p), system_head[i])
    best = np.argmax(shown, axis=1).tolist()
    _follow_next_rows(run, ids, section, reason, shown, by_policy, matrix)
    _practice_rows(run, ids, section, reason, shown, by_policy, matrix)
    return Decided(ids, section, shown, best, reason, runner_up, head_of, by_policy)


def _follow_next_rows(run: _Run, ids: list[str], section, reason, shown, by_policy: dict, matrix) -> None:
    """``follow_next`` on the decision columns (and on the rows ``Policy.decide`` decided)."""
    sections, reasons = _decision_lists(ids, section, reason, by_policy, matrix)
    tops = shown.max(axis=1).tolist() if ids else [0.0] * run.n
    index = {k: j for j, k in enumerate(ids)}
    for i, sid in follow_next(run, sections, reasons, tops).items():
        if i in by_policy:
            by_policy[i] = (sid, float(shown[i, index[sid]]), FOLLOWS_NEXT, None)
        else:
            section[i] = index[sid]
            reason[i] = matrix.FOLLOWS_NEXT


def _practice_rows(run: _Run, ids: list[str], section, reason, shown, by_policy: dict, matrix) -> None:
    """``practice_check`` on the decision columns: the rows it moves join ``by_policy``."""
    sections, reasons = _decision_lists(ids, section, reason, by_policy, matrix)
    for i, (sid, score, why) in practice_check(
        run, sections, reasons, lambda i: dict(zip(ids, shown[i].tolist()))
    ).items():
        by_policy[i] = (sid, score, why, None)


def _decision_lists(ids: list[str], section, reason, by_policy: dict, matrix) -> tuple[list, list[str]]:
    """Each row's section id (or None) and its reason as far as the post-passes need it
    (``低于阈值`` or not), from the decision columns and the rows ``Policy.decide`` decided."""
    below = matrix.BELOW
    sections = [by_policy[i][0] if i in by_policy else (ids[j] if j >= 0 else None) for i, j in enumerate(section)]
    reasons = [by_policy[i][2] if i in by_policy else ("低于阈值" if r == below else "") for i, r in enumerate(reason)]
    return sections, reasons


def _term_columns(run: _Run, np, matrix) -> tuple[list, dict[str, int]]:
    """Each term's occurrences as arrays (``matrix.TermColumn``), from the term index."""
    names = list(dict.fromkeys(name for s in run.leaves for name in run.sec_terms[s.id]))
    return run.terms.columns(names, np, matrix), {name: c for c, name in enumerate(names)}


def _round3(values, np):
    """``round(v, 3)`` of every value, as Python rounds (to the nearest decimal, ties to
    even): numpy's rounding agrees except within a hair of a tie, where Python decides."""
    scaled = values * 1000.0
    out = np.round(scaled) / 1000.0
    near_tie = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    for i, j in zip(*np.nonzero(near_tie)):
        out[i, j] = round(float(values[i, j]), 3)
    return out


def _special_rows(run: _Run, np) -> list[bool]:
    """Passages whose decision needs ``Policy.decide`` itself: pinned, banned, excluded,
    never placed (openings, closings, background, problems) or holding exclude words."""
    special = list(run.table.fixed_special)  # background, problems, openings, closings, quotations
    policy = run.policy
    named = set(policy.excluded) | set(policy.pinned) | {pid for ids in policy.banned.values() for pid in ids}
    if named or run._excludes:
        for i, (pid, text) in enumerate(zip(run.table.ids, run.table.texts)):
            if pid in named or run.shut_text(text):
                special[i] = True
    return special


def _mechanism_parts(run: _Run, s: SectionSpec, np) -> tuple:
    """(rows, [first mechanism's part, second's]): what ``_score`` adds after the
    keywords for the mechanisms that count for this section, in the same order."""
    cores = _title_cores(s.title)
    rules = bool(MECHANISM_SECTION.search(s.title))
    rows: list[int] = []
    firsts: list[float] = []
    seconds: list[float] = []
    for i, found in enumerate(run.mechanisms):
        if not found:
            continue
        names = [name for name, topic in found if (any(c in cores for c in topic) if topic else rules)]
        if not names:
            continue
        lead = run.leads[i]
        parts = [MECHANISM_WEIGHT * (1 + LEAD_WEIGHT if m in lead else 1) for m in names[:2]]
        rows.append(i)
        firsts.append(parts[0])
        seconds.append(parts[1] if len(parts) > 1 else 0.0)
    return np.array(rows, dtype=np.int64), [np.array(firsts), np.array(seconds)]


def _core_parts(run: _Run, s: SectionSpec, np):
    """What ``_score`` starts a section's score with: the title's core word named by
    the passage's lead as its topic, or for the section about rules a rule word in
    the passage's point (``LEAD_CORE_WEIGHT``), else nothing."""
    start = np.zeros(run.n, dtype=np.float64)
    rules = bool(MECHANISM_SECTION.search(s.title))  # a rule word in the point counts only there
    by_lead: dict[str, bool] = {}
    by_point: dict[str, bool] = {}
    for i, lead in enumerate(run.leads):
        if lead:
            hit = by_lead.get(lead)
            if hit is None:
                hit = by_lead[lead] = _core_in_lead(s.title, lead) is not None
            if hit:
                start[i] = LEAD_CORE_WEIGHT
                continue
        if rules:
            point = run.points[i]
            named = by_point.get(point)
            if named is None:
                named = by_point[point] = _rule_in_point(s.title, point) is not None
            if named:
                start[i] = LEAD_CORE_WEIGHT
    return start


class CountStore(Protocol):
    """Term counts kept between runs, per term set (``_count_key``): what
    ``prepared.KeptCounts.encode`` gives (each passage id's counts, each lead's), a plain
    dict of lists, bytes and strings.  ``writer.sources.cache.CorpusCache`` is one."""

    def load_counts(self, termset: str) -> dict: ...

    def save_counts(self, termset: str, counts: dict) -> None: ...

    def recall(self, ids: list[str]) -> dict[str, tuple[str, str]]:
        """Passages seen in earlier runs: id → (its file, its first words)."""
        ...


class _Run:
    """What one mapping run works out once: the leaf sections and their terms, the
    passages, each passage's term counts (text and lead), document frequencies, the
    pin/ban policy and the heading layer."""

    def __init__(self, table: PassageTable, outline: Outline, threshold: float | None, store: CountStore | None):
        self.outline = outline
        self.store = store
        self.threshold = _threshold(outline, threshold)
        self.leaves = [s for top in outline.sections for s in (top.sections or (top,))]
        self.table = table
        self.n = len(table)
        self.sec_terms = {s.id: {t.name: t for t in section_terms(s)} for s in self.leaves}
        all_terms = {name: t for ts in self.sec_terms.values() for name, t in ts.items()}
        self.matcher = Matcher(list(all_terms.values()))
        self.leads = table.scoring_leads
        self.points = table.points
        self.paths = table.scoring_paths
        self.mechanisms = table.mechanisms
        self.article_of = table.article_of
        self.kinds = table.kinds
        self.heads_next = table.heads_next
        self._count(store)
        self.df = self.terms.df()
        pins = outline.exclude_passages or any(s.include or s.ban for t in outline.sections for s in (t, *t.sections))
        recall = store.recall if store is not None else None
        # pins need every passage (text anchors, warnings); without pins none is looked at
        self.policy = Policy.of(outline, self.leaves, list(self.passages) if pins else [], recall)
        self.headings = _HeadingSections(self.leaves, self.sec_terms, self.df, self.n, self.matcher)
        self._excludes = [(s.id, [w for w in s.exclude if w]) for s in self.leaves if any(s.exclude)]

    def _count(self, store: CountStore | None) -> None:
        """One scan per passage text counts every term, one scan per distinct lead counts
        the lead's terms.  What ``store`` kept from an earlier run with the same terms is
        reused, what is new is given back to it.

        Texts are kept by passage id (a hash of the text: the counts depend on nothing
        else) and leads by their own text: the same paragraph can have a lead in one
        article and none in another (an opening has no run-in lead)."""
        key = self.count_key = _count_key(self.matcher)
        stored = f"terms:{key}:{self.table.key}" if self.table.key and hasattr(store, "load_blob") else None
        if stored:
            index = prepared.load(store, stored, lambda blob: TermIndex.decode(blob, self.n))
            if index is not None:
                self.terms = index
                return
        kept = KeptCounts.decode(store.load_counts(key)) if store is not None else KeptCounts.empty()
        row_of = kept.rows()
        by_lead = kept.leads
        # counted straight into the flat index: no dict per passage is kept
        number: dict[str, int] = {}
        starts = array("q", [0])
        terms, tf, flags = array("i"), array("q"), bytearray()
        used_leads: dict[str, dict[str, int]] = {}
        fresh = 0
        for pid, text, lead in zip(self.table.ids, self.table.texts, self.leads):
            r = row_of.get(pid)
            if r is None:
                counts = self.matcher.counts(text)
                fresh += 1
            else:
                counts = kept.counts(r)
            in_lead = used_leads.get(lead)
            if in_lead is None:
                in_lead = by_lead.get(lead)
                if in_lead is None:
                    in_lead = self.matcher.cached_counts(lead)
                    fresh += 1
                used_leads[lead] = in_lead
            for name, n in counts.items():
                terms.append(number.setdefault(name, len(number)))
                tf.append(n)
                flags.append(1 if name in in_lead else 0)
            starts.append(len(terms))
        self.terms = TermIndex(list(number), starts, terms, tf, bytes(flags))
        if stored:
            store.save_blob(stored, self.terms.encode())  # type: ignore[union-attr]
        if store is not None and fresh:
            # keep what other folders sharing the cache counted, unless it outgrows this run
            keep = len(row_of) < 2 * self.n
            del row_of
            leads = {**by_lead, **used_leads} if keep else used_leads
            store.save_counts(key, KeptCounts.of(self.table.ids, self.terms, leads, kept if keep else None).encode())

    @property
    def passages(self) -> Sequence[Passage]:
        """Every passage (a stored table's built one by one when read)."""
        return self.table.passages

    @functools.cached_property
    def text_counts(self) -> list[dict[str, int]]:
        return self.terms.rows()

    def lead_counts(self, p: Passage) -> dict[str, int]:
        return self.matcher.cached_counts(scoring_lead(p))

    def shut(self, p: Passage) -> frozenset[str]:
        """The sections whose exclude words the passage contains."""
        return self.shut_text(p.text)

    def shut_text(self, text: str) -> frozenset[str]:
        if not self._excludes:
            return frozenset()
        return frozenset(sid for sid, words in self._excludes if any(w in text for w in words))

    def shut_at(self, i: int) -> frozenset[str]:
        return self.shut_text(self.table.text_of(i)) if self._excludes else frozenset()

    def passage_id(self, i: int) -> str:
        return self.table.ids[i]


class _TextOnly(NamedTuple):
    text: str


EVIDENCE_CHUNK = 2000  # rows of evidence per stored chunk (decoded one at a time)


class _Explainer:
    """Evidence strings for one passage and section, worked out when asked for (map's
    rows, the JSON, the sidecar): the same strings the scalar path builds for all."""

    def __init__(self, run: _Run, key: str | None = None):
        self.run = run
        self.sections = {s.id: s for s in run.leaves}
        self._heads: dict[tuple[str, ...], dict[str, list[str]]] = {}  # heading path → its evidence
        self.key = key  # the decisions' key in the store: every row's evidence is kept beside them

    def rows(self, wanted: list[tuple[int, str]], texts: Iterable[str] | None = None) -> Iterator[list[str]]:
        """``terms(row, section)`` for each (row, section) wanted, in order: read from the store
        when kept there for these decisions, else worked out (in chunks) and kept.  ``texts``:
        the wanted rows' texts in the same order, when the caller reads them anyway."""
        store, key = self.run.store, (self.key + ":evidence" if self.key else None)
        kept = prepared.load(store, key, marshal.loads) if key else None
        if isinstance(kept, list) and sum(n for n, _ in kept) == len(wanted):
            for _n, chunk in kept:
                yield from marshal.loads(chunk)
            return
        chunks = []
        n = len(wanted)
        given = iter(texts) if texts is not None else None
        for at in range(0, n, EVIDENCE_CHUNK):
            part = wanted[at : at + EVIDENCE_CHUNK]
            if given is None:
                rows = [self.terms(i, section) for i, section in part]
            else:
                rows = [self.terms(i, section, text) for (i, section), text in zip(part, given)]
            chunks.append((len(rows), marshal.dumps(rows)))
            if at + EVIDENCE_CHUNK >= n and key and hasattr(store, "save_blob"):  # all worked out: kept
                store.save_blob(key, marshal.dumps(chunks))  # type: ignore[union-attr]
            yield from rows

    def terms(self, i: int, section_id: str, text: str | None = None) -> list[str]:
        run = self.run
        # given the lead, point and mechanisms, _score reads of the passage only its text
        p = _TextOnly(run.table.text_of(i) if text is None else text)
        s = self.sections[section_id]
        known = (run.leads[i], run.points[i], run.mechanisms[i])
        counts, in_lead = run.terms.row(i)
        own = _score(p, s, run.sec_terms[s.id], run.df, run.n, counts, run.matcher, in_lead, known)[1]  # type: ignore[arg-type]
        path = run.paths[i]
        head_ev = self._heads.get(path)
        if head_ev is None:
            head_ev = self._heads[path] = run.headings.of(path)[2]
        return head_ev[section_id] + own if section_id in head_ev else own


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
        self._system: dict[tuple[str, ...], bool] = {}
        # "落实第一议题制度", "坚持“三会一课”制度": a 制度/机制 right after a term of a
        # section that is not about rules names that term's system, not a rule of its own
        other = {
            f
            for s in leaves
            if not MECHANISM_SECTION.search(s.title)
            for name in sec_terms[s.id]
            for f in _forms(name)
            if not SYSTEM_WORD.fullmatch(f)
        }
        alternation = "|".join(re.escape(f) for f in sorted(other, key=lambda f: (-len(f), f)))
        self._named_system = re.compile(f"({alternation})(”?)(?:{SYSTEM_WORD.pattern})") if other else None

    def scores(self, heading: str) -> tuple[dict[str, float], dict[str, str]]:
        """Each section's score for one heading's words, and its evidence."""
        hit = self._cache.get(heading)
        if hit is not None:
            return hit
        words = self.without_named_systems(heading)
        counts = self.matcher.cached_counts(words)
        # "健全学习制度": the heading is about the system of the term it names (学习 → 思想)
        systems = self._named_system.finditer(heading) if self._named_system and words != heading else ()
        named = {m.group(1): m.group(0) for m in systems}
        scores: dict[str, float] = {}
        labels: dict[str, str] = {}
        for s in self.leaves:
            found = [name for name in self.sec_terms[s.id] if counts.get(name)]
            sc = sum(self.sec_terms[s.id][k].weight * _idf(self.df.get(k, 0), self.n) for k in found)
            system = (
                next((f for name in self.sec_terms[s.id] for f in _forms(name) if f in named), None) if named else None
            )
            if system:
                found.insert(0, named[system])
                sc += HEADING_TITLE_BONUS / 2
            core = next((c for c in title_core(s.title) if c in words), None)
            if core is None and MECHANISM_SECTION.search(s.title):
                # a heading naming a rule or a mechanism (述职, 评议, 考核, 清单, 责任制) heads its rules
                rule = RULE_POINT_RE.search(words)
                core = rule.group(0) if rule else None
            if core:
                found.insert(0, core)
                sc += HEADING_TITLE_BONUS / 2
            scores[s.id] = sc
            labels[s.id] = "、".join(found[:3])
        self._cache[heading] = (scores, labels)
        return scores, labels

    def without_named_systems(self, heading: str) -> str:
        """The heading with each 制度/机制 that names another section's practice blanked:
        "落实第一议题制度" is about 第一议题 (思想), not about rules."""
        if self._named_system is None:
            return heading
        return self._named_system.sub(
            lambda m: m.group(1) + m.group(2) + "　" * (len(m.group(0)) - len(m.group(1) + m.group(2))), heading
        )

    def names_system(self, path: tuple[str, ...]) -> bool:
        """Whether the decisive heading of ``path`` (``of``, called first) names another
        section's system: "健全学习制度，……" heads the rules of study, not rules at large."""
        return self._system.get(path, False)

    def of(self, path: tuple[str, ...]) -> tuple[str | None, dict[str, float], dict[str, list[str]]]:
        """(heading section, its score per section, evidence) from the innermost decisive heading."""
        for heading in reversed(path):
            scores, labels = self.scores(heading)
            ranked = sorted(scores.values(), reverse=True)
            best = ranked[0] if ranked else 0.0
            second = ranked[1] if len(ranked) > 1 else 0.0
            if best >= HEADING_DECISIVE and best >= HEADING_RATIO * second:
                sid = max(scores, key=lambda k: scores[k])
                self._system[path] = self.without_named_systems(heading) != heading
                short = heading if len(heading) <= 14 else heading[:13] + "…"
                ev = f"标题“{short}”（{labels[sid]}）+{best * HEADING_WEIGHT:.1f}"
                return sid, {sid: best * HEADING_WEIGHT}, {sid: [ev]}
        return None, {}, {}


def _heading_paths(corpus: Corpus) -> list[tuple[str, ...]]:
    """Each passage's heading path for scoring: its own, and for a numbered point (一是……)
    after a paragraph opening with a short run-in lead sentence under the same headings,
    that sentence as its innermost heading."""
    out: list[tuple[str, ...]] = []
    for article in (a for s in corpus.sources for a in s.articles):
        intro: tuple[tuple[str, ...], str] | None = None
        lead_in: tuple[int, str] | None = None  # the text before 一是 in the same paragraph
        for p in article.passages:
            if p.number and lead_in is not None and lead_in[0] == p.location.line_start:
                # "近年来，该院高度重视理论学习……。一是……二是……": the paragraph's own lead-in
                # introduces the points split out of it
                out.append((*p.heading, lead_in[1]))
                continue
            lead_in = None
            if p.number and intro is not None and intro[0] == p.heading:
                out.append((*p.heading, intro[1]))
                continue
            out.append(p.heading)
            intro = None
            if not p.number and p.kind in (BODY, OPENING) and not FIRST_POINT_RE.search(p.text):
                lead_in = (p.location.line_end, p.text)  # (not when it holds the first point itself)
            if p.kind == BODY and not p.number and not p.lead and len(p.sentences) > 1:
                first = p.sentences[0].rstrip("。！!")
                if len(first) <= INTRO_LEAD_MAX and not re.search(r"\d", first):
                    intro = (p.heading, first)
            elif is_colon_intro(p):
                intro = (p.heading, p.text.rstrip("：:"))  # "在学习教育环节，注重做好四个结合：" heads 一是……
    return out


COLON_INTRO_MAX = 40


def is_colon_intro(p: Passage) -> bool:
    """A short paragraph announcing the points after it: "在学习教育环节，注重做好四个结合："."""
    return p.kind == BODY and not p.number and len(p.text) <= COLON_INTRO_MAX and p.text.endswith(("：", ":"))


def _threshold(outline: Outline, threshold: float | None) -> float:
    """The caller's threshold, else the outline's, else the default."""
    threshold = outline.threshold if threshold is None and outline.threshold is not None else threshold
    return DEFAULT_THRESHOLD if threshold is None else threshold


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
    casework: frozenset[str] = frozenset()  # sections whose keywords name casework or results (服务大局, 主要做法)
    rules: frozenset[str] = frozenset()  # sections about rules (title with 制度/机制)

    @classmethod
    def of(
        cls,
        outline: Outline,
        leaves: list[SectionSpec],
        passages: list[Passage] | None = None,
        recall: Callable[[list[str]], dict[str, tuple[str, str]]] | None = None,
    ) -> Policy:
        """``passages`` resolve text anchors ("text:支部建在办案组") and let pins that
        match nothing be reported; without them pins are taken as ids, unchecked.
        ``recall`` finds what a stale id was (its file and first words), so that the
        warning can name the passage that most likely replaced it."""
        pins = _PinResolver(passages, recall)
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
            frozenset(s.id for s in leaves if sum(bool(CASEWORK_KEYWORD.search(name)) for name, _ in s.keywords) >= 2),
            frozenset(s.id for s in leaves if MECHANISM_SECTION.search(s.title)),
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
        system_heading: bool = False,
    ) -> tuple[str | None, float, str, str | None]:
        """(section or None, score, reason, runner-up) for one passage.

        ``scores`` are the shown totals (own + heading); ``own`` the passage's own
        evidence (defaults to ``scores``); ``heading_section`` where its heading points;
        ``shut`` the sections whose exclude words the passage contains; ``system_heading``
        whether its heading names another section's system (健全学习制度): its points'
        rule words (制度建设, 考勤) are that system's, and do not take it to the rules."""
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
        if speech_or_question(p):
            return None, best, "讲话或提问", None
        if argues_only(p):
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
            if (
                top - inherited >= OVERRIDE_MARGIN
                and top >= OVERRIDE_RATIO * inherited
                and not (system_heading and ranked[0] in self.rules)
            ):
                section, reason = ranked[0], "本段证据明显指向别处"
        elif top >= threshold:
            section = ranked[0]
        elif is_sub_point(p) and top >= MODEST_FLOOR and top >= MODEST_RATIO * second:
            # a sub-point (一是……, a lead phrase, a short one-sentence point) states one point:
            # modest but clear evidence places it
            section, reason = ranked[0], "明显领先"
        elif heading_section in allowed and top < MODEST_FLOOR and is_short_point(p):
            # too short to carry evidence of its own: it says what its (decisive) heading says
            section, reason = heading_section, "短句随标题"
        if section is None:
            return None, best, "低于阈值", None
        if (
            section not in self.casework
            and scores[section] < BUSINESS_LEVEL * threshold
            and business_density(p.text) >= BUSINESS_DENSITY
        ):
            # casework with a little party vocabulary (a 临时党支部 for a crackdown, a 党建共建 with a regulator)
            return None, best, "业务为主", None
        others = [k for k in ranked if k != section]
        runner_up = None
        if others and own[others[0]] >= threshold and own[others[0]] >= SPLIT_RATIO * own[section]:
            runner_up = others[0]
            reason = (reason + "；" if reason else "") + "两可"
        return section, scores.get(section, 0.0), reason, runner_up


@functools.lru_cache(maxsize=65536)
def _special_path(path: tuple[str, ...]) -> bool:
    """A heading path naming background/significance or problems."""
    return any(BACKGROUND_HEADING.search(h) or PROBLEM_HEADING.search(h) for h in path)


def business_density(text: str) -> float:
    """Business words and case figures per 100 characters."""
    return 100 * len(BUSINESS_RE.findall(text)) / max(len(text), 1)


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


# a speech reported in a news copy: "……检察长在点评时强调，要充分认识……要树立……"
SPEECH_RE = re.compile(r"(?:强调|指出|要求|表示|提出|说)[，,：:]\s*“?(?:要|必须|一定要)")
# an interviewer's question: "记者：……您认为……？", a paragraph of questions
QUESTION_END_RE = re.compile(r"[？?][”’]?$")
OWN_UNIT_RE = re.compile(r"我院|该院|本院")  # after the speech: what the unit did
SPEAKER_RE = re.compile(r"^[^，。；：:\s]{1,8}[：:]")


# an argument, not a practice: "意识形态领域是政治安全的前沿阵地，……", "检察机关是国家的法律监督机关，
# 也是反腐败的重要职能部门。", "把党组作为责任主体，这是……的科学定位"
ARGUMENT_RE = re.compile(
    r"^[^。！？]{0,40}?(?:是|既是|也是|就是)[^。！？]{0,60}?"
    r"(?:阵地|力量|机关|部门|要求|定位|法宝|保障|基础|关键|核心|根本|前提|使命|生命线|灵魂)"
)
ARGUMENT_MIN = 20  # a first sentence shorter than this ("强化理论武装是根本。") is a lead, not an argument
# what a unit does; a paragraph doing it is practice, however it opens
PRACTICE_VERB_RE = re.compile(r"建立|制定|开展|组织|推行|实行|设立|成立|举办|召开|出台|打造|选派|设置|开设|编印|评选")


def argues_only(p: Passage) -> bool:
    """A paragraph that argues why (what something is, what it requires), with no
    practice of the unit in it.  (Not a plan's guiding thought, "以……为指导": readers
    place it with the plan, a set of rules goes to 制度.)"""
    text = p.text
    if not (ARGUMENT_RE.match(text) and len(p.sentences[0] if p.sentences else text) >= ARGUMENT_MIN):
        return False
    return not (OWN_UNIT_RE.search(text) or PRACTICE_VERB_RE.search(text) or p.number or FIRST_POINT_RE.search(text))


def speech_or_question(p: Passage) -> bool:
    """Words said rather than done: a speech of directives (要……要……) with no practice of
    the unit in it, or an interviewer's question."""
    text = p.text
    if QUESTION_END_RE.search(text) and (
        SPEAKER_RE.match(text) or "您" in text or p.sentences and all(QUESTION_END_RE.search(x) for x in p.sentences)
    ):
        return True
    m = SPEECH_RE.search(text)
    if m is None:
        return False
    return text.count("要", m.start()) >= 2 and not OWN_UNIT_RE.search(text, m.start())


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

    def __init__(self, passages: list[Passage] | None, recall=None):
        self.passages = passages
        self.known = {p.id for p in passages} if passages is not None else set()
        self.warnings: list[str] = []
        self.recall = recall

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
                    f"大纲{where}中的段落编号 {value} 没有对应的段落{self._was(value)}（素材改动后编号会变；"
                    "可用 writer ingest --ids 查看现有编号，或改写成“text:段落中的几个字”）。"
                )
            else:
                out.append(value)
        return out

    def _was(self, pid: str) -> str:
        """What a stale id was, and the passage of the same file most like it now."""
        was = self.recall([pid]).get(pid) if self.recall else None
        if not was:
            return ""
        path, head = was
        same_file = [p for p in self.passages or () if p.location.path == path]
        shown = head if len(head) <= 24 else head[:24] + "…"
        best = max(
            same_file,
            key=lambda p: difflib.SequenceMatcher(None, head, p.text[: len(head)], autojunk=False).ratio(),
            default=None,
        )
        if best is None:
            return f"（原为 {path} 中“{shown}”，该文件已不在素材中）"
        now = best.text if len(best.text) <= 24 else best.text[:24] + "…"
        return f"（原为 {path} 中“{shown}”；同一文件中最接近的是段落 {best.id}（{best.location.label()}：{now}））"

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
    l_counts: dict[str, int],
    known: tuple[str, str, tuple] | None = None,
) -> tuple[float, list[str]]:
    """Score of one passage for one section, and the evidence (terms by contribution).
    ``known``: the passage's lead, point and mechanisms when the caller has them already."""
    text = p.text
    lead, point, found = known if known is not None else (scoring_lead(p), point_of(p), _mechanisms(text))
    mechanisms = _mechanisms_among(s.title, found)
    core = _core_in_lead(s.title, lead) or _rule_in_point(s.title, point)
    if not any(name in terms for name in counts) and not mechanisms and not core:
        return 0.0, []  # without any term in the text, headings alone cannot place the passage
    if any(w and w in text for w in s.exclude):
        return 0.0, ["排除词"]
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


def _count_key(matcher: Matcher) -> str:
    """What stored counts depend on: the terms and their forms, how leads and mechanisms are found."""
    rules = "|".join(
        (
            matcher.key,
            _mechanism_re().pattern,
            MECHANISM_SETTING_RE.pattern,
            MECHANISM_HEAD_HINT.pattern,
            TOPIC_LEAD_RE.pattern,
            CARRIER_LEAD_RE.pattern,
            RUNIN_LEAD_RE.pattern,
            repr(mechanism_topics()),
            repr(MECHANISM_RULE_WORDS),
        )
    )
    return hashlib.sha1(("counts-2|" + rules).encode()).hexdigest()[:16]


def scoring_lead(p: Passage) -> str:
    """The phrase that states a passage's point: its lead, else an opening "在X方面" or
    the carrier of an opening "以X为载体"."""
    if p.lead:
        return p.lead
    m = TOPIC_LEAD_RE.match(p.text) or CARRIER_LEAD_RE.match(p.text)
    if m:
        return m.group(1)
    m = RUNIN_LEAD_RE.match(p.text)
    return m.group(1) if m and p.kind == BODY else ""


def point_of(p: Passage) -> str:
    """What a passage is about: its lead (or opening "在X方面") and the first clause after it."""
    lead = scoring_lead(p)
    rest = p.text
    if lead:
        at = rest.find(lead)
        rest = rest[at + len(lead) :] if at != -1 else rest
    elif p.number and rest.startswith(p.number):
        rest = rest[len(p.number) :]
    rest = rest.lstrip("，,。；;：: ")
    m = POINT_CLAUSE_RE.match(rest)
    return lead + "｜" + (m.group(0) if m else "")


def _rule_in_point(title: str, point: str) -> str | None:
    """For the section about rules (title with 制度/机制): the rule word the passage's point names."""
    if not point or not MECHANISM_SECTION.search(title):
        return None
    lead = point.split("｜", 1)[0]
    if lead and any(w in lead for _cores, words in mechanism_topics() for w in words):
        return None
    m = RULE_POINT_RE.search(point)
    return m.group(0) if m else None


def _core_in_lead(title: str, lead: str) -> str | None:
    """The section title's core word (思想/组织/制度) where the lead names it as its topic."""
    for core in _title_cores(title) if lead else ():
        if core in lead and _core_re(core).search(lead):
            return core
    return None


@lru_cache(maxsize=256)
def _core_re(core: str) -> re.Pattern:
    return re.compile(_CORE_BEFORE + re.escape(core) + _CORE_NOT_VERB)


def _mechanisms_among(title: str, found: tuple) -> list[str]:
    """Of the mechanisms a passage sets up (``_mechanisms``), those that count for the section
    titled ``title``: those about its topic (a 思想 section takes "“融学习”机制"), and for
    the section about rules (title with 制度/机制) those about rules or no topic at all."""
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


# ------------------------------------------------------------------ the passages table
def prepare_passages(corpus: Corpus, passages: list[Passage]) -> dict[str, list]:
    """The prepared columns, from the scoring rules themselves (one call per passage each)."""
    short = [is_short_point(p) for p in passages]
    return {
        "scoring_leads": [scoring_lead(p) for p in passages],
        "points": [point_of(p) for p in passages],
        "mechanisms": [_mechanisms(p.text) for p in passages],
        "scoring_paths": _heading_paths(corpus),
        "short": short,
        "sub_point": [x or bool(p.number or p.lead) for x, p in zip(short, passages)],
        "fixed_special": [
            _special_path(p.heading)
            or p.kind in NEVER_KINDS
            or quotes_guidance_only(p)
            or speech_or_question(p)
            or argues_only(p)
            for p in passages
        ],
        "density": [business_density(p.text) for p in passages],
        "heads_next": [heads_next(p) for p in passages],
        "practice": [practice.score(p.text) for p in passages],
    }


def rules_key() -> str:
    """What the prepared columns depend on besides the texts: the scoring module's code (any
    change to its rules makes stored tables stale), this module's, the lexicon's mechanism
    topics and the structure stage's results pattern."""
    import sys

    h = hashlib.sha1(repr(mechanism_topics()).encode())
    h.update(RESULTS_RE.pattern.encode())
    for module in (sys.modules[__name__], prepared, practice):
        try:
            h.update(Path(module.__file__ or "").read_bytes())
        except OSError:  # no source (a frozen install): the code objects instead
            h.update(marshal.dumps([f.__code__ for f in vars(module).values() if hasattr(f, "__code__")]))
    h.update(practice.MODEL_FILE.read_bytes())  # the model's weights
    return h.hexdigest()[:16]


def passage_table(corpus: Corpus, store: CountStore | None = None) -> PassageTable:
    """The corpus's passages table (``prepared``): the one ``store`` keeps, else built and kept."""
    return prepared.for_corpus(corpus, store, rules_key(), prepare_passages)


def stored_table(survey: Survey, store: CountStore) -> PassageTable | None:
    """The table ``store`` keeps for the corpus ``survey`` describes, or None."""
    return prepared.from_store(survey, store, rules_key())


def built_table(survey: Survey, store: CountStore) -> PassageTable | None:
    """The table of the corpus ``survey`` describes, built a source at a time from the
    store's parses and kept; None when one is missing."""
    return prepared.from_sources(survey, store, rules_key(), prepare_passages)
