"""The house style numbers (config/style.yaml) as typed, validated data.

``load_style(None)`` reads the bundled config/style.yaml; ``load_style(path)`` reads a
user file laid over the bundled one key by key, so a user file may set only what
differs (``body: {font: 仿宋}``).  Every problem (unknown key, wrong type, bad value)
is collected and raised at once as one ConfigError naming the file, the key path and
the YAML line; the files are read through ``writer.config.yamlfile``.
``read_style_file`` gives one file's checked data unmerged (``writer check`` uses it).

Unset per-style values are resolved here, so the writers read plain numbers:
headings inherit the body's line spacing and first-line indent, title/subtitle/unit
lines and tables have no indent, and tables use single line spacing (``None``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from writer.config import yamlfile
from writer.errors import ConfigError

ALIGNMENTS = ("left", "center", "right", "justify")
# lead_phrase: how an item's run-in lead (“一是强化思想引领。”) is set.  A lead phrase
# plays the part of a third-level heading, which house style sets in 仿宋 bold.
LEAD_BOLD, LEAD_PLAIN = "bold", "none"
LEAD_PHRASE_CHOICES = (LEAD_BOLD, LEAD_PLAIN)
TEXT_STYLES = ("title", "subtitle", "unit", "body", "heading1", "heading2", "heading3", "heading4", "table")


@dataclass(frozen=True)
class PageSetup:
    width_mm: float
    height_mm: float
    margin_top_mm: float
    margin_bottom_mm: float
    margin_left_mm: float
    margin_right_mm: float
    footer_mm: float  # distance from the page's bottom edge to the footer


@dataclass(frozen=True)
class TextStyle:
    font: str  # East Asian font name
    size_pt: float
    bold: bool
    align: str  # one of ALIGNMENTS
    first_line_chars: float  # first-line indent in characters (0 = none)
    line_spacing_pt: float | None  # exact line spacing; None = single


@dataclass(frozen=True)
class PageNumberStyle:
    font: str
    size_pt: float
    format: str  # contains "{n}"
    odd: str  # left/center/right
    even: str
    indent_chars: float


@dataclass(frozen=True)
class Style:
    page: PageSetup
    latin_font: str
    language: str
    title: TextStyle
    subtitle: TextStyle
    unit: TextStyle
    body: TextStyle
    heading1: TextStyle
    heading2: TextStyle
    heading3: TextStyle
    heading4: TextStyle
    table: TextStyle
    page_number: PageNumberStyle
    source: str = ""  # the file(s) it was read from, for messages
    lead_phrase: str = LEAD_BOLD  # one of LEAD_PHRASE_CHOICES

    @property
    def bold_leads(self) -> bool:
        return self.lead_phrase == LEAD_BOLD

    def title_line_chars(self) -> int:
        """How many title characters fit on one line of the type area."""
        width_pt = (self.page.width_mm - self.page.margin_left_mm - self.page.margin_right_mm) / 25.4 * 72
        return max(1, int(width_pt // self.title.size_pt))

    def heading(self, level: int) -> TextStyle:
        return getattr(self, f"heading{min(max(level, 1), 4)}")


# Schema: key → (type checker name, required-in-merged-config).
_NUM, _STR, _BOOL, _ALIGN, _LEAD = "number", "text", "bool", "align", "lead_phrase"
_PAGE_KEYS = {
    "width_mm": _NUM,
    "height_mm": _NUM,
    "margin_top_mm": _NUM,
    "margin_bottom_mm": _NUM,
    "margin_left_mm": _NUM,
    "margin_right_mm": _NUM,
    "footer_mm": _NUM,
}
_TEXT_KEYS = {
    "font": _STR,
    "size_pt": _NUM,
    "bold": _BOOL,
    "align": _ALIGN,
    "first_line_chars": _NUM,
    "line_spacing_pt": _NUM,
}
_PAGE_NUMBER_KEYS = {
    "font": _STR,
    "size_pt": _NUM,
    "format": _STR,
    "odd": _ALIGN,
    "even": _ALIGN,
    "indent_chars": _NUM,
}
_TOP_KEYS: dict[str, Any] = {
    "page": _PAGE_KEYS,
    "latin_font": _STR,
    "language": _STR,
    "page_number": _PAGE_NUMBER_KEYS,
    "lead_phrase": _LEAD,
}
_TOP_KEYS.update({name: _TEXT_KEYS for name in TEXT_STYLES})
_REQUIRED_TEXT = ("font", "size_pt")
_TYPE_NAMES = {
    _NUM: "数字",
    _STR: "文字",
    _BOOL: "true 或 false",
    _ALIGN: "left、center、right 或 justify",
    _LEAD: "bold（引导句加粗）或 none（不加粗）",
}


def bundled_style_path() -> Path:
    from writer.config.paths import CONFIG_DIR

    return CONFIG_DIR / "style.yaml"


def load_style(path: Path | None = None) -> Style:
    """Read, merge over the bundled style, validate (all problems at once) and resolve."""
    bundled = bundled_style_path()
    base, base_lines = _read_yaml(bundled)
    problems: list[str] = []
    _check(base, _TOP_KEYS, (), bundled, base_lines, problems)
    data = base
    source = str(bundled)
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"找不到样式文件：{path}。请检查路径，或不指定以使用内置的 config/style.yaml。")
        user, user_lines = _read_yaml(path)
        _check(user, _TOP_KEYS, (), path, user_lines, problems)
        data = _merge(base, user)
        source = str(path)
    if problems:
        raise ConfigError(f"样式配置 {source} 有 {len(problems)} 处错误，请逐条修改：", problems)
    return _resolve(data, source)


def read_style_file(path: Path, *, what: str = "样式文件") -> dict:
    """One style file as checked data, not merged over the bundled one: every key
    known and of the right type (all problems at once), or ConfigError.  ``what``
    names the file in messages."""
    data, lines = _read_yaml(Path(path), what=what, missing_hint="请检查路径，或恢复 config/style.yaml。")
    problems: list[str] = []
    _check(data, _TOP_KEYS, (), path, lines, problems)
    if problems:
        raise ConfigError(f"{what} {path} 有 {len(problems)} 处错误，请逐条修改：", problems)
    return data


def _read_yaml(
    path: Path, *, what: str = "样式文件", missing_hint: str = "请检查路径"
) -> tuple[dict, dict[tuple, int]]:
    """The file's data and the line of each key path (through the shared YAML layer)."""
    document = yamlfile.load(path, what=what, missing_hint=missing_hint)
    data = document.data
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"{what} {path} 的顶层应为“键: 值”的映射。",
            [f"{path} 第{yamlfile.line_of(document.root)}行：应为“键: 值”的映射（如 body: {{font: 仿宋_GB2312}}）"],
        )
    return data, document.key_lines()


def _check(data: Any, schema: dict, prefix: tuple, file: Path, lines: dict, problems: list[str]) -> None:
    for key, value in data.items():
        path = prefix + (key,)
        where = f"{file} 第{lines[path]}行" if path in lines else str(file)
        dotted = ".".join(str(p) for p in path)
        if key not in schema:
            known = "、".join(schema)
            problems.append(f"{where} {dotted}：不认识的键；这一层可用的键有 {known}。")
            continue
        expected = schema[key]
        if isinstance(expected, dict):
            if not isinstance(value, dict):
                problems.append(f"{where} {dotted}：应为“键: 值”的映射。")
            else:
                _check(value, expected, path, file, lines, problems)
            continue
        problem = _type_problem(expected, value)
        if problem is None and key == "format" and "{n}" not in value:
            problem = "页码格式里应有 {n}（页码所在处），如“— {n} —”"
        if problem:
            problems.append(f"{where} {dotted}：{problem}。")


def _type_problem(expected: str, value: Any) -> str | None:
    shown = f"实际是“{value}”"
    if expected == _NUM:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"应为{_TYPE_NAMES[_NUM]}，{shown}"
        if value < 0:
            return f"不能为负数，{shown}"
    elif expected == _STR:
        if not isinstance(value, str) or not value.strip():
            return f"应为非空{_TYPE_NAMES[_STR]}，{shown}"
    elif expected == _BOOL:
        if not isinstance(value, bool):
            return f"应为 {_TYPE_NAMES[_BOOL]}，{shown}"
    elif expected == _ALIGN:
        if value not in ALIGNMENTS:
            return f"应为 {_TYPE_NAMES[_ALIGN]}，{shown}"
    elif expected == _LEAD:
        if value not in LEAD_PHRASE_CHOICES:
            return f"应为 {_TYPE_NAMES[_LEAD]}，{shown}"
    return None


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _resolve(data: dict, source: str) -> Style:
    page = data["page"]
    body_raw = data["body"]
    body = TextStyle(
        font=body_raw["font"],
        size_pt=float(body_raw["size_pt"]),
        bold=bool(body_raw.get("bold", False)),
        align=body_raw.get("align", "justify"),
        first_line_chars=float(body_raw.get("first_line_chars", 2)),
        line_spacing_pt=float(body_raw.get("line_spacing_pt", 28)),
    )

    def text_style(name: str, *, indent: float, spacing: float | None, align: str) -> TextStyle:
        raw = data[name]
        spacing_raw = raw.get("line_spacing_pt", spacing)
        return TextStyle(
            font=raw["font"],
            size_pt=float(raw["size_pt"]),
            bold=bool(raw.get("bold", False)),
            align=raw.get("align", align),
            first_line_chars=float(raw.get("first_line_chars", indent)),
            line_spacing_pt=float(spacing_raw) if spacing_raw is not None else None,
        )

    spacing = body.line_spacing_pt
    number = data["page_number"]
    return Style(
        page=PageSetup(
            width_mm=float(page["width_mm"]),
            height_mm=float(page["height_mm"]),
            margin_top_mm=float(page["margin_top_mm"]),
            margin_bottom_mm=float(page["margin_bottom_mm"]),
            margin_left_mm=float(page["margin_left_mm"]),
            margin_right_mm=float(page["margin_right_mm"]),
            footer_mm=float(page.get("footer_mm", 24)),
        ),
        latin_font=data["latin_font"],
        language=data["language"],
        title=text_style("title", indent=0, spacing=None, align="center"),
        subtitle=text_style("subtitle", indent=0, spacing=spacing, align="center"),
        unit=text_style("unit", indent=0, spacing=spacing, align="center"),
        body=body,
        heading1=text_style("heading1", indent=body.first_line_chars, spacing=spacing, align=body.align),
        heading2=text_style("heading2", indent=body.first_line_chars, spacing=spacing, align=body.align),
        heading3=text_style("heading3", indent=body.first_line_chars, spacing=spacing, align=body.align),
        heading4=text_style("heading4", indent=body.first_line_chars, spacing=spacing, align=body.align),
        table=text_style("table", indent=0, spacing=None, align="left"),
        page_number=PageNumberStyle(
            font=number["font"],
            size_pt=float(number["size_pt"]),
            format=number["format"],
            odd=number["odd"],
            even=number["even"],
            indent_chars=float(number.get("indent_chars", 1)),
        ),
        source=source,
        lead_phrase=data.get("lead_phrase", LEAD_BOLD),
    )
