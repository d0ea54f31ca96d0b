"""Choosing a section's items takes time linear in the pool (a heap, and near-duplicates
found through the chosen items' bigrams) and chooses exactly what a plain rescan of the
pool chooses: the same passages in the same order, on the seeds, on a generated corpus,
and on pools made to be full of ties, repeated units and near-duplicates."""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from types import SimpleNamespace

import pytest
from conftest import ROOT, SEEDS

from writer.compose import draft
from writer.config.outline import load_outline
from writer.mapping.scoring import map_corpus
from writer.sources.ingest import ingest

OUTLINE = ROOT / "config" / "outline.yaml"


def rescan_choose(cands, max_items, pinned, own, trace=None):
    """The straightforward choice the heap must reproduce: after every pick or reject,
    rescan the whole pool for the best candidate under the current unit penalties.
    (``trace``, how the heap's choice ended, is not kept here.)"""
    if trace is not None:
        trace.extend((None, False))
    chosen = [c for c in cands if c.passage.id in pinned][:max_items]
    units_used: dict = {}
    for c in chosen:
        units_used[c.article.unit] = units_used.get(c.article.unit, 0) + 1
    pool = [c for c in cands if c.passage.id not in pinned]
    while len(chosen) < max_items and pool:
        best = max(
            pool,
            key=lambda c: (c.article.id in own, c.score / (1 + 0.6 * units_used.get(c.article.unit, 0))),
        )
        pool.remove(best)
        if any(draft.near_duplicate(best.passage.text, c.passage.text) for c in chosen):
            continue
        if len(best.passage.text) < 30 and not best.children:
            continue
        chosen.append(best)
        units_used[best.article.unit] = units_used.get(best.article.unit, 0) + 1
    order = {id(c): n for n, c in enumerate(cands)}
    return sorted(chosen, key=lambda c: (c.source.path, c.passage.location.char_start, order[id(c)]))


def _same_choice(cands, max_items, pinned, own) -> list:
    chosen = draft._choose(cands, max_items, pinned, own)
    expected = rescan_choose(cands, max_items, pinned, own)
    assert [id(c) for c in chosen] == [id(c) for c in expected]
    return chosen


# ------------------------------------------------------------------ made-up pools
PHRASES = [
    "坚持把党的政治建设摆在首位，深入开展理论学习中心组学习",
    "创新打造“党建+业务”融合品牌，推动党建与检察业务深度融合",
    "持续加强基层党组织建设，把支部建在办案一线",
    "扎实开展主题教育，全院干警政治素质明显提升",
    "聚焦主责主业，全年办理各类案件1200余件",
    "强化作风建设，深入整治形式主义官僚主义问题",
]


def _pool(rng: random.Random, size: int) -> tuple[list, set[str], set[str]]:
    """Candidates whose texts are recombined from a few phrases (many near-duplicates),
    from a few units, with scores from a short list (many ties), some too short to be
    items, some with sub-points, some pinned."""
    units = ["甲县检察院", "乙市检察院", "丙区检察院", None]
    cands = []
    for n in range(size):
        k = rng.choice([1, 1, 2, 3])
        text = "。".join(rng.sample(PHRASES, k)) + "。" + rng.choice(["", "获评先进集体。", str(n)])
        if rng.random() < 0.1:
            text = text[: rng.randint(5, 29)]
        article = SimpleNamespace(id=f"a{rng.randint(0, size // 3)}", unit=rng.choice(units))
        passage = SimpleNamespace(id=f"p{n}", text=text, location=SimpleNamespace(char_start=rng.randint(0, 50)))
        children = (object(),) if rng.random() < 0.1 else ()
        source = SimpleNamespace(path=f"{rng.randint(0, 4)}.txt")
        score = rng.choice([1.0, 1.5, 2.0, 2.5, 3.0])
        cands.append(SimpleNamespace(source=source, article=article, passage=passage, score=score, children=children))
    pinned = {c.passage.id for c in rng.sample(cands, min(len(cands), rng.choice([0, 0, 1, 3])))}
    own = {f"a{i}" for i in range(size // 3 + 1) if rng.random() < 0.5}
    return cands, pinned, own


@pytest.mark.parametrize("seed", range(40))
def test_choice_matches_the_rescan_on_pools_of_ties_repeated_units_and_near_duplicates(seed):
    rng = random.Random(seed)
    cands, pinned, own = _pool(rng, rng.choice([0, 1, 5, 30, 120]))
    for max_items in (0, 1, 3, 8, 40):
        _same_choice(cands, max_items, pinned, own)


def test_a_candidate_too_like_a_chosen_one_is_passed_over_for_the_next_best():
    rng = random.Random(1)
    cands, _, _ = _pool(rng, 60)
    chosen = _same_choice(cands, 10, set(), set())
    texts = [c.passage.text for c in chosen]
    assert not any(draft.near_duplicate(a, b) for i, a in enumerate(texts) for b in texts[i + 1 :])
    assert len(chosen) < 10  # the pool runs out of texts unlike those chosen


# ------------------------------------------------------------------ real material
def _check_every_section(corpus, outline) -> int:
    """Compare the choice in every leaf section, at its max_items and at a much larger
    one (many more picks, penalties and rejects); return how many candidates were seen."""
    mapping = map_corpus(corpus, outline)
    material = draft._material(corpus, outline)
    seen = 0
    for top in outline.sections:
        for leaf in top.sections or (top,):
            cands = draft._candidates(leaf, mapping, material, outline)
            for max_items in (leaf.max_items, 40):
                _same_choice(cands, max_items, mapping.pinned_in(leaf.id), material.own)
            seen += len(cands)
    return seen


def _reports_equal(corpus, outline, monkeypatch) -> None:
    mapping = map_corpus(corpus, outline)
    report = draft.compose(corpus, mapping, outline)
    with monkeypatch.context() as patch:
        patch.setattr(draft, "_choose", rescan_choose)
        assert draft.compose(corpus, mapping, outline) == report


def test_choice_and_report_on_the_seeds_match_the_rescan(monkeypatch):
    corpus = ingest([SEEDS], workers=1)
    outline = load_outline(OUTLINE)
    assert _check_every_section(corpus, outline) > 0
    _reports_equal(corpus, outline, monkeypatch)


@pytest.fixture(scope="module")
def generated_corpus(tmp_path_factory):
    sys.path.insert(0, str(ROOT))
    from bench.make_corpus import make_corpus

    folder = tmp_path_factory.mktemp("generated") / "corpus"
    make_corpus(150, folder, seed=11)
    return ingest([folder], workers=1)


def test_choice_and_report_on_a_generated_corpus_match_the_rescan(generated_corpus, monkeypatch):
    outline = load_outline(OUTLINE)
    assert _check_every_section(generated_corpus, outline) > 500
    _reports_equal(generated_corpus, outline, monkeypatch)


def test_choice_for_one_unit_with_others_attributed_matches_the_rescan(generated_corpus, monkeypatch):
    units = [a.unit for _, a in generated_corpus.articles() if a.unit]
    unit = max(set(units), key=lambda u: (units.count(u), u))
    outline = replace(load_outline(OUTLINE), unit=unit, others="attributed", perspective="我院")
    assert _check_every_section(generated_corpus, outline) > 500
    _reports_equal(generated_corpus, outline, monkeypatch)
