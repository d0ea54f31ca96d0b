"""Templates: helpers, user overrides file by file, and every variable checked against the model."""

from __future__ import annotations

import jinja2
import jinja2.meta
import pytest

from tests.report_fixture import build_report
from writer.errors import ConfigError
from writer.render.layout import layout_report
from writer.render.templates import (
    TEMPLATE_CONTEXT,
    TEMPLATE_NAMES,
    Templates,
    bundled_dir,
    cn_number,
    load_templates,
    ordinal,
    period,
)


@pytest.mark.parametrize(
    "n, expected",
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (123, "一百二十三"),
    ],
)
def test_cn_number_writes_heading_numerals(n, expected):
    assert cn_number(n) == expected


def test_ordinal_gives_run_in_enumerators():
    assert [ordinal(n) for n in (1, 2, 10, 11)] == ["一是", "二是", "十是", "十一是"]


def test_period_ends_a_sentence_once():
    assert period("强化思想引领") == "强化思想引领。"
    assert period("党员同育，一体锻造先锋队。") == "党员同育，一体锻造先锋队。"
    assert period("怎样做好？") == "怎样做好？"
    assert period("强化思想引领；") == "强化思想引领。"


def test_every_bundled_template_uses_only_documented_variables():
    env = load_templates().env  # the real environment: its filters, StrictUndefined
    assert env.undefined is jinja2.StrictUndefined and not env.autoescape
    allowed_globals = {"cn_number", "ordinal"}
    for name in TEMPLATE_NAMES:
        source = (bundled_dir() / name).read_text(encoding="utf-8")
        used = jinja2.meta.find_undeclared_variables(env.parse(source))
        assert used <= set(TEMPLATE_CONTEXT[name]) | allowed_globals, name


def test_layout_passes_exactly_the_documented_context_to_every_template(monkeypatch, fixtures_dir):
    """Every template is reached through layout_report itself: a report nested three
    levels deep, laid out once with run-in items and once with items as headings."""
    import dataclasses

    seen: dict[str, set[str]] = {}
    original = Templates.render

    def recording(self, name, **context):
        seen.setdefault(name, set()).update(context)
        return original(self, name, **context)

    monkeypatch.setattr(Templates, "render", recording)
    report = build_report(nested=True)
    third = report.sections[2]
    [sub] = third.subsections
    deeper = dataclasses.replace(sub, id="deeper", subsections=(dataclasses.replace(sub, id="deepest"),))
    nested = dataclasses.replace(
        report, sections=report.sections[:2] + (dataclasses.replace(third, subsections=(deeper,)),)
    )
    layout_report(nested, load_templates())
    layout_report(nested, load_templates(fixtures_dir / "templates" / "subheadings"))
    for name in TEMPLATE_NAMES:
        assert seen.get(name) == set(TEMPLATE_CONTEXT[name]), name


def test_user_folder_overrides_one_template_and_keeps_the_others(tmp_path):
    (tmp_path / "heading1.j2").write_text("{{ number }}、{{ section.title }}方面的做法\n", encoding="utf-8")
    doc = layout_report(build_report(), load_templates(tmp_path))
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert headings[0] == "一、思想引领方面的做法"
    paragraphs = [b.text for b in doc.blocks if b.kind == "paragraph"]
    assert paragraphs[1].startswith("一是强化“思想要素”核心功能。")


def test_user_template_with_unknown_variable_fails_at_load_naming_the_file(tmp_path):
    (tmp_path / "item.j2").write_text("{{ ordinal }}{{ item.lead }}{{ itme.unit }}", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_templates(tmp_path)
    assert any("item.j2" in p and "itme" in p for p in info.value.problems)


def test_user_template_with_syntax_error_names_file_and_line(tmp_path):
    (tmp_path / "lead.j2").write_text("{# 开头段 #}\n{{ lead.text }\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_templates(tmp_path)
    assert any("lead.j2 第2行" in p for p in info.value.problems)


def test_unknown_template_file_name_is_an_error(tmp_path):
    (tmp_path / "heading.j2").write_text("{{ number }}", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_templates(tmp_path)
    assert any("heading.j2" in p and "不认识" in p for p in info.value.problems)


def test_missing_template_folder_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="找不到模板文件夹"):
        load_templates(tmp_path / "没有")


def test_layout_yaml_switches_items_to_subheadings(tmp_path):
    (tmp_path / "layout.yaml").write_text("items: headings\n", encoding="utf-8")
    assert load_templates(tmp_path).items_as_headings
    assert not load_templates().items_as_headings


def test_bad_layout_yaml_lists_every_problem(tmp_path):
    (tmp_path / "layout.yaml").write_text("items: bullets\ncolumns: 2\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_templates(tmp_path)
    assert len(info.value.problems) == 2
    assert any("bullets" in p for p in info.value.problems)
    assert any("columns" in p for p in info.value.problems)


def test_render_time_missing_attribute_is_a_config_error(tmp_path):
    # a documented variable used with a wrong attribute is only visible at render time
    (tmp_path / "closing.j2").write_text("{{ closing.txt }}", encoding="utf-8")
    templates = load_templates(tmp_path)
    with pytest.raises(ConfigError, match="closing.j2"):
        layout_report(build_report(), templates)
