"""The learned "is this the unit's own practice" check (mapping/practice.py) after the rules:
the model file, what it may change and what it may not, and the same answers on every path."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from typer.testing import CliRunner

from writer.cli.app import app
from writer.config.outline import find_preset, load_outline
from writer.mapping import practice
from writer.mapping.scoring import LIKE_PRACTICE, NOT_PRACTICE, map_corpus_scalar, map_corpus_vectorised
from writer.sources.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "practice"
STUDY = "院党组坚持理论学习中心组学习制度"  # placed by the rules (思想, under its heading)
READING = "干警们利用午休时间交流读书心得"  # just below the threshold, a little 思想 evidence
NEWS = "会上，各部门负责人逐一汇报"  # below the threshold with no evidence at all


def _model(**weights: int) -> practice.Model:
    return practice.Model(bias=0, weights=weights, out_below=-1000, in_above=1000, floor=0.5)


@pytest.fixture
def corpus():
    return ingest([FIXTURES])


@pytest.fixture
def outline():
    return load_outline(find_preset("三个引领"))


def _by_start(mapping, corpus):
    return {p.text[:15]: mapping.assignment(p.id) for _s, _a, p in corpus.iter_passages()}


def _find(rows, start):
    return next(a for k, a in rows.items() if start.startswith(k) or k.startswith(start[:15]))


def test_the_model_file_reads_its_header_and_bigrams_beginning_with_a_hash(tmp_path):
    f = tmp_path / "m.tsv"
    f.write_text(
        "# a comment\n# another\n=bias\t-5\n=out_below\t-900\n=in_above\t800\n=floor\t1.5\n#1\t7\n党组\t-30\n", "utf-8"
    )
    m = practice.read(f)
    assert (m.bias, m.out_below, m.in_above, m.floor) == (-5, -900, 800, 1.5)
    assert m.weights == {"#1": 7, "党组": -30}


def test_a_score_counts_each_bigram_once_and_reads_white_space_as_one_space(monkeypatch):
    monkeypatch.setattr(practice, "model", lambda: _model(**{"党组": 100, "a ": 5, " b": 7}))
    assert practice.score("党组党组党组") == 100  # distinct pairs: 党组, 组党
    assert practice.score("A \t\n B") == 12
    assert practice.bigrams("ab  c") == {"ab", "b ", " c"}


def test_a_placed_passage_the_model_rejects_is_left_out_and_says_so(monkeypatch, corpus, outline):
    off = _by_start(map_corpus_scalar(corpus, dataclasses.replace(outline, practice_model=False)), corpus)
    assert _find(off, STUDY).section == "sixiang"
    monkeypatch.setattr(practice, "model", lambda: _model(**{"党组": -5000}))
    on = _by_start(map_corpus_scalar(corpus, outline), corpus)
    a = _find(on, STUDY)
    assert (a.section, a.reason) == (None, NOT_PRACTICE)
    assert a.score == max(a.scores.values())


def test_an_unplaced_passage_the_model_is_sure_of_goes_to_its_best_section(monkeypatch, corpus, outline):
    monkeypatch.setattr(practice, "model", lambda: _model(**{"读书": 5000, "会上": 5000}))
    on = _by_start(map_corpus_scalar(corpus, outline), corpus)
    a = _find(on, READING)
    assert (a.section, a.reason) == ("sixiang", LIKE_PRACTICE)
    # sure of it, but with no evidence for any section (below the floor): nowhere to go
    b = _find(on, NEWS)
    assert (b.section, b.reason) == (None, "低于阈值")


def test_pins_bans_and_practice_model_false_are_kept(monkeypatch, corpus, outline):
    monkeypatch.setattr(practice, "model", lambda: _model(**{"党组": -5000, "读书": 5000}))
    ids = {p.text[:15]: p.id for _s, _a, p in corpus.iter_passages()}
    study, reading = (next(v for k, v in ids.items() if s.startswith(k)) for s in (STUDY, READING))
    sections = tuple(dataclasses.replace(s, include=(study,)) if s.id == "sixiang" else s for s in outline.sections)
    sections = tuple(dataclasses.replace(s, ban=(reading,)) if s.id == "sixiang" else s for s in sections)
    pinned = dataclasses.replace(outline, sections=sections)
    rows = _by_start(map_corpus_scalar(corpus, pinned), corpus)
    assert _find(rows, STUDY).section == "sixiang"  # a pin is the user's word
    assert _find(rows, READING).section is None  # banned from its only section with evidence
    off = _by_start(map_corpus_scalar(corpus, dataclasses.replace(outline, practice_model=False)), corpus)
    assert {a.reason for a in off.values()}.isdisjoint({LIKE_PRACTICE, NOT_PRACTICE})


def test_the_vectorised_path_checks_the_same_rows_as_the_scalar_one(monkeypatch, corpus, outline):
    monkeypatch.setattr(practice, "model", lambda: _model(**{"党组": -5000, "读书": 5000}))
    vec, sca = map_corpus_vectorised(corpus, outline), map_corpus_scalar(corpus, outline)
    got = [(a.passage_id, a.section, a.score, a.reason, a.runner_up) for a in vec.assignments]
    assert got == [(a.passage_id, a.section, a.score, a.reason, a.runner_up) for a in sca.assignments]
    assert {LIKE_PRACTICE, NOT_PRACTICE} <= {a.reason for a in sca.assignments}


def test_the_shipped_model_tells_practice_from_news_and_results():
    """Sentences of our own, not from any labelled set."""
    practice.model.cache_clear()
    does = [
        "院党组建立“周学习、月研讨”制度，每周五下午组织干警集中学习，每月围绕一个专题开展研讨交流。",
        "各支部推行党员积分管理，把参加组织生活、办案质效和志愿服务情况量化记分，年底评议时作为重要依据。",
    ]
    tells = [
        "近日，市检察院召开全市检察机关工作推进会，市院检察长出席会议并讲话。",
        "该院去年共受理审查逮捕案件二百余件，起诉三百余人，多项业务指标位居全市前列。",
    ]
    assert min(practice.score(t) for t in does) > 0 > max(practice.score(t) for t in tells)


def test_practice_model_must_be_true_or_false(tmp_path):
    (tmp_path / "outline.yaml").write_text("preset: 三个引领\npractice_model: 是\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("我院坚持每周集中学习。\n", encoding="utf-8")
    r = CliRunner().invoke(
        app, ["map", str(tmp_path / "a.txt"), "--outline", str(tmp_path / "outline.yaml"), "--no-cache"]
    )
    assert r.exit_code == 2
    assert "practice_model" in r.output and "true 或 false" in r.output
