"""Highlights sheet: quoted practice names and key figures, each with unit and source."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from writer.compose.highlights import (
    FIGURE_HEADER,
    PRACTICE_HEADER,
    article_unit,
    build_highlights,
    find_key_figures,
    find_practice_names,
    highlights_blocks,
)
from writer.model.document import HEADING, TABLE
from writer.sources.ingest import ingest
from writer.text.figures import normalise_width


def names(text: str) -> list[str]:
    return [q.name for q in find_practice_names(text)]


@pytest.fixture(scope="module")
def seeds_corpus():
    from tests.conftest import SEEDS

    return ingest([SEEDS])


@pytest.fixture(scope="module")
def seeds_highlights(seeds_corpus):
    return build_highlights(seeds_corpus)


@pytest.fixture(scope="module")
def fixture_corpus():
    from tests.conftest import FIXTURES

    return ingest([FIXTURES / "digest"])


# ------------------------------------------------------------------ names in small texts


def test_mechanism_noun_after_the_quote_is_kept_with_the_name():
    assert names("探索党建一体化“四同”机制，成效明显。") == ["“四同”机制"]
    assert names("搭建“政治+业务”双学双训平台“星光课堂”。") == ["“政治+业务”双学双训平台", "“星光课堂”"]


def test_codes_and_names_ending_in_a_mechanism_noun_count_without_a_following_noun():
    assert names("连续5年开展“1带N”提素能。") == ["“1带N”"]
    assert names("建立“下题上答、上题下答”的“三答清单”。") == ["“三答清单”"]


def test_brand_with_a_space_is_kept_as_written():
    assert names("持续深化“土乡丹心 检如磐石”党建品牌发展。") == ["“土乡丹心 检如磐石”党建品牌"]


def test_speech_slogans_generic_words_and_nationwide_formulations_are_left_out():
    text = (
        "“不同条线需求不同。”导师说。坚持“第一议题”制度，破解“两张皮”问题，"
        "确保“三个效果”有机统一，发挥“金钥匙”作用，以“团结在党旗下、温暖在服务里”为目标，"
        "获评“全国先进基层党组织”，把握“国之大者”。"
    )
    assert names(text) == []


def test_quoted_names_sharing_one_noun_are_one_practice():
    assert names("建立“督事”“督人”双督查工作机制。") == ["“督事”“督人”双督查工作机制"]


def test_with_for_as_target_the_quoted_name_alone_is_the_project():
    assert names("该院以“系统党建联建联创”为创新项目。") == ["“系统党建联建联创”"]


# ------------------------------------------------------------------ figures in small texts


def test_percentages_counts_and_amounts_are_key_figures_but_dates_ordinals_and_durations_are_not():
    text = "2023年第3场会议上，该院连续3年办理案件82项，占比64.6%，吸纳2.9万余人，挽回损失1.6亿元，“1+1>2”。"
    found = [(t, kind) for t, kind, *_ in find_key_figures(text)]
    assert found == [("82项", "数量"), ("64.6%", "百分比"), ("2.9万余人", "数量"), ("1.6亿元", "金额")]


# ------------------------------------------------------------------ seeds


@pytest.mark.parametrize(
    "core, unit",
    [
        ("四同", "山东省菏泽市检察院"),
        ("1带N", "内蒙古自治区包头市检察院"),
        ("3315", "山东省济南市济阳区检察院"),
        ("三答清单", "上海市检察院"),
        ("1416", "互助县人民检察院"),
        ("土乡丹心检如磐石", "互助县人民检察院"),
        ("支部建在办案组", "互助县人民检察院"),
    ],
)
def test_seed_practice_names_are_listed_with_their_unit(seeds_highlights, core, unit):
    found = [p for p in seeds_highlights.practices if re.sub(r"\s", "", p.core) == core]
    assert found, core
    assert found[0].unit == unit


@pytest.mark.parametrize(
    "figure, unit",
    [
        ("64.6%", "北京市检察院"),
        ("82项", "上海市检察院"),
        ("2.9万余人", "江苏省昆山市检察院第四党支部"),
        ("201个", "山东省菏泽市检察院"),
        ("98%", "江苏省昆山市检察院第四党支部"),
        ("20%", "互助县人民检察院"),
    ],
)
def test_seed_percentages_and_counts_are_listed_with_their_unit(seeds_highlights, figure, unit):
    assert any(f.text == figure and f.unit == unit for f in seeds_highlights.figures), figure


def test_every_row_occurs_in_the_passage_it_cites_and_in_the_source_file(seeds_corpus, seeds_highlights):
    raw = {
        s.path: normalise_width(re.sub(r"\s", "", Path(s.path).read_text(encoding="utf-8")))
        for s in seeds_corpus.sources
    }
    for p in seeds_highlights.practices:
        _, article, passage = seeds_corpus.find_passage(p.ref.passage_id)
        assert p.name in passage.text, p.name
        assert article_unit(article) == p.unit
        assert normalise_width(re.sub(r"\s", "", p.core)) in raw[p.ref.path], p.core
    for f in seeds_highlights.figures:
        _, article, passage = seeds_corpus.find_passage(f.ref.passage_id)
        assert f.text in passage.text and f.context in passage.text, f
        assert f.text in f.context
        assert article_unit(article) == f.unit
        assert normalise_width(f.text) in raw[f.ref.path], f.text


def test_figures_and_names_are_deduplicated_per_unit(seeds_highlights):
    keys = [(f.text, f.context, f.unit) for f in seeds_highlights.figures]
    assert len(keys) == len(set(keys))
    practice_keys = [(re.sub(r"\s", "", p.core), p.unit) for p in seeds_highlights.practices]
    assert len(practice_keys) == len(set(practice_keys))


def test_no_date_or_ordinal_figures(seeds_highlights):
    for f in seeds_highlights.figures:
        assert not f.text.endswith(("年", "月", "日")) and not f.text.startswith("第"), f.text


def test_own_fixture_lists_its_brands_and_figures(fixture_corpus):
    h = build_highlights(fixture_corpus)
    listed = {p.name for p in h.practices}
    assert {"“红色阵地”党建品牌", "“三张清单”", "“2345”工作思路", "“之江检察”品牌"} <= listed
    assert "“第一议题”制度" not in listed  # a nationwide formulation, not the unit's own
    figures = {(f.text, f.unit) for f in h.figures}
    assert ("97.5%", "浙江省宁波市鄞州区检察院") in figures
    assert ("98.6%", "浙江省检察院第三检察部党支部") in figures
    assert ("1.6亿元", "浙江省宁波市鄞州区检察院") in figures


# ------------------------------------------------------------------ blocks


def test_highlights_blocks_are_two_headed_tables_with_sources(fixture_corpus):
    h = build_highlights(fixture_corpus)
    blocks = highlights_blocks(h)
    assert [b.kind for b in blocks] == [HEADING, TABLE, HEADING, TABLE]
    practices, figures = blocks[1], blocks[3]
    assert practices.rows[0] == PRACTICE_HEADER and len(practices.rows) == len(h.practices) + 1
    assert figures.rows[0] == FIGURE_HEADER and len(figures.rows) == len(h.figures) + 1
    assert practices.refs and figures.refs
    assert all(row[-1].endswith("行") and not row[-1].startswith("/") for row in figures.rows[1:])


def test_empty_highlights_make_no_blocks():
    from writer.compose.highlights import Highlights

    assert highlights_blocks(Highlights((), ())) == []


def test_highlights_tables_render_in_docx_and_markdown(fixture_corpus):
    import docx

    from writer.config.style import load_style
    from writer.model.document import Document
    from writer.render.docx import render_docx
    from writer.render.markdown import render_markdown

    doc = Document("亮点", tuple(highlights_blocks(build_highlights(fixture_corpus))))
    document = docx.Document(io.BytesIO(render_docx(doc, load_style())))
    assert len(document.tables) == 2
    assert document.tables[1].cell(0, 1).text == "数字"
    md = render_markdown(doc)
    assert "| 序号 | 做法或品牌 | 单位 | 出处 |" in md and "97.5%" in md


# ------------------------------------------------------------------ one row per practice


def _corpus(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return ingest([tmp_path])


def test_seed_000_lists_each_practice_once_and_no_fragment(seeds_corpus):
    beijing = {a.id for s, a in seeds_corpus.articles() if Path(s.path).name.startswith("000_")}
    h = build_highlights(seeds_corpus, articles=beijing)
    assert [p.name for p in h.practices] == [
        "“双一流”党建品牌",  # also written “争创检察‘双一流’”党建品牌: one practice
        "“一支部一品牌”活动",
        "“民心‘首’护人”品牌",
        "“忠诚履职铸检魂，挺膺担当砺青春”团青工作品牌",
        "“1+N”制度",
        "“高技术、高效能、高质量”内部监督模型",
    ]  # not “四强” (a bare two-character word) nor “9.3”活动 (a date)


def test_forms_of_one_name_merge_into_one_row_with_every_unit_and_source(tmp_path):
    corpus = _corpus(
        tmp_path,
        {
            "a.txt": "互助县人民检察院\n\n该院推行“党建+公益诉讼”模式，打造“检察铁军”品牌。\n",
            "b.txt": "藤县人民检察院\n\n该院深耕“党建+公益诉讼”，争创“检察铁军”品牌。\n",
        },
    )
    h = build_highlights(corpus)
    assert [(p.name, p.units) for p in h.practices] == [
        ("“党建+公益诉讼”模式", ("互助县人民检察院", "藤县人民检察院")),
        ("“检察铁军”品牌", ("互助县人民检察院", "藤县人民检察院")),
    ]
    rows = highlights_blocks(h, root=str(tmp_path))[1].rows
    assert rows[1] == ("1", "“党建+公益诉讼”模式", "互助县人民检察院、藤县人民检察院", "a.txt 第3行；b.txt 第3行")


def test_names_with_different_head_words_stay_apart_and_fragments_are_dropped():
    found = names("设立“党员示范岗”和“党员先锋岗”，争创“四强”支部，开展“9.3”活动，落实“四个工程”。")
    assert found == ["“党员示范岗”", "“党员先锋岗”"]


def test_practice_key_ignores_quote_marks_prefixes_and_kind_words():
    from writer.compose.highlights import practice_key

    assert practice_key("争创检察‘双一流’") == "检察双一流"
    assert practice_key("党建+公益诉讼模式") == practice_key("党建+公益诉讼") == "党建+公益诉讼"
    assert practice_key("党员示范岗") != practice_key("党员先锋岗")


# ------------------------------------------------------------------ figures: unit and clause


def test_a_figure_keeps_its_full_unit_of_measure():
    text = "开展宣讲活动9场次，覆盖群众5万余人次，办理案件150余件，同比提高3.5个百分点。"
    assert [t for t, *_ in find_key_figures(text)] == ["9场次", "5万余人次", "150余件", "3.5个百分点"]


def test_a_figure_clause_is_never_cut_inside_a_clause():
    from writer.compose.highlights import clause_around

    text = (
        "办理各类信访案件280余件100%实现7日内程序性回复和3个月内办理进展答复要求制发社会治理类检察建议32份，成效明显。"
    )
    start = text.index("32份")
    clause = clause_around(text, start, start + 3)
    assert clause == text[: text.index("，")]


# ------------------------------------------------------------------ size


def test_a_long_table_shows_its_cap_keeps_every_unit_and_leaves_the_rest_to_the_sidecar(seeds_highlights):
    blocks = highlights_blocks(seeds_highlights, cap=10)
    heading, table = blocks[0], blocks[1]
    assert "节选" in heading.text
    assert len(table.rows) == 11 and len(table.overflow) == len(seeds_highlights.practices) - 10
    assert len({r[2] for r in table.rows[1:]}) == 10  # ten units, each with its first practice
    assert [r[0] for r in table.rows[1:]] == [str(i) for i in range(1, 11)]
