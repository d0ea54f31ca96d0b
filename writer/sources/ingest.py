"""The ingestion pipeline: paths → files → RawDocument → Source → Corpus.

With a cache (``writer.sources.cache``) only new or changed files are read and parsed;
the rest come back from the cache.  Files that need parsing are parsed in worker
processes when there are many of them (process start-up costs more than it saves
on a small folder); results keep the order of ``discover`` either way, so the
corpus does not depend on how it was built.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Union

from writer.errors import InputError, UsageError
from writer.model.corpus import Corpus, Notice, Source, SourceSummary, Survey

if TYPE_CHECKING:
    from writer.sources.cache import CorpusCache

Progress = Callable[[int, int, str], None]  # (done, total, path)
CacheArg = Union["CorpusCache", Path, str, None]

# Below this many files to parse, parse in this process: starting workers and
# sending results back costs more than it saves.
PARALLEL_MIN_FILES = 50

_READ_NOTICE = "reading"  # Notice code for what reading changed or lost (revisions, undecodable lines)

# One parse outcome: ("ok", Source, encoded source or None) or ("skip", message, None).
Outcome = tuple[str, object, Union[bytes, None]]


def ingest(
    paths: Iterable[Path],
    *,
    progress: Progress | None = None,
    cache: CacheArg = None,
    workers: int | None = None,
) -> Corpus:
    """Read, clean and structure every supported file under ``paths``.

    ``cache``: a ``writer.sources.cache.CorpusCache`` or the path of a cache file; None
    (the default) reads everything afresh.  ``workers``: how many processes may
    parse (default: one per usable core; 1 parses in this process).  ``progress`` is
    called as (files done, total, path) after each file.

    Raises UsageError for a missing path or a folder with no supported file, and
    InputError when no file yields readable text.  Every file not read is named
    once in a "skipped-file" Notice with its reason (unsupported type, no text,
    unreadable, a missing converter); cache problems are Notices too (the cache
    is then rebuilt or not used, never trusted).
    """
    with gc_paused():
        corpus = _ingest(list(paths), progress, cache, workers, light=False)
    assert isinstance(corpus, Corpus)
    return corpus


def survey_sources(
    paths: Iterable[Path],
    *,
    progress: Progress | None = None,
    cache: CacheArg = None,
    workers: int | None = None,
) -> Survey:
    """What ``ingest`` would read, file by file: counts and warnings (``writer ingest``'s
    table).  Files the cache holds are not decoded, only their summaries read, so a warm
    run over 10,000 files takes about a second; new or changed files are parsed (and
    cached) as ``ingest`` does.  Same errors as ``ingest``."""
    with gc_paused():
        survey = _ingest(list(paths), progress, cache, workers, light=True)
    assert isinstance(survey, Survey)
    return survey


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block.

    Loading a corpus (and scoring it) builds millions of small acyclic objects —
    frozen dataclasses, tuples, strings — so every full collection triggered while
    the heap grows traverses all of them and frees nothing (13 full passes, ~3.4 s
    at 10,000 articles).  Reference counting still frees everything as usual.  When
    the block ends the objects it made are moved to the collector's permanent
    generation (``gc.freeze``), so that the first collection after it does not walk
    them all either (0.7 s at 10,000 articles); the collector then resumes, if it was on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


@contextmanager
def _gc_resumed() -> Iterator[None]:
    """The collector on for the block (inside ``gc_paused``), as it was after."""
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was_enabled:
            gc.disable()


def _ingest(
    paths: list[Path], progress: Progress | None, cache: CacheArg, workers: int | None, light: bool
) -> Corpus | Survey:
    files, unsupported = _discover(paths)
    store = as_cache(cache)
    if store is not None and not store.open():
        cache_notices, store = list(store.notices), None
    else:
        cache_notices = []
    # a survey of files none of which changed since the last one: its summaries, kept whole
    listing = store.listing_key(files) if light and store is not None else None
    kept: list[SourceSummary] | None = None
    notices: list[Notice] = []
    try:
        if listing and store is not None:
            kept = store.kept_survey(listing)
        if kept is not None and store is not None:
            sources: list = _reused_whole(kept, files, store, progress)
        else:
            sources, notices = _ingest_files(files, paths, store, progress, workers, light)
    finally:
        if store is not None:
            store.close()
            cache_notices = list(store.notices)
    if listing and store is not None and kept is None and not (notices or cache_notices) and len(sources) == len(files):
        store.keep_survey(listing, [s if isinstance(s, SourceSummary) else SourceSummary.of(s) for s in sources])
    notices += _unsupported_notices(unsupported)
    if not sources:
        reasons = "；".join(n.message.removeprefix("已跳过：") for n in notices[:5])
        more = f"等 {len(notices)} 个" if len(notices) > 5 else ""
        raise InputError(f"没有一个文件含可读文本（共 {len(files)} 个）：{reasons}{more}")
    if light:
        summaries = tuple(s if isinstance(s, SourceSummary) else SourceSummary.of(s) for s in sources)
        return Survey(summaries, tuple(notices + cache_notices))
    return Corpus(tuple(sources), tuple(notices + cache_notices))


def _reused_whole(kept: list[SourceSummary], files: list[Path], store: CorpusCache, progress: Progress | None) -> list:
    """A kept survey's summaries, each file reported as reused."""
    store.stats.reused = [str(f) for f in files]
    tally = _Tally(progress, len(files))
    for f in files:
        tally.step(str(f))
    return list(kept)


def _discover(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(supported files, files of other types) under ``paths``; UsageError when
    there is no supported file, naming the files that were found instead."""
    from writer.sources.reading import SUPPORTED, survey

    files, unsupported = survey(paths)
    if not files:
        shown = "、".join(str(p) for p in paths)
        supported = " ".join(SUPPORTED)
        if unsupported:
            names = "、".join(p.name for p in unsupported[:5]) + (
                f" 等 {len(unsupported)} 个" if len(unsupported) > 5 else ""
            )
            raise UsageError(
                f"{shown} 中没有可读取的素材：{names} 都不是支持的类型（支持 {supported}）。请另存为其中一种格式再运行。"
            )
        raise UsageError(f"{shown} 中没有可读取的素材（支持 {supported}）。请把素材文件放进去再运行。")
    return files, unsupported


def _unsupported_notices(unsupported: list[Path]) -> list[Notice]:
    from writer.sources.reading import unsupported_message

    return [Notice("skipped-file", f"已跳过：{unsupported_message(p)}", str(p)) for p in unsupported]


def as_cache(cache: CacheArg) -> CorpusCache | None:
    """The corpus cache a caller named: a ``CorpusCache``, or the path of its file, or None."""
    if cache is None:
        return None
    from writer.sources.cache import CorpusCache

    return cache if isinstance(cache, CorpusCache) else CorpusCache(Path(cache))


class _Tally:
    """Counts files done and reports each to ``progress``."""

    def __init__(self, progress: Progress | None, total: int):
        self.progress = progress
        self.total = total
        self.done = 0

    def step(self, shown: str) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total, shown)


def _ingest_files(
    files: list[Path],
    roots: list[Path],
    store: CorpusCache | None,
    progress: Progress | None,
    workers: int | None,
    light: bool = False,
) -> tuple[list, list[Notice]]:
    """Plan (what the cache already has) → parse the rest → store → assemble,
    in the order of ``files`` (reused files as summaries when ``light``)."""
    tally = _Tally(progress, len(files))
    results: list = [None] * len(files)
    if store is None:
        plan = None
        todo = list(range(len(files)))
    else:
        plan = store.plan(files, on_reuse=tally.step, light=light)
        todo = plan.to_parse
        for i, source in plan.reused.items():
            results[i] = source
    parsed = _parse_phase(files, todo, workers, store is not None, results, tally, light)
    if store is not None and plan is not None:
        store.store(plan, parsed, roots)  # as the files are parsed
    for _ in parsed:  # what the store did not take (none, or a cache that failed on the way)
        pass
    return _assemble(results)


def _parse_phase(
    files: list[Path],
    todo: list[int],
    workers: int | None,
    with_blob: bool,
    results: list[Source | SourceSummary | Notice | None],
    tally: _Tally,
    light: bool = False,
) -> Iterator[tuple[int, Source | None, bytes | None]]:
    """Parse the files at ``todo``: each result (a Source — its summary when ``light`` — or
    a Notice for a file skipped) goes into ``results``; yields (index, Source or None, blob)
    per file as it is parsed, so that a survey of 30,000 files never holds all their parses."""
    outcomes = _parse_many([files[i] for i in todo], workers, with_blob=with_blob)
    for i, (status, value, blob) in zip(todo, outcomes):
        shown = str(files[i])
        tally.step(shown)
        if status == "ok":
            assert isinstance(value, Source)
            results[i] = SourceSummary.of(value) if light else value
            yield i, value, blob
        else:
            results[i] = Notice("skipped-file", f"已跳过：{value}", shown)
            yield i, None, None


def _assemble(results: list) -> tuple[list, list[Notice]]:
    """Sources (or summaries) and skipped-file notices, in the order of the files."""
    sources = [r for r in results if isinstance(r, (Source, SourceSummary))]
    notices = [r for r in results if isinstance(r, Notice)]
    return sources, notices


def parse_file(path: str, with_blob: bool = False) -> Outcome:
    """Read and structure one file (runs in a worker process for large folders)."""
    from writer.sources.reading import read_document
    from writer.sources.structure import parse_document

    try:
        raw = read_document(Path(path))
    except InputError as exc:
        return ("skip", str(exc), None)
    source = parse_document(raw)
    if raw.warnings:
        # What reading lost or changed comes first, before the structure stage's notices.
        read_notices = tuple(Notice(_READ_NOTICE, message, raw.path, line) for line, message in raw.warnings)
        source = dataclasses.replace(source, notices=read_notices + source.notices)
    blob = None
    if with_blob:
        from writer.sources.cache import encode_source

        blob = encode_source(source)
    return ("ok", source, blob)


def usable_cores() -> int:
    """The cores this process may run on (``taskset``, a container's CPU set), not the
    machine's: workers beyond them only add start-up and pickling to the same core."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def _parse_many(files: list[Path], workers: int | None, with_blob: bool) -> Iterator[Outcome]:
    """Parse outcomes in the order of ``files``."""
    n = len(files)
    workers = workers if workers is not None else usable_cores()
    workers = min(workers, n)
    names = [str(f) for f in files]
    if workers <= 1 or n < PARALLEL_MIN_FILES:
        # Parsing (.docx above all) does make cyclic garbage: collect it as usual.
        with _gc_resumed():
            for name in names:
                yield parse_file(name, with_blob)
        return
    # Import the parsing modules before the pool starts: forked workers inherit them.
    from concurrent.futures import ProcessPoolExecutor

    import writer.sources.reading  # noqa: F401
    import writer.sources.structure  # noqa: F401

    # Chunks amortise the round trips, small enough to keep all workers busy to the end.
    chunksize = max(1, min(16, n // (workers * 8)))
    # Workers ignore Ctrl-C (the terminal sends it to the whole process group): only this
    # process handles it, by cancelling what is queued and terminating the workers, so an
    # interrupt ends the run at once, without a hang or a traceback from a broken pool.
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)
    finished = False
    try:
        # Ctrl-C is held back while the workers start (they inherit the mask and
        # ignore it before unblocking it); one arriving meanwhile is raised here after.
        masked = _block_interrupts()
        try:
            results = pool.map(parse_file, names, [with_blob] * n, chunksize=chunksize)  # submits every chunk
        finally:
            _restore_interrupts(masked)
        yield from results
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            _stop_pool(pool)


def _ignore_interrupts() -> None:
    """Worker start-up: ignore Ctrl-C, and collect garbage again (forked while paused)."""
    import signal

    gc.enable()

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _block_interrupts():
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def _restore_interrupts(previous) -> None:
    import signal

    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _stop_pool(pool) -> None:
    """Cancel queued work and end the workers now (an interrupt or an error)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        try:
            process.terminate()
        except (OSError, AttributeError, ValueError):
            pass
    for process in processes:
        try:
            process.join(timeout=1)
            if process.is_alive():
                process.kill()
        except (OSError, AttributeError, ValueError, AssertionError):
            pass
