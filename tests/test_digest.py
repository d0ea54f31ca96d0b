"""writer digest: condensed entries per article, unit order, templates, files, CLI, LibreOffice."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SEEDS, soffice_convert
from writer.cli.app import app
from writer.compose.digest import (
    LEVEL_CITY,
    LEVEL_COUNTY,
    LEVEL_PROVINCE,
    build_comparison,
    build_digest,
    comparison_blocks,
    unit_level,
)
from writer.compose.highlights import article_unit
from writer.config.outline import load_outline
from writer.errors import ConfigError, UsageError
from writer.model.document import HEADING, PARAGRAPH, TABLE, TITLE, UNIT
from writer.render.layout import layout_digest, load_digest_templates
from writer.sources.ingest import ingest

DIGEST_FIXTURE = FIXTURES / "digest"
SEED_001 = "001_8767bba7c2b90ac2"


@pytest.fixture(scope="module")
def seeds_corpus():
    return ingest([SEEDS])


@pytest.fixture(scope="module")
def fixture_corpus():
    return ingest([DIGEST_FIXTURE])


# ------------------------------------------------------------------ unit level


@pytest.mark.parametrize(
    "unit, expected",
    [
        ("上海市检察院", (LEVEL_PROVINCE, False)),
        ("北京市人民检察院", (LEVEL_PROVINCE, False)),
        ("自治区人民检察院", (LEVEL_PROVINCE, False)),
        ("福建省检察院民事检察部党支部", (LEVEL_PROVINCE, True)),
        ("山东省菏泽市检察院", (LEVEL_CITY, False)),
        ("内蒙古自治区包头市检察院", (LEVEL_CITY, False)),
        ("广东省深圳市检察院金融和知识产权检察部党支部", (LEVEL_CITY, True)),
        ("湖南省湘西土家族苗族自治州人民检察院", (LEVEL_CITY, False)),
        ("上海市人民检察院第一分院", (LEVEL_CITY, False)),
        ("云南省昆明市五华区检察院", (LEVEL_COUNTY, False)),
        ("上海市浦东新区人民检察院", (LEVEL_COUNTY, False)),
        ("互助县人民检察院", (LEVEL_COUNTY, False)),
        ("内蒙古自治区鄂托克前旗人民检察院", (LEVEL_COUNTY, False)),
    ],
)
def test_unit_level_is_read_from_the_unit_name(unit, expected):
    assert unit_level(unit) == expected


# ------------------------------------------------------------------ seeds


@pytest.fixture(scope="module", params=[300, 500])
def seeds_digest(request, seeds_corpus):
    return build_digest(seeds_corpus, chars=request.param)


def test_one_entry_per_article_seven_from_the_compilation(seeds_digest, seeds_corpus):
    assert len(seeds_digest.entries) == 11
    assert sum(e.article_id.startswith(SEED_001) for e in seeds_digest.entries) == 7
    assert sorted(e.article_id for e in seeds_digest.entries) == sorted(a.id for _, a in seeds_corpus.articles())


def test_each_entry_is_within_twenty_percent_of_the_requested_length(seeds_digest):
    n = seeds_digest.chars
    for e in seeds_digest.entries:
        assert 0.8 * n <= e.chars <= 1.2 * n, (e.title, e.chars)


def test_each_entry_has_its_articles_unit(seeds_digest, seeds_corpus):
    from writer.text.units import same_unit

    units = {a.id: a.unit for _, a in seeds_corpus.articles()}
    for e in seeds_digest.entries:
        assert e.unit and (e.unit == units[e.article_id] or same_unit(e.unit, units[e.article_id]))


def test_a_unit_written_without_its_region_is_completed_from_the_text(seeds_digest):
    units = [e.unit for e in seeds_digest.entries]
    assert "广西壮族自治区人民检察院" in units and "自治区人民检察院" not in units


def test_every_sentence_is_a_whole_sentence_taken_verbatim_from_its_passage(seeds_digest, seeds_corpus):
    for e in seeds_digest.entries:
        assert len(e.sentences) == len(e.refs)
        for sentence, ref in zip(e.sentences, e.refs):
            _, article, passage = seeds_corpus.find_passage(ref.passage_id)
            assert article.id == e.article_id
            assert sentence in passage.text
            # whole: it ends a source sentence (only a leading enumerator may be dropped)
            assert any(s.strip().endswith(sentence) for s in passage.sentences), sentence
            assert re.search(r"[。！？…][”’」』）)]*$", sentence), sentence


def test_sentences_stay_in_source_order(seeds_digest, seeds_corpus):
    for e in seeds_digest.entries:
        positions = []
        for sentence, ref in zip(e.sentences, e.refs):
            source, article, passage = seeds_corpus.find_passage(ref.passage_id)
            order = [p.id for p in article.passages].index(passage.id)
            positions.append((order, passage.text.index(sentence)))
        assert positions == sorted(positions), e.title


def test_entries_keep_lead_claim_and_named_practices(seeds_corpus):
    digest = build_digest(seeds_corpus, chars=300)
    by_unit = {e.unit: e for e in digest.entries}
    assert "“四同”机制" in by_unit["山东省菏泽市检察院"].sentences[0]
    # 互助's opening sentence leaves “政治引领有高度…… unclosed: a clean sentence of the unit leads instead
    assert by_unit["互助县人民检察院"].sentences[0].startswith("互助县人民检察院深入推行")
    assert "64.6%" in by_unit["北京市检察院"].text
    assert "“1带N”" in by_unit["内蒙古自治区包头市检察院"].text
    # quoted speech (a news feature's dialogue) is never taken
    speech = re.compile(r"^“[^”]*[。！？]”")
    assert not any(speech.match(s) for e in digest.entries for s in e.sentences)
    assert any(speech.match(s) for _, _, p in seeds_corpus.iter_passages() for s in p.sentences)  # there was some


def test_entries_run_province_then_city_then_county_branches_after_their_level(seeds_digest):
    keys = [unit_level(e.unit) for e in seeds_digest.entries]
    assert keys == sorted(keys)
    units = [e.unit for e in seeds_digest.entries]
    assert units.index("福建省检察院民事检察部党支部") > units.index("上海市检察院")
    assert units.index("山东省菏泽市检察院") < units.index("江苏省昆山市检察院第四党支部")
    assert units[-1] == "互助县人民检察院"


def test_untitled_article_gets_its_quoted_code_as_title_and_a_notice(seeds_corpus):
    digest = build_digest(seeds_corpus, chars=300)
    entry = next(e for e in digest.entries if e.unit == "互助县人民检察院")
    assert entry.title_composed and entry.title == "“1416”工作思路"
    assert entry.title in (SEEDS / "004_a6d7a54a70ca9500.txt").read_text(encoding="utf-8")
    assert any(n.code == "digest-title" for n in digest.notices)


def test_digest_title_is_the_default_without_an_outline_not_one_pages_title(seeds_corpus):
    assert build_digest(seeds_corpus).title == "经验做法摘编"


def test_article_titles_lose_the_web_pages_bracketed_tail(seeds_corpus):
    titles = [e.title for e in build_digest(seeds_corpus).entries]
    assert "打造“3315”党建工作模式，跑出高质量发展加速度" in titles
    assert not [t for t in titles if "实施方案" in t]


def test_clean_title_keeps_brackets_that_belong_to_the_title():
    from writer.compose.digest import clean_title

    assert clean_title("持续做优检察机关党建工作（上）") == "持续做优检察机关党建工作（上）"
    assert clean_title("服务保障中国（广西）自贸区建设") == "服务保障中国（广西）自贸区建设"
    assert clean_title("党建引领业务发展（组图）") == "党建引领业务发展"


@pytest.mark.parametrize("chars", [0, -5])
def test_non_positive_chars_is_a_usage_error(seeds_corpus, chars):
    with pytest.raises(UsageError, match="--chars"):
        build_digest(seeds_corpus, chars=chars)


# ------------------------------------------------------------------ own fixture


def test_own_fixture_orders_province_branch_county_and_composes_the_missing_title(fixture_corpus):
    digest = build_digest(fixture_corpus, chars=120)
    assert [e.unit for e in digest.entries] == [
        "浙江省检察院",
        "浙江省检察院第三检察部党支部",
        "西宁市城中区人民检察院",
        "浙江省宁波市鄞州区检察院",
    ]
    assert digest.entries[2].title == "“2345”工作思路"
    assert digest.title == "经验做法摘编"
    for e in digest.entries:
        assert 96 <= e.chars <= 144, (e.unit, e.chars)


def test_short_article_is_taken_whole_with_a_notice(fixture_corpus):
    digest = build_digest(fixture_corpus, chars=1000)
    assert any(n.code == "digest-short" for n in digest.notices)
    branch = next(e for e in digest.entries if e.unit.endswith("党支部"))
    assert "满意率达到98.6%" in branch.text  # every sentence of the short article is kept


def _outline(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "摘登.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_outline_sources_order_units_filter_and_editor_note(tmp_path, fixture_corpus):
    path = _outline(
        tmp_path,
        f"""preset: 三个引领
title: 浙青两地党建经验摘登
editor_note: 现摘登部分单位经验做法，供交流参考。
sources:
  - {DIGEST_FIXTURE / "无标题材料.txt"}
  - path: {DIGEST_FIXTURE / "汇编.txt"}
    units: [浙江省宁波市鄞州区检察院, 浙江省检察院]
""",
    )
    outline = load_outline(path)
    corpus = ingest([s.path for s in outline.sources])
    digest = build_digest(corpus, chars=120, outline=outline)
    assert digest.title == "浙青两地党建经验摘登"
    assert [e.unit for e in digest.entries] == ["西宁市城中区人民检察院", "浙江省宁波市鄞州区检察院", "浙江省检察院"]
    doc = layout_digest(digest, load_digest_templates())
    assert doc.blocks[1].kind == PARAGRAPH and doc.blocks[1].text == "编者按：现摘登部分单位经验做法，供交流参考。"
    ref = doc.blocks[1].refs[0]
    assert ref.path == str(path) and ref.line_start == 3


# ------------------------------------------------------------------ layout and templates


def test_layout_is_title_then_heading_unit_paragraph_per_entry(fixture_corpus):
    digest = build_digest(fixture_corpus, chars=120)
    doc = layout_digest(digest, load_digest_templates())
    assert doc.blocks[0].kind == TITLE and doc.blocks[0].text == digest.title
    kinds = [b.kind for b in doc.blocks[1:]]
    assert kinds == [HEADING, UNIT, PARAGRAPH] * len(digest.entries)
    for entry, i in zip(digest.entries, range(1, len(kinds), 3)):
        assert doc.blocks[i].text == entry.title and doc.blocks[i + 1].text == entry.unit
        assert doc.blocks[i + 2].text == entry.text and doc.blocks[i + 2].refs


def test_user_templates_override_the_digest_templates(tmp_path, fixture_corpus):
    (tmp_path / "entry_title.j2").write_text("{{ number }}、{{ entry.title }}", encoding="utf-8")
    doc = layout_digest(build_digest(fixture_corpus, chars=120), load_digest_templates(tmp_path))
    assert doc.blocks[1].text == "一、以高质量党建引领检察工作现代化"


def test_template_with_unknown_variable_is_a_config_error(tmp_path):
    (tmp_path / "unit_line.j2").write_text("{{ entry.unit }}{{ report }}", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_digest_templates(tmp_path)
    assert "report" in " ".join(info.value.problems)


# ------------------------------------------------------------------ comparison


def test_comparison_names_a_practice_never_a_narrative_fragment_nor_a_nationwide_formulation(seeds_corpus):
    outline = load_outline(Path(__file__).resolve().parent.parent / "config" / "outline.yaml")
    practices = [r.practice for r in build_comparison(seeds_corpus, outline).rows]
    assert "做到“两个维护”" not in practices  # a nationwide formulation, not the unit's practice
    assert not [p for p in practices if p.startswith(("江苏昆山孕育出", "该院"))]  # narrative
    assert all(len(p) <= 20 or p.startswith("“") for p in practices)


def test_comparison_names_each_units_lead_phrase_once_per_section(seeds_corpus):
    outline = load_outline(Path(__file__).resolve().parent.parent / "config" / "outline.yaml")
    comparison = build_comparison(seeds_corpus, outline)
    assert comparison.rows
    seen = set()
    for row in comparison.rows:
        assert (row.section, row.unit) not in seen
        seen.add((row.section, row.unit))
        if row.ref is None:
            assert row.practice == "—"  # the unit has nothing for this section
            continue
        _, article, passage = seeds_corpus.find_passage(row.ref.passage_id)
        assert row.practice in passage.text and article_unit(article) == row.unit
    assert {r.section for r in comparison.rows} <= {s.title for s in outline.sections}
    units = {a.unit for _, a in seeds_corpus.articles() if a.unit}
    assert len(comparison.rows) == len(outline.sections) * len(units)  # every unit in every section
    blocks = comparison_blocks(comparison)
    assert [b.kind for b in blocks] == [HEADING, TABLE] and len(blocks[1].rows) == len(comparison.rows) + 1


# ------------------------------------------------------------------ CLI


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_cli_default_run_writes_docx_markdown_and_sidecars(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["digest", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    stem = "经验做法摘编-摘登"
    assert _files(out) == sorted([f"{stem}.docx", f"{stem}.docx.sources.json", f"{stem}.md", f"{stem}.md.sources.json"])
    assert "摘登 11 条" in result.output
    md = (out / f"{stem}.md").read_text(encoding="utf-8")
    assert md.count("\n## ") == 11 + 2  # entries + the two highlights tables
    assert "<!-- 来源：" in md and "| 序号 | 数字 | 类别 | 原文 | 单位 | 出处 |" in md
    side = json.loads((out / f"{stem}.docx.sources.json").read_text(encoding="utf-8"))
    paragraphs = [p for p in side["paragraphs"] if p["kind"] == "paragraph"]
    assert len(paragraphs) == 11 and all(p["sources"] for p in paragraphs)


def test_cli_format_md_writes_only_markdown(runner, tmp_path):
    result = runner.invoke(
        app, ["digest", str(DIGEST_FIXTURE), "--out", str(tmp_path), "--format", "md", "--chars", "120"]
    )
    assert result.exit_code == 0, result.output
    assert _files(tmp_path) == ["经验做法摘编-摘登.md", "经验做法摘编-摘登.md.sources.json"]


def test_cli_second_run_keeps_the_first_output_and_writes_dash_two(runner, tmp_path):
    args = ["digest", str(DIGEST_FIXTURE), "--out", str(tmp_path), "--format", "md", "--chars", "120"]
    assert runner.invoke(app, args).exit_code == 0
    first = tmp_path / "经验做法摘编-摘登.md"
    first.write_text("编辑改过的稿子", encoding="utf-8")
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert first.read_text(encoding="utf-8") == "编辑改过的稿子"
    assert (tmp_path / "经验做法摘编-摘登-2.md").is_file()
    assert "已存在" in result.output and "--force" in result.output
    result = runner.invoke(app, args + ["--force"])
    assert result.exit_code == 0
    assert first.read_text(encoding="utf-8") != "编辑改过的稿子"
    assert not (tmp_path / "经验做法摘编-摘登-3.md").exists()


@pytest.mark.parametrize("chars", ["0", "-3"])
def test_cli_bad_chars_exits_2_with_a_chinese_message_and_writes_nothing(runner, tmp_path, chars):
    result = runner.invoke(app, ["digest", str(DIGEST_FIXTURE), "--out", str(tmp_path / "o"), f"--chars={chars}"])
    assert result.exit_code == 2
    assert "--chars 应为正整数" in result.output
    assert not (tmp_path / "o").exists()


def test_cli_bad_format_exits_2(runner, tmp_path):
    result = runner.invoke(app, ["digest", str(DIGEST_FIXTURE), "--out", str(tmp_path), "--format", "pdf"])
    assert result.exit_code == 2 and "--format 只能是" in result.output


def test_cli_compare_and_no_comments(runner, tmp_path):
    import docx

    result = runner.invoke(
        app, ["digest", str(SEEDS), "--out", str(tmp_path), "--format", "docx", "--compare", "--no-comments"]
    )
    assert result.exit_code == 0, result.output
    path = next(tmp_path.glob("*.docx"))
    document = docx.Document(str(path))
    assert len(document.tables) == 3  # practices, figures, comparison
    assert document.tables[2].cell(0, 2).text == "主要做法"
    assert not [p for p in document.part.package.iter_parts() if "comments" in str(p.partname)]


# ------------------------------------------------------------------ LibreOffice


def _has_chinese_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    return bool(out.strip())


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="没有 LibreOffice（soffice）")
def test_libreoffice_converts_the_digest_with_every_entry_title(tmp_path, runner):
    if not _has_chinese_font():
        pytest.skip("系统没有中文字体（fc-list :lang=zh 为空），PDF 文字无法核对")
    import pypdf

    result = runner.invoke(
        app, ["digest", str(DIGEST_FIXTURE), "--out", str(tmp_path / "摘登.docx"), "--format", "docx", "--chars", "120"]
    )
    assert result.exit_code == 0, result.output
    source = tmp_path / "摘登.docx"
    pdf = soffice_convert(source, tmp_path / "pdf")
    text = re.sub(r"\s+", "", "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(str(pdf)).pages))
    for title in ("以高质量党建引领检察工作现代化", "“三张清单”压实管党治党责任", "“2345”工作思路", "关键数据一览"):
        assert title in text, title


def test_writer_check_finds_no_figure_errors_in_the_digest_and_its_tables(runner, tmp_path):
    result = runner.invoke(
        app, ["digest", str(DIGEST_FIXTURE), "--out", str(tmp_path), "--format", "docx", "--chars", "120"]
    )
    assert result.exit_code == 0, result.output
    path = next(tmp_path.glob("*.docx"))
    result = runner.invoke(app, ["check", str(path), "--json"])
    report = json.loads(result.stdout)
    assert [f for f in report["findings"] if f["kind"] == "figure"] == []


def test_check_reads_the_digest_tables_alike_in_markdown_and_docx(runner, tmp_path):
    result = runner.invoke(app, ["digest", str(SEEDS), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    found = {}
    for name in ("*.md", "*.docx"):
        checked = runner.invoke(app, ["check", str(next(tmp_path.glob(name))), "--json"])
        findings = json.loads(checked.stdout)["findings"]
        found[name] = sorted((f["kind"], f["message"]) for f in findings)
        # table cells (row numbers, files and lines) are not figures; every figure is in the sources
        assert not [f for f in findings if f["kind"] in ("figure", "empty")], name
    assert found["*.md"] == found["*.docx"]


def test_the_digest_prefers_sentences_that_need_no_repair(tmp_path):
    from writer.compose.digest import condense
    from writer.sources.ingest import ingest as read

    source = tmp_path / "a.txt"
    source.write_text(
        "测试标题\n某某县人民检察院\n\n"
        "近年来，某某县人民检察院坚持党建引领，推动党建与业务深度融合。"
        "XX同志牵头打造“红色引擎”品牌，办理重点案件12件，获评先进集体。"
        "该院建立双融双促考评机制，开展主题党日12次，获评先进。\n",
        encoding="utf-8",
    )
    [article] = read([source]).sources[0].articles
    kept = "".join(c.text for c in condense(article, 60))
    assert "双融双促" in kept
    assert "XX" not in kept and kept.count("“") == kept.count("”")


def _one_article(tmp_path: Path, text: str):
    from writer.sources.ingest import ingest as read

    source = tmp_path / "a.txt"
    source.write_text(text, encoding="utf-8")
    [article] = read([source]).sources[0].articles
    return source, article


def _quotes_pair(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"“": 1, "”": -1}.get(ch, 0)
        if depth not in (0, 1):
            return False
    return depth == 0


def test_a_sentence_with_a_misdirected_quote_is_left_for_a_clean_one(tmp_path):
    from writer.compose.digest import condense

    # ”晨光“ has as many opening as closing marks, yet is written the wrong way round
    _, article = _one_article(
        tmp_path,
        "晨光工作法\n某某县人民检察院\n\n"
        "近年来，某某县人民检察院坚持党建引领，推动党建与业务深度融合发展。"
        "该院打造”晨光“党建品牌和“清风”工作室，办理重点案件16件，获评先进集体。"
        "该院建立月度研判例会制度，组织青年干警轮岗锻炼，队伍素质稳步提升。\n",
    )
    kept = [c.text for c in condense(article, 60)]
    assert "该院建立月度研判例会制度，组织青年干警轮岗锻炼，队伍素质稳步提升。" in kept
    assert all(_quotes_pair(s) for s in kept), kept
    # taken all the same (verbatim) when no clean sentence can stand in
    kept = [c.text for c in condense(article, 90)]
    assert "该院打造”晨光“党建品牌和“清风”工作室，办理重点案件16件，获评先进集体。" in kept


def test_the_lead_claim_is_a_clean_opening_sentence_when_there_is_one(tmp_path):
    from writer.compose.digest import condense

    _, article = _one_article(
        tmp_path,
        "晨光工作法\n某某县人民检察院\n\n"
        "近年来，某某县人民检察院坚持“党建+业务”党建+服务”双轮驱动，推动党建与业务深度融合发展。"
        "党建工作是检察机关做好各项工作的根本保证和重要基础。\n\n"
        "一是夯实基础。建立月度研判例会制度，组织青年干警轮岗锻炼，队伍素质稳步提升。"
        "二是创新载体。开展“清风”主题党日活动12次，办理公益诉讼案件16件，获评先进集体。\n",
    )
    kept = [c.text for c in condense(article, 70)]
    assert "党建工作是检察机关做好各项工作的根本保证和重要基础。" in kept
    assert not any("双轮驱动" in s for s in kept), kept


def test_a_clean_sentence_of_the_unit_stands_in_for_a_lead_claim_that_needs_repair(tmp_path):
    from writer.compose.digest import condense

    _, article = _one_article(
        tmp_path,
        "晨光工作法\n某某县人民检察院\n\n"
        "近年来，某某县人民检察院坚持“党建+业务”党建+服务”双轮驱动，推动党建与业务深度融合发展。\n\n"
        "一是夯实基础。建立月度研判例会制度，组织青年干警轮岗锻炼，队伍素质稳步提升。"
        "二是创新载体。该院开展“清风”主题党日活动12次，办理公益诉讼案件16件，获评先进集体。\n",
    )
    kept = [c.text for c in condense(article, 45)]
    assert kept == ["该院开展“清风”主题党日活动12次，办理公益诉讼案件16件，获评先进集体。"]


def test_an_article_that_fits_whole_leaves_out_a_sentence_the_others_can_do_without(tmp_path):
    from writer.compose.digest import condense

    _, article = _one_article(
        tmp_path,
        "晨光工作法\n某某县人民检察院\n\n"
        "近年来，某某县人民检察院坚持党建引领，推动党建与业务深度融合发展。"
        "该院由XX同志牵头组建青年理论学习小组。"
        "该院建立月度研判例会制度，组织青年干警轮岗锻炼，队伍素质稳步提升。"
        "该院开展“清风”主题党日活动12次，办理公益诉讼案件16件，获评先进集体。\n",
    )
    kept = [c.text for c in condense(article, 110)]
    assert not any("XX" in s for s in kept) and len(kept) == 3, kept


def test_a_title_with_a_masked_name_is_composed_like_a_missing_one_with_a_notice(tmp_path):
    source, article = _one_article(
        tmp_path,
        "XX市打造检察党建品牌的探索与实践\n某某县人民检察院\n\n"
        "近年来，某某县人民检察院坚持党建引领，打造“晨光”党建品牌，推动党建与业务深度融合发展。"
        "该院建立月度研判例会制度，组织青年干警轮岗锻炼，队伍素质稳步提升。\n",
    )
    digest = build_digest(ingest([source]), chars=60)
    [entry] = digest.entries
    assert entry.title_composed and entry.title == "“晨光”党建品牌"
    [notice] = [n for n in digest.notices if n.code == "digest-title"]
    assert notice.path == str(source) and notice.line == 1
    assert "XX" in notice.message and entry.title in notice.message


def test_the_unedited_seeds_digest_passes_check_strict_in_markdown_and_docx(runner, tmp_path):
    result = runner.invoke(app, ["digest", str(SEEDS), "--out", str(tmp_path), "--format", "both"])
    assert result.exit_code == 0, result.output
    for name in ("*.md", "*.docx"):
        [path] = [p for p in tmp_path.glob(name) if not p.name.endswith(".sources.json")]
        checked = runner.invoke(app, ["check", str(path), "--strict", "--json"])
        assert checked.exit_code == 0, (name, checked.stdout)
        assert json.loads(checked.stdout)["findings"] == [], name
