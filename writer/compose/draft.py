"""Composition: from a mapped corpus to the report model (format-free).

The main job is one unit's own report.  With the outline's ``unit`` set, items come
from that unit's own articles (others' only with ``others: attributed``, always
named); the opening and closing are the unit's own 近年来/下一步 passages, else
template text marked for the editor.  Everything the unit's sources say of it is
put in the chosen voice (``writer.compose.voice``); another unit's 我院 becomes its
name.

Per section the best material up to ``max_items`` becomes items: a passage, or a
parent paragraph together with its sub-points (一是/二是 under its lead), never the
sub-points without their parent.  A section's own introductory sentence becomes
the section's intro, not an item.  An item opens with its lead phrase (the
passage's own, else its first sentence or clause when short) followed by its
strongest supporting sentences in source order; the lead is chosen before
trimming and never trimmed away.  The body is filled toward the outline's
``length``: sentences are dropped whole to fit, never cut, and the per-item budget
grows while the draft is short and material remains.  Sentences stay verbatim
except for names changed by the voice and enumerators the templates renumber.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from writer.compose.voice import VoiceCount, as_other_unit, speak_as
from writer.config.outline import Outline, SectionSpec
from writer.mapping.scoring import Mapping, section_terms
from writer.model.corpus import BODY, CLOSING, OPENING, Article, Corpus, Passage, Source
from writer.model.report import Item, Paragraph, Report, Section, SectionTally, SourceRef
from writer.text.enumerators import strip_enumerator
from writer.text.numerals import cn_number
from writer.text.units import belongs_to, closest, find_mentions

FIGURE_RE = re.compile(r"\d")
QUOTE_RE = re.compile(r"“[^”]{1,20}”|《[^》]{1,30}》")
LEAD_MAX = 40  # a longer first sentence is not a lead
CLAUSE_LEAD = (4, 18)  # a first clause this long can lead an item whose first sentence is long
# a first sentence or clause that says when, why or who ("去年七月", "为深入贯彻……精神",
# "古代学者必须有老师", "鞍山市检察院……") is narrative: it cannot stand as the item's bold lead
# (the structure's own leads are leads by their place; only a date or a modal sentence is refused)
NARRATIVE_LEAD_RE = re.compile(r"^(?:去年|今年|前年|近日|日前|\d|[一二三四五六七八九十]+月)|必须|应当|就是")
NOT_A_LEAD_RE = re.compile(
    r"^(?:去年|今年|前年|近年|近日|日前|当前|目前|如今|\d|[一二三四五六七八九十]+月|为了?|按照|根据|依据|随着|自|据|在|从|记者|他|她|我们|大家)"
    r"|必须|应当|就是|[省市县区]人民检察院|检察院[^，。]{0,4}(?:举行|召开|开展|组织)"
)
INTRO_MAX = 90  # a section's introductory sentence is short
TEMPLATE_ESTIMATE = 110  # characters a template opening or closing takes, for the budget
TOLERANCE = 0.15  # the body should land within ±15% of the outline's length
OPENING_MAX = 260  # an opening or closing taken from a source keeps its first sentences up to this


@dataclass(frozen=True)
class Candidate:
    source: Source
    article: Article
    passage: Passage
    score: float
    children: tuple[Passage, ...] = ()  # sub-points folded into this item under the passage's lead


@dataclass
class _Material:
    """What the corpus offers a draft: passage index, own articles, families, intros."""

    index: dict[str, tuple[Source, Article, Passage]]
    own: set[str]  # ids of the speaking unit's own articles (all articles without a unit)
    children: dict[str, tuple[Passage, ...]]  # parent passage id → its sub-points
    parent_of: dict[str, str]  # sub-point id → parent passage id
    intros: set[str]  # ids of section-introductory passages
    heading_leads: dict[str, str]  # passage id → the sub-heading it opens (（一）把支部建在办案一线)
    several_units: bool = False  # the articles name more than one unit
    several_passage_units: bool = False  # the articles with passages name more than one unit
    notes: list[str] = field(default_factory=list)
    # per leaf, how its choice ended: the last key taken from the pool, or None when nothing was taken
    # (for ``compose.partial``: candidates left out could only have come after it)
    last_taken: dict[str, tuple[bool, float, int] | None] = field(default_factory=dict)
    exhausted: set[str] = field(default_factory=set)  # leaves whose pool ran out before max_items


NON_WORD_RE = re.compile(r"\W")
NEAR_DUPLICATE = 0.5  # share of the smaller text's bigrams above which two texts are near-duplicates


def _bigrams(text: str) -> set[str]:
    t = NON_WORD_RE.sub("", text)
    return {t[i : i + 2] for i in range(len(t) - 1)}


def near_duplicate(a: str, b: str, limit: float = NEAR_DUPLICATE) -> bool:
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return False
    return len(x & y) / min(len(x), len(y)) > limit


class _ChosenBigrams:
    """The character bigrams of the items chosen so far, indexed by bigram, so that a
    candidate is compared only with the chosen items it shares a bigram with: the same
    test as ``near_duplicate`` against each chosen item, in time proportional to the
    candidate's own text."""

    def __init__(self) -> None:
        self.sizes: list[int] = []  # chosen item → its number of distinct bigrams
        self.holders: dict[str, list[int]] = {}  # bigram → the chosen items that have it

    def add(self, text: str) -> None:
        grams = _bigrams(text)
        number = len(self.sizes)
        self.sizes.append(len(grams))
        for g in grams:
            self.holders.setdefault(g, []).append(number)

    def near_duplicate(self, text: str, limit: float = NEAR_DUPLICATE) -> bool:
        grams = _bigrams(text)
        if not grams:
            return False
        shared: Counter[int] = Counter()
        for g in grams:
            shared.update(self.holders.get(g, ()))
        return any(n / min(len(grams), self.sizes[i]) > limit for i, n in shared.items())


# ------------------------------------------------------------------ material
class Shape(NamedTuple):
    """What the material's rules read of a passage (families, intros, heading leads)."""

    id: str
    kind: str
    lead: str | None
    number: str
    heading: tuple[str, ...]
    sentences: int  # how many
    length: int  # characters of the text

    @classmethod
    def of(cls, p: Passage) -> Shape:
        return cls(p.id, p.kind, p.lead, p.number, p.heading, len(p.sentences), len(p.text))


@dataclass
class Whole:
    """What composing needs to know about the whole corpus, worked out once over every
    article (``of_corpus``; ``compose.partial`` works it out from the passages table): then
    ``compose`` may be given only the sources whose passages can make the draft, and
    decides as it would with all of them.

    Rows number the passages in corpus order; ``home`` is the last row of each passage id
    (the one a lookup by id finds, as ``{p.id: …}`` over the corpus keeps the last)."""

    units: set[str | None]  # every article's unit
    home_units: set[str | None]  # the units of the articles of the passages found by id
    own: set[str]  # the speaking unit's article ids
    notes: list[str]  # from working out ``own``
    children: dict[str, tuple[int, tuple[int, ...]]]  # parent id → (its article's first row, sub-point positions)
    parent_of: dict[str, str]
    intros: set[str]
    heading_leads: dict[str, str]
    home: dict[str, int]  # passage id → its last row
    first_of_kind: dict[str, int]  # OPENING/CLOSING → the first row of that kind in an own article (-1: none)
    source_rows: list[int]  # the first row of each source of the corpus given to ``compose``
    unverified: list[str] = field(default_factory=list)  # leaves whose choice may have needed more candidates
    open_choices: dict[str, tuple[bool, float, int] | None] = field(default_factory=dict)  # leaf → last key popped

    @classmethod
    def of_corpus(cls, corpus: Corpus, outline: Outline) -> Whole:
        every = [a for _, a in corpus.articles()]
        articles = [(a.id, a.unit, [Shape.of(p) for p in a.passages]) for a in every]
        whole = cls.of_articles(articles, outline, lambda k: [p.text for p in every[k].passages[:3]])
        sizes = (sum(len(a.passages) for a in s.articles) for s in corpus.sources)
        whole.source_rows = list(itertools.accumulate(sizes, initial=0))[:-1]
        return whole

    @classmethod
    def of_articles(cls, articles: list[tuple[str, str | None, list[Shape]]], outline: Outline, first_texts) -> Whole:
        """From each article's (id, unit, passage shapes) in corpus order; ``first_texts(k)``
        gives the k-th article's first three passage texts (read only for a unit's own report)."""
        notes: list[str] = []
        whole = cls(
            units={unit for _, unit, _ in articles},
            home_units=set(),
            own=_own_articles([(aid, unit) for aid, unit, _ in articles], outline, notes, first_texts),
            notes=notes,
            children={},
            parent_of={},
            intros=set(),
            heading_leads={},
            home={},
            first_of_kind={OPENING: -1, CLOSING: -1},
            source_rows=[],
        )
        row = 0
        home_article: dict[str, str | None] = {}
        for aid, unit, shapes in articles:
            for position, kids in _families(shapes).items():
                whole.children[shapes[position].id] = (row, kids)
                for k in kids:
                    whole.parent_of[shapes[k].id] = shapes[position].id
            whole.intros.update(_intro_ids(shapes))
            whole.heading_leads.update(_heading_leads(shapes))
            for k, p in enumerate(shapes):
                whole.home[p.id] = row + k
                home_article[p.id] = unit
                if p.kind in whole.first_of_kind and whole.first_of_kind[p.kind] < 0 and aid in whole.own:
                    whole.first_of_kind[p.kind] = row + k
            row += len(shapes)
        whole.home_units = set(home_article.values())
        return whole


def _material(corpus: Corpus, outline: Outline, whole: Whole | None = None) -> _Material:
    """The corpus's material; with ``whole``, the facts about the whole corpus that a part
    of it (``corpus``) cannot tell."""
    whole = whole or Whole.of_corpus(corpus, outline)
    index: dict[str, tuple[Source, Article, Passage]] = {}
    by_row: dict[int, Passage] = {}
    for source, first in zip(corpus.sources, whole.source_rows):
        row = first
        for article in source.articles:
            for p in article.passages:
                by_row[row] = p
                if whole.home.get(p.id) == row:
                    index[p.id] = (source, article, p)
                row += 1
    children = {
        pid: tuple(by_row[first + k] for k in kids)
        for pid, (first, kids) in whole.children.items()
        if pid in index and first + kids[0] in by_row
    }
    material = _Material(
        index,
        whole.own,
        children,
        whole.parent_of,
        {pid for pid in whole.intros if pid in index},
        whole.heading_leads,
        several_units=len(whole.units) > 1,
        notes=list(whole.notes),
    )
    material.several_passage_units = len(whole.home_units) > 1
    return material


def _families(passages: list[Shape]) -> dict[int, tuple[int, ...]]:
    """A passage with a lead followed by passages whose heading path ends in that lead
    (its 一是/二是 sub-points) is their parent: parent position → its sub-points' positions."""
    out: dict[int, tuple[int, ...]] = {}
    for i, p in enumerate(passages):
        if not p.lead:
            continue
        kids = []
        for k in range(i + 1, len(passages)):
            q = passages[k]
            if q.heading[:-1] == p.heading and q.heading and q.heading[-1].rstrip("。；") == p.lead.rstrip("。；"):
                kids.append(k)
            else:
                break
        if kids:
            out[i] = tuple(kids)
    return out


def _intro_ids(passages: list[Shape]) -> set[str]:
    """A short passage without lead or number, directly followed under the same heading by
    passages that open with a lead or an enumerator, introduces them (and their section)."""
    out = set()
    for p, q in zip(passages, passages[1:]):
        if (
            p.kind == BODY
            and not p.lead
            and not p.number
            and p.sentences <= 2
            and p.length <= INTRO_MAX
            and q.heading == p.heading
            and (q.lead or q.number)
        ):
            out.add(p.id)
    return out


def _heading_leads(passages: list[Shape]) -> dict[str, str]:
    """A passage without a lead of its own that opens a sub-heading (（一）…/1.…, below a
    section heading) takes that heading as its lead phrase."""
    out: dict[str, str] = {}
    seen: set[tuple[str, ...]] = set()
    for p in passages:
        if p.heading in seen:
            continue
        seen.add(p.heading)
        if len(p.heading) >= 2 and not p.lead and not p.number and 2 <= len(p.heading[-1]) <= LEAD_MAX:
            out[p.id] = p.heading[-1].rstrip("。；;，,：: ")
    return out


def _own_articles(articles: list[tuple[str, str | None]], outline: Outline, notes: list[str], first_texts) -> set[str]:
    """The speaking unit's articles (ids, from each article's id and unit): its own name or a
    sub-unit's, or no unit at all in a folder where no other unit is named (or whose first
    passages, ``first_texts(k)`` of the k-th article, name the unit)."""
    if not outline.unit:
        return {aid for aid, _ in articles}
    unit = outline.unit
    named = {aid for aid, u in articles if belongs_to(u, unit)}
    others_named = any(u and not belongs_to(u, unit) for _, u in articles)
    for k, (aid, u) in enumerate(articles):
        if u is None and (not others_named or any(find_mentions(t, unit) for t in first_texts(k))):
            named.add(aid)
    if not named:
        found = list(dict.fromkeys(u for _, u in articles if u))
        near = closest(unit, found)
        listing = "、".join(found[:8]) + ("等" if len(found) > 8 else "") if found else "（没有识别出单位）"
        hint = f"最接近的是“{near}”" if near else "请检查素材"
        notes.append(
            f"大纲的 unit“{unit}”与素材中的单位都对不上：素材中有 {listing}；{hint}。"
            "已改用全部素材，请核对 unit 或素材。"
        )
        return {aid for aid, _ in articles}
    return named


# ------------------------------------------------------------------ candidates
def _candidates(spec: SectionSpec, mapping: Mapping, material: _Material, outline: Outline) -> list[Candidate]:
    """The material mapped to a section, best first: a family (parent and sub-points)
    counts once, in the section where its best member scores highest; intros are not items."""
    out: dict[str, Candidate] = {}
    others_allowed = outline.others == "attributed"
    for a in mapping.in_section(spec.id):
        if a.passage_id not in material.index or a.passage_id in material.intros:
            continue
        head = material.parent_of.get(a.passage_id, a.passage_id)
        if head in out:
            continue
        # a passage without sub-points is its own family, in the section it is assigned to
        alone = head == a.passage_id and head not in material.children and mapping.assignment(head) is a
        if not alone and _family_section(head, mapping, material) != spec.id:
            continue
        s, art, p = material.index[head]
        if art.id not in material.own and not others_allowed:
            continue
        out[head] = Candidate(s, art, p, a.score, material.children.get(head, ()))
    return list(out.values())


def _family_section(head: str, mapping: Mapping, material: _Material) -> str | None:
    """The section where a family's best-scoring member is assigned."""
    best: tuple[float, str] | None = None
    for pid in (head, *(q.id for q in material.children.get(head, ()))):
        a = mapping.assignment(pid)
        if a is not None and a.section is not None and (best is None or a.score > best[0]):
            best = (a.score, a.section)
    return best[1] if best else None


def _choose(
    cands: list[Candidate], max_items: int, pinned: set[str], own: set[str], trace: list | None = None
) -> list[Candidate]:
    """Pinned first, then the best by score with variety across units (a unit already
    used pays a penalty) and no near-duplicates; own material before others'.

    The pool is a heap keyed by (own, score under the current penalty, position in
    ``cands``): a unit's penalty only grows, so a key computed earlier is an upper
    bound, and an entry whose unit has been used since is re-keyed when it surfaces.
    The first current key popped is the best; ties go to the earlier candidate."""
    picked = [n for n, c in enumerate(cands) if c.passage.id in pinned][:max_items]  # positions in cands
    units_used: dict[str | None, int] = {}
    seen = _ChosenBigrams()
    for n in picked:
        units_used[cands[n].article.unit] = units_used.get(cands[n].article.unit, 0) + 1
        seen.add(cands[n].passage.text)

    def entry(n: int, c: Candidate) -> tuple[bool, float, int, int]:
        used = units_used.get(c.article.unit, 0)
        return (c.article.id not in own, -(c.score / (1 + 0.6 * used)), n, used)

    # a bare heading-like sentence makes no item: it never enters the pool
    pool = [
        entry(n, c)
        for n, c in enumerate(cands)
        if (len(c.passage.text) >= 30 or c.children) and c.passage.id not in pinned
    ]
    heapq.heapify(pool)
    last = None
    while len(picked) < max_items and pool:
        last = heapq.heappop(pool)
        *_, n, used = last
        best = cands[n]
        if units_used.get(best.article.unit, 0) != used:
            heapq.heappush(pool, entry(n, best))  # its unit was chosen since: re-key
            continue
        if seen.near_duplicate(best.passage.text):
            continue
        picked.append(n)
        seen.add(best.passage.text)
        units_used[best.article.unit] = units_used.get(best.article.unit, 0) + 1
    if trace is not None:  # how the choice ended: the last key taken, and whether the pool ran out
        trace.extend((last[:3] if last else None, len(picked) < max_items))
    picked.sort(key=lambda n: (cands[n].source.path, cands[n].passage.location.char_start, n))
    return [cands[n] for n in picked]


# ------------------------------------------------------------------ items
def _lead_and_body(p: Passage, heading_lead: str | None = None) -> tuple[str, list[str]]:
    """The lead phrase (the passage's own; else the sub-heading it opens; else its first
    sentence or first clause when short) and the sentences after it.  Decided before any
    trimming."""
    sentences = [strip_enumerator(s) if i == 0 else s for i, s in enumerate(p.sentences)]
    sentences = [s for s in sentences if s.strip()]
    if heading_lead and not p.lead:
        return heading_lead, sentences
    if p.lead and not NARRATIVE_LEAD_RE.search(p.lead):
        lead = strip_enumerator(p.lead).rstrip("。；;，,：:")
        first = sentences[0] if sentences else ""
        if first.rstrip("。！？；").strip() == lead or first.startswith(lead):
            rest = first[len(lead) :].lstrip("。；，,：: ")
            return lead, ([rest] if rest else []) + sentences[1:]
        return lead, sentences
    if not sentences or p.lead:
        return "", sentences  # (a lead the structure found that reads as narrative: no bold lead)
    first = sentences[0]
    if len(first) <= LEAD_MAX and not NOT_A_LEAD_RE.search(first):
        return first.rstrip("。！？；"), sentences[1:]
    clause, sep, rest = first.partition("，")
    low, high = CLAUSE_LEAD
    if (
        sep
        and low <= len(clause) <= high
        and len(rest) >= 10
        and not FIGURE_RE.search(clause)
        and not NOT_A_LEAD_RE.search(clause)
    ):
        return clause, [rest] + sentences[1:]
    return "", sentences


def _sentence_strength(s: str, terms: list) -> float:
    score = sum(t.weight for t in terms if t.pattern.search(s))
    score += 1.5 if FIGURE_RE.search(s) else 0.0
    score += 1.0 * len(QUOTE_RE.findall(s))
    return score


def _trim(body: list[str], budget: int, terms: list, keep: frozenset[int] = frozenset()) -> list[str]:
    """Keep the strongest sentences within ``budget`` characters, in source order; the
    sentences in ``keep`` (sub-point leads) first; always at least one."""
    if sum(len(s) for s in body) <= budget:
        return body
    ranked = sorted(range(len(body)), key=lambda i: (i not in keep, -_sentence_strength(body[i], terms), i))
    kept: set[int] = set()
    used = 0
    for i in ranked:
        if used + len(body[i]) <= budget or not kept:
            kept.add(i)
            used += len(body[i])
    return [body[i] for i in sorted(kept)]


def _period(text: str) -> str:
    text = text.rstrip("，,；;：: ")
    return text if text.endswith(("。", "！", "？", "…", "”")) else text + "。"


@dataclass(frozen=True)
class _Voice:
    """Who speaks: the outline's unit in the first person (form 我院), or no one."""

    unit: str | None  # the outline's unit
    first_person: bool  # a first-person draft with a unit to speak for
    form: str  # the first-person form (the outline's perspective), "" in the third person

    @classmethod
    def of(cls, outline: Outline) -> _Voice:
        first_person = bool(outline.perspective != "第三人称" and outline.unit)
        return cls(outline.unit, first_person, outline.perspective if first_person else "")

    def speaks_for(self, article: Article, own: set[str]) -> bool:
        return self.first_person and article.id in own

    def apply(self, texts: list[str], article: Article, own: set[str], count: VoiceCount) -> list[str]:
        """The speaker's own text in the chosen form; anyone else's 我院 as their name."""
        if self.speaks_for(article, own):
            assert self.unit is not None
            return [speak_as(t, self.unit, self.form, count) for t in texts]
        out, named = [], False
        for t in texts:
            out.append(as_other_unit(t, article.unit, count, named=named))
            named = named or out[-1] != t
        return out


def _item(c: Candidate, budget: int, terms: list, voice: _Voice, material: _Material, count: VoiceCount) -> Item:
    """One item: lead phrase, then the strongest sentences within ``budget`` characters
    (a parent's sub-points follow its own sentences, each sub-point's lead kept first)."""
    lead, body = _lead_and_body(c.passage, material.heading_leads.get(c.passage.id))
    # with sub-points, the parent's own sentences and each sub-point's lead go first
    keep: set[int] = set(range(len(body))) if c.children else set()
    for child in c.children:
        child_lead, child_body = _lead_and_body(child)
        if child_lead:
            keep.add(len(body))
            body.append(_period(child_lead))
        body.extend(child_body)
    body = [strip_enumerator(s).strip() for s in body]
    keep = {i for i in keep if body[i]}
    order = [i for i, s in enumerate(body) if s]
    body = [body[i] for i in order]
    keep = {order.index(i) for i in keep}
    body = _trim(body, budget - len(lead), terms, frozenset(keep))
    texts = voice.apply([lead, *body], c.article, material.own, count)
    lead, body = texts[0], texts[1:]
    attribution = None
    if c.article.id not in material.own or (not voice.unit and material.several_passage_units):
        attribution = c.article.unit
    refs = [SourceRef.of_passage(c.source, c.article, c.passage)]
    refs += [SourceRef.of_passage(c.source, c.article, q) for q in c.children]
    return Item(lead, tuple(body), attribution, tuple(refs))


# ------------------------------------------------------------------ opening, closing, intros
def _framing(
    literal: str | None,
    kind: str,
    corpus: Corpus,
    outline: Outline,
    material: _Material,
    voice: _Voice,
    count: VoiceCount,
) -> Paragraph:
    """The outline's literal text; else the speaking unit's own opening/closing passage in
    its voice; else template text (never another unit's passage)."""
    if literal:
        return Paragraph(literal.strip())
    single_unit = outline.unit is not None or not material.several_units
    if single_unit:
        for s, a, p in corpus.iter_passages():
            if p.kind == kind and a.id in material.own:
                kept: list[str] = []
                for sent in p.sentences:
                    if kept and sum(len(x) for x in kept) + len(sent) > OPENING_MAX:
                        break
                    kept.append(sent)
                [text] = voice.apply(["".join(kept)], a, material.own, count)
                return Paragraph(text, (SourceRef.of_passage(s, a, p),))
    return Paragraph("", template=True)


def _intro(
    section_id: str, items: list[Candidate], mapping: Mapping, material: _Material, voice: _Voice, count: VoiceCount
) -> Paragraph | None:
    """The section's own introductory sentence: an intro passage that heads the chosen
    items (same article and heading) or is itself placed in the section."""
    heads = {(c.article.id, c.passage.heading) for c in items}
    for pid in sorted(material.intros):
        s, a, p = material.index[pid]
        if a.id not in material.own:
            continue
        assignment = mapping.assignment(pid)
        placed_here = assignment is not None and assignment.section == section_id
        if (a.id, p.heading) in heads and (placed_here or assignment is None or assignment.section is None):
            [text] = voice.apply([p.text], a, material.own, count)
            return Paragraph(text, (SourceRef.of_passage(s, a, p),))
        if placed_here and any(c.article.id == a.id for c in items):
            [text] = voice.apply([p.text], a, material.own, count)
            return Paragraph(text, (SourceRef.of_passage(s, a, p),))
    return None


# ------------------------------------------------------------------ the report
# A section and its chosen candidates, per leaf: [(top, [(leaf, chosen)])].
Plan = list[tuple[SectionSpec, list[tuple[SectionSpec, list[Candidate]]]]]


def compose(corpus: Corpus, mapping: Mapping, outline: Outline, whole: Whole | None = None) -> Report:
    """Build the report model: choose per section, frame it with an opening and a closing,
    then fill the length budget among the chosen items.  ``whole``: the facts of the whole
    corpus when ``corpus`` is only the part of it that can make the draft
    (``compose.partial``); how each leaf's choice ended is written back to it."""
    voice = _Voice.of(outline)
    material = _material(corpus, outline, whole)
    plan = _plan(mapping, material, outline)
    if whole is not None:
        whole.open_choices = dict(material.last_taken)
        whole.unverified = sorted(material.exhausted)
    count = VoiceCount()
    lead = _framing(outline.lead, OPENING, corpus, outline, material, voice, count)
    closing = _framing(outline.closing, CLOSING, corpus, outline, material, voice, count)
    # a section intro speaks for one unit: not in a compilation of several
    with_intros = bool(outline.unit) or not material.several_units
    intros = {
        leaf.id: _intro(leaf.id, cs, mapping, material, voice, count) if with_intros else None
        for _, leaves in plan
        for leaf, cs in leaves
    }
    fixed = sum(len(p.text) if not p.template else TEMPLATE_ESTIMATE for p in (lead, closing))
    fixed += sum(len(p.text) for p in intros.values() if p)
    per_item = _fill(plan, max(0, outline.length - fixed), voice, material, intros)
    sections = _build(plan, per_item, voice, material, intros, count)
    return Report(
        title=outline.title,
        subtitle=outline.subtitle,
        unit=outline.unit,
        lead=lead,
        sections=tuple(sections),
        closing=closing,
        meeting=outline.meeting,
        date=outline.date,
        notes=tuple(material.notes),
        perspective=outline.perspective,
        tallies=_tallies(plan, sections),
        target_chars=outline.length,
        voice_replacements=count.replaced,
    )


def _plan(mapping: Mapping, material: _Material, outline: Outline) -> Plan:
    """The chosen candidates of every leaf section, in outline order."""
    plan: Plan = []
    for top in outline.sections:
        chosen = []
        for leaf in list(top.sections) or [top]:
            cands = _candidates(leaf, mapping, material, outline)
            trace: list = []
            chosen.append((leaf, _choose(cands, leaf.max_items, mapping.pinned_in(leaf.id), material.own, trace)))
            material.last_taken[leaf.id] = trace[0]
            if trace[1]:
                material.exhausted.add(leaf.id)
        plan.append((top, chosen))
    return plan


def _build(
    plan: Plan, per_item: int, voice: _Voice, material: _Material, intros: dict, count: VoiceCount
) -> list[Section]:
    sections: list[Section] = []
    for top, leaves in plan:
        built = []
        for leaf, cs in leaves:
            terms = section_terms(leaf)
            items = tuple(_item(c, per_item, terms, voice, material, count) for c in cs)
            built.append(Section(leaf.id, leaf.title, items, intro=intros.get(leaf.id)))
        sections.append(Section(top.id, top.title, (), tuple(built)) if top.sections else built[0])
    return sections


def _fill(plan: Plan, budget: int, voice: _Voice, material: _Material, intros: dict) -> int:
    """The per-item budget: it grows while the body is short of the target and the items
    still have sentences to give, and stops before the body overshoots."""
    n_items = max(1, sum(len(cs) for _, leaves in plan for _, cs in leaves))
    per_item = max(80, budget // n_items)
    length = _items_length(_build(plan, per_item, voice, material, intros, VoiceCount()))
    for _ in range(8):
        if length >= budget * (1 - TOLERANCE / 2):
            break
        wider = int(per_item * 1.4)
        wider_length = _items_length(_build(plan, wider, voice, material, intros, VoiceCount()))
        if wider_length <= length or wider_length > budget * (1 + TOLERANCE / 2):
            break
        per_item, length = wider, wider_length
    return per_item


def _items_length(sections: list[Section]) -> int:
    n = 0
    for sec in sections:
        for s in (sec, *sec.subsections):
            n += sum(len(it.lead) + 1 + sum(len(x) for x in it.sentences) for it in s.items)
    return n


def _tallies(plan: Plan, sections: list[Section]) -> tuple[SectionTally, ...]:
    out = []
    for number, ((top, leaves), section) in enumerate(zip(plan, sections), start=1):
        if top.sections:
            for sub_number, ((leaf, _), sub) in enumerate(zip(leaves, section.subsections), start=1):
                label = f"{cn_number(number)}、{top.title}（{cn_number(sub_number)}）{leaf.title}"
                out.append(SectionTally(label, len(sub.items), leaf.max_items))
        else:
            out.append(SectionTally(f"{cn_number(number)}、{top.title}", len(section.items), top.max_items))
    return tuple(out)
