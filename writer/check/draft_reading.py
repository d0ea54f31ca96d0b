"""Reading an edited draft (.docx or .md) for ``writer check``.

A draft comes back from Word/WPS/LibreOffice with tracked changes and comments,
so .docx text is taken from the XML explicitly: text inside ``w:ins`` counts,
text inside ``w:del``/``w:moveFrom`` does not.  Each paragraph keeps its style
(Title, Heading 1..4), the comments anchored in it and, when the writer left a
``.sources.json`` sidecar, the source references of the matching paragraph, whether
the writer marked it as template text and whether its text is still the writer's.
The draft keeps the sidecar's ``unit`` and ``perspective`` (the voice it was written in).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from writer.errors import InputError, UsageError

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.oxml.text.paragraph import CT_P

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"


@dataclass(frozen=True)
class CitedSource:
    """A source an edited paragraph cites (its sidecar entry or Word comment); the draft-side
    counterpart of ``writer.model.report.SourceRef``."""

    path: str
    line_start: int | None = None
    line_end: int | None = None
    passage_id: str | None = None
    unit: str | None = None  # the unit of the source's article, as the sidecar records it


@dataclass(frozen=True)
class DraftParagraph:
    index: int  # 1-based among non-empty paragraphs
    text: str
    style: str  # style name ("Normal", "Heading 1", "Title"…; "" for .md body)
    level: int  # 0 body, 1..4 heading level (Title → 0 with is_title)
    is_title: bool = False
    in_table: bool = False
    comments: tuple[str, ...] = ()
    sources: tuple[CitedSource, ...] = ()
    element: CT_P | None = field(default=None, compare=False, repr=False)  # the w:p (docx only)
    template: bool = False  # the sidecar marks the matching paragraph as template text
    unedited: bool = False  # the text is exactly the sidecar's (the writer's, untouched)


@dataclass(frozen=True)
class Draft:
    path: Path
    format: str  # "docx" | "md"
    paragraphs: tuple[DraftParagraph, ...]
    sidecar: Path | None
    source_paths: tuple[str, ...]  # every source path the sidecar names, in order
    docx: DocxDocument | None = field(default=None, compare=False, repr=False)  # python-docx Document
    unit: str | None = None  # the speaking unit of a unit's own report (sidecar "unit")
    perspective: str | None = None  # 我院 / 本院 / 院党组 / 第三人称; None: no sidecar or none recorded


def find_sidecar(path: Path) -> Path | None:
    """``draft.docx.sources.json`` or ``draft.sources.json`` beside the draft."""
    for candidate in (path.with_name(path.name + ".sources.json"), path.with_name(path.stem + ".sources.json")):
        if candidate.is_file():
            return candidate
    return None


def _load_sidecar_data(path: Path) -> dict:
    """The sidecar's JSON object, its paragraph list checked."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"来源文件 {path} 无法读取（{exc}）。请删除或重新生成它。") from None
    paras = data.get("paragraphs") if isinstance(data, dict) else None
    if not isinstance(paras, list):
        raise InputError(f"来源文件 {path} 缺少 paragraphs 列表。请删除或重新生成它。")
    return data


def _load_sidecar(path: Path) -> list[dict]:
    return [p for p in _load_sidecar_data(path)["paragraphs"] if isinstance(p, dict)]


def _voice_of(sidecar: Path | None) -> tuple[str | None, str | None]:
    """(unit, perspective) of the Draft, from the sidecar's top level; None when absent."""
    data = _load_sidecar_data(sidecar) if sidecar else {}

    def value(key: str) -> str | None:
        v = data.get(key)
        return v.strip() if isinstance(v, str) and v.strip() else None

    return value("unit"), value("perspective")


def _writer_marks(text: str, entry: dict | None) -> tuple[bool, bool]:
    """(template, unedited) of a paragraph matched to a sidecar entry."""
    if not entry:
        return False, False
    return entry.get("template") is True, str(entry.get("text", "")).strip() == text


def _refs_of(entry: dict) -> tuple[CitedSource, ...]:
    refs = []
    for s in entry.get("sources") or []:
        if isinstance(s, dict) and s.get("path"):
            unit = s.get("unit") if isinstance(s.get("unit"), str) and s.get("unit") else None
            refs.append(CitedSource(str(s["path"]), s.get("line_start"), s.get("line_end"), s.get("passage_id"), unit))
    for pid in entry.get("passages") or []:
        if isinstance(pid, str) and not any(r.passage_id == pid for r in refs):
            refs.append(CitedSource("", None, None, pid))
    return tuple(refs)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _match_sidecar(text: str, entries: list[dict]) -> dict | None:
    """The sidecar entry for an (edited) paragraph: same text, else the one
    sharing most character pairs (editors change a figure, not the whole
    paragraph)."""
    for e in entries:
        if str(e.get("text", "")).strip() == text:
            return e
    grams = _bigrams(text)
    if not grams:
        return None
    best, best_score = None, 0.0
    for e in entries:
        other = _bigrams(str(e.get("text", "")))
        if other:
            score = len(grams & other) / max(len(grams), len(other))
            if score > best_score:
                best, best_score = e, score
    return best if best_score >= 0.5 else None


_COMMENT_REF = re.compile(r"([^\s：:，,（(]+\.(?:txt|md|docx|html?))\s*(?:第\s*(\d+)\s*(?:[–—\-~至]\s*(\d+))?\s*行)?")


def refs_from_comment(text: str) -> tuple[CitedSource, ...]:
    """Source references written in a comment, e.g. ``来源：seeds/000.txt 第4–6行``."""
    out = []
    for m in _COMMENT_REF.finditer(text):
        a = int(m[2]) if m[2] else None
        b = int(m[3]) if m[3] else a
        out.append(CitedSource(m[1], a, b))
    return tuple(out)


# ---------------------------------------------------------------- .docx


def _paragraph_text(p) -> str:
    """Visible text after accepting tracked changes."""
    parts = []
    for el in p.iter(_W + "t", _W + "tab", _W + "br", _W + "delText"):
        if el.tag == _W + "delText":
            continue
        if any(a.tag in (_W + "del", _W + "moveFrom") for a in el.iterancestors()):
            continue
        if el.tag == _W + "t":
            parts.append(el.text or "")
        elif el.tag == _W + "tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _heading_level(style_name: str) -> tuple[int, bool]:
    name = style_name.lower()
    if name == "title":
        return 0, True
    m = re.match(r"heading\s*(\d)", name) or re.match(r"标题\s*(\d)", style_name)
    if m:
        return int(m[1]), False
    if style_name in ("标题",):
        return 0, True
    return 0, False


def _read_comments(doc) -> dict[str, str]:
    part = doc.part
    for rel in part.rels.values():
        if rel.reltype.endswith("/comments") and not rel.is_external:
            from lxml import etree

            root = etree.fromstring(rel.target_part.blob)
            return {
                c.get(_W + "id"): "".join(t.text or "" for t in c.iter(_W + "t")) for c in root.iter(_W + "comment")
            }
    return {}


def read_docx(path: Path) -> Draft:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError(f"无法打开 {path}（{exc}）。请确认它是 Word 文档（.docx）且没有损坏。") from None
    comments = _read_comments(document)
    styles = {s.style_id: s.name for s in document.styles if s.style_id}
    sidecar = find_sidecar(path)
    entries = _load_sidecar(sidecar) if sidecar else []
    paragraphs: list[DraftParagraph] = []
    body = document.element.body
    for p in body.iter(_W + "p"):
        text = _paragraph_text(p).strip()
        if not text:
            continue
        style_el = p.find(f"{_W}pPr/{_W}pStyle")
        style_id = style_el.get(_W + "val") if style_el is not None else None
        style_name = styles.get(style_id, style_id or "Normal") if style_id else "Normal"
        level, is_title = _heading_level(style_name)
        in_table = any(a.tag == _W + "tbl" for a in p.iterancestors())
        ids = [el.get(_W + "id") for el in p.iter(_W + "commentRangeStart", _W + "commentReference")]
        texts = tuple(dict.fromkeys(comments[i] for i in ids if i in comments))
        refs = list(r for c in texts for r in refs_from_comment(c))
        entry = _match_sidecar(text, entries)
        if entry:
            refs.extend(_refs_of(entry))
        paragraphs.append(
            DraftParagraph(
                len(paragraphs) + 1,
                text,
                style_name,
                level,
                is_title,
                in_table,
                texts,
                tuple(refs),
                p,
                *_writer_marks(text, entry),
            )
        )
    return Draft(path, "docx", tuple(paragraphs), sidecar, _sidecar_paths(entries), document, *_voice_of(sidecar))


def _sidecar_paths(entries: list[dict]) -> tuple[str, ...]:
    paths: dict[str, None] = {}
    for e in entries:
        for r in _refs_of(e):
            if r.path:
                paths[r.path] = None
    return tuple(paths)


# ---------------------------------------------------------------- .md

_HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.S)


def read_markdown(path: Path) -> Draft:
    from writer.sources.reading import decode_bytes, markdown_lines

    raw, _ = decode_bytes(path.read_bytes())
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    sidecar = find_sidecar(path)
    entries = _load_sidecar(sidecar) if sidecar else []
    paragraphs: list[DraftParagraph] = []
    # Markdown paragraphs are separated by blank lines; a plain-text draft has
    # one paragraph per line.
    blocks = re.split(r"\n\s*\n", raw) if path.suffix.lower() != ".txt" else raw.split("\n")
    for block in blocks:
        comments = tuple(c.strip() for c in _HTML_COMMENT.findall(block))
        block = _HTML_COMMENT.sub("", block).strip()
        if not block:
            continue
        if _is_table(block):  # a GFM table: one paragraph per cell, as Word tables are read
            table_refs = tuple(r for c in comments for r in refs_from_comment(c))
            for cell in _table_cells(block):
                paragraphs.append(DraftParagraph(len(paragraphs) + 1, cell, "", 0, False, True, comments, table_refs))
            continue
        level, is_title = 0, False
        m = re.match(r"^(#{1,6})\s+(.*)$", block, flags=re.S)
        if m:
            n = len(m[1])
            # "# " is the document title; "## " … are heading levels 1..4.
            is_title, level = n == 1, max(0, n - 1)
            block = m[2]
        # the line syntax (quotes, bullets, emphasis, links, tables) is read as sources are
        lines = [ln.strip() for ln in markdown_lines(block)[0] if ln.strip()]
        text = ""
        for ln in lines:  # Chinese lines join without a space, Latin ones with one
            text += (" " if text and re.match(r"[A-Za-z0-9]", ln[0]) and re.search(r"[A-Za-z0-9]$", text) else "") + ln
        if not text:
            continue
        style = "Title" if is_title else (f"Heading {level}" if level else "")
        refs = [r for c in comments for r in refs_from_comment(c)]
        entry = _match_sidecar(text, entries)
        if entry:
            refs.extend(_refs_of(entry))
        paragraphs.append(
            DraftParagraph(
                len(paragraphs) + 1,
                text,
                style,
                level,
                is_title,
                False,
                comments,
                tuple(refs),
                None,
                *_writer_marks(text, entry),
            )
        )
    return Draft(path, "md", tuple(paragraphs), sidecar, _sidecar_paths(entries), None, *_voice_of(sidecar))


_TABLE_DELIMITER = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def _is_table(block: str) -> bool:
    """A GFM table: every line starts with “|” and the second is the delimiter row."""
    lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
    return len(lines) >= 2 and all(ln.startswith("|") for ln in lines) and bool(_TABLE_DELIMITER.match(lines[1]))


def _table_cells(block: str) -> list[str]:
    """The non-empty cells of a GFM table, row by row, without Markdown escapes."""
    cells = []
    for i, line in enumerate(ln.strip() for ln in block.split("\n") if ln.strip()):
        if i == 1:
            continue  # the delimiter row
        for cell in re.split(r"(?<!\\)\|", line.strip().strip("|")):
            text = re.sub(r"\\([\\`*_<>\[\]|#+\-.!])", r"\1", cell.strip())
            if text:
                cells.append(text)
    return cells


def read_draft(path: Path) -> Draft:
    """Read a .docx or .md draft; UsageError for a missing file or another format."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"找不到要检查的文档：{path}。请检查路径拼写。")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return read_docx(path)
    if suffix in (".md", ".markdown", ".txt"):
        return read_markdown(path)
    raise UsageError(f"无法检查 {path}：只支持 .docx 和 .md 文档。请先在 Word 中另存为 .docx。")
