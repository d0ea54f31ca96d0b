"""Terminal and JSON output of ``writer map`` and ``writer draft``.

``writer map`` on an archive of ten thousand articles maps over a hundred thousand
passages: the terminal view is a per-section summary with each section's top rows
(all rows with ``--all``), as rich tables on a terminal and as plain tab-separated
lines otherwise; the JSON view is written passage by passage, never built whole.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from writer.mapping.prepared import PassageTable
from writer.model.corpus import Corpus

TOP_ROWS = 10  # rows shown per section without --all


def _leaves(outline) -> list:
    return [s for top in outline.sections for s in (top.sections or (top,))]


def passage_rows(corpus: Corpus | PassageTable, mapping) -> Iterator[dict]:
    """One JSON object per passage, in corpus order (the ``passages`` of ``map_json``)."""
    if isinstance(corpus, PassageTable):
        yield from _table_rows(corpus, mapping)
        return
    for s, a, p in corpus.iter_passages():
        yield _row(p.id, s.path, a.title, a.unit, p.heading, p.kind, p.text, mapping.assignment(p.id))


def _table_rows(table: PassageTable, mapping) -> Iterator[dict]:
    """``passage_rows`` from a passages table, each row's fields read from the mapping's
    columns (no assignment kept)."""
    if not hasattr(mapping, "fields"):
        for i, pid in enumerate(table.ids):
            yield _row(pid, *_place(table, i), mapping.assignment(pid))
        return
    row_of = {pid: i for i, pid in enumerate(table.ids)}  # an id's last row, as ``Mapping.assignment``
    rows = [row_of[pid] for pid in table.ids]
    evidence = mapping.evidence_in_order(rows, table.texts)  # row k's, for its section or its best
    article_of, source_of, paths = table.article_of, table.source_of, table.paths
    titles, units = table.article_titles, table.article_units
    for i, (pid, k, heading, kind, text, terms) in enumerate(
        zip(table.ids, rows, table.headings, table.kinds, table.texts, evidence)
    ):
        section, score, scores, reason, runner_up, head = mapping.fields(k)
        a = article_of[i]
        yield {
            "id": pid,
            "source": paths[source_of[a]],
            "article": titles[a],
            "unit": units[a],
            "heading": list(heading),
            "kind": kind,
            "text": text,
            "section": section,
            "score": float(score),
            "scores": scores,
            "terms": terms,
            "reason": reason,
            "runner_up": runner_up,
            "heading_section": head,
        }


def _place(table: PassageTable, i: int) -> tuple[str, str | None, str | None, list[str], str, str]:
    """(source, article, unit, heading, kind, text) of row i."""
    a = table.article_of[i]
    path = table.paths[table.source_of[a]]
    return (
        path,
        table.article_titles[a],
        table.article_units[a],
        list(table.headings[i]),
        table.kinds[i],
        table.texts[i],
    )


def _row(pid, path, title, unit, heading, kind, text, asg) -> dict:
    return {
        "id": pid,
        "source": path,
        "article": title,
        "unit": unit,
        "heading": list(heading),
        "kind": kind,
        "text": text,
        "section": asg.section,
        "score": float(asg.score),
        "scores": {k: float(v) for k, v in asg.scores.items()},
        "terms": list(asg.terms.get(asg.section or _best(asg), [])),
        "reason": asg.reason,
        "runner_up": asg.runner_up,
        "heading_section": asg.heading_section,
    }


def _header(mapping, outline_path: Path) -> dict:
    outline = mapping.outline
    return {
        "outline": {"title": outline.title, "file": str(outline_path)},
        "sections": [{"id": s.id, "title": s.title} for s in _leaves(outline)],
    }


def _footer(corpus: Corpus | PassageTable, mapping) -> dict:
    return {
        "warnings": list(mapping.warnings),
        "unread": [
            {"code": n.code, "path": n.path, "line": n.line, "message": n.message}
            for n in corpus.all_notices()
            if n.code in ("skipped-file", "reading")
        ],
    }


def map_json(corpus: Corpus, mapping, outline_path: Path) -> dict:
    """The contract other tools rely on (see README), as one dict."""
    return {
        **_header(mapping, outline_path),
        "passages": list(passage_rows(corpus, mapping)),
        **_footer(corpus, mapping),
    }


def write_map_json(corpus: Corpus | PassageTable, mapping, outline_path: Path, out: TextIO) -> None:
    """``map_json`` written to ``out`` passage by passage, one passage per line (compact, by
    orjson: 100,000 passages in well under a second), the outline and the unread files
    indented around them; the same document as ``map_json`` when parsed, without holding
    it (or the list of passages) in memory."""
    import orjson

    head = json.dumps(_header(mapping, outline_path), ensure_ascii=False, indent=2)
    out.write(head[:-2] + ',\n  "passages": [')  # reopen the header object after its last member
    raw = getattr(out, "buffer", None)  # the bytes under a text stream: no decoding and encoding again
    if raw is not None:
        out.flush()
    first = True
    block: list[bytes] = []
    for row in passage_rows(corpus, mapping):
        block.append((b"\n    " if first else b",\n    ") + orjson.dumps(row))
        first = False
        if len(block) == 1000:  # written a thousand rows at a time
            _write(out, raw, b"".join(block))
            block = []
    _write(out, raw, b"".join(block))
    if raw is not None:
        raw.flush()
    out.write("]" if first else "\n  ]")
    tail = json.dumps(_footer(corpus, mapping), ensure_ascii=False, indent=2)
    out.write(",\n" + tail[2:] + "\n")  # the footer's members after the passages


def _write(out: TextIO, raw, data: bytes) -> None:
    if raw is not None:
        raw.write(data)
    else:
        out.write(data.decode("utf-8"))


def _best(asg) -> str:
    return max(asg.scores, key=lambda k: asg.scores[k]) if asg.scores else ""


def _first_words(lead: str | None, text: str, n: int = 24) -> str:
    t = lead or text
    return t if len(t) <= n else t[:n] + "…"


def _units_and_openings(corpus: Corpus | PassageTable, wanted: set[str]) -> dict[str, tuple[str | None, str]]:
    """Passage id → (its article's unit, its lead or first words), for the rows shown
    (the last passage of an id, as ``Mapping.by_id`` has it)."""
    if isinstance(corpus, PassageTable):
        t = corpus
        # the first 25 characters tell what the first 24 and an ellipsis are
        return {
            pid: (t.article_units[t.article_of[i]], _first_words(t.leads[i], t.openings[i]))
            for i, pid in enumerate(t.ids)
            if pid in wanted
        }
    return {p.id: (a.unit, _first_words(p.lead, p.text)) for _, a, p in corpus.iter_passages() if p.id in wanted}


class _Rows(Sequence):
    """A section's rows (best first) as assignments, each made when read."""

    def __init__(self, mapping, rows: list[int]):
        self._mapping, self.rows = mapping, rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, k):  # type: ignore[override]
        if isinstance(k, slice):
            return [self._mapping.row(i) for i in self.rows[k]]
        return self._mapping.row(self.rows[k])


def _by_section(mapping) -> tuple[dict[str, Sequence], Sequence]:
    """Assignments grouped by section in one pass (best first), and the unassigned."""
    if hasattr(mapping, "ranked"):  # a ColumnMapping: rows ranked in columns, assignments made when shown
        return {s.id: _Rows(mapping, mapping.ranked(s.id)) for s in _leaves(mapping.outline)}, _Rows(
            mapping, mapping.ranked(None)
        )
    groups: dict[str, list] = {}
    unassigned = []
    for asg in mapping.assignments:
        if asg.section is None:
            unassigned.append(asg)
        else:
            groups.setdefault(asg.section, []).append(asg)
    for rows in groups.values():
        rows.sort(key=lambda a: -a.score)  # stable: ties keep corpus order, as in_section does
    unassigned.sort(key=lambda a: -a.score)
    return dict[str, Sequence](groups), unassigned


def print_map(corpus: Corpus | PassageTable, mapping, console, *, show_all: bool = False, top: int = TOP_ROWS) -> None:
    """A summary line per section, then each section's top rows (all with ``show_all``).
    Rich tables on a terminal, plain tab-separated lines otherwise."""
    groups, unassigned = _by_section(mapping)
    wanted = {a.passage_id for rows in (*groups.values(), unassigned) for a in (rows if show_all else rows[:top])}
    index = _units_and_openings(corpus, wanted)
    leaves = _leaves(mapping.outline)
    title_of = {s.id: s.title for s in leaves}
    total = sum(len(rows) for rows in groups.values()) + len(unassigned)
    plain = not console.is_terminal
    say = _say(console, plain)

    say(f"共 {total} 段；归入 {total - len(unassigned)} 段，未归入 {len(unassigned)} 段。")
    for spec in leaves:
        say(f"  {spec.title}（{spec.id}）：{len(groups.get(spec.id, []))} 段")
    if isinstance(unassigned, _Rows):
        reasons = Counter(mapping.reason_of(i) or "低于阈值" for i in unassigned.rows)
    else:
        reasons = Counter(a.reason or "低于阈值" for a in unassigned)
    if reasons:
        say("  未归入原因：" + "；".join(f"{r} {n} 段" for r, n in reasons.most_common()))

    def shown(rows: Sequence) -> tuple[Sequence, str]:
        if show_all or len(rows) <= top:
            return rows, ""
        return rows[:top], f"（只列得分最高的 {top} 段，另有 {len(rows) - top} 段；加 --all 列出全部）"

    for spec in leaves:
        rows, more = shown(groups.get(spec.id, []))
        title = f"{spec.title}（{spec.id}）：{len(groups.get(spec.id, []))} 段{more}"
        cells = [
            (asg.passage_id, index[asg.passage_id][0] or "", index[asg.passage_id][1],
             _score(asg, title_of), _terms(asg, spec.id))
            for asg in rows
        ]  # fmt: skip
        _emit(console, plain, title, ("段落", "单位", "要点或开头", "得分", "命中词"), cells)
    rows, more = shown(unassigned)
    cells = [
        (asg.passage_id, index[asg.passage_id][0] or "", index[asg.passage_id][1], asg.reason,
         f"{asg.score:.1f}")
        for asg in rows
    ]  # fmt: skip
    _emit(
        console, plain, f"未归入任何部分：{len(unassigned)} 段{more}", ("段落", "单位", "开头", "原因", "最高分"), cells
    )
    for w in mapping.warnings:
        say(f"提醒：{w}")
    say(
        f"阈值 {mapping.threshold}；固定归入请在大纲该部分的 include 中写段落编号（即上表第一列，"
        "也可用 writer ingest --ids 列出）或“text:段落中的几个字”，排除写 ban 或 exclude_passages。"
    )


def _score(asg, title_of: dict) -> str:
    """The score; for a passage split between two sections, both scores."""
    score = f"{asg.score:.1f}"
    if asg.runner_up:
        other = asg.runner_up
        score += f"（两可：{title_of.get(other, other)} {asg.scores.get(other, 0.0):.1f}）"
    return score


def _terms(asg, section_id: str) -> str:
    terms = "、".join(asg.terms.get(section_id, [])[:4])
    if asg.runner_up:
        terms += "｜" + "、".join(asg.terms.get(asg.runner_up, [])[:3])
    return terms


def _say(console, plain: bool):
    """One line of text: written as is when not a terminal (no wrapping, no markup)."""
    if plain:
        return lambda line: console.file.write(line + "\n")
    return lambda line: console.print(line, markup=False, soft_wrap=True)


def _emit(console, plain: bool, title: str, columns: tuple[str, ...], cells: Sequence[Sequence[str]]) -> None:
    """A titled table: rich on a terminal, plain tab-separated lines otherwise (cheap
    at any size, and easy to grep or cut)."""
    if plain:
        lines = ["", title, "\t".join(columns)] + ["\t".join(_cell(c) for c in row) for row in cells]
        console.file.write("\n".join(lines) + "\n")
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title), title_justify="left")
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in cells:
        table.add_row(*(Text(c) for c in row))
    console.print(table)


def _cell(value: str) -> str:
    return value.replace("\t", " ").replace("\n", " ")


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
