"""Real office inputs: .pdf, .doc, .wps, .odt, .rtf beside .txt/.docx, and no file
skipped in silence.

tests/fixtures/formats/ holds seeds/004 in each format (see its README).  Every
format must yield the same passages as the seed's .txt.  Tests that convert with
LibreOffice skip with a reason when ``soffice`` is not on PATH.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from writer.cli.app import app
from writer.errors import InputError, UsageError
from writer.sources.ingest import ingest
from writer.sources.reading import read_document, soffice_path

HERE = Path(__file__).resolve().parent
FORMATS = HERE / "fixtures" / "formats"
SEED_004 = HERE.parent / "seeds" / "004_a6d7a54a70ca9500.txt"

needs_soffice = pytest.mark.skipif(
    soffice_path() is None, reason="需要 LibreOffice（soffice）转换 .doc/.wps/.odt/.rtf，本机未安装"
)


def passages(path: Path) -> list[str]:
    corpus = ingest([path])
    return [p.text for p in corpus.passages()]


@pytest.fixture(scope="module")
def seed_passages() -> list[str]:
    return passages(SEED_004)


def seed_lines() -> list[str]:
    return SEED_004.read_text(encoding="utf-8").split("\n")


# ---------------------------------------------------------------- same passages from each format


def test_docx_copy_gives_the_seed_passages(seed_passages):
    assert passages(FORMATS / "seed004.docx") == seed_passages


@pytest.mark.parametrize("name", ["seed004.pdf", "seed004_running.pdf"])
def test_pdf_copy_gives_the_seed_lines_and_passages(name, seed_passages):
    raw = read_document(FORMATS / name)
    assert raw.format == "pdf"
    # Lines wrapped at the margin joined again; quotes drawn out of order put back.
    assert raw.text.split("\n") == seed_lines()
    assert passages(FORMATS / name) == seed_passages


def test_pdf_running_head_and_page_numbers_are_removed():
    text = read_document(FORMATS / "seed004_running.pdf").text
    assert "党建工作经验材料" not in text  # the running head of every page
    assert all(not line.strip().isdigit() for line in text.split("\n"))  # the page numbers


def test_pdf_without_text_layer_is_skipped_with_a_clear_notice(tmp_path):
    import pypdfium2

    pdf = pypdfium2.PdfDocument.new()
    pdf.new_page(595, 842)
    scan = tmp_path / "扫描件.pdf"
    pdf.save(str(scan))
    with pytest.raises(InputError, match="没有文字层") as exc:
        read_document(scan)
    assert "扫描件.pdf" in str(exc.value) and "OCR" in str(exc.value)


def test_broken_pdf_is_an_input_error_naming_the_file(tmp_path):
    bad = tmp_path / "坏文件.pdf"
    bad.write_bytes(b"%PDF-1.4\n this is not a pdf")
    with pytest.raises(InputError, match="坏文件.pdf"):
        read_document(bad)


@needs_soffice
@pytest.mark.office
@pytest.mark.parametrize("name", ["seed004.doc", "seed004.odt", "seed004.rtf"])
def test_office_copy_gives_the_seed_passages(name, seed_passages):
    raw = read_document(FORMATS / name)
    assert raw.format == Path(name).suffix[1:]
    assert passages(FORMATS / name) == seed_passages


@needs_soffice
@pytest.mark.office
def test_wps_file_is_read_like_the_doc_it_is(tmp_path, seed_passages):
    wps = tmp_path / "材料.wps"
    shutil.copy(FORMATS / "seed004.doc", wps)
    assert passages(wps) == seed_passages


@needs_soffice
@pytest.mark.office
def test_doc_renamed_docx_is_converted_instead_of_refused(tmp_path, seed_passages):
    renamed = tmp_path / "改名.docx"
    shutil.copy(FORMATS / "seed004.doc", renamed)
    assert passages(renamed) == seed_passages


def test_office_file_without_libreoffice_names_the_missing_tool(tmp_path, monkeypatch):
    folder = tmp_path / "素材"
    folder.mkdir()
    shutil.copy(FORMATS / "seed004.odt", folder / "材料.odt")
    shutil.copy(SEED_004, folder / "材料.txt")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    corpus = ingest([folder])
    assert [s.path for s in corpus.sources] == [str(folder / "材料.txt")]
    [notice] = [n for n in corpus.notices if n.code == "skipped-file"]
    assert notice.path == str(folder / "材料.odt")
    assert "LibreOffice" in notice.message and "材料.odt" in notice.message


# ---------------------------------------------------------------- nothing skipped in silence


@pytest.fixture
def mixed(tmp_path) -> Path:
    """A clerk's folder: the seed as .txt and .pdf, a spreadsheet, a picture, an empty file."""
    folder = tmp_path / "素材"
    (folder / "附件").mkdir(parents=True)
    shutil.copy(SEED_004, folder / "材料.txt")
    shutil.copy(FORMATS / "seed004.pdf", folder / "材料.pdf")
    (folder / "统计表.xlsx").write_bytes(b"PK\x03\x04 not really")
    (folder / "附件" / "合影.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (folder / "空白.txt").write_bytes(b"")
    (folder / ".DS_Store").write_bytes(b"\x00")
    return folder


def test_every_unread_file_is_named_once_with_its_reason(mixed):
    corpus = ingest([mixed])
    assert sorted(Path(s.path).name for s in corpus.sources) == ["材料.pdf", "材料.txt"]
    skipped = {Path(n.path).name: n.message for n in corpus.notices if n.code == "skipped-file"}
    assert set(skipped) == {"统计表.xlsx", "合影.jpg", "空白.txt"}
    assert "不支持的文件类型（.xlsx）" in skipped["统计表.xlsx"]
    assert "不支持的文件类型（.jpg）" in skipped["合影.jpg"]
    assert "没有可读文本" in skipped["空白.txt"]
    assert len([n for n in corpus.notices if n.code == "skipped-file"]) == 3


def test_ingest_lists_unread_files_and_strict_fails(runner, mixed):
    result = runner.invoke(app, ["ingest", str(mixed), "--no-cache"])
    assert result.exit_code == 0, result.output
    flat = result.output.replace("\n", "")
    for name in ("统计表.xlsx", "合影.jpg", "空白.txt"):
        assert name in flat
    assert "另有 3 个文件未读取" in flat
    strict = runner.invoke(app, ["ingest", str(mixed), "--no-cache", "--strict"])
    assert strict.exit_code == 1
    assert "--strict" in strict.output and "统计表.xlsx" in strict.output


@pytest.mark.parametrize("command", ["map", "draft", "digest"])
def test_map_draft_digest_show_unread_files_and_fail_with_strict(runner, mixed, tmp_path, command):
    def out(name: str) -> list[str]:
        return ["--out", str(tmp_path / name)] if command != "map" else []

    result = runner.invoke(app, [command, str(mixed), "--no-cache", *out("out")])
    assert result.exit_code == 0, result.output
    flat = result.output.replace("\n", "")
    assert "统计表.xlsx" in flat and "不支持的文件类型" in flat
    strict = runner.invoke(app, [command, str(mixed), "--no-cache", "--strict", *out("out2")])
    assert strict.exit_code == 1, strict.output
    assert "统计表.xlsx" in strict.output
    assert not (tmp_path / "out2").exists()  # --strict fails before anything is written


def test_map_json_lists_unread_files(runner, mixed):
    import json

    result = runner.invoke(app, ["map", str(mixed), "--no-cache", "--json"])
    assert result.exit_code == 0, result.output
    unread = {Path(u["path"]).name for u in json.loads(result.stdout)["unread"]}
    assert unread == {"统计表.xlsx", "合影.jpg", "空白.txt"}


def test_folder_with_no_supported_file_names_what_it_found(runner, tmp_path):
    folder = tmp_path / "素材"
    folder.mkdir()
    (folder / "统计表.xlsx").write_bytes(b"PK\x03\x04")
    (folder / "汇报.pptx").write_bytes(b"PK\x03\x04")
    with pytest.raises(UsageError) as exc:
        ingest([folder])
    assert "统计表.xlsx" in str(exc.value) and "汇报.pptx" in str(exc.value)


def test_folder_where_no_file_is_readable_names_each_reason(tmp_path):
    folder = tmp_path / "素材"
    folder.mkdir()
    (folder / "坏.pdf").write_bytes(b"%PDF-1.4 broken")
    (folder / "空.txt").write_bytes(b"  ")
    with pytest.raises(InputError) as exc:
        ingest([folder])
    assert "坏.pdf" in str(exc.value) and "空.txt" in str(exc.value)


# ---------------------------------------------------------------- tracked changes


def _docx_with_revisions(path: Path) -> Path:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    p = document.add_paragraph("我院坚持")
    p._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="1" w:author="张三" w:date="2024-05-01T00:00:00Z">'
            "<w:r><w:t>党建引领，</w:t></w:r></w:ins>"
        )
    )
    p._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="2" w:author="张三" w:date="2024-05-01T00:00:00Z">'
            "<w:r><w:delText>删掉的旧说法，</w:delText></w:r></w:del>"
        )
    )
    p._p.append(parse_xml(f"<w:r {nsdecls('w')}><w:t>推动检察工作高质量发展。</w:t></w:r>"))
    document.add_paragraph("第二段没有修订。")
    document.save(str(path))
    return path


def test_docx_tracked_changes_are_read_as_the_final_text_with_a_notice(tmp_path):
    path = _docx_with_revisions(tmp_path / "修订稿.docx")
    raw = read_document(path)
    assert raw.text.split("\n") == ["我院坚持党建引领，推动检察工作高质量发展。", "第二段没有修订。"]
    [(line, message)] = raw.warnings
    assert "插入 1 处" in message and "删除 1 处" in message
    corpus = ingest([path])
    assert all("删掉的旧说法" not in p.text for p in corpus.passages())
    assert any(n.code == "reading" and "修订" in n.message for n in corpus.all_notices())


# ---------------------------------------------------------------- mixed encodings, long lines


def test_mixed_utf8_and_gbk_file_keeps_the_readable_part_and_names_the_lost_lines(tmp_path):
    utf8 = "近年来，我院坚持党建引领，推动检察工作高质量发展。\n".encode()
    gbk = "为持续深化党建与检察业务融合，以高质量党建引领办案质效。\n".encode("gbk")
    broken = b"\xff\xfe\xfa \x81\x30 broken\n"
    path = tmp_path / "拼接.txt"
    path.write_bytes(utf8 + gbk + broken + utf8)
    raw = read_document(path)
    assert raw.text.split("\n")[:4] == [
        "近年来，我院坚持党建引领，推动检察工作高质量发展。",
        "为持续深化党建与检察业务融合，以高质量党建引领办案质效。",
        "",
        "近年来，我院坚持党建引领，推动检察工作高质量发展。",
    ]
    [(line, message)] = raw.warnings
    assert line == 3 and "第 3 行" in message and "编码混杂" in message
    corpus = ingest([path])
    assert any(n.code == "reading" and n.line == 3 for n in corpus.all_notices())


def test_plain_gbk_file_is_not_taken_for_a_mix(tmp_path):
    path = tmp_path / "gbk.txt"
    text = "党建领航 让政治建设嵌入业务肌理\n思想铸魂强根基。始终坚持用好党建引领“金钥匙”。\n"
    path.write_bytes(text.encode("gbk"))
    raw = read_document(path)
    assert raw.encoding == "gbk" and raw.text == text and raw.warnings == ()


def test_long_line_with_a_disclaimer_loses_only_the_disclaimer(tmp_path):
    body = "近年来，我院坚持党建引领，推动检察工作高质量发展，办理案件数量持续增长。" * 30
    disclaimer = "本网信息来自于互联网，目的在于传递更多信息，并不代表本网赞同其观点。"
    path = tmp_path / "长行.txt"
    path.write_text(body + disclaimer + body + "\n", encoding="utf-8")
    corpus = ingest([path])
    text = "".join(p.text for p in corpus.passages())
    assert "本网信息来自于互联网" not in text
    assert text.count("办理案件数量持续增长") == 60
    assert any(n.code == "boilerplate" and n.line == 1 for n in corpus.all_notices())


def test_short_boilerplate_line_is_still_dropped_whole(tmp_path):
    path = tmp_path / "短行.txt"
    path.write_text(
        "近年来，我院坚持党建引领，推动检察工作高质量发展。\n本网信息来自于互联网，不代表本网观点。\n", encoding="utf-8"
    )
    text = "".join(p.text for p in ingest([path]).passages())
    assert "本网信息" not in text and "党建引领" in text
