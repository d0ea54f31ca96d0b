"""The draft's wording and structure as Jinja templates, shared by both outputs.

The bundled templates live in ``templates/draft/`` (one file per piece: heading1–4,
item, lead, closing, meeting, plus ``layout.yaml`` with structural switches).  A user folder
(the outline's ``templates:`` key) overrides them file by file and ``layout.yaml``
key by key.  Templates travel between offices, so they run in Jinja's
``SandboxedEnvironment`` (no access to ``__class__``, ``__globals__`` or other Python
internals; an attempt is a ConfigError naming the template, and nothing is written).
Templates render with ``StrictUndefined`` and no autoescaping; every
variable a template names must be in ``TEMPLATE_CONTEXT`` (checked when loading, so a
typo fails at once with the file and line instead of half-way through a draft).

Helpers available in every template:
  * ``cn_number(n)`` / filter ``|cn``: 1 → 一, 10 → 十, 11 → 十一, 21 → 二十一
  * ``ordinal(n)``: 1 → 一是, 2 → 二是
  * filter ``|period``: append 。 unless the text already ends a sentence
  * filter ``|strip_end``: drop a trailing 。；，、：
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from writer.config import yamlfile
from writer.errors import ConfigError
from writer.text.numerals import cn_number, ordinal

TEMPLATE_NAMES = (
    "heading1.j2",
    "heading2.j2",
    "heading3.j2",
    "heading4.j2",
    "item.j2",
    "lead.j2",
    "closing.j2",
    "meeting.j2",
)
LAYOUT_FILE = "layout.yaml"

# The documented context of each template (what writer.render.layout passes).
_HEADING_SUB = ("number", "index", "text", "section", "item", "report", "level")
TEMPLATE_CONTEXT: dict[str, tuple[str, ...]] = {
    "heading1.j2": ("number", "index", "section", "report", "level"),
    "heading2.j2": _HEADING_SUB,
    "heading3.j2": _HEADING_SUB,
    "heading4.j2": _HEADING_SUB,
    "item.j2": ("item", "ordinal", "number", "index", "run_in", "section", "report"),
    "lead.j2": ("lead", "report"),
    "closing.j2": ("closing", "report"),
    # the line under the unit line; meeting and date are the outline's (none when unset),
    # date already written out (2025-09-12 → 2025年9月12日); an empty result: no line
    "meeting.j2": ("meeting", "date", "report"),
}

# layout.yaml keys and their allowed values.
ITEMS_RUN_IN = "run_in"
ITEMS_HEADINGS = "headings"
LAYOUT_CHOICES: dict[str, tuple[str, ...]] = {"items": (ITEMS_RUN_IN, ITEMS_HEADINGS)}
LAYOUT_DEFAULTS: dict[str, str] = {"items": ITEMS_RUN_IN}

_SENTENCE_END = ("。", "！", "？", "…")


def bundled_dir() -> Path:
    from writer.config.paths import TEMPLATES_DIR

    return TEMPLATES_DIR / "draft"


def period(text: str) -> str:
    """Append 。 unless the text already ends a sentence (。！？…)."""
    text = text.rstrip()
    if not text:
        return text
    if text.endswith(("，", "；", "：", "、", ",", ";", ":")):
        text = text[:-1]
    return text if text.endswith(_SENTENCE_END) else text + "。"


def strip_end(text: str) -> str:
    """Drop trailing punctuation a heading does not carry (。；，、：)."""
    return text.rstrip().rstrip("。；，、：;,:")


@dataclass
class Templates:
    """Loaded templates and layout switches; ``render`` returns one line of text."""

    env: Any  # jinja2.Environment
    layout: dict[str, str]
    sources: dict[str, Path]  # template name → the file it was loaded from
    context: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(TEMPLATE_CONTEXT))

    @property
    def items_as_headings(self) -> bool:
        return self.layout["items"] == ITEMS_HEADINGS

    def render(self, name: str, **context: Any) -> str:
        """Render a template; lines are stripped and joined (a paragraph is one line)."""
        import jinja2
        import jinja2.sandbox

        template = self.env.get_template(name)
        shown = self.sources.get(name, name)
        try:
            out = template.render(**context)
        except jinja2.sandbox.SecurityError as exc:
            raise ConfigError(
                f"模板 {shown} 试图访问 Python 内部对象（{exc}），已拒绝，未写出任何文件；"
                "模板只能使用文档列出的变量和过滤器，请删去这一处。"
            ) from exc
        except jinja2.UndefinedError as exc:
            raise ConfigError(
                f"模板 {shown} 用了不存在的变量或属性（{exc}）；可用变量：{'、'.join(self.context.get(name, ()))}。"
            ) from exc
        except jinja2.TemplateError as exc:
            raise ConfigError(f"模板 {shown} 渲染出错（{exc}）；请检查模板写法。") from exc
        return "".join(line.strip() for line in out.splitlines())


def _environment(search: list[Path]):
    import jinja2
    import jinja2.sandbox

    env = jinja2.sandbox.SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(p) for p in search], encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
    )
    env.globals.update(cn_number=cn_number, ordinal=ordinal)
    env.filters.update(cn=cn_number, period=period, strip_end=strip_end)
    return env


def load_templates(
    folder: Path | None = None,
    *,
    bundled: Path | None = None,
    context: dict[str, tuple[str, ...]] | None = None,
    layout_choices: dict[str, tuple[str, ...]] | None = None,
    layout_defaults: dict[str, str] | None = None,
) -> Templates:
    """Bundled templates, overridden file by file by ``folder`` when given.

    The keyword arguments load another template set with the same checks (the
    digest's ``templates/digest/``): its bundled folder, each template's documented
    context (the keys are the template file names) and its layout.yaml switches.

    Raises ConfigError (all problems at once) for a missing folder, unknown template
    files, syntax errors, variables outside the documented context and bad layout.yaml.
    """
    import jinja2
    import jinja2.meta

    bundled = bundled_dir() if bundled is None else Path(bundled)
    context = TEMPLATE_CONTEXT if context is None else context
    names = tuple(context)
    choices = LAYOUT_CHOICES if layout_choices is None else layout_choices
    defaults = LAYOUT_DEFAULTS if layout_defaults is None else layout_defaults
    search = [bundled]
    problems: list[str] = []
    if folder is not None:
        folder = Path(folder)
        if not folder.is_dir():
            raise ConfigError(f"找不到模板文件夹：{folder}。请检查提纲里的 templates: 路径。")
        search = [folder, bundled]
        for path in sorted(folder.glob("*.j2")):
            if path.name not in names:
                problems.append(f"{path}：不认识的模板文件名；可用的有 {'、'.join(names)}。")
    env = _environment(search)
    sources: dict[str, Path] = {}
    for name in names:
        origin = next(p / name for p in search if (p / name).is_file())
        sources[name] = origin
        try:
            text = origin.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(f"{origin}：不是 UTF-8 编码，请另存为 UTF-8。")
            continue
        try:
            ast = env.parse(text, name=name, filename=str(origin))
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(f"{origin} 第{exc.lineno}行：模板语法错误（{exc.message}）。")
            continue
        allowed = set(context[name]) | set(env.globals)
        unknown = sorted(jinja2.meta.find_undeclared_variables(ast) - allowed)
        if unknown:
            problems.append(f"{origin}：用了不存在的变量 {'、'.join(unknown)}；可用变量：{'、'.join(context[name])}。")
    layout = dict(defaults)
    for base in reversed(search):  # bundled first, then the user's keys on top
        path = base / LAYOUT_FILE
        if path.is_file():
            layout.update(_read_layout(path, problems, choices))
    if problems:
        raise ConfigError(f"模板有 {len(problems)} 处问题，请逐条修改：", problems)
    return Templates(env=env, layout=layout, sources=sources, context=dict(context))


def _read_layout(
    path: Path, problems: list[str], choices: dict[str, tuple[str, ...]] = LAYOUT_CHOICES
) -> dict[str, str]:
    """layout.yaml's switches, read through the config layer; problems are added
    to ``problems`` (the caller raises them together with the templates' own)."""
    try:
        document = yamlfile.load(path, what="版式开关文件")
    except ConfigError as exc:
        problems.extend(exc.problems or [str(exc)])
        return {}
    data = document.data
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(f"{path} 第{yamlfile.line_of(document.root)}行：应为“键: 值”的映射。")
        return {}
    lines = document.key_lines()
    out: dict[str, str] = {}
    for key, value in data.items():
        at = f"{path} 第{lines.get((key,), 1)}行 {key}"
        if key not in choices:
            problems.append(f"{at}：不认识的键；可用的有 {'、'.join(choices) or '（无）'}。")
        elif value not in choices[key]:
            problems.append(f"{at}：值“{value}”无效；应为 {' 或 '.join(choices[key])}。")
        else:
            out[key] = value
    return out
