"""Starting the window: one instance, the colour scheme, settings, and the adapters the window is
handed (logging and the error dialog are in gui/error_dialog.py)."""

from __future__ import annotations

import logging
import sys

from mockinterviewer import __version__, paths
from mockinterviewer.gui.error_dialog import install_excepthook, setup_logging, show_unexpected_error
from mockinterviewer.settings import (Settings, make_player, make_recorder, make_speaker, make_transcriber,
                                     with_connected_devices, with_usable_data_folder)

log = logging.getLogger("mockinterviewer")

# Colours are palette roles where Qt has one; the two accents it lacks have a value per scheme,
# each readable on that scheme's window background.
ACCENTS = {
    "light": {"recording": "#c62828", "warning": "#8a5300"},
    "dark": {"recording": "#ff8a80", "warning": "#ffc266"},
}
STYLE = """
QLabel#title {{ font-size: 20px; font-weight: 600; }}
QLabel#question {{ font-size: 22px; font-weight: 600; padding: 8px 0; }}
QLabel#progress, QLabel#status {{ color: palette(placeholder-text); }}
QLabel#state {{ font-size: 15px; font-weight: 600; }}
QLabel#state[recording="true"] {{ color: {recording}; }}
QLabel#score {{ font-size: 18px; font-weight: 600; }}
QLabel#message, QLabel#warning {{ color: {warning}; }}
"""


def style_sheet(dark: bool) -> str:
    return STYLE.format(**ACCENTS["dark" if dark else "light"])


def is_dark(app) -> bool:
    """The system's scheme when it says; otherwise what the palette in use looks like."""
    from PySide6.QtCore import Qt

    scheme = app.styleHints().colorScheme()
    if scheme != Qt.ColorScheme.Unknown:
        return scheme == Qt.ColorScheme.Dark
    return app.palette().window().color().lightness() < 128


def follow_color_scheme(app) -> None:
    """Restyle now and whenever the system switches between light and dark."""
    from PySide6.QtCore import Qt

    def apply(scheme=None):
        dark = scheme == Qt.ColorScheme.Dark if scheme not in (None, Qt.ColorScheme.Unknown) else is_dark(app)
        app.setStyleSheet(style_sheet(dark))
    app.styleHints().colorSchemeChanged.connect(apply)
    apply()


def set_identity(app) -> None:
    """Names QSettings and platformdirs agree on, and the icon (SVG: sharp at any scale)."""
    from PySide6.QtGui import QIcon

    app.setApplicationName(paths.APP)
    app.setOrganizationName(paths.APP)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("mockinterviewer")
    icon = paths.assets_dir() / "mockinterviewer.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))


def build_window(settings: Settings, bank_dirs=None, recordings_dir=None):
    """The main window with real adapters; also used by the tests, which pass their own folders."""
    from mockinterviewer.gui.session.controller import SessionController
    from mockinterviewer.gui.main_window import MainWindow

    player = make_player(settings)
    controller = SessionController(
        transcriber=make_transcriber(settings), recorder=make_recorder(settings),
        speaker=make_speaker(settings, player), recordings_dir=recordings_dir or settings.recordings_folder(),
        on_unexpected=show_unexpected_error)
    controller.silence_stop_seconds = settings.silence_stop_seconds
    controller.settings = settings
    return MainWindow(controller, bank_dirs=bank_dirs)


def run_window(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from mockinterviewer.gui.single_instance import SingleInstance, bring_to_front

    app = QApplication([sys.argv[0], *argv])
    set_identity(app)
    instance = SingleInstance()
    if not instance.claim():
        return 0  # the running window was asked to come to the front
    follow_color_scheme(app)
    setup_logging()
    install_excepthook()
    window, _problems = open_main_window()
    instance.activated.connect(lambda: bring_to_front(window))
    code = app.exec()
    window.wait_for_background()
    return code


def open_main_window(store=None, bank_dirs=None):
    """Read the settings, show the window, and over it a box with one sentence for each setting
    that could not be used (each falls back to what works); returns the window and that box."""
    from PySide6.QtWidgets import QMessageBox

    from mockinterviewer.errors import UserError
    from mockinterviewer.gui.settings import store as settings_store

    settings, problems = settings_store.load_settings(store)
    settings, notes = with_usable_data_folder(settings)
    problems += notes
    try:  # before any window exists, so nothing waits on the device query
        settings, notes = with_connected_devices(settings)
        problems += notes
    except UserError as exc:  # no PortAudio: the window offers typed answers
        problems.append(str(exc))
    try:
        window = build_window(settings, bank_dirs=bank_dirs)
    except UserError as exc:  # a bad setting: say so, and start with the defaults
        problems.append(f"{exc} The default settings are used instead.")
        window = build_window(Settings(), bank_dirs=bank_dirs)
    problems += window.startup_problems
    window.show()
    box = None
    if problems:  # shown over the window, which keeps running
        box = QMessageBox(QMessageBox.Icon.Warning, "Settings", "\n".join(problems), parent=window)
        box.open()
    return window, box
