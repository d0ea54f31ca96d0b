"""Findings of ``writer check``: one record per problem, and the report that holds them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from writer.model.corpus import Notice

ERROR, WARNING = "error", "warning"

# Kinds, in the order the report shows them, with their Chinese names.
KIND_LABELS = {
    "empty": "正文为空",
    "figure": "数字核对",
    "quote": "引号内名称",
    "placeholder": "占位符",
    "template": "模板文字",
    "voice": "人称",
    "term": "规范提法",
    "numbering": "编号",
    "structure": "结构",
    "punctuation": "标点",
    "style": "版式",
}


@dataclass(frozen=True)
class Finding:
    """One problem found in the draft."""

    kind: str  # one of KIND_LABELS
    severity: str  # "error" | "warning"
    paragraph: int  # 1-based; 0 for the whole document (page setup, styles)
    excerpt: str
    message: str  # Chinese
    suggestion: str = ""  # Chinese

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CheckReport:
    document: str
    findings: tuple[Finding, ...]
    notices: tuple[Notice, ...] = field(default=())

    def summary(self) -> dict:
        errors = sum(f.severity == ERROR for f in self.findings)
        return {"total": len(self.findings), "errors": errors, "warnings": len(self.findings) - errors}

    def to_dict(self) -> dict:
        return {
            "document": self.document,
            "findings": [f.to_dict() for f in self.findings],
            "notices": [asdict(n) for n in self.notices],
            "summary": self.summary(),
        }


def findings_by_kind(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.kind, []).append(f)
    return groups
