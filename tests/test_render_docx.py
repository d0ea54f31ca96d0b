"""render_docx: the house style read back from the XML, comments, footers, goldens, a real office suite.

Goldens are compared by normalised XML parts, not zip bytes; regenerate them with
``python -m tests.regen_golden`` (see tests/regen_golden.py).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import soffice_convert
from tests.regen_golden import DOCX_PARTS, docx_parts, fixture_document, fixture_docx, golden_name
from tests.report_fixture import build_table_document
from writer.config.style import load_style
from writer.errors import ConfigError, InputError
from writer.model.document import PARAGRAPH
from writer.render.docx import render_docx, sidecar

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def _parts(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: etree.fromstring(archive.read(n)) for n in archive.namelist() if n.endswith((".xml", ".rels"))}


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return fixture_docx()


@pytest.fixture(scope="module")
def parts(docx_bytes) -> dict:
    return _parts(docx_bytes)


def _style(parts, style_id):
    found = parts["word/styles.xml"].xpath(f"w:style[@w:styleId='{style_id}']", namespaces=NS)
    assert found, style_id
    return found[0]


def _val(element, path):
    found = element.xpath(path, namespaces=NS)
    return found[0] if found else None


# ------------------------------------------------------------------ goldens


@pytest.mark.parametrize("part", DOCX_PARTS)
def test_docx_part_matches_its_golden(docx_bytes, part):
    assert docx_parts(docx_bytes)[part] == golden_name(part).read_text(encoding="utf-8")


def test_two_runs_differ_only_in_comment_dates():
    first, second = docx_parts(fixture_docx()), docx_parts(fixture_docx())
    assert first == second


# ------------------------------------------------------------------ page


def test_page_is_a4_with_house_margins(parts):
    sect = parts["word/document.xml"].find(f".//{w('sectPr')}")
    size, margins = sect.find(w("pgSz")), sect.find(w("pgMar"))
    twips = lambda mm: round(mm * 1440 / 25.4)  # noqa: E731
    assert (int(size.get(w("w"))), int(size.get(w("h")))) == (twips(210), twips(297))
    assert [int(margins.get(w(k))) for k in ("top", "bottom", "left", "right")] == [
        twips(37),
        twips(35),
        twips(28),
        twips(26),
    ]


# ------------------------------------------------------------------ styles


@pytest.mark.parametrize(
    "style_id, font, half_points, bold",
    [
        ("Title", "方正小标宋简体", 44, "0"),
        ("UnitLine", "楷体_GB2312", 32, "0"),
        ("Normal", "仿宋_GB2312", 32, "0"),
        ("Heading1", "黑体", 32, "0"),
        ("Heading2", "楷体_GB2312", 32, "0"),
        ("Heading3", "仿宋_GB2312", 32, "1"),
        ("Heading4", "仿宋_GB2312", 32, "0"),
        ("Subtitle", "楷体_GB2312", 32, "0"),
    ],
)
def test_styles_carry_chinese_font_latin_font_size_and_weight(parts, style_id, font, half_points, bold):
    style = _style(parts, style_id)
    fonts = style.find(f"{w('rPr')}/{w('rFonts')}")
    assert fonts.get(w("eastAsia")) == font
    assert fonts.get(w("ascii")) == fonts.get(w("hAnsi")) == "Times New Roman"
    assert _val(style, "w:rPr/w:sz/@w:val") == str(half_points)
    assert _val(style, "w:rPr/w:b/@w:val") == bold
    assert _val(style, "w:rPr/w:i/@w:val") == "0"
    assert style.find(f"{w('rPr')}/{w('color')}") is None
    assert _val(style, "w:rPr/w:lang/@w:eastAsia") == "zh-CN"


def test_title_and_unit_are_centred_body_is_justified(parts):
    assert _val(_style(parts, "Title"), "w:pPr/w:jc/@w:val") == "center"
    assert _val(_style(parts, "UnitLine"), "w:pPr/w:jc/@w:val") == "center"
    assert _val(_style(parts, "Normal"), "w:pPr/w:jc/@w:val") == "both"


@pytest.mark.parametrize("style_id", ["Normal", "Heading1", "Heading2", "Heading3", "Heading4"])
def test_body_and_headings_indent_two_characters_with_exact_28pt_lines(parts, style_id):
    style = _style(parts, style_id)
    assert _val(style, "w:pPr/w:ind/@w:firstLineChars") == "200"
    assert _val(style, "w:pPr/w:spacing/@w:line") == "560"
    assert _val(style, "w:pPr/w:spacing/@w:lineRule") == "exact"


def test_title_and_unit_line_are_not_indented(parts):
    for style_id in ("Title", "Subtitle", "UnitLine"):
        assert _val(_style(parts, style_id), "w:pPr/w:ind/@w:firstLineChars") == "0"


def test_headings_keep_their_outline_level_for_the_navigation_pane(parts):
    for level in range(1, 5):
        assert _val(_style(parts, f"Heading{level}"), "w:pPr/w:outlineLvl/@w:val") == str(level - 1)


def test_no_theme_font_attributes_are_left_in_styles(parts):
    styles = parts["word/styles.xml"]
    for fonts in styles.iter(w("rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            assert fonts.get(w(attr)) is None


def test_doc_defaults_are_chinese(parts):
    defaults = parts["word/styles.xml"].find(w("docDefaults"))
    assert _val(defaults, "w:rPrDefault/w:rPr/w:lang/@w:eastAsia") == "zh-CN"
    assert _val(defaults, "w:rPrDefault/w:rPr/w:rFonts/@w:eastAsia") == "仿宋_GB2312"


def test_settings_say_zh_cn_and_even_odd_footers(parts):
    settings = parts["word/settings.xml"]
    assert _val(settings, "w:themeFontLang/@w:eastAsia") == "zh-CN"
    assert settings.find(w("evenAndOddHeaders")) is not None
    assert b"ja-JP" not in etree.tostring(settings)


def test_body_paragraphs_use_the_built_in_styles(parts):
    body = parts["word/document.xml"].find(w("body"))
    styles = [_val(p, "w:pPr/w:pStyle/@w:val") for p in body.findall(w("p"))]
    assert styles[:3] == ["Title", "Subtitle", "UnitLine"]
    assert styles.count("Heading1") == 3 and styles.count("Heading2") == 1


def test_style_yaml_font_names_reach_the_document(tmp_path):
    path = tmp_path / "style.yaml"
    path.write_text("body: {font: 仿宋}\nheading2: {font: 楷体}\n", encoding="utf-8")
    parts = _parts(render_docx(fixture_document(), load_style(path)))
    assert _val(_style(parts, "Normal"), "w:rPr/w:rFonts/@w:eastAsia") == "仿宋"
    assert _val(_style(parts, "Heading2"), "w:rPr/w:rFonts/@w:eastAsia") == "楷体"


# ------------------------------------------------------------------ footers


def _footers(parts) -> dict[str, etree._Element]:
    rels = parts["word/_rels/document.xml.rels"]
    targets = {r.get("Id"): r.get("Target") for r in rels}
    sect = parts["word/document.xml"].find(f".//{w('sectPr')}")
    r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return {ref.get(w("type")): parts["word/" + targets[ref.get(r_id)]] for ref in sect.findall(w("footerReference"))}


def test_page_numbers_odd_right_even_left_one_character_in(parts):
    footers = _footers(parts)
    assert set(footers) == {"default", "even"}
    odd, even = footers["default"].find(w("p")), footers["even"].find(w("p"))
    assert _val(odd, "w:pPr/w:jc/@w:val") == "right" and _val(odd, "w:pPr/w:ind/@w:rightChars") == "100"
    assert _val(even, "w:pPr/w:jc/@w:val") == "left" and _val(even, "w:pPr/w:ind/@w:leftChars") == "100"


def test_page_number_is_a_page_field_between_dashes_in_songti_14pt(parts):
    for footer in _footers(parts).values():
        paragraph = footer.find(w("p"))
        assert "".join(paragraph.itertext()).replace(" PAGE ", "") == "— 1 —"
        assert [i.text for i in paragraph.iter(w("instrText"))] == [" PAGE "]
        kinds = [f.get(w("fldCharType")) for f in paragraph.iter(w("fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        for run in paragraph.findall(w("r")):
            assert _val(run, "w:rPr/w:rFonts/@w:eastAsia") == "宋体"
            assert _val(run, "w:rPr/w:sz/@w:val") == "28"


# ------------------------------------------------------------------ comments and sidecar


def test_every_body_paragraph_has_a_comment_naming_its_sources(parts):
    doc = fixture_document()
    body_blocks = [b for b in doc.blocks if b.kind == PARAGRAPH]
    comments = parts["word/comments.xml"].findall(w("comment"))
    assert len(comments) == len(body_blocks)
    texts = {c.get(w("id")): "\n".join("".join(p.itertext()) for p in c.findall(w("p"))) for c in comments}
    paragraphs = [p for p in parts["word/document.xml"].iter(w("p")) if p.find(w("commentRangeStart")) is not None]
    assert len(paragraphs) == len(body_blocks)
    for paragraph, block in zip(paragraphs, body_blocks):
        assert "".join(t.text for t in paragraph.iter(w("t"))) == block.text
        text = texts[paragraph.find(w("commentRangeStart")).get(w("id"))]
        for ref in block.refs:
            assert ref.path in text and ref.passage_id in text
            assert f"第{ref.line_start}行" in text
        if not block.refs:
            assert "无（请核实）" in text
    assert all(c.get(w("author")) == "writer" for c in comments)


def test_comments_can_be_switched_off():
    parts = _parts(render_docx(fixture_document(), load_style(), comments=False))
    document = parts["word/document.xml"]
    assert document.find(f".//{w('commentRangeStart')}") is None
    assert document.find(f".//{w('commentReference')}") is None
    assert "word/comments.xml" not in parts or not parts["word/comments.xml"].findall(w("comment"))


def test_sidecar_lists_every_block_with_its_sources():
    doc = fixture_document()
    data = sidecar(doc)
    json.dumps(data, ensure_ascii=False)  # JSON-ready
    assert data["document"] == doc.title
    assert [p["index"] for p in data["paragraphs"]] == list(range(len(doc.blocks)))
    lead = data["paragraphs"][4]  # title, subtitle, unit line, meeting line, lead
    assert lead["kind"] == "paragraph" and lead["text"].startswith("近年来")
    assert lead["passages"] == [doc.blocks[4].refs[0].passage_id]
    assert set(lead["sources"][0]) == {"passage_id", "path", "unit", "line_start", "line_end", "article"}
    assert lead["sources"][0]["line_start"] == 2
    two = next(p for p in data["paragraphs"] if "党员同育" in p["text"])
    assert [s["line_start"] for s in two["sources"]] == [25, 27]
    assert data["paragraphs"][-1]["sources"] == []
    assert data["paragraphs"][0]["kind"] == "title"


# ------------------------------------------------------------------ tables and reference document


def test_table_is_bordered_with_a_bold_header_row_and_a_source_comment():
    parts = _parts(render_docx(build_table_document(), load_style()))
    table = parts["word/document.xml"].find(f".//{w('tbl')}")
    borders = table.find(f"{w('tblPr')}/{w('tblBorders')}")
    assert {etree.QName(b).localname for b in borders} == {"top", "left", "bottom", "right", "insideH", "insideV"}
    rows = table.findall(w("tr"))
    assert len(rows) == 3
    header_runs = rows[0].findall(f".//{w('r')}")
    assert all(_val(r, "w:rPr/w:b") is not None for r in header_runs if r.find(w("t")) is not None)
    assert ["".join(c.itertext()) for c in rows[2].findall(w("tc"))] == ["单一场景模型", "518", "建用|在用"]
    assert table.find(f".//{w('commentRangeStart')}") is not None


def test_reference_docx_styles_are_kept_and_its_body_cleared(tmp_path):
    import docx

    reference = docx.Document()
    reference.styles["Normal"].font.name = "Arial"
    reference.add_paragraph("参考文档里的旧内容")
    path = tmp_path / "reference.docx"
    reference.save(str(path))
    parts = _parts(render_docx(fixture_document(), load_style(), reference_docx=path))
    body_text = "".join(parts["word/document.xml"].itertext())
    assert "旧内容" not in body_text
    assert "发挥“三个引领”作用" in body_text
    assert _val(_style(parts, "Normal"), "w:rPr/w:rFonts/@w:ascii") == "Arial"  # its look, not ours
    assert _val(_style(parts, "UnitLine"), "w:rPr/w:rFonts/@w:eastAsia") == "楷体_GB2312"  # added: it had none
    assert set(_footers(parts)) == {"default", "even"}  # it had no footer: page numbers added


def test_bad_reference_docx_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_text("不是 docx", encoding="utf-8")
    with pytest.raises(InputError, match="bad.docx"):
        render_docx(fixture_document(), load_style(), reference_docx=bad)
    with pytest.raises(ConfigError, match="找不到参考文档"):
        render_docx(fixture_document(), load_style(), reference_docx=tmp_path / "none.docx")


# ------------------------------------------------------------------ a real word processor


def _has_chinese_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=60).stdout
    return bool(out.strip())


def _pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=120
        ).stdout
    pypdf = pytest.importorskip("pypdf", reason="需要 pdftotext（poppler-utils）或 pypdf 读取 PDF 文字")
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(str(pdf)).pages)


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="没有 LibreOffice（soffice）")
def test_libreoffice_renders_the_draft_with_title_and_every_heading(tmp_path, docx_bytes):
    if not _has_chinese_font():
        pytest.skip("系统没有中文字体（fc-list :lang=zh 为空），PDF 文字无法核对；可安装 fonts-wqy-zenhei")
    source = tmp_path / "draft.docx"
    source.write_bytes(docx_bytes)
    pdf = soffice_convert(source, tmp_path / "pdf")
    text = re.sub(r"\s+", "", _pdf_text(pdf))  # wrapped lines: compare without whitespace
    doc = fixture_document()
    assert re.sub(r"\s+", "", doc.title) in text
    for block in doc.blocks:
        if block.kind == "heading":
            assert block.text in text, block.text
    assert "—1—" in text and "—2—" in text  # the PAGE field was laid out on each page
    assert "seeds/000" not in text  # sources live in comments, not in the printed body
