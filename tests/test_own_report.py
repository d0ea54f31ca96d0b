"""A unit's own report: its own material, in its own voice, with an opening, a closing,
balanced sections and honest shortfall lines (issue: the unit's own report)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FIXTURES, SEEDS
from writer.cli.app import app
from writer.compose.voice import as_other_unit, speak_as
from writer.pipeline import make_draft

SEED_003 = next(SEEDS.glob("003_*.txt"))
SEED_004 = next(SEEDS.glob("004_*.txt"))
OWN = FIXTURES / "own_report"


def _folder(tmp_path: Path, sources: list[Path], unit: str, *, perspective: str = "我院", extra: str = "") -> Path:
    (tmp_path / "sources").mkdir(parents=True)
    for src in sources:
        shutil.copy(src, tmp_path / "sources" / src.name)
    (tmp_path / "outline.yaml").write_text(
        f"preset: 三个引领\ntitle: 经验交流材料\nunit: {unit}\nperspective: {perspective}\n"
        f"sources:\n  - sources\n{extra}",
        encoding="utf-8",
    )
    return tmp_path


def _draft(folder: Path):
    result = make_draft(outline_path=folder / "outline.yaml", fmt="md", out=folder / "out", cache=None)
    [md] = [p for p in result.written if p.suffix == ".md"]
    sidecar = json.loads(Path(str(md) + ".sources.json").read_text(encoding="utf-8"))
    return result, sidecar


def _body(sidecar: dict) -> list[dict]:
    return [p for p in sidecar["paragraphs"] if p["kind"] == "paragraph"]


def _unquoted(text: str) -> str:
    return re.sub(r"“[^”]*”|《[^》]*》", "", text)


CASES = [
    (SEED_003, "济南市济阳区人民检察院", ("济阳区检察院", "济阳区人民检察院", "山东省济南市济阳区检察院")),
    (SEED_004, "互助土族自治县人民检察院", ("互助县人民检察院", "互助县检察院")),
    (OWN / "清河县_经验材料.txt", "清河县人民检察院", ("清河县检察院", "清河县人民检察院")),
    (OWN / "南湖区院_网页稿.txt", "嘉兴市南湖区人民检察院", ("南湖区人民检察院", "南湖区院", "南湖区检察院")),
]


@pytest.mark.parametrize(("source", "unit", "names"), CASES, ids=["seed003", "seed004", "清河县", "南湖区"])
def test_a_units_own_report_speaks_as_我院_with_opening_closing_and_honest_length(tmp_path, source, unit, names):
    result, sidecar = _draft(_folder(tmp_path, [source], unit))
    body = _body(sidecar)
    text = "".join(_unquoted(p["text"]) for p in body)
    assert "我院" in text or "院党组" in text
    for name in (*names, "该院"):
        assert name not in text, name
    assert sidecar["unit"] == unit and sidecar["perspective"] == "我院"
    # the unit line is the outline's formal name, never the detected one
    assert [p["text"] for p in sidecar["paragraphs"] if p["kind"] == "unit"] == [unit]
    assert body[0]["text"].startswith(("近年来", "今年以来", "习近平总书记")), body[0]["text"][:20]
    assert body[-1]["text"].startswith(("下一步", "今后")), body[-1]["text"][:20]
    for tally in result.report.tallies:
        assert tally.items >= 2 or any(f"{tally.label}：只有" in w for w in result.warnings), tally
    target = result.report.target_chars
    assert abs(result.body_chars - target) <= 0.15 * target or any("素材不足" in w for w in result.warnings)


def test_with_perspective_院党组_the_party_group_speaks_and_no_name_is_left(tmp_path):
    _, sidecar = _draft(_folder(tmp_path, [SEED_003], "济南市济阳区人民检察院", perspective="院党组"))
    text = "".join(_unquoted(p["text"]) for p in _body(sidecar))
    assert "院党组" in text
    assert "济阳区检察院" not in text and "该院" not in text
    assert "我院我院" not in text and "我院院党组" not in text


def test_a_third_person_draft_of_all_seeds_has_no_other_units_我院(tmp_path):
    result = make_draft([SEEDS], fmt="md", out=tmp_path, cache=None)
    [md] = [p for p in result.written if p.suffix == ".md"]
    sidecar = json.loads(Path(str(md) + ".sources.json").read_text(encoding="utf-8"))
    for p in _body(sidecar):
        assert not re.search("我院|本院", _unquoted(p["text"])), p["text"][:40]
    # a compilation opens and closes with marked template text, never one unit's passage,
    # and no section is introduced by one unit's intro sentence
    assert _body(sidecar)[0].get("template") and _body(sidecar)[-1].get("template")
    assert all(s.intro is None for s in result.report.sections)


def test_other_units_material_enters_a_units_report_only_when_the_outline_asks(tmp_path):
    unit = "互助土族自治县人民检察院"
    alone = _folder(tmp_path / "none", sorted(SEEDS.glob("*.txt")), unit)
    _, sidecar = _draft(alone)
    units = {s["unit"] for p in _body(sidecar) for s in p["sources"]}
    assert units == {"互助县人民检察院"}
    shared = _folder(tmp_path / "attributed", sorted(SEEDS.glob("*.txt")), unit, extra="others: attributed\n")
    _, sidecar = _draft(shared)
    others = [p for p in _body(sidecar) if any(s["unit"] != "互助县人民检察院" for s in p["sources"])]
    assert others, "others: attributed lets other units' practices in"
    for p in others:
        assert re.search(r"（[^（）]*检察院[^（）]*）$", p["text"]), p["text"][-30:]
    assert not (_body(sidecar)[0]["sources"] and _body(sidecar)[0]["sources"][0]["unit"] != "互助县人民检察院")


def test_a_unit_that_matches_no_article_is_a_warning_naming_what_was_found_and_strict_fails(tmp_path):
    folder = _folder(tmp_path, [SEED_003], "济南市历城区人民检察院")
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "draft",
            "--outline",
            str(folder / "outline.yaml"),
            "--out",
            str(folder / "o"),
            "--format",
            "md",
            "--no-cache",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "对不上" in result.output and "山东省济南市济阳区检察院" in result.output and "最接近" in result.output
    strict = runner.invoke(
        app,
        [
            "draft",
            "--outline",
            str(folder / "outline.yaml"),
            "--out",
            str(folder / "s"),
            "--format",
            "md",
            "--no-cache",
            "--strict",
        ],
    )
    assert strict.exit_code == 1


def test_the_draft_summary_counts_items_length_voice_and_shortfalls(tmp_path):
    folder = _folder(tmp_path, [SEED_003], "济南市济阳区人民检察院")
    result = CliRunner().invoke(
        app,
        [
            "draft",
            "--outline",
            str(folder / "outline.yaml"),
            "--out",
            str(folder / "o"),
            "--format",
            "md",
            "--no-cache",
        ],
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"一、思想引领：\d+ 条（目标 3 条）", result.output)
    assert re.search(r"正文 [\d,]+ 字，目标 3,000 字", result.output)
    assert re.search(r"改写称谓 \d+ 处", result.output)
    assert "素材不足" in result.output and "只有 1 条素材（目标 3 条）" in result.output


def test_a_sections_introductory_sentence_leads_the_section_and_is_not_an_item(tmp_path):
    _, sidecar = _draft(_folder(tmp_path, [SEED_003], "济南市济阳区人民检察院"))
    [intro] = [p for p in _body(sidecar) if p["text"].startswith("以夯实基层党组织建设")]
    assert not re.match("[一二三四]是", intro["text"])


def test_a_parent_paragraph_keeps_its_sub_points_and_trimming_keeps_every_lead(tmp_path):
    folder = _folder(tmp_path, [SEED_004], "互助土族自治县人民检察院", extra="length: 1200\n")
    result, sidecar = _draft(folder)
    [parent] = [p for p in _body(sidecar) if "组织建设强堡垒" in p["text"]]
    assert "支部建在办案组" in parent["text"] and len(parent["passages"]) >= 2
    for section in result.report.sections:
        for item in section.items:
            assert item.lead, item.sentences[:1]
    leads = [it.lead for s in result.report.sections for it in s.items]
    texts = [re.sub("^[一二三四]是", "", p["text"]) for p in _body(sidecar)]
    assert all(any(t.startswith(lead) for t in texts) for lead in leads)


def test_bad_outline_values_for_the_own_report_are_line_numbered_errors(tmp_path):
    runner = CliRunner()
    bad = tmp_path / "o.yaml"
    bad.write_text("preset: 三个引领\ntitle: t\nperspective: 我院\n", encoding="utf-8")
    result = runner.invoke(app, ["outline", "check", str(bad)])
    assert result.exit_code == 2 and "第3行 perspective" in result.output
    bad.write_text("preset: 三个引领\ntitle: t\nunit: 清河县人民检察院\nothers: everyone\n", encoding="utf-8")
    result = runner.invoke(app, ["outline", "check", str(bad)])
    assert result.exit_code == 2 and "第4行 others" in result.output


# ------------------------------------------------------------------ voice, in isolation

UNIT = "济南市济阳区人民检察院"


@pytest.mark.parametrize(
    ("text", "form", "expected"),
    [
        ("近年来，山东省济南市济阳区检察院坚持……", "我院", "近年来，我院坚持……"),
        ("济阳区检察院党组严格落实“第一议题”制度", "我院", "院党组严格落实“第一议题”制度"),
        ("该院实施“济阳区检察院品牌”工程", "我院", "我院实施“济阳区检察院品牌”工程"),
        ("济阳区院办理案件120件，我院干警", "本院", "本院办理案件120件，本院干警"),
        ("济阳区检察院坚持从严治检，我院干警20人", "院党组", "院党组坚持从严治检，我院干警20人"),
        ("济南市检察院和历城区检察院", "我院", "济南市检察院和历城区检察院"),
    ],
)
def test_speaking_as_the_unit_changes_names_only(text, form, expected):
    assert speak_as(text, UNIT, form) == expected


def test_another_units_我院_becomes_its_name_then_该院():
    text = "目前，我院7个办案组均实现“党员全覆盖”，我院干警“我院”"
    assert as_other_unit(text, "互助县人民检察院") == "目前，互助县检察院7个办案组均实现“党员全覆盖”，该院干警“我院”"
    assert as_other_unit("我院坚持", None) == "该院坚持"
    # a 该院 with no name before it (the news copy named the unit earlier) is named
    assert as_other_unit("该院指定导师，该院干警", "济南市济阳区人民检察院") == "济阳区检察院指定导师，该院干警"


def test_the_library_takes_the_cache_as_a_path_as_ingest_does(tmp_path):
    """``make_draft`` and ``map_sources`` accept the cache file's path (str or Path), as
    ``ingest`` does: the same draft as with no cache, and the cache filled and reused."""
    from writer.pipeline import map_sources

    def text(result) -> str:
        return next(p for p in result.written if p.suffix == ".md").read_text(encoding="utf-8")

    plain = make_draft([SEEDS], fmt="md", out=tmp_path / "plain", cache=None)
    where = tmp_path / "cache.sqlite"
    for cache in (str(where), where):  # cold, then warm
        cached = make_draft([SEEDS], fmt="md", out=tmp_path / "cached", cache=cache, force=True)
        assert text(cached) == text(plain)
        mapped = map_sources([SEEDS], cache=cache)
        assert [a.section for a in mapped.mapping.assignments] == [a.section for a in plain.mapping.assignments]
    assert where.is_file()
