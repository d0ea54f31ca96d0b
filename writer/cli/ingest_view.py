"""Readable terminal output of ``writer ingest``.

A table of totals by kind of file, then only the files with warnings (every file
with ``--all``) and their warnings; rich tables on a terminal, plain tab-separated
lines otherwise, so that ten thousand files print in a blink.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import PurePath

from writer.model.corpus import Corpus, Survey

NOTICE_LINES = 20  # file warnings printed in full without --all


def print_ingest_summary(corpus: Survey, console, *, show_all: bool = False) -> None:
    plain = not console.is_terminal
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    listed = []
    for s in corpus.sources:
        articles, passages = s.articles, s.passages
        kind = PurePath(s.path).suffix.lower().lstrip(".") or "（无后缀）"
        for row in (totals[f"{kind}（{s.encoding}）" if s.encoding else kind], totals["合计"]):
            row[0] += 1
            row[1] += articles
            row[2] += passages
            row[3] += len(s.notices)
        if show_all or s.notices:
            listed.append((s.path, s.encoding or "", str(articles), str(passages), str(len(s.notices))))
    order = sorted(k for k in totals if k != "合计") + ["合计"]
    _table(
        console, plain, "素材概览", ("类型", "文件", "文章", "段落", "警告"), [(k, *map(str, totals[k])) for k in order]
    )
    title = "全部文件" if show_all else f"有警告的文件：{len(listed)} 个（加 --all 列出全部文件）"
    if listed:
        _table(console, plain, title, ("文件", "编码", "文章", "段落", "警告"), listed)
    say = _say(console, plain)
    file_notices = [n for s in corpus.sources for n in s.notices]
    shown = file_notices if show_all else file_notices[:NOTICE_LINES]
    notices = list(corpus.notices) + shown  # skipped files and cache problems: always in full
    if notices:
        say(f"警告 {len(corpus.notices) + len(file_notices)} 条：")
        for n in notices:
            say(f"  · {n.label()}" + (f"　“{n.excerpt}”" if n.excerpt else ""))
        if len(shown) < len(file_notices):
            say(f"  …… 另有 {len(file_notices) - len(shown)} 条，加 --all 列出全部。")
    t = totals["合计"]
    skipped = sum(1 for n in corpus.notices if n.code == "skipped-file")
    unread = f"另有 {skipped} 个文件未读取（原因见上）。" if skipped else ""
    say(f"共 {t[0]} 个文件，{t[1]} 篇文章，{t[2]} 个段落。" + unread)


def _say(console, plain: bool):
    if plain:
        return lambda line: console.file.write(line + "\n")
    return lambda line: console.print(line, markup=False, soft_wrap=True)


def _table(console, plain: bool, title: str, columns: tuple[str, ...], rows: Sequence[Sequence[str]]) -> None:
    if plain:
        console.file.write("\n".join([title, "\t".join(columns)] + ["\t".join(r) for r in rows]) + "\n")
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title), show_lines=False)
    for col in columns:
        table.add_column(col)
    for r in rows:
        table.add_row(*(Text(c) for c in r))
    console.print(table)


def passage_id_lines(corpus: Corpus, width: int = 30) -> list[str]:
    """One line per passage: id, place, opening words (for include/ban in an outline)."""
    lines = ["# 段落编号\t位置\t开头（大纲 include/ban 可写编号，或写“text:段落中的几个字”，后者改稿后仍有效）"]
    for _s, _a, p in corpus.iter_passages():
        head = p.text if len(p.text) <= width else p.text[:width] + "…"
        lines.append(f"{p.id}\t{p.location.label()}\t{head}")
    return lines
