"""Follow-ups phrased by a language model in the real window, against a REAL llama.cpp server on the
loopback (xllamacpp + SmolLM2-135M, as in tests/test_llm_server.py), driven from the keyboard.

The app chooses the point; the model words the question, off the GUI thread. What the candidate
sees: the model's words asked and spoken, named as the model's on the page, in the feedback, the
history and the reports; the app's own words at once when the model is late or stopped, with one
notice for the session. The tiny model's wording is poor: these tests check the path, not its wisdom.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import escape
from PySide6.QtCore import Qt

from tests import llm_server

pytestmark = pytest.mark.skipif(llm_server.missing() is not None, reason=str(llm_server.missing()))

from mockinterviewer.core.bank import load_bank  # noqa: E402
from mockinterviewer.core.reveal import reveals  # noqa: E402
from mockinterviewer.core.session import State  # noqa: E402
from mockinterviewer.settings import Settings  # noqa: E402
from mockinterviewer.store import History  # noqa: E402
from tests.test_llm_server import ANSWER, SLOW_REPLY_S  # noqa: E402

# The tiny bank's question in words SmolLM2 does not just repeat back (asked "What does dropout
# do?", it answers with that question, which the app refuses as saying nothing new).
BANK = (Path(__file__).parent / "data" / "llm" / "tiny.yaml").read_text().replace(
    "question: What does dropout do?", "question: Explain what dropout is for.")
PROBE = "There is one more thing an interviewer would listen for here. What would you add to your answer?"
NO_RECOVERY = "It is used in neural networks."


@pytest.fixture(scope="module")
def server(llama_server):
    return llama_server


def bank_dir(tmp_path) -> Path:
    folder = tmp_path / "banks"
    folder.mkdir(exist_ok=True)
    (folder / "tiny.yaml").write_text(BANK)
    return folder


def answer_typed(qtbot, window, text):
    """Type instead (Alt+T), the text, then Ctrl+Enter: the keyboard only."""
    page = window.question_page
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.typed_box.hasFocus(), timeout=30_000)
    qtbot.keyClicks(page.typed_box, text)
    qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def start(qtbot, open_window, tmp_path, url, timeout):
    # No such microphone: the answers are typed. Practice mode, the one question.
    window = open_window(Settings(input_device="USB headset", llm_endpoint=url, llm_model="smollm2",
                                  llm_timeout=timeout), bank_dirs=[bank_dir(tmp_path)])
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Start
    qtbot.waitUntil(lambda: window.question_page.typed_box.hasFocus(), timeout=30_000)
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # out of the box: the keys are the window's
    return window


def asking(window):
    return window.controller.session.follow_up


@pytest.mark.timeout(2 * SLOW_REPLY_S + 120)
def test_a_follow_up_phrased_by_the_model_is_asked_spoken_and_kept_under_its_name(
        qtbot, open_window, server, speaker_file, tmp_path):
    window = start(qtbot, open_window, tmp_path, server.url, SLOW_REPLY_S)
    page, controller = window.question_page, window.controller
    answer_typed(qtbot, window, ANSWER)
    qtbot.waitUntil(lambda: controller.state is State.SCORED, timeout=30_000)
    speaker_file.write_bytes(b"")
    qtbot.keyClick(window, Qt.Key.Key_F)
    # Asked of the model off the GUI thread (behind the second opinion it is writing): the window
    # says so and stays with the feedback; the follow-up comes when the words do.
    assert asking(window) is None and controller.state is State.SCORED
    assert page.state_label.text().startswith("Asking the language model smollm2 to word the follow-up")
    assert not page.follow_up_button.isEnabled()
    qtbot.waitUntil(lambda: asking(window) is not None, timeout=2 * SLOW_REPLY_S * 1000)
    move = asking(window)
    question = load_bank(bank_dir(tmp_path) / "tiny.yaml").get("dropout")
    assert (move.kind, move.point, move.phrased_by) == ("probe", "Reduces overfitting", "smollm2")
    assert move.text != PROBE and not reveals(question, question.key_points[1], move.text)
    assert page.question_label.text() == move.text
    assert "follow-up 1, phrased by the language model smollm2" in page.progress_label.text()
    qtbot.waitUntil(lambda: page.typed_box.hasFocus(), timeout=30_000)  # read aloud, then typed
    assert speaker_file.stat().st_size > 16000  # the model's words were spoken

    qtbot.keyClicks(page.typed_box, NO_RECOVERY)
    qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.state is State.SCORED and asking(window) is None, timeout=30_000)
    assert f"probe: {move.text} (phrased by the language model smollm2)" in page.result_view.plain_text()

    def stored():
        with History(data_dir=tmp_path) as history:
            [attempt] = history.attempts(history.sessions()[0].id)
            return attempt.result.turns, history._read("SELECT question FROM turns")
    qtbot.waitUntil(lambda: bool(stored()[0]), timeout=10_000)
    [turn], rows = stored()
    assert (turn.follow_up.text, turn.follow_up.phrased_by) == (move.text, "smollm2") and rows == [(move.text,)]

    from mockinterviewer.reports.render import write_report
    with History(data_dir=tmp_path) as history:
        session_id = history.sessions()[0].id
        html = write_report(history, session_id, "html", tmp_path / "report.html").read_text()
        md = write_report(history, session_id, "md", tmp_path / "report.md").read_text()
    assert "(phrased by the language model smollm2)" in html and "(phrased by the language model smollm2)" in md
    assert str(escape(move.text)) in html  # the model's own words


@pytest.mark.timeout(SLOW_REPLY_S + 120)
def test_a_model_not_back_in_time_leaves_the_follow_up_to_the_app_without_stalling(
        qtbot, open_window, server, tmp_path):
    window = start(qtbot, open_window, tmp_path, server.url, 1)
    page, controller = window.question_page, window.controller
    # A second opinion still being written holds the model (its lock) longer than the 1 s set in
    # Settings: the follow-up must not wait for it.
    with controller._llm_lock:
        answer_typed(qtbot, window, ANSWER)
        qtbot.waitUntil(lambda: controller.state is State.SCORED, timeout=30_000)
        qtbot.keyClick(window, Qt.Key.Key_F)
        assert asking(window) is None and "(in the app's own words if it takes more than 1 s)" in \
            page.state_label.text()
        qtbot.waitUntil(lambda: asking(window) is not None, timeout=10_000)
        move = asking(window)
        assert (move.text, move.phrased_by) == (PROBE, "")  # the app's own words
        assert page.question_label.text() == PROBE and "phrased by" not in page.progress_label.text()
        qtbot.waitUntil(lambda: page.typed_box.hasFocus(), timeout=30_000)
    qtbot.keyClicks(page.typed_box, NO_RECOVERY)
    qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.state is State.SCORED and asking(window) is None, timeout=30_000)
    [turn] = controller.session.current_result.turns
    assert turn.follow_up.phrased_by == "" and "phrased by" not in page.result_view.plain_text()
    # The second opinion, asked once the model was free, ends too (nothing is left running).
    qtbot.waitUntil(lambda: "did not answer within 1 s" in page.message_label.text()
                    or "Second opinion by" in page.result_view.plain_text(), timeout=30_000)


@pytest.mark.timeout(SLOW_REPLY_S + 120)
def test_a_server_stopped_mid_session_gives_the_apps_own_follow_ups_with_one_notice(
        qtbot, open_window, tmp_path):
    own = llm_server.LlamaServer(tmp_path / "server.log")
    try:
        own.start()
        window = start(qtbot, open_window, tmp_path, own.url, SLOW_REPLY_S)
        page, controller = window.question_page, window.controller
        answer_typed(qtbot, window, ANSWER)
        qtbot.waitUntil(lambda: "Second opinion by the language model smollm2" in page.result_view.plain_text(),
                        timeout=(SLOW_REPLY_S + 10) * 1000)
        own.stop()  # the user quits the server between the answer and the follow-up
        qtbot.keyClick(window, Qt.Key.Key_F)
        qtbot.waitUntil(lambda: asking(window) is not None, timeout=30_000)
        assert (asking(window).text, asking(window).phrased_by) == (PROBE, "")
        notice = "is not running (connection refused). The rest of this session is scored by the app alone."
        qtbot.waitUntil(lambda: page.typed_box.hasFocus(), timeout=30_000)
        assert notice in page.message_label.text()  # still on the page as the reply is typed
        qtbot.keyClicks(page.typed_box, NO_RECOVERY)
        qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: controller.state is State.SCORED and asking(window) is None, timeout=30_000)

        qtbot.keyClick(window, Qt.Key.Key_T)  # try again: offline from now on, asked at once
        qtbot.waitUntil(lambda: page.typed_box.hasFocus(), timeout=30_000)
        qtbot.keyClicks(page.typed_box, ANSWER)
        qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: controller.state is State.SCORED, timeout=30_000)
        qtbot.keyClick(window, Qt.Key.Key_F)
        assert asking(window) is not None and asking(window).text == PROBE  # no wait, no request
        assert page.message_label.text().count(notice) == 1 and controller.advisor.take_notice() is None
    finally:
        own.stop()
    assert own.proc.poll() is not None


@pytest.mark.timeout(2 * SLOW_REPLY_S + 120)
def test_in_a_mock_interview_the_model_words_the_follow_up_before_its_second_opinion(
        qtbot, open_window, server, tmp_path):
    from mockinterviewer.core.session import Mode

    window = open_window(Settings(input_device="USB headset", llm_endpoint=server.url, llm_model="smollm2",
                                  llm_timeout=SLOW_REPLY_S), bank_dirs=[bank_dir(tmp_path)])
    setup, page, controller = window.setup_page, window.question_page, window.controller
    setup.mode_box.setFocus()
    qtbot.keyClick(setup.mode_box, Qt.Key.Key_Down)  # "Mock interview: feedback at the end"
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Start
    qtbot.waitUntil(lambda: page.typed_box.hasFocus(), timeout=30_000)
    assert controller.mode is Mode.MOCK
    qtbot.keyClicks(page.typed_box, ANSWER)
    qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # The follow-up comes on its own; the candidate waits for it, not for the second opinion, which
    # is asked of the model after it (and shown only at the end).
    qtbot.waitUntil(lambda: asking(window) is not None, timeout=2 * SLOW_REPLY_S * 1000)
    assert asking(window).phrased_by == "smollm2"
    assert controller.session.first_result.second_opinion is None
    assert "phrased by the language model smollm2" in page.progress_label.text()
    qtbot.waitUntil(lambda: page.typed_box.hasFocus(), timeout=30_000)
    qtbot.keyClicks(page.typed_box, NO_RECOVERY)
    qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # Then the second opinion (or its one notice: the tiny model's JSON is not always usable).
    qtbot.waitUntil(lambda: controller.session.current_result.second_opinion is not None
                    or controller.advisor.offline, timeout=(SLOW_REPLY_S + 10) * 1000)
    assert controller.session.current_result.turns[0].follow_up.phrased_by == "smollm2"
