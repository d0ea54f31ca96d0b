"""Pins that survive edits: include/ban by id or by a text anchor ("text:…"); a pin
that matches nothing is one Chinese warning naming it; `writer ingest --ids` lists ids."""

import shutil
from pathlib import Path

from writer.cli.app import app
from writer.config.outline import find_preset, load_outline
from writer.mapping.scoring import map_corpus
from writer.sources.ingest import ingest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "heading_first"


def _outline(tmp_path, section: str, line: str):
    preset = find_preset("三个引领").read_text(encoding="utf-8")
    text = preset.replace(f"  - id: {section}\n", f"  - id: {section}\n    {line}\n", 1)
    path = tmp_path / "outline.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _id_of(corpus, start):
    return next(p.id for _, _, p in corpus.iter_passages() if p.text.startswith(start))


def test_a_text_anchor_pins_the_passage_that_contains_it(tmp_path):
    corpus = ingest([FIXTURES])
    outline = load_outline(_outline(tmp_path, "zhidu", 'include: ["text:集中学习，党员轮流领读"]'))
    mapping = map_corpus(corpus, outline)
    pid = _id_of(corpus, "一是抓好日常学习")
    assert mapping.assignment(pid).section == "zhidu" and mapping.assignment(pid).reason == "固定归入"
    assert mapping.pinned_in("zhidu") == {pid}
    assert mapping.warnings == ()


def test_a_text_anchor_survives_an_edit_elsewhere_in_the_passage(tmp_path):
    folder = tmp_path / "src"
    shutil.copytree(FIXTURES, folder)
    f = folder / "题下要点.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("谈体会、找差距", "谈心得、找差距"), encoding="utf-8")
    outline = load_outline(_outline(tmp_path, "sixiang", 'ban: ["text:集中学习，党员轮流领读"]'))
    corpus = ingest([folder])
    mapping = map_corpus(corpus, outline)
    assert mapping.assignment(_id_of(corpus, "一是抓好日常学习")).section != "sixiang"
    assert mapping.warnings == ()


def test_a_stale_id_is_one_warning_naming_it(tmp_path):
    outline = load_outline(_outline(tmp_path, "zuzhi", "include: [p0000000000]"))
    mapping = map_corpus(ingest([FIXTURES]), outline)
    assert len(mapping.warnings) == 1
    assert "p0000000000" in mapping.warnings[0] and "zuzhi" in mapping.warnings[0]


def test_a_stale_text_anchor_is_one_warning_naming_it_and_the_nearest_passage(tmp_path):
    outline = load_outline(_outline(tmp_path, "sixiang", 'ban: ["text:每月安排半天时间集中研讨"]'))
    corpus = ingest([FIXTURES])
    mapping = map_corpus(corpus, outline)
    assert len(mapping.warnings) == 1
    w = mapping.warnings[0]
    assert "text:每月安排半天时间集中研讨" in w and _id_of(corpus, "一是抓好日常学习") in w


def test_map_prints_pin_warnings_in_chinese(runner, tmp_path):
    path = _outline(tmp_path, "zuzhi", "include: [p0000000000]")
    result = runner.invoke(app, ["map", str(FIXTURES), "--outline", str(path), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "提醒" in result.output and "p0000000000" in result.output


def test_ingest_ids_lists_every_passage_id(runner):
    result = runner.invoke(app, ["ingest", str(FIXTURES), "--ids", "--no-cache"])
    assert result.exit_code == 0, result.output
    for _, _, p in ingest([FIXTURES]).iter_passages():
        assert p.id in result.stdout
    assert "text:" in result.stdout


def test_a_stale_id_from_an_edited_source_names_what_it_was_and_the_nearest_passage_now(runner, tmp_path):
    """After a one-character fix in a source, the pinned id changes: `writer map` says
    what the old id was (its file and words) and which passage of that file replaced it."""
    folder = tmp_path / "素材"
    shutil.copytree(FIXTURES, folder)
    cache = tmp_path / "cache.sqlite"
    corpus = ingest([folder], cache=cache)
    old = _id_of(corpus, "一是抓好日常学习")
    path = _outline(tmp_path, "zuzhi", f"include: [{old}]")
    source = next(f for f in folder.iterdir() if "一是抓好日常学习" in f.read_text(encoding="utf-8"))
    source.write_text(
        source.read_text(encoding="utf-8").replace("一是抓好日常学习", "一是抓实日常学习"), encoding="utf-8"
    )
    result = runner.invoke(app, ["map", str(folder), "--outline", str(path), "--cache", str(cache)])
    assert result.exit_code == 0, result.output
    new = _id_of(ingest([folder]), "一是抓实日常学习")
    warning = next(line for line in result.output.splitlines() if old in line)
    assert "原为" in warning and "一是抓好日常学习" in warning and new in warning
