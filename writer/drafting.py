"""The main job as one library call: sources + outline → draft files.

read → clean → structure → map → compose → lay out → render, then write.
Everything is gathered and rendered in memory first; nothing is written until
every stage has succeeded, and then each file is written atomically.  Existing
files are never overwritten unless ``force``: the next free name is used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from writer.errors import UsageError
from writer.outline import Outline, load_outline
from writer.paths import CONFIG_DIR

FORMATS = ("docx", "md", "both")


@dataclass(frozen=True)
class DraftResult:
    written: tuple[Path, ...]
    renamed: bool  # the default names were taken; a free name was used
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
    corpus = ingest(paths, **kwargs)
    return unit_filter(corpus, units)


def output_base(out: Path | None, title: str) -> Path:
    """The output path without suffix: --out as a folder, or as a file name."""
    from writer.output import safe_filename

    if out is None:
        return Path("output") / safe_filename(title)
    if out.suffix.lower() in (".docx", ".md"):
        return out.with_suffix("")
    return out / safe_filename(title)


def free_base(base: Path, suffixes: list[str]) -> Path:
    """The first of base, base-2, base-3 … for which none of the files exists."""
    k = 1
    while True:
        cand = base if k == 1 else base.with_name(f"{base.name}-{k}")
        if not any(cand.with_name(cand.name + s).exists() for s in suffixes):
            return cand
        k += 1


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
    from writer.templates import load_templates

    if fmt not in FORMATS:
        raise UsageError(f"--format 只能是 docx、md 或 both，现在是 {fmt!r}。")
    outline = load_outline(outline_path or default_outline_path())
    src, units = source_paths(paths, outline)
    corpus = load_corpus(src, units, progress=progress, cache=cache)
    if units and not corpus.sources:
        raise UsageError(f"素材中没有大纲 sources 指定单位（{'、'.join(units)}）的文章。请检查单位名称。")
    mapping = map_corpus(corpus, outline)
    report = compose(corpus, mapping, outline)
    templates = load_templates(outline.templates)
    document = layout_report(report, templates)
    if highlights:
        document = _with_highlights(document, corpus)

    outputs: dict[str, bytes] = {}
    if fmt in ("md", "both"):
        from writer.render_md import render_markdown

        outputs[".md"] = render_markdown(document).encode("utf-8")
    if fmt in ("docx", "both"):
        from writer.render_docx import render_docx
        from writer.style import load_style

        style = load_style(outline.style)
        outputs[".docx"] = render_docx(document, style, comments=comments, reference_docx=outline.reference_docx)
    from writer.render_docx import sidecar

    outputs[".sources.json"] = (json.dumps(sidecar(document), ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    base = output_base(out, outline.title)
    chosen = base if force else free_base(base, list(outputs))
    from writer.output import atomic_write

    chosen.parent.mkdir(parents=True, exist_ok=True)
    written = tuple(atomic_write(chosen.with_name(chosen.name + suf), data, overwrite=force) for suf, data in outputs.items())
    return DraftResult(written, chosen != base, report, mapping, body_length(report))


def _with_highlights(document, corpus):
    """Append the highlights table (named practices, key figures) as an appendix."""
    try:
        from writer.digest import build_highlights, highlights_blocks
    except ImportError:  # pragma: no cover - digest not installed
        return document
    from writer.document import HEADING, Block, Document

    blocks = list(document.blocks) + [Block(HEADING, "附：特色做法与关键数据", 1)] + list(highlights_blocks(build_highlights(corpus)))
    return Document(document.title, tuple(blocks))
