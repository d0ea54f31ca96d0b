"""The draft's front matter and marks for the editor: titles broken between clauses,
the meeting line, bold lead phrases (style.yaml ``lead_phrase``) and template text."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import zipfile

import pytest

from tests.report_fixture import build_report
from writer.cli.app import app
from writer.config.style import load_style
from writer.errors import ConfigError
from writer.model.document import MEETING, PARAGRAPH, TITLE, UNIT
from writer.model.report import Paragraph
from writer.render.docx import render_docx, sidecar
from writer.render.layout import layout_report, meeting_date, title_lines
from writer.render.markdown import render_markdown
from writer.render.templates import load_templates

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWO_CLAUSES = "发挥“三个引领”作用 以高质量党建促进检察高质量发展"


def _layout(report, style=None):
    return layout_report(report, load_templates(), style)


def _docx_paragraphs(data: bytes):
    import docx

    return docx.Document(io.BytesIO(data)).paragraphs


def _style_file(tmp_path, text: str):
    path = tmp_path / "style.yaml"
    path.write_text(text, encoding="utf-8")
    return load_style(path)


# ------------------------------------------------------------------ lead phrases


def test_item_lead_is_emphasised_up_to_its_full_stop():
    doc = _layout(build_report())
    first = next(b for b in doc.blocks if b.kind == PARAGRAPH and b.text.startswith("一是"))
    assert first.text[: first.emphasis] == "一是强化“思想要素”核心功能。"
    attributed = next(b for b in doc.blocks if "党员同育" in b.text)
    assert attributed.text[: attributed.emphasis] == "二是党员同育，一体锻造先锋队。"
    lead = next(b for b in doc.blocks if b.kind == PARAGRAPH)
    assert lead.emphasis == 0  # the opening paragraph has no lead phrase


def test_lead_phrase_is_a_bold_run_in_docx_and_bold_in_markdown():
    doc = _layout(build_report(), load_style())
    paragraph = next(p for p in _docx_paragraphs(render_docx(doc, load_style())) if p.text.startswith("一是"))
    runs = paragraph.runs
    assert runs[0].text == "一是强化“思想要素”核心功能。" and runs[0].bold is True
    assert runs[1].text.startswith("增强党组会") and not runs[1].bold
    assert paragraph.text == next(b.text for b in doc.blocks if b.text.startswith("一是"))
    md = render_markdown(doc)
    assert "\n**一是强化“思想要素”核心功能**。增强党组会" in md


def test_lead_phrase_none_leaves_items_plain(tmp_path):
    style = _style_file(tmp_path, "lead_phrase: none\n")
    doc = _layout(build_report(), style)
    assert all(b.emphasis == 0 for b in doc.blocks)
    paragraph = next(p for p in _docx_paragraphs(render_docx(doc, style)) if p.text.startswith("一是"))
    assert paragraph.runs[0].text == paragraph.text and not any(r.bold for r in paragraph.runs)
    assert "**" not in render_markdown(doc)


def test_lead_phrase_option_is_validated(tmp_path):
    with pytest.raises(ConfigError) as info:
        _style_file(tmp_path, "lead_phrase: italic\n")
    assert any("lead_phrase" in p and "bold" in p and "第1行" in p for p in info.value.problems)


def test_items_as_headings_have_no_emphasis(fixtures_dir):
    doc = layout_report(build_report(), load_templates(fixtures_dir / "templates" / "subheadings"))
    assert all(b.emphasis == 0 for b in doc.blocks)


# ------------------------------------------------------------------ template text


def _templated_report():
    report = build_report()
    return dataclasses.replace(
        report,
        lead=Paragraph("近年来，北京市人民检察院坚持以党建引领检察工作。", template=True),
        closing=Paragraph("下一步，北京市人民检察院将继续深化党建引领。", template=True),
    )


def test_template_text_gets_its_own_word_comment_and_markdown_comment():
    doc = _layout(_templated_report())
    data = render_docx(doc, load_style())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        comments = archive.read("word/comments.xml").decode("utf-8")
    assert comments.count("模板文字，请核改") == 2
    md = render_markdown(doc)
    # template paragraphs are worded by lead.j2/closing.j2 from the outline, then marked
    assert re.search(r"\n近年来，北京市人民检察院坚持[^\n]*\n<!-- 模板文字，请核改 -->", md)
    assert re.search(r"\n下一步，北京市人民检察院将继续[^\n]*\n<!-- 模板文字，请核改 -->", md)
    marked = [p for p in sidecar(doc)["paragraphs"] if p.get("template")]
    assert [p["text"][:3] for p in marked] == ["近年来", "下一步"]


# ------------------------------------------------------------------ titles


def test_title_breaks_at_the_space_between_its_clauses():
    assert title_lines(TWO_CLAUSES) == ["发挥“三个引领”作用", "以高质量党建促进检察高质量发展"]


def test_title_without_spaces_breaks_after_a_comma_or_before_a_clause_opener():
    assert title_lines("坚持党建引领，推动检察工作高质量发展再上新台阶") == [
        "坚持党建引领，",
        "推动检察工作高质量发展再上新台阶",
    ]
    lines = title_lines("深化“党建+检察”融合品牌建设以高质量党建引领检察工作现代化")
    assert lines == ["深化“党建+检察”融合品牌建设", "以高质量党建引领检察工作现代化"]


def test_title_never_breaks_inside_a_word_ending_in_yi():
    lines = title_lines("党建工作可以更好地服务保障检察机关法律监督工作高质量发展")
    assert not any(line.endswith("可") for line in lines)
    assert title_lines("“党建+”引领检察工作高质量发展的实践与思考研究报告") == [
        "“党建+”引领检察工作高质量发展的",
        "实践与思考研究报告",
    ]


def test_short_title_stays_one_line_and_quotes_are_never_split():
    assert title_lines("以党建促业务") == ["以党建促业务"]
    lines = title_lines("打造“以党建引领促进检察履职推动高质量发展”品牌")
    assert all(line.count("“") == line.count("”") for line in lines)


def test_explicit_line_break_in_the_outline_title_wins():
    report = dataclasses.replace(build_report(), title="发挥“三个引领”作用以高质量党建\n促进检察高质量发展")
    doc = _layout(report)
    assert doc.blocks[0].text == "发挥“三个引领”作用以高质量党建\n促进检察高质量发展"
    assert doc.title == "发挥“三个引领”作用以高质量党建 促进检察高质量发展"


def test_two_line_title_is_one_title_paragraph_with_a_line_break():
    doc = _layout(build_report())
    assert doc.blocks[0].kind == TITLE and doc.blocks[0].text == "发挥“三个引领”作用\n以高质量党建促进检察高质量发展"
    assert doc.title == TWO_CLAUSES
    paragraphs = _docx_paragraphs(render_docx(doc, load_style()))
    title = paragraphs[0]
    assert title.style.name == "Title"
    assert len(title._p.findall(f".//{W}br")) == 1
    assert title.text == "发挥“三个引领”作用\n以高质量党建促进检察高质量发展"
    assert render_markdown(doc).startswith("# 发挥“三个引领”作用<br>以高质量党建促进检察高质量发展\n")


# ------------------------------------------------------------------ meeting and date


def test_iso_date_is_written_out_and_other_dates_are_kept():
    assert meeting_date("2025-09-12") == "2025年9月12日"
    assert meeting_date("2025年9月") == "2025年9月"
    assert meeting_date(None) is None


@pytest.mark.parametrize(
    ("meeting", "date", "line"),
    [
        ("模范机关建设分享交流会", "2025-09-12", "（2025年9月12日在模范机关建设分享交流会上的发言）"),
        ("模范机关建设分享交流会", None, "（在模范机关建设分享交流会上的发言）"),
        (None, "2025-09-12", "（2025年9月12日）"),
    ],
)
def test_meeting_line_stands_under_the_unit_line(meeting, date, line):
    doc = _layout(dataclasses.replace(build_report(), meeting=meeting, date=date))
    kinds = [b.kind for b in doc.blocks]
    assert kinds.index(MEETING) == kinds.index(UNIT) + 1
    assert doc.blocks[kinds.index(MEETING)].text == line


def test_no_meeting_and_no_date_no_line():
    doc = _layout(dataclasses.replace(build_report(), meeting=None, date=None))
    assert MEETING not in [b.kind for b in doc.blocks]


def test_meeting_line_in_both_outputs_with_the_blank_line_after_it():
    doc = _layout(dataclasses.replace(build_report(), meeting="模范机关建设分享交流会", date="2025-09-12"))
    line = "（2025年9月12日在模范机关建设分享交流会上的发言）"
    paragraphs = _docx_paragraphs(render_docx(doc, load_style()))
    unit = next(p for p in paragraphs if p.text == "北京市人民检察院")
    meeting = next(p for p in paragraphs if p.text == line)
    assert meeting.style.name == "Meeting Line"
    assert unit.paragraph_format.space_after == 0  # the blank line moves under the meeting line
    assert meeting.style.paragraph_format.space_after > 0
    assert "\n\n北京市人民检察院\n\n" + line + "\n\n" in render_markdown(doc)


def test_draft_with_meeting_and_two_line_title_passes_check(runner, tmp_path, seeds_dir):
    outline = tmp_path / "outline.yaml"
    outline.write_text(
        "preset: 三个引领\n"
        f"title: {TWO_CLAUSES}\n"
        "unit: 北京市人民检察院\n"
        "meeting: 模范机关建设分享交流会\n"
        "date: 2025-09-12\n"
        "sources:\n"
        f"  - {seeds_dir / '000_6ef9b5ad5fd7aa5f.txt'}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["draft", "--outline", str(outline), "--out", str(out)])
    assert result.exit_code == 0, result.output
    md = (out / f"{TWO_CLAUSES}.md").read_text(encoding="utf-8")
    assert "（2025年9月12日在模范机关建设分享交流会上的发言）" in md
    assert "**一是" in md
    for name in (f"{TWO_CLAUSES}.docx", f"{TWO_CLAUSES}.md"):
        checked = runner.invoke(app, ["check", str(out / name), "--json", "--sources", str(seeds_dir)])
        assert checked.exit_code == 0, checked.output
        findings = json.loads(checked.stdout)["findings"]
        assert [f for f in findings if f["severity"] == "error"] == [], findings
