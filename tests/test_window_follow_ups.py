"""A mock interview with follow-up questions in the real window, from the keyboard alone: espeak-ng
speech on the file microphone, the real model, the follow-ups spoken through the speaker. A missed
point gets a probe that does not say it, the spoken reply recovers it; a wrong claim gets a
challenge; the summary, the history after the window is closed and the HTML report hold both turns."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from mockinterviewer.core.session import Order, State
from mockinterviewer.reports.render import write_report
from mockinterviewer.settings import Settings
from mockinterviewer.store import History
from tests.test_window import wait_state

ROOT = Path(__file__).resolve().parent.parent
BANK_DIR = ROOT / "tests" / "data" / "follow_ups"
MISSES = "To prevent overfitting I would watch the validation loss, add dropout, and stop early when it rises."
RECOVERS = "I would also use a smaller network with fewer parameters."
WRONG = "Regularization adds a penalty to the loss. L2 pushes the weights exactly to zero."
CORRECTS = "Sorry, L2 shrinks the weights smoothly towards zero."
COMPLETE = ("It is a table of predicted against actual classes, with true positives, false positives and false "
            "negatives, from which you read precision and recall.")
DEEPER_REPLY = "When missing a positive case is costly, such as a disease screen."


def type_in(qtbot, window, text):
    """Type instead (Alt+T), the text, then Ctrl+Enter: the keyboard only."""
    page = window.question_page
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.typed_box.hasFocus())
    qtbot.keyClicks(page.typed_box, text)
    qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def asking(window):
    session = window.controller.session
    return session.follow_up if session is not None else None


def test_a_mock_interview_with_spoken_follow_ups_from_the_keyboard(qtbot, open_window, mic, espeak, speaker_file,
                                                                    tmp_path):
    answer_length = mic(wav=espeak(MISSES, tmp_path / "misses.wav"), silence_after=2)
    window = open_window(Settings(max_answer_seconds=answer_length - 0.5), bank_dirs=[BANK_DIR])
    setup, page, controller = window.setup_page, window.question_page, window.controller
    setup.order_box.setCurrentIndex(setup.order_box.findData(Order.IN_ORDER))
    setup.count_box.setValue(3)
    assert setup.follow_ups_box.value() == 1  # one follow-up per question by default
    setup.mode_box.setFocus()
    qtbot.keyClick(setup.mode_box, Qt.Key.Key_Down)  # "Mock interview: feedback at the end"
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Start

    # 1. Answered by voice (ended by the time limit), missing "Use a smaller network".
    wait_state(qtbot, window, State.TRANSCRIBING)
    reply_length = mic(wav=espeak(RECOVERS, tmp_path / "recovers.wav"), silence_after=2)  # what the reply will say
    controller.recorder.max_seconds = reply_length - 0.5
    speaker_file.write_bytes(b"")  # the question was read; what comes now is the follow-up
    qtbot.waitUntil(lambda: asking(window) is not None, timeout=60_000)
    probe = asking(window)
    assert (probe.kind, probe.point) == ("probe", "Use a smaller network")
    for word in ("smaller", "network", "fewer", "parameters", "layers", "model"):
        assert word not in probe.text.lower()  # draws the point out without saying it
    assert page.question_label.text() == probe.text
    assert "follow-up 1" in page.progress_label.text()
    qtbot.waitUntil(lambda: controller.state is State.LISTENING, timeout=30_000)  # read aloud, then recording
    assert speaker_file.stat().st_size > 16000  # the follow-up was spoken
    qtbot.waitUntil(lambda: len(controller.session.turns) == 1, timeout=90_000)  # the reply, transcribed
    [turn] = controller.session.turns
    assert turn.status == "covered", turn.transcript.text
    assert Path(turn.audio).name == "01-prevent-overfitting-follow-up-1.wav"
    wait_state(qtbot, window, State.SCORED)
    assert "Reply saved" in page.mock_label.text() and page.result_view.plain_text().strip() == ""

    # 2. Typed, with a wrong claim: a challenge on that point, not a probe for another one.
    controller.recorder.max_seconds = None  # the typed answers win over the microphone
    qtbot.keyClick(window, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: page.question_label.text() == "What do L1 and L2 regularization do?")
    type_in(qtbot, window, WRONG)
    qtbot.waitUntil(lambda: asking(window) is not None)
    challenge = asking(window)
    assert (challenge.kind, challenge.point) == ("challenge", "L2 shrinks weights smoothly")
    assert "L2 pushes the weights exactly to zero" in challenge.text and "smoothly" not in challenge.text
    type_in(qtbot, window, CORRECTS)
    qtbot.waitUntil(lambda: controller.state is State.SCORED and len(controller.session.turns) == 1)

    # 3. Typed in full: the bank's deeper follow-up; Esc skips its reading, the reply is typed.
    qtbot.keyClick(window, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: page.question_label.text() == "What is a confusion matrix?")
    type_in(qtbot, window, COMPLETE)
    qtbot.waitUntil(lambda: asking(window) is not None)
    assert asking(window).kind == "deeper", (asking(window), controller.session.current_result.transcript.text)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    type_in(qtbot, window, DEEPER_REPLY)
    qtbot.waitUntil(lambda: controller.state is State.SCORED and len(controller.session.turns) == 1)
    qtbot.keyClick(window, Qt.Key.Key_N)  # Finish

    summary = window.summary_page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is summary, timeout=30_000)
    assert summary.title_label.text().startswith("Mock interview complete")
    assert [row[5] for row in summary.model.rows] == ["1: recovered Use a smaller network",
                                                       "1: corrected L2 shrinks weights smoothly", "1"]
    first = summary.result_view.plain_text()
    assert "Use a smaller network (recovered on follow-up 1, half credit)" in first
    assert "1 recovered on follow-up (half credit, +" in first
    assert probe.text in first and "Your reply" in first
    summary.table.selectRow(1)
    second = summary.result_view.plain_text()
    assert "L2 shrinks weights smoothly (corrected on follow-up 1, half credit)" in second
    assert CORRECTS in second
    # Replay the reply of follow-up 1 with its words highlighted.
    summary.table.selectRow(0)
    view = summary.result_view
    # The answer's own recording is loading into the replay; the reply is played once that is done,
    # and once the summary knows where the reply's recording is stored.
    qtbot.waitUntil(lambda: view.replay.duration > 0 and not view.replay.runner.busy, timeout=20_000)
    qtbot.waitUntil(lambda: bool(view.result.turns and view.result.turns[0].audio), timeout=20_000)
    speaker_file.write_bytes(b"")
    with qtbot.waitSignal(view.replay.playingChanged, timeout=20_000, check_params_cb=lambda playing: playing):
        view.turns_label.linkActivated.emit("turn:1")  # what clicking "▶ play" does
        assert "smaller network" in view.replay.transcript_view.toPlainText().lower()  # the reply's words
    qtbot.waitUntil(lambda: not view.replay.is_playing, timeout=30_000)
    assert speaker_file.stat().st_size > 16000 * 4  # the reply was heard
    window.close()
    assert window.wait_for_background()

    # A restart: the history page shows the whole exchange, and replays the reply.
    again = open_window(bank_dirs=[BANK_DIR])
    qtbot.keyClick(again, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    history_page = again.history_page
    qtbot.waitUntil(lambda: history_page.sessions_model.rowCount() == 1, timeout=20_000)
    assert history_page.select_session(history_page.sessions_model.rows[0].id)
    qtbot.waitUntil(lambda: len(history_page.answers_model.rows) == 3, timeout=20_000)
    history_page.answers_table.selectRow(0)
    shown = history_page.result_view
    qtbot.waitUntil(lambda: "recovered on follow-up 1" in shown.plain_text(), timeout=20_000)
    assert probe.text in shown.plain_text() and "Your reply" in shown.plain_text()
    with qtbot.waitSignal(shown.replay.playingChanged, timeout=20_000, check_params_cb=lambda playing: playing):
        shown.turns_label.linkActivated.emit("turn:1")
    assert "smaller network" in shown.replay.transcript_view.toPlainText().lower()
    history_page.refresh()  # the list read again (as when the page is shown): the reply stays in the replay
    qtbot.waitUntil(lambda: not history_page.runner.busy, timeout=20_000)
    assert "smaller network" in shown.replay.transcript_view.toPlainText().lower()
    assert "▶ playing" in shown.turns_label.text()
    shown.replay.pause()
    again.close()
    assert again.wait_for_background()

    # The history after the windows are gone, and the report made from it.
    with History(data_dir=tmp_path) as history:
        [stored] = history.sessions()
        session_id = stored.id
        attempts = history.attempts(session_id)
        assert [len(a.result.turns) for a in attempts] == [1, 1, 1]
        reply = attempts[0].result.turns[0]
        assert reply.status == "covered" and Path(reply.audio).suffix == ".flac" and Path(reply.audio).is_file()
        assert attempts[0].result.key_points[3].follow_up == "recovered"
        assert attempts[1].result.key_points[1].follow_up == "corrected"
        html = write_report(history, session_id, "html", tmp_path / "report.html", embed_audio=True).read_text()
    assert "Use a smaller network (recovered on follow-up 1, half credit)" in html
    assert "L2 shrinks weights smoothly (corrected on follow-up 1, half credit)" in html
    assert MISSES.split(",")[0] in html or "validation loss" in html
    assert CORRECTS in html and DEEPER_REPLY in html
    assert html.count("<audio") >= 2  # the first answer's recording and its follow-up's


def test_practice_asks_a_follow_up_on_f_reads_it_again_on_r_and_shows_the_recovered_point(
        qtbot, open_window, speaker_file):
    window = open_window(Settings(input_device="USB headset"), bank_dirs=[BANK_DIR])  # no such microphone: typed
    setup, page, controller = window.setup_page, window.question_page, window.controller
    setup.order_box.setCurrentIndex(setup.order_box.findData(Order.IN_ORDER))
    setup.count_box.setValue(1)
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Start, practice mode
    qtbot.waitUntil(lambda: page.typed_box.hasFocus(), timeout=30_000)
    qtbot.keyClicks(page.typed_box, MISSES)
    qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_state(qtbot, window, State.SCORED)
    assert "✗ Use a smaller network" in page.result_view.plain_text()  # the feedback first
    assert page.follow_up_button.isVisible()

    speaker_file.write_bytes(b"")
    qtbot.keyClick(window, Qt.Key.Key_F)
    probe = asking(window)
    assert probe is not None and probe.point == "Use a smaller network"
    qtbot.waitUntil(lambda: page.typed_box.hasFocus(), timeout=30_000)  # read aloud, then typed (no microphone)
    read_once = speaker_file.stat().st_size
    assert read_once > 16000 and page.question_label.text() == probe.text  # the follow-up was spoken
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # out of the box, so R is a key again
    speaker_file.write_bytes(b"")
    qtbot.keyClick(window, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: speaker_file.stat().st_size >= read_once * 0.9 and page.typed_box.hasFocus(),
                    timeout=30_000)  # read again, whole
    assert asking(window) == probe and page.question_label.text() == probe.text  # the follow-up, not the question

    qtbot.keyClicks(page.typed_box, RECOVERS)
    qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.state is State.SCORED and asking(window) is None)
    shown = page.result_view.plain_text()
    assert "Use a smaller network (recovered on follow-up 1, half credit)" in shown
    assert RECOVERS in shown and "1 recovered on follow-up (half credit, +" in shown
    assert page.question_label.text() == "How do you prevent overfitting?"
    qtbot.keyClick(window, Qt.Key.Key_F)  # nothing left to recover: the bank's deeper question
    assert asking(window).kind == "deeper"
    qtbot.keyClick(window, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary_page, timeout=30_000)
    assert "recovered on follow-up 1" in window.summary_page.result_view.plain_text()


def test_moving_on_while_a_follow_up_is_answered_leaves_no_unscored_answer_behind(
        qtbot, open_window, mic, espeak, tmp_path):
    from mockinterviewer.speech.recovery import unfinished

    length = mic(wav=espeak(MISSES, tmp_path / "misses.wav"), silence_after=2)
    window = open_window(Settings(max_answer_seconds=length - 0.5), bank_dirs=[BANK_DIR])
    setup, controller = window.setup_page, window.controller
    setup.order_box.setCurrentIndex(setup.order_box.findData(Order.IN_ORDER))
    setup.count_box.setValue(2)
    setup.mode_box.setCurrentIndex(1)  # mock interview
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_state(qtbot, window, State.TRANSCRIBING)
    controller.recorder.max_seconds = None  # the reply records until N
    qtbot.waitUntil(lambda: asking(window) is not None and controller.recording, timeout=60_000)
    qtbot.keyClick(window, Qt.Key.Key_N)  # on to question 2, the reply left unanswered
    qtbot.waitUntil(lambda: window.question_page.question_label.text() == "What do L1 and L2 regularization do?")
    controller.mic.wait(10_000)
    assert [p.name for p in tmp_path.glob("recordings/*/*follow-up-1.wav")]  # it was recorded
    assert not [p for p in unfinished(tmp_path / "recordings") if "follow-up" in p.name]  # and is not offered
    assert controller.session.results[0].turns == ()  # no turn: it was not answered


def test_a_banks_own_probe_is_asked_and_shown_as_written_not_as_markup(qtbot, open_window, tmp_path):
    bank = tmp_path / "banks" / "hostile.yaml"
    bank.parent.mkdir()
    bank.write_text((BANK_DIR / "interview.yaml").read_text().replace(
        "      - label: Use a smaller network\n",
        "      - label: Use a smaller network\n        probe: <b>What</b> about the <i>size</i> & shape?\n"))
    window = open_window(Settings(input_device="USB headset"), bank_dirs=[bank.parent])
    setup, page = window.setup_page, window.question_page
    setup.order_box.setCurrentIndex(setup.order_box.findData(Order.IN_ORDER))
    setup.count_box.setValue(1)
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.typed_box.hasFocus(), timeout=30_000)
    qtbot.keyClicks(page.typed_box, MISSES)
    qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_state(qtbot, window, State.SCORED)
    qtbot.keyClick(window, Qt.Key.Key_F)
    assert page.question_label.text() == "<b>What</b> about the <i>size</i> & shape?"
    assert page.question_label.textFormat() == Qt.TextFormat.PlainText
    page.question_label.adjustSize()
    assert page.question_label.sizeHint().width() > page.question_label.fontMetrics().horizontalAdvance("<b>What")
