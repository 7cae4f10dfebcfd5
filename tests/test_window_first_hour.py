"""The rough edges of a new user's first hour in the real window (issue 13): notices that
outlived their attempt, typing over a running recording, keys after a click, Tab in the table,
ending a session early, and one meaning of a session's average."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mockinterviewer import paths
from mockinterviewer.core.session import Mode, State
from mockinterviewer.settings import Settings
from tests.conftest import ROOT
from tests.test_window import BIAS_ANSWER, OVERFIT_ANSWER, start, wait_state


def silence(mic, seconds=300):
    mic(samples_16k=np.zeros(0, np.float32), silence_after=seconds)


def test_a_notice_belongs_to_the_attempt_it_is_about(qtbot, open_window, mic, espeak, tmp_path):
    mic(wav=espeak(BIAS_ANSWER, tmp_path / "bias.wav"), silence_after=6)
    window = open_window(Settings(max_answer_seconds=0))
    window.controller.silence_stop_seconds = 1.5
    page = window.question_page
    start(window, 1, qtbot)
    wait_state(qtbot, window, State.SCORED)
    assert page.message_label.isVisible() and "Stopped after 1.5 seconds of silence." in page.message_label.text()

    silence(mic)
    qtbot.keyClick(window, Qt.Key.Key_T)  # try again
    qtbot.waitUntil(lambda: "recording" in page.state_label.text(), timeout=10_000)
    assert not page.message_label.isVisible(), f"still on screen: {page.message_label.text()}"

    qtbot.keyClick(window, Qt.Key.Key_Space)  # nothing but silence was recorded
    qtbot.waitUntil(lambda: "silent" in page.message_label.text(), timeout=60_000)
    assert window.controller.state is State.LISTENING and page.message_label.isVisible()
    qtbot.mouseClick(page.type_button, Qt.MouseButton.LeftButton)
    page.typed_box.setPlainText("High bias means the model underfits.")
    qtbot.mouseClick(page.submit_typed_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, State.SCORED)
    assert "(typed)" in page.result_view.plain_text()
    assert not page.message_label.isVisible(), f"still on screen: {page.message_label.text()}"


def test_type_instead_stops_and_discards_the_recording_and_says_so(qtbot, open_window, mic, tmp_path):
    from mockinterviewer.speech.recovery import unfinished

    silence(mic)
    window = open_window(Settings(voice="Robbie", max_answer_seconds=0))  # no speech engine: straight to recording
    page = window.question_page
    start(window, 1, qtbot)
    qtbot.waitUntil(lambda: "recording" in page.state_label.text(), timeout=30_000)
    qtbot.mouseClick(page.type_button, Qt.MouseButton.LeftButton)
    assert not window.controller.recording
    assert "recording" not in page.state_label.text() and "type it" in page.state_label.text()
    assert not window.controller._meter.isActive() and page.elapsed_label.text().startswith("0:00")
    assert "discarded" in page.message_label.text() and page.message_label.isVisible()
    assert page.typed_box.isVisible() and page.typed_box.hasFocus()
    qtbot.waitUntil(lambda: not window.controller.mic.busy, timeout=30_000)  # the microphone is closed
    assert window.controller.recorder.seconds == 0 or not getattr(window.controller.recorder, "_stream", None)
    assert unfinished(tmp_path / "recordings") == []  # not offered as an unscored answer at the next start
    assert window.controller.state is State.LISTENING


def test_after_clicking_a_covered_points_time_space_and_k_pause_the_replay(qtbot, open_window, mic, espeak,
                                                                          tmp_path):
    length = mic(wav=espeak(BIAS_ANSWER, tmp_path / "bias.wav"), silence_after=2)
    window = open_window(Settings(max_answer_seconds=length - 0.5))
    page = window.question_page
    start(window, 1, qtbot)
    wait_state(qtbot, window, State.SCORED)
    view = page.result_view
    qtbot.waitUntil(lambda: view.replay.isVisible() and view.replay.duration > 0, timeout=10_000)
    # The replay of the file-backed speaker ends at once; paused playback is what the keys show.
    view.replay.player.device = None
    label = view.covered_label
    spot = _link_position(label)
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=spot)
    assert view.replay.is_playing or view.replay.position > 0, "the link was not clicked"
    for key in (Qt.Key.Key_K, Qt.Key.Key_Space):
        if not view.replay.is_playing:
            view.replay.play()
        assert view.replay.is_playing
        qtbot.keyClick(QApplication.focusWidget() or window, key)
        assert not view.replay.is_playing, f"{key} did not pause the replay (focus: {QApplication.focusWidget()})"
    assert window.controller.state is State.SCORED  # Space did not act on the session


def _link_position(label):
    """Where the first link of a rich-text QLabel is drawn, found by hovering: QLabel shows a
    pointing hand over a link."""
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    for y in range(2, label.height(), 4):
        for x in range(2, label.width(), 6):
            QTest.mouseMove(label, QPoint(x, y))
            if label.cursor().shape() == Qt.CursorShape.PointingHandCursor:
                return QPoint(x + 2, y)
    raise AssertionError(f"no link drawn in {label.text()!r}")


def test_tab_and_shift_tab_leave_the_question_table(qtbot, open_window):
    window = open_window()
    page = window.setup_page
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_Tab)
    assert not page.table.hasFocus(), "Tab stayed in the table"
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert not page.table.hasFocus(), "Shift+Tab stayed in the table"


def test_end_a_session_early_with_its_summary(qtbot, open_window, tmp_path):
    window = open_window(Settings(input_device="USB headset"))  # no microphone: typed answers
    page = window.question_page
    start(window, 2, qtbot)
    qtbot.waitUntil(lambda: page.typed_box.isVisible(), timeout=30_000)
    assert page.end_button.isVisible()
    page.typed_box.setPlainText(BIAS_ANSWER)
    qtbot.mouseClick(page.submit_typed_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, State.SCORED)
    score = window.controller.session.current_result.score
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # End session
    summary = window.summary_page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is summary, timeout=10_000)
    assert summary.title_label.text() == f"Session ended early: average {score} / 100 over 1 answer, 1 not asked"
    assert [row[1] for row in summary.model.rows] == [str(score), "not asked"]
    from mockinterviewer.store import History

    qtbot.waitUntil(lambda: not window.history.runner.busy, timeout=10_000)
    with History(data_dir=tmp_path) as history:
        (session,) = history.sessions()
        assert session.finished_at is not None and session.answers == 1


def test_skipping_every_question_says_nothing_was_answered(qtbot, open_window):
    window = open_window(Settings(input_device="USB headset"))
    page = window.question_page
    start(window, 2, qtbot)
    qtbot.waitUntil(lambda: page.typed_box.isVisible(), timeout=30_000)
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.question_label.text() == "How do you prevent overfitting?")
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary_page, timeout=10_000)
    title = window.summary_page.title_label.text()
    assert "0 / 100" not in title and "0 answers" not in title
    assert title == "Session complete: nothing was answered, so there is no score (2 skipped)"


def test_the_history_opens_during_a_session_and_comes_back(qtbot, open_window):
    window = open_window(Settings(input_device="USB headset"))
    page = window.question_page
    start(window, 2, qtbot)
    qtbot.waitUntil(lambda: page.typed_box.isVisible(), timeout=30_000)
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.history_page
    assert window.history_page.back_button.text().replace("&", "") == "Back to the question"
    qtbot.mouseClick(window.history_page.back_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is page
    assert page.question_label.text() == "Explain the bias-variance tradeoff."
    assert window.controller.state is State.LISTENING


def _seed(tmp_path, answers):
    """Sessions of typed answers, really scored, in the window's history: [(question id, text), ...] each;
    the text None answers with the bank's reference answer (a strong answer)."""
    from mockinterviewer.core.bank import load_bank
    from mockinterviewer.core.scoring import score_answer
    from mockinterviewer.core.transcript import Transcript
    from mockinterviewer.store import History

    bank = load_bank(paths.questions_dir() / "ml-engineer.yaml")
    with History(data_dir=tmp_path) as history:
        for session in answers:
            sid = history.start_session(mode="practice", banks=[bank.id], model="tiny.en")
            for qid, text in session:
                question = bank.get(qid)
                typed = Transcript.typed(question.answer if text is None else text)
                history.save_attempt(sid, question, score_answer(question, typed), bank=bank.id)
            history.finish_session(sid)
    return bank


def test_practise_these_takes_only_the_weak_questions(qtbot, open_window, tmp_path):
    bank = _seed(tmp_path, [[("bias-variance-tradeoff", None),
                             ("prevent-overfitting", "I do not know."),
                             ("precision-vs-recall", "Precision is about positives.")]])
    window = open_window(Settings(input_device="USB headset"), bank_dirs=[paths.questions_dir()])
    history = window.history_page
    window.show_history()
    qtbot.waitUntil(lambda: history.weakest_model.rowCount() == 3, timeout=10_000)
    latest = {r.question_id: r.latest for r, _ in history.weakest_model.rows}
    strong = [qid for qid, s in latest.items() if s >= 85]
    assert strong, f"the seed needs a strong answer: {latest}"
    with qtbot.waitSignal(history.practiseRequested) as asked:
        qtbot.mouseClick(history.practise_weakest_button, Qt.MouseButton.LeftButton)
    assert sorted(asked.args[0]) == sorted(q for q, s in latest.items() if s < 85)
    assert history.practise_weakest_button.text().replace("&", "") == f"Practise these ({len(asked.args[0])})"
    assert window.controller.session is not None and not set(strong) & {q.id for q in window.controller.session.questions}
    assert bank.get(strong[0]) is not None


def test_one_average_for_a_session_on_every_screen(qtbot, open_window, tmp_path):
    # One session: a weak first attempt, then a retry that covers everything; one other answer.
    _seed(tmp_path, [[("bias-variance-tradeoff", "I am not sure."), ("bias-variance-tradeoff", None),
                      ("prevent-overfitting", OVERFIT_ANSWER)]])
    window = open_window(bank_dirs=[paths.questions_dir()])
    history = window.history_page
    window.show_history()
    qtbot.waitUntil(lambda: history.sessions_model.rowCount() == 1 and not history.chart.is_empty(), timeout=10_000)
    (session,) = history.sessions_model.rows
    shown = int(history.sessions_model.data(history.sessions_model.index(0, 4)))
    plotted = [score for points in history.chart.series.values() for _, score in points]
    assert plotted == [shown] == [session.average], (plotted, shown)
    assert history.chart.accessibleDescription() == f"fundamentals: 1 session, score {shown}."
    from mockinterviewer.store import History
    from mockinterviewer.reports.model import build_report

    with History(data_dir=tmp_path) as h:
        assert build_report(h, session.id).average == shown


def test_a_mock_interview_says_what_happens_to_an_answer_instead_of_scored(qtbot, open_window):
    window = open_window(Settings(input_device="USB headset"))
    setup, page = window.setup_page, window.question_page
    setup.mode_box.setCurrentIndex(setup.mode_box.findData(Mode.MOCK))
    setup.follow_ups_box.setValue(0)  # the answer is the last word here (tests/test_window_follow_ups.py)
    start(window, 1, qtbot)
    qtbot.waitUntil(lambda: page.typed_box.isVisible(), timeout=30_000)
    page.typed_box.setPlainText(BIAS_ANSWER)
    qtbot.mouseClick(page.submit_typed_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, State.SCORED)
    assert page.state_label.text() != "Scored"
    assert page.state_label.text().startswith("Answer saved — feedback comes at the end")


def test_the_detail_pane_lets_go_of_a_question_whose_bank_is_unticked(qtbot, open_window, tmp_path):
    window = open_window(bank_dirs=[ROOT / "tests" / "data", paths.questions_dir()])
    page = window.setup_page
    page.table.selectRow(0)
    question = page.filter.questions()[0]
    assert question.text in page.detail.toPlainText()
    mine = next(i for i in range(page.bank_list.count())
                if page.banks[i].get(question.id) is question)
    page.bank_list.item(mine).setCheckState(Qt.CheckState.Unchecked)
    assert question not in page.filter.questions()
    assert question.text not in page.detail.toPlainText()


def test_ending_while_an_answer_is_scored_keeps_that_answer(qtbot, open_window, mic, espeak, tmp_path):
    length = mic(wav=espeak(BIAS_ANSWER, tmp_path / "bias.wav"), silence_after=2)
    window = open_window(Settings(max_answer_seconds=length - 0.5))
    page = window.question_page
    start(window, 2, qtbot)
    wait_state(qtbot, window, State.TRANSCRIBING)  # the time limit ended the answer; the model is at work
    qtbot.mouseClick(page.end_button, Qt.MouseButton.LeftButton)
    assert "ends once this answer is scored" in page.message_label.text()
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)  # a look at the history meanwhile
    assert window.stack.currentWidget() is window.history_page
    qtbot.waitUntil(lambda: window.summary_page.summary is not None, timeout=60_000)
    assert window.stack.currentWidget() is window.history_page  # not taken away from what is being read
    qtbot.mouseClick(window.history_page.back_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.summary_page  # Back leads to the summary not yet seen
    title = window.summary_page.title_label.text()
    assert title.startswith("Session ended early: average") and title.endswith("over 1 answer, 1 not asked")
