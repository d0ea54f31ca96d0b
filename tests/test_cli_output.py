"""Output that scales: `writer map` and `writer ingest` summarise and list the top
rows (everything with --all), as plain lines when stdout is not a terminal, and
`writer map --json` is written passage by passage with the same content."""

from __future__ import annotations

import io
import json
import shutil

from conftest import SEEDS

from writer.cli.app import app
from writer.cli.map_view import TOP_ROWS, map_json, write_map_json
from writer.pipeline import default_outline_path, map_sources
from writer.sources.ingest import ingest


def _seeds_mapping():
    result = map_sources([SEEDS], outline_path=default_outline_path())
    return result.corpus, result.mapping, result.outline_path


def test_streamed_map_json_is_exactly_the_document_the_builder_makes(runner):
    corpus, mapping, outline_path = _seeds_mapping()
    built = map_json(corpus, mapping, outline_path)
    result = runner.invoke(app, ["map", str(SEEDS), "--json", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == built
    lines = result.stdout.splitlines()
    rows = [line for line in lines if line.startswith('    {"id":')]
    assert len(rows) == len(built["passages"])  # one passage per line
    assert [json.loads(r.rstrip(",")) for r in rows] == built["passages"]


def test_streamed_map_json_of_no_passages_is_valid_json():
    corpus, mapping, outline_path = _seeds_mapping()
    empty = type(corpus)(sources=(), notices=())
    out = io.StringIO()
    write_map_json(empty, mapping, outline_path, out)
    assert json.loads(out.getvalue()) == {**map_json(corpus, mapping, outline_path), "passages": []}


def test_map_prints_a_summary_then_the_top_rows_as_plain_lines_when_not_a_terminal(runner):
    corpus, mapping, _ = _seeds_mapping()
    result = runner.invoke(app, ["map", str(SEEDS), "--no-cache"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"共 {len(mapping.assignments)} 段；")
    assert "┃" not in out and "│" not in out  # no rich table borders
    rows = [line for line in out.splitlines() if line.startswith("p") and line.count("\t") == 4]
    biggest = max(len(mapping.in_section(s)) for s in ("sixiang", "zuzhi", "zhidu"))
    assert biggest > TOP_ROWS and "加 --all 列出全部" in out
    assert len(rows) <= TOP_ROWS * 4  # three sections and the unassigned, at most TOP_ROWS each
    best = mapping.in_section("zuzhi")[0].passage_id
    assert any(line.startswith(best + "\t") for line in rows)


def test_map_all_lists_every_passage_once(runner):
    corpus, mapping, _ = _seeds_mapping()
    result = runner.invoke(app, ["map", str(SEEDS), "--no-cache", "--all"])
    assert result.exit_code == 0, result.output
    ids = [line.split("\t")[0] for line in result.stdout.splitlines() if line.count("\t") == 4]
    ids = [i for i in ids if i != "段落"]
    assert sorted(ids) == sorted(a.passage_id for a in mapping.assignments)
    assert "加 --all" not in result.stdout


def test_ingest_prints_totals_and_only_the_files_with_warnings(runner, tmp_path):
    folder = tmp_path / "素材"
    shutil.copytree(SEEDS, folder)
    (folder / "有屏蔽字.txt").write_text(
        "某院经验\n\n一、加强学习\n\n正如***所说，要持续加强理论武装，推动学习走深走实。\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["ingest", str(folder), "--no-cache"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "素材概览" in out and "合计\t6\t" in out
    corpus = ingest([folder])
    warned = [s.path for s in corpus.sources if s.notices]
    quiet = [s.path for s in corpus.sources if not s.notices]
    assert quiet and any(p.endswith("有屏蔽字.txt") for p in warned)
    assert f"有警告的文件：{len(warned)} 个" in out
    assert all(p in out for p in warned) and not any(p in out for p in quiet)
    assert "共 6 个文件" in out

    result = runner.invoke(app, ["ingest", str(folder), "--no-cache", "--all"])
    assert result.exit_code == 0, result.output
    assert all(s.path in result.stdout for s in corpus.sources)
