"""The library entry points the command line calls: draft, digest, map, check, init.

Each runs the stages in order — read → clean → structure (``writer.sources``) →
map (``writer.mapping``) → compose (``writer.compose``) → lay out and render
(``writer.render``) — and returns data; none prints or exits.  Everything is
gathered and rendered in memory first; nothing is written until every stage has
succeeded, and then each file is written atomically.  Existing files are never
overwritten unless ``force``: the next free name is used.

May import every stage package; only ``writer.cli`` imports this module.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from writer.config.outline import Outline, load_outline
from writer.config.paths import CONFIG_DIR
from writer.errors import UsageError
from writer.sources.ingest import as_cache, gc_paused

if TYPE_CHECKING:
    from writer.compose.digest import Digest
    from writer.mapping.prepared import PassageTable
    from writer.mapping.scoring import Mapping
    from writer.model.corpus import Corpus, Notice, Survey
    from writer.model.document import Document
    from writer.model.report import Report


@dataclass(frozen=True)
class DraftResult:
    written: tuple[Path, ...]  # outputs and their .sources.json sidecars
    notes: tuple[str, ...]  # e.g. that an existing file was kept and a free name used
    report: Report
    mapping: Mapping
    body_chars: int  # characters of the body as laid out (opening, items, closing)
    warnings: tuple[str, ...] = ()  # shortfalls, unit mismatch, uneven leads, template text
    notices: tuple[Notice, ...] = ()  # files (or parts of files) not read, for the command to print


def working_folder_outline() -> Path | None:
    """./outline.yaml when the current folder is a working folder (made by `writer init`)."""
    local = Path("outline.yaml")
    return local if local.is_file() else None


def default_outline_path() -> Path:
    """./outline.yaml when the current folder has one (a `writer init` folder), else config/outline.yaml."""
    return working_folder_outline() or CONFIG_DIR / "outline.yaml"


def source_paths(paths: list[Path] | None, outline: Outline | None) -> tuple[list[Path], list[str]]:
    """Paths to read and the unit filter: command-line paths win, else the
    outline's sources, else a working folder's sources/, else ./seeds/.

    With none of these there is nothing sensible to read: a UsageError says what
    to do (the bundled demo is never drafted in silence).
    """
    if paths:
        return list(paths), []
    if outline is not None and outline.sources:
        units = [u for s in outline.sources for u in s.units]
        return [s.path for s in outline.sources], units
    if working_folder_outline() is not None and Path("sources").is_dir():
        return [Path("sources")], []
    local = Path("seeds")
    if local.is_dir():
        return [local], []
    raise UsageError(
        f"没有指定素材：当前文件夹（{Path.cwd()}）不是写作文件夹（没有 outline.yaml），也没有 seeds/。"
        "请写明素材路径，如 writer draft 素材/；或先运行 writer init 我的材料，把素材放进 我的材料/sources/，"
        "再进入 我的材料 运行命令。"
    )


def ingest_paths(paths: list[Path] | None) -> list[Path]:
    """What `writer ingest` reads: the given paths, else the working folder's sources
    (its outline's ``sources``), else ./seeds/."""
    if paths:
        return list(paths)
    local = working_folder_outline()
    return source_paths(None, load_outline(local) if local is not None else None)[0]


# Notice codes of what was not read, or not read whole: files skipped, lines lost,
# tracked changes resolved.  Commands always show them; --strict fails on them.
UNREAD_CODES = ("skipped-file", "reading")


def unread_notices(corpus: Corpus | Survey | PassageTable) -> list[Notice]:
    """The corpus notices about files (or parts of files) that were not read."""
    return [n for n in corpus.all_notices() if n.code in UNREAD_CODES]


def check_strict(corpus: Corpus | Survey) -> None:
    """For --strict: InputError (exit 1) listing every file not read, or not read whole."""
    from writer.errors import InputError

    unread = unread_notices(corpus)
    if unread:
        raise InputError(
            f"--strict：有 {len(unread)} 处素材未读取或未完整读取，未生成任何文件。请处理下列文件，或去掉 --strict。",
            [n.label() for n in unread],
        )


def load_corpus(paths: list[Path], units: list[str], *, progress=None, cache=None, strict: bool = False):
    from writer.model.units import unit_filter
    from writer.sources.ingest import ingest

    kwargs = {"progress": progress}
    if cache is not None:
        kwargs["cache"] = cache
    corpus = ingest(paths, **kwargs)
    if strict:
        check_strict(corpus)
    corpus = unit_filter(corpus, units)
    if units and not corpus.sources:
        raise UsageError(f"素材中没有大纲 sources 指定单位（{'、'.join(units)}）的文章。请核对单位名称。")
    return corpus


def make_draft(
    paths: list[Path] | None = None,
    *,
    outline_path: Path | None = None,
    fmt: str = "both",
    out: Path | None = None,
    force: bool = False,
    comments: bool = True,
    highlights: bool = False,
    progress=None,
    cache=None,
    strict: bool = False,
) -> DraftResult:
    from writer.compose.summary import draft_warnings
    from writer.config.style import load_style
    from writer.mapping.prepared import PassageTable
    from writer.render.layout import layout_report
    from writer.render.output import safe_filename
    from writer.render.publish import formats_of, publish
    from writer.render.templates import load_templates

    formats = formats_of(fmt)  # a bad --format fails before anything is read
    cache = as_cache(cache)  # a CorpusCache or the path of its file, as ingest takes
    outline = load_outline(outline_path or default_outline_path())
    src, units = source_paths(paths, outline)
    with gc_paused():  # scoring builds an object per passage and section; nothing cyclic
        corpus, mapping, report = _map_and_compose(src, units, outline, progress, cache, strict)
    templates = load_templates(outline.templates)
    style = load_style(outline.style)  # both outputs: title width, lead-phrase emphasis
    document = layout_report(report, templates, style)
    body_chars = document_body_chars(document)
    warnings = draft_warnings(report, body_chars)
    document = replace(document, notes=warnings)
    if highlights:
        whole_corpus = corpus if not isinstance(corpus, PassageTable) else load_corpus(src, units, cache=cache)
        document = _with_highlights(document, whole_corpus, report, sources_root(src))

    published = publish(
        document,
        name=safe_filename(outline.title),
        formats=formats,
        out=out,
        style=style,
        comments=comments,
        reference_docx=outline.reference_docx,
        force=force,
        date=build_date(corpus.paths if isinstance(corpus, PassageTable) else [s.path for s in corpus.sources]),
    )
    return DraftResult(
        published.paths, published.notes, report, mapping, body_chars, warnings, tuple(unread_notices(corpus))
    )


def _map_and_compose(
    src: list[Path], units: list[str], outline: Outline, progress, cache, strict: bool
) -> tuple[Corpus | PassageTable, Mapping, Report]:
    """With the cache's passages table, only the sources the draft can use are decoded
    (``compose.partial``); else the whole corpus is loaded."""
    from writer.compose.draft import compose
    from writer.compose.partial import compose_from_table
    from writer.mapping.columnar import ColumnMapping
    from writer.mapping.scoring import map_corpus, map_table

    table = load_table(src, progress=progress, cache=cache, strict=strict) if not units else None
    if table is not None:
        mapping = map_table(table, outline, counts=cache)
        if isinstance(mapping, ColumnMapping):
            everything = lambda: load_corpus(src, [], cache=cache)  # noqa: E731 — when the draft needs it all
            return table, mapping, compose_from_table(table, mapping, outline, everything, cache)
        corpus = load_corpus(src, units, cache=cache)
        return corpus, mapping, compose(corpus, mapping, outline)
    corpus = load_corpus(src, units, progress=progress, cache=cache, strict=strict)
    mapping = map_corpus(corpus, outline, counts=cache)
    return corpus, mapping, compose(corpus, mapping, outline)


def document_body_chars(document: Document) -> int:
    """Characters of the body paragraphs as laid out (headings, title and unit line excluded)."""
    from writer.model.document import PARAGRAPH

    return sum(len(b.text) for b in document.blocks if b.kind == PARAGRAPH)


def build_date(paths: list[str]):
    """The date stamped into a .docx (comment dates, zip entry times): ``SOURCE_DATE_EPOCH``
    when set (the reproducible-builds convention), else the newest modification time
    of the sources read (``paths``), so that the same inputs give the same bytes."""
    import datetime as dt
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise UsageError(
                f"环境变量 SOURCE_DATE_EPOCH 的值“{epoch}”不是有效的秒数；请设为整数（如 1700000000）或删去。"
            ) from None
    newest = None
    for path in paths:
        try:
            mtime = os.stat(path).st_mtime
        except (OSError, ValueError):
            continue
        newest = mtime if newest is None else max(newest, mtime)
    return None if newest is None else dt.datetime.fromtimestamp(int(newest), dt.UTC)


def sources_root(paths: list[Path]) -> str | None:
    """The sources folder that rows' file names are shown relative to: the common folder
    of the given paths (a folder itself, a file's parent)."""
    import os.path

    folders = [str(p if p.is_dir() else p.parent) for p in paths]
    if not folders:
        return None
    try:
        return os.path.commonpath([os.path.abspath(f) for f in folders])
    except ValueError:  # different drives
        return None


def _with_highlights(document, corpus, report, root):
    """Append the highlights table (named practices, key figures) of the articles the
    draft quotes as an appendix."""
    from writer.compose.highlights import build_highlights, highlights_blocks

    used = {corpus.find_passage(r.passage_id) for b in document.blocks for r in b.refs}
    articles = {found[1].id for found in used if found is not None}
    extra = highlights_blocks(build_highlights(corpus, articles=articles), root=root)
    return replace(document, blocks=document.blocks + tuple(extra))


def init_folder(
    folder: Path, *, preset: str = "三个引领", with_templates: bool = False, force: bool = False
) -> list[Path]:
    """Create folder/outline.yaml (the preset, with its comments), folder/sources/,
    optionally folder/templates/ (a copy of the bundled draft templates)."""
    from writer.config.outline import find_preset
    from writer.config.paths import TEMPLATES_DIR

    preset_file = find_preset(preset)  # ConfigError for an unknown preset
    outline = folder / "outline.yaml"
    if outline.exists() and not force:
        raise UsageError(f"{outline} 已存在，未改动。要重新生成请加 --force，或换一个文件夹。")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} 是一个文件，不是文件夹。请换一个名字。")
    from writer.render.output import os_reason

    created: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        sources = folder / "sources"
        if not sources.exists():
            sources.mkdir()
            created.append(sources)
    except OSError as exc:
        where = exc.filename or folder
        raise UsageError(f"无法创建写作文件夹 {folder}（{where}：{os_reason(exc)}）。请换一个可写的位置。") from exc
    text = preset_file.read_text(encoding="utf-8")
    # the folder's own sources/ (and templates/) instead of the commented examples
    text = re.sub(r"(?m)^# sources:\n(?:#   .*\n)*", "sources:\n  - sources\n", text, count=1)
    if "\nsources:" not in text:
        text += "\nsources:\n  - sources\n"
    if with_templates:
        dest = folder / "templates"
        if not dest.exists():
            try:
                shutil.copytree(TEMPLATES_DIR / "draft", dest)
            except OSError as exc:
                raise UsageError(f"无法把模板复制到 {dest}：{os_reason(exc)}。请换一个可写的位置。") from exc
            created.append(dest)
        text = re.sub(r"(?m)^# templates: .*$", "templates: templates", text, count=1)
        if "\ntemplates: templates" not in text:
            text += "templates: templates\n"
    from writer.render.output import atomic_write

    atomic_write(outline, text, overwrite=force)
    created.insert(0, outline)
    return created


@dataclass(frozen=True)
class DigestResult:
    written: tuple[Path, ...]
    notes: tuple[str, ...]
    digest: Digest
    notices: tuple[Notice, ...]  # corpus and digest notices, for the command to print


def make_digest(
    paths: list[Path] | None = None,
    *,
    outline_path: Path | None = None,
    chars: int = 300,
    fmt: str = "both",
    out: Path | None = None,
    force: bool = False,
    comments: bool = True,
    compare: bool = False,
    progress=None,
    cache=None,
    strict: bool = False,
) -> DigestResult:
    """The editor's compilation (摘登) with its highlights sheet and, with ``compare``,
    the per-section comparison table."""
    from writer.compose.digest import build_comparison, build_digest, check_chars, comparison_blocks
    from writer.compose.highlights import build_highlights, highlights_blocks
    from writer.model.document import Document
    from writer.render.layout import layout_digest, load_digest_templates
    from writer.render.publish import formats_of, publish

    check_chars(chars)
    formats = formats_of(fmt)
    outline = load_outline(outline_path) if outline_path is not None else None
    if outline is not None:
        src, units = source_paths(paths, outline)  # the outline's sources and unit filter, as for draft
    else:
        src, units = ingest_paths(paths), []  # a working folder's sources, else seeds/
    corpus = load_corpus(src, units, progress=progress, cache=cache, strict=strict)
    digest = build_digest(corpus, chars=chars, outline=outline)
    user_templates = None
    if outline is not None and outline.templates and (outline.templates / "digest").is_dir():
        user_templates = outline.templates / "digest"
    doc = layout_digest(digest, load_digest_templates(user_templates))
    root = sources_root(src)
    used = {e.article_id for e in digest.entries}
    extra = highlights_blocks(build_highlights(corpus, articles=used), root=root)
    if compare:
        compare_outline = outline or load_outline(CONFIG_DIR / "outline.yaml")
        order = [e.article_id for e in digest.entries]
        extra += comparison_blocks(build_comparison(corpus, compare_outline, order), root=root)
    doc = Document(title=doc.title, blocks=doc.blocks + tuple(extra))
    style = None
    if "docx" in formats:
        from writer.config.style import load_style

        style = load_style(outline.style if outline else None)
    published = publish(
        doc,
        name=f"{digest.title}-摘登",
        formats=formats,
        out=out,
        style=style,
        comments=comments,
        reference_docx=outline.reference_docx if outline else None,
        force=force,
        date=build_date([s.path for s in corpus.sources]),
    )
    notices = tuple(corpus.all_notices()) + tuple(digest.notices)
    return DigestResult(published.paths, published.notes, digest, notices)


@dataclass(frozen=True)
class MapResult:
    corpus: Corpus | PassageTable  # the passages table when the cache held one
    mapping: Mapping
    outline_path: Path


def map_sources(
    paths: list[Path] | None = None,
    *,
    outline_path: Path | None = None,
    progress=None,
    cache=None,
    strict: bool = False,
) -> MapResult:
    """Read the sources and score every passage against the outline's sections.

    With a cache and no unit filter, the passages table the cache keeps for exactly these
    files is mapped (``mapping.prepared``), without decoding the sources; else the corpus."""
    from writer.mapping.scoring import map_corpus, map_table

    cache = as_cache(cache)  # a CorpusCache or the path of its file, as ingest takes
    outline_path = outline_path or default_outline_path()
    outline = load_outline(outline_path)
    src, units = source_paths(paths, outline)
    with gc_paused():  # scoring builds an object per passage and section; nothing cyclic
        table = load_table(src, progress=progress, cache=cache, strict=strict) if not units else None
        if table is not None:
            return MapResult(table, map_table(table, outline, counts=cache), outline_path)
        corpus = load_corpus(src, units, progress=progress, cache=cache, strict=strict)
        return MapResult(corpus, map_corpus(corpus, outline, counts=cache), outline_path)


def load_table(paths: list[Path], *, progress=None, cache=None, strict: bool = False) -> PassageTable | None:
    """The passages table of the sources as the cache keeps it, or None without a cache.
    The files are planned as ``writer ingest`` plans them (summaries, not texts); when the
    cache holds no table for exactly these files, it is built a source at a time from the
    cache's parses (and kept for the next run), else from the corpus loaded whole."""
    cache = as_cache(cache)  # a CorpusCache or the path of its file, as ingest takes
    if cache is None:
        return None
    from writer.mapping.scoring import built_table, passage_table, stored_table
    from writer.sources.ingest import survey_sources

    survey = survey_sources(paths, progress=progress, cache=cache)
    if strict:
        check_strict(survey)
    table = stored_table(survey, cache)
    if table is None:
        table = built_table(survey, cache)
    if table is None:
        table = passage_table(load_corpus(paths, [], cache=cache), cache)
        table.notices = tuple(survey.all_notices())
    return table


def suggest_outline_keywords(
    title: str, paths: list[Path] | None = None, *, description: str = "", progress=None, cache=None
):
    """Weighted keywords for a new section titled ``title``, from the sources
    (default: the default outline's sources, else seeds/); returns a Suggestion."""
    from writer.mapping.suggest import suggest_keywords

    if not title.strip():
        raise UsageError("请给出部分标题，例如：writer outline suggest 思想引领")
    src, _units = source_paths(paths, None)
    corpus = load_corpus(src, [], progress=progress, cache=cache)
    return suggest_keywords(corpus, title.strip(), description.strip())


def check_draft(document: Path, sources: list[Path] | None = None, *, style_path: Path | None = None):
    """Check an edited draft against its sources (given, or those its sidecar names)
    and the house style; returns the CheckReport."""
    from writer.check.content import default_source_paths, run_checks
    from writer.check.house_style import load_house_style
    from writer.sources.ingest import ingest

    style = load_house_style(style_path) if style_path else None
    paths = list(sources) if sources else default_source_paths(document)
    corpus = ingest(paths) if paths else None
    return run_checks(document, corpus, style=style)
