"""Hardening (issue 13): hostile templates, all-or-nothing outputs, reproducible
.docx, damaged caches, interrupts, hostile YAML, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report_fixture import build_report
from writer.cli.app import app
from writer.errors import ConfigError
from writer.render.layout import layout_report
from writer.render.templates import load_templates

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_6ef9b5ad5fd7aa5f.txt"

# ---------------------------------------------------------------- templates

ATTACKS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ section.__class__.__init__.__globals__ }}",
    "{{ lipsum.__globals__.os.popen('touch PWNED').read() }}",
    "{{ cn_number.__globals__ }}",
    "{{ (section.title|attr('__class__')).__base__.__subclasses__() }}",
    "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{{ c }}{% endfor %}",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_hostile_template_renders_nothing_and_is_a_config_error(tmp_path, monkeypatch, attack):
    monkeypatch.chdir(tmp_path)  # a command the template might run would land here
    (tmp_path / "heading1.j2").write_text(attack, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        layout_report(build_report(), load_templates(tmp_path))
    assert "heading1.j2" in " ".join([str(info.value), *info.value.problems])
    assert not (tmp_path / "PWNED").exists()


def test_hostile_template_through_the_cli_exits_2_and_writes_nothing(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a command the template might run would land here
    templates = tmp_path / "模板"
    templates.mkdir()
    (templates / "heading1.j2").write_text(ATTACKS[2], encoding="utf-8")
    outline = tmp_path / "outline.yaml"
    outline.write_text(
        "preset: 三个引领\ntitle: 标题\ntemplates: 模板\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["draft", str(SEED), "--outline", str(outline), "--out", str(out), "--no-cache"])
    assert result.exit_code == 2, result.output
    assert "heading1.j2" in result.output and "Traceback" not in result.output
    assert not out.exists() and not (tmp_path / "PWNED").exists()
