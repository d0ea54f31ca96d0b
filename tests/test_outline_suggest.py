"""`writer outline suggest`: weighted keywords for a new section, as YAML ready to
paste into an outline, each with its evidence; a clear message when the sources
have nothing to go on."""

import re
from pathlib import Path

import yaml

from writer.cli.app import app
from writer.config.lexicon import synonym_forms

ROOT = Path(__file__).resolve().parent.parent


def _section(stdout: str) -> dict:
    data = yaml.safe_load("sections:\n" + stdout)
    assert isinstance(data["sections"], list) and len(data["sections"]) == 1
    return data["sections"][0]


def test_suggest_prints_a_section_block_with_weighted_lexicon_keywords(runner):
    result = runner.invoke(
        app, ["outline", "suggest", "思想引领", str(ROOT / "seeds"), "--description", "理论学习", "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    section = _section(result.stdout)
    assert section["title"] == "思想引领" and section["description"] == "理论学习"
    keywords = section["keywords"]
    assert 5 <= len(keywords) <= 12
    assert all(1 <= w <= 3 for w in keywords.values())
    # passages leaning to the section bring domain terms the title does not name
    canonical = set(synonym_forms())
    assert len([k for k in keywords if k in canonical and k not in "思想引领理论学习"]) >= 2
    # every keyword line states its evidence
    lines = [ln for ln in result.stdout.splitlines() if re.match(r"^      \S+: [\d.]+", ln)]
    assert len(lines) == len(keywords) and all(re.search(r"# \d+ 段", ln) for ln in lines)


def test_suggest_on_a_folder_with_nothing_related_says_so(runner, tmp_path):
    (tmp_path / "a.txt").write_text("今年一季度，共受理案件213件，同比上升12%。\n", encoding="utf-8")
    result = runner.invoke(app, ["outline", "suggest", "思想引领", str(tmp_path), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "没有与标题或说明相关的段落" in result.stdout
    assert _section(result.stdout)["keywords"]  # the title's own word at least


def test_suggest_on_an_empty_folder_is_a_chinese_usage_error(runner, tmp_path):
    result = runner.invoke(app, ["outline", "suggest", "思想引领", str(tmp_path), "--no-cache"])
    assert result.exit_code == 2
    assert "没有可读取的素材" in result.output
