"""Starting the window: logging, the error dialog, settings, and the adapters it is handed."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path

import platformdirs

from mockinterviewer import __version__, paths
from mockinterviewer.settings import Settings, make_player, make_recorder, make_speaker, make_transcriber

log = logging.getLogger("mockinterviewer")

STYLE = """
QLabel#title { font-size: 20px; font-weight: 600; }
QLabel#question { font-size: 22px; font-weight: 600; padding: 8px 0; }
QLabel#progress, QLabel#status { color: palette(placeholder-text); }
QLabel#state { font-size: 15px; font-weight: 600; }
QLabel#state[recording="true"] { color: #c62828; }
QLabel#score { font-size: 18px; font-weight: 600; }
QLabel#message, QLabel#warning { color: #b26a00; }
"""


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(paths.APP, appauthor=False))


def setup_logging() -> None:
    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(folder / "mockinterviewer.log", maxBytes=1_000_000,
                                                       backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def show_unexpected_error(exc: BaseException, parent=None) -> None:
    """An error nobody planned for: logged, and shown with details to copy; the app carries on."""
    from PySide6.QtWidgets import QMessageBox

    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("unexpected error\n%s", details)
    box = QMessageBox(QMessageBox.Icon.Critical, "Something went wrong",
                      f"Mock Interviewer hit an unexpected error: {exc}\n\nYour saved answers are safe. "
                      f"Details are in the log folder: {log_dir()}", parent=parent)
    box.setDetailedText(f"Mock Interviewer {__version__}\n{details}")
    box.open()


def load_settings() -> Settings:
    from PySide6.QtCore import QSettings

    store = QSettings()
    get = lambda key: store.value(key) or None  # noqa: E731
    return Settings().with_(model=get("model"), device=get("device"), input_device=get("input_device"),
                            output_device=get("output_device"), voice=get("voice"))


def build_window(settings: Settings, bank_dirs=None, recordings_dir=None):
    """The main window with real adapters; also used by the tests, which pass their own folders."""
    from mockinterviewer.gui.controller import SessionController
    from mockinterviewer.gui.main_window import MainWindow

    player = make_player(settings)
    controller = SessionController(
        transcriber=make_transcriber(settings), recorder=make_recorder(settings),
        speaker=make_speaker(settings, player), recordings_dir=recordings_dir or paths.recordings_dir(),
        on_unexpected=show_unexpected_error)
    return MainWindow(controller, bank_dirs=bank_dirs)


def run_window(argv: list[str]) -> int:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from mockinterviewer.errors import UserError

    app = QApplication([sys.argv[0], *argv])
    app.setApplicationName(paths.APP)
    app.setOrganizationName(paths.APP)
    app.setApplicationVersion(__version__)
    icon = paths.assets_dir() / "mockinterviewer.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    app.setStyleSheet(STYLE)
    setup_logging()
    sys.excepthook = lambda t, e, tb: show_unexpected_error(e.with_traceback(tb))
    try:
        window = build_window(load_settings())
    except UserError as exc:  # a bad setting: say so, and start with the defaults
        QMessageBox.warning(None, "Settings", f"{exc} The default settings are used instead.")
        window = build_window(Settings())
    window.show()
    return app.exec()
