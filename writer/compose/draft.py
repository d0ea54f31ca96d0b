"""Composition: from a mapped corpus to the report model (format-free).

Per section the best passages up to ``max_items`` become items, with variety
across units and no near-duplicates.  An item opens with a short lead sentence
(the passage's own lead phrase, or its first sentence) followed by its strongest
supporting sentences in source order.  Source enumerators (一是, 1., （三）) are
stripped; the templates renumber.  The whole body respects the outline's
``length`` by dropping whole sentences, never cutting one.  Sentences come from
the sources verbatim, except that in a first-person draft the speaking unit's own
name (and 该院) becomes the chosen form (我院).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from writer.config.outline import Outline, SectionSpec
from writer.mapping.scoring import Mapping, section_terms
from writer.model.corpus import CLOSING, OPENING, Article, Corpus, Passage, Source
from writer.model.report import Item, Paragraph, Report, Section, SourceRef
from writer.text.enumerators import strip_enumerator
from writer.text.units import belongs_to

FIGURE_RE = re.compile(r"\d")
QUOTE_RE = re.compile(r"“[^”]{1,20}”|《[^》]{1,30}》")
LEAD_MAX = 40  # a longer first sentence is not a lead


@dataclass(frozen=True)
class Candidate:
    source: Source
    article: Article
    passage: Passage
    score: float


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"\W", "", text)
    return {t[i : i + 2] for i in range(len(t) - 1)}


def near_duplicate(a: str, b: str, limit: float = 0.5) -> bool:
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return False
    return len(x & y) / min(len(x), len(y)) > limit


# ------------------------------------------------------------------ items
def _lead_and_body(p: Passage) -> tuple[str, list[str]]:
    sentences = [strip_enumerator(s) if i == 0 else s for i, s in enumerate(p.sentences)]
    sentences = [s for s in sentences if s.strip()]
    if p.lead:
        lead = strip_enumerator(p.lead).rstrip("。；;，,：:")
        first = sentences[0] if sentences else ""
        if first.rstrip("。！？；").strip() == lead or first.startswith(lead):
            rest = first[len(lead) :].lstrip("。；，,：: ")
            body = ([rest] if rest else []) + sentences[1:]
        else:
            body = sentences
        return lead, body
    if sentences and len(sentences[0]) <= LEAD_MAX:
        return sentences[0].rstrip("。！？；"), sentences[1:]
    return "", sentences


def _sentence_strength(s: str, terms: list) -> float:
    score = sum(t.weight for t in terms if t.pattern.search(s))
    score += 1.5 if FIGURE_RE.search(s) else 0.0
    score += 1.0 * len(QUOTE_RE.findall(s))
    return score


def _trim(body: list[str], budget: int, terms: list) -> list[str]:
    """Keep the strongest sentences within ``budget`` characters, in source order;
    always keep at least one if there is one."""
    if sum(len(s) for s in body) <= budget:
        return body
    ranked = sorted(range(len(body)), key=lambda i: (-_sentence_strength(body[i], terms), i))
    keep: set[int] = set()
    used = 0
    for i in ranked:
        if used + len(body[i]) <= budget or not keep:
            keep.add(i)
            used += len(body[i])
    return [body[i] for i in sorted(keep)]


def _clean_sentence(s: str) -> str:
    """Source enumerators inside a kept sentence ('二是……') are dropped too."""
    return strip_enumerator(s).strip()


def _first_person(text: str, unit: str, form: str) -> str:
    """Replace the speaking unit's name (full and short forms) and 该院 with 我院."""
    names = {unit, unit.replace("人民", "")}
    short = re.sub(r"^.*?(?:省|自治区)", "", unit)  # 山东省济南市济阳区检察院 → 济南市济阳区检察院
    names.add(short)
    m = re.search(r"([^省市]{2,6}(?:县|区|旗))(?:人民)?检察院$", unit)
    if m:
        names.add(m.group(1) + "检察院")
        names.add(m.group(1) + "人民检察院")
    for n in sorted(names, key=len, reverse=True):
        if len(n) >= 4:
            text = text.replace(n, form)
    return text.replace("该院", form)


# ------------------------------------------------------------------ selection
def _choose(cands: list[Candidate], max_items: int, pinned: set[str]) -> list[Candidate]:
    chosen: list[Candidate] = [c for c in cands if c.passage.id in pinned][:max_items]
    units_used: dict[str | None, int] = {}
    for c in chosen:
        units_used[c.article.unit] = units_used.get(c.article.unit, 0) + 1
    pool = [c for c in cands if c.passage.id not in pinned]
    while len(chosen) < max_items and pool:
        # variety: a unit already used pays a penalty
        best = max(pool, key=lambda c: c.score / (1 + 0.6 * units_used.get(c.article.unit, 0)))
        pool.remove(best)
        if any(near_duplicate(best.passage.text, c.passage.text) for c in chosen):
            continue
        if len(best.passage.text) < 30:
            continue  # a bare heading-like sentence makes no item
        chosen.append(best)
        units_used[best.article.unit] = units_used.get(best.article.unit, 0) + 1
    order = {id(c): n for n, c in enumerate(cands)}
    return sorted(chosen, key=lambda c: (c.source.path, c.passage.location.char_start, order[id(c)]))


# A section and its chosen candidates, per leaf: [(top, [(leaf, chosen)])].
Plan = list[tuple[SectionSpec, list[tuple[SectionSpec, list[Candidate]]]]]


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


def compose(corpus: Corpus, mapping: Mapping, outline: Outline) -> Report:
    """Build the report model from a mapped corpus: choose per section, then share
    the length budget among the chosen items; opening and closing paragraphs."""
    voice = _Voice.of(outline)
    plan = _plan(corpus, mapping, outline)
    chosen_all = [c for _, leaves in plan for _, cs in leaves for c in cs]
    units = {c.article.unit for c in chosen_all}
    speaker = outline.unit or (next(iter(units)) if len(units) == 1 else _most_common_unit(chosen_all))
    lead = _paragraph(outline.lead, corpus, speaker, OPENING, voice.form, outline)
    closing = _paragraph(outline.closing, corpus, speaker, CLOSING, voice.form, outline)
    fixed = sum(len(p.text) for p in (lead, closing) if p)
    per_item = max(80, (outline.length - fixed) // max(1, len(chosen_all)))
    notes: list[str] = []
    sections = _sections(plan, per_item, voice, multi_unit=len(units) > 1, notes=notes)
    return Report(
        title=outline.title,
        subtitle=outline.subtitle,
        unit=outline.unit,
        lead=lead,
        sections=tuple(sections),
        closing=closing,
        meeting=outline.meeting,
        date=outline.date,
        notes=tuple(notes),
        perspective=outline.perspective,
    )


def _plan(corpus: Corpus, mapping: Mapping, outline: Outline) -> Plan:
    """The chosen candidates of every leaf section, in outline order."""
    index = {p.id: (s, a, p) for s, a, p in corpus.iter_passages()}
    plan: Plan = []
    for top in outline.sections:
        leaves = list(top.sections) or [top]
        plan.append(
            (
                top,
                [
                    (leaf, _choose(_candidates(leaf, mapping, index), leaf.max_items, mapping.pinned_in(leaf.id)))
                    for leaf in leaves
                ],
            )
        )
    return plan


def _candidates(
    spec: SectionSpec, mapping: Mapping, index: dict[str, tuple[Source, Article, Passage]]
) -> list[Candidate]:
    """The passages mapped to a section, best first."""
    out = []
    for a in mapping.in_section(spec.id):
        if a.passage_id in index:
            s, art, p = index[a.passage_id]
            out.append(Candidate(s, art, p, a.score))
    return out


def _sections(plan: Plan, per_item: int, voice: _Voice, multi_unit: bool, notes: list[str]) -> list[Section]:
    """Report sections of the plan; a note for each leaf left without items."""
    sections: list[Section] = []
    for top, leaves in plan:
        built: list[Section] = []
        for leaf, cs in leaves:
            terms = section_terms(leaf)
            items = [_item(c, per_item, terms, voice, multi_unit) for c in cs]
            if not items:
                notes.append(f"“{leaf.title}”部分没有找到可用的素材段落，请补充素材或调整关键词。")
            built.append(Section(leaf.id, leaf.title, tuple(items)))
        if top.sections:
            sections.append(Section(top.id, top.title, (), tuple(built)))
        else:
            sections.append(built[0])
    return sections


def _item(c: Candidate, per_item: int, terms: list, voice: _Voice, multi_unit: bool) -> Item:
    """One item: lead and strongest body sentences within ``per_item`` characters,
    in the speaker's voice, attributed to its unit in a multi-unit draft."""
    lead_text, body = _lead_and_body(c.passage)
    body = [_clean_sentence(s) for s in body]
    body = [s for s in body if s]
    body = _trim(body, per_item - len(lead_text), terms)
    if not lead_text and body:
        lead_text, body = body[0].rstrip("。！？；"), body[1:]
    own = voice.first_person and belongs_to(c.article.unit, voice.unit)
    if own:
        assert voice.unit is not None
        lead_text = _first_person(lead_text, voice.unit, voice.form)
        body = [_first_person(s, voice.unit, voice.form) for s in body]
    attribution = c.article.unit if multi_unit and not own and not belongs_to(c.article.unit, voice.unit) else None
    return Item(lead_text, tuple(body), attribution, (SourceRef.of_passage(c.source, c.article, c.passage),))


def _most_common_unit(cands: list[Candidate]) -> str | None:
    counts: dict[str | None, int] = {}
    for c in cands:
        counts[c.article.unit] = counts.get(c.article.unit, 0) + 1
    return max(counts, key=lambda u: counts[u]) if counts else None


def _paragraph(
    literal: str | None, corpus: Corpus, unit: str | None, kind: str, form: str, outline: Outline
) -> Paragraph | None:
    """The outline's literal text, else the speaking unit's own opening/closing
    passage (its first sentences, up to ~200 characters), else None."""
    if literal:
        return Paragraph(literal.strip())
    best: tuple[Source, Article, Passage] | None = None
    for s, a, p in corpus.iter_passages():
        if p.kind == kind and (unit is None or belongs_to(a.unit, unit)):
            best = (s, a, p)
            break
    if best is None:
        return None
    s, a, p = best
    kept: list[str] = []
    for sent in p.sentences:
        if kept and sum(len(x) for x in kept) + len(sent) > 200:
            break
        kept.append(sent)
    text = "".join(kept)
    if form and a.unit:
        text = _first_person(text, a.unit, form)
    return Paragraph(text, (SourceRef.of_passage(s, a, p),))


def body_length(report: Report) -> int:
    """Characters of the body: lead, items and closing."""
    n = sum(len(p.text) for p in (report.lead, report.closing) if p)
    for sec in report.sections:
        for s in (sec, *sec.subsections):
            for it in s.items:
                n += len(it.lead) + 1 + sum(len(x) for x in it.sentences)
    return n
