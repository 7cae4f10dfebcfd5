"""The real window, driven with pytest-qt: real text-to-speech, PortAudio devices and model."""

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt

from mockinterviewer.core.session import Order, State
from mockinterviewer.settings import Settings

DATA = Path(__file__).parent / "data"
BIAS_ANSWER = ("High bias means the model is too simple and underfits. High variance means it overfits "
               "and memorizes the training data. I would use cross validation.")
OVERFIT_ANSWER = "I would add dropout, use L2 regularization, and stop early when validation loss rises."


def start(window, count, qtbot):
    page = window.setup_page
    page.order_box.setCurrentIndex(page.order_box.findData(Order.IN_ORDER))
    page.count_box.setValue(count)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)


def wait_state(qtbot, window, state, timeout=60_000):
    qtbot.waitUntil(lambda: window.controller.state is state, timeout=timeout)


def test_a_whole_session_by_voice_and_keyboard(qtbot, open_window, mic, speaker_file, espeak, tmp_path):
    # Question 1: the answer ends at the time limit; question 2: the candidate presses Space.
    length = mic(wav=espeak(BIAS_ANSWER, tmp_path / "bias.wav"), silence_after=2)
    window = open_window(Settings(max_answer_seconds=length - 0.5))
    page = window.question_page
    partials = []
    window.controller.partialTranscript.connect(lambda text: partials.append((window.controller.state, text)))
    start(window, 2, qtbot)
    assert page.question_label.text() == "Explain the bias-variance tradeoff."
    assert page.progress_label.text().startswith("Question 1 of 2")
    qtbot.waitUntil(lambda: "recording" in page.state_label.text(), timeout=30_000)
    assert speaker_file.stat().st_size > 16000 * 4, f"the question was not played: {page.message_label.text()}"
    wait_state(qtbot, window, State.SCORED)
    shown = page.result_view.plain_text()
    assert "underfit" in shown.lower() and "/ 100" in shown
    assert partials and partials[0][1].split()[0] in shown, "the transcript did not appear before the score"
    assert "✓ High bias means underfitting" in shown
    assert "Reference answer" in shown and "Cross-validation estimates where the total error" in shown
    assert "time limit" in page.message_label.text()

    speech = espeak(OVERFIT_ANSWER, tmp_path / "overfit.wav")
    from mockinterviewer.speech.audio import load_audio

    speech_seconds = len(load_audio(speech)) / 16000
    mic(wav=speech, silence_after=300)  # plenty of real silence after the answer
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert page.question_label.text() == "How do you prevent overfitting?"
    qtbot.waitUntil(lambda: "recording" in page.state_label.text()
                    and window.controller.recorder.seconds > speech_seconds, timeout=30_000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    wait_state(qtbot, window, State.SCORED)
    assert "time limit" not in (page.message_label.text() if page.message_label.isVisible() else "")
    shown = page.result_view.plain_text()
    # Space ended the answer (not the limit) and it was scored. Which of its three points tiny.en
    # hears in espeak's voice varies with the recording's length ("dropout" came out as "lasso"
    # once in ten runs), so two of them are required, not all.
    assert shown.count("✓") >= 2 and "✓ Regularisation" in shown, shown

    qtbot.keyClick(window, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary_page)  # once the answers are saved
    assert window.summary_page.model.rowCount() == 2
    assert "Session complete: average" in window.summary_page.title_label.text()
    # Both answers are in the history, their recordings kept as FLAC (lossless) beside it.
    recordings = sorted((tmp_path / "recordings").glob("*/*.*"))
    assert [p.name for p in recordings if p.suffix in (".wav", ".flac")] == [
        "01-bias-variance-tradeoff.flac", "02-prevent-overfitting.flac"]
    from mockinterviewer.store import History

    with History(data_dir=tmp_path) as history:
        (session,) = history.sessions()
        assert (session.mode, session.source, session.answers, session.finished_at is not None) == (
            "practice", "window", 2, True)
        stored = history.attempts(session.id)
        assert [a.audio.name for a in stored] == ["01-bias-variance-tradeoff.flac", "02-prevent-overfitting.flac"]
        assert [a.score for a in stored] == [int(r) for r in (row[1] for row in window.summary_page.model.rows)]


def test_no_microphone_offers_a_typed_answer(qtbot, open_window):
    window = open_window(Settings(input_device="USB headset"))
    page = window.question_page
    start(window, 1, qtbot)
    qtbot.waitUntil(lambda: page.typed_box.isVisible(), timeout=30_000)
    assert "There is no microphone called 'USB headset'" in page.message_label.text()
    qtbot.keyClicks(page.typed_box, "High variance means the model overfits; I use cross validation.")
    assert page.typed_box.toPlainText().count(" ") >= 8  # Space typed into the box, not taken by the shortcut
    qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_state(qtbot, window, State.SCORED)
    shown = page.result_view.plain_text()
    assert "(typed)" in shown and "✓ High variance means overfitting" in shown and "✗ High bias" in shown


def test_without_speech_the_question_is_shown_with_a_notice(qtbot, open_window, mic):
    mic(samples_16k=np.zeros(0, np.float32), silence_after=5)
    window = open_window(Settings(voice="Robbie", max_answer_seconds=2))
    page = window.question_page
    start(window, 1, qtbot)
    qtbot.waitUntil(lambda: "shown instead of spoken" in page.message_label.text(), timeout=30_000)
    assert "no text-to-speech voice called 'Robbie'" in page.message_label.text()
    assert page.question_label.text() == "Explain the bias-variance tradeoff."
    # The microphone heard nothing: the candidate is told, and may answer again.
    qtbot.waitUntil(lambda: "silent" in page.message_label.text(), timeout=30_000)
    assert window.controller.state is State.LISTENING
    assert page.action_button.text() == "Record answer (Space)"


def test_a_broken_bank_is_listed_and_the_others_work(qtbot, open_window, tmp_path):
    folder = tmp_path / "banks"
    folder.mkdir()
    (folder / "mini.yaml").write_text((DATA / "mini.yaml").read_text())
    (folder / "typo.yaml").write_text("format: 1\nid: typo\ntitle: Typo\nquestions:\n  - id: [x\n")
    window = open_window(bank_dirs=[folder])
    text = window.setup_page.broken_label.text()
    assert window.setup_page.broken_label.isVisible()
    assert "typo.yaml, line" in text and "YAML syntax error" in text
    assert window.setup_page.checked_banks() == ["mini"]
    assert window.setup_page.filter.rowCount() == 2
    assert window.setup_page.start_button.isEnabled()


def test_choose_filter_search_and_read_questions_then_practise_them(qtbot, open_window, tmp_path):
    folder = tmp_path / "banks"
    folder.mkdir()
    (folder / "mini.yaml").write_text((DATA / "mini.yaml").read_text())
    window = open_window(bank_dirs=[folder, Path(__file__).resolve().parent.parent / "questions"])
    page = window.setup_page
    assert page.checked_banks() == ["mini", "ml-engineer"]
    everything = page.filter.rowCount()
    assert everything == 2 + len(window.setup_page.banks[1].questions)

    page.bank_list.item(1).setCheckState(Qt.CheckState.Unchecked)  # only the mini bank
    assert page.filter.rowCount() == 2 and page.shown_label.text() == "of the 2 shown"
    page.bank_list.item(1).setCheckState(Qt.CheckState.Checked)

    page.difficulty_box.setCurrentIndex(page.difficulty_box.findData("hard"))
    hard = page.filter.questions()
    assert hard and all(q.difficulty == "hard" for q in hard) and len(hard) < everything
    page.difficulty_box.setCurrentIndex(0)
    page.category_box.setCurrentIndex(page.category_box.findData("behavioural"))
    assert {q.category for q in page.filter.questions()} == {"behavioural"}
    page.category_box.setCurrentIndex(0)

    qtbot.keyClicks(page.search_box, "bias variance")
    found = page.filter.questions()
    assert {q.id for q in found} == {"bias-variance-tradeoff"}  # one in each bank
    assert page.filter.rowCount() == 2
    page.table.selectRow(0)
    detail = page.detail.toPlainText()
    assert "Reference answer" in detail and "Key points" in detail and "heard as:" in detail
    assert found[0].key_points[0].label in detail

    page.order_box.setCurrentIndex(page.order_box.findData(Order.IN_ORDER))
    page.count_box.setValue(1)
    with qtbot.waitSignal(page.startRequested) as started:
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert [q.id for q in started.args[0]] == ["bias-variance-tradeoff"]
    assert window.question_page.question_label.text() == found[0].text


def test_a_missing_model_is_reported_and_typed_answers_still_work(qtbot, open_window, tmp_path):
    window = open_window(Settings(model=str(tmp_path / "my-model"), input_device="USB headset"))
    status = window.setup_page.model_label
    qtbot.waitUntil(lambda: "unavailable" in status.text(), timeout=30_000)
    assert f"The model folder {tmp_path / 'my-model'} does not exist." in status.text()
    start(window, 1, qtbot)
    page = window.question_page
    qtbot.waitUntil(lambda: page.typed_box.isVisible(), timeout=30_000)
    page.typed_box.setPlainText("Underfitting comes from high bias.")
    qtbot.mouseClick(page.submit_typed_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, State.SCORED)
    assert "✓ High bias means underfitting" in page.result_view.plain_text()


def test_import_a_question_list_previews_then_saves_a_bank(qtbot, open_window, tmp_path):
    folder = tmp_path / "banks"
    folder.mkdir()
    (folder / "mini.yaml").write_text((DATA / "mini.yaml").read_text())
    notes = tmp_path / "my-questions.md"
    notes.write_text("# My ML questions\n\n## What is a learning rate? (Easy)\n\n"
                     "The step size of gradient descent: too large diverges, too small converges slowly.\n\n"
                     "## Why use dropout?\n\nDropout randomly zeroes units during training, which regularises "
                     "the network and reduces overfitting.\n\n## A heading with nothing under it?\n")
    window = open_window(bank_dirs=[folder])
    dialog = window.open_import([notes])
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    assert "Found 2 questions in my-questions.md" in dialog.summary_label.text()
    assert dialog.preview_model.item(0, 0).text() == "What is a learning rate?"
    assert dialog.preview_model.item(0, 1).text() == "easy"
    assert "my-questions.md:" in dialog.problems_view.toPlainText()
    assert dialog.title_edit.text() == "My questions"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.setup_page.filter.rowCount() == 4, timeout=10_000)
    assert (folder / "my-questions.yaml").is_file()
    assert "My questions (2 questions)" in [window.setup_page.bank_list.item(i).text()
                                             for i in range(window.setup_page.bank_list.count())]

    again = window.open_import([notes])  # the same title again: refused unless replacing
    qtbot.waitUntil(lambda: again.save_button.isEnabled(), timeout=10_000)
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "already exists" in again.error_label.text(), timeout=10_000)
    assert again.isVisible()
    again.reject()


def test_an_answer_typed_while_recording_is_not_offered_again_at_the_next_start(qtbot, open_window, mic, tmp_path):
    from mockinterviewer.speech.recovery import unfinished

    mic(samples_16k=np.zeros(0, np.float32), silence_after=60)
    window = open_window(Settings(voice="Robbie", max_answer_seconds=50))  # no speech engine: straight to recording
    page = window.question_page
    start(window, 1, qtbot)
    qtbot.waitUntil(lambda: "recording" in page.state_label.text(), timeout=30_000)
    qtbot.mouseClick(page.type_button, Qt.MouseButton.LeftButton)
    page.typed_box.setPlainText("High bias means the model is too simple, so it underfits the training data badly.")
    qtbot.mouseClick(page.submit_typed_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, State.SCORED)
    qtbot.waitUntil(lambda: not window.controller.mic.busy, timeout=30_000)
    recordings = list((tmp_path / "recordings").glob("*/*.wav"))
    assert recordings, "the microphone was not recording"
    assert unfinished(tmp_path / "recordings") == []
    # One answer, the typed one, in the history and in a history rebuilt from the files.
    qtbot.waitUntil(lambda: not window.history.runner.busy, timeout=10_000)
    from mockinterviewer.store import History
    from mockinterviewer.store.rebuild import rebuild_history

    with History(data_dir=tmp_path) as history:
        assert [(a.model, a.audio) for a in history.attempts(history.sessions()[0].id)] == [("typed", None)]
    window.close()
    window.history.runner.wait(10_000)
    rebuild_history(data_dir=tmp_path)
    with History(data_dir=tmp_path) as history:
        assert [(a.model, a.audio) for a in history.attempts(history.sessions()[0].id)] == [("typed", None)]


def test_the_status_line_says_which_model_was_chosen_for_this_computer_and_why(qtbot, open_window):
    from mockinterviewer.speech.model_choice import for_this_machine

    window = open_window(Settings(device="cpu"))  # model: auto
    status = window.setup_page.model_label
    qtbot.waitUntil(lambda: "ready" in status.text(), timeout=60_000)
    choice = for_this_machine(window.controller.transcriber.settings.cache_dir, "cpu")
    assert status.text() == f"Speech model ready: {choice.name} on CPU, chosen for this computer: {choice.reason}."
    chosen = open_window(Settings(model="tiny.en", device="cpu")).setup_page.model_label
    qtbot.waitUntil(lambda: "ready" in chosen.text(), timeout=60_000)
    assert chosen.text() == "Speech model ready: tiny.en on CPU."  # the user's own choice needs no reason
