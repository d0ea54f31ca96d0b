"""Readable terminal output of ``writer check``: one table per kind, then a total."""

from __future__ import annotations

from rich.markup import escape

from writer.check.findings import KIND_LABELS, CheckReport, findings_by_kind

_SEVERITY = {"error": "[red]错误[/red]", "warning": "[yellow]提醒[/yellow]"}


def print_check_report(report: CheckReport, console) -> None:
    from rich.table import Table

    for notice in report.notices:
        console.print(f"[yellow]注意：[/yellow]{escape(notice.message)}")
    for kind, findings in findings_by_kind(report.findings).items():
        table = Table(title=f"{KIND_LABELS.get(kind, kind)}（{len(findings)}）", show_lines=False, title_justify="left")
        for col in ("段落", "级别", "原文", "问题", "建议"):
            table.add_column(col, overflow="fold")
        for f in findings:
            where = f"第{f.paragraph}段" if f.paragraph else "全文"
            table.add_row(
                where, _SEVERITY.get(f.severity, f.severity), escape(f.excerpt), escape(f.message), escape(f.suggestion)
            )
        console.print(table)
    s = report.summary()
    if s["total"]:
        console.print(f"共发现 {s['total']} 处问题：错误 {s['errors']}，提醒 {s['warnings']}")
    else:
        console.print("未发现问题。")
