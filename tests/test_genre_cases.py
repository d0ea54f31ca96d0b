"""Genre rules found on real third-party texts (issue 16), each shown by a small
look-alike fixture in tests/fixtures/genre_cases written in new wording: how
openings, introductions, closings and broken headings are recognised, and which
evidence places a practice in a section of the default "三个引领" outline."""

import pytest
from mapped_fixtures import FIXTURES as FIXTURE_ROOT
from mapped_fixtures import map_folder
from mapped_fixtures import passage as _passage

from writer.model.corpus import CLOSING, OPENING

FIXTURES = FIXTURE_ROOT / "genre_cases"


@pytest.fixture(scope="module")
def mapped():
    return map_folder(FIXTURES)


def _section(mapped, start):
    corpus, mapping = mapped
    return mapping.assignment(_passage(corpus, start).id).section


# ------------------------------------------------------------------ structure
def test_a_heading_broken_across_two_lines_is_one_heading_not_a_passage(mapped):
    corpus, _ = mapped
    texts = [p.text for _, _, p in corpus.iter_passages()]
    assert "实处" not in texts and not any(t.startswith("主阵地") for t in texts)
    assert _passage(corpus, "院党组制定党建工作责任清单，压实一岗双责").heading == (
        "坚持把制度挺在前面，让党建责任落到实处",
    )
    assert _passage(corpus, "院党组把党支部建在办案团队上").heading == (
        "坚持把支部建在办案一线，让党旗在检察履职主阵地高高飘扬",
    )


def test_an_unnumbered_heading_is_rejoined_with_a_tail_too_short_to_stand_alone(mapped):
    corpus, _ = mapped
    assert not any(p.text == "主战场" for _, _, p in corpus.iter_passages())
    assert _passage(corpus, "院机关党委在重大案件办理中成立临时党支部").heading == ("党建领航 让党旗在办案一线主战场",)


def test_an_opening_under_the_first_heading_of_a_case_write_up_is_the_opening(mapped):
    corpus, mapping = mapped
    p = _passage(corpus, "近年来，某县人民检察院党组坚持把政治建设摆在首位")
    assert p.kind == OPENING and mapping.assignment(p.id).section is None


def test_a_paragraph_announcing_what_follows_introduces_the_article(mapped):
    corpus, mapping = mapped
    p = _passage(corpus, "某市人民检察院机关党委深入开展“读书润检”活动")
    assert p.kind == OPENING and mapping.assignment(p.id).section is None


def test_a_closing_may_open_with_one_summarising_sentence(mapped):
    corpus, mapping = mapped
    p = _passage(corpus, "党建工作只有起点没有终点。下一步")
    assert p.kind == CLOSING and mapping.assignment(p.id).section is None


# ------------------------------------------------------------------ mapping
def test_the_current_state_part_of_a_research_report_holds_practices(mapped):
    assert _section(mapped, "基层检察院普遍重视思想教育工作") == "sixiang"
    assert _section(mapped, "在制度建设方面，基层检察院制定了") == "zhidu"
    assert _section(mapped, "各院注重强化内部监督和外部监督") == "zhidu"
    corpus, mapping = mapped  # problems stay problems
    assert mapping.assignment(_passage(corpus, "部分基层检察院学习教育形式单一").id).reason == "问题陈述"


def test_an_opening_in_x_fangmian_names_the_paragraphs_topic(mapped):
    corpus, mapping = mapped
    a = mapping.assignment(_passage(corpus, "在组织建设方面，各院把党支部建在办案团队上").id)
    assert a.section == "zuzhi"  # though it also speaks of 学习教育 and 理论学习
    assert any(t.startswith("要点:组织") for t in a.terms["zuzhi"])


def test_a_sub_point_whose_lead_names_another_sections_core_follows_its_lead(mapped):
    corpus, mapping = mapped
    a = mapping.assignment(_passage(corpus, "一是坚持以“思想要素”凝心铸魂").id)
    assert a.heading_section == "zuzhi" and a.section == "sixiang"
    assert _section(mapped, "二是坚持以支部建设强基固本") == "zuzhi"


def test_a_mechanism_counts_for_the_section_of_what_it_is_about(mapped):
    corpus, mapping = mapped
    learning = mapping.assignment(_passage(corpus, "一是建立党建与业务“融学习”机制").id)
    assert learning.section == "sixiang"
    assert any(t.startswith("机制：") for t in learning.terms["sixiang"])
    assert not any(t.startswith("机制：") for t in learning.terms["zhidu"])
    assert _section(mapped, "二是推行“融培训”模式") == "sixiang"  # 模式 is a mechanism word too
    assert _section(mapped, "三是建立“支部联审”机制") == "zuzhi"
    assert _section(mapped, "四是完善党建工作考核办法") == "zhidu"  # rule words keep it with the rules


def test_a_mechanism_named_as_the_setting_is_not_one_the_passage_sets_up(mapped):
    corpus, mapping = mapped
    a = mapping.assignment(_passage(corpus, "在“1+4”党建工作机制引领下").id)
    assert a.section == "zuzhi" and a.heading_section == "zuzhi"
    assert not any(t.startswith("机制：") for t in a.terms["zhidu"])


@pytest.mark.parametrize(
    "start",
    [
        "该院坚持“谈话”制度",
        "对苗头性、倾向性问题，由分管院领导及时进行提示谈话",
        "新任职干部一律进行廉政谈话",
        "该院检务督察部门",
    ],
)
def test_talks_with_cadres_and_inspection_of_the_procuratorates_own_staff_are_rules(mapped, start):
    corpus, mapping = mapped
    a = mapping.assignment(_passage(corpus, start).id)
    assert a.heading_section == "sixiang"  # under a heading about 作风
    assert a.section == "zhidu"


@pytest.mark.parametrize("start", ["规范小组日常管理", "扎实推进“规定动作”", "以拍摄微电影、微视频为载体"])
def test_a_one_sentence_point_says_what_its_decisive_heading_says(mapped, start):
    corpus, mapping = mapped
    a = mapping.assignment(_passage(corpus, start).id)
    assert a.heading_section == "sixiang" and a.section == "sixiang"


def test_a_numbered_sub_point_without_a_lexicon_term_inherits_its_heading(mapped):
    corpus, mapping = mapped
    a = mapping.assignment(_passage(corpus, "一是推行“周例会”做法").id)
    assert a.terms["zuzhi"] and all(t.startswith("标题") for t in a.terms["zuzhi"])  # no term of its own
    assert a.section == "zuzhi"


def test_a_results_paragraph_without_a_term_still_inherits_nothing(mapped):
    corpus, mapping = mapped
    a = mapping.assignment(_passage(corpus, "今年，该院办理各类刑事案件320件").id)
    assert a.heading_section == "zuzhi" and a.section is None


def test_a_leaders_words_quoted_as_background_are_not_a_practice(mapped):
    corpus, mapping = mapped
    a = mapping.assignment(_passage(corpus, "习近平总书记在中央和国家机关党的建设工作会议上指出").id)
    assert a.section is None and a.reason == "背景或意义"
    # … unless the paragraph goes on to what the unit did
    assert _section(mapped, "习近平总书记强调，年轻干部要加强理论武装") == "sixiang"
