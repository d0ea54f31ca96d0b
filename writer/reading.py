"""Reading source files: find them, detect their encoding, extract their text.

STUB — being implemented.  Interface:

    SUPPORTED = {".txt": "txt", ".md": "md", ".docx": "docx", ".html": "html", ".htm": "html"}
    discover(paths) -> list[Path]          # files under the given paths, sorted; UsageError if a path is missing
    decode_bytes(data) -> (text, encoding) # BOM, strict UTF-8, strict GB18030, then chardet; InputError if not text
    read_document(path) -> RawDocument     # InputError when no readable text
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from writer.errors import InputError, UsageError

SUPPORTED = {".txt": "txt", ".md": "md", ".docx": "docx", ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class RawDocument:
    path: str  # as shown to the user
    format: str  # txt | md | docx | html
    encoding: str
    text: str  # decoded text; for docx one line per paragraph; newlines normalised to \n
    line_styles: tuple[str | None, ...]  # per line: "Title", "Heading 1".. for docx, else ()
    sha256: str


def discover(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if not p.exists():
            raise UsageError(f"找不到路径：{p}。请检查路径拼写，或先把素材放进该文件夹。")
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED))
        else:
            files.append(p)
    return files


def decode_bytes(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"


def read_document(path: Path) -> RawDocument:
    data = path.read_bytes()
    text, enc = decode_bytes(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fmt = SUPPORTED.get(path.suffix.lower(), "txt")
    return RawDocument(str(path), fmt, enc, text, (), hashlib.sha256(data).hexdigest())
