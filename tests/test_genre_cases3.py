"""Genre rules from the third round of issue 16, each shown by a look-alike fixture in
tests/fixtures/genre_cases3 written in new wording: words said rather than done (an
interviewer's question, a speech of directives, a news lead) are not practice; a
heading that names another section's system (完善学习制度) keeps its points' rule words
with that section; 廉洁文化 is education; a paragraph's lead-in heads the points split
out of it; a title that opens with its unit is a title."""

import pytest
from mapped_fixtures import FIXTURES as FIXTURE_ROOT
from mapped_fixtures import assignment as _assignment
from mapped_fixtures import map_folder
from mapped_fixtures import passage as _passage

from writer.config.outline import find_preset, load_outline
from writer.mapping.scoring import map_corpus, map_corpus_scalar, map_corpus_vectorised
from writer.sources.ingest import ingest

FIXTURES = FIXTURE_ROOT / "genre_cases3"


@pytest.fixture(scope="module")
def mapped():
    return map_folder(FIXTURES)


@pytest.fixture(scope="module")
def corpus(mapped):
    return mapped[0]


def test_an_interviewers_question_is_not_practice_but_the_answer_is(mapped):
    question = _assignment(mapped, "记者：王检察长，您好")
    assert (question.section, question.reason) == (None, "讲话或提问")
    assert _assignment(mapped, "王立新：关键在于把支部建强").section == "zuzhi"


def test_a_speech_of_directives_in_a_news_copy_is_not_practice(mapped):
    speech = _assignment(mapped, "会上，检察长强调")
    assert (speech.section, speech.reason) == (None, "讲话或提问")
    assert speech.scores["zuzhi"] > 3.5  # full of 党支部 and 党员: the words alone would place it


def test_a_news_lead_is_the_opening(corpus, mapped):
    lead = _passage(corpus, "本报讯（通讯员李晓）")
    assert lead.kind == "opening"
    assert _assignment(mapped, "本报讯（通讯员李晓）").section is None


def test_a_title_that_opens_with_its_unit_is_a_title(corpus):
    titles = {a.title: a.unit for s in corpus.sources for a in s.articles}
    assert titles["宁远市检察院召开机关党建工作推进会"] == "宁远市检察院"
    assert titles["西城区检察院机关党建工作情况"] == "西城区检察院"


@pytest.mark.parametrize("start", ["一是修订规则", "二是严格考勤"])
def test_points_under_a_heading_naming_the_system_of_study_stay_with_study(mapped, start):
    # 修订规则, 考勤, 纳入年度考核: rule words, but the heading says whose rules they are
    assert _assignment(mapped, start).section == "sixiang"


@pytest.mark.parametrize("start", ["一是打造廉洁文化长廊", "二是开展廉政教育月活动"])
def test_clean_government_culture_and_education_are_education(mapped, start):
    assert _assignment(mapped, start).section == "sixiang"


def test_a_paragraphs_lead_in_heads_the_points_split_out_of_it(corpus, mapped):
    starts = ["一是坚持结对带教", "二是开展谈心交流"]
    in_file = [p for s in corpus.sources if s.path.endswith("引子统领.txt") for a in s.articles for p in a.passages]
    for start in starts:
        (p,) = [p for p in in_file if p.text.startswith(start)]
        assert not p.heading  # no heading of its own: only the lead-in says what it is about
        assert mapped[1].assignment(p.id).section == "zuzhi"


def test_a_lead_in_holding_the_first_point_does_not_head_the_rest(tmp_path):
    # "……提出三点要求：一是……" — the lead-in is itself a point (of a speech), not a heading
    text = (
        "某县检察院召开理论学习中心组学习会\n"
        "检察长就贯彻落实学习内容提出三点要求：一是深入学习党的创新理论，推动学深悟透、入脑入心，筑牢政治忠诚。"
        "二是紧扣司法办案，提升法律监督质效，自觉强化检察权的监督属性，推动执法司法制约监督体系建设。"
        "三是坚持人民至上，把以人民为中心贯彻履职始终，推动各项检察工作全面协调充分发展。\n"
    )
    f = tmp_path / "a.txt"
    f.write_text(text, encoding="utf-8")
    corpus = ingest([f])
    mapping = map_corpus(corpus, load_outline(find_preset("三个引领")))
    second = _passage(corpus, "二是紧扣司法办案")
    assert mapping.assignment(second.id).section != "sixiang"


def test_both_paths_agree_on_these_fixtures(corpus):
    outline = load_outline(find_preset("三个引领"))
    vec, ref = map_corpus_vectorised(corpus, outline), map_corpus_scalar(corpus, outline)
    assert [(a.section, a.reason, a.scores) for a in vec.assignments] == [
        (a.section, a.reason, a.scores) for a in ref.assignments
    ]


@pytest.mark.parametrize("start, section", [("守正创新，提升融的层次", "sixiang"), ("夯基固本，织密融的网络", "zuzhi")])
def test_a_short_line_with_nothing_of_its_own_goes_where_the_paragraph_it_heads_goes(mapped, start, section):
    got = _assignment(mapped, start)
    assert (got.section, got.reason) == (section, "随下文")


def test_an_argument_is_background(mapped):
    argument = _assignment(mapped, "党风廉政建设是党的建设的重要内容")
    assert (argument.section, argument.reason) == (None, "背景或意义")
    assert argument.scores["zhidu"] > 3.5  # its words alone would place it
    # "X是关键。" opening a paragraph of practice is its lead, not an argument
    assert _assignment(mapped, "强化责任落实是关键").section == "zhidu"


def test_organisational_leadership_is_not_the_party_organisation(mapped):
    # 加强/强化组织领导: a leading group and its duties, not 组织体系
    assert _assignment(mapped, "强化组织领导，压实工作责任").section == "zhidu"


def test_a_news_lead_opening_on_a_quote_is_the_opening(corpus, mapped):
    assert _passage(corpus, "本报讯 “师徒结对").kind == "opening"
    assert _assignment(mapped, "据悉，该院实行导师制").section == "zuzhi"


def test_a_line_of_editor_source_and_date_is_metadata(corpus):
    (article,) = [a for s in corpus.sources if s.path.endswith("工作要点.txt") for a in s.articles]
    assert [m.text for m in article.meta if m.kind == "byline"] == ["编辑：刘明 来源：县检察院 发布时间：2026-01-08"]
    assert [h.text for h in article.headings][:1] == ["总体思路"]


def test_a_short_paragraph_announcing_points_heads_them_and_goes_with_them(mapped):
    intro = _assignment(mapped, "在学习教育环节，注重做好三个结合")
    assert (intro.section, intro.reason) == ("sixiang", "随下文")
    first = _assignment(mapped, "一是集中学习与分散自学结合")
    assert (first.section, first.reason) == ("sixiang", "随标题")
