"""The main job as one library call: sources + outline → draft files.

read → clean → structure → map → compose → lay out → render, then write.
Everything is gathered and rendered in memory first; nothing is written until
every stage has succeeded, and then each file is written atomically.  Existing
files are never overwritten unless ``force``: the next free name is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from writer.errors import UsageError
from writer.outline import Outline, load_outline
from writer.paths import CONFIG_DIR



@dataclass(frozen=True)
class DraftResult:
    written: tuple[Path, ...]  # outputs and their .sources.json sidecars
    notes: tuple[str, ...]  # e.g. that an existing file was kept and a free name used
    report: object  # writer.report.Report
    mapping: object  # writer.mapping.Mapping
    body_chars: int


def default_outline_path() -> Path:
    """./outline.yaml when the current folder has one (a `writer init` folder), else config/outline.yaml."""
    local = Path("outline.yaml")
    return local if local.exists() else CONFIG_DIR / "outline.yaml"


def source_paths(paths: list[Path] | None, outline: Outline) -> tuple[list[Path], list[str]]:
    """Paths to read and the unit filter: command-line paths win, else the
    outline's sources, else seeds/."""
    if paths:
        return list(paths), []
    if outline.sources:
        units = [u for s in outline.sources for u in s.units]
        return [s.path for s in outline.sources], units
    from writer.paths import SEEDS_DIR

    local = Path("seeds")
    return [local if local.exists() else SEEDS_DIR], []


def load_corpus(paths: list[Path], units: list[str], *, progress=None, cache=None):
    from writer.compose import unit_filter
    from writer.ingest import ingest

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
    from writer.compose import body_length, compose
    from writer.layout import layout_report
    from writer.mapping import map_corpus
    from writer.output import safe_filename
    from writer.publish import formats_of, publish
    from writer.templates import load_templates

    formats = formats_of(fmt)  # a bad --format fails before anything is read
    outline = load_outline(outline_path or default_outline_path())
    src, units = source_paths(paths, outline)
    corpus = load_corpus(src, units, progress=progress, cache=cache)
    mapping = map_corpus(corpus, outline)
    report = compose(corpus, mapping, outline)
    templates = load_templates(outline.templates)
    document = layout_report(report, templates)
    if highlights:
        document = _with_highlights(document, corpus)

    style = None
    if "docx" in formats:
        from writer.style import load_style

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
    from writer.document import Document
    from writer.highlights import build_highlights, highlights_blocks

    blocks = list(document.blocks) + list(highlights_blocks(build_highlights(corpus)))
    return Document(document.title, tuple(blocks))
