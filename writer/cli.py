"""The command line: a thin layer over the library.

Commands parse options, call library functions and print.  ``main`` is the one
place that turns ``WriterError`` into a one-line Chinese message and an exit code
(2 usage/config, 1 other); an unexpected exception prints a short message and,
with ``--debug``, the traceback.  Heavy modules are imported inside commands.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from typer.core import TyperGroup

from writer.errors import WriterError

class _WriterGroup(TyperGroup):
    """Turns WriterError into one Chinese line and an exit code, for the console
    script and for CliRunner alike."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except WriterError as exc:
            _error_line(str(exc))
            for problem in getattr(exc, "problems", []) or []:
                _error_line(problem, prefix="  ")
            if _state["debug"]:
                raise
            raise typer.Exit(exc.exit_code)
        except KeyboardInterrupt:
            _error_line("已中断。")
            raise typer.Exit(130)
        except Exception as exc:  # unexpected: short message, traceback with --debug
            if _state["debug"] or type(exc).__module__.startswith(("typer", "click")):
                raise
            _error_line(f"内部错误：{type(exc).__name__}: {exc}。请加 --debug 重新运行并把输出发给维护者。")
            raise typer.Exit(1)


app = typer.Typer(
    cls=_WriterGroup,
    name="writer",
    help="把一文件夹的中文素材整理成检察机关党建经验交流材料初稿（.docx 与 Markdown），每段可追溯来源。",
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

_state = {"debug": False}


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="出错时显示完整的 Python 调用栈。"),
) -> None:
    """writer：检察机关党建经验交流材料写作助手。"""
    _state["debug"] = debug


def _default_paths(paths: Optional[List[Path]]) -> list[Path]:
    from writer.paths import SEEDS_DIR

    if paths:
        return list(paths)
    local = Path("seeds")
    return [local if local.exists() else SEEDS_DIR]


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _cache_for(cache: Optional[Path], no_cache: bool, outline: Optional[Path] = None):
    """The corpus cache a command should use: None with --no-cache, else --cache,
    else $WRITER_CACHE, else .writer/cache.sqlite next to the outline (or here)."""
    if no_cache:
        return None
    from writer.cache import CorpusCache, default_cache_path

    return CorpusCache(cache or default_cache_path(outline))


def _ingest_with_progress(paths: list[Path], cache=None):
    """ingest() with a progress bar on a terminal (files done / total, rate);
    nothing at all when stderr is not a terminal (pipes, CI, CliRunner)."""
    from writer.ingest import ingest

    if not sys.stderr.isatty():
        return ingest(paths, cache=cache)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
    from rich.text import Text

    class _RateColumn(ProgressColumn):
        def render(self, task) -> Text:
            return Text(f"{task.speed:.0f} 个/秒" if task.speed else "")

    bar = Progress(
        TextColumn("读取素材"), BarColumn(), MofNCompleteColumn(), _RateColumn(), TimeElapsedColumn(),
        console=_console(stderr=True), transient=True,
    )
    with bar:
        task = bar.add_task("ingest", total=None)

        def progress(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total)

        return ingest(paths, cache=cache, progress=progress)


CACHE_HELP = "语料缓存文件（SQLite），默认 .writer/cache.sqlite（有大纲时在大纲旁，否则在当前文件夹），也可用环境变量 WRITER_CACHE 指定。"
NO_CACHE_HELP = "不读也不写语料缓存，全部素材重新读取。"


@app.command("ingest")
def ingest_cmd(
    paths: Optional[List[Path]] = typer.Argument(None, help="素材文件或文件夹（递归查找），默认 seeds/。"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出完整语料模型（UTF-8）。"),
    cache: Optional[Path] = typer.Option(None, "--cache", help=CACHE_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help=NO_CACHE_HELP),
) -> None:
    """读取素材，清洗并切分为文章与段落，打印概览表；结果存入语料缓存，再次运行只读新增或改动的文件。

    示例：writer ingest seeds/    或    writer ingest 素材/ --json > corpus.json
    """
    store = _cache_for(cache, no_cache)
    corpus = _ingest_with_progress(_default_paths(paths), store)
    if as_json:
        sys.stdout.write(json.dumps(corpus.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    from writer.report_ingest import print_ingest_summary

    console = _console()
    print_ingest_summary(corpus, console)
    if store is not None:
        stats = store.stats
        console.print(f"缓存 {store.path}：复用 {len(stats.reused)} 个文件，新读 {len(stats.parsed)} 个。")


outline_app = typer.Typer(
    help="大纲文件（YAML）：检查写法是否正确。",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(outline_app, name="outline")


@outline_app.command("check")
def outline_check_cmd(
    file: Path = typer.Argument(..., help="要检查的大纲文件（.yaml）。"),
) -> None:
    """检查大纲文件：键名、类型、取值，一次列出全部错误及行号。

    示例：writer outline check config/outline.yaml
    """
    from writer.outline import load_outline

    outline = load_outline(file)
    from rich.table import Table

    console = _console()
    sections = list(outline.iter_sections())
    console.print(f"大纲有效：{outline.title}，{len(sections)} 个部分")
    table = Table(show_lines=False)
    for column in ("编号", "标题", "关键词数", "最多条数"):
        table.add_column(column)
    for section in outline.sections:
        rows = [(section, "")] + [(child, "　└ ") for child in section.sections]
        for spec, indent in rows:
            table.add_row(spec.id, indent + spec.title, str(len(spec.keywords)), str(spec.max_items))
    console.print(table)


@app.command("check")
def check_cmd(
    document: Path = typer.Argument(..., help="要检查的稿件（.docx 或 .md）。"),
    sources: Optional[List[Path]] = typer.Option(
        None, "--sources", help="素材文件或文件夹，可重复；默认用稿件旁 .sources.json 记录的素材。"
    ),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出检查结果。"),
    strict: bool = typer.Option(False, "--strict", help="有任何问题（含提醒）都以退出码 1 结束。"),
    style_file: Optional[Path] = typer.Option(None, "--style", help="版式配置文件，默认 config/style.yaml。"),
) -> None:
    """核对改过的稿件：数字与素材是否一致、占位符、标点、编号、规范提法和版式。

    示例：writer check output/初稿.docx --sources seeds/    或    writer check 初稿.md --json
    """
    from writer.check import default_source_paths, run_checks
    from writer.check_style import load_house_style

    style = load_house_style(style_file) if style_file else None
    paths = list(sources) if sources else default_source_paths(document)
    corpus = None
    if paths:
        from writer.ingest import ingest

        corpus = ingest(paths)
    report = run_checks(document, corpus, style=style)
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        from writer.report_check import print_check_report

        print_check_report(report, _console())
    summary = report.summary()
    if summary["errors"] or (strict and summary["total"]):
        raise typer.Exit(1)


def main() -> None:
    """Console-script entry point."""
    app()


def _error_line(message: str, prefix: str = "") -> None:
    sys.stderr.write(f"{prefix}{message}\n" if prefix else f"错误：{message}\n")
