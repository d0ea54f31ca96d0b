"""Readable terminal output of ``writer ingest``."""

from __future__ import annotations

from writer.model.corpus import Corpus


def print_ingest_summary(corpus: Corpus, console) -> None:
    from rich.table import Table

    table = Table(title="素材概览", show_lines=False)
    for col in ("文件", "编码", "文章", "段落", "警告"):
        table.add_column(col)
    for s in corpus.sources:
        table.add_row(
            s.path, s.encoding, str(len(s.articles)), str(sum(len(a.passages) for a in s.articles)), str(len(s.notices))
        )
    console.print(table)
    notices = corpus.all_notices()
    if notices:
        console.print(f"警告 {len(notices)} 条：")
        for n in notices:
            console.print(f"  · {n.label()}" + (f"　“{n.excerpt}”" if n.excerpt else ""))
    total = sum(len(a.passages) for s in corpus.sources for a in s.articles)
    skipped = sum(1 for n in corpus.notices if n.code == "skipped-file")
    unread = f"另有 {skipped} 个文件未读取（原因见上）。" if skipped else ""
    console.print(
        f"共 {len(corpus.sources)} 个文件，{sum(len(s.articles) for s in corpus.sources)} 篇文章，{total} 个段落。"
        + unread,
        soft_wrap=True,
    )


def passage_id_lines(corpus: Corpus, width: int = 30) -> list[str]:
    """One line per passage: id, place, opening words (for include/ban in an outline)."""
    lines = ["# 段落编号\t位置\t开头（大纲 include/ban 可写编号，或写“text:段落中的几个字”，后者改稿后仍有效）"]
    for _s, _a, p in corpus.iter_passages():
        head = p.text if len(p.text) <= width else p.text[:width] + "…"
        lines.append(f"{p.id}\t{p.location.label()}\t{head}")
    return lines
