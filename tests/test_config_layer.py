"""The one YAML layer (writer.config.yamlfile): every configuration file is read
safely, and a bad one is a Chinese ConfigError (exit code 2) naming the file and
the line, never an internal error or a hang."""

from __future__ import annotations

import time

import pytest
from typer.testing import CliRunner

from writer.cli.app import app
from writer.config import lexicon
from writer.config.lexicon import read_synonyms
from writer.config.outline import load_outline
from writer.config.style import load_style
from writer.config.terms import load_terms
from writer.errors import ConfigError
from writer.render.templates import load_templates

OUTLINE = "title: 测试材料\nsections:\n  - id: a\n    title: 思想引领\n    keywords: [第一议题]\n"

# Nine levels of nine: expanded, about 387 million strings.
BILLION_LAUGHS = 'lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi")
)


@pytest.fixture
def runner():
    return CliRunner()


def _outline_check(runner, path):
    return runner.invoke(app, ["outline", "check", str(path)])


# ---------------------------------------------------------------- alias bombs


def test_alias_bomb_in_an_outline_fails_at_once_with_its_line(runner, tmp_path):
    path = tmp_path / "outline.yaml"
    path.write_text("title: 测试\n" + BILLION_LAUGHS, encoding="utf-8")
    started = time.perf_counter()
    result = _outline_check(runner, path)
    assert time.perf_counter() - started < 1.0
    assert result.exit_code == 2, result.output
    assert f"{path} 第2行" in result.output and "锚点" in result.output
    assert "内部错误" not in result.output


def test_alias_bomb_in_a_style_file_fails_at_once_with_its_line(runner, tmp_path):
    style = tmp_path / "style.yaml"
    style.write_text("body:\n  font: 仿宋\n" + BILLION_LAUGHS, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ConfigError) as info:
        load_style(style)
    assert time.perf_counter() - started < 1.0
    assert any(p.startswith(f"{style} 第3行") and "锚点" in p for p in info.value.problems)


def test_alias_bomb_in_the_outlines_style_stops_the_draft_with_exit_2(runner, tmp_path):
    style = tmp_path / "style.yaml"
    style.write_text(BILLION_LAUGHS, encoding="utf-8")
    source = tmp_path / "素材.txt"
    source.write_text("我院坚持第一议题制度，深化理论武装。\n", encoding="utf-8")
    outline = tmp_path / "outline.yaml"
    outline.write_text(OUTLINE + f"style: {style}\nsources: [{source}]\n", encoding="utf-8")
    started = time.perf_counter()
    result = runner.invoke(app, ["draft", "--outline", str(outline), "--out", str(tmp_path / "out"), "--no-cache"])
    assert time.perf_counter() - started < 10.0  # the draft's own work, not the bomb
    assert result.exit_code == 2, result.output
    assert f"{style} 第1行" in result.output and "锚点" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_plain_alias_is_refused_too(tmp_path):
    path = tmp_path / "outline.yaml"
    path.write_text(OUTLINE + "subtitle: *missing\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_outline(path)
    assert info.value.problems[0].startswith(f"{path} 第6行")


# ---------------------------------------------------------------- tags, characters, values


@pytest.mark.parametrize(
    "line,shown",
    [
        ("meeting: !!python/name:os.system\n", "!!python/name:os.system"),
        ("meeting: !!python/object/apply:os.system [echo]\n", "!!python/object/apply:os.system"),
        ("meeting: !foo 会议\n", "!foo"),
        ("meeting: !!binary aGVsbG8=\n", "!!binary"),
    ],
)
def test_non_data_tags_are_refused_with_file_and_line(runner, tmp_path, line, shown):
    path = tmp_path / "outline.yaml"
    path.write_text(OUTLINE + line, encoding="utf-8")
    result = _outline_check(runner, path)
    assert result.exit_code == 2, result.output
    assert f"{path} 第6行 meeting" in result.output and shown in result.output
    assert "内部错误" not in result.output


def test_a_nul_byte_is_refused_with_file_and_line(runner, tmp_path):
    path = tmp_path / "outline.yaml"
    path.write_bytes(OUTLINE.encode("utf-8") + b"lead: \xe5\xbc\x80\x00\xe5\xa4\xb4\n")
    result = _outline_check(runner, path)
    assert result.exit_code == 2, result.output
    assert f"{path} 第6行" in result.output and "U+0000" in result.output


def test_other_control_characters_are_refused_in_style_files(tmp_path):
    path = tmp_path / "style.yaml"
    path.write_text("body:\n  font: 仿\x07宋\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_style(path)
    assert info.value.problems == [f"{path} 第2行：含有不可见的控制字符 U+0007（第10个字符）；请删去"]


def test_a_date_that_does_not_exist_is_reported_not_crashed_on(runner, tmp_path):
    path = tmp_path / "outline.yaml"
    path.write_text(OUTLINE + "date: 2024-02-30\n", encoding="utf-8")
    result = _outline_check(runner, path)
    assert result.exit_code == 2, result.output
    assert f"{path} 第6行 date：日期“2024-02-30”不存在" in result.output


def test_undecodable_bytes_name_the_file_and_line(tmp_path):
    path = tmp_path / "style.yaml"
    path.write_bytes("body:\n  font: 仿宋\n".encode() + b"  bold: \xff\xfe\n")
    with pytest.raises(ConfigError, match="第3行") as info:
        load_style(path)
    assert str(path) in str(info.value) and "UTF-8" in str(info.value)


def test_yaml_syntax_errors_are_chinese_with_file_and_line(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text("- right: 甲\n  wrong: [乙\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_terms(path)
    assert "规范提法表" in str(info.value)
    assert info.value.problems[0].startswith(f"{path} 第")


def test_every_problem_of_the_layer_is_listed_at_once(tmp_path):
    path = tmp_path / "outline.yaml"
    path.write_text(OUTLINE + "date: 2023-13-01\nmeeting: !x y\nlead: !!python/name:os.system\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_outline(path)
    assert [p.split("：")[0] for p in info.value.problems] == [
        f"{path} 第6行 date",
        f"{path} 第7行 meeting",
        f"{path} 第8行 lead",
    ]


# ---------------------------------------------------------------- typed checks of each file


def test_style_with_a_wrong_type_names_the_key_path_and_line(runner, tmp_path):
    path = tmp_path / "style.yaml"
    path.write_text("page:\n  margin_top_mm: 37\nheading2:\n  size_pt: 十六\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_style(path)
    assert info.value.exit_code == 2
    assert len(info.value.problems) == 1
    assert info.value.problems[0].startswith(f"{path} 第4行 heading2.size_pt：应为数字")


def test_duplicate_keys_in_a_style_file_are_reported(tmp_path):
    path = tmp_path / "style.yaml"
    path.write_text("body:\n  font: 仿宋\n  font: 楷体\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_style(path)
    assert info.value.problems == [f"{path} 第3行 body.font：键重复（第2行已经写过）；请删去一个"]


def test_check_style_file_goes_through_the_same_layer(runner, tmp_path):
    style = tmp_path / "style.yaml"
    style.write_text("page: !!python/name:os.system\nbody: {font: 仿宋}\n", encoding="utf-8")
    draft = tmp_path / "d.docx"
    draft.write_bytes(b"")
    result = runner.invoke(app, ["check", str(draft), "--style", str(style)])
    assert result.exit_code == 2, result.output
    assert "版式配置" in result.output and f"{style} 第1行 page" in result.output


def test_layout_yaml_problems_have_lines(tmp_path):
    (tmp_path / "layout.yaml").write_text("# 版式\nitems: bullets\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_templates(tmp_path)
    assert info.value.problems == [
        f"{tmp_path / 'layout.yaml'} 第2行 items：值“bullets”无效；应为 run_in 或 headings。"
    ]


def test_layout_yaml_alias_is_refused(tmp_path):
    (tmp_path / "layout.yaml").write_text("items: &x run_in\nother: *x\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_templates(tmp_path)
    assert any("第1行" in p and "锚点" in p for p in info.value.problems)


def test_terms_problems_name_the_line_of_the_entry(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text("- right: 甲\n  wrong: [乙]\n- right: 丙\n  wrong: []\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_terms(path)
    assert info.value.problems == [f"{path} 第3行 第2项（丙）：wrong 应是非空字符串列表。"]


# ---------------------------------------------------------------- synonyms


def test_synonyms_written_as_a_list_is_a_chinese_config_error(tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text("- 第一议题\n- 三会一课\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_synonyms(path)
    assert "同义词表" in str(info.value)
    assert info.value.problems[0].startswith(f"{path} 第1行：应为“规范词: [变体, …]”的映射")


def test_synonyms_written_as_a_list_stops_mapping_with_exit_2(runner, tmp_path, monkeypatch):
    folder = tmp_path / "lexicon"
    folder.mkdir()
    (folder / "synonyms.yaml").write_text("- 第一议题\n- 三会一课\n", encoding="utf-8")
    (folder / "userdict.txt").write_text("第一议题 3000 nz\n", encoding="utf-8")
    source = tmp_path / "素材.txt"
    source.write_text("我院坚持第一议题制度，深化理论武装。\n", encoding="utf-8")
    outline = tmp_path / "outline.yaml"
    outline.write_text(OUTLINE + f"sources: [{source}]\n", encoding="utf-8")
    monkeypatch.setattr(lexicon, "LEXICON_DIR", folder)
    lexicon.synonym_forms.cache_clear()
    lexicon.domain_terms.cache_clear()
    try:
        result = runner.invoke(app, ["map", "--outline", str(outline), "--no-cache"])
    finally:
        lexicon.synonym_forms.cache_clear()
        lexicon.domain_terms.cache_clear()
    assert result.exit_code == 2, result.output
    assert "同义词表" in result.output and f"{folder / 'synonyms.yaml'} 第1行" in result.output
    assert "内部错误" not in result.output


def test_synonym_variants_must_be_lists_with_lines(tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text("甲: [乙]\n丙: 丁\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_synonyms(path)
    assert info.value.problems == [f"{path} 第2行 丙：变体应为文字列表，如 [变体一, 变体二]"]


def test_the_mappers_synonym_forms_keep_file_order():
    forms = lexicon.synonym_forms()
    assert list(forms)[:3] == ["理论学习中心组", "党建业务融合", "第一议题"]
    assert forms["第一议题"] == ("第一议题制度",)
    terms = lexicon.domain_terms()
    assert terms == tuple(sorted(set(terms), key=lambda w: (-len(w), w)))
