"""The one way the writer reads a YAML configuration file, and the shared checker
that reports a file's problems all at once.

``read_text`` reads the bytes (a clear error for a missing file, a folder, an
oversized file, undecodable bytes with their line) and ``parse`` turns the text
into PyYAML's node tree with ``yaml.SafeLoader``'s composer, so every value keeps
its line.  Parsing is deliberately narrower than YAML:

- anchors (``&name``) and aliases (``*name``) are refused outright: a
  configuration file has no use for them, and an alias bomb ("billion laughs")
  would otherwise expand to gigabytes once the tree is walked;
- only the plain data tags are allowed (text, numbers, true/false, null, dates,
  lists, mappings); ``!!python/name:…``, ``!!binary``, ``!foo`` and the like are
  refused;
- control characters (NUL …) are refused with their line;
- every scalar is constructed once, so a date that does not exist
  (``2024-02-30``) is reported here, with its line, instead of failing later.

Problems are lines of the form ``<file> 第<N>行 <key path>：<what is wrong>``
(key paths are dotted, list indexes count from 1: ``sections[1].title``).
``Checker`` collects them while a loader walks the tree; ``raise_if_any`` raises
one ``ConfigError`` (exit code 2) listing them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from writer.errors import ConfigError

MAX_BYTES = 4 * 1024 * 1024  # far beyond any real configuration file
MAX_DEPTH = 64  # nesting deeper than this is a mistake (and would exhaust the stack)

_TAG = "tag:yaml.org,2002:"
# The tags a configuration file may carry (resolved implicitly or written as !!str …).
ALLOWED_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))

# Control characters YAML files must not contain (tab, newline and carriage return are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")

# PyYAML's English problems, in Chinese.  Most come from bad indentation.
_YAML_PROBLEMS = (
    ("mapping values are not allowed here", "这里不能出现“键: 值”，多半是缩进不对，或值里有未加引号的冒号"),
    ("could not find expected ':'", "找不到应有的冒号“:”，多半是缩进不对或少了冒号"),
    ("expected <block end>", "缩进层级不一致，请让同一层的键左端对齐"),
    ("found character '\\t'", "不能用 Tab 缩进，请改用空格"),
    ("found a tab character", "不能用 Tab 缩进，请改用空格"),
    ("found unexpected end of stream", "引号没有配对"),
    ("found undefined alias", "引用了未定义的锚点（*名称）"),
    ("expected a comment or a line break", "值后面有多余的内容，请加引号"),
    ("but found another document", "一个文件只能有一份内容，请删去多余的“---”"),
)


# ---------------------------------------------------------------- reading


def read_text(
    path: Path | str,
    *,
    what: str,
    encodings: tuple[str, ...] = ("utf-8-sig",),
    missing_hint: str = "请检查路径",
) -> str:
    """The file's text.  ``what`` names the file in messages (``大纲文件``, ``样式文件`` …)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"找不到{what}：{path}；{missing_hint}") from None
    except IsADirectoryError:
        raise ConfigError(f"{path} 是文件夹，不是{what}；请给出 .yaml 文件") from None
    except OSError as exc:
        raise ConfigError(f"无法读取{what} {path}：{exc.strerror}") from None
    if len(data) > MAX_BYTES:
        raise ConfigError(f"{what} {path} 太大（{len(data) // 1024} KB），不像配置文件；请检查是否选错了文件")
    first_bad: int | None = None
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            first_bad = exc.start if first_bad is None else first_bad
    line = data[: first_bad or 0].count(b"\n") + 1
    raise ConfigError(f"{what} {path} 不是 UTF-8 文本（第{line}行有无法识别的字节）；请用 UTF-8 编码另存")


# ---------------------------------------------------------------- parsing


class _RefusedAlias(yaml.MarkedYAMLError):
    """An anchor or alias: refused before anything is expanded."""


class _Loader(yaml.SafeLoader):
    """SafeLoader whose composer refuses anchors and aliases and bounds nesting."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _RefusedAlias(None, None, f"引用 *{event.anchor}", event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _RefusedAlias(None, None, f"锚点 &{anchor}", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _RefusedAlias(None, None, "nesting", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def parse(text: str, path: str, *, what: str, duplicates: bool = True) -> yaml.Node | None:
    """The node tree of ``text`` (None for an empty file), or ConfigError listing
    every problem the layer itself finds.  ``path`` names the file in messages.

    ``duplicates=False`` leaves duplicate keys to the caller's own walk (the outline
    checker reports them in its key-path order)."""
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        for match in _CONTROL.finditer(line):
            code = f"U+{ord(match.group()):04X}"
            problems.append(f"{path} 第{number}行：含有不可见的控制字符 {code}（第{match.start() + 1}个字符）；请删去")
            break
    if problems:
        _raise(problems, path, what)
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # the reader checks the characters here
        root = loader.get_single_node()
    except _RefusedAlias as exc:
        refused_at = exc.problem_mark  # always set: raised with the event's start mark
        line_no = refused_at.line + 1 if refused_at is not None else 1
        if exc.problem == "nesting":
            detail = f"嵌套超过 {MAX_DEPTH} 层；配置文件不需要这么深，请检查缩进或括号"
        else:
            detail = f"配置文件不支持 YAML 锚点和引用（{exc.problem}）；请把内容直接写出来"
        _raise([f"{path} 第{line_no}行：{detail}"], path, what)
    except yaml.reader.ReaderError as exc:
        line_no = text[: exc.position].count("\n") + 1
        _raise(
            [f"{path} 第{line_no}行：含有不允许的字符 U+{exc.character:04X}；请删去"]
            if isinstance(exc.character, int)
            else [f"{path} 第{line_no}行：{exc.reason}"],
            path,
            what,
        )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line_no = mark.line + 1 if mark else 1
        english = exc.problem or ""
        chinese = next((zh for en, zh in _YAML_PROBLEMS if en in english), None)
        _raise([f"{path} 第{line_no}行：{chinese or f'YAML 语法错误（{english}）'}"], path, what)
    except yaml.YAMLError as exc:
        _raise([f"{path} 第1行：YAML 语法错误（{exc}）"], path, what)
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        return None
    checker = Checker(path)
    _check_values(checker, root, "", duplicates)
    if checker.problems:
        _raise(checker.problems, path, what)
    return root


def _raise(problems: list[str], path: str, what: str) -> None:
    raise ConfigError(f"{what} {path} 不是合法的 YAML（{len(problems)} 处错误），请逐条修改：", problems)


def _check_values(c: Checker, node: yaml.Node, keypath: str, duplicates: bool) -> None:
    """Refuse non-data tags and scalars that cannot be constructed (2024-02-30)."""
    if node.tag not in ALLOWED_TAGS:
        tag = node.tag[len(_TAG) :] if node.tag.startswith(_TAG) else node.tag
        shown = f"!!{tag}" if node.tag.startswith(_TAG) else tag
        c.problem(
            node,
            keypath,
            f"不支持的 YAML 标签 {shown}；配置文件只能写文字、数字、true/false、日期、列表和“键: 值”，请删去标签",
        )
        return
    if isinstance(node, yaml.ScalarNode):
        try:
            SafeConstructor().construct_object(node)
        except Exception as exc:  # ValueError, OverflowError, IndexError (an empty !!int) …
            if node.tag == _TAG + "timestamp":
                c.problem(node, keypath, f"日期“{node.value}”不存在；请改正日期，如果是文字请加引号")
            else:
                c.problem(node, keypath, f"值“{node.value}”无法读取（{exc}）；如果是文字，请加引号")
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value, 1):
            _check_values(c, item, f"{keypath}[{i}]", duplicates)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            _check_values(c, key_node, keypath, duplicates)
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            here = join(keypath, key) if key is not None else keypath
            if duplicates and key is not None:
                if key in seen:
                    c.problem(key_node, here, f"键重复（第{seen[key]}行已经写过）；请删去一个")
                else:
                    seen[key] = line_of(key_node)
            _check_values(c, value_node, here, duplicates)


# ---------------------------------------------------------------- a loaded file


@dataclass(frozen=True)
class YamlFile:
    """A parsed configuration file: its name in messages, its node tree, its data."""

    path: str
    root: yaml.Node | None

    @property
    def data(self) -> Any:
        """The plain Python value (what ``yaml.safe_load`` would give); None if empty."""
        return None if self.root is None else construct(self.root)

    def key_lines(self) -> dict[tuple, int]:
        """Key path (a tuple of keys) → 1-based line of the key, for nested mappings."""
        lines: dict[tuple, int] = {}

        def walk(node: yaml.Node, prefix: tuple) -> None:
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    key = construct(key_node) if isinstance(key_node, yaml.ScalarNode) else key_node.value
                    path = prefix + (key,)
                    lines.setdefault(path, line_of(key_node))
                    walk(value_node, path)

        if self.root is not None:
            walk(self.root, ())
        return lines


def load(
    path: Path | str,
    *,
    what: str,
    encodings: tuple[str, ...] = ("utf-8-sig",),
    missing_hint: str = "请检查路径",
    shown: str | None = None,
) -> YamlFile:
    """Read and parse one file; ``shown`` is how messages name it (default: ``path``)."""
    text = read_text(path, what=what, encodings=encodings, missing_hint=missing_hint)
    name = str(path) if shown is None else shown
    return YamlFile(name, parse(text, name, what=what))


def construct(node: yaml.Node) -> Any:
    """The Python value of a (validated) node, as ``yaml.safe_load`` builds it."""
    return SafeConstructor().construct_object(node, deep=True)


def line_of(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def join(keypath: str, key: str) -> str:
    return f"{keypath}.{key}" if keypath else str(key)


# ---------------------------------------------------------------- the checker


class Checker:
    """Collects the problems of one file while a loader walks its node tree."""

    def __init__(self, path: str, problems: list[str] | None = None):
        self.path = path
        self.problems = problems if problems is not None else []

    def problem(self, where: yaml.Node | int | None, keypath: str, message: str) -> None:
        """Record ``<file> 第<line>行 <key path>：<message>`` (``where``: a node or a line)."""
        line = where if isinstance(where, int) else line_of(where)
        at = f"{self.path} 第{line}行"
        self.problems.append(f"{at} {keypath}：{message}" if keypath else f"{at}：{message}")

    def raise_if_any(self, message: str) -> None:
        """One ConfigError listing every problem collected (``{n}`` in message: their count)."""
        if self.problems:
            raise ConfigError(message.format(n=len(self.problems)), problems=self.problems)

    # -- node helpers
    @staticmethod
    def value(node: yaml.Node) -> Any:
        return construct(node)

    @staticmethod
    def describe(node: yaml.Node) -> str:
        if isinstance(node, yaml.MappingNode):
            return "一组“键: 值”"
        if isinstance(node, yaml.SequenceNode):
            return "列表"
        if node.tag.endswith(":null"):
            return "空值"
        return f'"{node.value}"'

    @staticmethod
    def is_null(node: yaml.Node) -> bool:
        return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")

    def pairs(self, node: yaml.MappingNode, keypath: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        """The mapping's (key text, key node, value node), reporting duplicate keys."""
        seen: dict[str, int] = {}
        out = []
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                self.problem(key_node, keypath, "键必须是文字")
                continue
            if key in seen:
                self.problem(key_node, join(keypath, key), f"键重复（第{seen[key]}行已经写过）；请删去一个")
                continue
            seen[key] = line_of(key_node)
            out.append((key, key_node, value_node))
        return out
