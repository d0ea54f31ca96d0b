"""One exception tree; the CLI turns it into exit codes (2 usage/config, 1 other).

Library code raises these and never prints or exits.  Messages are one line of
Chinese naming the file, the place and the fix.
"""

from __future__ import annotations


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
