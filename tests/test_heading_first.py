"""Heading-first mapping: headings are placed first and their passages inherit,
short sentences on their own line head the paragraph below, decisions by margin,
named mechanisms as evidence, splits reported (fixtures in tests/fixtures/heading_first)."""

import json

import pytest
from mapped_fixtures import FIXTURES as FIXTURE_ROOT
from mapped_fixtures import map_folder
from mapped_fixtures import passage as _passage

from writer.cli.app import app

FIXTURES = FIXTURE_ROOT / "heading_first"


@pytest.fixture(scope="module")
def mapped():
    return map_folder(FIXTURES)


def test_short_sentence_on_its_own_line_heads_the_paragraph_below(mapped):
    corpus, _ = mapped
    p = _passage(corpus, "支部将党员编入各办案组")
    assert p.heading == ("建强战斗堡垒，攻坚克难",)
    # siblings, not nested under the previous sentence heading
    assert _passage(corpus, "支部出台《支部党建工作考核方案》").heading == ("织密制度之网，规范运行",)
    assert not any(p.text.startswith("建强战斗堡垒") for _, _, p in corpus.iter_passages())


def test_paragraphs_inherit_the_section_their_heading_points_to(mapped):
    corpus, mapping = mapped
    a = mapping.assignment(_passage(corpus, "一是抓好日常学习").id)
    assert a.section == "sixiang" and a.heading_section == "sixiang" and a.reason == "随标题"
    assert any(t.startswith("标题“坚持思想引领") for t in a.terms["sixiang"])  # explained
    assert mapping.assignment(_passage(corpus, "支部将党员编入各办案组").id).section == "zuzhi"


def test_own_evidence_overrides_the_heading_only_by_a_clear_margin(mapped):
    corpus, mapping = mapped
    a = mapping.assignment(_passage(corpus, "三是完善党员管理考核办法").id)
    assert a.heading_section == "sixiang"
    assert a.section == "zhidu" and a.reason == "本段证据明显指向别处"


def test_a_mechanism_named_in_the_lead_is_evidence_for_the_section_of_its_topic(mapped):
    corpus, mapping = mapped
    a = mapping.assignment(_passage(corpus, "二是制定党建业务融合考核方案").id)
    assert a.section == "zhidu"
    assert any("考核方案" in t and "（要点）" in t for t in a.terms["zhidu"])
    # a mechanism about learning is evidence for the thought section (issue 16)
    a = mapping.assignment(_passage(corpus, "一是建立“融学习”机制").id)
    assert a.section == "sixiang"
    assert any("融学习" in t and "（要点）" in t for t in a.terms["sixiang"])


def test_problem_statements_are_not_practices(mapped):
    corpus, mapping = mapped
    a = mapping.assignment(_passage(corpus, "一是党建考核指标偏软").id)
    assert a.section is None and a.reason == "问题陈述"


def test_a_passage_split_between_two_sections_names_both(mapped):
    corpus, mapping = mapped
    a = mapping.assignment(_passage(corpus, "一是推行双学双带").id)
    assert {a.section, a.runner_up} == {"sixiang", "zuzhi"}
    assert "两可" in a.reason
    clear = mapping.assignment(_passage(corpus, "二是推动学习成果转化").id)
    assert clear.section == "sixiang" and clear.runner_up is None


def test_map_shows_a_split_with_both_scores(runner):
    result = runner.invoke(app, ["map", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    assert "两可" in result.output
    data = json.loads(runner.invoke(app, ["map", str(FIXTURES), "--json"]).stdout)
    split = [p for p in data["passages"] if p["runner_up"]]
    assert split and all(p["scores"][p["runner_up"]] > 0 for p in split)
