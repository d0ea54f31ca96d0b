"""Chinese labels, parser errors and usage lines for typer's help and errors.

typer (which vendors click) has English panel titles, help text, usage lines and
parser errors, and no translation catalogue of its own (its click copy builds
messages with f-strings, so gettext cannot reach them).  So, once at start-up:

- the module-level panel labels are replaced;
- each click exception's ``format_message`` is wrapped to translate the finished
  English message (``translate_message``: No such command / Did you mean / No such
  option / Invalid value / Missing argument …);
- ``get_usage`` says 用法： and [选项]; type placeholders (<path>, <list[Path]>) become
  Chinese words;
- help text folds at any character instead of being cut with "…" (Chinese has no
  spaces for rich to wrap at).

Guarded: an upgrade that moves these leaves English text, never a crash.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import re
import sys
from collections.abc import Callable
from types import ModuleType

_LABELS = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已取消。",
    "RICH_HELP": "可运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "DEPRECATED_STRING": "（已弃用）",
}
HELP_TEXT = "显示本帮助并退出。"

_TYPE_WORDS = {
    "path": "路径",
    "file": "文件",
    "directory": "文件夹",
    "str": "文字",
    "text": "文字",
    "string": "文字",
    "int": "整数",
    "integer": "整数",
    "float": "数字",
    "boolean": "是/否",
    "bool": "是/否",
    "choice": "选项",
}


def _type_word(name: str) -> str:
    """A Chinese word for a click type name ("path", "list[Path]", "integer range")."""
    inner = re.fullmatch(r"(?:list|tuple|sequence)\[(.+)\]", name.strip(), re.I)
    if inner:
        return _type_word(inner.group(1))
    key = name.strip().casefold().split()[0] if name.strip() else ""
    return _TYPE_WORDS.get(key, "值")


# (pattern, replacement) applied in order to a finished click/typer message.
_MESSAGES: tuple[tuple[re.Pattern[str], object], ...] = (
    (
        re.compile(r"No such command (.+?)\.+ Did you mean (.+?)\?"),
        r"没有这个命令：\1。您是不是要用 \2？",
    ),
    (re.compile(r"No such command (.+?)\."), r"没有这个命令：\1。可运行 writer --help 查看全部命令。"),
    (re.compile(r"No such option: (\S+) \(Possible options: (.+?)\)"), r"没有这个选项：\1（您是不是要用 \2？）"),
    (re.compile(r"No such option: (\S+)"), r"没有这个选项：\1。"),
    (re.compile(r"Did you mean (.+?)\?"), r"您是不是要用 \1？"),
    (
        re.compile(r"(\S+) is not a valid (\w+)\.?"),
        lambda m: f"{m.group(1)} 不是有效的{_type_word(m.group(2))}。",
    ),
    (re.compile(r"(\S+) is not one of (.+?)\.$"), r"\1 不在可选值 \2 之中。"),
    (re.compile(r"Invalid value for (.+?): "), r"\1 的值无效："),
    (re.compile(r"^Invalid value: "), "值无效："),
    (re.compile(r"Missing argument (.+?)\.(?=\s|$)"), r"缺少参数 \1。"),
    (re.compile(r"Missing option (.+?)\.(?=\s|$)"), r"缺少选项 \1。"),
    (re.compile(r"Missing parameter:? (.+?)\.?$"), r"缺少参数 \1。"),
    (re.compile(r"Option (.+?) requires an argument\."), r"选项 \1 后面要跟一个值。"),
    (re.compile(r"Option (.+?) requires (\d+) arguments\."), r"选项 \1 后面要跟 \2 个值。"),
    (re.compile(r"Option (.+?) does not take a value\."), r"选项 \1 不接受值。"),
    (re.compile(r"Got unexpected extra arguments? \((.+?)\)"), r"多余的参数：\1。请检查是否多写了路径或漏写了选项名。"),
    (re.compile(r"Try '(.+?)' for help\."), r"可运行 '\1' 查看帮助。"),
)


def translate_message(message: str) -> str:
    """A click/typer parser error in Chinese (unknown messages are left as they are)."""
    for pattern, repl in _MESSAGES:
        message = pattern.sub(repl, message)  # type: ignore[call-overload]
    return message


def translate_usage(usage: str) -> str:
    """A usage line in Chinese: 用法：writer draft [选项] [素材]..."""
    usage = re.sub(r"^(\s*)Usage:\s*", r"\1用法：", usage)
    usage = usage.replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 [参数]...")
    return re.sub(r"<([^<>]+)>", lambda m: _type_word(m.group(1)), usage)


def localise() -> None:
    try:
        from typer._click.core import Command
    except Exception:  # pragma: no cover - older typer on click
        try:
            from click.core import Command  # type: ignore
        except Exception:
            return
    original = Command.get_help_option
    if getattr(original, "_writer_zh", False):
        return
    _localise_messages()
    _localise_usage(Command)
    # typer imports its rich help (and rich with it, ~0.15 s) only to show help or an
    # error: localised when that happens, not at every start
    _when_imported("typer.rich_utils", _localise_rich)

    def get_help_option(self, ctx):
        opt = original(self, ctx)
        if opt is not None:
            opt.help = HELP_TEXT
        return opt

    get_help_option._writer_zh = True  # type: ignore[attr-defined]
    # a deliberate monkeypatch of the library's method, which mypy forbids by design
    Command.get_help_option = get_help_option  # type: ignore[method-assign]


def _localise_messages() -> None:
    """Wrap format_message of every click exception class that defines one."""
    try:
        from typer._click import exceptions
    except Exception:  # pragma: no cover - older typer on click
        try:
            from click import exceptions  # type: ignore[no-redef]
        except Exception:
            return
    for value in list(vars(exceptions).values()):
        if not (isinstance(value, type) and issubclass(value, exceptions.ClickException)):
            continue
        # ClickException inherits its format_message (from TyperException): wrap it there too.
        original = value.__dict__.get("format_message")
        if original is None and value is exceptions.ClickException:
            original = getattr(value, "format_message", None)
        if original is None or getattr(original, "_writer_zh", False):
            continue

        def format_message(self, _original=original) -> str:
            return translate_message(_original(self))

        format_message._writer_zh = True  # type: ignore[attr-defined]
        value.format_message = format_message  # type: ignore[method-assign]


def _localise_usage(command_class) -> None:
    original = command_class.get_usage

    def get_usage(self, ctx) -> str:
        return translate_usage(original(self, ctx))

    command_class.get_usage = get_usage


def _when_imported(name: str, then: Callable[[ModuleType], None]) -> None:
    """Run ``then(module)`` once module ``name`` has been imported (now, if it is already)."""
    if name in sys.modules:
        then(sys.modules[name])
        return

    class _Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path, target=None):
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)
            if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
                return spec
            exec_module = spec.loader.exec_module

            def run(module: ModuleType) -> None:
                exec_module(module)
                then(module)

            spec.loader.exec_module = run  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, _Finder())


def _localise_rich(rich_utils: ModuleType) -> None:
    for name, text in _LABELS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
    _localise_rich_help(rich_utils)


def _localise_rich_help(rich_utils: ModuleType) -> None:
    """Help text folds at any character (no "…"); type placeholders in Chinese."""
    make_text = getattr(rich_utils, "_make_rich_text", None)
    if make_text is not None:

        def _make_rich_text(*args, **kwargs):
            from rich.text import Text

            rendered = make_text(*args, **kwargs)
            if isinstance(rendered, Text):
                rendered.overflow = "fold"
            return rendered

        rich_utils._make_rich_text = _make_rich_text  # type: ignore[attr-defined]
    text_class = getattr(rich_utils, "Text", None)
    print_panel = getattr(rich_utils, "_print_options_panel", None)
    if text_class is None or print_panel is None:
        return

    def _print_options_panel(*args, **kwargs):
        # Type placeholders come from make_metavar / get_metavar / f"<{type.name}>":
        # translate them where they are drawn, in the types column.
        params = kwargs.get("params") or []
        saved = []
        for param in params:
            saved.append((param, param.__dict__.get("make_metavar")))
            original = type(param).make_metavar

            def make_metavar(*a, _param=param, _original=original, **k) -> str:
                return _placeholder(_original(_param, *a, **k))

            param.make_metavar = make_metavar
            param_type = getattr(param, "type", None)
            if param_type is not None and "get_metavar" not in param_type.__dict__:
                get_metavar = type(param_type).get_metavar

                def zh_metavar(*a, _type=param_type, _original=get_metavar, **k):
                    value = _original(_type, *a, **k)
                    return _placeholder(value or f"<{_type.name}>")

                param_type.get_metavar = zh_metavar
                saved.append((param_type, None))
        try:
            return print_panel(*args, **kwargs)
        finally:
            for obj, _ in saved:
                for name in ("make_metavar", "get_metavar"):
                    obj.__dict__.pop(name, None)

    rich_utils._print_options_panel = _print_options_panel  # type: ignore[attr-defined]


def _placeholder(text: str) -> str:
    """'<list[Path]>' → '路径'; 'INTEGER' → '整数'; names without a type are kept.

    Booleans stay as they are: typer hides a flag's type by looking for "bool"."""
    if "bool" in text.casefold():
        return text
    text = re.sub(r"<([^<>]+)>", lambda m: _type_word(m.group(1)), text)
    if re.fullmatch(r"[A-Z][A-Z_\[\]]*", text):
        return _type_word(text.casefold())
    return text
