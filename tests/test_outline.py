"""The outline file: typed loading, preset inheritance, all errors at once with lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from writer.cli.app import app
from writer.config.outline import (
    PRESETS_DIR,
    Outline,
    SectionSpec,
    find_preset,
    load_outline,
    parse_outline,
)
from writer.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).resolve().parent / "fixtures" / "outline"


def problems_of(text: str, path: str = "x/outline.yaml") -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_outline(text, path)
    return info.value.problems


# ---------------------------------------------------------------- valid files


def test_full_outline_loads_every_key_typed(fixtures_dir):
    path = fixtures_dir / "outline" / "valid_full.yaml"
    outline = load_outline(path)
    assert isinstance(outline, Outline)
    assert outline.title == "以“四同”机制推动党建业务深度融合"
    assert outline.perspective == "我院"
    assert outline.date == "2024-09-12"  # a YAML date becomes text
    assert outline.length == 2500
    assert outline.threshold == 1.5
    assert outline.exclude_passages == ("p0000000001",)
    # relative paths resolve against the outline's folder
    assert outline.sources[0].path == path.parent / "素材"
    assert outline.sources[1].units == ("山东省菏泽市检察院", "上海市检察院")
    assert outline.templates == path.parent / "素材"
    first, second = outline.sections
    assert isinstance(first, SectionSpec)
    assert first.weights == {"领导小组": 1.0, "闭环管理": 1.0}  # a list means weight 1
    assert first.exclude == ("典型案例",)
    assert (first.include, first.ban, first.max_items) == (("p00000000aa",), ("p00000000bb",), 2)
    assert second.id == "党员同育"  # Chinese ids are fine
    assert second.weights == {"传帮带": 2.0, "3315": 1.5}  # numeric brand codes become text
    assert second.max_items == 3  # default
    assert [s.id for s in outline.iter_sections()] == ["tonggou", "党员同育", "qingnian"]
    assert outline.section("qingnian").title == "青年干警"


def test_outline_is_frozen(fixtures_dir):
    outline = load_outline(fixtures_dir / "outline" / "valid_full.yaml")
    with pytest.raises(AttributeError):
        outline.title = "别的标题"  # type: ignore[misc]


def test_defaults_when_keys_are_unset_or_empty():
    outline = parse_outline("title: 标题\nunit:\nsections:\n  - {id: a, title: 甲, include: [p1]}\n", "o.yaml")
    assert outline.length == 3000
    assert outline.perspective == "第三人称"
    assert outline.unit is None
    assert outline.sources == ()
    assert outline.sections[0].keywords == ()


@pytest.mark.parametrize(
    "raw,stored", [("third", "第三人称"), ("第三人称", "第三人称"), ("院党组", "院党组"), ("本院", "本院")]
)
def test_perspective_is_normalised(raw, stored):
    outline = parse_outline(
        f"title: t\nunit: 某某县人民检察院\nperspective: {raw}\nsections: [{{id: a, title: 甲, keywords: [甲]}}]\n",
        "o.yaml",
    )
    assert outline.perspective == stored


def test_a_first_person_perspective_without_a_unit_is_an_error_naming_key_and_line():
    with pytest.raises(ConfigError) as err:
        parse_outline("title: t\nperspective: 我院\nsections: [{id: a, title: 甲, keywords: [甲]}]\n", "o.yaml")
    [problem] = err.value.problems
    assert "第2行 perspective" in problem and "unit" in problem


@pytest.mark.parametrize(
    ("raw", "stored"), [("none", "none"), ("attributed", "attributed"), ("注明单位", "attributed")]
)
def test_others_says_whether_other_units_material_may_fill_a_units_report(raw, stored):
    outline = parse_outline(
        f"title: t\nunit: 某某县人民检察院\nothers: {raw}\nsections: [{{id: a, title: 甲, keywords: [甲]}}]\n", "o.yaml"
    )
    assert outline.others == stored


def test_an_unknown_others_value_names_the_key_and_line():
    with pytest.raises(ConfigError) as err:
        parse_outline(
            "title: t\nunit: 某某县人民检察院\nothers: all\nsections: [{id: a, title: 甲, keywords: [甲]}]\n", "o.yaml"
        )
    [problem] = err.value.problems
    assert "第3行 others" in problem and "attributed" in problem


def test_default_outline_inherits_the_three_leads_preset():
    outline = load_outline(ROOT / "config" / "outline.yaml")
    assert outline.preset == "三个引领"
    assert outline.title == "发挥“三个引领”作用 以高质量党建促进检察高质量发展"
    assert [s.title for s in outline.sections] == ["思想引领", "组织体系引领", "制度机制引领"]
    assert outline.length == 3000
    assert outline.sources == ()  # unset: the CLI's default paths apply
    sixiang = outline.section("sixiang")
    assert sixiang.weights["第一议题"] > sixiang.weights.get("党建品牌", 0)
    assert "支部建在办案组" in outline.section("zuzhi").weights
    assert "一岗双责" in outline.section("zhidu").weights


def test_outline_keys_override_preset_and_unset_keys_are_inherited(tmp_path):
    path = tmp_path / "o.yaml"
    path.write_text("preset: 问题对策\nlength: 1800\nunit: 某某县人民检察院\n", encoding="utf-8")
    outline = load_outline(path)
    preset = load_outline(find_preset("问题对策"))
    assert outline.length == 1800 and outline.unit == "某某县人民检察院"
    assert outline.title == preset.title
    assert outline.sections == preset.sections
    assert [s.title for s in outline.sections] == ["主要做法", "存在问题", "对策建议"]


def test_outline_sections_replace_the_presets_as_a_whole(tmp_path):
    text = "preset: 三个引领\nsections:\n  - {id: only, title: 唯一部分, keywords: [唯一]}\n"
    outline = parse_outline(text, str(tmp_path / "o.yaml"))
    assert [s.id for s in outline.sections] == ["only"]


@pytest.mark.parametrize("name", ["三个引领", "党建业务融合", "问题对策"])
def test_every_preset_is_a_valid_outline_with_weighted_keywords(name):
    outline = load_outline(find_preset(name))
    assert outline.sections
    for section in outline.iter_sections():
        assert section.keywords, section.id
        assert section.description, section.id


def test_presets_explain_every_key_in_chinese_comments():
    """Users copy presets: every key appears, and each key set at the top level
    sits right under a Chinese comment."""
    import re

    from writer.config.outline import SECTION_KEYS, TOP_KEYS

    for preset in sorted(PRESETS_DIR.glob("*.yaml")):
        lines = preset.read_text(encoding="utf-8").splitlines()
        text = "\n".join(lines)
        for key in TOP_KEYS + SECTION_KEYS:
            assert re.search(rf"\b{key}\b", text), f"{preset.name} 未提到 {key}"
        for i, line in enumerate(lines):
            if re.match(r"[a-z_]+:", line):
                above = lines[i - 1]
                assert above.startswith("#") and re.search(r"[\u4e00-\u9fff]", above), (
                    f"{preset.name} 第{i + 1}行没有中文说明"
                )


def test_unknown_preset_lists_the_available_ones():
    problems = problems_of("preset: 不存在的预设\n")
    assert len(problems) == 1
    assert "第1行 preset：找不到预设“不存在的预设”" in problems[0]
    assert "三个引领" in problems[0]


def test_find_preset_rejects_paths():
    with pytest.raises(ConfigError):
        find_preset("../outline")


# ---------------------------------------------------------------- errors


def test_three_mistakes_give_exactly_three_messages_with_lines(fixtures_dir):
    path = fixtures_dir / "outline" / "three_mistakes.yaml"
    with pytest.raises(ConfigError) as info:
        load_outline(path)
    error = info.value
    assert error.exit_code == 2
    assert str(error) == f"大纲文件有 3 处错误：{path}"
    assert error.problems == [
        f"{path} 第2行 lenght：未知的键；是否想写 length？",
        f'{path} 第8行 sections[1].keywords.三会一课：权重必须是正数，现在是 "高"',
        f"{path} 第11行 max_items：未知的键；这是 sections 中每一部分的键，是否缩进错了？",
    ]


def test_yaml_syntax_error_is_one_message_with_its_line(fixtures_dir):
    path = fixtures_dir / "outline" / "bad_syntax.yaml"
    with pytest.raises(ConfigError) as info:
        load_outline(path)
    assert len(info.value.problems) == 1
    assert info.value.problems[0].startswith(f"{path} 第5行：")
    assert "缩进" in info.value.problems[0]


def test_tab_indentation_is_explained():
    problems = problems_of("title: t\nsections:\n\t- id: a\n")
    assert len(problems) == 1 and "第3行" in problems[0] and "Tab" in problems[0]


def test_wrong_types_are_reported_per_key_with_paths():
    text = (
        "title: [不是文字]\n"  # 1
        "length: 三千\n"  # 2
        "perspective: 我们\n"  # 3
        "threshold: -1\n"  # 4
        "sections:\n"  # 5
        "  - id: a\n"  # 6
        "    title: 甲\n"  # 7
        "    max_items: 0\n"  # 8
        "    keywords: 第一议题\n"  # 9
        "    exclude: 词\n"  # 10
        "  - 不是映射\n"  # 11
    )
    problems = problems_of(text, "o.yaml")
    assert problems == [
        "o.yaml 第1行 title：应为文字，现在是列表",
        'o.yaml 第2行 length：应为整数，现在是"三千"',
        'o.yaml 第3行 perspective：只能是 我院、院党组、本院 或 第三人称（third），现在是 "我们"',
        "o.yaml 第4行 threshold：阈值必须是不小于 0 的数，现在是 -1",
        "o.yaml 第8行 sections[1].max_items：必须是不小于 1 的整数，现在是 0",
        'o.yaml 第9行 sections[1].keywords：应为“关键词: 权重”的映射或关键词列表，现在是"第一议题"',
        'o.yaml 第10行 sections[1].exclude：应为词语的列表（每行“- 内容”），现在是"词"',
        'o.yaml 第11行 sections[2]：每个部分应为一组“键: 值”（至少有 id 和 title），现在是"不是映射"',
    ]


def test_a_section_key_indented_under_keywords_is_caught():
    text = "title: t\nsections:\n  - id: a\n    title: 甲\n    keywords:\n      第一议题: 3\n      max_items: 2\n"
    problems = problems_of(text, "o.yaml")
    assert problems == ["o.yaml 第7行 sections[1].keywords.max_items：max_items 是部分的键，不是关键词；是否缩进错了？"]


def test_misspelt_section_key_gets_a_suggestion():
    problems = problems_of("title: t\nsections:\n  - id: a\n    title: 甲\n    keyword: [第一议题]\n", "o.yaml")
    assert problems == ["o.yaml 第5行 sections[1].keyword：未知的键；是否想写 keywords？"]


def test_duplicate_ids_and_keys_and_missing_fields_are_errors():
    text = (
        "title: t\n"
        "title: u\n"  # 2 duplicate key
        "sections:\n"
        "  - id: a\n"  # 4
        "    title: 甲\n"
        "    keywords: [甲]\n"
        "  - id: a\n"  # 7 duplicate id
        "    title: 乙\n"
        "    keywords: [乙]\n"
        "  - description: 没有编号\n"  # 10 missing id and title
    )
    problems = problems_of(text, "o.yaml")
    assert any(p.startswith("o.yaml 第2行 title：键重复") for p in problems)
    assert any(p.startswith("o.yaml 第10行 sections[3]：缺少 id") for p in problems)
    assert any(p.startswith("o.yaml 第10行 sections[3]：缺少 title") for p in problems)
    assert len(problems) == 3  # the duplicate id is checked once the sections parse


def test_duplicate_section_id_is_an_error_even_in_children():
    text = "title: t\nsections:\n  - id: a\n    title: 甲\n    sections:\n      - id: a\n        title: 乙\n        keywords: [乙]\n"
    problems = problems_of(text, "o.yaml")
    assert problems == ['o.yaml 第6行 sections：部分编号 id "a" 重复（第3行已经用过）；每个部分的 id 必须不同']


def test_sections_nest_only_one_level():
    text = (
        "title: t\nsections:\n  - id: a\n    title: 甲\n    sections:\n"
        "      - id: b\n        title: 乙\n        sections:\n          - {id: c, title: 丙}\n"
    )
    problems = problems_of(text, "o.yaml")
    assert problems == ["o.yaml 第8行 sections[1].sections[1].sections：部分最多嵌套一层：子部分不能再有 sections"]


def test_missing_title_and_sections_without_preset():
    problems = problems_of("length: 100\n", "o.yaml")
    assert [p.split("：")[0] for p in problems] == ["o.yaml 第1行", "o.yaml 第1行"]
    assert "缺少 title" in problems[0] and "缺少 sections" in problems[1]


def test_missing_relative_paths_are_reported_against_the_outline_folder(tmp_path):
    text = "title: t\nsources: [没有的文件夹]\ntemplates: 模板\nsections: [{id: a, title: 甲, keywords: [甲]}]\n"
    problems = problems_of(text, str(tmp_path / "o.yaml"))
    assert len(problems) == 2
    assert f"第2行 sources[1]：找不到路径 {tmp_path / '没有的文件夹'}" in problems[0]
    assert "第3行 templates：找不到文件夹" in problems[1]


def test_errors_in_a_preset_name_the_preset_file_and_the_outline_keeps_its_own(tmp_path, monkeypatch):
    import writer.config.outline as outline_mod

    presets = tmp_path / "presets"
    presets.mkdir()
    (presets / "坏预设.yaml").write_text(
        "title: t\nsections:\n  - {id: a, title: 甲, max_items: 多}\n", encoding="utf-8"
    )
    monkeypatch.setattr(outline_mod, "PRESETS_DIR", presets)
    problems = problems_of("preset: 坏预设\nlenth: 1\n", "o.yaml")
    assert problems[0] == "o.yaml 第2行 lenth：未知的键；是否想写 length？"
    assert "坏预设.yaml 第3行 sections[1].max_items：应为整数" in problems[1]


def test_gbk_outline_is_read(tmp_path):
    path = tmp_path / "o.yaml"
    path.write_bytes("title: 党建引领\nsections: [{id: a, title: 思想引领, keywords: [思想]}]\n".encode("gbk"))
    assert load_outline(path).title == "党建引领"


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="找不到大纲文件"):
        load_outline(tmp_path / "无.yaml")


# ---------------------------------------------------------------- CLI


def test_cli_check_prints_title_and_sections_table(runner):
    result = runner.invoke(app, ["outline", "check", str(ROOT / "config" / "outline.yaml")])
    assert result.exit_code == 0, result.output
    assert "大纲有效：发挥“三个引领”作用 以高质量党建促进检察高质量发展，3 个部分" in result.output
    for text in ("sixiang", "思想引领", "组织体系", "制度机制"):
        assert text in result.output


def test_cli_check_lists_every_problem_and_exits_2(runner, fixtures_dir):
    path = fixtures_dir / "outline" / "three_mistakes.yaml"
    result = runner.invoke(app, ["outline", "check", str(path)])
    assert result.exit_code == 2
    assert "大纲文件有 3 处错误" in result.output
    for line in ("第2行 lenght", "第8行 sections[1].keywords.三会一课", "第11行 max_items"):
        assert line in result.output
    assert "Traceback" not in result.output


def test_outline_check_does_not_load_jieba():
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from writer.cli.app import app\n"
        "assert 'jieba' not in sys.modules, 'import writer.cli.app loaded jieba'\n"
        "r = CliRunner().invoke(app, ['--help'])\n"
        "assert r.exit_code == 0\n"
        "r = CliRunner().invoke(app, ['outline', 'check', 'config/outline.yaml'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('jieba' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


HEAVY = ("jieba", "docx", "lxml", "trafilatura", "chardet", "jinja2")


@pytest.mark.parametrize("argv", [["--help"], ["ingest", "--help"], ["outline", "check", "config/outline.yaml"]])
def test_help_and_outline_check_load_no_heavy_module(argv):
    # `python -m writer` as a user runs it: nothing heavy may load before a command needs it.
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['writer'] + {argv!r}\n"
        "try:\n"
        "    runpy.run_module('writer', run_name='__main__')\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
