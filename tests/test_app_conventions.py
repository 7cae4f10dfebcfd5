"""App-wide conventions: one running instance, the error dialog, logs, the colour scheme, the icon."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import uuid

import pytest
from PySide6.QtCore import QObject, QSize, Qt, QUrl, Slot
from PySide6.QtGui import QColor, QDesktopServices, QPalette
from PySide6.QtNetwork import QLocalServer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton

from mockinterviewer.gui import app as app_module
from mockinterviewer.gui import error_dialog
from tests.conftest import ROOT

# A stand-in for the app's start-up that stops after the single-instance step.
INSTANCE = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QCoreApplication, QTimer
    from mockinterviewer.gui.single_instance import SingleInstance
    app = QCoreApplication([])
    instance = SingleInstance(sys.argv[1])
    if not instance.claim():
        print("second: told the first", flush=True)
        sys.exit(0)
    print("first: listening", flush=True)
    instance.activated.connect(lambda: (print("first: raised", flush=True), app.quit()))
    QTimer.singleShot(30000, lambda: app.exit(3))
    sys.exit(app.exec())
""")


def launch(name: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", INSTANCE, name], cwd=ROOT, stdout=subprocess.PIPE, text=True)


def test_a_second_launch_raises_the_first_and_exits(tmp_path):
    name = f"MockInterviewer-test-{uuid.uuid4().hex[:8]}"
    first = launch(name)
    try:
        assert first.stdout.readline().strip() == "first: listening"
        second = subprocess.run([sys.executable, "-c", INSTANCE, name], cwd=ROOT, capture_output=True, text=True,
                                timeout=60)
        assert (second.returncode, second.stdout.strip()) == (0, "second: told the first")
        out, _ = first.communicate(timeout=60)
        assert out.strip() == "first: raised" and first.returncode == 0
    finally:
        first.kill()
        first.wait()
        QLocalServer.removeServer(name)


def test_a_socket_left_by_a_crashed_instance_does_not_block_the_next_start():
    name = f"MockInterviewer-test-{uuid.uuid4().hex[:8]}"
    crashed = launch(name)
    try:
        assert crashed.stdout.readline().strip() == "first: listening"
    finally:
        os.kill(crashed.pid, signal.SIGKILL)  # no clean-up: its socket file stays behind
        crashed.wait()
    again = launch(name)
    try:
        assert again.stdout.readline().strip() == "first: listening"
    finally:
        again.kill()
        again.wait()
        QLocalServer.removeServer(name)


def test_the_real_start_up_exits_0_when_the_window_is_already_open(qtbot, qapp):
    from mockinterviewer.gui.single_instance import SingleInstance

    running = SingleInstance()  # this test process plays the open window
    # The settings folder is this test run's own (conftest), so nothing else can hold it.
    assert running.claim(), "another instance holds this test run's settings folder"
    second = None
    try:
        code = "import sys; from mockinterviewer.gui.app import run_window; sys.exit(run_window([]))"
        with qtbot.waitSignal(running.activated, timeout=60_000):
            second = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
        assert second.wait(timeout=60) == 0
    finally:
        running.release()
        if second is not None and second.poll() is None:  # it opened a window after all: not left running
            second.kill()
            second.wait()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_shows_the_error_dialog_and_the_app_carries_on(qtbot, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back afterwards
    error_dialog.setup_logging()
    error_dialog.install_excepthook()
    button = QPushButton("Break")
    qtbot.addWidget(button)
    clicks = []
    button.clicked.connect(lambda: clicks.append(1))
    button.clicked.connect(lambda: {}["no such key"])  # a bug in a slot
    button.show()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def dialog():
        return next((w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QMessageBox) and w.isVisible() and w.windowTitle() == "Something went wrong"), None)
    qtbot.waitUntil(lambda: dialog() is not None)
    box = dialog()
    assert "unexpected error: 'no such key'" in box.text() and "Your saved answers are safe" in box.text()
    assert "Traceback" in box.detailedText() and "KeyError: 'no such key'" in box.detailedText()
    assert "KeyError: 'no such key'" in (error_dialog.log_dir() / "mockinterviewer.log").read_text()
    box.close()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # still alive and answering
    assert len(clicks) == 2
    qtbot.waitUntil(lambda: dialog() is not None)  # the same bug, shown again
    dialog().close()


class _Opened(QObject):
    def __init__(self):
        super().__init__()
        self.urls = []

    @Slot(QUrl)
    def open(self, url):
        self.urls.append(url)


def test_open_log_folder_opens_the_folder_the_log_file_is_in(qapp):
    error_dialog.setup_logging()
    error_dialog.log.info("a line to find")
    opened = _Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")  # where the file manager would be asked
    try:
        assert error_dialog.open_log_folder()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    folder = error_dialog.log_dir()
    assert [u.toLocalFile() for u in opened.urls] == [str(folder)]
    assert "a line to find" in (folder / "mockinterviewer.log").read_text()


def _contrast(a: QColor, b: QColor) -> float:
    def luminance(c):
        channels = [v / 255 for v in (c.red(), c.green(), c.blue())]
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.WindowText, "#e8eaed"),
                         (QPalette.ColorRole.Base, "#2b2c2f"), (QPalette.ColorRole.Text, "#e8eaed")):
        palette.setColor(role, QColor(colour))
    return palette


def test_accents_stay_readable_in_light_and_dark_schemes(qtbot, qapp):
    original_palette, original_sheet = qapp.palette(), qapp.styleSheet()
    try:
        app_module.follow_color_scheme(qapp)
        for dark in (False, True):
            if dark:  # what the platform does when the desktop turns dark
                qapp.setPalette(_dark_palette())
                qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
            for name in ("warning", "state"):
                label = QLabel("Recording" if name == "state" else "No microphone was found.")
                label.setObjectName(name)
                label.setProperty("recording", name == "state")
                qtbot.addWidget(label)
                label.ensurePolished()
                text = label.palette().color(QPalette.ColorRole.WindowText)
                background = qapp.palette().color(QPalette.ColorRole.Window)
                assert _contrast(text, background) >= 4.5, (name, dark, text.name(), background.name())
        assert app_module.ACCENTS["dark"]["warning"] in qapp.styleSheet()
    finally:
        qapp.setPalette(original_palette)
        qapp.setStyleSheet(original_sheet)


def test_the_window_icon_is_sharp_at_any_scale(qapp):
    app_module.set_identity(qapp)
    icon = qapp.windowIcon()
    assert not icon.isNull()
    assert icon.pixmap(QSize(512, 512)).size() == QSize(512, 512)  # drawn from the SVG, not blown up
    hidpi = icon.pixmap(QSize(32, 32), 2.0)
    assert hidpi.devicePixelRatio() == 2.0 and hidpi.size() == QSize(64, 64)
