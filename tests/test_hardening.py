"""Hardening (issue 13): hostile templates, all-or-nothing outputs, reproducible
.docx, damaged caches, interrupts, hostile YAML, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report_fixture import build_report
from writer.cli.app import app
from writer.errors import ConfigError, WriterError
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


# ---------------------------------------------------------------- output sets


def _set(tmp_path: Path, text: str) -> list[tuple[Path, bytes | str]]:
    return [
        (tmp_path / "稿.docx", b"PK" + text.encode()),
        (tmp_path / "稿.docx.sources.json", text),
        (tmp_path / "稿.md", text),
        (tmp_path / "稿.md.sources.json", text),
    ]


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_set_that_fails_half_way_leaves_the_previous_files_and_no_temporaries(tmp_path, monkeypatch, failure):
    import os

    from writer.render.output import write_set

    write_set(_set(tmp_path, "旧"), overwrite=True)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real_replace, calls = os.replace, []

    def flaky_replace(src, dst):
        calls.append(dst)
        if len(calls) == 3:  # the third file of the set: two are already in place
            raise failure
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky_replace)
    with pytest.raises((WriterError, KeyboardInterrupt)) as info:
        write_set(_set(tmp_path, "新"), overwrite=True)
    monkeypatch.setattr(os, "replace", real_replace)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    if isinstance(failure, OSError):
        assert "磁盘空间不足" in str(info.value)


def test_a_new_set_that_fails_half_way_leaves_nothing(tmp_path, monkeypatch):
    import os

    from writer.render.output import write_set

    real_link, calls = os.link, []

    def flaky_link(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_link(src, dst)

    monkeypatch.setattr(os, "link", flaky_link)
    with pytest.raises(KeyboardInterrupt):
        write_set(_set(tmp_path, "新"))
    assert list(tmp_path.iterdir()) == []


def test_stale_temporaries_of_a_killed_run_are_removed_by_the_next_run(runner, tmp_path):
    stale = [
        tmp_path / ".标题.md.abc123.tmp",
        tmp_path / ".标题.md.sources.json.x.tmp",
        tmp_path / ".标题-2.docx.writer-9.tmp",  # a killed run that was writing the free name
    ]
    for p in stale:
        p.write_bytes(b"half")
    unrelated = tmp_path / ".别的文件.tmp"
    unrelated.write_bytes(b"keep")
    outline = tmp_path / "outline.yaml"
    outline.write_text("preset: 三个引领\ntitle: 标题\n", encoding="utf-8")
    result = runner.invoke(
        app, ["draft", str(SEED), "--outline", str(outline), "--out", str(tmp_path), "--format", "md", "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    assert not any(p.exists() for p in stale) and unrelated.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp") and p != unrelated]
    assert (tmp_path / "标题.md").exists() and (tmp_path / "标题.md.sources.json").exists()


def test_force_with_a_folder_where_the_md_goes_fails_before_writing_anything(runner, tmp_path):
    outline = tmp_path / "outline.yaml"
    outline.write_text("preset: 三个引领\ntitle: 标题\n", encoding="utf-8")
    out = tmp_path / "out"
    (out / "标题.md").mkdir(parents=True)
    args = ["draft", str(SEED), "--outline", str(outline), "--out", str(out), "--force", "--no-cache"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "标题.md" in result.output and "文件夹" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["标题.md"]


# ---------------------------------------------------------------- reproducible .docx


def _draft_docx(runner, tmp_path: Path, name: str) -> bytes:
    out = tmp_path / name
    args = ["draft", str(SEED), "--out", str(out), "--format", "docx", "--no-cache"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return next(out.glob("*.docx")).read_bytes()


def test_the_same_inputs_give_the_same_docx_bytes_dated_by_the_sources(runner, tmp_path, monkeypatch):
    import datetime as dt
    import io
    import zipfile

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = _draft_docx(runner, tmp_path, "a")
    second = _draft_docx(runner, tmp_path, "b")
    assert first == second
    # not the wall clock: the seed's modification time, in the comments and the zip entries
    when = dt.datetime.fromtimestamp(int(SEED.stat().st_mtime), dt.UTC)
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert f'w:date="{when:%Y-%m-%dT%H:%M:%S}Z"' in z.read("word/comments.xml").decode()
        stamp = when.timetuple()[:5] + (when.second // 2 * 2,)  # zip times count in two seconds
        assert {i.date_time for i in z.infolist()} == {stamp}


def test_source_date_epoch_sets_the_docx_dates(runner, tmp_path, monkeypatch):
    import io
    import zipfile

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    data = _draft_docx(runner, tmp_path, "a")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert 'w:date="2023-11-14T22:13:20Z"' in z.read("word/comments.xml").decode()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "昨天")
    result = runner.invoke(app, ["draft", str(SEED), "--out", str(tmp_path / "b"), "--no-cache"])
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH" in result.output


# ---------------------------------------------------------------- cache


def _folder(tmp_path: Path) -> Path:
    from tests.test_cache import make_folder

    return make_folder(tmp_path)


def _damage_data_pages(cache_file: Path) -> None:
    data = bytearray(cache_file.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    assert len(data) > page  # the header page stays intact, the pages after it are garbage
    data[page:] = b"\xa5\x5a" * ((len(data) - page) // 2) + b"\x00" * ((len(data) - page) % 2)
    cache_file.write_bytes(bytes(data))


def test_garbage_in_the_data_pages_sets_the_cache_aside_and_the_run_goes_on(tmp_path):
    from writer.sources.ingest import ingest

    folder, cache_file = _folder(tmp_path), tmp_path / "c.sqlite"
    expected = ingest([folder]).sources
    ingest([folder], cache=cache_file)
    for n in (1, 2):  # a second damaged cache does not overwrite the first .bad
        _damage_data_pages(cache_file)
        corpus = ingest([folder], cache=cache_file)
        assert corpus.sources == expected
        warnings = [x for x in corpus.notices if x.code == "cache"]
        assert len(warnings) == 1, warnings
        bad = tmp_path / ("c.sqlite.bad" if n == 1 else "c.sqlite-2.bad")
        assert bad.exists() and bad.name in warnings[0].message
        again = ingest([folder], cache=cache_file)  # rebuilt on the next run
        assert again.sources == expected and not [x for x in again.notices if x.code == "cache"]
    assert (tmp_path / "c.sqlite.bad").exists()


def test_a_cache_whose_folder_vanishes_mid_run_does_not_stop_the_run(tmp_path):
    import shutil

    from writer.sources.ingest import ingest

    folder = _folder(tmp_path)
    cache_file = tmp_path / "缓存" / "c.sqlite"
    expected = ingest([folder]).sources
    ingest([folder], cache=cache_file)
    (folder / "新.txt").write_text("一、新的做法\n\n我院开展了新的工作，取得了成效。\n", encoding="utf-8")

    def vanish(done, total, path):
        shutil.rmtree(cache_file.parent, ignore_errors=True)

    corpus = ingest([folder], cache=cache_file, progress=vanish)
    assert len(corpus.sources) == len(expected) + 1
    assert [x.code for x in corpus.notices].count("cache") == 1


def test_the_same_bytes_as_txt_then_html_are_two_parses(tmp_path):
    from writer.sources.ingest import ingest

    html = "<html><body><h1>标题</h1><p>我院坚持党建引领，推动检察工作高质量发展，取得明显成效。</p></body></html>\n"
    cache_file = tmp_path / "c.sqlite"
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "页.txt").write_text(html, encoding="utf-8")
    (b / "页.html").write_text(html, encoding="utf-8")
    as_txt = ingest([a], cache=cache_file)
    as_html = ingest([b], cache=cache_file)
    assert as_txt.sources[0].format == "txt" and as_html.sources[0].format == "html"
    text = " ".join(p.text for art in as_html.sources[0].articles for p in art.passages)
    assert "<p>" not in text and "党建引领" in text


def test_concurrent_first_runs_create_the_schema_once_without_notices(tmp_path):
    import threading

    from writer.sources.cache import CorpusCache

    for attempt in range(30):
        path = tmp_path / f"c{attempt}.sqlite"
        barrier = threading.Barrier(6)
        results: list[list[str]] = []

        def first_run(path=path, barrier=barrier, results=results) -> None:
            store = CorpusCache(path)  # one connection per thread, as one per process
            barrier.wait()
            ok = store.open()
            store.close()
            results.append([n.message for n in store.notices] if ok else ["not opened"])

        threads = [threading.Thread(target=first_run) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [[]] * 6, results


# ---------------------------------------------------------------- interrupts


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _as_from_a_terminal() -> None:
    """Ctrl-C handled as a shell starts a foreground command: whatever this test
    process inherited or set, the child starts with SIGINT at its default, unblocked."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@pytest.mark.skipif(
    not Path("/proc/self/stat").exists() or (__import__("os").cpu_count() or 1) < 2, reason="Linux, ≥2 cores"
)
def test_ctrl_c_during_the_parallel_read_ends_at_once_with_130_and_no_traceback(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    text = (ROOT / "seeds" / "002_f0bc83a8c82b80d7.txt").read_text(encoding="utf-8")
    folder = tmp_path / "素材"
    folder.mkdir()
    for i in range(600):  # well above PARALLEL_MIN_FILES: parsed by a pool of workers, for seconds
        (folder / f"{i:03d}.txt").write_text(f"{text}\n第{i}号\n", encoding="utf-8")
    for _ in range(3):  # a bounded number of runs
        proc = subprocess.Popen(
            [sys.executable, "-m", "writer", "ingest", str(folder), "--no-cache"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, as a terminal's foreground job
            preexec_fn=_as_from_a_terminal,
        )
        try:
            deadline = time.monotonic() + 60
            while len(_children(proc.pid)) < 2 and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.05)
            assert proc.poll() is None, "the run ended before the workers started"
            time.sleep(0.1)
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches every process of the group
            _, err = proc.communicate(timeout=15)  # a hang fails here
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        message = err.decode("utf-8", "replace")
        assert proc.returncode == 130, message
        assert "已中断" in message and "Traceback" not in message
        with pytest.raises(ProcessLookupError):  # no worker left behind
            os.killpg(proc.pid, 0)


# ---------------------------------------------------------------- configuration

BOMB = 'a: &a ["哈","哈","哈","哈","哈","哈","哈","哈","哈"]\n' + "".join(
    f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi")
)


def test_a_section_with_no_keywords_and_no_pins_is_an_outline_error(runner, tmp_path):
    outline = tmp_path / "o.yaml"
    outline.write_text(
        "title: t\nsections:\n  - {id: a, title: 甲, keywords: [党建]}\n  - id: b\n    title: 乙\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["outline", "check", str(outline)])
    assert result.exit_code == 2
    assert "第4行 sections[2]" in result.output and "keywords" in result.output


@pytest.mark.parametrize("where", ["outline", "layout", "style"])
def test_an_alias_bomb_in_any_yaml_file_is_refused_with_its_line(runner, tmp_path, where):
    templates = tmp_path / "模板"
    templates.mkdir()
    outline_text = "preset: 三个引领\ntitle: 标题\ntemplates: 模板\nstyle: 样式.yaml\n"
    (tmp_path / "样式.yaml").write_text("body: {font: 仿宋_GB2312}\n", encoding="utf-8")
    if where == "outline":
        outline_text += BOMB
    elif where == "layout":
        (templates / "layout.yaml").write_text(BOMB, encoding="utf-8")
    else:
        (tmp_path / "样式.yaml").write_text(BOMB, encoding="utf-8")
    (tmp_path / "outline.yaml").write_text(outline_text, encoding="utf-8")
    out = tmp_path / "out"
    args = ["draft", str(SEED), "--outline", str(tmp_path / "outline.yaml"), "--out", str(out), "--no-cache"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "锚点" in result.output and "行" in result.output and "内部错误" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    "value, expected",
    [
        ("date: 2024-02-30", "2024-02-30"),
        ('unit: !!int "三千"', "三千"),
        ("unit: !!python/name:os.system", "!!python/name:os.system"),
        ("unit: !custom x", "!custom"),
        ('unit: "a\x00b"', "U+0000"),
        ('unit: "a\x07b"', "U+0007"),
    ],
)
def test_bad_yaml_scalars_are_line_numbered_chinese_errors(runner, tmp_path, value, expected):
    outline = tmp_path / "o.yaml"
    outline.write_text(f"title: t\n{value}\nsections: [{{id: a, title: 甲, keywords: [党建]}}]\n", encoding="utf-8")
    result = runner.invoke(app, ["outline", "check", str(outline)])
    assert result.exit_code == 2, result.output
    assert "第2行" in result.output and expected in result.output and "内部错误" not in result.output


def test_init_under_a_file_or_in_an_unwritable_place_is_a_usage_error(runner, tmp_path):
    (tmp_path / "一个文件").write_text("x", encoding="utf-8")
    for target in (tmp_path / "一个文件" / "材料", Path("/proc/writer-不可写")):
        result = runner.invoke(app, ["init", str(target)])
        assert result.exit_code == 2, result.output
        assert str(target) in result.output and "内部错误" not in result.output and "Errno" not in result.output


# ---------------------------------------------------------------- exit codes


def test_exit_code_table_in_the_readme_matches_the_cli():
    import re

    from writer.cli import app as cli
    from writer.errors import ConfigError as Config
    from writer.errors import InputError, UsageError

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = {int(code) for code in re.findall(r"^\| (\d+) \|", readme, flags=re.M)}
    assert table == {cli.EXIT_OK, cli.EXIT_FAILURE, cli.EXIT_USAGE, cli.EXIT_INTERNAL, cli.EXIT_INTERRUPTED}
    assert UsageError.exit_code == Config.exit_code == cli.EXIT_USAGE and InputError.exit_code == cli.EXIT_FAILURE


def test_an_unexpected_error_exits_3_and_writes_the_traceback_to_a_named_log(runner, monkeypatch, tmp_path):
    import re

    import writer.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("意外")

    monkeypatch.setattr(writer.pipeline, "make_draft", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    result = runner.invoke(app, ["draft", str(SEED)])
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    log = Path(re.search(r"写入 (\S+\.log)", result.output).group(1))
    assert log.parent == tmp_path and "RuntimeError: 意外" in log.read_text(encoding="utf-8")


def test_an_os_error_no_stage_caught_is_one_chinese_line_and_exit_1(runner, monkeypatch):
    import errno

    import writer.pipeline

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "/某处/初稿.docx")

    monkeypatch.setattr(writer.pipeline, "make_draft", full)
    result = runner.invoke(app, ["draft", str(SEED)])
    assert result.exit_code == 1
    assert "磁盘空间不足" in result.output and "/某处/初稿.docx" in result.output
    assert "No space" not in result.output


def test_out_under_a_file_is_a_usage_error(runner, tmp_path):
    (tmp_path / "文件").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["draft", str(SEED), "--out", str(tmp_path / "文件" / "输出"), "--no-cache"])
    assert result.exit_code == 2, result.output
    assert "内部错误" not in result.output


# ---------------------------------------------------------------- ingestion


def test_a_symlink_loop_is_a_notice_naming_it_and_the_good_files_are_read(runner, tmp_path):
    import os
    import shutil

    folder = tmp_path / "素材"
    folder.mkdir()
    shutil.copyfile(SEED, folder / "好.txt")
    os.symlink(folder / "乙.txt", folder / "甲.txt")
    os.symlink(folder / "甲.txt", folder / "乙.txt")
    from writer.sources.ingest import ingest

    corpus = ingest([folder])
    assert [Path(s.path).name for s in corpus.sources] == ["好.txt"]
    skipped = [n for n in corpus.notices if n.code == "skipped-file"]
    assert {Path(n.path).name for n in skipped} == {"甲.txt", "乙.txt"}
    assert all("符号链接循环" in n.message for n in skipped)
    result = runner.invoke(app, ["ingest", str(folder), "--no-cache"])
    assert result.exit_code == 0, result.output


def test_an_empty_tagged_number_is_a_line_numbered_error(runner, tmp_path):
    # found by tests/test_fuzz.py: PyYAML fails with IndexError on "!!int" with no value
    outline = tmp_path / "o.yaml"
    outline.write_text("title: t\nlength: !!int\nsections: [{id: a, title: 甲, keywords: [党建]}]\n", encoding="utf-8")
    result = runner.invoke(app, ["outline", "check", str(outline)])
    assert result.exit_code == 2 and "第2行" in result.output and "内部错误" not in result.output


def test_a_huge_single_line_is_parsed_in_memory_proportional_to_it():
    import tracemalloc

    from writer.sources.reading import RawDocument
    from writer.sources.structure import parse_document

    unit = "我院坚持党建引领，推动检察工作高质量发展，"
    text = unit * 20_000 + "\n"  # one line of 420,000 characters
    raw = RawDocument("一行.txt", "txt", "utf-8", text, (), "0" * 64)
    tracemalloc.start()
    try:
        parse_document(raw)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # allocations counted by tracemalloc, not a timing: a per-character list of
    # one-character strings (~80 bytes a character) would need 40 times the text
    assert peak < 20 * 2 * len(text), peak
