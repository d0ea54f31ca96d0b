"""`writer check` on the draft's voice and shape: a 我院 that is not the speaker, the
speaking unit named where the voice should stand, a lone 一是, an empty section, and
template text left as the writer wrote it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from check_builders import build_docx, build_markdown

from writer.check.content import run_checks
from writer.cli.app import app

BUILDERS = {"docx": build_docx, "md": build_markdown}
SPEAKER = "江南市临川区人民检察院"
OTHER = "北山土族自治县人民检察院"


def draft_with_sidecar(tmp_path, fmt, paragraphs, *, unit=None, perspective=None, sources=None, template=()):
    """A .docx/.md draft and the sidecar the writer would leave beside it.

    ``sources`` maps a paragraph's position (0-based in ``paragraphs``) to the unit of its
    source; ``template`` lists the positions the writer wrote from a template."""
    sources = sources or {}
    path = BUILDERS[fmt](tmp_path / f"d.{fmt}", paragraphs)
    entries = []
    for i, (kind, text) in enumerate(paragraphs):
        entry = {"index": i, "kind": kind, "text": text, "passages": [], "sources": []}
        if i in sources:
            entry["sources"] = [
                {"passage_id": f"p{i}", "path": "素材.txt", "unit": sources[i], "line_start": 1, "line_end": 1}
            ]
        if i in template:
            entry["template"] = True
        entries.append(entry)
    data: dict = {"document": paragraphs[0][1]}
    if perspective is not None:
        data["unit"], data["perspective"] = unit, perspective
    data["paragraphs"] = entries
    (tmp_path / f"d.{fmt}.sources.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def findings(path, kind=None):
    found = run_checks(path, None).findings
    return [f for f in found if kind is None or f.kind == kind]


# ------------------------------------------------------------------ 我院 of another unit

COMPILATION = [
    ("title", "以党建品牌促进检察工作高质量发展"),
    ("h1", "一、强化政治引领"),
    ("body", "北山县人民检察院坚持“支部建在办案组”。目前，我院7个办案组均实现党员全覆盖。"),
    ("body", "江南市人民检察院打造“红色检徽”品牌，评选“五星支部”3个。"),
]


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_our_unit_in_a_compilation_is_an_error_naming_the_quoted_unit(tmp_path, fmt):
    # no perspective in the sidecar: an editor's compilation
    text = "目前，我院7个办案组均实现党员全覆盖。"
    paras = [*COMPILATION[:2], ("body", text), COMPILATION[3]]
    doc = draft_with_sidecar(tmp_path, fmt, paras, sources={2: OTHER})
    [f] = findings(doc)
    assert (f.kind, f.severity, f.paragraph) == ("voice", "error", 3)
    assert "我院" in f.excerpt and "汇编稿件" in f.message and "北山县检察院" in f.message
    assert f.suggestion == "改为“北山县检察院”。"


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_our_unit_right_after_the_units_name_may_become_that_unit(tmp_path, fmt):
    doc = draft_with_sidecar(tmp_path, fmt, COMPILATION, perspective="第三人称", sources={2: OTHER, 3: "江南市检察院"})
    [f] = findings(doc)
    assert f.paragraph == 3 and "第三人称稿件" in f.message
    assert "北山县检察院" in f.suggestion and "该院" in f.suggestion


def test_our_unit_of_unknown_source_asks_for_the_units_short_name(tmp_path):
    paras = [COMPILATION[0], ("body", "本院坚持“支部建在办案组”，7个办案组均实现党员全覆盖。")]
    [f] = findings(draft_with_sidecar(tmp_path, "md", paras))
    assert "“本院”" in f.message and "简称" in f.suggestion


def test_quoted_our_unit_and_a_draft_without_sidecar_are_left_alone(tmp_path):
    paras = [COMPILATION[0], ("body", "北山县人民检察院提出“我院就是我的家”的口号，凝聚干警。")]
    assert findings(draft_with_sidecar(tmp_path, "md", paras, sources={1: OTHER}), "voice") == []
    bare = build_markdown(tmp_path / "bare.md", [COMPILATION[0], ("body", "下一步，我院将继续深化品牌建设。")])
    report = run_checks(bare, None)
    assert [f for f in report.findings if f.kind == "voice"] == []
    assert any(n.code == "no-sidecar" and "人称" in n.message for n in report.notices)


def test_our_unit_with_a_first_person_perspective_but_no_unit_is_not_guessed(tmp_path):
    paras = [COMPILATION[0], ("body", "下一步，我院将继续深化品牌建设。")]
    assert findings(draft_with_sidecar(tmp_path, "md", paras, unit=None, perspective="我院")) == []


def test_table_cells_quote_their_sources_and_are_left_alone(tmp_path):
    import docx

    path = draft_with_sidecar(tmp_path, "docx", [*COMPILATION[:2], COMPILATION[3]])
    document = docx.Document(str(path))
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "我院7个办案组均实现党员全覆盖", OTHER
    document.save(str(path))
    assert findings(path) == []


# ------------------------------------------------------------------ the speaker named in its own report

OWN = [
    ("title", "以高质量党建促进检察高质量发展"),
    ("unit", SPEAKER),
    ("body", "近年来，我院坚持以党建引领业务，先后获评全省先进基层检察院。"),
    ("h1", "一、强化政治引领"),
    ("body", "一是坚持“第一议题”制度。我院全年组织集中学习24次。"),
    ("body", "二是深化“检察开放日”活动。邀请人大代表走进检察机关360余人次。"),
    ("body", "下一步，我院将继续深化党建品牌建设。"),
]


def _own(**changes):
    """OWN with paragraphs replaced by position."""
    return [(k, changes.get(f"p{i}", t)) for i, (k, t) in enumerate(OWN)]


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_own_report_in_its_voice_is_clean(tmp_path, fmt):
    doc = draft_with_sidecar(tmp_path, fmt, OWN, unit=SPEAKER, perspective="我院")
    assert findings(doc) == []


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_speaking_unit_named_by_name_should_be_our_unit(tmp_path, fmt):
    paras = _own(p4="一是坚持“第一议题”制度。临川区检察院全年组织集中学习24次。")
    [f] = findings(draft_with_sidecar(tmp_path, fmt, paras, unit=SPEAKER, perspective="我院"))
    assert (f.kind, f.severity, f.paragraph) == ("voice", "error", 5)
    assert "“临川区检察院”" in f.message and f.suggestion == "改为“我院”。"


def test_every_form_of_the_speakers_name_is_found_and_its_party_group_becomes_yuan_dangzu(tmp_path):
    paras = _own(
        p2="近年来，江南市临川区院坚持以党建引领业务，先后获评全省先进基层检察院。",
        p4="一是坚持“第一议题”制度。临川区人民检察院党组全年组织集中学习24次。",
    )
    found = findings(draft_with_sidecar(tmp_path, "md", paras, unit=SPEAKER, perspective="本院"))
    found = [f for f in found if f.severity == "error"]  # OWN's 我院 are warnings in a 本院 report
    assert [(f.paragraph, f.suggestion) for f in found] == [(3, "改为“本院”。"), (5, "改为“院党组”。")]
    assert "临川区人民检察院党组" in found[1].message


def test_that_unit_in_own_report_should_be_the_perspective(tmp_path):
    paras = _own(p4="一是坚持“第一议题”制度。该院全年组织集中学习24次。")
    found = findings(draft_with_sidecar(tmp_path, "docx", paras, unit=SPEAKER, perspective="本院"))
    [f] = [f for f in found if f.severity == "error"]  # OWN's 我院 are warnings in a 本院 report
    assert "“该院”" in f.message and f.suggestion == "改为“本院”。"
    paras = _own(p4="一是坚持“第一议题”制度。该院党组全年组织集中学习24次。")
    [f] = [
        f
        for f in findings(draft_with_sidecar(tmp_path, "md", paras, unit=SPEAKER, perspective="院党组"))
        if f.severity == "error"
    ]
    assert "“该院党组”" in f.message and f.suggestion == "改为“院党组”。"


def test_a_first_person_form_other_than_the_chosen_one_is_a_warning(tmp_path):
    doc = draft_with_sidecar(
        tmp_path, "md", _own(p6="下一步，本院将继续深化党建品牌建设。"), unit=SPEAKER, perspective="我院"
    )
    [f] = findings(doc)
    assert (f.kind, f.severity, f.paragraph) == ("voice", "warning", 7)
    assert "“本院”" in f.message and f.suggestion == "改为“我院”，全文统一。"
    (tmp_path / "party").mkdir()
    party = draft_with_sidecar(tmp_path / "party", "docx", OWN, unit=SPEAKER, perspective="院党组")
    assert {(f.severity, f.paragraph) for f in findings(party)} == {("warning", 3), ("warning", 5), ("warning", 7)}


def test_title_unit_line_and_quoted_names_of_the_speaker_are_exempt(tmp_path):
    paras = _own(
        p0="江南市临川区人民检察院：以高质量党建促进检察高质量发展",
        p5="二是落实《江南市临川区人民检察院党建工作规则》，推动“临川区检察院开放日”常态化。",
    )
    assert findings(draft_with_sidecar(tmp_path, "md", paras, unit=SPEAKER, perspective="我院"), "voice") == []


def test_a_branch_is_not_its_parent_unit():
    # 上海市人民检察院第三分院 speaking; the 上海市人民检察院 it names is another unit
    from writer.check.draft_reading import Draft, DraftParagraph
    from writer.check.voice import check_speaker_named

    para = DraftParagraph(1, "我院在上海市人民检察院指导下开展主题党日。", "", 0)
    draft = Draft(Path("d.md"), "md", (para,), None, (), None, "上海市人民检察院第三分院", "我院")
    assert check_speaker_named(draft) == []


def test_another_units_paragraph_in_own_report_our_unit_is_an_error_that_unit_is_not(tmp_path):
    paras = _own(p5="二是借鉴北山县经验。目前，我院7个办案组均实现党员全覆盖，该院获评先进集体。")
    doc = draft_with_sidecar(tmp_path, "md", paras, unit=SPEAKER, perspective="我院", sources={4: SPEAKER, 5: OTHER})
    [f] = findings(doc)
    assert f.paragraph == 6 and "北山县检察院" in f.message and "临川区检察院" in f.message
    assert f.suggestion == "改为“北山县检察院”。"


def test_another_units_paragraph_is_recognised_beside_its_word_comment(tmp_path):
    # the writer's .docx carries a source comment on each paragraph as well as the sidecar
    import docx

    paras = _own(p5="二是借鉴北山县经验。目前，我院7个办案组均实现党员全覆盖，该院获评先进集体。")
    path = draft_with_sidecar(tmp_path, "docx", paras, unit=SPEAKER, perspective="我院", sources={4: SPEAKER, 5: OTHER})
    document = docx.Document(str(path))
    para = next(p for p in document.paragraphs if p.text.startswith("二是"))
    document.add_comment(para.runs, text="来源：素材.txt 第1行（北山县人民检察院）", author="writer")
    document.save(str(path))
    [f] = findings(path)
    assert f.paragraph == 6 and "北山县检察院" in f.message


# ------------------------------------------------------------------ a lone 一是


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_lone_first_point_in_a_section_is_an_error(tmp_path, fmt):
    paras = [
        ("title", "以高质量党建促进检察高质量发展"),
        ("h1", "一、强化政治引领"),
        ("body", "一是坚持“第一议题”制度。全年组织集中学习24次。"),
        ("h1", "二、建强组织体系"),
        ("body", "一是建强支部。二是带好队伍。"),
    ]
    [f] = findings(BUILDERS[fmt](tmp_path / f"d.{fmt}", paras))
    assert (f.kind, f.severity, f.paragraph) == ("numbering", "error", 3)
    assert f.message == "只有“一是”，没有“二是”" and "二是" in f.suggestion


def test_second_run_in_a_section_that_stops_at_one_is_reported(tmp_path):
    paras = [
        ("h1", "一、强化政治引领"),
        ("body", "一是坚持集中学习。二是开展专题研讨。"),
        ("body", "同时，一是抓好青年干警培养，选派12名干警跟班学习。"),
    ]
    [f] = findings(build_markdown(tmp_path / "d.md", paras))
    assert f.paragraph == 3 and "一是" in f.excerpt


def test_truncated_web_copy_of_seed_002_leaves_a_lone_first_point(tmp_path, seeds_dir):
    # seeds/002 ends mid-section: “3.以“党建+队伍”促队伍提升。一是加强理论武装。……” and no 二是
    draft = tmp_path / "d.txt"
    shutil.copy(next(seeds_dir.glob("002_*.txt")), draft)
    lone = [f for f in findings(draft, "numbering") if "没有“二是”" in f.message]
    assert len(lone) == 1 and "加强理论武装" in lone[0].excerpt


# ------------------------------------------------------------------ empty sections


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_heading_with_no_body_before_the_next_heading_is_an_empty_section(tmp_path, fmt):
    paras = [
        ("title", "以高质量党建促进检察高质量发展"),
        ("h1", "一、强化政治引领"),
        ("h1", "二、建强组织体系"),
        ("body", "全院设立党支部7个。"),
        ("h1", "三、健全制度机制"),
    ]
    found = findings(BUILDERS[fmt](tmp_path / f"d.{fmt}", paras))
    assert [(f.kind, f.severity, f.paragraph) for f in found] == [("structure", "error", 2), ("structure", "error", 5)]
    assert found[0].message == "“一、强化政治引领”下面没有正文" and "删去这个标题" in found[0].suggestion


def test_section_whose_body_sits_under_its_sub_headings_is_not_empty(tmp_path):
    paras = [
        ("h1", "一、强化政治引领"),
        ("h2", "（一）理论学习"),
        ("body", "全年组织集中学习24次。"),
        ("h2", "（二）政治轮训"),
        ("h1", "二、建强组织体系"),
        ("body", "思想铸魂强根基。始终坚持用好党建引领“金钥匙”。"),
    ]
    [f] = findings(build_markdown(tmp_path / "d.md", paras))
    assert f.paragraph == 4 and "（二）政治轮训" in f.message


def test_headings_only_document_is_one_problem_for_the_empty_document_check(tmp_path):
    paras = [("title", "标题"), ("h1", "一、强化政治引领"), ("h1", "二、建强组织体系")]
    assert findings(build_markdown(tmp_path / "d.md", paras), "structure") == []


def test_numbered_line_typed_in_a_body_paragraph_counts_as_a_heading(tmp_path):
    paras = [
        ("title", "标题"),
        ("body", "一、强化政治引领"),
        ("body", "二、建强组织体系"),
        ("body", "全院设立党支部7个。"),
    ]
    [f] = findings(build_docx(tmp_path / "d.docx", paras), "structure")
    assert f.paragraph == 2


# ------------------------------------------------------------------ template text

TEMPLATED = [
    ("title", "以高质量党建促进检察高质量发展"),
    ("body", "近年来，我院坚持以习近平新时代中国特色社会主义思想为指导，推动党建与业务深度融合。"),
    ("h1", "一、强化政治引领"),
    ("body", "一是坚持“第一议题”制度。二是深化“检察开放日”活动。"),
    ("body", "下一步，我院将继续深化党建品牌建设。"),
]


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_unedited_template_text_is_a_warning(tmp_path, fmt):
    doc = draft_with_sidecar(tmp_path, fmt, TEMPLATED, unit=SPEAKER, perspective="我院", template=(1, 4))
    found = findings(doc)
    assert [(f.kind, f.severity, f.paragraph) for f in found] == [
        ("template", "warning", 2),
        ("template", "warning", 5),
    ]
    assert found[0].message == "模板文字，请核改" and found[0].excerpt.startswith("近年来，我院")


def test_rewritten_template_text_passes(tmp_path):
    doc = draft_with_sidecar(tmp_path, "md", TEMPLATED, unit=SPEAKER, perspective="我院", template=(1,))
    edited = doc.read_text(encoding="utf-8").replace("推动党建与业务深度融合", "推动党建与业务同部署、同落实")
    doc.write_text(edited, encoding="utf-8")
    assert findings(doc) == []


def test_template_text_fails_only_with_strict(runner, tmp_path):
    doc = draft_with_sidecar(tmp_path, "docx", TEMPLATED, unit=SPEAKER, perspective="我院", template=(4,))
    plain = runner.invoke(app, ["check", str(doc)])
    assert plain.exit_code == 0, plain.output
    assert "模板文字" in plain.output and "提醒 1" in plain.output
    assert runner.invoke(app, ["check", str(doc), "--strict"]).exit_code == 1


# ------------------------------------------------------------------ CLI and the seeds


def test_cli_shows_voice_and_structure_tables_with_chinese_labels(runner, tmp_path):
    paras = [
        *_own(p4="一是坚持“第一议题”制度。该院全年组织集中学习24次。")[:5],
        ("h1", "二、建强组织体系"),
    ]
    doc = draft_with_sidecar(tmp_path, "md", paras, unit=SPEAKER, perspective="我院")
    result = runner.invoke(app, ["check", str(doc)])
    assert result.exit_code == 1
    for label in ("人称", "编号", "结构", "改为“我院”"):
        assert label in result.output
    assert result.output.index("人称") < result.output.index("编号") < result.output.index("结构")


@pytest.fixture(scope="module")
def seeds_draft(tmp_path_factory):
    from typer.testing import CliRunner

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    out = tmp_path_factory.mktemp("seeds-draft")
    result = CliRunner().invoke(app, ["draft", str(seeds), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_unedited_seeds_draft_has_no_structure_or_template_errors(seeds_draft, fmt):
    [doc] = seeds_draft.glob(f"*.{fmt}")
    found = [f for f in run_checks(doc, None).findings if f.kind in ("template", "structure", "numbering")]
    assert [f for f in found if f.severity == "error"] == []


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_unedited_seeds_draft_has_no_stray_our_unit(seeds_draft, fmt):
    [doc] = seeds_draft.glob(f"*.{fmt}")
    assert [f for f in run_checks(doc, None).findings if f.kind == "voice"] == []
