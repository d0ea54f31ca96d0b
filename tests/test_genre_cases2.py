"""Genre rules for rules and mechanisms (issue 16, second round), each shown by a
look-alike fixture in tests/fixtures/genre_cases2 written in new wording: a passage
or a heading whose point names a rule or a mechanism (述职, 评议, 考评, 清单, 责任制)
belongs with 制度机制 even when its details are full of 党支部 and 党员, and a
numbered series follows the run-in lead sentence of the paragraph before it."""

import pytest
from mapped_fixtures import FIXTURES as FIXTURE_ROOT
from mapped_fixtures import assignment as _assignment
from mapped_fixtures import map_folder

from writer.config.outline import find_preset, load_outline
from writer.mapping.scoring import map_corpus_scalar, map_corpus_vectorised

FIXTURES = FIXTURE_ROOT / "genre_cases2"


@pytest.fixture(scope="module")
def mapped():
    return map_folder(FIXTURES)


@pytest.fixture(scope="module")
def corpus(mapped):
    return mapped[0]


def test_a_paragraph_whose_run_in_lead_names_a_mechanism_is_about_rules(mapped):
    assert _assignment(mapped, "立足“准”字抓述职").section == "zhidu"
    assert _assignment(mapped, "坚持“细”字抓评议").section == "zhidu"


@pytest.mark.parametrize("start", ["一是对象准", "二是事例准", "一是环节细", "二是反馈细"])
def test_numbered_points_after_a_run_in_lead_naming_a_mechanism_follow_it(mapped, start):
    # 二是事例准 speaks of 党员先锋岗 and 党支部 throughout; its point is what the 述职 reports
    a = _assignment(mapped, start)
    assert a.heading_section == "zhidu" and a.section == "zhidu"


def test_a_point_naming_a_mechanism_outweighs_the_organisation_words_of_its_details(mapped):
    a = _assignment(mapped, "推行“一议二查三考核”工作法")
    assert a.section == "zhidu" and any(t.startswith("要点:考核") for t in a.terms["zhidu"])


def test_a_lead_naming_study_keeps_a_responsibility_system_in_passing_with_study(mapped):
    a = _assignment(mapped, "夯实学习阵地")
    assert a.section == "sixiang" and not any(t.startswith("要点:") for t in a.terms["zhidu"])


@pytest.mark.parametrize("start", ["首先是定档次", "其次是晒进度"])
def test_points_under_a_heading_naming_a_mechanism_inherit_it_over_organisation_words(mapped, start):
    a = _assignment(mapped, start)
    assert a.heading_section == "zhidu" and a.section == "zhidu"


def test_the_opening_stays_unassigned_although_it_names_the_mechanism(mapped):
    assert _assignment(mapped, "近年来，某区人民检察院").section is None


def test_both_scoring_paths_agree_on_these_rules(corpus):
    outline = load_outline(find_preset("三个引领"))
    a, b = map_corpus_vectorised(corpus, outline), map_corpus_scalar(corpus, outline)
    for x, y in zip(a.assignments, b.assignments, strict=True):
        assert (x.passage_id, x.section, x.score, x.scores, x.reason, x.runner_up, x.heading_section) == (
            y.passage_id,
            y.section,
            y.score,
            y.scores,
            y.reason,
            y.runner_up,
            y.heading_section,
        )
        assert dict(x.terms) == dict(y.terms)


# ------------------------------------------------------------------ leads and lexicon
def test_a_run_in_lead_sentence_of_two_short_phrases_states_the_point(mapped):
    # "夯实组织基础，激发队伍活力。" is the passage's lead: 组织 names its topic
    a = _assignment(mapped, "夯实组织基础，激发队伍活力")
    assert a.section == "zuzhi" and any(t.startswith("要点:组织") for t in a.terms["zuzhi"])


def test_the_carrier_of_an_opening_yi_x_wei_zaiti_is_the_point(mapped):
    a = _assignment(mapped, "支部以主题党日为载体")
    assert a.section == "sixiang" and any("主题党日（要点）" in t for t in a.terms["sixiang"])


@pytest.mark.parametrize(("start", "term"), [("书记上讲台", "党课"), ("开展“书香检察”读书活动", "读书")])
def test_party_lectures_and_reading_are_study(mapped, start, term):
    a = _assignment(mapped, start)
    assert a.section == "sixiang" and any(t.startswith(term) for t in a.terms["sixiang"])


def test_party_work_and_procuratorial_work_fused_in_other_words_is_fusion(mapped):
    a = _assignment(mapped, "推动党建工作与检察业务深度融合")
    assert a.section == "zhidu" and any(t.startswith("党建业务融合") for t in a.terms["zhidu"])
