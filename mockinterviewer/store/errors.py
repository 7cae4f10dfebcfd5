"""Problems with the practice history, each one sentence a user can act on."""

from __future__ import annotations

from mockinterviewer.errors import UserError


class HistoryError(UserError):
    """The history cannot be read or written."""


class HistoryDamagedError(HistoryError):
    """The database file is not a readable history; the recordings beside it are untouched."""

    def __init__(self, path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"The practice history {path} is damaged ({reason}); your recordings are safe, "
                         "and the history can be rebuilt from them (mockinterviewer history rebuild).")


class HistoryTooNewError(HistoryError):
    """Written by a later version of the app, whose tables this one does not know."""


class DiskFullError(HistoryError):
    """The disk filled up while saving; what was saved before is intact."""


class UnknownSessionError(HistoryError):
    """A session id that is not in the history."""


class ArchiveError(HistoryError):
    """A history archive that cannot be imported."""
