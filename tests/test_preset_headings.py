"""Presets read as a house would write them: within one draft the first-level
headings share one form (all wrapped in “坚持发挥……作用”, or all as written)."""

import re
from pathlib import Path

import pytest

from writer.cli.app import app
from writer.config.outline import find_preset

ROOT = Path(__file__).resolve().parent.parent
PRESETS = sorted(p.stem for p in (ROOT / "writer" / "data" / "config" / "presets").glob("*.yaml"))


@pytest.mark.parametrize("preset", PRESETS)
def test_first_level_headings_of_a_preset_share_one_form(runner, tmp_path, preset):
    result = runner.invoke(
        app,
        [
            "draft",
            str(ROOT / "seeds"),
            "--outline",
            str(find_preset(preset)),
            "--format",
            "md",
            "--out",
            str(tmp_path),
            "--no-cache",
        ],
    )
    assert result.exit_code == 0, result.output
    (md,) = tmp_path.glob("*.md")
    heads = re.findall(r"^## [一二三四五六七八九十]+、(.+)$", md.read_text(encoding="utf-8"), re.M)
    assert len(heads) >= 3
    wrapped = [h.startswith("坚持发挥") and h.endswith("作用") for h in heads]
    assert all(wrapped) or not any(wrapped), heads


def test_a_mixed_outline_keeps_every_title_as_written(runner, tmp_path):
    text = find_preset("三个引领").read_text(encoding="utf-8").replace("title: 制度机制引领", "title: 制度保障", 1)
    outline = tmp_path / "outline.yaml"
    outline.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["draft", str(ROOT / "seeds"), "--outline", str(outline), "--format", "md", "--out", str(out), "--no-cache"],
    )
    assert result.exit_code == 0, result.output
    (md,) = out.glob("*.md")
    heads = re.findall(r"^## [一二三]、(.+)$", md.read_text(encoding="utf-8"), re.M)
    assert heads == ["思想引领", "组织体系引领", "制度保障"]
