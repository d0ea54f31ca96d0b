"""The passages table the cache keeps: a warm run maps from its columns (and from the
decisions kept for the same outline) exactly as the corpus maps, and every change that
matters — a source, the rules, the outline — makes the stored columns stale."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from mapped_fixtures import generated_corpus

import writer.mapping.scoring as scoring
from writer.config.outline import find_preset, load_outline
from writer.mapping.prepared import PassageTable
from writer.mapping.scoring import (
    built_table,
    map_corpus_scalar,
    map_corpus_vectorised,
    map_table,
    passage_table,
    prepare_passages,
    stored_table,
)
from writer.sources.cache import CorpusCache
from writer.sources.ingest import ingest, survey_sources

ROOT = Path(__file__).resolve().parent.parent
OUTLINE = ROOT / "config" / "outline.yaml"
FOLDERS = [
    ROOT / "seeds",
    *(
        ROOT / "tests" / "fixtures" / f
        for f in ("mapping", "heading_first", "genre_rules", "genre_cases3", "web_copies")
    ),
]


def _same(a, b) -> None:
    assert len(a.assignments) == len(b.assignments)
    for x, y in zip(a.assignments, b.assignments):
        got = (x.passage_id, x.section, x.score, x.scores, x.reason, x.runner_up, x.heading_section)
        want = (y.passage_id, y.section, y.score, y.scores, y.reason, y.runner_up, y.heading_section)
        assert got == want  # floats equal to the last bit
        assert dict(x.terms) == dict(y.terms)
    assert a.warnings == b.warnings
    for s in (s for top in a.outline.sections for s in (top.sections or (top,))):
        assert [x.passage_id for x in a.in_section(s.id)] == [y.passage_id for y in b.in_section(s.id)]


@pytest.fixture(autouse=True)
def _always_vectorised(monkeypatch):
    monkeypatch.setattr(scoring, "VECTOR_MIN", 0)  # small corpora take the columnar path too


def _warm(folders, cache, outline):
    """What ``writer map`` does on a warm cache: plan the files, read the stored table, map it."""
    table = stored_table(survey_sources(folders, cache=cache), cache)
    assert table is not None, "no stored table"
    return table, map_table(table, outline, counts=cache)


@pytest.mark.parametrize("preset", ["outline.yaml", "党建业务融合"])
def test_cold_warm_and_scalar_paths_agree_on_the_seeds_and_fixtures(tmp_path, preset):
    outline = load_outline(OUTLINE if preset.endswith(".yaml") else find_preset(preset))
    cache = CorpusCache(tmp_path / "cache.sqlite")
    corpus = ingest(FOLDERS, cache=cache)
    scalar = map_corpus_scalar(corpus, outline)
    _same(map_corpus_vectorised(corpus, outline), scalar)  # no store: built in memory
    _same(map_corpus_vectorised(corpus, outline, counts=cache), scalar)  # table, counts and decisions stored
    for _ in range(2):  # the stored table and term index, then also the stored decisions
        table, warm = _warm(FOLDERS, cache, outline)
        assert table._objects is None and table._body is None  # no source decoded yet
        _same(warm, scalar)  # reading the evidence decodes only the sources it needs
    table, warm = _warm(FOLDERS, cache, outline)
    assert [table.passage(i) for i in range(len(table))] == corpus.passages()
    assert list(table.texts) == [p.text for p in corpus.passages()]
    assert [table.passage(i) for i in range(len(table))] == corpus.passages()  # now from the columns


def test_cold_warm_and_scalar_paths_agree_on_a_generated_corpus_with_pins(tmp_path):
    folder = tmp_path / "corpus"
    generated_corpus(folder, 80, seed=11)
    cache = CorpusCache(tmp_path / "cache.sqlite")
    corpus = ingest([folder], cache=cache, workers=1)
    outline = load_outline(OUTLINE)
    body = [p for p in corpus.passages() if p.kind == "body"]
    sections = list(outline.sections)
    sections[0] = dataclasses.replace(sections[0], include=(body[3].id, "text:党组理论学习中心组"), exclude=("检察官",))
    sections[1] = dataclasses.replace(sections[1], ban=(body[4].id,))
    outline = dataclasses.replace(outline, sections=tuple(sections), exclude_passages=(body[5].id,))
    scalar = map_corpus_scalar(corpus, outline)
    _same(map_corpus_vectorised(corpus, outline, counts=cache), scalar)
    for _ in range(2):
        _same(_warm([folder], cache, outline)[1], scalar)
    assert sum(a.section is not None for a in scalar.assignments) > 100


def _copy(tmp_path) -> Path:
    folder = tmp_path / "sources"
    shutil.copytree(ROOT / "seeds", folder)
    return folder


def test_an_edited_source_makes_the_stored_table_stale(tmp_path):
    folder = _copy(tmp_path)
    cache = CorpusCache(tmp_path / "cache.sqlite")
    outline = load_outline(OUTLINE)
    passage_table(ingest([folder], cache=cache), cache)
    old, before = _warm([folder], cache, outline)
    # one placed paragraph of a file now speaks of something else
    target = next(folder.glob("000_*"))
    text = target.read_text(encoding="utf-8")
    moved = next(p for p in ingest([target]).passages() if before.assignment(p.id).section and len(p.text) > 60)
    line = next(x for x in text.splitlines() if moved.text[:15] in x)
    target.write_text(
        text.replace(line, "我院坚持第一议题制度，党组理论学习中心组每月集中学习，开展主题党日和三会一课。"), "utf-8"
    )
    corpus = ingest([folder], cache=cache)
    fresh = map_corpus_scalar(corpus, outline)
    assert stored_table(survey_sources([folder], cache=cache), cache) is None  # the old table is not served
    _same(map_corpus_vectorised(corpus, outline, counts=cache), fresh)
    table, warm = _warm([folder], cache, outline)
    _same(warm, fresh)
    assert table.key != old.key
    # served the old columns, the edited paragraph would keep its old place
    stale = map_table(dataclasses.replace(old, key=None), outline)
    assert moved.id in {a.passage_id for a in stale.assignments}
    assert moved.id not in {a.passage_id for a in warm.assignments}


def test_a_change_of_rules_rebuilds_the_table_and_a_change_of_outline_decides_again(tmp_path, monkeypatch):
    folder = _copy(tmp_path)
    cache = CorpusCache(tmp_path / "cache.sqlite")
    outline = load_outline(OUTLINE)
    corpus = ingest([folder], cache=cache)
    passage_table(corpus, cache)
    table, _ = _warm([folder], cache, outline)
    monkeypatch.setattr(scoring, "rules_key", lambda: "other rules")
    assert stored_table(survey_sources([folder], cache=cache), cache) is None
    built: list[int] = []
    real = PassageTable.of.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(PassageTable, "of", classmethod(lambda cls, c, p: built.append(1) or real(cls, c, p)))
    assert passage_table(corpus, cache).key != table.key and built == [1]
    monkeypatch.undo()
    monkeypatch.setattr(scoring, "VECTOR_MIN", 0)
    # another weight for one keyword: the kept decisions must not be served
    _warm([folder], cache, outline)
    first = outline.sections[0]
    (name, weight), *rest = first.keywords
    heavier = dataclasses.replace(first, keywords=((name, weight * 5), *rest))
    other = dataclasses.replace(outline, sections=(heavier, *outline.sections[1:]))
    _same(_warm([folder], cache, other)[1], map_corpus_scalar(corpus, other))
    _same(_warm([folder], cache, outline)[1], map_corpus_scalar(corpus, outline))


@pytest.mark.parametrize("chunk", [2000, 7])
def test_a_table_built_a_source_at_a_time_is_the_table_of_the_whole_corpus(tmp_path, monkeypatch, chunk):
    """Also with the texts, sentences and spans stored in chunks of 7 passages: many chunks,
    read in order and backwards (more than the few decoded chunks kept at a time)."""
    import writer.mapping.prepared as prepared

    monkeypatch.setattr(prepared, "TEXT_CHUNK", chunk)
    cache = CorpusCache(tmp_path / "cache.sqlite")
    corpus = ingest(FOLDERS, cache=cache)
    survey = survey_sources(FOLDERS, cache=cache)
    built = built_table(survey, cache)
    whole = PassageTable.of(corpus, prepare_passages)
    assert built is not None and built == whole
    assert list(built.texts) == list(whole.texts)
    assert [built.passage(i) for i in range(len(built))] == corpus.passages()
    stored = stored_table(survey, cache)  # and kept: read back the same
    assert stored == whole and [stored.passage(i) for i in range(len(stored))] == corpus.passages()
    assert list(stored.texts) == list(whole.texts)  # now the passages are made from the stored body
    assert [stored.passage(i) for i in range(len(stored))] == corpus.passages()
    backwards = [stored.passage(i) for i in reversed(range(len(stored)))]
    assert backwards[::-1] == corpus.passages()


def test_map_json_writes_the_same_evidence_cold_and_warm_and_keeps_it_beside_the_decisions(tmp_path, monkeypatch):
    """The first ``map --json`` works every row's evidence out and keeps it; the next reads it
    back (building none) and writes the same document, which is the scalar path's."""
    import io
    import json

    from writer.cli.map_view import map_json, write_map_json

    outline = load_outline(OUTLINE)
    cache = CorpusCache(tmp_path / "cache.sqlite")
    corpus = ingest(FOLDERS, cache=cache)
    want = map_json(corpus, map_corpus_scalar(corpus, outline), OUTLINE)
    map_corpus_vectorised(corpus, outline, counts=cache)  # the table, counts and decisions stored
    written, calls = [], []
    worked_out = scoring._Explainer.terms
    for run in range(2):
        if run:  # the second run works no evidence out
            monkeypatch.setattr(scoring._Explainer, "terms", lambda *a: calls.append(a[1]) or worked_out(*a))
        table, mapping = _warm(FOLDERS, cache, outline)
        out = io.StringIO()
        write_map_json(table, mapping, OUTLINE, out)
        written.append(out.getvalue())
    assert written[0] == written[1]
    assert calls == []
    last = {pid: i for i, pid in enumerate(table.ids)}
    assert any(last[pid] != i for i, pid in enumerate(table.ids))  # a repeated passage: the last one's evidence
    got = json.loads(written[0])
    assert got["passages"] == want["passages"] and any(r["terms"] for r in got["passages"])


def test_a_damaged_chunk_of_stored_texts_is_not_trusted_the_texts_come_from_the_sources(tmp_path, monkeypatch):
    import marshal
    import sqlite3

    import writer.mapping.prepared as prepared

    monkeypatch.setattr(prepared, "TEXT_CHUNK", 7)
    cache = CorpusCache(tmp_path / "cache.sqlite")
    corpus = ingest(FOLDERS, cache=cache)
    survey = survey_sources(FOLDERS, cache=cache)
    assert built_table(survey, cache) is not None
    conn = sqlite3.connect(tmp_path / "cache.sqlite")
    key, blob = conn.execute("SELECT key, data FROM tables WHERE key LIKE 'passages:%:body'").fetchone()
    shape, texts, shapes = marshal.loads(blob)
    texts[3] = b"not zlib at all"
    conn.execute("UPDATE tables SET data = ? WHERE key = ?", (marshal.dumps((shape, texts, shapes)), key))
    conn.commit()
    conn.close()
    stored = stored_table(survey, cache)
    assert stored is not None
    want = [p.text for p in corpus.passages()]
    assert stored.texts[0] == want[0]  # a sound chunk, read before the damaged one is met
    assert list(stored.texts) == want
    assert [stored.texts[i] for i in reversed(range(len(want)))] == want[::-1]
