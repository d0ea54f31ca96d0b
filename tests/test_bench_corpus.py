"""The benchmark corpus is realistic enough that caches do not hit more often than on
real material: almost every passage is distinct once unit names and figures are
normalised, units are many, and several heading systems occur."""

from __future__ import annotations

import sys

from conftest import ROOT

from writer.sources.ingest import ingest


def test_generated_corpus_has_mostly_distinct_passages_many_units_and_heading_systems(tmp_path):
    sys.path.insert(0, str(ROOT))
    from bench.make_corpus import distinct_ratio, make_corpus

    make_corpus(80, tmp_path / "corpus", seed=7)
    corpus = ingest([tmp_path / "corpus"], workers=1)
    distinct, total = distinct_ratio(corpus)
    articles = [a for _, a in corpus.articles()]
    assert len(articles) == 80
    assert distinct / total > 0.9
    assert len({a.unit for a in articles}) > 60
    numbers = {h.number[:1] for a in articles for h in a.headings if h.number}
    assert {"一", "（", "1"} <= numbers
    assert any(not a.headings and any(p.number for p in a.passages) for a in articles)  # run-in 一是 only
