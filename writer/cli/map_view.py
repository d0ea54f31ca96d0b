"""Terminal and JSON output of ``writer map`` and ``writer draft``."""

from __future__ import annotations

from pathlib import Path

from writer.model.corpus import Corpus


def map_json(corpus: Corpus, mapping, outline_path: Path) -> dict:
    """The contract other tools rely on (see README)."""
    outline = mapping.outline
    leaves = [s for top in outline.sections for s in (top.sections or (top,))]
    passages = []
    for s, a, p in corpus.iter_passages():
        asg = mapping.assignment(p.id)
        passages.append(
            {
                "id": p.id,
                "source": s.path,
                "article": a.title,
                "unit": a.unit,
                "heading": list(p.heading),
                "kind": p.kind,
                "text": p.text,
                "section": asg.section,
                "score": float(asg.score),
                "scores": {k: float(v) for k, v in asg.scores.items()},
                "terms": list(asg.terms.get(asg.section or _best(asg), [])),
                "reason": asg.reason,
                "runner_up": asg.runner_up,
                "heading_section": asg.heading_section,
            }
        )
    return {
        "outline": {"title": outline.title, "file": str(outline_path)},
        "sections": [{"id": s.id, "title": s.title} for s in leaves],
        "passages": passages,
        "warnings": list(mapping.warnings),
        "unread": [
            {"code": n.code, "path": n.path, "line": n.line, "message": n.message}
            for n in corpus.all_notices()
            if n.code in ("skipped-file", "reading")
        ],
    }


def _best(asg) -> str:
    return max(asg.scores, key=lambda k: asg.scores[k]) if asg.scores else ""


def _first_words(p, n: int = 24) -> str:
    t = p.lead or p.text
    return t if len(t) <= n else t[:n] + "…"


def print_map(corpus: Corpus, mapping, console) -> None:
    from rich.table import Table

    index = {p.id: (s, a, p) for s, a, p in corpus.iter_passages()}
    leaves = [s for top in mapping.outline.sections for s in (top.sections or (top,))]
    title_of = {s.id: s.title for s in leaves}
    for spec in leaves:
        rows = mapping.in_section(spec.id)
        table = Table(title=f"{spec.title}（{spec.id}）：{len(rows)} 段", title_justify="left")
        for col in ("段落", "单位", "要点或开头", "得分", "命中词"):
            table.add_column(col, overflow="fold")
        for asg in rows:
            s, a, p = index[asg.passage_id]
            score = f"{asg.score:.1f}"
            if asg.runner_up:  # split between two sections: both scores, both explanations
                other = asg.runner_up
                score += f"（两可：{title_of.get(other, other)} {asg.scores.get(other, 0.0):.1f}）"
            terms = "、".join(asg.terms.get(spec.id, [])[:4])
            if asg.runner_up:
                terms += "｜" + "、".join(asg.terms.get(asg.runner_up, [])[:3])
            table.add_row(p.id, a.unit or "", _first_words(p), score, terms)
        console.print(table)
    un = mapping.unassigned()
    table = Table(title=f"未归入任何部分：{len(un)} 段", title_justify="left")
    for col in ("段落", "单位", "开头", "原因", "最高分"):
        table.add_column(col, overflow="fold")
    for asg in un:
        s, a, p = index[asg.passage_id]
        table.add_row(p.id, a.unit or "", _first_words(p), asg.reason, f"{asg.score:.1f}")
    console.print(table)
    for w in mapping.warnings:
        console.print(f"提醒：{w}", soft_wrap=True)
    console.print(
        f"阈值 {mapping.threshold}；固定归入请在大纲该部分的 include 中写段落编号（即上表第一列，"
        "也可用 writer ingest --ids 列出）或“text:段落中的几个字”，排除写 ban 或 exclude_passages。"
    )


def print_draft_summary(result, console) -> None:
    """Items per section, the body against its target, the voice, template text and
    every warning, then the files written."""
    report = result.report
    for tally in report.tallies:
        console.print(f"  {tally.label}：{tally.items} 条（目标 {tally.target} 条）", soft_wrap=True)
    console.print(f"正文 {result.body_chars:,} 字，目标 {report.target_chars:,} 字。", soft_wrap=True)
    if report.perspective != "第三人称" and report.unit:
        console.print(
            f"叙述人称：{report.perspective}（{report.unit}），改写称谓 {report.voice_replacements} 处。",
            soft_wrap=True,
        )
    elif report.voice_replacements:
        console.print(f"其他单位的“我院/本院”改为单位名称 {report.voice_replacements} 处。", soft_wrap=True)
    if report.template_parts:
        console.print(f"模板文字：{'、'.join(report.template_parts)}（成稿中已标注，请核改）。", soft_wrap=True)
    for warning in result.warnings:
        console.print(f"提醒：{warning}", soft_wrap=True)
    for notice in result.notices:
        console.print(f"提醒：{notice.label()}", soft_wrap=True)
    for note in result.notes:
        console.print(f"注意：{note}", soft_wrap=True)
    for w in result.mapping.warnings:
        console.print(f"提醒：{w}", soft_wrap=True)
    for p in result.written:
        console.print(f"已写出：{p}", soft_wrap=True)
