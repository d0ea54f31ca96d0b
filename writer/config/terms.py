"""Standard wording (规范提法): config/terms.yaml, loaded and validated.

Each entry gives the right form, the known wrong forms and a note.  A wrong
form found in a draft is an error whose suggestion is the right form.  The
file is read through ``writer.config.yamlfile`` and checked at the boundary:
every problem is reported at once (ConfigError with one line per problem, each
naming the file, the line and the entry).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from writer.config import yamlfile
from writer.errors import ConfigError

_KEYS = {"right", "wrong", "note"}


@dataclass(frozen=True)
class StandardTerm:
    right: str
    wrong: tuple[str, ...]
    note: str


def default_terms_path() -> Path:
    from writer.config.paths import CONFIG_DIR

    return CONFIG_DIR / "terms.yaml"


def load_terms(path: Path | None = None) -> tuple[StandardTerm, ...]:
    """Read and validate a terms file (default: config/terms.yaml)."""
    path = Path(path) if path else default_terms_path()
    document = yamlfile.load(path, what="规范提法表", missing_hint="请检查路径，或恢复 config/terms.yaml。")
    data = document.data
    root = document.root
    if root is None or not isinstance(data, list) or not data:
        raise ConfigError(f"规范提法表 {path} 应是一个非空列表，每项含 right、wrong、note。")
    lines = [yamlfile.line_of(node) for node in root.value]
    problems: list[str] = []
    terms: list[StandardTerm] = []
    seen_wrong: dict[str, int] = {}
    for i, entry in enumerate(data, 1):
        at = f"{path} 第{lines[i - 1]}行 第{i}项"
        if not isinstance(entry, dict):
            problems.append(f"{at}：应是含 right、wrong、note 的映射。")
            continue
        unknown = sorted(set(map(str, entry)) - _KEYS)
        if unknown:
            problems.append(f"{at}：未知的键 {'、'.join(unknown)}（只允许 right、wrong、note）。")
        right, wrong, note = entry.get("right"), entry.get("wrong"), entry.get("note", "")
        if not isinstance(right, str) or not right.strip():
            problems.append(f"{at}：right 应是非空字符串。")
            continue
        if not isinstance(wrong, list) or not wrong or not all(isinstance(w, str) and w.strip() for w in wrong):
            problems.append(f"{at}（{right}）：wrong 应是非空字符串列表。")
            continue
        if not isinstance(note, str):
            problems.append(f"{at}（{right}）：note 应是字符串。")
        for w in wrong:
            if w in right:
                # Such a "wrong" form would be flagged inside every correct use.
                problems.append(f"{at}（{right}）：错误写法“{w}”是规范写法的一部分，会误报，请删除。")
            if w in seen_wrong:
                problems.append(f"{at}（{right}）：错误写法“{w}”与第{seen_wrong[w]}项重复。")
            seen_wrong.setdefault(w, i)
        terms.append(StandardTerm(right.strip(), tuple(w.strip() for w in wrong), str(note or "")))
    if problems:
        raise ConfigError(f"规范提法表 {path} 有 {len(problems)} 处问题：", problems)
    return tuple(terms)


@dataclass(frozen=True)
class TermHit:
    term: StandardTerm
    wrong: str
    start: int
    end: int


def find_wrong_terms(text: str, terms: tuple[StandardTerm, ...]) -> list[TermHit]:
    """Wrong forms in ``text``, longest first where they overlap; a wrong
    form that sits inside some right form (of any entry) is not a hit."""
    rights = [(m.start(), m.end()) for t in terms for m in re.finditer(re.escape(t.right), text)]
    candidates = sorted(
        ((m.start(), m.end(), t, w) for t in terms for w in t.wrong for m in re.finditer(re.escape(w), text)),
        key=lambda c: (c[0], -(c[1] - c[0])),
    )
    hits: list[TermHit] = []
    last_end = -1
    for a, b, t, w in candidates:
        if a < last_end or any(s <= a and b <= e for s, e in rights):
            continue
        hits.append(TermHit(t, w, a, b))
        last_end = b
    return hits


def right_form_spans(text: str, terms: tuple[StandardTerm, ...]) -> list[tuple[int, int]]:
    """Where right forms stand in ``text`` (used to keep “四个意识” and the like
    out of the figure check)."""
    return [(m.start(), m.end()) for t in terms for m in re.finditer(re.escape(t.right), text)]
