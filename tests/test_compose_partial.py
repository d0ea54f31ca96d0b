"""Drafting from the passages table decodes only the sources that can make the draft, and
gives the report the whole corpus gives (``compose.partial``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mapped_fixtures import generated_corpus

import writer.compose.partial as partial
import writer.mapping.scoring as scoring
from writer.compose.draft import compose
from writer.config.outline import find_preset, load_outline
from writer.mapping.scoring import map_corpus_scalar, map_table, passage_table, stored_table
from writer.sources.cache import CorpusCache
from writer.sources.ingest import ingest, survey_sources

ROOT = Path(__file__).resolve().parent.parent
OUTLINE = ROOT / "config" / "outline.yaml"


@pytest.fixture(autouse=True)
def _columnar(monkeypatch):
    monkeypatch.setattr(scoring, "VECTOR_MIN", 0)  # small corpora map in columns too
    monkeypatch.setattr(partial, "WHOLE_SHARE", 1.01)  # and never fall back for being small


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated") / "corpus"
    generated_corpus(folder, 150, seed=5)
    return folder


def _both(folders, outline, tmp_path, monkeypatch, depth: int):
    """(the report from the table, the report from the whole corpus, sources decoded / all)."""
    cache = CorpusCache(tmp_path / f"cache-{depth}.sqlite")
    corpus = ingest(folders, cache=cache, workers=1)
    passage_table(corpus, cache)
    table = stored_table(survey_sources(folders, cache=cache), cache)
    assert table is not None
    mapping = map_table(table, outline, counts=cache)
    monkeypatch.setattr(partial, "FIRST_DEPTH", depth)
    loaded: list[int] = []
    report = partial.compose_from_table(table, mapping, outline, lambda: loaded.append(1) or corpus)
    whole = compose(corpus, map_corpus_scalar(corpus, outline), outline)
    return report, whole, (len(table._decoded) if not loaded else len(table.paths)), len(table.paths)


@pytest.mark.parametrize("depth", [1, 3, 60])
def test_the_report_from_the_table_is_the_report_from_the_whole_corpus(generated, tmp_path, monkeypatch, depth):
    outline = load_outline(OUTLINE)
    report, whole, decoded, total = _both([generated], outline, tmp_path, monkeypatch, depth)
    assert report == whole
    assert decoded < total  # not every source was decoded


def test_the_same_with_pins_a_unit_and_another_preset(generated, tmp_path, monkeypatch):
    corpus = ingest([generated], workers=1)
    body = [p for p in corpus.passages() if p.kind == "body" and len(p.text) > 40]
    unit = next(a.unit for _, a in corpus.articles() if a.unit)
    outline = load_outline(OUTLINE)
    sections = list(outline.sections)
    sections[0] = dataclasses.replace(sections[0], include=(body[-1].id,))
    sections[1] = dataclasses.replace(sections[1], ban=(body[0].id,))
    pinned = dataclasses.replace(outline, sections=tuple(sections), unit=unit, perspective="我院")
    for o in (pinned, load_outline(find_preset("党建业务融合")), dataclasses.replace(outline, unit="没有这个院")):
        report, whole, _, _ = _both([generated], o, tmp_path, monkeypatch, 2)
        assert report == whole


def test_the_same_on_the_seeds_and_fixtures(tmp_path, monkeypatch):
    folders = [ROOT / "seeds", *(ROOT / "tests" / "fixtures" / f for f in ("mapping", "own_report", "genre_cases"))]
    for outline in (load_outline(OUTLINE), load_outline(find_preset("三个引领"))):
        report, whole, _, _ = _both(folders, outline, tmp_path, monkeypatch, 1)
        assert report == whole
