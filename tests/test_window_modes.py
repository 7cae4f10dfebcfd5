"""Practice and mock-interview sessions in the real window, from the keyboard: retry, correcting
the transcript, repeating the question, silence auto-stop and a microphone that goes away."""

import threading

from PySide6.QtCore import Qt

from mockinterviewer.core.session import Order, State
from mockinterviewer.settings import Settings
from tests.test_window import BIAS_ANSWER, OVERFIT_ANSWER, start, wait_state


def keys(qtbot, window, *sequence):
    for key in sequence:
        qtbot.keyClick(window, key)


def test_a_mock_interview_from_the_keyboard_keeps_feedback_for_the_end(qtbot, open_window, mic, espeak, tmp_path):
    length = mic(wav=espeak(BIAS_ANSWER, tmp_path / "bias.wav"), silence_after=2)
    window = open_window(Settings(max_answer_seconds=length - 0.5))
    page, setup = window.question_page, window.setup_page
    setup.order_box.setCurrentIndex(setup.order_box.findData(Order.IN_ORDER))
    setup.count_box.setValue(2)
    setup.follow_ups_box.setValue(0)  # follow-ups off: tests/test_window_follow_ups.py has them
    setup.mode_box.setFocus()
    qtbot.keyClick(setup.mode_box, Qt.Key.Key_Down)  # "Mock interview: feedback at the end"
    assert setup.mode_box.currentText().startswith("Mock interview")
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Start (Ctrl+Enter)
    assert window.stack.currentWidget() is page

    wait_state(qtbot, window, State.SCORED)  # answered by voice, ended by the time limit
    assert page.mock_label.isVisible() and "Answer saved" in page.mock_label.text()
    assert "underfit" in page.mock_label.text().lower()  # what was heard, so a mishearing can be fixed
    assert page.result_view.plain_text().strip() == ""  # no score, no points: like the real thing
    assert not page.retry_button.isVisible()
    keys(qtbot, window, Qt.Key.Key_T)  # no second attempt in a mock interview
    assert window.controller.state is State.SCORED

    # The file-backed microphone runs far faster than real time, so with a limit the second answer
    # could be over before the keys below arrive; without one it records until the typed answer wins.
    window.controller.recorder.max_seconds = None
    keys(qtbot, window, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: page.question_label.text() == "How do you prevent overfitting?")
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # &Type instead
    qtbot.waitUntil(lambda: page.typed_box.hasFocus())
    qtbot.keyClicks(page.typed_box, OVERFIT_ANSWER)
    qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_state(qtbot, window, State.SCORED)
    assert page.result_view.plain_text().strip() == ""
    keys(qtbot, window, Qt.Key.Key_N)

    summary = window.summary_page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is summary)
    assert summary.title_label.text().startswith("Mock interview complete: average")
    feedback = summary.result_view.plain_text()  # the first answer's feedback, shown at last
    assert "/ 100" in feedback and "✓ High bias means underfitting" in feedback
    summary.table.selectRow(1)
    assert "(typed)" in summary.result_view.plain_text() and "✓ Regularisation" in summary.result_view.plain_text()


def test_practice_correct_the_transcript_then_try_again(qtbot, open_window, mic, espeak, tmp_path, speaker_file):
    length = mic(wav=espeak(BIAS_ANSWER, tmp_path / "bias.wav"), silence_after=2)
    window = open_window(Settings(max_answer_seconds=length - 0.5))
    page = window.question_page
    start(window, 1, qtbot)
    wait_state(qtbot, window, State.SCORED)
    first = window.controller.session.current_result
    assert page.retry_button.isVisible() and page.correct_button.isVisible()
    # The answer can be replayed, and a covered point's time plays that moment.
    view = page.result_view
    qtbot.waitUntil(lambda: view.replay.isVisible() and view.replay.duration > 0, timeout=10_000)
    import re
    link = re.search(r'href="(at:[0-9.]+)"', view.covered_label.text())
    assert link, view.covered_label.text()
    speaker_file.write_bytes(b"")
    with qtbot.waitSignal(view.replay.playingChanged, timeout=10_000, check_params_cb=lambda playing: not playing):
        view.covered_label.linkActivated.emit(link.group(1))  # what clicking the "0:02 ▶" link does
    heard_from = float(link.group(1)[3:])
    played = speaker_file.stat().st_size / 4  # float32 samples at 16 kHz
    assert played == __import__("pytest").approx((view.replay.duration - heard_from) * 16000, rel=0.1, abs=3200)

    keys(qtbot, window, Qt.Key.Key_E)  # correct what Whisper heard
    assert page.typed_box.isVisible() and page.typed_box.toPlainText() == first.transcript.text
    page.typed_box.selectAll()
    qtbot.keyClicks(page.typed_box, first.transcript.text + " The trade-off balances the two.")
    qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    fixed = window.controller.session.current_result
    assert fixed.transcript.text.endswith("The trade-off balances the two.")
    assert fixed.transcript.model == first.transcript.model  # still a transcript, with its timings
    assert fixed.transcript.words[0].start == first.transcript.words[0].start
    assert "balances the two" in page.result_view.plain_text() and not page.typed_box.isVisible()

    mic(wav=tmp_path / "bias.wav", silence_after=2)
    window.setFocus()
    keys(qtbot, window, Qt.Key.Key_T)  # try again: recording starts at once
    qtbot.waitUntil(lambda: window.controller.recording, timeout=10_000)
    assert page.result_view.plain_text().strip() == "" or window.controller.state is State.LISTENING
    wait_state(qtbot, window, State.SCORED)
    assert len(window.controller.session.attempts[0]) == 2
    keys(qtbot, window, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary_page)
    assert window.summary_page.model.rows[0][4] == "2"
    # Each attempt kept its own recording, in the history too.
    from mockinterviewer.store import History

    with History(data_dir=tmp_path) as history:
        (session,) = history.sessions()
        attempts = history.attempts(session.id)
    assert [a.audio.name for a in attempts] == ["01-bias-variance-tradeoff.flac", "01-bias-variance-tradeoff-a2.flac"]
    assert all(a.audio.exists() for a in attempts)
    assert attempts[0].edited_transcript.endswith("The trade-off balances the two.")  # the correction, kept
    assert attempts[1].edited_transcript is None


def test_repeat_the_question(qtbot, open_window, speaker_file):
    window = open_window(Settings(input_device="USB headset"))  # no microphone: nothing records
    page = window.question_page
    start(window, 1, qtbot)
    qtbot.waitUntil(lambda: page.typed_box.isVisible(), timeout=30_000)  # read, then typing offered
    once = speaker_file.stat().st_size
    assert once > 16000
    speaker_file.write_bytes(b"")  # the file-backed speaker starts a new file for each playback
    assert page.typed_box.hasFocus()
    keys(qtbot, window, Qt.Key.Key_Escape, Qt.Key.Key_R)  # leave the box, then repeat
    qtbot.waitUntil(lambda: speaker_file.stat().st_size >= once - 4096, timeout=30_000)
    qtbot.waitUntil(lambda: window.controller.state is State.LISTENING, timeout=30_000)
    assert page.question_label.text() == "Explain the bias-variance tradeoff."


def test_silence_auto_stop_with_a_microphone_that_speaks_in_real_time(qtbot, open_window, realtime_mic, espeak,
                                                                      tmp_path):
    # The answer is spoken at a person's pace, then the candidate goes quiet: the answer stops by
    # itself 1.5 s into the quiet, not during the pauses between sentences and not at the time limit.
    spoken = realtime_mic(wav=espeak(BIAS_ANSWER, tmp_path / "bias.wav"))
    window = open_window(Settings(input_device="rtmic", silence_stop_seconds=1.5, max_answer_seconds=60))
    page = window.question_page
    stopped = []
    window.controller.recordingChanged.connect(lambda on: on or stopped.append(window.controller.recorder.seconds))
    start(window, 1, qtbot)
    wait_state(qtbot, window, State.SCORED, timeout=60_000)
    assert "Stopped after 1.5 seconds of silence." in page.message_label.text()
    assert "underfit" in page.result_view.plain_text().lower()
    # espeak's own trailing quiet counts towards the 1.5 s; the meter checks every 50 ms or so.
    assert spoken - 0.5 < stopped[0] < spoken + 1.5 + 1.0, (stopped, spoken)


def test_a_microphone_that_goes_away_keeps_the_answer(qtbot, open_window, mic, espeak, tmp_path):
    mic(wav=espeak(BIAS_ANSWER, tmp_path / "bias.wav"), silence_after=2)
    window = open_window(Settings(max_answer_seconds=0))
    page, recorder = window.question_page, window.controller.recorder
    start(window, 1, qtbot)
    qtbot.waitUntil(lambda: window.controller.recording and recorder.seconds > 4, timeout=30_000)
    # Unplugging cannot happen here: PortAudio ending the stream by itself is what the app sees.
    threading.Thread(target=recorder._stream.abort).start()
    wait_state(qtbot, window, State.SCORED)
    assert "(was it unplugged?)" in page.message_label.text() and "kept and scored" in page.message_label.text()
    assert "/ 100" in page.result_view.plain_text()


def test_settings_from_the_window_apply_to_the_next_answer(qtbot, open_window, mic, espeak, tmp_path):
    window = open_window()
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)  # Settings…
    dialog = window.settings_dialog
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.input_box.count() > 1, timeout=10_000)  # devices listed in the background
    dialog.silence_box.setValue(1.5)
    dialog.rate_box.setValue(200)
    dialog.limit_box.setValue(120)
    with qtbot.waitSignal(dialog.settingsChanged):
        dialog.accept()
    assert window.controller.silence_stop_seconds == 1.5
    assert window.controller.speaker.rate == 200
    assert window.setup_page.limit_box.value() == 120  # the default limit for the next session
    assert window.controller.recorder.max_seconds == 120

    # The new settings are used: this answer stops on silence.
    mic(wav=espeak(BIAS_ANSWER, tmp_path / "bias.wav"), silence_after=6)
    window.setup_page.limit_box.setValue(0)
    start(window, 1, qtbot)
    wait_state(qtbot, window, State.SCORED)
    assert "Stopped after 1.5 seconds of silence." in window.question_page.message_label.text()


def test_moving_on_during_an_answer_does_not_stop_the_next_one(qtbot, open_window, mic, espeak, tmp_path):
    # No speech engine: the next question's recording starts in the same moment the last one is
    # halted, whose late "stream ended" must not be taken for the new answer reaching a limit.
    mic(wav=espeak(BIAS_ANSWER, tmp_path / "bias.wav"), silence_after=2)
    window = open_window(Settings(voice="Robbie", max_answer_seconds=0))
    window.setup_page.limit_box.setValue(0)
    page, recorder = window.question_page, window.controller.recorder
    start(window, 2, qtbot)
    qtbot.waitUntil(lambda: window.controller.recording and recorder.seconds > 1, timeout=30_000)
    keys(qtbot, window, Qt.Key.Key_N)
    assert page.question_label.text() == "How do you prevent overfitting?"
    qtbot.waitUntil(lambda: window.controller.recording and recorder.seconds > 2, timeout=30_000)
    assert window.controller.state is State.LISTENING and window.controller.recording
    assert "time limit" not in page.message_label.text()
    keys(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.controller.state is not State.TRANSCRIBING, timeout=60_000)


def test_audio_the_computer_could_not_take_in_time_is_reported_after_the_answer(qtbot, open_window, mic, espeak,
                                                                              tmp_path):
    # An overflow is PortAudio's flag on a block it had to drop. ALSA's file devices sit on the
    # "null" device, which never overruns, so the flag is the one thing put in here: the first two
    # blocks of the real stream arrive marked as overflowed, and everything after is the app's.
    import sounddevice as sd

    length = mic(wav=espeak(BIAS_ANSWER, tmp_path / "bias.wav"), silence_after=2)
    window = open_window(Settings(max_answer_seconds=length - 0.5))
    recorder, marked = window.controller.recorder, []
    callback = recorder._callback

    def overflowing(indata, frames, time, status):
        if len(marked) < 2:
            marked.append(frames)
            status = sd.CallbackFlags(sd._lib.paInputOverflow)
        callback(indata, frames, time, status)
    recorder._callback = overflowing  # the stream is opened with it at the next start
    page = window.question_page
    start(window, 1, qtbot)
    wait_state(qtbot, window, State.SCORED)
    assert len(marked) == 2
    assert "could not keep up with the microphone 2 times" in page.message_label.text()
    assert "underfit" in page.result_view.plain_text().lower()  # the answer itself was scored
