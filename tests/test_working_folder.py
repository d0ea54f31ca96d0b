"""A folder made by `writer init` behaves like one: every command reads its sources/;
outside one, with no path and no seeds/, commands say what to do instead of
drafting the bundled demo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from writer.cli.app import app

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_004 = SEEDS / "004_a6d7a54a70ca9500.txt"


@pytest.fixture
def folder(runner, tmp_path, monkeypatch) -> Path:
    result = runner.invoke(app, ["init", str(tmp_path / "我的材料")])
    assert result.exit_code == 0, result.output
    work = tmp_path / "我的材料"
    shutil.copy(SEED_004, work / "sources" / "互助县院材料.txt")
    monkeypatch.chdir(work)
    return work


def test_ingest_inside_a_working_folder_reads_its_sources(runner, folder):
    result = runner.invoke(app, ["ingest", "--no-cache", "--all"])
    assert result.exit_code == 0, result.output
    assert "互助县院材料.txt" in result.output
    assert "000_" not in result.output  # not the bundled seeds
    assert "共 1 个文件" in result.output


@pytest.mark.parametrize("command", ["map", "digest", "draft"])
def test_every_command_inside_a_working_folder_reads_its_sources(runner, folder, command):
    args = [command, "--no-cache"] + (["--format", "md"] if command != "map" else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    if command == "map":
        assert "互助" in result.output
    else:
        written = list((folder / "output").glob("*.md"))
        assert written, result.output
        assert "互助" in written[0].read_text(encoding="utf-8")
        assert "北京" not in written[0].read_text(encoding="utf-8")  # not the demo seeds


def test_json_ingest_inside_a_working_folder_names_only_its_files(runner, folder):
    import json

    result = runner.invoke(app, ["ingest", "--no-cache", "--json"])
    assert result.exit_code == 0, result.output
    paths = [s["path"] for s in json.loads(result.stdout)["sources"]]
    assert [Path(p).name for p in paths] == ["互助县院材料.txt"]


@pytest.mark.parametrize("command", ["ingest", "map", "draft", "digest"])
def test_outside_a_working_folder_without_seeds_commands_say_what_to_do(runner, tmp_path, monkeypatch, command):
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    monkeypatch.chdir(empty)
    result = runner.invoke(app, [command, "--no-cache"])
    assert result.exit_code == 2, result.output
    assert "没有指定素材" in result.output and "writer init" in result.output
    assert "Traceback" not in result.output
    assert list(empty.iterdir()) == []  # nothing drafted, no output/ folder


def test_at_a_folder_with_seeds_draft_still_reads_them(runner, tmp_path, monkeypatch):
    work = tmp_path / "仓库"
    (work / "seeds").mkdir(parents=True)
    shutil.copy(SEED_004, work / "seeds" / "004.txt")
    monkeypatch.chdir(work)
    result = runner.invoke(app, ["draft", "--no-cache", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert list((work / "output").glob("*.md"))
