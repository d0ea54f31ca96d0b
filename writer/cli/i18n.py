"""Chinese labels for typer's help and error panels.

typer (which vendors click) has English panel titles and help text and no
translation catalogue of its own; it reads these module-level strings when it
draws help or an error, so setting them once at start-up is enough.  Guarded:
an upgrade that moves them leaves the English text, never a crash.
"""

from __future__ import annotations

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


def localise() -> None:
    rich_utils: ModuleType | None
    try:
        from typer import rich_utils as _rich_utils
    except Exception:  # pragma: no cover - typer without rich
        rich_utils = None
    else:
        rich_utils = _rich_utils
    if rich_utils is not None:
        for name, text in _LABELS.items():
            if hasattr(rich_utils, name):
                setattr(rich_utils, name, text)
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

    def get_help_option(self, ctx):
        opt = original(self, ctx)
        if opt is not None:
            opt.help = HELP_TEXT
        return opt

    get_help_option._writer_zh = True  # type: ignore[attr-defined]
    # a deliberate monkeypatch of the library's method, which mypy forbids by design
    Command.get_help_option = get_help_option  # type: ignore[method-assign]
