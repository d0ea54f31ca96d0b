"""One exception tree; the CLI turns it into exit codes (2 usage/config, 1 other).

Library code raises these and never prints or exits.  Messages are one line of
Chinese naming the file, the place and the fix.
"""

from __future__ import annotations

import errno


class WriterError(Exception):
    """An expected failure with a message meant for the user."""

    exit_code = 1


class UsageError(WriterError):
    """Bad command-line usage: a missing path, a wrong option value."""

    exit_code = 2


class ConfigError(WriterError):
    """A bad outline, style or template configuration."""

    exit_code = 2

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


class InputError(WriterError):
    """Input that exists but cannot be used (no readable text, corrupt file)."""

    exit_code = 1

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


def os_reason(exc: OSError) -> str:
    """An OS error's reason in Chinese (the system's own text is often English)."""
    reasons = {
        errno.ENOENT: "文件或文件夹不存在",
        errno.EACCES: "没有权限",
        errno.EPERM: "不允许此操作",
        errno.ENOSPC: "磁盘空间不足",
        errno.EROFS: "文件系统是只读的",
        errno.EEXIST: "已存在同名文件",
        errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
        errno.EISDIR: "这是一个文件夹",
        errno.ENAMETOOLONG: "文件名太长",
        errno.ELOOP: "符号链接循环",
        errno.EIO: "读写错误（磁盘或网络盘故障）",
        errno.EBUSY: "文件正被占用",
        errno.EXDEV: "不能跨磁盘移动",
        errno.EDQUOT: "超出磁盘配额",
        errno.EMFILE: "同时打开的文件太多",
        errno.EINVAL: "参数无效",
    }
    return reasons.get(exc.errno or -1, f"系统错误 {exc.errno}" if exc.errno else "系统错误")
