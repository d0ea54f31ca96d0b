"""Scoring all passages at once (numpy) gives exactly what scoring one at a time gives,
and a warm run reuses the term counts the cache kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from mapped_fixtures import generated_corpus

from writer.config.outline import find_preset, load_outline
from writer.mapping.scoring import map_corpus, map_corpus_scalar, map_corpus_vectorised
from writer.sources.cache import CorpusCache
from writer.sources.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent


def _same(a, b) -> None:
    assert len(a.assignments) == len(b.assignments)
    for x, y in zip(a.assignments, b.assignments):
        got = (x.passage_id, x.section, x.score, x.scores, x.reason, x.runner_up, x.heading_section)
        want = (y.passage_id, y.section, y.score, y.scores, y.reason, y.runner_up, y.heading_section)
        assert got == want  # floats equal to the last bit, not approximately
        assert dict(x.terms) == dict(y.terms)
    assert a.warnings == b.warnings


@pytest.fixture(scope="module")
def seeds_corpus():
    fixtures = ROOT / "tests" / "fixtures"
    folders = ("mapping", "heading_first", "genre_rules", "genre_cases", "genre_cases3")
    return ingest([ROOT / "seeds", *(fixtures / f for f in folders)])


@pytest.mark.parametrize("outline", ["outline.yaml", "三个引领", "党建业务融合"])
def test_vectorised_scoring_equals_the_scalar_reference_on_the_seeds(seeds_corpus, outline):
    path = ROOT / "config" / outline if outline.endswith(".yaml") else find_preset(outline)
    o = load_outline(path)
    vec = map_corpus_vectorised(seeds_corpus, o)
    _same(vec, map_corpus_scalar(seeds_corpus, o))
    reasons = {a.reason for a in vec.assignments}
    assert {"随标题", "低于阈值", "开头段", "背景或意义", "讲话或提问"} <= reasons  # the decision's paths are exercised
    if outline != "党建业务融合":
        assert {"业务为主", "短句随标题"} <= reasons
    if outline != "outline.yaml":
        assert {"像做法", "不像做法"} <= reasons  # the learned check after the rules, both ways


def test_vectorised_scoring_equals_the_scalar_reference_with_pins_bans_excludes_and_a_low_threshold(
    seeds_corpus, tmp_path
):
    some = [p for p in seeds_corpus.passages() if p.kind == "body"]
    text = (ROOT / "config" / "outline.yaml").read_text(encoding="utf-8")
    o = load_outline(ROOT / "config" / "outline.yaml")
    first, second = o.sections[0].id, o.sections[1].id
    extra = f"\nexclude_passages: [{some[0].id}]\n" if "exclude_passages" not in text else ""
    path = tmp_path / "outline.yaml"
    path.write_text(text + extra, encoding="utf-8")
    o = load_outline(path)
    import dataclasses

    sections = list(o.sections)
    sections[0] = dataclasses.replace(sections[0], include=(some[1].id, "text:没有这样的字"), exclude=("检察官",))
    sections[1] = dataclasses.replace(sections[1], ban=(some[2].id,))
    o = dataclasses.replace(o, sections=tuple(sections))
    assert {first, second} <= {s.id for s in o.sections}
    for threshold in (None, 0.0, 1.0, 8.0):
        _same(map_corpus_vectorised(seeds_corpus, o, threshold), map_corpus_scalar(seeds_corpus, o, threshold))


def test_vectorised_scoring_equals_the_scalar_reference_on_a_generated_corpus(tmp_path):
    folder = tmp_path / "corpus"
    generated_corpus(folder, 120, seed=7)
    corpus = ingest([folder], workers=1)
    o = load_outline(ROOT / "config" / "outline.yaml")
    vec = map_corpus_vectorised(corpus, o)
    _same(vec, map_corpus_scalar(corpus, o))
    assert sum(a.section is not None for a in vec.assignments) > 100


def test_a_warm_run_reuses_the_term_counts_and_a_new_outline_counts_afresh(seeds_corpus, tmp_path, monkeypatch):
    import writer.mapping.scoring as scoring

    cache = CorpusCache(tmp_path / "cache.sqlite")
    corpus = ingest([ROOT / "seeds"], cache=cache)
    o = load_outline(ROOT / "config" / "outline.yaml")
    cold = map_corpus(corpus, o, counts=cache)
    scanned: list[str] = []
    real = scoring.Matcher.counts
    monkeypatch.setattr(scoring.Matcher, "counts", lambda self, text: scanned.append(text) or real(self, text))
    texts = {p.text for p in corpus.passages()}
    warm = map_corpus(corpus, o, counts=cache)
    assert not texts & set(scanned)  # no passage rescanned (headings are, once each)
    _same(warm, cold)
    other = load_outline(find_preset("党建业务融合"))
    map_corpus(corpus, other, counts=cache)
    assert texts <= set(scanned)  # another term set: counted again, and kept
    scanned.clear()
    map_corpus(corpus, other, counts=cache)
    assert not texts & set(scanned)


def test_a_grown_corpus_counts_only_its_new_passages_and_keeps_the_rest(tmp_path, monkeypatch):
    """Another folder (a new table) reuses the counts kept per passage id: only passages
    never counted are scanned, and the counts of passages it lacks are still kept."""
    import writer.mapping.scoring as scoring
    from writer.model.corpus import Corpus

    cache = CorpusCache(tmp_path / "cache.sqlite")
    corpus = ingest([ROOT / "seeds"], cache=cache)
    o = load_outline(ROOT / "config" / "outline.yaml")
    first, rest = Corpus(corpus.sources[:2]), Corpus(corpus.sources[2:])
    map_corpus(first, o, counts=cache)
    reference = map_corpus_scalar(corpus, o)
    scanned: list[str] = []
    real = scoring.Matcher.counts
    monkeypatch.setattr(scoring.Matcher, "counts", lambda self, text: scanned.append(text) or real(self, text))
    old = {p.text for p in first.passages()}
    new = {p.text for p in rest.passages()} - old
    _same(map_corpus(corpus, o, counts=cache), reference)
    assert new and new <= set(scanned)
    assert not old & set(scanned)
    scanned.clear()
    map_corpus(rest, o, counts=cache)  # a third table: every passage was counted before
    assert not {p.text for p in rest.passages()} & set(scanned)


def test_damaged_term_counts_are_counted_again_not_trusted(tmp_path):
    import sqlite3

    cache = CorpusCache(tmp_path / "cache.sqlite")
    corpus = ingest([ROOT / "seeds"], cache=cache)
    o = load_outline(ROOT / "config" / "outline.yaml")
    cold = map_corpus(corpus, o, counts=cache)
    conn = sqlite3.connect(tmp_path / "cache.sqlite")
    conn.execute("UPDATE term_counts SET data = x'789c0300'")  # valid zlib, not a count table
    conn.commit()
    conn.execute("UPDATE term_counts SET data = x'00ff00ff'")  # not zlib at all
    conn.commit()
    conn.close()
    _same(map_corpus(corpus, o, counts=cache), cold)


class _DictStore:
    def __init__(self):
        self.saved: dict = {}

    def load_counts(self, termset):
        return self.saved.get(termset, {})

    def save_counts(self, termset, counts):
        self.saved[termset] = counts

    def recall(self, ids):
        return {}


def test_stored_counts_follow_each_passages_own_lead_not_its_id(seeds_corpus):
    """The same paragraph can carry a lead in one article and none in another (ids are
    hashes of the text alone): counts kept between runs must not carry one's lead over."""
    import dataclasses

    from writer.model.corpus import Corpus

    source = next(s for s in seeds_corpus.sources if any(p.lead for a in s.articles for p in a.passages))
    article = next(a for a in source.articles if any(p.lead for p in a.passages))
    bare = tuple(dataclasses.replace(p, lead=None) for p in article.passages)
    copy = dataclasses.replace(
        source,
        path=source.path + "（转载）",
        articles=(dataclasses.replace(article, id=article.id + "-copy", passages=bare),),
    )
    corpus = Corpus((copy, *seeds_corpus.sources))  # the lead-less copy first: it is counted first
    o = load_outline(ROOT / "config" / "outline.yaml")
    fresh = map_corpus_scalar(corpus, o)
    store = _DictStore()
    for _ in range(2):  # cold (counts stored), then warm (counts read back)
        _same(map_corpus_vectorised(corpus, o, counts=store), fresh)
        _same(map_corpus_scalar(corpus, o, counts=store), fresh)
