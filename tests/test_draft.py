"""`writer draft` and `writer init`: the main job, end to end through the CLI."""

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import soffice_convert
from writer.cli.app import app
from writer.sources.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TITLE = "发挥“三个引领”作用 以高质量党建促进检察高质量发展"


def _body_paragraphs(md: str) -> list[str]:
    paras = [p.strip() for p in md.split("\n\n")]
    # the text as read: comments dropped, the lead's **bold** markers taken off
    return [
        re.sub(r"\n?<!--.*?-->", "", p, flags=re.S).replace("**", "").strip()
        for p in paras
        if p and not p.startswith("#")
    ]


_UNIT_NAME = re.compile(r"[\u4e00-\u9fff]{1,8}(?:省|市|县|区|旗|州)(?:人民)?检察院|该院|我院|本院")


def _in_sources(sentence: str, source_text: str) -> bool:
    """Verbatim but for unit names the voice may have changed (我院 ↔ 互助县检察院)."""
    pieces = [re.escape(x) for x in _UNIT_NAME.split(sentence)]
    return re.search(r"(?:[^，。；]{0,24}检察院|该院|我院|本院)".join(pieces), source_text) is not None


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("draft")
    result = CliRunner().invoke(app, ["draft", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_draft_writes_docx_md_and_sidecar_named_after_the_title(drafted):
    out, output = drafted
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([f"{TITLE}.docx", f"{TITLE}.md", f"{TITLE}.docx.sources.json", f"{TITLE}.md.sources.json"])
    assert "已写出" in output


def test_draft_has_three_numbered_sections_of_two_to_four_items(drafted):
    out, _ = drafted
    md = (out / f"{TITLE}.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", md, flags=re.M)
    assert [h[:2] for h in headings] == ["一、", "二、", "三、"]
    assert headings[1] == "二、坚持发挥组织体系引领作用"
    sections = re.split(r"^## .+$", md, flags=re.M)[1:]
    for sec in sections:
        items = [p for p in _body_paragraphs(sec) if re.match(r"^[一二三四]是", p)]
        assert 2 <= len(items) <= 4


def test_no_source_enumerator_inside_an_item_and_no_half_width_punctuation(drafted):
    out, _ = drafted
    md = (out / f"{TITLE}.md").read_text(encoding="utf-8")
    for p in _body_paragraphs(md):
        inner = p[2:]
        assert not re.search(
            r"[一二三四五六七八九十]是[^非否]|（[一二三四五六七八九十]）|(?<![\d.])\d[.、](?!\d)", inner[:3]
        ), p[:30]
        assert not re.search(r"[。；]\s*[一二三四五六七八九十]是", inner), p[:40]
        assert not re.search(r"[\u4e00-\u9fff][,;:?!()]|[,;:?!()][\u4e00-\u9fff]", p), p[:40]


def test_no_boilerplate_and_every_sentence_is_in_the_sources(drafted):
    out, _ = drafted
    corpus = ingest([SEEDS])
    source_text = "\n".join(p.text for p in corpus.passages())
    md = (out / f"{TITLE}.md").read_text(encoding="utf-8")
    for w in ["如若转载", "版权", "相关新闻", "返回顶部", "本报记者", "研讨会现场。"]:
        assert w not in md
    sidecar = json.loads((out / f"{TITLE}.md.sources.json").read_text(encoding="utf-8"))
    template = {e["text"] for e in sidecar["paragraphs"] if e.get("template")}
    assert template, "a multi-unit draft opens and closes with marked template text"
    for p in _body_paragraphs(md):
        if p in template:
            continue  # template text is marked as such, never passed off as a source
        body = re.sub(r"^[一二三四五六七八九十]是", "", p)
        body = re.sub(r"（[^（）]*(?:检察院|党支部)[^（）]*）$", "", body)  # attribution
        for sentence in re.findall(r"[^。！？]+[。！？]?[”’]?", body):
            s = sentence.strip()
            if len(s) >= 6:
                assert _in_sources(s.rstrip("。"), source_text), s


def test_sidecar_lists_every_paragraph_with_its_sources(drafted):
    out, _ = drafted
    data = json.loads((out / f"{TITLE}.docx.sources.json").read_text(encoding="utf-8"))
    body = [p for p in data["paragraphs"] if p["kind"] == "paragraph"]
    assert body and all(p["passages"] and p["sources"] for p in body if not p.get("template"))
    assert all(not p["passages"] for p in body if p.get("template"))
    ids = {p.id for p in ingest([SEEDS]).passages()}
    assert all(pid in ids for p in body for pid in p["passages"])


def test_docx_body_paragraphs_carry_comments_and_can_be_switched_off(drafted, runner, tmp_path):
    from docx import Document

    out, _ = drafted
    doc = Document(str(out / f"{TITLE}.docx"))
    assert len(doc.comments) >= 9
    result = runner.invoke(app, ["draft", str(SEEDS), "--out", str(tmp_path), "--no-comments", "--format", "docx"])
    assert result.exit_code == 0, result.output
    assert len(Document(str(tmp_path / f"{TITLE}.docx")).comments) == 0
    assert not (tmp_path / f"{TITLE}.md").exists()


def test_second_run_keeps_the_first_output_and_writes_a_free_name(runner, tmp_path):
    first = runner.invoke(app, ["draft", str(SEEDS), "--out", str(tmp_path), "--format", "md"])
    assert first.exit_code == 0
    target = tmp_path / f"{TITLE}.md"
    target.write_text("编辑改过的稿子", encoding="utf-8")
    second = runner.invoke(app, ["draft", str(SEEDS), "--out", str(tmp_path), "--format", "md"])
    assert second.exit_code == 0
    assert target.read_text(encoding="utf-8") == "编辑改过的稿子"
    assert (tmp_path / f"{TITLE}-2.md").exists()
    assert "改存" in second.output and "--force" in second.output
    forced = runner.invoke(app, ["draft", str(SEEDS), "--out", str(tmp_path), "--format", "md", "--force"])
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8") != "编辑改过的稿子"


def test_first_person_draft_of_one_units_own_work(runner, tmp_path):
    outline = tmp_path / "互助.yaml"
    outline.write_text(
        "preset: 三个引领\n"
        "title: 以“1416”工作思路推动党建与业务深度融合\n"
        "unit: 互助县人民检察院\n"
        "perspective: 我院\n"
        "sources:\n"
        f"  - path: {SEEDS}\n"
        "    units: [互助县人民检察院]\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["draft", "--outline", str(outline), "--out", str(tmp_path), "--format", "md"])
    assert result.exit_code == 0, result.output
    md = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    paras = _body_paragraphs(md)
    assert any("我院" in p for p in paras)
    items = [p for p in paras if re.match(r"^[一二三四]是", p)]
    assert items and not any("互助县人民检察院" in p for p in items)
    data = json.loads(next(tmp_path.glob("*.md.sources.json")).read_text(encoding="utf-8"))
    assert {s["path"].rsplit("/", 1)[-1] for p in data["paragraphs"] for s in p["sources"]} == {
        "004_a6d7a54a70ca9500.txt"
    }
    assert not any("（互助县" in p for p in paras)  # no attribution of one's own work


def test_bad_format_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(app, ["draft", str(SEEDS), "--out", str(tmp_path), "--format", "pdf"])
    assert result.exit_code == 2
    assert "--format" in result.output
    assert not list(tmp_path.iterdir())


def test_bad_outline_writes_nothing(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: 1\nsections: 3\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["draft", str(SEEDS), "--outline", str(bad), "--out", str(out)])
    assert result.exit_code == 2
    assert "第" in result.output and "行" in result.output
    assert not out.exists()


def test_init_makes_a_folder_where_draft_works_after_dropping_sources(runner, tmp_path, monkeypatch):
    folder = tmp_path / "我的材料"
    result = runner.invoke(app, ["init", str(folder), "--preset", "三个引领", "--templates"])
    assert result.exit_code == 0, result.output
    assert (
        (folder / "outline.yaml").exists()
        and (folder / "sources").is_dir()
        and (folder / "templates" / "item.j2").exists()
    )
    text = (folder / "outline.yaml").read_text(encoding="utf-8")
    assert "# " in text  # comments explaining each key survive
    shutil.copy(SEEDS / "000_6ef9b5ad5fd7aa5f.txt", folder / "sources")
    shutil.copy(SEEDS / "004_a6d7a54a70ca9500.txt", folder / "sources")
    monkeypatch.chdir(folder)
    drafted = runner.invoke(app, ["draft"])
    assert drafted.exit_code == 0, drafted.output
    assert list((folder / "output").glob("*.docx"))
    again = runner.invoke(app, ["init", str(folder)])
    assert again.exit_code == 2 and "已存在" in again.output


def test_init_with_an_unknown_preset_fails_cleanly(runner, tmp_path):
    result = runner.invoke(app, ["init", str(tmp_path / "x"), "--preset", "不存在的预设"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.office
def test_libreoffice_opens_the_seeds_draft_and_shows_title_and_headings(drafted, tmp_path):

    from tests.test_render_docx import _has_chinese_font, _pdf_text

    if shutil.which("soffice") is None or not _has_chinese_font():
        pytest.skip("没有 LibreOffice 或中文字体")
    out, _ = drafted
    source = tmp_path / "draft.docx"
    shutil.copy(out / f"{TITLE}.docx", source)
    pdf = soffice_convert(source, tmp_path / "pdf")
    text = re.sub(r"\s+", "", _pdf_text(pdf))
    assert re.sub(r"\s+", "", TITLE) in text
    md = (out / f"{TITLE}.md").read_text(encoding="utf-8")
    for heading in re.findall(r"^## (.+)$", md, flags=re.M):
        assert heading in text


def test_highlights_appendix_lists_named_practices_and_figures(runner, tmp_path):
    result = runner.invoke(app, ["draft", str(SEEDS), "--out", str(tmp_path), "--format", "md", "--highlights"])
    assert result.exit_code == 0, result.output
    md = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    assert "“双一流”党建品牌" in md and "64.6%" in md
    assert md.count("\n|") > 10


def test_highlights_appendix_covers_only_the_units_the_draft_quotes(runner, tmp_path):
    result = runner.invoke(app, ["draft", str(SEEDS), "--out", str(tmp_path), "--format", "md", "--highlights"])
    assert result.exit_code == 0, result.output
    md = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    body, appendix = md.split("## 附：", 1)
    quoted_units = set(re.findall(r"<!-- 来源：[^（]*（([^）]+)）", body))
    rows = [row.split("|") for row in appendix.splitlines() if re.match(r"\| \d+ \|", row)]
    table_units = {u for cells in rows for u in cells[-3].strip().split("、")}
    assert table_units and table_units <= quoted_units | {""}
    assert "“四同”" not in appendix  # 菏泽's practice: the draft quotes nothing of 菏泽
    cells = "\n".join("|".join(r) for r in rows)
    assert str(SEEDS.resolve()) not in cells and "\\_" not in cells
    assert "000_6ef9b5ad5fd7aa5f.txt 第5行" in cells  # the file relative to the sources folder


def test_check_finds_nothing_in_an_unedited_draft(drafted, runner):
    out, _ = drafted
    result = runner.invoke(app, ["check", str(out / f"{TITLE}.docx"), "--json"])
    data = json.loads(result.stdout)
    assert [f for f in data["findings"] if f["kind"] in ("figure", "quote")] == []
    assert [f for f in data["findings"] if f["severity"] == "error"] == []
    md = runner.invoke(app, ["check", str(out / f"{TITLE}.md"), "--sources", str(SEEDS), "--json"])
    assert [f for f in json.loads(md.stdout)["findings"] if f["severity"] == "error"] == []


@pytest.mark.office
def test_check_works_on_the_draft_saved_by_libreoffice(drafted, runner, tmp_path):

    if shutil.which("soffice") is None:
        pytest.skip("没有 LibreOffice")
    out, _ = drafted
    src_dir = tmp_path / "in"
    src_dir.mkdir()
    shutil.copy(out / f"{TITLE}.docx", src_dir / "draft.docx")
    saved = soffice_convert(src_dir / "draft.docx", tmp_path / "lo", "docx:MS Word 2007 XML")
    result = runner.invoke(app, ["check", str(saved), "--sources", str(SEEDS), "--json"])
    data = json.loads(result.stdout)
    assert [f for f in data["findings"] if f["severity"] == "error"] == [], data["findings"][:3]


def test_outline_units_that_match_no_article_are_a_usage_error(runner, tmp_path):
    outline = tmp_path / "o.yaml"
    outline.write_text(
        f"preset: 三个引领\nsources:\n  - path: {SEEDS}\n    units: [不存在县人民检察院]\n", encoding="utf-8"
    )
    for cmd in (["draft"], ["digest"]):
        result = runner.invoke(app, cmd + ["--outline", str(outline), "--out", str(tmp_path / "out")])
        assert result.exit_code == 2, result.output
        assert "不存在县人民检察院" in result.output
    assert not (tmp_path / "out").exists()


def test_check_strict_passes_on_an_unedited_highlights_draft_in_both_formats(runner, tmp_path):
    # A compilation opens and closes with template text, which --strict rightly refuses
    # until the editor rewrites it; with the opening and closing written in the outline
    # the unedited draft, highlights tables included, passes --strict.
    outline = tmp_path / "outline.yaml"
    outline.write_text(
        "preset: 三个引领\nlead: 近年来，各单位坚持以党建引领检察工作。\nclosing: 下一步，各单位将继续深化党建引领。\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["draft", str(SEEDS), "--outline", str(outline), "--out", str(tmp_path / "out"), "--highlights"]
    )
    assert result.exit_code == 0, result.output
    for name in ("*.md", "*.docx"):
        draft = next((tmp_path / "out").glob(name))
        checked = runner.invoke(app, ["check", str(draft), "--strict"])
        assert checked.exit_code == 0, checked.output


def test_a_narrative_opening_is_not_made_an_items_bold_lead(runner, tmp_path):
    # news copies open on when and why ("去年七月，……", "为深入贯彻……精神，……") or a maxim:
    # none of them can stand as "一是……" in bold
    src = tmp_path / "src"
    src.mkdir()
    articles = {
        "a.txt": "甲县检察院青年干警培养工作\n甲县检察院\n去年七月，甲县检察院举行青年干警导师结对仪式，每名党组成员担任导师，"
        "与青年干警同步阅卷、共同办案，发挥传帮带作用，青年干警的文书写作能力明显提升。\n",
        "b.txt": "乙县检察院落实主体责任\n乙县检察院\n为深入贯彻全面从严治党要求，乙县检察院制定党风廉政建设主体责任清单，"
        "院领导每年向党组述责述廉，责任落实情况纳入年度考核，考核结果与评先评优挂钩。\n",
        "c.txt": "丙县检察院读书活动\n丙县检察院\n读书必须有恒心。丙县检察院坚持“第一议题”制度，党组理论学习中心组每月集中学习，"
        "各党支部每月开展读书分享，推动党的创新理论入脑入心。\n",
    }
    for name, text in articles.items():
        (src / name).write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["draft", str(src), "--out", str(tmp_path / "out"), "--format", "md"])
    assert result.exit_code == 0, result.output
    (md,) = (tmp_path / "out").glob("*.md")
    text = md.read_text(encoding="utf-8")
    for narrative in ("去年七月", "为深入贯彻全面从严治党要求", "读书必须有恒心"):
        assert narrative in text  # the passage is drafted …
        assert not re.search(rf"\*\*(?:[一二三]是)?{narrative}", text)  # … without a bogus bold lead
