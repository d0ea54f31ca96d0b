"""`writer check`: an edited draft verified against its sources and the house style."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from check_builders import CLEAN, SOURCES, build_docx, build_markdown, replace

from tests.conftest import soffice_convert
from writer.check.content import run_checks
from writer.cli.app import app
from writer.config.terms import find_wrong_terms, load_terms
from writer.errors import ConfigError
from writer.sources.ingest import ingest
from writer.text.figures import chinese_to_int, extract_figures


def check_document(path, sources, **options):
    """The findings of one draft (run_checks also returns notices)."""
    return list(run_checks(path, sources, **options).findings)


@pytest.fixture(scope="module")
def corpus():
    return ingest([SOURCES])


def kinds(findings):
    return sorted(f.kind for f in findings)


# ------------------------------------------------------------------ clean drafts


def test_clean_docx_has_no_findings(tmp_path, corpus):
    assert check_document(build_docx(tmp_path / "clean.docx"), corpus) == []


def test_clean_markdown_has_no_findings(tmp_path, corpus):
    assert check_document(build_markdown(tmp_path / "clean.md"), corpus) == []


# ------------------------------------------------------------------ figures


def test_changed_figure_is_reported_with_the_source_value(tmp_path, corpus):
    doc = build_docx(tmp_path / "d.docx", replace(CLEAN, "学习24次", "学习42次"))
    [f] = check_document(doc, corpus)
    assert (f.kind, f.severity, f.paragraph) == ("figure", "error", 5)
    assert "42次" in f.message and "素材为 24次" in f.message


def test_invented_figure_is_not_found_in_sources(tmp_path, corpus):
    doc = build_docx(tmp_path / "d.docx", replace(CLEAN, "开展专题研讨8场。", "开展专题研讨8场，培训干部530人次。"))
    [f] = check_document(doc, corpus)
    assert f.kind == "figure" and "530人次" in f.message and "找不到" in f.message


def test_chinese_numeral_equals_arabic_in_source(tmp_path, corpus):
    # Source says 连续三年; the editor writes 连续3年: same claim.
    doc = build_markdown(tmp_path / "d.md", replace(CLEAN, "连续三年", "连续3年"))
    assert check_document(doc, corpus) == []
    doc = build_markdown(tmp_path / "e.md", replace(CLEAN, "连续三年", "连续五年"))
    [f] = check_document(doc, corpus)
    assert "素材为 三年" in f.message


def test_full_width_digits_match_half_width_source(tmp_path, corpus):
    doc = build_markdown(tmp_path / "d.md", replace(CLEAN, "1,286件", "１２８６件"))
    assert check_document(doc, corpus) == []


def test_figure_moved_from_another_context_is_still_a_mismatch():
    from writer.check.content import check_figures, source_text
    from writer.check.draft_reading import Draft, DraftParagraph

    corpus_ = _corpus_of("评选24个典型案事例。新建42个党员示范岗。")
    draft = Draft(Path("x.md"), "md", (DraftParagraph(1, "评选42个典型案事例。", "", 0),), None, ())
    [f] = check_figures(draft, source_text(corpus_))
    assert "素材为 24个" in f.message


def _corpus_of(text: str):
    from writer.model.corpus import BODY, Article, Corpus, Location, Passage, Source

    loc = Location("x.txt", 1, 1, 0, len(text))
    p = Passage("p1", BODY, text, (text,), None, "", (), loc)
    return Corpus(
        (Source("x.txt", "txt", "utf-8", "", (Article("x#1", None, None, None, (), (), (p,), loc),), (), ()),)
    )


def test_extract_figures_reads_units_ranges_and_chinese_numerals():
    figs = extract_figures("2020年的24.9%上升至1—9月的64.6%，2.9万余人，第3场，计划三年内，十二届，十分重要，一个")
    assert [f.key for f in figs] == ["2020年", "24.9%", "1-9月", "64.6%", "2.9万余人", "第3场", "3年", "12届"]
    assert chinese_to_int("二〇二〇") == 2020 and chinese_to_int("三百五十") == 350


def test_set_phrases_with_numerals_are_not_figures(tmp_path, corpus):
    doc = build_markdown(tmp_path / "d.md", replace(CLEAN, "坚持以党建引领业务", "坚持以党建引领业务，增强“四个意识”"))
    assert check_document(doc, corpus) == []


def test_invented_quoted_name_is_a_warning(tmp_path, corpus):
    doc = build_markdown(tmp_path / "d.md", replace(CLEAN, "“五星支部”", "“六好支部”"))
    [f] = check_document(doc, corpus)
    assert (f.kind, f.severity) == ("quote", "warning") and "六好支部" in f.message


def test_sidecar_passages_are_compared_first(tmp_path):
    # Two sources state 24 and 30 in the same words; the sidecar says which one
    # this paragraph came from.
    (tmp_path / "a.txt").write_text("全年组织集中学习24次。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("全年组织集中学习30次。\n", encoding="utf-8")
    corpus_ = ingest([tmp_path / "a.txt", tmp_path / "b.txt"])
    doc = build_markdown(tmp_path / "d.md", [("body", "全年组织集中学习31次。")])
    sidecar = {
        "document": "d.md",
        "paragraphs": [
            {
                "index": 1,
                "kind": "body",
                "text": "全年组织集中学习30次。",
                "passages": [],
                "sources": [
                    {
                        "passage_id": None,
                        "path": str(tmp_path / "b.txt"),
                        "unit": "",
                        "line_start": 1,
                        "line_end": 1,
                        "article": "",
                    }
                ],
            }
        ],
    }
    (tmp_path / "d.sources.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    [f] = check_document(doc, corpus_)
    assert "素材为 30次" in f.message


def test_changed_figure_in_a_paragraph_of_seed_000(tmp_path, seeds_dir):
    seed = next(seeds_dir.glob("000_*.txt")).read_text(encoding="utf-8")
    line = next(ln for ln in seed.splitlines() if "64.6%" in ln)
    sentence = line[line.index("全市检察机关法律监督办案比重") : line.index("“三个结构比”")]
    edited = sentence.replace("64.6%", "46.6%").replace(",", "，")
    doc = build_markdown(tmp_path / "d.md", [("body", edited)])
    findings = check_document(doc, ingest([seeds_dir]))
    assert [(f.kind, f.severity) for f in findings] == [("figure", "error")]
    assert "46.6%" in findings[0].message and "素材为 64.6%" in findings[0].message


# ------------------------------------------------------------------ placeholders


@pytest.mark.parametrize(
    "mask", ["XX", "xx", "××", "***", "**", "ZZ", "【】", "【 】", "（此处补充案例）", "待补充", "待定"]
)
def test_placeholders_are_errors(tmp_path, mask):
    doc = build_markdown(tmp_path / "d.md", [("body", f"{mask}县检察院组织开展主题党日活动。")])
    findings = check_document(doc, None)
    assert [(f.kind, f.severity) for f in findings] == [("placeholder", "error")]


def test_xx_placeholder_in_docx_is_found(tmp_path, corpus):
    doc = build_docx(tmp_path / "d.docx", replace(CLEAN, "江南市人民检察院坚持", "XX市人民检察院坚持"))
    assert kinds(check_document(doc, corpus)) == ["placeholder"]


def test_latin_words_with_x_are_not_placeholders(tmp_path):
    doc = build_markdown(tmp_path / "d.md", [("body", "参加Linux与XXL-Job培训，使用Excel统计。")])
    assert [f for f in check_document(doc, None) if f.kind == "placeholder"] == []


# ------------------------------------------------------------------ punctuation


def test_half_width_comma_in_chinese_is_a_warning_with_suggestion(tmp_path, corpus):
    doc = build_docx(tmp_path / "d.docx", replace(CLEAN, "同比上升12.5%", "同比上升12.5%,成效明显"))
    findings = check_document(doc, corpus)
    assert [(f.kind, f.severity) for f in findings] == [("punctuation", "warning")]
    assert "，" in findings[0].suggestion


def test_half_width_in_numbers_urls_and_latin_is_fine(tmp_path):
    text = "共1,000人参加，详见https://www.spp.gov.cn/a?b=1。Hello, world! 比例为3.5%。"
    doc = build_markdown(tmp_path / "d.md", [("body", text)])
    assert check_document(doc, None) == []


def test_unpaired_quotes_doubled_punctuation_and_spaces(tmp_path):
    doc = build_markdown(
        tmp_path / "d.md",
        [
            ("body", "开展“忠诚教育活动，成效明显。"),
            ("body", "推进标准化建设，，取得实效。省略号……和破折号——不算重复。"),
            ("body", "坚持党建引领 业务发展，取得明显成效。"),
        ],
    )
    findings = check_document(doc, None)
    assert [(f.paragraph, f.kind) for f in findings] == [(1, "punctuation"), (2, "punctuation"), (3, "punctuation")]
    assert "没有配对" in findings[0].message and "重复" in findings[1].message and "空格" in findings[2].message


def test_paired_heading_with_space_is_fine(tmp_path):
    doc = build_markdown(tmp_path / "d.md", [("h1", "党建领航 让政治建设嵌入业务肌理"), ("body", "正文。")])
    assert check_document(doc, None) == []


# ------------------------------------------------------------------ numbering


def test_skipped_heading_number_is_reported(tmp_path, corpus):
    doc = build_docx(tmp_path / "d.docx", replace(CLEAN, "二、建强组织体系", "三、建强组织体系"))
    [f] = check_document(doc, corpus)
    assert f.kind == "numbering" and "应为“二、”" in f.message and f.paragraph == 7


def test_sub_heading_numbers_restart_under_each_heading(tmp_path):
    doc = build_markdown(
        tmp_path / "d.md",
        [
            ("h1", "一、思想引领"),
            ("h2", "（一）理论学习"),
            ("h2", "（二）政治轮训"),
            ("h1", "二、组织体系"),
            ("h2", "（一）支部建设"),
            ("h2", "（三）队伍建设"),
            ("body", "正文。"),
        ],
    )
    [f] = [f for f in check_document(doc, None) if f.kind == "numbering"]  # its empty sections too
    assert f.paragraph == 6 and "（二）" in f.message


def test_run_in_sequence_across_paragraphs_misses_a_point(tmp_path):
    doc = build_markdown(
        tmp_path / "d.md",
        [
            ("h1", "一、思想引领"),
            ("body", "一是加强理论学习。坚持集中学习。"),
            ("body", "三是深化忠诚教育。开展主题党日。"),
            ("h1", "二、组织体系"),
            ("body", "一是建强支部。二是带好队伍。"),
        ],
    )
    [f] = check_document(doc, None)
    assert f.paragraph == 3 and "二是" in f.message


# ------------------------------------------------------------------ standard wording


def test_wrong_standard_wording_is_an_error_with_the_right_form(tmp_path, corpus):
    doc = build_docx(tmp_path / "d.docx", replace(CLEAN, "坚持以党建引领业务", "坚持以习近平法制思想引领业务"))
    [f] = check_document(doc, corpus)
    assert (f.kind, f.severity) == ("term", "error") and f.suggestion == "改为“习近平法治思想”。"


def test_terms_file_has_thirty_defensible_entries():
    terms = load_terms()
    assert len(terms) >= 30
    for t in terms:  # the right form itself is never flagged
        assert find_wrong_terms(t.right, terms) == []


def test_bad_terms_file_lists_every_problem(tmp_path):
    bad = tmp_path / "terms.yaml"
    bad.write_text("- right: 两个维护\n  wrong: [两个维护]\n- right: 甲\n  wrong: []\n  extra: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_terms(bad)
    assert len(exc.value.problems) == 3


# ------------------------------------------------------------------ house style


def test_wrong_margin_is_reported(tmp_path, corpus):
    doc = build_docx(tmp_path / "d.docx", margin_left_mm=31.8)
    [f] = check_document(doc, corpus)
    assert (f.kind, f.severity) == ("style", "error") and "左边距" in f.message and "31.8" in f.message


def test_margin_within_half_millimetre_is_fine(tmp_path, corpus):
    assert check_document(build_docx(tmp_path / "d.docx", margin_left_mm=28.4), corpus) == []


def test_missing_page_number_is_reported(tmp_path, corpus):
    [f] = check_document(build_docx(tmp_path / "d.docx", page_numbers=False), corpus)
    assert "页码" in f.message


def test_body_font_and_line_spacing_changed_in_word_are_reported(tmp_path, corpus):
    import docx
    from docx.shared import Pt

    path = build_docx(tmp_path / "d.docx")
    d = docx.Document(str(path))
    body = d.paragraphs[2]
    body.paragraph_format.line_spacing = 1.5  # "1.5 倍行距" set directly on the paragraph
    for run in body.runs:
        run.font.size = Pt(14)
    d.save(str(path))
    msgs = [f.message for f in check_document(path, corpus)]
    assert any("行距" in m for m in msgs) and any("字号" in m for m in msgs) and len(msgs) == 2


def test_style_checks_skip_markdown(tmp_path, corpus):
    assert [f for f in check_document(build_markdown(tmp_path / "d.md"), corpus) if f.kind == "style"] == []


# ------------------------------------------------------------------ tracked changes and comments


def _add_tracked_change(path: Path) -> None:
    """In paragraph 5, delete “24次” and insert “26次” as tracked changes."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    old = "全年组织党组理论学习中心组学习24次，开展专题研讨8场。"
    assert old in xml
    new = (
        "全年组织党组理论学习中心组学习</w:t></w:r>"
        '<w:del w:id="91" w:author="编辑" w:date="2025-01-01T00:00:00Z"><w:r><w:delText>24次</w:delText></w:r></w:del>'
        '<w:ins w:id="92" w:author="编辑" w:date="2025-01-01T00:00:00Z"><w:r><w:t>26次</w:t></w:r></w:ins>'
        "<w:r><w:t>，开展专题研讨8场。"
    )
    parts["word/document.xml"] = xml.replace(old, new).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)


def test_tracked_changes_count_insertions_and_ignore_deletions(tmp_path, corpus):
    from writer.check.draft_reading import read_draft

    path = build_docx(tmp_path / "d.docx")
    _add_tracked_change(path)
    para = read_draft(path).paragraphs[4]
    assert "学习26次" in para.text and "24次" not in para.text
    [f] = check_document(path, corpus)
    assert f.kind == "figure" and "26次" in f.message and "素材为 24次" in f.message


def test_comment_with_source_reference_maps_the_paragraph(tmp_path):
    from writer.check.draft_reading import refs_from_comment

    [ref] = refs_from_comment("来源：seeds/000_6ef9b5ad5fd7aa5f.txt 第4–6行")
    assert (ref.path, ref.line_start, ref.line_end) == ("seeds/000_6ef9b5ad5fd7aa5f.txt", 4, 6)


def test_word_comments_are_read_with_their_paragraph(tmp_path, corpus):
    import docx

    path = build_docx(tmp_path / "d.docx")
    d = docx.Document(str(path))
    para = d.paragraphs[4]
    d.add_comment(para.runs, text="来源：jiangnan_brand.txt 第6行", author="writer")
    d.save(str(path))
    from writer.check.draft_reading import read_draft

    p = read_draft(path).paragraphs[4]
    assert p.comments and p.sources[0].path == "jiangnan_brand.txt" and p.sources[0].line_start == 6
    assert check_document(path, corpus) == []


# ------------------------------------------------------------------ CLI


def _w(runner, *args):
    return runner.invoke(app, ["check", *map(str, args)])


def test_cli_clean_draft_exits_zero(runner, tmp_path):
    result = _w(runner, build_docx(tmp_path / "d.docx"), "--sources", SOURCES)
    assert result.exit_code == 0, result.output
    assert "未发现问题。" in result.output


def test_cli_errors_exit_one_with_table_and_total(runner, tmp_path):
    planted = replace(replace(CLEAN, "学习24次", "学习42次"), "同比上升12.5%", "同比上升12.5%,成效明显")
    doc = build_docx(tmp_path / "d.docx", planted)
    result = _w(runner, doc, "--sources", SOURCES)
    assert result.exit_code == 1
    assert "数字核对" in result.output and "标点" in result.output
    assert "共发现 2 处问题：错误 1，提醒 1" in result.output


def test_cli_warnings_only_exit_zero_unless_strict(runner, tmp_path):
    doc = build_markdown(tmp_path / "d.md", replace(CLEAN, "同比上升12.5%", "同比上升12.5%,成效明显"))
    assert _w(runner, doc, "--sources", SOURCES).exit_code == 0
    assert _w(runner, doc, "--sources", SOURCES, "--strict").exit_code == 1


def test_cli_json_output(runner, tmp_path):
    doc = build_markdown(tmp_path / "d.md", replace(CLEAN, "学习24次", "学习42次"))
    result = _w(runner, doc, "--sources", SOURCES, "--json")
    data = json.loads(result.stdout)
    assert data["document"] == str(doc)
    assert data["summary"] == {"total": 1, "errors": 1, "warnings": 0}
    assert data["findings"][0]["kind"] == "figure" and data["findings"][0]["paragraph"] == 5


def test_cli_without_sources_skips_figures_with_a_notice(runner, tmp_path):
    doc = build_markdown(tmp_path / "d.md", replace(CLEAN, "学习24次", "学习42次"))
    result = _w(runner, doc)
    assert result.exit_code == 0 and "已跳过数字" in result.output


def test_cli_uses_sources_recorded_in_the_sidecar(runner, tmp_path):
    doc = build_markdown(tmp_path / "d.md", replace(CLEAN, "学习24次", "学习42次"))
    sidecar = {
        "document": "d.md",
        "paragraphs": [
            {
                "index": 5,
                "kind": "body",
                "text": CLEAN[4][1],
                "passages": [],
                "sources": [
                    {
                        "passage_id": None,
                        "path": str(SOURCES / "jiangnan_brand.txt"),
                        "unit": "",
                        "line_start": 6,
                        "line_end": 6,
                        "article": "",
                    }
                ],
            }
        ],
    }
    (tmp_path / "d.md.sources.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    result = _w(runner, doc, "--json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1 and "素材为 24次" in data["findings"][0]["message"]


def test_cli_missing_document_is_a_usage_error(runner, tmp_path):
    result = _w(runner, tmp_path / "无.docx")
    assert result.exit_code == 2 and "找不到要检查的文档" in result.output


def test_cli_bad_style_file_is_a_config_error(runner, tmp_path):
    bad = tmp_path / "style.yaml"
    bad.write_text("page: [\n", encoding="utf-8")
    result = _w(runner, build_docx(tmp_path / "d.docx"), "--style", bad)
    assert result.exit_code == 2 and "版式配置" in result.output


# ------------------------------------------------------------------ LibreOffice round trip


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="需要 LibreOffice（soffice）")
def test_libreoffice_round_trip_keeps_house_style_and_figures(tmp_path, corpus):
    (tmp_path / "in").mkdir()
    src = build_docx(tmp_path / "in" / "clean.docx")
    out = tmp_path / "out"
    converted = soffice_convert(src, out, "docx", timeout=180)
    findings = check_document(converted, corpus)
    assert findings == [], findings


def test_repeated_run_in_number_in_seed_002_is_reported(tmp_path, seeds_dir):
    # seeds/002 really has “……四是联合……四是建立……” in one paragraph.
    draft = tmp_path / "d.txt"
    shutil.copy(next(seeds_dir.glob("002_*.txt")), draft)
    numbering = [f for f in check_document(draft, None) if f.kind == "numbering" and "没有“二是”" not in f.message]
    assert len(numbering) == 1 and "应为“五是”" in numbering[0].message


def test_seed_texts_checked_against_seeds_have_no_figure_errors(tmp_path, seeds_dir):
    corpus_ = ingest([seeds_dir])
    for seed in sorted(seeds_dir.glob("*.txt")):
        draft = tmp_path / seed.name
        shutil.copy(seed, draft)
        assert [f for f in check_document(draft, corpus_) if f.kind in ("figure", "quote")] == [], seed.name


# ------------------------------------------------------------------ tables and empty documents


def test_markdown_table_cells_holding_paths_and_row_numbers_are_not_figures(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "000_6ef9.txt").write_text("北京市检察院\n\n办案比重上升至64.6%。\n", encoding="utf-8")
    md = tmp_path / "稿.md"
    md.write_text(
        "# 稿\n\n办案比重上升至64.6%。\n\n## 附：关键数据一览\n\n"
        "| 序号 | 数字 | 原文 | 出处 |\n| --- | --- | --- | --- |\n"
        "| 1 | 64.6% | 办案比重上升至64.6% | 000_6ef9.txt 第3行 |\n"
        "| 2 | 64.6% | 办案比重上升至64.6% | 000\\_6ef9.txt 第3–4行；000_6ef9.txt 第3行 |\n",
        encoding="utf-8",
    )
    findings = check_document(md, ingest([src]))
    assert findings == []


def test_a_changed_figure_in_a_markdown_table_is_still_found(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("北京市检察院\n\n办案比重上升至64.6%。\n", encoding="utf-8")
    md = tmp_path / "稿.md"
    md.write_text(
        "# 稿\n\n办案比重上升至64.6%。\n\n| 序号 | 数字 |\n| --- | --- |\n| 1 | 办案比重上升至65.6% |\n",
        encoding="utf-8",
    )
    assert kinds(check_document(md, ingest([src]))) == ["figure"]


@pytest.mark.parametrize("text", ["", "\n\n", "# 标题\n", "# 标题\n\n## 一、思想引领\n\n## 二、组织引领\n"])
def test_an_empty_or_heading_only_document_is_an_error(tmp_path, runner, text):
    md = tmp_path / "空.md"
    md.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(md), "--json"])
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    assert [(f["kind"], f["severity"]) for f in findings] == [("empty", "error")]


def test_spaces_inside_a_quoted_slogan_are_not_flagged_but_spaces_in_text_are(tmp_path):
    md = tmp_path / "slogan.md"
    md.write_text(
        "# 标题\n\n始终牢固树立“抓党建 带队伍 促业务”发展理念，推动党建与业务融合发展。\n\n"
        "持续深化党建 业务融合，推动检察工作高质量发展。\n",
        encoding="utf-8",
    )
    spaces = [f for f in run_checks(md, None).findings if f.message == "汉字之间有多余空格"]
    assert [f.paragraph for f in spaces] == [3]
