"""The outline file: a typed, validated description of the draft to write.

One YAML file per meeting says what the draft is called, who speaks, how long
it should be and which sections it has (each with weighted keywords that the
mapper uses to sort passages into sections).  ``load_outline`` reads it,
``parse_outline`` checks text; both return a frozen ``Outline`` or raise
``ConfigError`` listing *every* problem in the file at once, each as
``<file> 第<line>行 <key path>：<what is wrong>`` (list indexes in key paths
count from 1, as a clerk counts: ``sections[1]`` is the first section).

The file is read and parsed by ``writer.config.yamlfile`` (the one YAML layer:
no anchors or aliases, data tags only, bad dates and control characters refused);
line numbers come from its node tree, so each problem points at the key or value
at fault.  A YAML syntax error stops the parser; it is reported as one problem
with its line.

``preset: <name>`` makes the outline inherit from ``config/presets/<name>.yaml``:
keys the outline leaves unset (including ``sections``) come from the preset;
keys it sets replace the preset's (``sections`` are replaced as a whole).
Relative paths resolve against the folder of the file that names them.

Passage pins: ``include``/``ban`` on a section list passage ids pinned into or
banned from that section; top-level ``exclude_passages`` bans ids from the whole
draft.  ``exclude`` on a section is a list of *words*: a passage containing one
is not placed there.

This module must stay light (no jieba): ``writer outline check`` imports it.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from writer.config import yamlfile
from writer.config.paths import CONFIG_DIR
from writer.errors import ConfigError

PRESETS_DIR = CONFIG_DIR / "presets"

# Stored perspective values.  "第三人称" keeps unit names as the sources have them.
PERSPECTIVES = ("我院", "院党组", "本院", "第三人称")
_PERSPECTIVE_ALIASES = {"third": "第三人称", "third_person": "第三人称", "第三人称": "第三人称"}

# ``others``: in a unit's own report, may other units' passages fill it?  none = only
# the unit's own articles (default); attributed = others too, each with its unit named.
OTHERS = ("none", "attributed")
_OTHERS_ALIASES = {"none": "none", "不用": "none", "不取": "none", "attributed": "attributed", "注明单位": "attributed"}

DEFAULT_LENGTH = 3000
DEFAULT_MAX_ITEMS = 3


@dataclass(frozen=True)
class SourceSpec:
    """A source path named by the outline; ``units`` limits a compilation page
    to the named units' articles (empty: all)."""

    path: Path
    units: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectionSpec:
    """One section of the draft, as the outline defines it."""

    id: str
    title: str
    description: str = ""
    # (term, weight) pairs in file order; ``weights`` gives them as a dict.
    keywords: tuple[tuple[str, float], ...] = ()
    exclude: tuple[str, ...] = ()  # words: a passage containing one is not placed here
    max_items: int = DEFAULT_MAX_ITEMS
    include: tuple[str, ...] = ()  # passage ids pinned into this section
    ban: tuple[str, ...] = ()  # passage ids banned from this section
    sections: tuple[SectionSpec, ...] = ()  # children (one level only)
    line: int = 0  # where the section starts in its file (1-based; 0 unknown)

    @property
    def weights(self) -> dict[str, float]:
        return dict(self.keywords)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "keywords": dict(self.keywords),
            "exclude": list(self.exclude),
            "max_items": self.max_items,
            "include": list(self.include),
            "ban": list(self.ban),
            "sections": [s.to_dict() for s in self.sections],
        }


@dataclass(frozen=True)
class Outline:
    """A validated outline (after preset inheritance)."""

    title: str
    sections: tuple[SectionSpec, ...]
    path: Path | None = None  # the outline file, if read from one
    subtitle: str | None = None
    unit: str | None = None
    perspective: str = "第三人称"
    others: str = "none"
    meeting: str | None = None
    date: str | None = None
    length: int = DEFAULT_LENGTH
    sources: tuple[SourceSpec, ...] = ()
    lead: str | None = None
    closing: str | None = None
    templates: Path | None = None
    reference_docx: Path | None = None
    style: Path | None = None
    editor_note: str | None = None
    preset: str | None = None
    threshold: float | None = None
    exclude_passages: tuple[str, ...] = ()
    practice_model: bool = True  # the learned "is this practice" check after the rules (mapping/practice.py)

    def iter_sections(self) -> Iterator[SectionSpec]:
        """Every section, parents before their children, in file order."""
        for section in self.sections:
            yield section
            yield from section.sections

    def section(self, section_id: str) -> SectionSpec | None:
        return next((s for s in self.iter_sections() if s.id == section_id), None)

    def to_dict(self) -> dict[str, Any]:
        def text(p: Path | None) -> str | None:
            return None if p is None else str(p)

        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "unit": self.unit,
            "perspective": self.perspective,
            "others": self.others,
            "meeting": self.meeting,
            "date": self.date,
            "length": self.length,
            "sources": [{"path": str(s.path), "units": list(s.units)} for s in self.sources],
            "lead": self.lead,
            "closing": self.closing,
            "templates": text(self.templates),
            "reference_docx": text(self.reference_docx),
            "style": text(self.style),
            "editor_note": self.editor_note,
            "preset": self.preset,
            "threshold": self.threshold,
            "exclude_passages": list(self.exclude_passages),
            "practice_model": self.practice_model,
            "path": text(self.path),
            "sections": [s.to_dict() for s in self.sections],
        }


# ---------------------------------------------------------------- public API


def find_preset(name: str) -> Path:
    """The file of preset ``name`` (``config/presets/<name>.yaml``)."""
    stem = name[:-5] if name.endswith(".yaml") else name
    candidate = PRESETS_DIR / f"{stem}.yaml"
    if stem and "/" not in stem and "\\" not in stem and candidate.is_file():
        return candidate
    available = "、".join(preset_names()) or "（无）"
    raise ConfigError(f"找不到预设“{name}”；可用的预设：{available}（在 {_display(PRESETS_DIR)} 中）")


def preset_names() -> list[str]:
    """Names of the bundled presets, sorted."""
    if not PRESETS_DIR.is_dir():
        return []
    return sorted(p.stem for p in PRESETS_DIR.glob("*.yaml"))


def load_outline(path: Path) -> Outline:
    """Read and validate an outline file (UTF-8; GB18030 accepted)."""
    path = Path(path)
    text = _read_text(path)
    return parse_outline(text, str(path))


def parse_outline(text: str, path: str) -> Outline:
    """Validate outline text; ``path`` names it in messages and anchors relative paths."""
    problems: list[str] = []
    fields = _check_file(text, path, problems)
    if fields is not None:
        fields = _apply_preset(fields, path, problems, chain=[_norm(path)])
    if fields is not None and not problems:
        _check_complete(fields, path, problems)
    if problems:
        raise ConfigError(f"大纲文件有 {len(problems)} 处错误：{path}", problems=problems)
    assert fields is not None
    values = {k: v for k, (v, _line) in fields.items()}
    values.setdefault("perspective", "第三人称")
    return Outline(path=Path(path), **values)


# ---------------------------------------------------------------- reading


def _read_text(path: Path) -> str:
    return yamlfile.read_text(path, what="大纲文件", encodings=("utf-8-sig", "gb18030"))


def _display(path: Path | str) -> str:
    """A path as the user would write it: relative to the working folder if inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


def _norm(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


# ---------------------------------------------------------------- the checker

_INVALID = object()  # a value that failed validation (already reported)


class _Checker(yamlfile.Checker):
    """Walks the node tree of one outline file, collecting problems."""

    def __init__(self, path: str, problems: list[str]):
        super().__init__(path, problems)
        self.base = Path(path).parent

    # -- typed values
    def text(self, node: yaml.Node, keypath: str, *, allow_number: bool = False, required: bool = False) -> Any:
        if isinstance(node, yaml.ScalarNode):
            value = self.value(node)
            if isinstance(value, str):
                if required and not value.strip():
                    self.problem(node, keypath, "不能为空")
                    return _INVALID
                return value
            if allow_number and isinstance(value, int) and not isinstance(value, bool):
                return str(value)
        self.problem(node, keypath, f"应为文字，现在是{self.describe(node)}")
        return _INVALID

    def texts(self, node: yaml.Node, keypath: str, *, what: str = "文字") -> Any:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, keypath, f"应为{what}的列表（每行“- 内容”），现在是{self.describe(node)}")
            return _INVALID
        out = []
        for i, item in enumerate(node.value, 1):
            value = self.text(item, f"{keypath}[{i}]", allow_number=True, required=True)
            if value is not _INVALID:
                out.append(value.strip())
        return tuple(out)

    def integer(self, node: yaml.Node, keypath: str, minimum: int) -> Any:
        value = self.value(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, int) or isinstance(value, bool):
            self.problem(node, keypath, f"应为整数，现在是{self.describe(node)}")
            return _INVALID
        if value < minimum:
            self.problem(node, keypath, f"必须是不小于 {minimum} 的整数，现在是 {value}")
            return _INVALID
        return value

    def number(self, node: yaml.Node, keypath: str, *, positive: bool, what: str = "数值") -> Any:
        value = self.value(node) if isinstance(node, yaml.ScalarNode) else None
        numeric = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        ok = numeric is not None
        if numeric is not None and (numeric > 0 if positive else numeric >= 0):
            return float(numeric)
        need = "正数" if positive else "不小于 0 的数"
        shown = str(value) if ok else self.describe(node)
        self.problem(node, keypath, f"{what}必须是{need}，现在是 {shown}")
        return _INVALID

    def flag(self, node: yaml.Node, keypath: str) -> Any:
        value = self.value(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, bool):
            self.problem(node, keypath, f"应为 true 或 false，现在是{self.describe(node)}")
            return _INVALID
        return value

    def path_value(self, node: yaml.Node, keypath: str, *, kind: str) -> Any:
        """A path relative to this file's folder that must exist (kind: file/dir/any)."""
        raw = self.text(node, keypath, required=True)
        if raw is _INVALID:
            return _INVALID
        resolved = Path(raw).expanduser()
        if not resolved.is_absolute():
            resolved = self.base / resolved
        exists = {"file": resolved.is_file, "dir": resolved.is_dir, "any": resolved.exists}[kind]()
        if not exists:
            noun = {"file": "文件", "dir": "文件夹", "any": "路径"}[kind]
            hint = "（相对路径以大纲文件所在的文件夹为起点）" if not Path(raw).is_absolute() else ""
            self.problem(node, keypath, f"找不到{noun} {resolved}{hint}")
            return _INVALID
        return resolved

    # -- unknown keys
    def unknown_key(self, key: str, key_node: yaml.Node, keypath: str, allowed: tuple[str, ...], level: str) -> None:
        here = _join(keypath, key)
        if level == "top" and key in SECTION_KEYS:
            hint = "这是 sections 中每一部分的键，是否缩进错了？"
        elif level == "section" and key in TOP_KEYS:
            hint = "这是大纲顶层的键，是否缩进错了？"
        else:
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"是否想写 {close[0]}？" if close else f"可用的键：{', '.join(allowed)}"
        self.problem(key_node, here, f"未知的键；{hint}")


_join = yamlfile.join


# Top-level keys → how to check them.  Each checker returns a value or _INVALID.
def _perspective(c: _Checker, node: yaml.Node, kp: str) -> Any:
    raw = c.text(node, kp, required=True)
    if raw is _INVALID:
        return _INVALID
    value = raw.strip()
    value = _PERSPECTIVE_ALIASES.get(value.lower(), value)
    if value not in PERSPECTIVES:
        c.problem(node, kp, f'只能是 我院、院党组、本院 或 第三人称（third），现在是 "{raw}"')
        return _INVALID
    return value


def _others(c: _Checker, node: yaml.Node, kp: str) -> Any:
    raw = c.text(node, kp, required=True)
    if raw is _INVALID:
        return _INVALID
    value = _OTHERS_ALIASES.get(raw.strip().lower())
    if value is None:
        c.problem(node, kp, f'只能是 none（只用本单位素材）或 attributed（也用其他单位素材并注明单位），现在是 "{raw}"')
        return _INVALID
    return value


def _date(c: _Checker, node: yaml.Node, kp: str) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value = c.value(node)
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    return c.text(node, kp, required=True)


def _sources(c: _Checker, node: yaml.Node, kp: str) -> Any:
    if not isinstance(node, yaml.SequenceNode):
        c.problem(node, kp, f"应为列表（每行“- 路径”或“- path: 路径”），现在是{c.describe(node)}")
        return _INVALID
    out, ok = [], True
    for i, item in enumerate(node.value, 1):
        ikp = f"{kp}[{i}]"
        if isinstance(item, yaml.MappingNode):
            path_v, units = _INVALID, ()
            found = {}
            for key, key_node, value_node in c.pairs(item, ikp):
                if key == "path":
                    found["path"] = True
                    path_v = c.path_value(value_node, _join(ikp, key), kind="any")
                elif key == "units":
                    units = c.texts(value_node, _join(ikp, key), what="单位名称")
                else:
                    c.unknown_key(key, key_node, ikp, ("path", "units"), level="source")
                    ok = False
            if "path" not in found:
                c.problem(item, ikp, "缺少 path（素材文件或文件夹的路径）")
            if not isinstance(path_v, Path) or units is _INVALID:  # path_value gives a Path or _INVALID
                ok = False
                continue
            out.append(SourceSpec(path=path_v, units=units))
        else:
            path_v = c.path_value(item, ikp, kind="any")
            if path_v is _INVALID:
                ok = False
                continue
            out.append(SourceSpec(path=path_v))
    return tuple(out) if ok else _INVALID


def _keywords(c: _Checker, node: yaml.Node, kp: str) -> Any:
    if isinstance(node, yaml.SequenceNode):
        terms = c.texts(node, kp, what="关键词")
        if terms is _INVALID:
            return _INVALID
        return _unique_terms(c, node, kp, [(t, 1.0, item) for t, item in zip(terms, node.value)])
    if not isinstance(node, yaml.MappingNode):
        c.problem(node, kp, f"应为“关键词: 权重”的映射或关键词列表，现在是{c.describe(node)}")
        return _INVALID
    entries, ok = [], True
    for key, key_node, value_node in c.pairs(node, kp):
        term = key.strip()
        if not term:
            c.problem(key_node, kp, "关键词不能为空")
            ok = False
            continue
        if term in SECTION_KEYS:
            # A section key indented one level too deep lands among the keywords.
            c.problem(key_node, _join(kp, term), f"{term} 是部分的键，不是关键词；是否缩进错了？")
            ok = False
            continue
        weight = c.number(value_node, _join(kp, term), positive=True, what="权重")
        if weight is _INVALID:
            ok = False
            continue
        entries.append((term, weight, key_node))
    if not ok:
        return _INVALID
    return _unique_terms(c, node, kp, entries)


def _unique_terms(c: _Checker, node: yaml.Node, kp: str, entries: list) -> Any:
    seen, out = set(), []
    for term, weight, item in entries:
        if term in seen:
            c.problem(item, _join(kp, term), "关键词重复；请删去一个")
            return _INVALID
        seen.add(term)
        out.append((term, weight))
    return tuple(out)


def _section(c: _Checker, node: yaml.Node, kp: str, depth: int) -> Any:
    if not isinstance(node, yaml.MappingNode):
        c.problem(node, kp, f"每个部分应为一组“键: 值”（至少有 id 和 title），现在是{c.describe(node)}")
        return _INVALID
    values: dict[str, Any] = {}
    ok = True
    for key, key_node, value_node in c.pairs(node, kp):
        here = _join(kp, key)
        if key not in SECTION_KEYS:
            c.unknown_key(key, key_node, kp, SECTION_KEYS, level="section")
            ok = False
            continue
        if c.is_null(value_node) and key not in ("id", "title"):
            continue  # an empty optional key means "not set"
        if key == "id":
            v = c.text(value_node, here, allow_number=True, required=True)
            v = v.strip() if v is not _INVALID else v
        elif key == "title":
            v = c.text(value_node, here, required=True)
            v = v.strip() if v is not _INVALID else v
        elif key == "description":
            v = c.text(value_node, here)
        elif key == "keywords":
            v = _keywords(c, value_node, here)
        elif key in ("exclude", "include", "ban"):
            v = c.texts(value_node, here, what="词语" if key == "exclude" else "段落编号")
        elif key == "max_items":
            v = c.integer(value_node, here, minimum=1)
        else:  # sections
            if depth >= 1:
                c.problem(key_node, here, "部分最多嵌套一层：子部分不能再有 sections")
                ok = False
                continue
            v = _section_list(c, value_node, here, depth + 1)
        if v is _INVALID:
            ok = False
        else:
            values[key] = v
    present = {kn.value for kn, _ in node.value if isinstance(kn, yaml.ScalarNode)}
    hints = {"id": "部分的编号，如 sixiang", "title": "部分的标题，如 思想引领"}
    for required in ("id", "title"):
        if required not in present:
            c.problem(node, kp, f"缺少 {required}（{hints[required]}）")
            ok = False
    if ok and not values.get("keywords") and not values.get("include") and not values.get("sections"):
        c.problem(
            node,
            kp,
            f"部分“{values.get('title', '')}”既没有关键词（keywords）也没有指定段落（include），初稿里会是空的；"
            "请加上 keywords",
        )
        ok = False
    if not ok:
        return _INVALID
    return SectionSpec(line=node.start_mark.line + 1, **values)


def _section_list(c: _Checker, node: yaml.Node, kp: str, depth: int = 0) -> Any:
    if not isinstance(node, yaml.SequenceNode):
        c.problem(node, kp, f"应为部分的列表（每个部分以“- id: …”开头），现在是{c.describe(node)}")
        return _INVALID
    if not node.value:
        c.problem(node, kp, "至少要有一个部分")
        return _INVALID
    sections = [_section(c, item, f"{kp}[{i}]", depth) for i, item in enumerate(node.value, 1)]
    return _INVALID if any(s is _INVALID for s in sections) else tuple(sections)


SECTION_KEYS = ("id", "title", "description", "keywords", "exclude", "max_items", "include", "ban", "sections")

_TOP_CHECKS: dict[str, Callable[[_Checker, yaml.Node, str], Any]] = {
    "title": lambda c, n, kp: _strip(c.text(n, kp, required=True)),
    "subtitle": lambda c, n, kp: c.text(n, kp),
    "unit": lambda c, n, kp: _strip(c.text(n, kp)),
    "perspective": _perspective,
    "others": _others,
    "meeting": lambda c, n, kp: c.text(n, kp),
    "date": _date,
    "length": lambda c, n, kp: c.integer(n, kp, minimum=1),
    "sources": _sources,
    "lead": lambda c, n, kp: c.text(n, kp),
    "closing": lambda c, n, kp: c.text(n, kp),
    "templates": lambda c, n, kp: c.path_value(n, kp, kind="dir"),
    "reference_docx": lambda c, n, kp: c.path_value(n, kp, kind="file"),
    "style": lambda c, n, kp: c.path_value(n, kp, kind="file"),
    "editor_note": lambda c, n, kp: c.text(n, kp),
    "preset": lambda c, n, kp: _strip(c.text(n, kp, required=True)),
    "threshold": lambda c, n, kp: c.number(n, kp, positive=False, what="阈值"),
    "exclude_passages": lambda c, n, kp: c.texts(n, kp, what="段落编号"),
    "practice_model": lambda c, n, kp: c.flag(n, kp),
    "sections": lambda c, n, kp: _section_list(c, n, kp),
}
TOP_KEYS = tuple(_TOP_CHECKS)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _check_file(text: str, path: str, problems: list[str]) -> dict[str, tuple[Any, int]] | None:
    """Validate one file's own keys.  Returns {key: (value, line)} for the keys
    that are set and valid, or None when the file cannot be parsed at all."""
    c = _Checker(path, problems)
    try:
        # duplicate keys are reported by the walk below, in key-path order
        root = yamlfile.parse(text, path, what="大纲文件", duplicates=False)
    except ConfigError as exc:
        problems.extend(exc.problems or [str(exc)])
        return None
    if root is None:
        problems.append(f"{path} 第1行：文件是空的；至少需要 title 和 sections（或 preset）")
        return None
    if not isinstance(root, yaml.MappingNode):
        c.problem(root, "", f"大纲应为一组“键: 值”（如 title: …），现在是{c.describe(root)}")
        return None
    fields: dict[str, tuple[Any, int]] = {}
    for key, key_node, value_node in c.pairs(root, ""):
        if key not in _TOP_CHECKS:
            c.unknown_key(key, key_node, "", TOP_KEYS, level="top")
            continue
        if c.is_null(value_node):
            continue  # "key:" with nothing after it means "not set" (inherit / default)
        value = _TOP_CHECKS[key](c, value_node, key)
        if value is not _INVALID:
            fields[key] = (value, key_node.start_mark.line + 1)
    if "sections" in fields:
        _check_unique_ids(c, root, fields["sections"][0])
    return fields


def _check_unique_ids(c: _Checker, root: yaml.MappingNode, sections: tuple[SectionSpec, ...]) -> None:
    seen: dict[str, int] = {}
    for parent in sections:
        for s in (parent, *parent.sections):
            if s.id in seen:
                c.problems.append(
                    f'{c.path} 第{s.line}行 sections：部分编号 id "{s.id}" 重复（第{seen[s.id]}行已经用过）；每个部分的 id 必须不同'
                )
            else:
                seen[s.id] = s.line


def _apply_preset(fields: dict, path: str, problems: list[str], chain: list[str]) -> dict | None:
    """Fill the keys this file leaves unset from its preset (recursively)."""
    if "preset" not in fields:
        return fields
    name, line = fields["preset"]
    try:
        preset_path = find_preset(name)
    except ConfigError as exc:
        problems.append(f"{path} 第{line}行 preset：{exc}")
        return None
    if _norm(str(preset_path)) in chain:
        problems.append(f"{path} 第{line}行 preset：预设“{name}”循环继承自身；请去掉其中一个 preset")
        return None
    shown = _display(preset_path)
    inherited = _check_file(_read_text(preset_path), shown, problems)
    if inherited is None:
        return None
    inherited = _apply_preset(inherited, shown, problems, chain + [_norm(str(preset_path))])
    if inherited is None:
        return None
    merged = dict(inherited)
    merged.update(fields)  # the outline's own keys win
    merged["preset"] = fields["preset"]
    return merged


def _check_complete(fields: dict, path: str, problems: list[str]) -> None:
    if "title" not in fields:
        problems.append(f"{path} 第1行：缺少 title（材料标题），或用 preset 继承一个预设")
    if "sections" not in fields:
        problems.append(f"{path} 第1行：缺少 sections（各部分的定义），或用 preset 继承一个预设")
    perspective = fields.get("perspective")
    if perspective and perspective[0] != "第三人称" and not (fields.get("unit") or (None,))[0]:
        problems.append(
            f"{path} 第{perspective[1]}行 perspective：用“{perspective[0]}”叙述要先写明 unit（本单位名称），"
            f"否则不知道该把哪个单位的名称改成“{perspective[0]}”；或改为 第三人称"
        )
