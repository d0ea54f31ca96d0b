"""Rules of the genre that decide where a passage goes, each shown on a small
look-alike fixture (tests/fixtures/genre_rules, one difficulty per file),
through the public API: ingest → map_corpus with the default outline."""

import pytest
from mapped_fixtures import FIXTURES as FIXTURE_ROOT
from mapped_fixtures import map_folder, passage

from writer.config.outline import find_preset, load_outline
from writer.mapping.scoring import Mapping, map_corpus
from writer.model.corpus import Corpus
from writer.sources.ingest import ingest

FIXTURES = FIXTURE_ROOT / "genre_rules"


def _map(name: str) -> tuple[Corpus, Mapping]:
    return map_folder(FIXTURES / name)


def _placed(name: str, start: str):
    corpus, mapping = _map(name)
    p = passage(corpus, start)
    return p, mapping.assignment(p.id)


@pytest.mark.parametrize(
    ("start", "section"),
    [
        ("以建强基层党组织作为着力点", "zuzhi"),  # the part's 题句 names the party organisation
        ("以服务大局、护航发展作为落脚点", None),  # … or only the business
    ],
)
def test_a_one_sentence_statement_is_placed_on_modest_clear_evidence_like_a_sub_point(start, section):
    p, a = _placed("题句.txt", start)
    assert len(p.sentences) == 1 and not p.lead
    assert a.section == section


def test_a_team_named_a_vanguard_is_the_party_organisation_not_the_study_it_runs():
    _, a = _placed("先锋队.txt", "同心同向，锻造检察先锋队")
    assert a.section == "zuzhi"
    assert any(t.startswith("党员先锋队（要点）") for t in a.terms["zuzhi"])


@pytest.mark.parametrize(
    ("start", "heading"),
    [
        ("支部把学习习近平总书记最新重要讲话", "保持锐意进取的劲头，落实第一议题制度"),
        ("支部每月召开支部党员大会集中学习", "守牢对党忠诚的本色，坚持“三会一课”制度"),
    ],
)
def test_a_heading_naming_a_study_system_points_to_thought_leadership_not_to_rules(start, heading):
    # the 制度 of 第一议题制度 / “三会一课”制度 says what kind of practice it is, not that it is about rules
    p, a = _placed("制度所指.txt", start)
    assert p.heading == (heading,)
    assert a.heading_section == "sixiang" and a.section == "sixiang"
    assert not any("制度" in t for t in a.terms["zhidu"])


def test_a_heading_about_rules_still_points_to_the_mechanism_section():
    _, a = _placed("制度所指.txt", "支部制定党建工作责任清单")
    assert a.heading_section == "zhidu" and a.section == "zhidu"


def test_a_study_system_is_no_governance_mechanism():
    # 学习制度/学习机制 is how a unit studies (思想引领); 考核办法/责任清单 are rules (制度机制引领)
    _, study = _placed("学习制度.txt", "一是健全学习制度")
    assert study.section == "sixiang"
    assert not any(t.startswith("机制：") for t in study.terms["zhidu"])
    _, rules = _placed("学习制度.txt", "三是严格考核管理")
    assert rules.section == "zhidu"
    assert any(t.startswith("机制：") for t in rules.terms["zhidu"])


def test_casework_with_a_little_party_vocabulary_is_not_party_building():
    # case counts, prosecutions and services to firms, with one 党支部…党建共建 in passing
    corpus, mapping = _map("业务为主.txt")
    p = next(p for _, _, p in corpus.iter_passages() if p.text.startswith("一是护航民营经济健康发展"))
    a = mapping.assignment(p.id)
    assert a.scores["zuzhi"] >= mapping.threshold  # enough by level alone …
    assert a.section is None and a.reason == "业务为主"  # … but not for a passage about casework


def test_a_party_practice_that_also_reports_figures_keeps_its_section():
    _, a = _placed("业务为主.txt", "二是设立党员先锋岗服务群众")
    assert a.section == "zuzhi"


def test_an_outline_with_a_section_for_casework_still_gets_the_casework():
    # 党建业务融合 has 服务大局 (营商环境, 民营经济, 社会治理 …): business passages belong there
    corpus = ingest([FIXTURES / "业务为主.txt"])
    mapping = map_corpus(corpus, load_outline(find_preset("党建业务融合")))
    p = next(p for _, _, p in corpus.iter_passages() if p.text.startswith("一是护航民营经济健康发展"))
    assert mapping.assignment(p.id).section == "fuwu"
