"""The History page: a real History in a temporary folder, answers scored by the real scorer on
the shipped bank, one of them a recording espeak-ng spoke, and the real widgets.

Two sessions: a practice session in the window 12 days ago (a weak answer retried, the recorded
answer, a half answer) and a mock interview in a terminal 5 hours ago. Their scores (from the
real scorer) drive every figure below; the test for the stored scores pins them, so a change in
scoring shows there first rather than as a puzzling page failure. The questions are scored on
their phrasings alone (the shipped bank's claims left out), so that the figures here follow the
page, not every refinement of the bank's claims.
"""

import dataclasses
import datetime as dt
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript, Word
from mockinterviewer.gui.history.page import NO_SESSIONS, NO_WEAKEST, HistoryPage
from mockinterviewer.gui.history.score_chart import DARK_SERIES, EMPTY_TEXT, LIGHT_SERIES, ScoreChart
from mockinterviewer.gui.tasks import TaskRunner
from mockinterviewer.store import History

NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
EARLIER = NOW - dt.timedelta(days=12)
RECENT = NOW - dt.timedelta(hours=5)
SPOKEN = ("To prevent overfitting I would add dropout between the layers, use L2 regularization on the weights, "
          "and stop early when the validation loss starts to rise.")
ANSWERS = {
    "weak bias": "Bias is when the model is wrong, I think it is about the data.",
    "good bias": "High bias means the model underfits the data, and high variance means it overfits the noise. The "
                 "total error splits into bias, variance and noise, and more model complexity trades one against "
                 "the other.",
    "half confusion": "A confusion matrix is a table of predicted versus actual classes with true positives and "
                      "false negatives.",
    "good precision": "Precision is the share of predicted positives that are correct, recall is the share of actual "
                      "positives that we find. Moving the threshold trades one for the other, and F1 combines both.",
    "no transformer": "It is a neural network, I am not sure of the details.",
}


def phrasings_only(question):
    points = tuple(dataclasses.replace(k, claims=(), mistakes=()) for k in question.key_points)
    return dataclasses.replace(question, key_points=points, concepts=())


def timed(text, start=0.5, step=0.4):
    """A transcript with word timings, as the transcriber hands one over."""
    words = tuple(Word(w, round(start + i * step, 2), round(start + i * step + 0.3, 2), 0.9)
                  for i, w in enumerate(text.split()))
    return Transcript(text, words, duration=round(start + len(words) * step + 1, 2), model="tiny.en")


def typed(text):
    return Transcript(text, (), model="typed")


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "MockInterviewer"


@pytest.fixture
def stored(data_dir, shipped_bank, espeak):
    """The two sessions, saved as the window and the terminal save them."""
    history = History(data_dir=data_dir)

    def save(session, qid, text, minutes, when, recording=None):
        question = phrasings_only(shipped_bank.get(qid))
        transcript = timed(text) if recording else typed(text)
        return history.save_attempt(session, question, score_answer(question, transcript), bank="ml-engineer",
                                    recording=recording, attempted_at=when + dt.timedelta(minutes=minutes))

    practice = history.start_session("practice", "window", ["ml-engineer"], "tiny.en", started_at=EARLIER)
    save(practice, "bias-variance-tradeoff", ANSWERS["weak bias"], 1, EARLIER)
    save(practice, "bias-variance-tradeoff", ANSWERS["good bias"], 3, EARLIER)  # the retry
    wav = history.session(practice).folder / "03-prevent-overfitting.wav"
    wav.parent.mkdir(parents=True, exist_ok=True)
    espeak(SPOKEN, wav)
    save(practice, "prevent-overfitting", SPOKEN, 5, EARLIER, recording=wav)
    save(practice, "confusion-matrix-metrics", ANSWERS["half confusion"], 7, EARLIER)
    history.finish_session(practice, EARLIER + dt.timedelta(minutes=9))

    mock = history.start_session("mock", "cli", ["ml-engineer"], "tiny.en", started_at=RECENT)
    save(mock, "precision-vs-recall", ANSWERS["good precision"], 1, RECENT)
    save(mock, "transformer-architecture", ANSWERS["no transformer"], 3, RECENT)
    save(mock, "bias-variance-tradeoff", ANSWERS["good bias"], 5, RECENT)
    history.finish_session(mock, RECENT + dt.timedelta(minutes=7))
    yield history
    history.close()


@pytest.fixture
def open_page(qtbot):
    runner = TaskRunner(2)
    pages = []

    def make(source):
        page = HistoryPage(runner)
        qtbot.addWidget(page)
        pages.append(page)
        page.resize(1000, 700)
        with qtbot.waitSignal(page.refreshed, timeout=10_000):
            page.set_history(source)
            page.show()
        return page

    yield make
    for page in pages:
        page.result_view.replay.release()
    runner.wait(10_000)


def cells(model):
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def click_row(qtbot, table, row):
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_stored_scores_are_the_ones_this_file_expects(stored):
    """The real scorer's marks for the typed answers, which the tests below read on the page."""
    assert {a.question_id: a.score for s in stored.sessions() for a in stored.attempts(s.id)} == {
        "bias-variance-tradeoff": 80, "prevent-overfitting": 67, "confusion-matrix-metrics": 33,
        "precision-vs-recall": 80, "transformer-architecture": 0}
    assert [a.score for a in stored.attempts_for_question("bias-variance-tradeoff")] == [0, 80, 80]


def test_sessions_are_listed_newest_first_with_their_answers_and_averages(open_page, stored, qtbot, shipped_bank):
    page = open_page(stored)
    page.tabs.setCurrentIndex(1)
    assert page.sessions_table.isVisible()
    rows = cells(page.sessions_model)
    assert [r[1:] for r in rows] == [["Mock interview", "Terminal", "3", "53"],  # (80 + 0 + 80) / 3
                                     ["Practice", "Window", "4", "60"]]  # the retry's 80 counts, not the first 0
    local = RECENT.astimezone()
    assert rows[0][0].startswith(f"{local:%a} {local.day} {local:%b}") and rows[0][0].endswith(f", {local:%H:%M}")
    assert page.status_label.text() == "2 sessions, 7 answers"

    # a session saved since (the page is shown again after practising) appears on refresh
    newest = stored.start_session("practice", "window", ["ml-engineer"], "tiny.en")
    question = phrasings_only(shipped_bank.get("precision-vs-recall"))
    stored.save_attempt(newest, question, score_answer(question, typed(ANSWERS["good precision"])))
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.refresh()
    assert [r[1:] for r in cells(page.sessions_model)][0] == ["Practice", "Window", "1", "80"]
    assert page.status_label.text() == "3 sessions, 8 answers"


def test_a_session_lists_its_answers_and_an_answer_shows_its_feedback_and_replay(open_page, stored, qtbot):
    page = open_page(stored)
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.answers_model.rowCount() == 3)  # the newest session is picked at first
    click_row(qtbot, page.sessions_table, 1)
    qtbot.waitUntil(lambda: page.answers_model.rowCount() == 4)
    assert page.export_button.isEnabled()
    answers = cells(page.answers_model)
    assert [(r[0], r[1], r[2]) for r in answers] == [
        ("Explain the bias-variance tradeoff.", "0", "1"),
        ("Explain the bias-variance tradeoff.", "80", "2"),
        (page.answers_model.rows[2].attempt.question, "67", "1"),
        (page.answers_model.rows[3].attempt.question, "33", "1")]
    assert answers[0][3] == f"{(EARLIER + dt.timedelta(minutes=1)).astimezone():%H:%M}"

    # the retry, chosen with the keyboard: its feedback, no replay (it was typed)
    page.answers_table.setFocus()
    click_row(qtbot, page.answers_table, 0)
    qtbot.keyClick(page.answers_table, Qt.Key.Key_Down)
    text = page.result_view.plain_text()
    assert text.startswith("80 / 100 — 4 of 5 key points covered")
    assert "✓ High bias causes underfitting" in text
    assert page.question_label.text() == "Explain the bias-variance tradeoff."
    assert "attempt 2" in page.answer_info_label.text() and "typed" in page.answer_info_label.text()
    assert not page.result_view.replay.isVisible()
    # three answers to this question over two sessions: their trend is drawn beside the feedback
    qtbot.waitUntil(lambda: page.question_chart.isVisible())
    assert page.question_chart.accessibleDescription() == "This question: 3 attempts, from 0 to 80."

    # the recorded answer: feedback and its replay, loaded from the FLAC the history keeps
    qtbot.keyClick(page.answers_table, Qt.Key.Key_Down)
    assert page.result_view.plain_text().startswith("67 / 100")
    assert "Use dropout during training" in page.result_view.plain_text()
    assert page.result_view.replay.isVisible()
    qtbot.waitUntil(lambda: page.result_view.replay.duration > 5, timeout=10_000)
    assert page.result_view.recording.suffix == ".flac"
    assert not page.question_chart.isVisible()  # a single answer is no trend


def test_the_chart_shows_each_categorys_average_per_session(open_page, stored):
    page = open_page(stored)
    assert page.chart.isVisible()
    assert page.chart.accessibleDescription() == (
        "deep-learning: 1 session, score 0; evaluation: 2 sessions, from 33 to 80; "
        "fundamentals: 2 sessions, from 74 to 80.")  # then 0, retried 80, and 67: (80 + 67) / 2, as the Sessions tab says


def test_the_weakest_questions_come_lowest_first_and_can_be_practised(open_page, stored, qtbot):
    page = open_page(stored)
    rows = cells(page.weakest_model)
    assert [(r[1], r[3]) for r in rows] == [("0", "1"), ("33", "1"), ("67", "1"), ("80", "3"), ("80", "1")]
    assert rows[0][0] == stored.attempts_for_question("transformer-architecture")[0].question
    assert page.weakest_table.isVisible()
    with qtbot.waitSignal(page.practiseRequested) as signal:
        qtbot.mouseClick(page.practise_weakest_button, Qt.MouseButton.LeftButton)
    assert signal.args == [["transformer-architecture", "confusion-matrix-metrics", "prevent-overfitting",
                            "bias-variance-tradeoff", "precision-vs-recall"]]


def test_practise_what_is_due_offers_the_questions_spaced_review_brings_back(open_page, stored, qtbot):
    """Twelve days ago: 33 (due again after a day) and 67 (after two); the bias question was
    answered well five hours ago, the rest are not due yet."""
    page = open_page(stored)
    assert page.due_button.text().replace("&", "") == "Practise what is due (2)"
    assert page.due_button.isEnabled()
    with qtbot.waitSignal(page.practiseRequested) as signal:
        qtbot.mouseClick(page.due_button, Qt.MouseButton.LeftButton)
    assert signal.args == [["confusion-matrix-metrics", "prevent-overfitting"]]  # most overdue first


def test_export_and_back_are_asked_of_the_window(open_page, stored, qtbot):
    page = open_page(stored)
    page.tabs.setCurrentIndex(1)
    click_row(qtbot, page.sessions_table, 1)
    with qtbot.waitSignal(page.exportRequested) as signal:
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert signal.args == [stored.sessions()[1].id]
    with qtbot.waitSignal(page.backRequested):
        qtbot.keyClick(page, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)


def test_an_empty_history_explains_itself(open_page, data_dir):
    page = open_page(lambda: History(data_dir=data_dir))  # opened on the worker, as the window does
    assert page.chart.is_empty() and page.chart.accessibleDescription() == EMPTY_TEXT
    assert page.weakest_box.label.isVisible() and page.weakest_box.label.text() == NO_WEAKEST
    assert not page.practise_weakest_button.isEnabled()
    assert page.due_button.text().replace("&", "") == "Practise what is due (0)"
    assert not page.due_button.isEnabled()
    assert page.status_label.text() == "Nothing practised yet."
    page.tabs.setCurrentIndex(1)
    assert page.sessions_box.label.isVisible() and page.sessions_box.label.text() == NO_SESSIONS
    assert not page.sessions_table.isVisible() and not page.export_button.isEnabled()
    assert not page.answers_table.isVisible() and not page.result_view.isVisible()


def test_a_damaged_history_is_named_in_one_sentence_and_can_be_tried_again(open_page, data_dir, qtbot):
    data_dir.mkdir(parents=True)
    (data_dir / "history.sqlite3").write_bytes(b"damaged")
    page = open_page(lambda: History(data_dir=data_dir))
    assert page.error_label.isVisible() and not page.tabs.isVisible()
    assert "is damaged" in page.message() and "recordings are safe" in page.message()
    assert "mockinterviewer history rebuild" in page.message()

    (data_dir / "history.sqlite3").unlink()  # as after a rebuild: opening works again
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
    assert page.message() == "" and page.tabs.isVisible()
    assert page.status_label.text() == "Nothing practised yet."


def colours_drawn(widget):
    image = widget.grab().toImage()
    return {image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())}


@pytest.mark.parametrize("dark", [False, True])
def test_the_chart_draws_its_lines_in_the_colours_of_the_scheme(qtbot, dark):
    chart = ScoreChart()
    qtbot.addWidget(chart)
    palette = chart.palette()
    base, text = (QColor("#1e1e1e"), QColor("#e6e6e6")) if dark else (QColor("#ffffff"), QColor("#1e1e1e"))
    for role, colour in ((QPalette.ColorRole.Window, base), (QPalette.ColorRole.Base, base),
                         (QPalette.ColorRole.WindowText, text), (QPalette.ColorRole.Text, text)):
        palette.setColor(role, colour)
    chart.setPalette(palette)
    chart.resize(600, 260)
    chart.set_series({"statistics": [(EARLIER, 45.0), (EARLIER + dt.timedelta(days=4), 60.0), (NOW, 72.0)]})
    assert chart.accessibleDescription() == "statistics: 3 sessions, from 45 to 72."
    drawn = colours_drawn(chart)
    wanted, other = (DARK_SERIES[0], LIGHT_SERIES[0]) if dark else (LIGHT_SERIES[0], DARK_SERIES[0])
    assert wanted in drawn and other not in drawn


class WatchedHistory(History):
    """The real History, noting any read or write made on the GUI thread (the page must make none)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.on_gui_thread = []

    def _read(self, sql, args=()):
        if threading.current_thread() is threading.main_thread():
            self.on_gui_thread.append(sql)
        return super()._read(sql, args)


def test_the_page_reads_the_history_only_on_the_runners_threads(open_page, stored, data_dir, qtbot):
    with WatchedHistory(data_dir=data_dir) as history:
        page = open_page(history)
        page.tabs.setCurrentIndex(1)
        click_row(qtbot, page.sessions_table, 1)
        qtbot.waitUntil(lambda: page.answers_model.rowCount() == 4)
        click_row(qtbot, page.answers_table, 0)
        qtbot.waitUntil(lambda: page.question_chart.isVisible())
        with qtbot.waitSignal(page.refreshed, timeout=10_000):
            page.refresh()
        page.runner.wait(10_000)
        assert history.on_gui_thread == []
