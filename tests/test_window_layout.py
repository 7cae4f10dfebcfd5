"""The window laid out for a 1024×640 screen and up: no control cut, no empty box, the score in view."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea

from mockinterviewer import paths
from mockinterviewer.core.session import State
from mockinterviewer.settings import Settings
from tests.test_window import BIAS_ANSWER, start, wait_state


@pytest.fixture(autouse=True)
def app_style(qapp):
    """The app's own style sheet, as the window has it (bigger question and score): the sizes a user sees."""
    from mockinterviewer.gui.app import style_sheet

    qapp.setStyleSheet(style_sheet(False))
    yield
    qapp.setStyleSheet("")


def fully_shown(widget, window) -> bool:
    """The whole widget is inside the window and as wide as its text needs."""
    top_left = widget.mapTo(window, widget.rect().topLeft())
    inside = top_left.x() >= 0 and top_left.x() + widget.width() <= window.width() \
        and top_left.y() + widget.height() <= window.height()
    return inside and widget.width() >= widget.sizeHint().width() and widget.isVisible()


def settle(window, width, height):
    window.resize(width, height)
    QApplication.processEvents()


def test_the_set_up_page_shows_every_control_whole_at_1024_by_640(qtbot, open_window):
    window = open_window(bank_dirs=[paths.questions_dir()])
    page = window.setup_page
    window.resize(1024, 640)
    QApplication.processEvents()
    assert (window.width(), window.height()) == (1024, 640), "the window would not fit a 1024×640 screen"
    for widget in (page.count_box, page.shown_label, page.order_box, page.mode_box, page.limit_box,
                   page.history_button, page.due_button, page.follow_ups_box, page.start_button):
        assert fully_shown(widget, window), f"cut: {widget.accessibleName() or widget.text()!r}"
    # One bank: its box is one row high, not a mostly empty box.
    rows = page.bank_list.count()
    assert rows == 1
    assert page.bank_list.height() <= page.bank_list.sizeHintForRow(0) * rows + 2 * page.bank_list.frameWidth() + 4
    assert page.table.height() > 200  # the room goes to the questions


def test_opening_the_correction_box_keeps_the_score_in_view(qtbot, open_window, mic, espeak, tmp_path):
    length = mic(wav=espeak(BIAS_ANSWER, tmp_path / "bias.wav"), silence_after=2)
    window = open_window(Settings(max_answer_seconds=length - 0.5))
    settle(window, 1024, 640)
    page = window.question_page
    start(window, 1, qtbot)
    wait_state(qtbot, window, State.SCORED)
    score = page.result_view.score_label

    def score_in_view():
        QApplication.processEvents()
        seen = score.visibleRegion().boundingRect()
        return bool(score.text()) and seen.height() == score.height()

    assert score_in_view()
    area = score.parentWidget()
    while not isinstance(area, QScrollArea):
        area = area.parentWidget()
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: page.result_view.replay.duration > 0 and bar.maximum() > score.height(), timeout=10_000)
    bar.setValue(bar.maximum())  # the candidate read down to the missed points and the reference answer
    assert not score_in_view()
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_E)  # then corrects what was heard
    assert page.typed_box.isVisible() and page.typed_box.hasFocus()
    assert score_in_view(), "the score went out of view when the correction box opened"
    qtbot.keyClicks(page.typed_box, " Cross validation picks the complexity.")
    qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not page.typed_box.isVisible()
    assert score_in_view(), "the corrected score is out of view"
