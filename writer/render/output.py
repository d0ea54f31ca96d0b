"""Writing output files safely: atomically, never over a user's file unless asked.

``atomic_write`` writes a temp file in the target folder and moves it into place, so a
crash never leaves half a .docx; without ``overwrite=True`` it refuses an existing
target (and, where the file system allows hard links, the final step itself cannot
clobber a file that appeared meanwhile).  ``safe_filename`` turns a title into a
file name that every common file system accepts.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from writer.errors import UsageError, WriterError

MAX_NAME_CHARS = 60
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def atomic_write(path: Path | str, data: bytes | str, *, overwrite: bool = False) -> Path:
    """Write ``data`` (str is written as UTF-8) to ``path`` via a temp file + rename."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise UsageError(f"输出文件已存在：{path}。请换一个输出路径，或明确要求覆盖（--force）。")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriterError(f"无法创建输出文件夹 {folder}：{exc.strerror}。请检查路径和权限。") from exc
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriterError(f"无法在 {folder} 里写文件：{exc.strerror}。请检查权限。") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        if overwrite:
            os.replace(tmp, path)
        else:
            _move_no_clobber(tmp, path)
    except FileExistsError as exc:
        raise UsageError(f"输出文件已存在：{path}。请换一个输出路径，或明确要求覆盖（--force）。") from exc
    except OSError as exc:
        raise WriterError(f"写入 {path} 失败：{exc.strerror}。请检查磁盘空间和权限。") from exc
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _move_no_clobber(tmp: Path, path: Path) -> None:
    try:
        os.link(tmp, path)  # fails with FileExistsError if the target appeared meanwhile
    except (OSError, NotImplementedError) as exc:
        if isinstance(exc, FileExistsError):
            raise
        # file systems without hard links (FAT, some shares): checked rename instead
        if path.exists():
            raise FileExistsError(str(path)) from exc
        os.replace(tmp, path)


def safe_filename(title: str, default: str = "未命名材料") -> str:
    """A file name from a title: forbidden characters removed, spaces tidied, ≤ 60 characters."""
    text = unicodedata.normalize("NFC", title or "")
    text = re.sub(r"\s+", " ", text)  # newlines and tabs become one space first
    text = _FORBIDDEN.sub("", text).strip()
    text = text[:MAX_NAME_CHARS].strip()
    text = text.strip(". ")  # Windows drops trailing dots/spaces; a leading dot hides the file
    if not text:
        return default
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = "_" + text
    return text
