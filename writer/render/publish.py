"""Writing a laid-out Document to files: .docx and/or .md, each with its sources sidecar.

Paths are chosen first (``plan_paths``): ``--out`` is a folder (default ``output/``) or a
file path whose suffix is dropped; the file name comes from the title.  Without
``force`` an existing file is never touched: all outputs move together to the first free
``name-2``, ``name-3`` … and a Chinese note says so.  Everything is rendered in memory
before the first byte is written, and the files are written as one set
(``writer.render.output.write_set``): a failure or an interrupt leaves the previous
files as they were, never a .docx without its .md or sidecar, and no temporaries.  The sidecar ``<output>.sources.json``
(``writer.render.docx.sidecar``) sits beside each output for ``writer check``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from writer.errors import UsageError
from writer.model.document import Document
from writer.render.output import safe_filename, write_set

FORMATS = ("docx", "md", "both")
DEFAULT_OUT = Path("output")
SIDECAR_SUFFIX = ".sources.json"


@dataclass(frozen=True)
class Published:
    paths: tuple[Path, ...]  # outputs and sidecars, in writing order
    notes: tuple[str, ...]  # Chinese, e.g. that an existing file was kept


def formats_of(fmt: str) -> tuple[str, ...]:
    if fmt not in FORMATS:
        raise UsageError(f"--format 只能是 docx、md 或 both，现在是“{fmt}”。")
    return ("docx", "md") if fmt == "both" else (fmt,)


def _targets(folder: Path, stem: str, formats: tuple[str, ...]) -> list[Path]:
    out = []
    for f in formats:
        path = folder / f"{stem}.{f}"
        out += [path, path.with_name(path.name + SIDECAR_SUFFIX)]
    return out


def plan_paths(
    out: Path | None, name: str, formats: tuple[str, ...], *, force: bool = False
) -> tuple[dict[str, Path], list[str]]:
    """format → output path, and notes.  ``name`` is the file name without suffix."""
    out = DEFAULT_OUT if out is None else Path(out)
    if out.suffix.lower() in (".docx", ".md") and not out.is_dir():
        folder, stem = out.parent, safe_filename(out.stem)
    else:
        folder, stem = out, safe_filename(name)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"输出位置 {folder} 是一个文件，不是文件夹。请用 --out 指定文件夹或 .docx/.md 文件名。")
    notes: list[str] = []
    chosen = stem
    if not force:
        n = 1
        while any(p.exists() for p in _targets(folder, chosen, formats)):
            n += 1
            chosen = f"{stem}-{n}"
        if chosen != stem:
            taken = [p.name for p in _targets(folder, stem, formats) if p.exists()]
            notes.append(f"{folder / taken[0]} 已存在，未覆盖；本次改存为 {chosen}.*（要覆盖原文件请加 --force）。")
    return {f: folder / f"{chosen}.{f}" for f in formats}, notes


def publish(
    doc: Document,
    *,
    name: str,
    formats: tuple[str, ...],
    out: Path | None = None,
    style=None,
    comments: bool = True,
    reference_docx: Path | None = None,
    force: bool = False,
    date=None,
) -> Published:
    """Render ``doc`` in every format, then write the files and their sidecars.

    ``date`` (a UTC datetime) fixes the .docx's comment dates and zip entry times
    so the same inputs give the same bytes."""
    from writer.render.docx import render_docx, sidecar
    from writer.render.markdown import render_markdown

    paths, notes = plan_paths(out, name, formats, force=force)
    payloads: list[tuple[Path, bytes | str]] = []
    side_data = sidecar(doc)
    for fmt, path in paths.items():
        side = json.dumps(_with_source_files(side_data, path.parent), ensure_ascii=False, indent=2) + "\n"
        if fmt == "docx":
            if style is None:
                from writer.config.style import load_style

                style = load_style()
            payloads.append(
                (path, render_docx(doc, style, comments=comments, reference_docx=reference_docx, date=date))
            )
        else:
            payloads.append((path, render_markdown(doc)))
        payloads.append((path.with_name(path.name + SIDECAR_SUFFIX), side))
    written = write_set(payloads, overwrite=force)  # all files of the set, or none
    return Published(tuple(written), tuple(notes))


def _with_source_files(data: dict, folder: Path) -> dict:
    """The sidecar plus ``source_files``: each cited file's path as recorded, relative
    to the sidecar's folder and absolute, so that `writer check` finds the sources
    from any working directory."""
    import os

    recorded = dict.fromkeys(
        s["path"] for e in data.get("paragraphs", []) for s in e.get("sources", []) if s.get("path")
    )
    files = []
    for shown in recorded:
        absolute = Path(shown).resolve()
        try:
            relative = Path(os.path.relpath(absolute, folder.resolve())).as_posix()
        except ValueError:  # another drive on Windows
            relative = None
        files.append({"path": shown, "relative": relative, "absolute": str(absolute)})
    return {**data, "source_files": files}
