"""Reading sources: discovery, encoding detection, text extraction per format.

Fixtures are built in tmp_path at test time (deterministic bytes), except the
realistic news page under tests/fixtures/reading/.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from writer.cli.app import app
from writer.errors import InputError, UsageError
from writer.sources.reading import RawDocument, decode_bytes, discover, read_document, survey

HERE = Path(__file__).resolve().parent
READING = HERE / "fixtures" / "reading"
SEED_004 = HERE.parent / "seeds" / "004_a6d7a54a70ca9500.txt"

# Short phrases of real office Chinese: the cases where detectors guess wrong.
OFFICE_PHRASES = [
    "会议纪要",
    "检察院",
    "各部门：",
    "特此通知。",
    "主题党日",
    "经验交流材料",
    "关于开展党建工作的通知",
    "“三会一课”制度",
    "抓党建 带队伍 促业务",
    "二〇二四年五月二十日",
    "附件：1.党支部书记述职评议表",
    "为深入贯彻落实全面从严治党要求，现将有关事项通知如下：",
    "（一）深化“一支部一品牌”创建",
]


def write(path: Path, data: bytes | str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


# ---------------------------------------------------------------- decode_bytes


def test_utf8_is_decoded_as_utf8():
    assert decode_bytes("党建引领，业务融合。\n".encode()) == ("党建引领，业务融合。\n", "utf-8")


def test_utf8_bom_is_stripped_and_reported():
    text, enc = decode_bytes(b"\xef\xbb\xbf" + "检察工作".encode())
    assert (text, enc) == ("检察工作", "utf-8-sig")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded(codec):
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[codec]
    data = bom + "一、坚持政治引领\r\n正文。".encode(codec)
    text, enc = decode_bytes(data)
    assert text == "一、坚持政治引领\r\n正文。"
    assert enc == "utf-16"


def test_utf16_without_bom_is_recognised_rather_than_called_binary():
    text, enc = decode_bytes("党支部建设abc 123".encode("utf-16-le"))
    assert text == "党支部建设abc 123"
    assert enc == "utf-16-le"


@pytest.mark.parametrize("phrase", OFFICE_PHRASES)
@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_short_gbk_snippets_decode_exactly(phrase, codec):
    text, enc = decode_bytes(phrase.encode(codec))
    assert text == phrase
    assert enc in ("gbk", "gb18030")


def test_pure_gbk_bytes_are_reported_as_gbk():
    assert decode_bytes("党风廉政建设".encode("gbk"))[1] == "gbk"


def test_characters_beyond_gbk_are_reported_as_gb18030():
    # 𠀀 (U+20000) exists only in GB18030's four-byte area.
    text, enc = decode_bytes("𠀀字检察".encode("gb18030"))
    assert (text, enc) == ("𠀀字检察", "gb18030")


def test_utf8_file_cut_inside_its_last_character_still_decodes():
    data = "党建工作".encode() + "总".encode()[:2]
    assert decode_bytes(data) == ("党建工作", "utf-8")


@pytest.mark.parametrize(
    "phrase",
    ["關於開展黨建工作的通知，各單位要認真學習貫徹落實。", "檢察機關黨建工作經驗交流材料", "會議紀要"],
)
def test_big5_falls_through_to_the_detector(phrase):
    # Big5 bytes are not valid UTF-8 and decode to garbage (private-use) in GB18030.
    assert decode_bytes(phrase.encode("big5")) == (phrase, "big5")


def test_shift_jis_that_is_valid_gb18030_goes_to_the_detector():
    phrase = "日本語のテキストです。会議の資料を準備してください。"
    data = phrase.encode("shift_jis")
    data.decode("gb18030")  # the trap: it decodes, to nonsense
    assert decode_bytes(data) == (phrase, "cp932")


@pytest.mark.parametrize(
    "data, hint",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", ".doc"),
    ],
)
def test_known_binary_formats_are_named(data, hint):
    with pytest.raises(InputError, match="不是文本文件或编码无法识别") as exc:
        decode_bytes(data, name="素材/图片.txt")
    assert hint in str(exc.value)
    assert "素材/图片.txt" in str(exc.value)


def test_random_bytes_with_nuls_are_binary():
    rng = random.Random(20240520)
    data = bytes(rng.randrange(256) for _ in range(4096))
    assert b"\x00" in data
    with pytest.raises(InputError, match="不是文本文件或编码无法识别"):
        decode_bytes(data)


def test_random_high_bytes_without_nuls_are_not_passed_off_as_chinese():
    rng = random.Random(7)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(2048))
    with pytest.raises(InputError):
        decode_bytes(data)


def test_text_full_of_control_characters_is_binary():
    data = ("检察" + "\x01\x02\x03\x04\x05" * 20).encode("utf-8")
    with pytest.raises(InputError, match="控制字符"):
        decode_bytes(data)


# ---------------------------------------------------------------- read_document: text files


def test_read_txt_normalises_newlines_nbsp_and_zero_width_but_keeps_other_spaces(tmp_path):
    f = write(tmp_path / "a.txt", "第一行\u00a0甲\r\n\u3000\u3000第二行\u200b乙\u200d\r第三行\ufeff  丙\n")
    doc = read_document(f)
    assert isinstance(doc, RawDocument)
    assert doc.text == "第一行 甲\n\u3000\u3000第二行乙\n第三行  丙\n"
    assert doc.format == "txt" and doc.line_styles == ()
    assert doc.path == str(f)
    assert len(doc.sha256) == 64


def test_sha256_is_of_the_file_bytes(tmp_path):
    import hashlib

    data = "内容一致".encode("gbk")
    f = write(tmp_path / "h.txt", data)
    assert read_document(f).sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("content", [b"", b"   \r\n\t\n  ", "\u3000\n".encode("utf-8")])
def test_file_without_readable_text_is_an_input_error(tmp_path, content):
    f = write(tmp_path / "空.txt", content)
    with pytest.raises(InputError, match="没有可读文本") as exc:
        read_document(f)
    assert "空.txt" in str(exc.value)


def test_binary_file_named_txt_is_an_input_error_naming_the_file(tmp_path):
    f = write(tmp_path / "照片.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(InputError) as exc:
        read_document(f)
    assert "照片.txt" in str(exc.value) and "\n" not in str(exc.value)


def test_gbk_copy_of_a_seed_reads_the_same_as_the_utf8_original(tmp_path):
    original = read_document(SEED_004)
    copy = write(tmp_path / "004_gbk.txt", SEED_004.read_text(encoding="utf-8"), "gbk")
    doc = read_document(copy)
    assert doc.encoding == "gbk"
    assert doc.text.split("\n") == original.text.split("\n")


def test_gbk_copy_with_crlf_reads_the_same_lines(tmp_path):
    original = read_document(SEED_004)
    text = SEED_004.read_text(encoding="utf-8").replace("\n", "\r\n")
    doc = read_document(write(tmp_path / "crlf.txt", text, "gb18030"))
    assert doc.text == original.text


def test_seeds_all_read_as_utf8_text(seeds_dir):
    for f in discover([seeds_dir]):
        doc = read_document(f)
        assert doc.encoding == "utf-8"
        assert len(doc.text) > 1000
        assert "\r" not in doc.text


# ---------------------------------------------------------------- Markdown


def test_markdown_headings_become_line_styles_and_syntax_is_stripped(tmp_path):
    md = (
        "---\n"
        "title: 内部草稿\n"
        "author: 政治部\n"
        "---\n"
        "# 某县检察院党建工作经验\n"
        "\n"
        "## 一、坚持政治引领 ##\n"
        "这是**重点**内容，见[省院通知](https://example.org/a)和![合影](img/1.png)。\n"
        "### （一）强化理论武装\n"
        "- 开展*专题*学习\n"
        "> 引用的`原话`\n"
        "#### 1.学习制度\n"
        "##### 更深一级\n"
        "#没有空格的标题\n"
        "#1 不是标题\n"
    )
    doc = read_document(write(tmp_path / "稿.md", md))
    lines = doc.text.split("\n")
    # The line count is that of the source, so line numbers point into the user's file.
    assert len(lines) == len(md.split("\n"))
    assert len(doc.line_styles) == len(lines)
    styled = {line: style for line, style in zip(lines, doc.line_styles) if style}
    assert styled == {
        "某县检察院党建工作经验": "Heading 1",
        "一、坚持政治引领": "Heading 2",
        "（一）强化理论武装": "Heading 3",
        "1.学习制度": "Heading 4",
        "更深一级": "Heading 4",
        "没有空格的标题": "Heading 1",
    }
    assert "这是重点内容，见省院通知和。" in lines
    assert "开展专题学习" in lines
    assert "引用的原话" in lines
    assert "#1 不是标题" in lines
    assert "内部草稿" not in doc.text and "author" not in doc.text
    assert doc.format == "md"


def test_markdown_setext_heading_and_rules(tmp_path):
    md = "工作成效\n====\n\n正文第一段写完了。\n---\n二、经验启示\n---\n"
    doc = read_document(write(tmp_path / "s.md", md))
    pairs = [(l, s) for l, s in zip(doc.text.split("\n"), doc.line_styles) if l]
    assert pairs == [("工作成效", "Heading 1"), ("正文第一段写完了。", None), ("二、经验启示", "Heading 2")]


def test_hash_lines_in_a_txt_file_are_left_alone(tmp_path):
    doc = read_document(write(tmp_path / "a.txt", "# 不是标记\n**原样**\n"))
    assert doc.text == "# 不是标记\n**原样**\n"
    assert doc.line_styles == ()


# ---------------------------------------------------------------- .docx


def _docx(path: Path, paragraphs: list[tuple[str, str | None]]) -> Path:
    import docx

    d = docx.Document()
    for text, style in paragraphs:
        d.add_paragraph(text, style=style)
    d.save(str(path))
    return path


def test_docx_copy_of_a_seed_gives_the_same_lines(tmp_path):
    original = read_document(SEED_004)
    lines = original.text.split("\n")
    doc = read_document(_docx(tmp_path / "004.docx", [(line, None) for line in lines]))
    assert doc.format == "docx"
    assert [l for l in doc.text.split("\n") if l.strip()] == [l for l in lines if l.strip()]
    assert len(doc.line_styles) == len(doc.text.split("\n"))


def test_docx_keeps_empty_paragraphs_as_empty_lines(tmp_path):
    doc = read_document(_docx(tmp_path / "b.docx", [("甲", None), ("", None), ("", None), ("乙", None)]))
    assert doc.text == "甲\n\n\n乙"


def test_docx_builtin_title_and_heading_styles(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("某院党建工作经验交流材料", level=0)
    d.add_heading("一、坚持政治引领", level=1)
    d.add_paragraph("正文段落。")
    d.add_heading("（一）强化理论武装", level=2)
    d.add_heading("1.学习制度", level=3)
    d.add_heading("（1）第一议题", level=4)
    d.add_heading("第五级", level=5)
    f = tmp_path / "h.docx"
    d.save(str(f))
    doc = read_document(f)
    assert list(zip(doc.text.split("\n"), doc.line_styles)) == [
        ("某院党建工作经验交流材料", "Title"),
        ("一、坚持政治引领", "Heading 1"),
        ("正文段落。", None),
        ("（一）强化理论武装", "Heading 2"),
        ("1.学习制度", "Heading 3"),
        ("（1）第一议题", "Heading 4"),
        ("第五级", "Heading 4"),
    ]


def _set_outline(ppr_owner, level: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = ppr_owner.get_or_add_pPr()
    lvl = OxmlElement("w:outlineLvl")
    lvl.set(qn("w:val"), str(level))
    ppr.append(lvl)


def test_docx_localised_renamed_and_outline_level_headings(tmp_path):
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    styles = d.styles
    zh = styles.add_style("标题 2", WD_STYLE_TYPE.PARAGRAPH)  # a Chinese-named custom style
    first = styles.add_style("一级标题", WD_STYLE_TYPE.PARAGRAPH)  # renamed, known by outline level
    _set_outline(first.element, 0)
    derived = styles.add_style("我的三级标题", WD_STYLE_TYPE.PARAGRAPH)  # based on Heading 3
    derived.base_style = styles["Heading 3"]
    d.add_paragraph("一、党建引领", style=first)
    d.add_paragraph("（一）思想建党", style=zh)
    d.add_paragraph("1.具体做法", style=derived)
    direct = d.add_paragraph("直接设置大纲级别的标题")
    _set_outline(direct._p, 1)
    body = d.add_paragraph("正文，大纲级别为正文文本。")
    _set_outline(body._p, 9)
    f = tmp_path / "zh.docx"
    d.save(str(f))
    doc = read_document(f)
    assert list(zip(doc.text.split("\n"), doc.line_styles)) == [
        ("一、党建引领", "Heading 1"),
        ("（一）思想建党", "Heading 2"),
        ("1.具体做法", "Heading 3"),
        ("直接设置大纲级别的标题", "Heading 2"),
        ("正文，大纲级别为正文文本。", None),
    ]


def test_docx_soft_line_break_and_table_rows_become_lines(tmp_path):
    import docx

    d = docx.Document()
    p = d.add_paragraph("第一句")
    p.add_run().add_break()
    p.add_run("第二句")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "数量"
    table.cell(1, 0).text, table.cell(1, 1).text = "主题党日", "12"
    d.add_paragraph("表后正文")
    f = tmp_path / "t.docx"
    d.save(str(f))
    doc = read_document(f)
    assert doc.text.split("\n") == ["第一句", "第二句", "项目\t数量", "主题党日\t12", "表后正文"]
    assert len(doc.line_styles) == 5


def test_corrupt_docx_is_an_input_error_naming_the_file(tmp_path):
    f = write(tmp_path / "坏文件.docx", b"PK\x03\x04 this is not a real zip archive")
    with pytest.raises(InputError, match="坏文件.docx"):
        read_document(f)


def test_old_doc_renamed_to_docx_says_how_to_fix(tmp_path):
    f = write(tmp_path / "旧版.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(InputError, match="另存为") as exc:
        read_document(f)
    assert "旧版.docx" in str(exc.value) and ".doc" in str(exc.value)


def test_docx_without_text_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="没有可读文本"):
        read_document(_docx(tmp_path / "空白.docx", [("", None), ("  ", None)]))


# ---------------------------------------------------------------- HTML

BODY_SNIPPETS = [
    "今年以来，某市人民检察院坚持以习近平新时代中国特色社会主义思想为指导",
    "严格落实“第一议题”制度",
    "推行“党支部+检察业务团队”模式",
    "“公诉先锋”品牌入选全省检察机关优秀党建品牌",
    "为建设更高水平的平安某市、法治某市贡献检察力量。",
]
BOILERPLATE = ["首页", "相关新闻", "热点排行", "联系我们", "版权所有", "Copyright", "设为首页", "上一篇", "分享到"]


def test_news_page_keeps_the_article_and_drops_navigation_sidebar_and_footer():
    doc = read_document(READING / "news_page.html")
    assert doc.format == "html" and doc.encoding == "utf-8"
    for snippet in BODY_SNIPPETS:
        assert snippet in doc.text
    for junk in BOILERPLATE:
        assert junk not in doc.text, junk
    assert "市检察院开展党纪学习教育专题读书班" not in doc.text


def test_news_page_title_first_and_paragraphs_separated_by_blank_lines():
    doc = read_document(READING / "news_page.html")
    lines = doc.text.split("\n")
    assert lines[0] == "以高质量党建引领检察工作高质量发展"
    assert doc.line_styles[0] == "Title"
    assert len(doc.line_styles) == len(lines)
    paragraphs = doc.text.split("\n\n")
    assert len(paragraphs) == 6  # title + five <p>
    assert all(p.strip() and "\n" not in p for p in paragraphs)


def test_gbk_html_with_meta_charset(tmp_path):
    html = (READING / "news_page.html").read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="gbk"')
    html = html.replace("©", "&copy;")  # GBK has no ©: real GBK pages use the entity
    f = write(tmp_path / "gbk.htm", html, "gbk")
    doc = read_document(f)
    assert doc.encoding == "gbk"
    for snippet in BODY_SNIPPETS:
        assert snippet in doc.text


def test_html_with_a_wrong_charset_declaration_is_still_decoded(tmp_path):
    html = (READING / "news_page.html").read_text(encoding="utf-8")
    f = write(tmp_path / "wrong.html", html, "gb18030")  # says utf-8, is GB18030
    doc = read_document(f)
    assert doc.encoding in ("gbk", "gb18030")
    assert BODY_SNIPPETS[0] in doc.text


@pytest.mark.parametrize("extractor", ["trafilatura", "fallback"])
def test_html_section_headings_start_at_heading_1_under_the_title(tmp_path, monkeypatch, extractor):
    if extractor == "fallback":
        import trafilatura

        monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    html = (READING / "news_page.html").read_text(encoding="utf-8")
    html = html.replace("<p>在组织建设方面", "<h2>一、夯实组织基础</h2><p>在组织建设方面")
    html = html.replace("<p>该院还深化", "<h3>（一）打造党建品牌</h3><p>该院还深化")
    doc = read_document(write(tmp_path / "h.html", html))
    styles = dict(zip(doc.text.split("\n"), doc.line_styles))
    assert styles["以高质量党建引领检察工作高质量发展"] == "Title"
    assert styles["一、夯实组织基础"] == "Heading 1"
    assert styles["（一）打造党建品牌"] == "Heading 2"


def test_html_falls_back_to_plain_extraction_when_trafilatura_finds_nothing(tmp_path, monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    doc = read_document(READING / "news_page.html")
    for snippet in BODY_SNIPPETS:
        assert snippet in doc.text
    # The page uses <div class="footer">, not <footer>: boilerplate is also known by class/id.
    for junk in BOILERPLATE:
        assert junk not in doc.text, junk
    assert doc.text.split("\n")[0] == "以高质量党建引领检察工作高质量发展"


def test_html_page_without_text_is_an_input_error(tmp_path):
    f = write(tmp_path / "空页.html", "<html><head><title></title></head><body><script>var a=1;</script></body></html>")
    with pytest.raises(InputError, match="没有可读文本"):
        read_document(f)


# ---------------------------------------------------------------- discover


def test_discover_recurses_filters_sorts_and_skips_hidden_and_lock_files(tmp_path):
    for name in [
        "b/10.txt",
        "b/2.txt",
        "a.MD",
        "c/深/报告.docx",
        "c/页面.HTM",
        "d.html",
        "notes.pdf",
        "old.doc",
        "表格.xlsx",
        "图片.JPG",
        ".hidden.txt",
        ".git/x.txt",
        "c/~$报告.docx",
        "e/.cache/y.md",
    ]:
        write(tmp_path / name, b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])]
    assert found == ["a.MD", "b/2.txt", "b/10.txt", "c/深/报告.docx", "c/页面.HTM", "d.html", "notes.pdf", "old.doc"]


def test_survey_lists_every_other_file_once_but_not_hidden_or_lock_files(tmp_path):
    for name in ["a.txt", "表格.xlsx", "图片.JPG", "无扩展名", ".DS_Store", "c/~$报告.docx", "sub/数据.csv"]:
        write(tmp_path / name, b"x")
    files, others = survey([tmp_path, tmp_path / "a.txt"])
    assert [p.name for p in files] == ["a.txt"]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in others) == [
        "sub/数据.csv",
        "图片.JPG",
        "无扩展名",
        "表格.xlsx",
    ]


def test_discover_removes_duplicates_across_arguments(tmp_path):
    f = write(tmp_path / "a.txt", b"x")
    write(tmp_path / "b.txt", b"x")
    assert discover([f, tmp_path, f]) == [tmp_path / "a.txt", tmp_path / "b.txt"]


def test_discover_missing_path_is_a_usage_error_naming_it(tmp_path):
    missing = tmp_path / "没有这个文件夹"
    with pytest.raises(UsageError, match="找不到路径") as exc:
        discover([missing])
    assert str(missing) in str(exc.value)


def test_discover_explicit_unsupported_file_is_a_usage_error_naming_supported_types(tmp_path):
    f = write(tmp_path / "材料.xlsx", b"PK\x03\x04")
    with pytest.raises(UsageError) as exc:
        discover([f])
    message = str(exc.value)
    assert "材料.xlsx" in message
    for ext in (".txt", ".md", ".docx", ".html", ".htm", ".pdf", ".doc", ".wps", ".odt", ".rtf"):
        assert ext in message


# ---------------------------------------------------------------- CLI

WIDE = {"COLUMNS": "200"}


def test_cli_missing_path_exits_2(runner, tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "缺失")], env=WIDE)
    assert result.exit_code == 2
    assert "找不到路径" in result.output


def test_cli_unsupported_file_exits_2(runner, tmp_path):
    f = write(tmp_path / "表格.xlsx", b"PK\x03\x04")
    result = runner.invoke(app, ["ingest", str(f)], env=WIDE)
    assert result.exit_code == 2
    assert "不支持的文件类型" in result.output


def test_cli_ingest_reads_gbk_and_reports_the_binary_file_as_skipped(runner, tmp_path):
    write(tmp_path / "gbk.txt", "一、坚持政治引领\n今年以来，我院坚持党建引领，推动党建与业务深度融合。\n", "gbk")
    write(tmp_path / "bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = runner.invoke(app, ["ingest", str(tmp_path)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "gbk" in result.output  # the encoding column
    assert "已跳过" in result.output and "bin.txt" in result.output
    assert "PNG" in result.output


def test_cli_ingest_prints_the_detected_encoding_per_file(runner, tmp_path):
    write(tmp_path / "u8.txt", "党建引领业务发展。\n")
    write(tmp_path / "u16.txt", "党建引领业务发展。\n".encode("utf-16"))
    write(tmp_path / "gb.txt", "党建引领业务发展。\n", "gbk")
    result = runner.invoke(app, ["ingest", str(tmp_path), "--all"], env=WIDE)
    assert result.exit_code == 0, result.output
    rows = {
        line.split("\t")[0].rsplit("/", 1)[-1]: line.split("\t")[1]
        for line in result.output.splitlines()
        if line.count("\t") == 4 and line.split("\t")[0].endswith(".txt")
    }
    assert rows == {"gb.txt": "gbk", "u16.txt": "utf-16", "u8.txt": "utf-8"}


def test_cli_ingest_folder_with_only_a_binary_file_exits_1(runner, tmp_path):
    rng = random.Random(3)
    write(tmp_path / "only.txt", bytes(rng.randrange(256) for _ in range(1000)))
    result = runner.invoke(app, ["ingest", str(tmp_path)], env=WIDE)
    assert result.exit_code == 1
    assert "没有一个文件含可读文本" in result.output
    assert "Traceback" not in result.output


def _rich_docx(path: Path, heading_name: str = "一级标题") -> Path:
    """Headings by built-in, localised, renamed and direct outline level; a table with
    merged cells; a tracked change; a soft line break; a hyperlink-free run mix."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    renamed = d.styles.add_style(heading_name, WD_STYLE_TYPE.PARAGRAPH)
    _set_outline(renamed.element, 0)
    d.add_heading("某院经验交流材料", level=0)
    d.add_paragraph("一、党建引领", style=renamed)
    d.add_heading("（一）思想建党", level=2)
    direct = d.add_paragraph("直接设置大纲级别的标题")
    _set_outline(direct._p, 1)
    p = d.add_paragraph("第一句")
    p.add_run().add_break()
    p.add_run("第二句")
    revised = d.add_paragraph("修订前文字")
    revised._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="1" w:author="张三" w:date="2024-05-01T00:00:00Z">'
            "<w:r><w:t>插入的文字</w:t></w:r></w:ins>"
        )
    )
    table = d.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "横向合并"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "纵向合并"
    table.cell(1, 0).text, table.cell(2, 1).text = "甲", "乙"
    d.add_paragraph("表后正文")
    d.save(str(path))
    return path


def test_docx_read_from_its_two_parts_matches_python_docx_document(tmp_path, monkeypatch):
    from writer.sources import reading

    libreoffice_made = HERE / "fixtures" / "formats" / "seed004.docx"
    files = [_rich_docx(tmp_path / "a.docx"), _rich_docx(tmp_path / "b.docx", "标题 1"), libreoffice_made]
    assert all(reading._docx_parts(f) is not None for f in files)  # the direct reading is taken
    direct = [read_document(f) for f in files]
    monkeypatch.setattr(reading, "_docx_parts", lambda path: None)  # python-docx's Document
    assert [read_document(f) for f in files] == direct
    assert "Heading 1" in direct[0].line_styles and "插入的文字" in direct[0].text


def test_docx_with_a_broken_styles_part_is_still_an_input_error(tmp_path):
    import zipfile

    good = _rich_docx(tmp_path / "good.docx")
    bad = tmp_path / "坏样式.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, b"<w:styles><broken" if item.filename == "word/styles.xml" else data)
    with pytest.raises(InputError, match="坏样式.docx"):
        read_document(bad)
