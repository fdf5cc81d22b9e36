"""Errors of a refresh, each with the exit status the CLI returns for it.

Bad parameters or notebooks that do not declare the pipeline's parameters are
``QyeduError`` (exit 2, raised before anything runs). A step that fails while running is a
``RefreshFailed`` (exit 1, nothing published). A refresh that finds another one holding the
lock is ``LockBusy`` (exit 3).
"""

from __future__ import annotations

from ..errors import QyeduError


class NotebookParamError(QyeduError):
    """A notebook does not declare (in its ``parameters`` cell) a parameter the pipeline passes."""


class RefreshFailed(RuntimeError):
    """A step of the refresh failed; the published reports, figures and data are unchanged."""

    exit_code = 1

    def __init__(self, message: str, report=None):
        super().__init__(message)
        self.report = report


class NotebookFailed(RefreshFailed):
    """A notebook raised while executing; its executed copy is kept in ``paths.failed_dir()``."""


class LockBusy(RuntimeError):
    """Another refresh holds the lock (and ``wait`` did not allow waiting long enough)."""

    exit_code = 3
