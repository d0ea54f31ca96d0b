"""The draft's sidecar finds its sources from anywhere, and the .docx file properties
carry the outline's title, the unit and the real date."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from writer.cli.app import app

SEED_004 = Path(__file__).resolve().parent.parent / "seeds" / "004_a6d7a54a70ca9500.txt"


@pytest.fixture
def drafted(runner, tmp_path, monkeypatch) -> Path:
    """A draft made in a project folder from its 素材/, written to 输出/."""
    project = tmp_path / "项目"
    (project / "素材").mkdir(parents=True)
    shutil.copy(SEED_004, project / "素材" / "材料.txt")
    monkeypatch.chdir(project)
    result = runner.invoke(app, ["draft", "素材", "--out", "输出", "--no-cache"])
    assert result.exit_code == 0, result.output
    [docx] = (project / "输出").glob("*.docx")
    return docx


def test_sidecar_records_each_source_relative_to_itself_and_absolute(drafted):
    data = json.loads(drafted.with_name(drafted.name + ".sources.json").read_text(encoding="utf-8"))
    [entry] = data["source_files"]
    assert entry["path"] == str(Path("素材") / "材料.txt")
    assert entry["relative"] == "../素材/材料.txt"
    assert Path(entry["absolute"]).is_absolute() and Path(entry["absolute"]).exists()


def test_check_finds_the_sources_when_run_from_the_output_folder(runner, drafted, monkeypatch):
    monkeypatch.chdir(drafted.parent)
    result = runner.invoke(app, ["check", drafted.name, "--json"])
    data = json.loads(result.stdout)
    assert all(n.get("code") != "no-sources" for n in data.get("notices", [])), data.get("notices")
    assert "未提供素材" not in result.stdout


def test_check_finds_the_sources_after_the_project_folder_moves(runner, drafted, tmp_path, monkeypatch):
    moved = tmp_path / "搬走的项目"
    shutil.move(str(drafted.parent.parent), moved)
    monkeypatch.chdir(tmp_path)
    docx = moved / "输出" / drafted.name
    result = runner.invoke(app, ["check", str(docx), "--json"])
    assert "未提供素材" not in result.stdout


def test_docx_core_properties_carry_title_unit_and_todays_date(drafted):
    import docx

    props = docx.Document(str(drafted)).core_properties
    assert props.title and props.title in drafted.stem
    assert props.author and props.author != "python-docx"
    assert "python-docx" not in (props.comments or "")
    assert props.created is not None and props.created.year == datetime.now(UTC).year
    assert props.modified is not None and props.modified.year == datetime.now(UTC).year


def test_docx_author_is_the_outlines_unit(runner, tmp_path, monkeypatch):
    import docx

    from writer.config.paths import CONFIG_DIR

    text = (CONFIG_DIR / "outline.yaml").read_text(encoding="utf-8")
    outline = tmp_path / "outline.yaml"
    outline.write_text(text.replace("# unit: XX市人民检察院", "unit: 互助土族自治县人民检察院", 1), encoding="utf-8")
    assert "unit: 互助土族自治县人民检察院" in outline.read_text(encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["draft", str(SEED_004), "--outline", str(outline), "--out", str(out), "--format", "docx", "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    [path] = out.glob("*.docx")
    assert docx.Document(str(path)).core_properties.author == "互助土族自治县人民检察院"
