"""Issue 7's promise, with the real window in a real process: practise, get killed, restart, and the
session is in the history with the answer that was being recorded recovered into it."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from PySide6.QtCore import Qt

from mockinterviewer.store import History
from mockinterviewer.speech.recovery import unfinished
from tests.test_window import BIAS_ANSWER, DATA

PRACTISE_THEN_WAIT = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication
    from mockinterviewer.core.session import Order, State
    from mockinterviewer.gui.app import build_window
    from mockinterviewer.settings import Settings

    app = QApplication([])
    data, banks = Path(sys.argv[1]), Path(sys.argv[2])
    # The microphone speaks in real time; the first answer ends after 2 s of quiet.
    settings = Settings(input_device="rtmic", silence_stop_seconds=2, max_answer_seconds=60)
    window = build_window(settings, bank_dirs=[banks], recordings_dir=data / "recordings")
    window.show()
    def until(test):
        while not test():  # the app's own loop, handling events as they come (5 ms at most without one)
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
    until(lambda: window.setup_page.start_button.isEnabled())
    window.setup_page.order_box.setCurrentIndex(window.setup_page.order_box.findData(Order.IN_ORDER))
    window.setup_page.count_box.setValue(2)
    saved = []
    window.history.saved.connect(saved.append)
    window.setup_page.start_button.click()
    until(lambda: saved)                 # question 1 answered by voice, scored and in the history
    print("SAVED", saved[0].score, flush=True)
    window.controller.silence_stop_seconds = 0  # question 2 records until the app is killed
    window.controller.next()             # question 2: recording starts...
    until(lambda: window.controller.recording)
    recorder = window.controller.recorder
    until(lambda: recorder.path is not None and recorder.path.name.startswith("02-")
          and recorder.path.exists() and recorder.path.stat().st_size > 44100 * 2 * 8)  # 8 s on disk
    os.kill(os.getpid(), signal.SIGKILL)  # ...and the app dies in the middle of the answer
""")


def read_line_starting(proc, prefix: str, timeout: float) -> str:
    """The child's first output line that starts with ``prefix`` (pyttsx3's espeak driver prints too)."""
    import selectors

    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if sel.select(timeout=deadline - time.monotonic()):
                line = proc.stdout.readline()
                assert line, "the practising app ended before saving the first answer"
                if line.startswith(prefix):
                    return line
    raise AssertionError(f"the practising app printed no {prefix!r} line in {timeout:.0f} s")


def test_killed_mid_session_then_restarted_the_history_has_every_answer(qtbot, open_window, realtime_mic, espeak,
                                                                         tmp_path):
    realtime_mic(wav=espeak(BIAS_ANSWER, tmp_path / "bias.wav"))
    proc = subprocess.Popen([sys.executable, "-c", PRACTISE_THEN_WAIT, str(tmp_path), str(DATA)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=os.environ.copy())
    try:
        line = read_line_starting(proc, "SAVED ", timeout=120)
        assert proc.wait(timeout=120) == -signal.SIGKILL
    finally:  # whatever happened, the child does not outlive the test
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    first_score = int(line.split()[1])
    assert proc.wait(timeout=60) == -signal.SIGKILL
    recordings = tmp_path / "recordings"
    (found,) = unfinished(recordings)
    assert found.name == "02-prevent-overfitting.wav"

    window = open_window()  # the restart, on the same folders
    banner = window.recovery
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=20_000)
    assert "How do you prevent overfitting?" in banner.label.text()
    saved = []
    window.history.saved.connect(saved.append)
    qtbot.mouseClick(banner.score_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(saved), timeout=60_000)

    with History(data_dir=tmp_path) as history:
        (session,) = history.sessions()
        attempts = history.attempts(session.id)
    assert [a.question_id for a in attempts] == ["bias-variance-tradeoff", "prevent-overfitting"]
    assert attempts[0].score == first_score
    assert all(Path(a.audio).suffix == ".flac" and Path(a.audio).exists() for a in attempts)
    assert not unfinished(recordings)  # nothing is offered again at the next start

    # The restarted window's history page shows the session, with both answers.
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    page = window.history_page
    qtbot.waitUntil(lambda: page.sessions_model.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: page.answers_model.rowCount() == 2, timeout=10_000)
    # ...and it exports to every report format.
    written = []
    for fmt in ("html", "md", "pdf", "json", "csv"):
        with qtbot.waitSignal(window.background.busyChanged, check_params_cb=lambda busy: not busy, timeout=30_000):
            window.export_report(page.selected_session_id, tmp_path / f"killed.{fmt}", written.append)
    assert len(written) == 5 and all(p.stat().st_size > 0 for p in written)
    assert "How do you prevent overfitting?" in (tmp_path / "killed.md").read_text()
    assert (tmp_path / "killed.csv").read_text().count("\n") == 3  # a header and one row per answer


def test_a_damaged_history_is_reported_and_rebuilt_without_losing_answers(qtbot, open_window, tmp_path):
    from mockinterviewer import paths

    window = open_window()
    start = window.setup_page
    start.count_box.setValue(1)
    window.history.opened.connect(lambda _h: None)
    qtbot.waitUntil(lambda: window.history.history is not None, timeout=10_000)
    window.start_session([start.banks[0].questions[0]])
    qtbot.waitUntil(lambda: window.question_page.type_button.isVisible(), timeout=30_000)
    window.question_page.show_typing()
    window.controller.submit_typed("High bias means underfitting and high variance means overfitting.")
    saved = []
    window.history.saved.connect(saved.append)
    qtbot.waitUntil(lambda: bool(saved), timeout=10_000)
    window.close()
    window.history.runner.wait(10_000)

    db = tmp_path / paths.HISTORY_DB_NAME
    db.write_bytes(b"this is not a database" * 100)  # damaged: a disk error, a bad copy
    for extra in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        extra.unlink(missing_ok=True)
    again = open_window()
    banner = again.history_banner
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=10_000)
    assert banner.rebuild_button.isVisible() and "recordings are safe" in banner.label.text()
    qtbot.mouseClick(banner.rebuild_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.history.history is not None, timeout=20_000)
    assert not banner.rebuild_button.isVisible()
    with History(data_dir=tmp_path) as history:
        (session,) = history.sessions()
        assert [a.score for a in history.attempts(session.id)] == [saved[0].score]
    assert any(p.name.startswith(db.name) and p != db for p in tmp_path.iterdir())  # the damaged file, kept aside


def test_history_page_after_a_session_then_export_every_format_and_the_archive(qtbot, open_window, tmp_path):
    window = open_window()
    qtbot.waitUntil(lambda: window.history.history is not None, timeout=10_000)
    questions = window.setup_page.banks[0].questions
    window.start_session(list(questions[:2]))
    for text in ("High bias means underfitting and high variance means overfitting; cross validation helps.",
                 "<b>Dropout</b> & L2 regularisation, and early stopping."):
        qtbot.waitUntil(lambda: window.question_page.type_button.isVisible(), timeout=30_000)
        window.question_page.show_typing()
        window.controller.submit_typed(text)
        qtbot.keyClick(window, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary_page, timeout=20_000)

    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    page = window.history_page
    assert window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: page.sessions_model.rowCount() == 1, timeout=10_000)

    written = []
    for fmt in ("html", "md", "pdf", "json", "csv"):
        with qtbot.waitSignal(window.background.busyChanged, check_params_cb=lambda busy: not busy, timeout=30_000):
            window.export_report(page.selected_session_id, tmp_path / f"report.{fmt}", written.append)
    assert [p.suffix for p in written] == [".html", ".md", ".pdf", ".json", ".csv"]
    html_text = (tmp_path / "report.html").read_text()
    assert "&lt;b&gt;Dropout&lt;/b&gt; &amp; L2" in html_text and "<b>Dropout</b>" not in html_text
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert "The report is saved as" in window.last_message.text()

    archive = tmp_path / "moving.zip"
    with qtbot.waitSignal(window.background.busyChanged, check_params_cb=lambda busy: not busy, timeout=30_000):
        window.export_archive(archive)
    assert archive.exists() and "import it on another computer" in window.last_message.text()


def test_the_export_message_offers_to_open_what_it_wrote(qtbot, open_window, tmp_path):
    from PySide6.QtCore import QObject, QUrl, Slot
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    window = open_window()
    qtbot.waitUntil(lambda: window.history.history is not None, timeout=10_000)
    window.start_session(list(window.setup_page.banks[0].questions[:1]))
    qtbot.waitUntil(lambda: window.question_page.type_button.isVisible(), timeout=30_000)
    window.question_page.show_typing()
    window.controller.submit_typed("High bias means underfitting.")
    qtbot.keyClick(window, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary_page, timeout=20_000)
    session = window.history.history.last_session().id
    report = tmp_path / "report.html"
    with qtbot.waitSignal(window.background.busyChanged, check_params_cb=lambda busy: not busy, timeout=30_000):
        window.export_report(session, report)
    box = window.last_message
    buttons = {b.text(): b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.ActionRole}
    assert set(buttons) == {"Open the report", "Show its folder"}

    class Opened(QObject):  # stands in for the desktop's browser: records what would be opened
        def __init__(self):
            super().__init__()
            self.urls = []

        @Slot(QUrl)
        def open(self, url):
            self.urls.append(url)

    opened = Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        qtbot.mouseClick(buttons["Open the report"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(opened.urls) == 1, timeout=5_000)
        assert opened.urls[0].toLocalFile() == str(report) and report.is_file()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    box.close()
