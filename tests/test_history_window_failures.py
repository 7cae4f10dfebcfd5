"""The window with a history it cannot use: it says why in one sentence and keeps running, and a
typed answer still survives the rebuild it recommends (issue 13)."""

from PySide6.QtCore import Qt

from mockinterviewer import paths
from mockinterviewer.store import History

TYPED = "High bias means underfitting and high variance means overfitting."


def test_a_history_path_that_is_a_folder_is_said_and_the_window_keeps_running(qtbot, open_window, tmp_path):
    (tmp_path / paths.HISTORY_DB_NAME).mkdir()
    window = open_window()
    banner = window.history_banner
    qtbot.waitUntil(banner.isVisible, timeout=10_000)
    assert "is a folder, not a database file" in banner.label.text()
    assert not banner.rebuild_button.isVisible()  # moving it aside is for the user to decide
    assert window.isVisible() and window.setup_page.start_button.isEnabled()


def test_a_typed_answer_while_the_history_is_damaged_survives_the_rebuild(qtbot, open_window, tmp_path):
    db = tmp_path / paths.HISTORY_DB_NAME
    db.write_bytes(b"this is not a database" * 100)
    window = open_window()
    banner = window.history_banner
    qtbot.waitUntil(banner.isVisible, timeout=10_000)
    assert banner.rebuild_button.isVisible()
    question = window.setup_page.banks[0].questions[0]
    window.start_session([question])
    qtbot.waitUntil(lambda: window.question_page.type_button.isVisible(), timeout=30_000)
    window.question_page.show_typing()
    window.controller.submit_typed(TYPED)
    kept = lambda: list((tmp_path / "recordings").rglob("*.typed.result.json"))  # noqa: E731
    qtbot.waitUntil(lambda: bool(kept()), timeout=10_000)
    window.controller.next()  # the last question: the session ends
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary_page, timeout=10_000)
    window.history.runner.wait(10_000)

    qtbot.mouseClick(banner.rebuild_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.history.history is not None, timeout=20_000)
    with History(data_dir=tmp_path) as history:
        (session,) = history.sessions()
        (attempt,) = history.attempts(session.id)
    assert (attempt.question_id, attempt.transcript, session.source) == (question.id, TYPED, "window")
    assert session.finished_at is not None


def test_a_poisoned_archive_is_refused_in_the_window_which_keeps_its_history(qtbot, open_window, tmp_path):
    import json
    import zipfile

    window = open_window()
    qtbot.waitUntil(lambda: window.history.history is not None, timeout=10_000)
    archive = tmp_path / "poisoned.zip"
    with zipfile.ZipFile(archive, "w") as zf:  # the manifest of an archive, as a list
        zf.writestr("manifest.json", json.dumps([{"format": "mockinterviewer-history", "version": 1}]))
        zf.writestr("history.sqlite3", b"")
    before = window.last_message
    window.import_archive(archive)
    qtbot.waitUntil(lambda: window.last_message is not before, timeout=10_000)
    assert "poisoned.zip is not a Mock Interviewer history archive" in window.last_message.text()
    assert window.isVisible() and window.history.history.counts() == (0, 0)
