"""Articles, units, headings, passages and sentences: on the seeds and on fixtures
of our own that the rules were not tuned on."""

import re
from pathlib import Path

import pytest

from writer.sources import cleaning
from writer.sources.ingest import ingest
from writer.sources.structure import split_sentences

BOILERPLATE_WORDS = ["如若转载", "版权", "相关新闻", "联系我们", "返回顶部", "在线咨询", "分享本页", "本站", "资料图"]


@pytest.fixture(scope="module")
def seeds_corpus():
    return ingest([Path(__file__).resolve().parent.parent / "seeds"])


def _source(corpus, stem):
    return next(s for s in corpus.sources if stem in s.path)


def test_compilation_splits_into_its_articles_with_units(seeds_corpus):
    src = _source(seeds_corpus, "001_")
    units = [a.unit for a in src.articles]
    assert units == [
        "上海市检察院",
        "山东省菏泽市检察院",
        "江苏省昆山市检察院第四党支部",
        "福建省检察院民事检察部党支部",
        "广东省深圳市检察院金融和知识产权检察部党支部",
        "内蒙古自治区包头市检察院",
        "云南省昆明市五华区检察院",
    ]


def test_compilation_titles_including_the_one_at_the_very_end(seeds_corpus):
    src = _source(seeds_corpus, "001_")
    titles = [a.title for a in src.articles]
    assert titles[0] == "着力打造检察系统党建的“上海样本”"
    assert titles[5] == "“1带N”构建检察人才培养体系"
    assert src.articles[5].subtitle == "内蒙古包头：强基培元淬炼过硬检察铁军"
    assert titles[6] == "善寻「种子案件」孵化精品案例"
    assert src.articles[6].meta_of("author") == ["党组书记、检察长 王辉"]


def test_compilation_preface_keeps_page_title_and_editors_note_out_of_articles(seeds_corpus):
    src = _source(seeds_corpus, "001_")
    kinds = {m.kind for m in src.meta}
    assert {"page_title", "editor_note"} <= kinds
    assert not any("编者按" in p.text for a in src.articles for p in a.passages)


def test_captions_and_bylines_are_metadata_not_body(seeds_corpus):
    src = _source(seeds_corpus, "001_")
    captions = [m.text for a in src.articles for m in a.meta if m.kind == "caption"]
    assert "检察机关党建理论研讨会现场。" in captions
    assert any(c.startswith("包头市检察院开展“业务研学沙龙”") for c in captions)
    bylines = [m.text for a in src.articles for m in a.meta if m.kind == "byline"]
    assert "本报记者 沈静芳" in bylines
    body = "".join(p.text for a in src.articles for p in a.passages)
    assert "研讨会现场。" not in body and "本报记者" not in body and "通讯员" not in body


def test_broken_paragraphs_are_rejoined(seeds_corpus):
    texts = [p.text for _, _, p in seeds_corpus.iter_passages()]
    assert any("开展文化润检联促" in t for t in texts)
    assert any("开展党建基础联学" in t for t in texts)
    assert any("37名导师、62名检察人员" in t for t in texts)  # caption stepped over
    assert any("练检察“内功”" in t for t in texts)


def test_no_passage_starts_in_the_middle_of_a_word(seeds_corpus):
    for _, _, p in seeds_corpus.iter_passages():
        assert not p.text.startswith(("展文化", "础联学", "成专项", "讨相结合", "功”", "的“新心向党”")), p.text[:20]


def test_single_article_seeds_have_title_and_unit(seeds_corpus):
    a0 = _source(seeds_corpus, "000_").articles
    assert len(a0) == 1
    assert a0[0].title == "发挥“三个引领”作用 以高质量党建促进检察高质量发展"
    assert a0[0].unit == "北京市检察院"
    assert a0[0].meta_of("meeting") == ["模范机关建设分享交流（2025年第3场）"]
    a2 = _source(seeds_corpus, "002_").articles
    assert len(a2) == 1 and a2[0].title.endswith("经验、问题与对策")
    a3 = _source(seeds_corpus, "003_").articles
    assert len(a3) == 1 and a3[0].title.startswith("打造“3315”党建工作模式")
    assert a3[0].unit == "山东省济南市济阳区检察院"
    assert a3[0].meta_of("source") == ["来源：检察日报"]
    a4 = _source(seeds_corpus, "004_").articles
    assert len(a4) == 1 and a4[0].title is None and a4[0].unit == "互助县人民检察院"
    assert a4[0].meta_of("byline") == ["兰桂萍"]


def test_heading_tree_and_subpoints_of_the_model_speech(seeds_corpus):
    art = _source(seeds_corpus, "000_").articles[0]
    h1 = [h for h in art.headings if h.level == 1]
    assert [h.number for h in h1] == ["一、", "二、", "三、"]
    subs = [p for p in art.passages if p.number]
    assert len(subs) == 9
    assert subs[0].lead == "强化“思想要素”核心功能"
    assert subs[3].heading[0].startswith("坚持发挥组织体系引领作用")
    assert art.passages[0].kind == "opening"


def test_research_report_heading_levels_and_abstract(seeds_corpus):
    art = _source(seeds_corpus, "002_").articles[0]
    levels = {(h.level, h.number) for h in art.headings}
    assert (1, "一、") in levels and (2, "（一）") in levels and (3, "1.") in levels
    assert art.passages[0].kind == "abstract"
    assert art.meta_of("keywords")
    # the website footer is gone and the truncated tail is flagged
    src = _source(seeds_corpus, "002_")
    assert any(n.code == "truncated" for n in src.notices)


def test_masked_names_are_flagged_with_their_line(seeds_corpus):
    src = _source(seeds_corpus, "002_")
    flagged = [n for n in src.notices if n.code == "placeholder"]
    assert flagged and all(n.line for n in flagged)
    masked_lines = {n.line for n in flagged}
    for a in src.articles:
        for p in a.passages:
            if "***" in p.text:
                assert masked_lines & set(range(p.location.line_start, p.location.line_end + 1))


def test_paired_headings_and_runin_leads_of_county_material(seeds_corpus):
    art = _source(seeds_corpus, "004_").articles[0]
    assert [h.text for h in art.headings] == [
        "党建领航 让政治建设嵌入业务肌理",
        "党员示范 让先锋力量激活业务效能",
        "服务大局 让检察履职紧扣中心脉搏",
        "创新机制 让融合发展有章可循",
    ]
    leads = [p.lead for p in art.passages if p.lead]
    assert "思想铸魂强根基" in leads and "组织建设强堡垒" in leads
    assert art.passages[-1].kind == "closing"


def test_parallel_lead_sentences_split_a_long_paragraph(seeds_corpus):
    art = _source(seeds_corpus, "003_").articles[0]
    leads = [p.lead for p in art.passages if p.lead]
    for expected in ["保障经济社会高质量发展", "压实主体责任，从严管党治检", "压实监督责任，突出监督重点"]:
        assert expected in leads
    shanghai = _source(seeds_corpus, "001_").articles[0]
    assert [p.lead for p in shanghai.passages if p.lead][:2] == ["实施“政治建设统领”工程", "实施“融合发展赋能”工程"]


def test_no_boilerplate_in_any_passage(seeds_corpus):
    for _, _, p in seeds_corpus.iter_passages():
        for w in BOILERPLATE_WORDS:
            assert w not in p.text, (w, p.text[:30])


def test_no_half_width_punctuation_left_in_chinese_text(seeds_corpus):
    for _, _, p in seeds_corpus.iter_passages():
        assert not re.search(r"[\u4e00-\u9fff][,;:?!()]|[,;:?!()][\u4e00-\u9fff]", p.text), p.text[:40]


def test_passage_locations_point_at_their_text(seeds_corpus):
    for src in seeds_corpus.sources:
        raw = Path(src.path).read_text(encoding="utf-8")
        lines = raw.split("\n")
        for a in src.articles:
            for p in a.passages:
                loc = p.location
                chunk = raw[loc.char_start : loc.char_end]
                # the source span starts with the passage's first characters (punctuation width aside)
                assert cleaning.fullwidth_punctuation(chunk)[:6] == p.text[:6], (src.path, p.text[:10], chunk[:10])
                assert p.text[:4] in cleaning.fullwidth_punctuation(lines[loc.line_start - 1])


def test_ids_are_stable_and_unique():
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    a = [p.id for p in ingest([seeds]).passages()]
    b = [p.id for p in ingest([seeds]).passages()]
    assert a == b and len(set(a)) == len(a)


def test_sentences_split_at_final_punctuation_and_keep_closing_quotes():
    assert split_sentences("他说：“好。”我们走吧！真的吗？是的…") == ["他说：“好。”", "我们走吧！", "真的吗？", "是的…"]


# ------------------------------------------------------------ own fixtures
FIX = Path(__file__).resolve().parent / "fixtures" / "structure"


def test_own_compilation_articles_units_captions_and_end_title():
    src = ingest([FIX / "compilation.txt"]).sources[0]
    assert [m.text for m in src.meta if m.kind == "page_title"] == ["基层党建经验选登"]
    assert [a.unit for a in src.articles] == [
        "浙江省宁波市鄞州区人民检察院",
        "四川省成都市检察院第二检察部党支部",
        "湖南省长沙市岳麓区检察院",
    ]
    assert [a.title for a in src.articles] == [
        "“红色引擎”驱动办案提质增效",
        "以“三联三促”深化党建业务融合",
        "抓实“三个一” 锻造过硬队伍",
    ]
    first = src.articles[0]
    assert "主题党日活动现场。" in first.meta_of("caption")
    assert any("形成闭环管理。今年以来" in p.text for p in first.passages)
    assert [p.lead for p in first.passages if p.lead] == ["筑牢思想根基", "夯实组织基础", "健全制度保障"]
    third = src.articles[2]
    assert [p.number for p in third.passages if p.number] == ["一是", "二是", "三是"]


def test_own_web_copy_loses_navigation_paywall_and_footer():
    src = ingest([FIX / "webcopy.txt"]).sources[0]
    art = src.articles[0]
    assert art.title == "“一线工作法”激活基层党建"
    text = "".join(p.text for p in art.passages)
    for junk in ["当前位置", "IMG_", "阅读全部", "全文共", "相关新闻", "分享到", "返回顶部", "版权所有", "资料图"]:
        assert junk not in text
    assert art.meta_of("date")
    assert "86.5%" in text


def test_own_hard_wrapped_text_is_rejoined():
    src = ingest([FIX / "hardwrap.txt"]).sources[0]
    art = src.articles[0]
    assert art.title == "支部建设强基固本"
    assert len(art.passages) == 2
    assert "推动党支部标准化规范化建设" in art.passages[0].text
    assert "每月督查一次，年底考评一次" in art.passages[0].text
    assert art.passages[1].kind == "closing"


@pytest.mark.parametrize("seed", ["001_8767bba7c2b90ac2.txt", "004_a6d7a54a70ca9500.txt"])
def test_gbk_and_docx_copies_yield_the_same_passages(tmp_path, seed):
    from docx import Document

    original = Path(__file__).resolve().parent.parent / "seeds" / seed
    text = original.read_text(encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(text.encode("gb18030"))
    doc = Document()
    for line in text.split("\n"):
        doc.add_paragraph(line)
    doc.save(str(tmp_path / "copy.docx"))
    want = [(p.id, p.kind, p.lead, p.heading) for p in ingest([original]).passages()]
    for name in ("gbk.txt", "copy.docx"):
        src = ingest([tmp_path / name]).sources[0]
        got = [(p.id, p.kind, p.lead, p.heading) for a in src.articles for p in a.passages]
        assert got == want, name
        assert [a.unit for a in src.articles] == [a.unit for a in ingest([original]).sources[0].articles]


def test_nasty_inputs_do_not_crash_and_give_sensible_structure(tmp_path):
    (tmp_path / "punct.txt").write_text("一、\n（一）\n1.\n。。。\n“\n”\n", encoding="utf-8")
    (tmp_path / "latin.txt").write_text("Hello world. This is English only.\n\n\n", encoding="utf-8")
    (tmp_path / "long.txt").write_text("党建" * 20000 + "\n", encoding="utf-8")
    (tmp_path / "heads.md").write_text("# 标题\n\n## 一、思想引领\n\n一是学习。二是研讨。\n", encoding="utf-8")
    (tmp_path / "crlf.txt").write_bytes("\ufeff\r\n\r\n近年来，我院坚持党建引领。\r\n\r\n".encode("utf-8"))
    corpus = ingest([tmp_path])
    by_name = {Path(s.path).name: s for s in corpus.sources}
    assert not by_name["punct.txt"].articles or all(
        re.search(r"\w", p.text) for a in by_name["punct.txt"].articles for p in a.passages
    )
    assert not any(n.code == "truncated" for n in by_name["latin.txt"].notices)
    heads = by_name["heads.md"].articles[0]
    assert heads.title == "标题"
    assert heads.passages[0].heading == ("思想引领",)
    assert by_name["crlf.txt"].articles[0].passages[0].text == "近年来，我院坚持党建引领。"
