"""A corpus narrowed to the articles of some units (the outline's ``sources`` units)."""

from __future__ import annotations

from writer.model.corpus import Corpus, Source
from writer.text.units import belongs_to


def unit_filter(corpus: Corpus, units: list[str]) -> Corpus:
    """Only the articles of the named units."""
    if not units:
        return corpus
    sources = []
    for s in corpus.sources:
        arts = tuple(a for a in s.articles if any(belongs_to(a.unit, u) for u in units))
        if arts:
            sources.append(Source(s.path, s.format, s.encoding, s.sha256, arts, s.meta, s.notices))
    return Corpus(tuple(sources), corpus.notices)
