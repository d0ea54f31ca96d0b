"""layout_report: the order of the draft, the wording from templates, sources on every paragraph."""

from __future__ import annotations

import dataclasses

from tests.report_fixture import S000, build_report, ref
from writer.model.document import HEADING, MEETING, PARAGRAPH, SUBTITLE, TITLE, UNIT
from writer.model.report import Item, Report, Section
from writer.render.layout import layout_report, subtitle_text
from writer.render.templates import load_templates


def _layout(report, folder=None):
    return layout_report(report, load_templates(folder))


def test_draft_opens_with_title_subtitle_unit_meeting_and_lead_then_sections_and_closing():
    doc = _layout(build_report())
    kinds = [b.kind for b in doc.blocks]
    assert kinds[:6] == [TITLE, SUBTITLE, UNIT, MEETING, PARAGRAPH, HEADING]
    assert doc.blocks[-1].text.startswith("下一步，")
    assert doc.title == "发挥“三个引领”作用 以高质量党建促进检察高质量发展"
    headings = [b.text for b in doc.blocks if b.kind == HEADING]
    assert headings == ["一、坚持发挥思想引领作用", "二、坚持发挥组织体系引领作用", "三、坚持发挥制度机制引领作用"]
    assert all(b.level == 1 for b in doc.blocks if b.kind == HEADING)


def test_items_run_in_with_ordinals_restarting_per_section():
    doc = _layout(build_report())
    paragraphs = [b.text for b in doc.blocks if b.kind == PARAGRAPH][1:-1]
    starts = [p[:2] for p in paragraphs]
    assert starts == ["一是", "二是", "一是", "二是", "三是", "一是", "二是"]
    assert paragraphs[0].startswith("一是强化“思想要素”核心功能。增强党组会“第一议题”制度效能")


def test_lead_already_ending_in_a_full_stop_is_not_doubled_and_unit_is_attributed():
    doc = _layout(build_report())
    text = next(b.text for b in doc.blocks if "党员同育" in b.text)
    assert text.startswith("二是党员同育，一体锻造先锋队。搭建")
    assert "。。" not in text
    assert text.endswith("。（山东省菏泽市检察院）")


def test_every_paragraph_carries_the_refs_of_its_item_once():
    report = build_report()
    doc = _layout(report)
    paragraphs = [b for b in doc.blocks if b.kind == PARAGRAPH]
    assert paragraphs[0].refs == report.lead.refs
    items = [item for section in report.sections for item in section.items]
    for block, item in zip(paragraphs[1:-1], items):
        assert block.refs == tuple(dict.fromkeys(item.refs))
    fused = next(b for b in paragraphs if "深度融合典型事例" in b.text)
    assert len(fused.refs) == 1  # the fixture lists the same passage twice
    assert paragraphs[-1].refs == ()  # the clerk's closing has no source


def test_nested_subsection_becomes_a_level_two_heading_after_the_items():
    doc = _layout(build_report(nested=True))
    index = next(i for i, b in enumerate(doc.blocks) if b.kind == HEADING and b.level == 2)
    assert doc.blocks[index].text == "（一）党内监督融入权力运行"
    assert doc.blocks[index - 1].text.startswith("二是推动检察党建与检察业务深度融合")
    # the subsection's only item takes no 一是 (a lone 一是 would be a numbering error)
    assert doc.blocks[index + 1].text.startswith("健全司法责任制制度规范体系。")
    assert doc.blocks[index + 1].refs[0].line_start == 14


def test_items_as_subheadings_when_layout_says_so(tmp_path):
    (tmp_path / "layout.yaml").write_text("items: headings\n", encoding="utf-8")
    doc = _layout(build_report(), tmp_path)
    first = next(i for i, b in enumerate(doc.blocks) if b.kind == HEADING and b.level == 2)
    assert doc.blocks[first].text == "（一）强化“思想要素”核心功能"
    body = doc.blocks[first + 1]
    assert body.kind == PARAGRAPH and body.text.startswith("增强党组会")
    assert body.refs and body.refs[0].line_start == 4
    attributed = next(b for b in doc.blocks if b.kind == HEADING and "党员同育" in b.text)
    assert attributed.text == "（二）党员同育，一体锻造先锋队"  # no full stop in a heading


def test_subtitle_gets_the_dash_prefix_once():
    assert subtitle_text("北京市检察院经验") == "——北京市检察院经验"
    assert subtitle_text("——北京市检察院经验") == "——北京市检察院经验"
    assert subtitle_text("—北京市检察院经验") == "——北京市检察院经验"
    assert subtitle_text("-- 北京市检察院经验") == "——北京市检察院经验"


def test_missing_subtitle_unit_meeting_lead_and_closing_are_left_out():
    report = dataclasses.replace(
        build_report(), subtitle=None, unit="  ", meeting=None, date=None, lead=None, closing=None
    )
    doc = _layout(report)
    assert [b.kind for b in doc.blocks[:2]] == [TITLE, HEADING]
    assert doc.blocks[-1].kind == PARAGRAPH and doc.blocks[-1].text.startswith("二是")


def test_eleventh_item_is_numbered_shi_yi():
    items = tuple(
        Item(lead=f"做法{n}", sentences=(f"第{n}项支撑句。",), unit=None, refs=(ref(S000, n),)) for n in range(1, 12)
    )
    report = Report(
        title="标题",
        subtitle=None,
        unit=None,
        lead=None,
        sections=(Section(id="s", title="问题与对策", items=items),),
        closing=None,
    )
    doc = _layout(report)
    assert doc.blocks[1].text == "一、问题与对策"  # a full title is used as it is
    assert doc.blocks[-1].text == "十一是做法11。第11项支撑句。"


def test_item_without_sentences_is_just_its_lead():
    item = Item(lead="强化政治引领", sentences=(), unit=None, refs=(ref(S000, 3),))
    report = Report(
        title="标题",
        subtitle=None,
        unit=None,
        lead=None,
        sections=(Section(id="s", title="思想引领", items=(item,)),),
        closing=None,
    )
    assert _layout(report).blocks[-1].text == "强化政治引领。"


def test_named_user_template_folder_gives_subheadings_and_plain_section_titles(fixtures_dir):
    doc = _layout(build_report(), fixtures_dir / "templates" / "subheadings")
    headings = [(b.level, b.text) for b in doc.blocks if b.kind == HEADING]
    assert headings[:3] == [
        (1, "一、思想引领"),
        (2, "（一）强化“思想要素”核心功能"),
        (2, "（二）强化“双一流”党建品牌牵引"),
    ]
    assert not any(b.text.startswith("一是") for b in doc.blocks)
