"""Writing output files safely: atomically, never over a user's file unless asked.

``write_set`` writes a set of files (a .docx, a .md, their sidecars) all or nothing:
every target is checked first, every file goes to a temporary in its folder, and only
then are the temporaries renamed into place; a failure or an interrupt puts back what
was there before and leaves no temporary, and temporaries a killed run left behind are
removed on the next write.  ``atomic_write`` is the one-file case.  Without
``overwrite=True`` an existing target is refused (and, where the file system allows
hard links, the final step itself cannot clobber a file that appeared meanwhile).  ``safe_filename`` turns a title into a
file name that every common file system accepts.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from writer.errors import UsageError, WriterError, os_reason

MAX_NAME_CHARS = 60
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def atomic_write(path: Path | str, data: bytes | str, *, overwrite: bool = False) -> Path:
    """Write ``data`` (str is written as UTF-8) to ``path`` via a temp file + rename."""
    return write_set([(Path(path), data)], overwrite=overwrite)[0]


def write_set(payloads: list[tuple[Path, bytes | str]], *, overwrite: bool = False) -> list[Path]:
    """Write several files as one set: all of them or none.

    Every target is checked first (a folder in the way fails even with ``overwrite``;
    an existing file fails without it), stale temporaries a killed run left beside
    the targets are removed, every file is written to a temporary in its folder,
    and only then are the temporaries renamed into place.  If anything fails or the
    run is interrupted (KeyboardInterrupt) before the last rename, the targets
    already renamed are put back as they were (previous files restored, new ones
    removed) and no temporary is left.  Returns the targets in order."""
    targets = [Path(p) for p, _ in payloads]
    for path in targets:
        _preflight(path, overwrite)
    for path in targets:
        remove_stale_temporaries(path)
    temps: list[Path] = []
    placed: list[tuple[Path, Path | None]] = []  # (target, backup of the previous file or None)
    try:
        for path, data in payloads:
            temps.append(_write_temporary(Path(path), data))
        for tmp, path in zip(temps, targets):
            backup = _backup(path) if overwrite else None
            try:
                _place(tmp, path, overwrite)
            except BaseException:
                if backup is not None:
                    backup.unlink(missing_ok=True)
                raise
            placed.append((path, backup))
    except BaseException as exc:
        _roll_back(placed)
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, FileExistsError):
            raise UsageError(
                f"输出文件已存在：{exc.filename or exc}。请换一个输出路径，或明确要求覆盖（--force）。"
            ) from exc
        if isinstance(exc, OSError) and not isinstance(exc, WriterError):
            raise WriterError(
                f"写入 {exc.filename or targets[0]} 失败：{os_reason(exc)}。请检查磁盘空间和权限。"
            ) from exc
        raise
    for _, backup in placed:
        if backup is not None:
            backup.unlink(missing_ok=True)
    return targets


def _preflight(path: Path, overwrite: bool) -> None:
    if path.is_dir():
        raise UsageError(f"输出位置 {path} 是一个文件夹，无法写成文件（--force 也不会删除文件夹）。请换一个输出路径。")
    if (path.exists() or path.is_symlink()) and not overwrite:
        raise UsageError(f"输出文件已存在：{path}。请换一个输出路径，或明确要求覆盖（--force）。")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"无法创建输出文件夹 {folder}：{os_reason(exc)}。请用 --out 换一个位置。") from exc


_TMP_MARK = ".writer-"
_OUTPUT_NAME = re.compile(r"^(.+)\.(?:docx|md)(?:\.sources\.json)?$")


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete ``.<name>.*.tmp`` files beside ``path``: what a killed run left behind
    while writing (or backing up) ``path``, or, for a draft's output, any file of the
    same title's sets (``稿.md``, ``稿-2.docx.sources.json`` …).  Returns what was removed."""
    folder = path.parent if str(path.parent) else Path(".")
    removed: list[Path] = []
    prefix = _temp_prefix(path)
    output = _OUTPUT_NAME.match(path.name)
    if output:  # a draft's set: also the sets of its free names (稿-2.md …) a killed run was writing
        base = re.sub(r"-\d+$", "", output.group(1))
        pattern = re.compile(rf"^\.{re.escape(base)}(?:-\d+)?\.(?:docx|md)(?:\.sources\.json)?\..+\.tmp$")
    else:
        pattern = re.compile(rf"^{re.escape(prefix)}.*\.tmp$")
    try:
        candidates = [p for p in folder.iterdir() if pattern.match(p.name)]
    except OSError:
        return removed
    for stale in candidates:
        try:
            if stale.is_file() and not stale.is_symlink():
                stale.unlink()
                removed.append(stale)
        except OSError:
            pass
    return removed


def _write_temporary(path: Path, data: bytes | str) -> Path:
    folder = path.parent if str(path.parent) else Path(".")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=_temp_prefix(path) + _TMP_MARK.lstrip("."), suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriterError(f"无法在 {folder} 里写文件：{os_reason(exc)}。请检查权限。") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _backup(path: Path) -> Path | None:
    """A hard link to the file about to be replaced, to put it back if the set fails."""
    if not path.exists():
        return None
    folder = path.parent if str(path.parent) else Path(".")
    backup = Path(tempfile.mktemp(prefix=_temp_prefix(path) + "writer-old-", suffix=".tmp", dir=folder))
    try:
        os.link(path, backup)
    except (OSError, NotImplementedError):
        return None  # no hard links here: the previous file cannot be kept
    return backup


def _place(tmp: Path, path: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, path)
    else:
        _move_no_clobber(tmp, path)


def _roll_back(placed: list[tuple[Path, Path | None]]) -> None:
    for path, backup in reversed(placed):
        try:
            if backup is not None:
                os.replace(backup, path)
            else:
                path.unlink(missing_ok=True)
        except OSError:
            pass


def _move_no_clobber(tmp: Path, path: Path) -> None:
    try:
        os.link(tmp, path)  # fails with FileExistsError if the target appeared meanwhile
    except FileExistsError as exc:
        raise FileExistsError(errno.EEXIST, "exists", str(path)) from exc
    except (OSError, NotImplementedError) as exc:
        # file systems without hard links (FAT, some shares): checked rename instead
        if path.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from exc
        os.replace(tmp, path)
        return
    tmp.unlink()


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
