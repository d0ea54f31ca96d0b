"""The command line: a thin layer over the library.

Commands parse options, call library functions and print.  ``main`` is the one
place that turns ``WriterError`` into a one-line Chinese message and an exit code
(2 usage/config, 1 other; 130 interrupted; an OSError no stage caught is 1 with its
reason in Chinese); an unexpected exception exits 3 with a short message and writes
the traceback to a log file it names (``--debug`` shows it instead).  Heavy modules are imported inside commands.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

from writer.cli.i18n import localise
from writer.errors import WriterError

localise()


# Exit codes (the README's table): WriterError subclasses carry 1 or 2 themselves.
EXIT_OK = 0
EXIT_FAILURE = 1  # an expected failure (unreadable input, a file-system problem)
EXIT_USAGE = 2  # bad usage or configuration (UsageError, ConfigError)
EXIT_INTERNAL = 3  # an unexpected error: the traceback goes to a log file
EXIT_INTERRUPTED = 130  # Ctrl-C


def _write_crash_log() -> str | None:
    """Write the current exception's traceback to a log file; its path, or None."""
    import tempfile
    import time
    import traceback

    try:
        fd, name = tempfile.mkstemp(prefix=f"writer-error-{time.strftime('%Y%m%d-%H%M%S')}-", suffix=".log")
        with open(fd, "w", encoding="utf-8") as handle:
            handle.write(f"writer {' '.join(sys.argv[1:])}\n\n")
            handle.write(traceback.format_exc())
        return name
    except OSError:
        return None


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
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            _error_line("已中断。")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except OSError as exc:  # a file-system problem no stage turned into a WriterError
            if _state["debug"]:
                raise
            from writer.render.output import os_reason

            where = f"{exc.filename}：" if exc.filename else ""
            _error_line(f"{where}{os_reason(exc)}。请检查路径、权限和磁盘空间后重试。")
            raise typer.Exit(EXIT_FAILURE) from None
        except Exception as exc:  # unexpected: short message, the traceback in a log file
            if _state["debug"] or type(exc).__module__.startswith(("typer", "click")):
                raise
            log = _write_crash_log()
            saved = f"详细信息已写入 {log}，" if log else ""
            _error_line(f"内部错误：{type(exc).__name__}。{saved}请把它发给维护者（或加 --debug 重新运行）。")
            raise typer.Exit(EXIT_INTERNAL) from None


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


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _cache_for(cache: Optional[Path], no_cache: bool, outline: Optional[Path] = None):
    """The corpus cache a command should use: None with --no-cache, else --cache,
    else $WRITER_CACHE, else .writer/cache.sqlite next to the outline (or here)."""
    if no_cache:
        return None
    from writer.config.paths import DATA_DIR
    from writer.sources.cache import CorpusCache, default_cache_path

    if outline is not None and outline.resolve().is_relative_to(DATA_DIR.resolve()):
        outline = None  # the bundled outline: the cache goes here, never into the installed package
    return CorpusCache(cache or default_cache_path(outline))


@contextmanager
def _progress():
    """A progress callback for ingest(): a rich bar on a terminal (files done /
    total, rate); None (no output at all) when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
    from rich.text import Text

    class _RateColumn(ProgressColumn):
        def render(self, task) -> Text:
            return Text(f"{task.speed:.0f} 个/秒" if task.speed else "")

    bar = Progress(
        TextColumn("读取素材"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        console=_console(stderr=True),
        transient=True,
    )
    with bar:
        task = bar.add_task("ingest", total=None)

        def progress(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total)

        yield progress


def _ingest_with_progress(paths: list[Path], cache=None):
    """ingest() with a progress bar on a terminal."""
    from writer.sources.ingest import ingest

    with _progress() as progress:
        return ingest(paths, cache=cache, progress=progress)


CACHE_HELP = "语料缓存文件（SQLite），默认 .writer/cache.sqlite（有大纲时在大纲旁，否则在当前文件夹），也可用环境变量 WRITER_CACHE 指定。"
NO_CACHE_HELP = "不读也不写语料缓存，全部素材重新读取。"
STRICT_HELP = "有任何素材文件未读取或未完整读取（类型不支持、无文字、无法打开、丢失行）时以退出码 1 结束，不生成文件。"


@app.command("ingest")
def ingest_cmd(
    paths: Optional[list[Path]] = typer.Argument(
        None,
        metavar="素材...",
        help="素材文件或文件夹（递归查找）；默认在写作文件夹里用其 sources/，否则用当前文件夹的 seeds/。",
    ),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出完整语料模型（UTF-8）。"),
    ids: bool = typer.Option(False, "--ids", help="逐段列出段落编号、位置和开头文字（供大纲的 include/ban 使用）。"),
    show_all: bool = typer.Option(False, "--all", help="列出每个文件（默认只列有警告的文件）。"),
    cache: Optional[Path] = typer.Option(None, "--cache", help=CACHE_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help=NO_CACHE_HELP),
    strict: bool = typer.Option(False, "--strict", help=STRICT_HELP),
) -> None:
    """读取素材，清洗并切分为文章与段落，打印合计表和有警告的文件（--all 列出全部文件）；
    结果存入语料缓存，再次运行只读新增或改动的文件。

    示例：writer ingest seeds/    或    writer ingest 素材/ --all    或    writer ingest 素材/ --ids
    """
    store = _cache_for(cache, no_cache)
    from writer.pipeline import ingest_paths

    if not as_json and not ids:  # the table needs counts and warnings, not the texts
        from writer.cli.ingest_view import print_ingest_summary
        from writer.sources.ingest import survey_sources

        with _progress() as progress:
            survey = survey_sources(ingest_paths(paths), cache=store, progress=progress)
        console = _console()
        print_ingest_summary(survey, console, show_all=show_all)
        if store is not None:
            stats = store.stats
            console.print(f"缓存 {store.path}：复用 {len(stats.reused)} 个文件，新读 {len(stats.parsed)} 个。")
        if strict:
            from writer.pipeline import check_strict

            check_strict(survey)
        return
    corpus = _ingest_with_progress(ingest_paths(paths), store)
    if as_json:
        sys.stdout.write(json.dumps(corpus.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        from writer.cli.ingest_view import passage_id_lines

        sys.stdout.write("".join(line + "\n" for line in passage_id_lines(corpus)))
    if strict:
        from writer.pipeline import check_strict

        check_strict(corpus)


outline_app = typer.Typer(
    help="大纲文件（YAML）：检查写法是否正确。",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(outline_app, name="outline")


@outline_app.command("suggest")
def outline_suggest_cmd(
    title: str = typer.Argument(..., help="新部分的标题，如“思想引领”。"),
    paths: Optional[list[Path]] = typer.Argument(None, help="素材文件或文件夹，默认 seeds/。"),
    description: str = typer.Option(
        "", "--description", "-d", help="部分说明：哪些内容归这里（可选，用来找相关段落）。"
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help=NO_CACHE_HELP),
) -> None:
    """为新部分建议带权重的关键词（分词＋TF-IDF，合并同义词），输出可直接粘贴进大纲的 YAML。

    示例：writer outline suggest 思想引领 seeds/ --description "理论学习、第一议题、主题党日"
    """
    from writer.pipeline import suggest_outline_keywords

    suggestion = suggest_outline_keywords(title, paths, description=description, cache=_cache_for(None, no_cache))
    sys.stdout.write(suggestion.to_yaml())


@outline_app.command("check")
def outline_check_cmd(
    file: Path = typer.Argument(..., metavar="大纲文件", help="要检查的大纲文件（.yaml）。"),
) -> None:
    """检查大纲文件：键名、类型、取值，一次列出全部错误及行号。

    示例：writer outline check config/outline.yaml
    """
    from writer.config.outline import load_outline

    outline = load_outline(file)
    from rich.table import Table

    console = _console()
    sections = list(outline.iter_sections())
    console.print(f"大纲有效：{outline.title}，{len(sections)} 个部分", soft_wrap=True)
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
    document: Path = typer.Argument(..., metavar="稿件", help="要检查的稿件（.docx 或 .md）。"),
    sources: Optional[list[Path]] = typer.Option(
        None, "--sources", help="素材文件或文件夹，可重复；默认用稿件旁 .sources.json 记录的素材。"
    ),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出检查结果。"),
    strict: bool = typer.Option(False, "--strict", help="有任何问题（含提醒）都以退出码 1 结束。"),
    style_file: Optional[Path] = typer.Option(None, "--style", help="版式配置文件，默认 config/style.yaml。"),
) -> None:
    """核对改过的稿件：数字与素材是否一致、占位符、模板文字、人称、规范提法、编号、结构、标点和版式。

    示例：writer check output/初稿.docx --sources seeds/    或    writer check 初稿.md --json
    """
    from writer.pipeline import check_draft

    report = check_draft(document, sources, style_path=style_file)
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        from writer.cli.check_view import print_check_report

        print_check_report(report, _console())
    summary = report.summary()
    if summary["errors"] or (strict and summary["total"]):
        raise typer.Exit(1)


@app.command("map")
def map_cmd(
    paths: Optional[list[Path]] = typer.Argument(
        None, metavar="素材...", help="素材文件或文件夹，默认取大纲的 sources，再默认 seeds/。"
    ),
    outline_file: Optional[Path] = typer.Option(
        None, "--outline", help="大纲文件，默认 ./outline.yaml 或 config/outline.yaml。"
    ),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出归类结果（供其他工具使用，逐段写出）。"),
    show_all: bool = typer.Option(False, "--all", help="列出每个部分的全部段落（默认每部分只列得分最高的 10 段）。"),
    cache: Optional[Path] = typer.Option(None, "--cache", help=CACHE_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help=NO_CACHE_HELP),
    strict: bool = typer.Option(False, "--strict", help=STRICT_HELP),
) -> None:
    """把每个段落归入大纲的某个部分，并说明理由（得分与命中词）。

    先打印各部分段数的概览，再列每部分得分最高的段落（--all 列全部）；输出不是终端时为制表符分隔的纯文本行。

    示例：writer map seeds/ --outline config/outline.yaml    或    writer map --all > 归类.tsv    或    writer map --json > map.json
    """
    from writer.pipeline import default_outline_path, map_sources

    outline_path = outline_file or default_outline_path()
    with _progress() as progress:
        result = map_sources(
            paths,
            outline_path=outline_path,
            progress=progress,
            cache=_cache_for(cache, no_cache, outline_path),
            strict=strict,
        )
    corpus, mapping, outline_path = result.corpus, result.mapping, result.outline_path
    from writer.cli.map_view import print_map, write_map_json

    if as_json:
        write_map_json(corpus, mapping, outline_path, sys.stdout)
        return
    console = _console()
    print_map(corpus, mapping, console, show_all=show_all)
    from writer.pipeline import unread_notices

    for notice in unread_notices(corpus):
        console.print(f"提醒：{notice.label()}", soft_wrap=True)


@app.command("draft")
def draft_cmd(
    paths: Optional[list[Path]] = typer.Argument(
        None, metavar="素材...", help="素材文件或文件夹，默认取大纲的 sources，再默认 seeds/。"
    ),
    outline_file: Optional[Path] = typer.Option(
        None, "--outline", help="大纲文件，默认 ./outline.yaml 或 config/outline.yaml。"
    ),
    fmt: str = typer.Option("both", "--format", help="输出格式：docx、md 或 both。"),
    out: Optional[Path] = typer.Option(None, "--out", help="输出文件夹，或带 .docx/.md 后缀的文件名；默认 output/。"),
    force: bool = typer.Option(False, "--force", help="覆盖已有的同名文件（默认另存为 …-2）。"),
    no_comments: bool = typer.Option(False, "--no-comments", help="不在 .docx 中加批注形式的来源说明。"),
    highlights: bool = typer.Option(False, "--highlights", help="在文末附“特色做法与关键数据”表。"),
    cache: Optional[Path] = typer.Option(None, "--cache", help=CACHE_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help=NO_CACHE_HELP),
    strict: bool = typer.Option(
        False, "--strict", help="有任何提醒（未读取的文件、素材不足、单位对不上、模板文字等）都以退出码 1 结束。"
    ),
) -> None:
    """生成经验交流材料初稿（.docx 与 Markdown），每段都注明来源。

    示例：writer draft    或    writer draft 素材/ --outline 我的大纲.yaml --format docx --out 输出/
    """
    from writer.pipeline import default_outline_path, make_draft

    outline_path = outline_file or default_outline_path()
    with _progress() as progress:
        result = make_draft(
            paths,
            outline_path=outline_path,
            fmt=fmt,
            out=out,
            force=force,
            comments=not no_comments,
            highlights=highlights,
            progress=progress,
            cache=_cache_for(cache, no_cache, outline_path),
            strict=strict,
        )
    from writer.cli.map_view import print_draft_summary

    print_draft_summary(result, _console())
    if strict and result.warnings:
        raise typer.Exit(1)


@app.command("init")
def init_cmd(
    folder: Path = typer.Argument(..., metavar="文件夹", help="要创建的工作文件夹。"),
    preset: str = typer.Option("三个引领", "--preset", help="大纲预设：三个引领、党建业务融合、问题对策。"),
    with_templates: bool = typer.Option(False, "--templates", help="同时复制一份可修改的模板到 templates/。"),
    force: bool = typer.Option(False, "--force", help="文件夹里已有 outline.yaml 时覆盖它。"),
) -> None:
    """新建一个写作文件夹：outline.yaml（带说明）、sources/ 素材文件夹，可选模板副本。

    示例：writer init 我的材料 --preset 三个引领，然后把素材放进 我的材料/sources/，进入该文件夹运行 writer draft
    """
    from writer.pipeline import init_folder

    created = init_folder(folder, preset=preset, with_templates=with_templates, force=force)
    console = _console()
    console.print(f"已创建写作文件夹：{folder}")
    for p in created:
        console.print(f"  · {p}")
    console.print(f"下一步：把素材放进 {folder / 'sources'}，然后在 {folder} 中运行 writer draft")


@app.command("digest")
def digest_cmd(
    paths: Optional[list[Path]] = typer.Argument(
        None, metavar="素材...", help="素材文件或文件夹（递归查找）；默认用大纲的 sources，再默认 seeds/。"
    ),
    outline_file: Optional[Path] = typer.Option(
        None, "--outline", help="大纲文件：标题、编者按、素材顺序（sources）、版式。"
    ),
    chars: int = typer.Option(300, "--chars", help="每条摘要的大致字数（正整数，允许 ±20%）。"),
    fmt: str = typer.Option("both", "--format", help="输出格式：docx、md 或 both。"),
    out: Optional[Path] = typer.Option(None, "--out", help="输出文件夹（默认 output/），或 .docx/.md 文件名。"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的同名文件（默认另存为 -2、-3……）。"),
    no_comments: bool = typer.Option(False, "--no-comments", help=".docx 不加来源批注（来源仍写在 .sources.json）。"),
    compare: bool = typer.Option(False, "--compare", help="附各单位做法对照表（按大纲各部分）。"),
    cache: Optional[Path] = typer.Option(None, "--cache", help=CACHE_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help=NO_CACHE_HELP),
    strict: bool = typer.Option(False, "--strict", help=STRICT_HELP),
) -> None:
    """多单位材料摘登：每篇一条（标题、单位行、约 N 字原句摘要），附做法与数据亮点表。

    示例：writer digest seeds/ --chars 300    或    writer digest 素材/ --outline 摘登.yaml --compare --format md
    """
    from writer.pipeline import make_digest

    with _progress() as progress:
        result = make_digest(
            paths,
            outline_path=outline_file,
            chars=chars,
            fmt=fmt,
            out=out,
            force=force,
            comments=not no_comments,
            compare=compare,
            progress=progress,
            cache=_cache_for(cache, no_cache, outline_file),
            strict=strict,
        )
    digest = result.digest
    console = _console()
    console.print(f"摘登 {len(digest.entries)} 条，每条约 {chars} 字。", soft_wrap=True)
    for notice in result.notices:
        console.print(f"提醒：{notice.label()}", soft_wrap=True)
    for note in result.notes:
        console.print(f"注意：{note}", soft_wrap=True)
    for path in result.written:
        console.print(f"已写出：{path}", soft_wrap=True)


def main() -> None:
    """Console-script entry point.  After Ctrl-C the process ends at once: worker
    threads of an interrupted pool must not keep it waiting at interpreter exit."""
    try:
        app()
    except SystemExit as exc:
        if exc.code == EXIT_INTERRUPTED:
            import os

            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(EXIT_INTERRUPTED)
        raise


def _error_line(message: str, prefix: str = "") -> None:
    sys.stderr.write(f"{prefix}{message}\n" if prefix else f"错误：{message}\n")
