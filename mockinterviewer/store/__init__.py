"""The practice history: SQLite storage, FLAC audio, archives and recovery (no Qt here)."""

from mockinterviewer.store.errors import (ArchiveError, DiskFullError, HistoryDamagedError, HistoryError,
                                          HistoryTooNewError, UnknownSessionError)
from mockinterviewer.store.history import Attempt, History, SessionInfo

__all__ = ["ArchiveError", "Attempt", "DiskFullError", "History", "HistoryDamagedError", "HistoryError",
           "HistoryTooNewError", "SessionInfo", "UnknownSessionError"]
