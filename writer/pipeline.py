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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from writer.config.outline import Outline, load_outline
from writer.config.paths import CONFIG_DIR
from writer.errors import UsageError
from writer.sources.ingest import gc_paused

if TYPE_CHECKING:
    from writer.compose.digest import Digest
    from writer.mapping.scoring import Mapping
    from writer.model.corpus import Corpus, Notice
    from writer.model.report import Report


@dataclass(frozen=True)
class DraftResult:
    written: tuple[Path, ...]  # outputs and their .sources.json sidecars
    notes: tuple[str, ...]  # e.g. that an existing file was kept and a free name used
    report: Report
    mapping: Mapping
    body_chars: int


def default_outline_path() -> Path:
    """./outline.yaml when the current folder has one (a `writer init` folder), else config/outline.yaml."""
    local = Path("outline.yaml")
    return local if local.exists() else CONFIG_DIR / "outline.yaml"


def source_paths(paths: list[Path] | None, outline: Outline | None) -> tuple[list[Path], list[str]]:
    """Paths to read and the unit filter: command-line paths win, else the
    outline's sources, else seeds/."""
    if paths:
        return list(paths), []
    if outline is not None and outline.sources:
        units = [u for s in outline.sources for u in s.units]
        return [s.path for s in outline.sources], units
    from writer.config.paths import SEEDS_DIR

    local = Path("seeds")
    return [local if local.exists() else SEEDS_DIR], []


def load_corpus(paths: list[Path], units: list[str], *, progress=None, cache=None):
    from writer.model.units import unit_filter
    from writer.sources.ingest import ingest

    kwargs = {"progress": progress}
    if cache is not None:
        kwargs["cache"] = cache
    corpus = unit_filter(ingest(paths, **kwargs), units)
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
) -> DraftResult:
    from writer.compose.draft import body_length, compose
    from writer.mapping.scoring import map_corpus
    from writer.render.layout import layout_report
    from writer.render.output import safe_filename
    from writer.render.publish import formats_of, publish
    from writer.render.templates import load_templates

    formats = formats_of(fmt)  # a bad --format fails before anything is read
    outline = load_outline(outline_path or default_outline_path())
    src, units = source_paths(paths, outline)
    corpus = load_corpus(src, units, progress=progress, cache=cache)
    with gc_paused():  # scoring builds an object per passage and section; nothing cyclic
        mapping = map_corpus(corpus, outline)
        report = compose(corpus, mapping, outline)
    templates = load_templates(outline.templates)
    document = layout_report(report, templates)
    if highlights:
        document = _with_highlights(document, corpus)

    style = None
    if "docx" in formats:
        from writer.config.style import load_style

        style = load_style(outline.style)
    published = publish(
        document,
        name=safe_filename(outline.title),
        formats=formats,
        out=out,
        style=style,
        comments=comments,
        reference_docx=outline.reference_docx,
        force=force,
    )
    return DraftResult(published.paths, published.notes, report, mapping, body_length(report))


def _with_highlights(document, corpus):
    """Append the highlights table (named practices, key figures) as an appendix."""
    from writer.compose.highlights import build_highlights, highlights_blocks
    from writer.model.document import Document

    blocks = list(document.blocks) + list(highlights_blocks(build_highlights(corpus)))
    return Document(document.title, tuple(blocks))


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
    created: list[Path] = []
    folder.mkdir(parents=True, exist_ok=True)
    sources = folder / "sources"
    if not sources.exists():
        sources.mkdir()
        created.append(sources)
    text = preset_file.read_text(encoding="utf-8")
    # the folder's own sources/ (and templates/) instead of the commented examples
    text = re.sub(r"(?m)^# sources:\n(?:#   .*\n)*", "sources:\n  - sources\n", text, count=1)
    if "\nsources:" not in text:
        text += "\nsources:\n  - sources\n"
    if with_templates:
        dest = folder / "templates"
        if not dest.exists():
            shutil.copytree(TEMPLATES_DIR / "draft", dest)
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
        src, units = source_paths(paths, None)
    corpus = load_corpus(src, units, progress=progress, cache=cache)
    digest = build_digest(corpus, chars=chars, outline=outline)
    user_templates = None
    if outline is not None and outline.templates and (outline.templates / "digest").is_dir():
        user_templates = outline.templates / "digest"
    doc = layout_digest(digest, load_digest_templates(user_templates))
    extra = highlights_blocks(build_highlights(corpus))
    if compare:
        compare_outline = outline or load_outline(CONFIG_DIR / "outline.yaml")
        order = [e.article_id for e in digest.entries]
        extra += comparison_blocks(build_comparison(corpus, compare_outline, order))
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
    )
    notices = tuple(corpus.all_notices()) + tuple(digest.notices)
    return DigestResult(published.paths, published.notes, digest, notices)


@dataclass(frozen=True)
class MapResult:
    corpus: Corpus
    mapping: Mapping
    outline_path: Path


def map_sources(
    paths: list[Path] | None = None, *, outline_path: Path | None = None, progress=None, cache=None
) -> MapResult:
    """Read the sources and score every passage against the outline's sections."""
    from writer.mapping.scoring import map_corpus

    outline_path = outline_path or default_outline_path()
    outline = load_outline(outline_path)
    src, units = source_paths(paths, outline)
    corpus = load_corpus(src, units, progress=progress, cache=cache)
    with gc_paused():  # scoring builds an object per passage and section; nothing cyclic
        return MapResult(corpus, map_corpus(corpus, outline), outline_path)


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
