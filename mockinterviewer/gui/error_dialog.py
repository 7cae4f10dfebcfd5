"""The log file and the error nobody planned for: logged, and shown with details to copy."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path

import platformdirs

from mockinterviewer import __version__, paths

log = logging.getLogger("mockinterviewer")


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(paths.APP, appauthor=False))


def setup_logging() -> Path | None:
    """Log to a rotating file in the user log folder (to stderr if it cannot be made); once."""
    if any(getattr(h, "_mockinterviewer", False) for h in log.handlers):
        return None
    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(folder / "mockinterviewer.log", maxBytes=1_000_000,
                                                       backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler._mockinterviewer = True
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return folder


def open_log_folder() -> bool:
    """Show the log folder in the file manager (Help › Open log folder)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def show_unexpected_error(exc: BaseException, parent=None) -> None:
    """An error nobody planned for: logged, and shown with details to copy; the app carries on."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("unexpected error\n%s", details)
    box = QMessageBox(QMessageBox.Icon.Critical, "Something went wrong",
                      f"Mock Interviewer hit an unexpected error: {exc}\n\nYour saved answers are safe. "
                      f"Details are in the log folder: {log_dir()}", parent=parent or QApplication.activeWindow())
    box.setDetailedText(f"Mock Interviewer {__version__}\n{details}")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    _shown_boxes.add(box)  # without a parent, nothing else keeps the Python object (and the box) alive
    box.finished.connect(lambda _result: _shown_boxes.discard(box))
    box.open()


_shown_boxes: set = set()


def install_excepthook() -> None:
    """An exception escaping a slot reaches sys.excepthook (PySide6); show it instead of dying."""
    def hook(kind, exc, tb):
        if issubclass(kind, KeyboardInterrupt):
            return sys.__excepthook__(kind, exc, tb)
        show_unexpected_error(exc.with_traceback(tb))
    sys.excepthook = hook
