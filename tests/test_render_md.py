"""render_markdown: clean readable Markdown, sources in invisible comments, golden file.

Regenerate the golden with ``python -m tests.regen_golden`` (see tests/regen_golden.py).
"""

from __future__ import annotations

from tests.regen_golden import MARKDOWN_GOLDEN, fixture_document, fixture_markdown
from tests.report_fixture import S000, build_table_document, ref
from writer.model.document import PARAGRAPH, TITLE, Block, Document
from writer.render.markdown import render_markdown


def test_fixture_report_matches_the_golden_markdown():
    assert fixture_markdown() == MARKDOWN_GOLDEN.read_text(encoding="utf-8")


def test_markdown_has_title_plain_lines_and_numbered_section_headings():
    text = render_markdown(fixture_document())
    lines = text.splitlines()
    assert lines[0] == "# 发挥“三个引领”作用<br>以高质量党建促进检察高质量发展"
    assert lines[2] == "——北京市检察机关模范机关建设经验交流材料"
    assert lines[4] == "北京市人民检察院"
    assert "## 一、坚持发挥思想引领作用" in lines
    assert "### （一）党内监督融入权力运行" in lines


def test_every_paragraph_is_followed_by_its_sources_in_a_comment():
    doc = fixture_document()
    text = render_markdown(doc).replace("**", "")  # lead phrases are bold
    for block in doc.blocks:
        if block.kind != PARAGRAPH:
            continue
        position = text.index(block.text)
        comment_line = text[position:].split("\n", 2)[1]
        assert comment_line.startswith("<!-- 来源：") and comment_line.endswith(" -->")
        for r in block.refs:
            assert r.passage_id in comment_line and r.path in comment_line
    assert "下一步，我院将继续" in text and "<!-- 来源：无（请核实） -->" in text


def test_body_stays_clean_when_comments_are_hidden():
    import re

    text = render_markdown(fixture_document())
    visible = re.sub(r"<!--.*?-->", "", text)
    assert "seeds/" not in visible and "来源" not in visible


def test_markup_characters_in_source_text_are_escaped():
    doc = Document(
        title="t",
        blocks=(
            Block(TITLE, text="t"),
            Block(PARAGRAPH, text="1. 张***同志获评先进_个人", refs=(ref(S000, 2),)),
            Block(PARAGRAPH, text="# 不是标题", refs=(ref("a--b.txt", 1, unit=None),)),
        ),
    )
    text = render_markdown(doc)
    assert "\\1. 张\\*\\*\\*同志获评先进_个人" in text  # an underscore inside a word cannot emphasise
    assert "\\# 不是标题" in text
    comment = [line for line in text.splitlines() if line.startswith("<!--")][1]
    assert "--" not in comment[4:-3]  # an HTML comment may not contain "--"


def test_table_block_becomes_a_gfm_table_with_pipes_escaped():
    text = render_markdown(build_table_document())
    assert "| 项目 | 数量 | 说明 |\n| --- | --- | --- |\n| 典型案事例 | 24 | 融合典型事例评选 |" in text
    assert "| 单一场景模型 | 518 | 建用\\|在用 |" in text
    assert text.endswith(
        "<!-- 来源：seeds/000_6ef9b5ad5fd7aa5f.txt（北京市检察院） 第13行 [" + ref(S000, 13).passage_id + "] -->\n"
    )


def test_underscore_inside_a_file_name_is_not_escaped_but_one_that_could_emphasise_is():
    from writer.render.markdown import escape

    assert escape("000_6ef9.txt 第5行") == "000_6ef9.txt 第5行"
    assert escape("_强调_") == "\\_强调\\_"
    assert escape("屏蔽***处") == "屏蔽\\*\\*\\*处"
