"""Each cleaning rule, on small inputs."""

import pytest

from writer.sources import cleaning
from writer.text.traced import Traced


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("坚持党建引领,推动业务发展;做到:学深悟透", "坚持党建引领，推动业务发展；做到：学深悟透"),
        ("模范机关建设(2025年第3场)", "模范机关建设（2025年第3场）"),
        ("如何提升素质?该院探索破题之策!", "如何提升素质？该院探索破题之策！"),
        ("共计1,000余人,占比3.5%", "共计1,000余人，占比3.5%"),  # thousands separator and decimal stay
        ("会议于10:30召开", "会议于10:30召开"),  # time stays
        ("详见https://www.example.com/a,b?x=1", "详见https://www.example.com/a,b?x=1"),  # URL stays
        ("Hello, world (test)", "Hello, world (test)"),  # Latin text stays
        ("“检察长+河长”(试行)", "“检察长+河长”（试行）"),
    ],
)
def test_fullwidth_punctuation_only_in_chinese_context(raw, clean):
    assert cleaning.fullwidth_punctuation(raw) == clean


def test_fullwidth_punctuation_keeps_length():
    s = "党建,业务(融合)?好!"
    assert len(cleaning.fullwidth_punctuation(s)) == len(s)


def test_fix_quotes_turns_backward_quotes_round():
    assert cleaning.fix_quotes("破解”两张皮“问题") == "破解“两张皮”问题"


def test_fix_quotes_ascii_quotes_alternate():
    assert cleaning.fix_quotes('落实"第一议题"制度和"三会一课"') == "落实“第一议题”制度和“三会一课”"


def test_fix_quotes_single_closer_after_double_opener():
    assert cleaning.fix_quotes("做到“两个维护’。") == "做到“两个维护”。"


@pytest.mark.parametrize(
    "line",
    [
        "本文内容由互联网用户自发贡献，该文观点仅代表作者本人。本站仅提供信息存储空间服务。",
        "如若转载，请注明出处：https://www.example.com/1.html",
        "版权所有：某某市人民检察院 ICP备12345678号",
        "原文链接：http://www.jcrb.com/a.html",
        "相关新闻",
        "联系我们",
        "在线咨询",
        "分享本页",
        "返回顶部",
        "当前位置：首页>>党建工作",
        "首页 > 新闻中心 > 正文",
        "阅读全部图文内容，请先登录",
        "全文共1910字，当前显示513字",
        "IMG_0932.JPG",
        "【资料图】",
        "上一篇 下一篇",
        "【打印】【关闭】",
        # every alternative of the patterns searched behind a quick character test
        "COPYRIGHT 2024 某某市人民检察院",
        "all rights reserved",
        "© 2024 某某市人民检察院",
        "（c）2024 某某市人民检察院",
        "(C) 2024",
        "版权声明：本站文章均为原创",
        "京icp证030173号",
        "京公网安备 11010502030143号",
        "粤网安备44030402001234号",
        "photo.png",
    ],
)
def test_boilerplate_lines_are_recognised(line):
    assert cleaning.boilerplate_reason(line)


@pytest.mark.parametrize(
    "line",
    [
        "相关部门联合开展专项行动，推动问题整改落实。",
        "首页式服务让群众少跑腿。",
        "党建领航 让政治建设嵌入业务肌理",
        "联系群众是党的优良传统，我院坚持开展“双报到”。",
    ],
)
def test_body_lines_are_not_boilerplate(line):
    assert cleaning.boilerplate_reason(line) is None


def test_inline_picture_marker_removed():
    t = cleaning.drop_inline_junk(Traced("【资料图】近年来，该院坚持……"))
    assert t.text == "近年来，该院坚持……"


@pytest.mark.parametrize(
    "line, kind",
    [
        ("来源：检察日报", "source"),
        ("文章来源: 正义网", "source"),
        ("本报记者 沈静芳", "byline"),
        ("通讯员 刘梦琪 徐旭", "byline"),
        ("责任编辑：王小明", "byline"),
        ("发布时间：2024-03-18 09:30", "date"),
        ("2023年5月12日", "date"),
        ("关 键 词：党建 业务 融合", "keywords"),
        ("关键词：模范机关", "keywords"),
        ("编者按 9月12日，研讨会在延安召开。", "editor_note"),
    ],
)
def test_metadata_lines_are_recognised(line, kind):
    assert cleaning.meta_kind(line) == kind


@pytest.mark.parametrize(
    "line", ["记者节当天，该院组织座谈。", "2023年以来，该院办理案件120件。", "来源广泛的线索汇集到平台。"]
)
def test_ordinary_sentences_are_not_metadata(line):
    assert cleaning.meta_kind(line) is None


def test_trailing_bracketed_author_is_split_off():
    assert cleaning.split_trailing_byline("……贡献检察力量。（兰桂萍）") == ("……贡献检察力量。", "兰桂萍")
    assert cleaning.split_trailing_byline("制定实施办法。（试行）") == ("制定实施办法。（试行）", None)
    assert cleaning.split_trailing_byline("今年获评先进（省级）") == ("今年获评先进（省级）", None)


@pytest.mark.parametrize(
    "text, found",
    [
        ("学习***总书记重要讲话", "***"),
        ("XX市检察院", "XX"),
        ("**县人民检察院", "**县"),
        ("某某某同志", "某某某"),
        ("检察??院", "??"),
    ],
)
def test_placeholders_are_found(text, found):
    assert [m.group(0) for m in cleaning.find_placeholders(text)] == [found]


def test_no_placeholder_in_clean_text():
    assert cleaning.find_placeholders("Excel表格和XXL码不是占位；2×3矩阵也不是。") == []


def test_clean_line_keeps_provenance():
    raw = "  坚持党建引领,推动 业务【资料图】发展。"
    t = cleaning.clean_line(Traced(raw, start=100))
    assert t.text == "坚持党建引领，推动 业务发展。"
    a, b = t.span(t.text.index("发展"), t.text.index("发展") + 2)
    assert raw[a - 100 : b - 100] == "发展"
