"""The window's start with a settings file that cannot be used as it is: the real start-up code
(open_main_window), real QSettings in this run's isolated config folder, the real window. Each
bad value falls back with one sentence shown over the window, which starts and keeps running."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from mockinterviewer import paths
from mockinterviewer.gui.settings.store import Key
from mockinterviewer.settings import Settings

DATA = Path(__file__).parent / "data"


@pytest.fixture
def start(qtbot, qapp):
    """Write the settings (values, or the raw bytes of the file), then start the window as the app does."""
    from mockinterviewer.gui.app import open_main_window, set_identity

    set_identity(qapp)
    settings_file = Path(QSettings().fileName())
    windows = []

    def run(values: dict | None = None, raw: bytes | None = None):
        QSettings().clear()
        if raw is not None:
            settings_file.parent.mkdir(parents=True, exist_ok=True)
            settings_file.write_bytes(raw)
        else:
            store = QSettings()
            for key, value in (values or {}).items():
                store.setValue(key.key, value)
            store.sync()
        window, box = open_main_window(QSettings(), bank_dirs=[DATA])
        qtbot.addWidget(window)
        windows.append(window)
        qtbot.waitUntil(lambda: window.setup_page.start_button.isEnabled(), timeout=20_000)
        qtbot.waitUntil(lambda: window.history.history is not None, timeout=20_000)  # the data folder works
        assert window.isVisible() and not _unexpected_error_boxes()
        return window, box

    yield run
    for window in windows:
        window.close()
        assert window.wait_for_background()
    QSettings().clear()
    QSettings().sync()
    settings_file.unlink(missing_ok=True)


def _unexpected_error_boxes():
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible() and w.windowTitle() == "Something went wrong"]


def _said(box) -> list[str]:
    assert box is not None and box.isVisible() and box.windowTitle() == "Settings"
    return box.text().splitlines()


@pytest.mark.parametrize("rate", ["inf", "1e400", "-inf"])
def test_a_speech_rate_that_is_not_a_finite_number_falls_back_and_the_window_starts(start, rate):
    window, box = start({Key.RATE: rate})
    assert _said(box) == [f"The saved setting tts/rate = {rate!r} is not 100–250 words a minute, "
                          "so the default is used."]
    assert window.controller.settings.rate is None


# Started in a child process: with the old code a 10 MB model name crashed the process loading it.
_CHILD = """
import json, sys
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from mockinterviewer.gui.app import open_main_window, set_identity

app = QApplication([])
set_identity(app)
store = QSettings()
store.setValue(sys.argv[1], "x" * (10 * 1024 * 1024))
store.sync()
window, box = open_main_window(QSettings(), bank_dirs=[sys.argv[2]])

def ready():
    page = window.setup_page
    if page.start_button.isEnabled() and window.history.history is not None and (
            "model" in page.model_label.text() and not page.model_label.text().startswith("Loading")):
        print(json.dumps({"box": box.text() if box else None, "visible": window.isVisible(),
                          "model": page.model_label.text()}), flush=True)
        app.quit()

timer = QTimer()
timer.timeout.connect(ready)
timer.start(50)
app.exec()
window.close()
assert window.wait_for_background()
"""


@pytest.mark.parametrize("key", [Key.VOICE, Key.MODEL, Key.INPUT_DEVICE, Key.DATA_DIR])
def test_a_10_mb_settings_value_falls_back_and_the_window_starts(tmp_path, key):
    import json
    import os
    import subprocess
    import sys
    import time

    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    started = time.monotonic()
    child = subprocess.run([sys.executable, "-c", _CHILD, key.key, str(DATA)], capture_output=True, text=True,
                           env=env, timeout=120)
    assert child.returncode == 0, child.stderr[-2000:]
    assert time.monotonic() - started < 60
    shown = json.loads(child.stdout.splitlines()[-1])
    assert shown["visible"] and shown["model"].startswith("Speech model ready")
    assert shown["box"].splitlines() == [
        f"The saved setting {key.key} is 10,485,760 characters long, far more than {key.expected} needs, "
        f"so the default{f' ({Settings().model})' if key is Key.MODEL else ''} is used."]


@pytest.mark.parametrize("case", ["a file", "under a file"])
def test_a_data_folder_that_cannot_be_used_falls_back_to_the_default_with_a_sentence(start, tmp_path, case):
    blocker = tmp_path / "interviews"
    blocker.write_text("not a folder")
    chosen = blocker if case == "a file" else blocker / "history"
    window, box = start({Key.DATA_DIR: str(chosen)})
    reason = "it is a file, not a folder" if case == "a file" else "Not a directory"
    assert _said(box) == [f"The data folder {chosen} cannot be used ({reason}), so the default folder "
                          f"{paths.data_dir()} is used."]
    assert window.controller.recordings_dir == paths.data_dir() / "recordings"
    assert blocker.read_text() == "not a folder"
    assert QSettings().value(Key.DATA_DIR.key) == str(chosen)  # the choice is kept for when it works


def test_a_garbage_settings_file_is_named_and_the_window_starts_with_defaults(start):
    import random

    garbage = bytes(random.Random(13).randrange(256) for _ in range(3000))
    window, box = start(raw=garbage)
    assert _said(box) == [f"The settings file {QSettings().fileName()} is damaged, so any setting that could "
                          "not be read from it is back to its default."]
