"""The ingestion pipeline: paths → files → RawDocument → Source → Corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from writer.errors import InputError, UsageError
from writer.model import Corpus, Notice, Source

Progress = Callable[[int, int, str], None]  # (done, total, path)


def ingest(paths: Iterable[Path], *, progress: Progress | None = None) -> Corpus:
    """Read, clean and structure every supported file under ``paths``.

    Raises UsageError for a missing path or a folder with no supported file, and
    InputError when no file yields readable text.  Unreadable files are skipped
    with a Notice.
    """
    from writer.reading import discover, read_document
    from writer.structure import parse_document

    paths = list(paths)
    files = discover(paths)
    if not files:
        shown = "、".join(str(p) for p in paths)
        raise UsageError(f"{shown} 中没有可读取的素材（支持 .txt .md .docx .html .htm）。请把素材文件放进去再运行。")
    sources: list[Source] = []
    notices: list[Notice] = []
    for i, f in enumerate(files, 1):
        try:
            raw = read_document(f)
        except InputError as exc:
            notices.append(Notice("skipped-file", f"已跳过：{exc}", str(f)))
        else:
            sources.append(parse_document(raw))
        if progress:
            progress(i, len(files), str(f))
    if not sources:
        raise InputError(f"没有一个文件含可读文本（共 {len(files)} 个）：{notices[0].message if notices else ''}")
    return Corpus(tuple(sources), tuple(notices))
