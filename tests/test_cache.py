"""The corpus cache: reuse what did not change, forget what is gone, never trust a damaged file;
parallel parsing gives the same corpus as serial parsing."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from writer.cli.app import app
from writer.sources.cache import CorpusCache, default_cache_path
from writer.sources.ingest import ingest

FIX = Path(__file__).resolve().parent / "fixtures"
TEXTS = [
    FIX / "structure" / "compilation.txt",
    FIX / "structure" / "hardwrap.txt",
    FIX / "structure" / "webcopy.txt",
    FIX / "mapping" / "县院经验.txt",
    FIX / "mapping" / "支部材料.txt",
]
OLD = 1_600_000_000_000_000_000  # an mtime long past: stat is trusted (not "racy")


def make_folder(root: Path, *, old_mtime: bool = True) -> Path:
    folder = root / "素材"
    folder.mkdir(parents=True)
    for i, src in enumerate(TEXTS):
        target = folder / f"{i + 1}_{src.name}"
        shutil.copyfile(src, target)
        if old_mtime:
            os.utime(target, ns=(OLD, OLD))
    return folder


def run(folder: Path, cache_file: Path) -> tuple:
    store = CorpusCache(cache_file)
    corpus = ingest([folder], cache=store)
    return corpus, store


def names(paths: list[str]) -> set[str]:
    return {Path(p).name for p in paths}


def test_a_second_run_reuses_every_file_without_hashing_and_gives_the_same_corpus(tmp_path):
    folder = make_folder(tmp_path)
    cache_file = tmp_path / "c.sqlite"
    first, store1 = run(folder, cache_file)
    assert len(store1.stats.parsed) == len(TEXTS) and not store1.stats.reused
    second, store2 = run(folder, cache_file)
    assert store2.stats.parsed == [] and len(store2.stats.reused) == len(TEXTS)
    assert store2.stats.hashed == 0  # path, size and mtime matched
    assert second == first == ingest([folder])
    assert not store2.notices


def test_a_changed_file_is_parsed_again_and_the_others_are_reused(tmp_path):
    folder = make_folder(tmp_path)
    cache_file = tmp_path / "c.sqlite"
    run(folder, cache_file)
    changed = folder / "2_hardwrap.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n今年以来，共办理案件一百二十件。\n", encoding="utf-8")
    corpus, store = run(folder, cache_file)
    assert names(store.stats.parsed) == {"2_hardwrap.txt"}
    assert len(store.stats.reused) == len(TEXTS) - 1
    assert corpus == ingest([folder])
    assert any("一百二十件" in p.text for p in corpus.passages())


def test_a_file_changed_within_the_same_second_is_hashed_rather_than_trusted(tmp_path):
    # Fresh files (mtime now) are recorded as "racy": the next run hashes them.
    folder = make_folder(tmp_path, old_mtime=False)
    cache_file = tmp_path / "c.sqlite"
    run(folder, cache_file)
    target = folder / "1_compilation.txt"
    st = target.stat()
    text = target.read_text(encoding="utf-8")
    swapped = text.replace("检察", "检查", 1)  # same size in UTF-8
    assert len(swapped.encode()) == st.st_size
    target.write_text(swapped, encoding="utf-8")
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    corpus, store = run(folder, cache_file)
    assert names(store.stats.parsed) == {"1_compilation.txt"}
    assert corpus == ingest([folder])


def test_a_deleted_file_is_forgotten(tmp_path):
    folder = make_folder(tmp_path)
    cache_file = tmp_path / "c.sqlite"
    run(folder, cache_file)
    (folder / "3_webcopy.txt").unlink()
    corpus, store = run(folder, cache_file)
    assert store.stats.pruned == 1
    assert "3_webcopy.txt" not in names([s.path for s in corpus.sources])
    with sqlite3.connect(cache_file) as db:
        assert db.execute("SELECT count(*) FROM files").fetchone()[0] == len(TEXTS) - 1
        assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == len(TEXTS) - 1


def test_files_of_another_folder_sharing_the_cache_are_kept(tmp_path):
    a = make_folder(tmp_path / "a")
    b = make_folder(tmp_path / "b")
    (b / "1_compilation.txt").unlink()  # b differs from a by one file
    cache_file = tmp_path / "c.sqlite"
    run(a, cache_file)
    run(b, cache_file)
    _, store = run(a, cache_file)
    assert store.stats.pruned == 0 and store.stats.parsed == []
    _, store = run(b, cache_file)
    assert store.stats.pruned == 0 and store.stats.parsed == []


def test_a_moved_and_renamed_file_is_reused_under_its_new_name(tmp_path):
    folder = make_folder(tmp_path)
    cache_file = tmp_path / "c.sqlite"
    run(folder, cache_file)
    (folder / "2024年").mkdir()
    os.replace(folder / "1_compilation.txt", folder / "2024年" / "摘登.txt")
    corpus, store = run(folder, cache_file)
    assert store.stats.parsed == []
    assert store.stats.pruned == 1  # the old path
    moved = next(s for s in corpus.sources if s.path.endswith("摘登.txt"))
    assert all(a.id.startswith("摘登#") for a in moved.articles)
    assert all(p.location.path == moved.path for a in moved.articles for p in a.passages)
    assert corpus == ingest([folder])  # exactly what a fresh read gives


def test_a_new_writer_version_or_parse_schema_makes_every_row_stale(tmp_path, monkeypatch):
    folder = make_folder(tmp_path)
    cache_file = tmp_path / "c.sqlite"
    run(folder, cache_file)
    import writer
    import writer.sources.schema

    monkeypatch.setattr(writer.sources.schema, "SCHEMA", writer.sources.schema.SCHEMA + 1)
    _, store = run(folder, cache_file)
    assert len(store.stats.parsed) == len(TEXTS)
    monkeypatch.setattr(writer, "__version__", writer.__version__ + ".post1")
    _, store = run(folder, cache_file)
    assert len(store.stats.parsed) == len(TEXTS)
    with sqlite3.connect(cache_file) as db:  # the stale rows are gone, not kept alongside
        assert db.execute("SELECT count(DISTINCT version) FROM sources").fetchone()[0] == 1


def test_a_cache_file_of_garbage_bytes_is_set_aside_and_rebuilt_with_a_warning(tmp_path):
    folder = make_folder(tmp_path)
    cache_file = tmp_path / "c.sqlite"
    cache_file.write_bytes(b"\x00garbage, not a database\xff" * 100)
    corpus, store = run(folder, cache_file)
    warnings = [n for n in corpus.notices if n.code == "cache"]
    assert len(warnings) == 1 and "不是 SQLite 数据库" in warnings[0].message
    assert (tmp_path / "c.sqlite.bad").read_bytes().startswith(b"\x00garbage")
    assert corpus.sources == ingest([folder]).sources
    again, store = run(folder, cache_file)
    assert not [n for n in again.notices if n.code == "cache"] and store.stats.parsed == []


def test_a_sqlite_file_of_another_application_is_not_trusted_nor_destroyed(tmp_path):
    folder = make_folder(tmp_path)
    cache_file = tmp_path / "c.sqlite"
    with sqlite3.connect(cache_file) as db:
        db.execute("CREATE TABLE files (path TEXT, owner TEXT)")
        db.execute("INSERT INTO files VALUES ('x', 'someone')")
    corpus, _ = run(folder, cache_file)
    warnings = [n for n in corpus.notices if n.code == "cache"]
    assert len(warnings) == 1 and "不是 writer 的缓存" in warnings[0].message
    with sqlite3.connect(tmp_path / "c.sqlite.bad") as db:
        assert db.execute("SELECT owner FROM files").fetchone() == ("someone",)
    assert corpus.sources == ingest([folder]).sources


def test_a_cache_of_an_older_layout_is_rebuilt_with_a_warning(tmp_path):
    folder = make_folder(tmp_path)
    cache_file = tmp_path / "c.sqlite"
    run(folder, cache_file)
    with sqlite3.connect(cache_file) as db:
        db.execute("PRAGMA user_version = 0")
    corpus, store = run(folder, cache_file)
    assert any(n.code == "cache" and "旧版缓存格式" in n.message for n in corpus.notices)
    assert len(store.stats.parsed) == len(TEXTS)


def test_an_undecodable_row_is_reread_with_a_warning(tmp_path):
    folder = make_folder(tmp_path)
    cache_file = tmp_path / "c.sqlite"
    run(folder, cache_file)
    with sqlite3.connect(cache_file) as db:
        db.execute("UPDATE sources SET data = x'789c0000' WHERE rowid = (SELECT min(rowid) FROM sources)")
    corpus, store = run(folder, cache_file)
    warnings = [n for n in corpus.notices if n.code == "cache"]
    assert len(warnings) == 1 and "无法解码" in warnings[0].message
    assert len(store.stats.parsed) == 1
    assert corpus.sources == ingest([folder]).sources
    _, store = run(folder, cache_file)  # the row was repaired
    assert store.stats.parsed == [] and not store.notices


def test_an_unusable_cache_location_means_no_cache_with_a_warning(tmp_path):
    folder = make_folder(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    corpus = ingest([folder], cache=blocker / "c.sqlite")
    assert any(n.code == "cache" and "本次不使用缓存" in n.message for n in corpus.notices)
    assert corpus.sources == ingest([folder]).sources


def test_an_unreadable_file_is_reported_on_every_run(tmp_path):
    folder = make_folder(tmp_path)
    (folder / "图片.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    cache_file = tmp_path / "c.sqlite"
    for _ in range(2):
        corpus, _ = run(folder, cache_file)
        assert [Path(n.path).name for n in corpus.notices if n.code == "skipped-file"] == ["图片.txt"]


def test_progress_reports_every_file_once_whether_cached_or_parsed(tmp_path):
    folder = make_folder(tmp_path)
    cache_file = tmp_path / "c.sqlite"
    run(folder, cache_file)
    (folder / "5_支部材料.txt").write_text("今年以来，支部开展主题党日活动十二次。\n", encoding="utf-8")
    calls = []
    ingest([folder], cache=cache_file, progress=lambda d, t, p: calls.append((d, t)))
    assert calls == [(i, len(TEXTS)) for i in range(1, len(TEXTS) + 1)]


# ---------------------------------------------------------------- parallel parsing


def test_parallel_parsing_gives_the_same_corpus_as_serial(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):  # above the parallel threshold
        src = TEXTS[i % len(TEXTS)]
        text = src.read_text(encoding="utf-8").replace("检察院", f"第{i}检察院", 1)
        (folder / f"{i}.txt").write_text(text, encoding="utf-8" if i % 3 else "gb18030")
    (folder / "坏.txt").write_bytes(b"%PDF-1.4 binary")
    serial = ingest([folder], workers=1)
    parallel = ingest([folder], workers=2)
    assert parallel == serial
    assert [Path(s.path).name for s in parallel.sources][:3] == ["0.txt", "1.txt", "2.txt"]
    cached = ingest([folder], workers=2, cache=tmp_path / "c.sqlite")
    assert cached == serial
    assert ingest([folder], workers=2, cache=tmp_path / "c.sqlite") == serial


# ---------------------------------------------------------------- CLI


def test_cli_ingest_fills_the_cache_named_by_cache_option(runner, tmp_path, monkeypatch):
    folder = make_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    cache_file = tmp_path / "elsewhere" / "my.sqlite"
    result = runner.invoke(app, ["ingest", str(folder), "--cache", str(cache_file)])
    assert result.exit_code == 0, result.output
    assert "新读 5 个" in result.output
    assert cache_file.exists() and not (tmp_path / ".writer").exists()
    result = runner.invoke(app, ["ingest", str(folder), "--cache", str(cache_file)])
    assert "复用 5 个文件，新读 0 个" in result.output


def test_cli_ingest_uses_writer_cache_env_then_the_current_folder(runner, tmp_path, monkeypatch):
    folder = make_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WRITER_CACHE", raising=False)
    assert runner.invoke(app, ["ingest", str(folder)]).exit_code == 0
    assert (tmp_path / ".writer" / "cache.sqlite").exists()
    env_cache = tmp_path / "env.sqlite"
    result = runner.invoke(app, ["ingest", str(folder)], env={"WRITER_CACHE": str(env_cache)})
    assert result.exit_code == 0 and env_cache.exists()


def test_cli_no_cache_reads_everything_and_writes_no_cache(runner, tmp_path, monkeypatch):
    folder = make_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WRITER_CACHE", raising=False)
    result = runner.invoke(app, ["ingest", str(folder), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "缓存" not in result.output
    assert not (tmp_path / ".writer").exists()


def test_cli_warns_about_a_damaged_cache_and_still_succeeds(runner, tmp_path):
    folder = make_folder(tmp_path)
    cache_file = tmp_path / "c.sqlite"
    cache_file.write_bytes(b"not sqlite at all")
    result = runner.invoke(app, ["ingest", str(folder), "--cache", str(cache_file)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "不是 SQLite 数据库" in result.output


def test_default_cache_path_sits_next_to_the_outline(tmp_path, monkeypatch):
    monkeypatch.delenv("WRITER_CACHE", raising=False)
    assert default_cache_path(tmp_path / "项目" / "outline.yaml") == tmp_path / "项目" / ".writer" / "cache.sqlite"
    assert default_cache_path() == Path(".writer") / "cache.sqlite"


def test_python_dash_m_writer_runs_the_cli():
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-m", "writer", "--help"], cwd=root, capture_output=True, text=True)
    assert proc.returncode == 0 and "ingest" in proc.stdout


def test_ingest_from_a_full_cache_loads_neither_jieba_nor_the_file_readers(tmp_path):
    folder = make_folder(tmp_path)
    cache_file = tmp_path / "c.sqlite"
    run(folder, cache_file)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from writer.sources.ingest import ingest\n"
        "from writer.sources.cache import CorpusCache\n"
        f"c = CorpusCache({str(cache_file)!r})\n"
        f"ingest([Path({str(folder)!r})], cache=c)\n"
        "assert not c.stats.parsed\n"
        "print(sorted(m for m in ('jieba', 'docx', 'lxml', 'trafilatura', 'chardet') if m in sys.modules))\n"
    )
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_a_row_written_by_another_model_shape_is_reread_with_a_warning(tmp_path):
    import marshal
    import zlib

    folder = make_folder(tmp_path)
    cache_file = tmp_path / "c.sqlite"
    run(folder, cache_file)
    with sqlite3.connect(cache_file) as db:
        sha, blob = db.execute("SELECT sha256, data FROM sources LIMIT 1").fetchone()
        row = marshal.loads(zlib.decompress(blob))
        article = list(row[4][0])
        passage = article[6][0]
        article[6] = (passage[:4] + passage[5:], *article[6][1:])  # a field the model has and the row lacks
        row = (*row[:4], (tuple(article), *row[4][1:]), *row[5:])
        db.execute("UPDATE sources SET data = ? WHERE sha256 = ?", (zlib.compress(marshal.dumps(row)), sha))
    corpus, store = run(folder, cache_file)
    assert any(n.code == "cache" and "无法解码" in n.message for n in corpus.notices)
    assert len(store.stats.parsed) == 1
    assert corpus.sources == ingest([folder]).sources


def test_a_warm_survey_reads_summaries_equal_to_what_ingest_finds(tmp_path):
    """`writer ingest`'s table on a warm cache comes from per-file summaries, not the
    texts: the same counts and warnings as a full ingest, moved files included."""
    from writer.model.corpus import SourceSummary
    from writer.sources.ingest import survey_sources

    folder = make_folder(tmp_path)
    (folder / "占位.txt").write_text("关于***的报告\n\n一是加强学习。\n", encoding="utf-8")
    cache_file = tmp_path / "c.sqlite"
    corpus = ingest([folder], cache=CorpusCache(cache_file))
    expected = [SourceSummary.of(s) for s in corpus.sources]
    store = CorpusCache(cache_file)
    cold_path = survey_sources([folder], cache=store)
    assert list(cold_path.sources) == expected and store.stats.parsed == []
    moved = folder / "改名后.txt"
    (folder / "占位.txt").rename(moved)
    warm = survey_sources([folder], cache=CorpusCache(cache_file))
    fresh = [SourceSummary.of(s) for s in ingest([folder]).sources]
    assert list(warm.sources) == fresh
    assert str(moved) in {s.path for s in warm.sources}


def test_an_undecodable_summary_is_reread_with_a_warning(tmp_path):
    from writer.sources.ingest import survey_sources

    folder = make_folder(tmp_path)
    cache_file = tmp_path / "c.sqlite"
    run(folder, cache_file)
    with sqlite3.connect(cache_file) as db:
        db.execute("UPDATE sources SET summary = x'00' WHERE rowid = (SELECT min(rowid) FROM sources)")
    store = CorpusCache(cache_file)
    survey = survey_sources([folder], cache=store)
    assert any(n.code == "cache" and "无法解码" in n.message for n in survey.notices)
    assert len(store.stats.parsed) == 1 and len(survey.sources) == len(ingest([folder]).sources)


def test_an_unchanged_folder_is_surveyed_whole_from_the_kept_survey_and_an_edit_is_seen(tmp_path, monkeypatch):
    """A warm ``writer map`` / ``draft`` over 10,000 unchanged files reads one kept survey
    instead of planning file by file; any file with another size or time is planned again."""
    from writer.sources.ingest import survey_sources

    folder = make_folder(tmp_path)
    cache_file = tmp_path / "c.sqlite"
    first = survey_sources([folder], cache=CorpusCache(cache_file))

    def planned(*_a, **_k):
        raise AssertionError("planned file by file")

    with monkeypatch.context() as m:
        m.setattr(CorpusCache, "plan", planned)
        store = CorpusCache(cache_file)
        second = survey_sources([folder], cache=store)
    assert second == first and len(store.stats.reused) == len(TEXTS)
    target = sorted(folder.iterdir())[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n三是新增的一段做法。\n", encoding="utf-8")
    os.utime(target, ns=(OLD, OLD))  # the same time, another size
    store = CorpusCache(cache_file)
    third = survey_sources([folder], cache=store)
    assert names(store.stats.parsed) == {target.name}
    assert third.sources[0].passages != first.sources[0].passages
    assert third.sources[1:] == first.sources[1:]


def test_files_modified_just_now_are_never_surveyed_from_a_kept_survey(tmp_path):
    from writer.sources.ingest import survey_sources

    folder = make_folder(tmp_path, old_mtime=False)  # written now: their stat may still change unseen
    cache_file = tmp_path / "c.sqlite"
    survey_sources([folder], cache=CorpusCache(cache_file))
    store = CorpusCache(cache_file)
    assert store.open()
    assert store.listing_key(sorted(folder.iterdir())) is None
    store.close()


def test_parses_are_stored_in_batches_as_they_come_and_a_second_run_reuses_them(tmp_path, monkeypatch):
    import writer.sources.cache as cache_module
    from writer.sources.ingest import survey_sources

    monkeypatch.setattr(cache_module, "STORE_BATCH", 2)  # five files: two batches, then the rest
    folder = make_folder(tmp_path)
    cache_file = tmp_path / "c.sqlite"
    first = survey_sources([folder], cache=CorpusCache(cache_file), workers=1)
    assert len(first.sources) == len(TEXTS)
    second, store = run(folder, cache_file)
    assert store.stats.parsed == [] and len(store.stats.reused) == len(TEXTS)
    assert second == ingest([folder])


def test_a_cache_failing_between_batches_loses_no_file(tmp_path, monkeypatch):
    import writer.sources.cache as cache_module
    from writer.sources.ingest import survey_sources

    monkeypatch.setattr(cache_module, "STORE_BATCH", 2)
    calls = []

    def failing(self, *_a):
        calls.append(1)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(CorpusCache, "_save_parses", failing)
    folder = make_folder(tmp_path)
    store = CorpusCache(tmp_path / "c.sqlite")
    survey = survey_sources([folder], cache=store, workers=1)
    assert calls and len(survey.sources) == len(TEXTS)  # every file read all the same
    assert any(n.code == "cache" for n in survey.notices)


def test_large_stored_rows_are_written_in_pieces_and_read_back_whole(tmp_path, monkeypatch):
    import writer.sources.cache as cache_module

    monkeypatch.setattr(cache_module, "BLOB_PIECE", 1000)  # pieces of 1,000 bytes: many of them
    cache = CorpusCache(tmp_path / "cache.sqlite")
    (tmp_path / "a.txt").write_text("某某检察院\n\n我院坚持党建引领。\n", encoding="utf-8")
    ingest([tmp_path / "a.txt"], cache=cache)  # creates the file
    big = os.urandom(10_500)
    cache.save_blob("passages:big", big)
    assert cache.load_blob("passages:big") == big
    smaller = os.urandom(2_345)  # replaced by a shorter row: nothing of the old one is left
    cache.save_blob("passages:big", smaller)
    assert cache.load_blob("passages:big") == smaller
    cache.save_blob("passages:small", b"abc")
    assert cache.load_blob("passages:small") == b"abc"
