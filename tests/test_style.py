"""load_style: the house style numbers, typed, merged over the defaults, every error at once."""

from __future__ import annotations

import pytest

from writer.config.style import load_style
from writer.errors import ConfigError


def test_bundled_style_holds_the_house_numbers():
    style = load_style()
    assert (style.page.width_mm, style.page.height_mm) == (210, 297)
    assert (
        style.page.margin_top_mm,
        style.page.margin_bottom_mm,
        style.page.margin_left_mm,
        style.page.margin_right_mm,
    ) == (37, 35, 28, 26)
    assert (style.title.font, style.title.size_pt, style.title.align) == ("方正小标宋简体", 22, "center")
    assert (style.body.font, style.body.first_line_chars, style.body.line_spacing_pt) == ("仿宋_GB2312", 2, 28)
    assert [style.heading(n).font for n in (1, 2, 3, 4)] == ["黑体", "楷体_GB2312", "仿宋_GB2312", "仿宋_GB2312"]
    assert style.heading(3).bold and not style.heading(1).bold
    assert style.heading(1).line_spacing_pt == 28  # inherited from the body
    assert style.unit.first_line_chars == 0 and style.unit.align == "center"
    assert style.page_number.format == "— {n} —" and (style.page_number.odd, style.page_number.even) == (
        "right",
        "left",
    )
    assert style.latin_font == "Times New Roman" and style.language == "zh-CN"


def test_user_file_overrides_only_the_keys_it_sets(tmp_path):
    path = tmp_path / "style.yaml"
    path.write_text("body: {font: 仿宋}\nheading2: {font: 楷体}\n", encoding="utf-8")
    style = load_style(path)
    assert style.body.font == "仿宋" and style.body.size_pt == 16
    assert style.heading(2).font == "楷体"
    assert style.heading(1).font == "黑体"


def test_every_problem_is_reported_at_once_with_file_line_and_key_path(tmp_path):
    path = tmp_path / "style.yaml"
    path.write_text(
        "page:\n  margin_top_mm: 三十七\n  colour: red\nbody: {size_pt: true}\n"
        "heading1: {bold: 是, align: middle}\npage_number: {format: 第页}\nextra: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_style(path)
    problems = info.value.problems
    assert len(problems) == 7
    assert str(path) in str(info.value)
    assert any("第2行 page.margin_top_mm" in p and "数字" in p for p in problems)
    assert any("第3行 page.colour" in p and "不认识" in p for p in problems)
    assert any("body.size_pt" in p for p in problems)
    assert any("heading1.bold" in p for p in problems)
    assert any("heading1.align" in p for p in problems)
    assert any("page_number.format" in p and "{n}" in p for p in problems)
    assert any("第7行 extra" in p for p in problems)


def test_missing_or_broken_style_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="找不到样式文件"):
        load_style(tmp_path / "无.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("body: {font: 仿宋\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="不是合法的 YAML"):
        load_style(broken)


def test_fangsong_fixture_replaces_every_gb2312_font(fixtures_dir):
    style = load_style(fixtures_dir / "style" / "fangsong.yaml")
    fonts = [style.body.font, style.subtitle.font, style.unit.font, style.table.font] + [
        style.heading(n).font for n in (1, 2, 3, 4)
    ]
    assert not any("GB2312" in f for f in fonts)
    assert style.title.font == "方正小标宋简体"
