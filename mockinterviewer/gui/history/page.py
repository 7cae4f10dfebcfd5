"""The history: progress per category, the weakest and the due questions, and every past session
with each answer's feedback and recording.

Every read of the history runs on the TaskRunner the page is given; the GUI thread only shows
what comes back. A refresh, or a click on another session or answer, bumps a generation number,
so a late result from an earlier request is dropped rather than shown over a newer one.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QScrollArea,
                               QSplitter, QStackedWidget, QTableView, QTabWidget, QVBoxLayout, QWidget)

from mockinterviewer.core.review import RATING_BANDS, is_weak
from mockinterviewer.errors import UserError
from mockinterviewer.gui.history.models import (Answer, AnswersModel, Overview, SessionsModel, WeakestModel,
                                                load_answers, load_overview, load_question_scores, when_text)
from mockinterviewer.gui.session.result_view import ResultView
from mockinterviewer.gui.widgets.rows_model import RowsTableModel
from mockinterviewer.gui.history.score_chart import ScoreChart
from mockinterviewer.gui.tasks import TaskRunner

log = logging.getLogger(__name__)
WEAK_BELOW = RATING_BANDS[-1][0]
NO_SESSIONS = ("No sessions yet. Every answer you practise, here or with “mockinterviewer answer” in a "
               "terminal, is kept with its recording and shows here.")
NO_WEAKEST = "Once you have answered a few questions, the ones you found hardest are listed here."
PICK_SESSION = "Select a session to see its answers."
PICK_ANSWER = "Select an answer to read its feedback and hear it again."


# -- the page ------------------------------------------------------------------------------------

def _table(name: str, model: RowsTableModel, stretch: int = 0) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    for col in range(model.columnCount()):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    return table


class _Placeholder(QStackedWidget):
    """A view, or a sentence in its place when it has nothing to show (never a blank table)."""

    def __init__(self, view: QWidget, text: str):
        super().__init__()
        self.view = view
        self.label = QLabel(text)
        self.label.setObjectName("status")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setAccessibleName(view.accessibleName())
        self.label.setMargin(16)
        self.addWidget(view)
        self.addWidget(self.label)
        self.setCurrentWidget(self.label)

    def show_view(self, shown: bool, text: str | None = None) -> None:
        if text is not None:
            self.label.setText(text)
        self.setCurrentWidget(self.view if shown else self.label)


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class HistoryPage(QWidget):
    """``set_history(history)`` (a History, or a callable that opens one; it is called on the
    runner's thread), then the page reads it there on ``refresh()`` and each time it is shown."""

    practiseRequested = Signal(list)  # question ids, in the order to practise them
    exportRequested = Signal(int)     # a session id: the window asks where, then writes the report
    backRequested = Signal()
    refreshed = Signal()              # a refresh has been shown (or its failure)

    def __init__(self, runner: TaskRunner | None = None, parent=None, replay_device=None):
        super().__init__(parent)
        self.runner = runner or TaskRunner(1, self)
        self._source = None
        self._history = None
        self._open_lock = threading.Lock()
        self._generation = {"overview": 0, "answers": 0, "question": 0}
        self.overview: Overview | None = None
        self.answers: list[Answer] = []
        self._due_ids: list[str] = []
        self._build(replay_device)

    # -- building --------------------------------------------------------------------------------

    def _build(self, replay_device) -> None:
        title = QLabel("Your practice history")
        title.setObjectName("title")
        self.status_label = QLabel("")
        self.status_label.setObjectName("status")
        self.status_label.setAccessibleName("History summary")
        self.due_button = QPushButton("Practise what is &due (0)")
        self.due_button.setAccessibleName("Practise what is due")
        self.due_button.setEnabled(False)
        self.due_button.clicked.connect(lambda: self.practiseRequested.emit(list(self._due_ids)))
        self.back_button = QPushButton("&Back to practice")
        self.back_button.setAccessibleName("Back to practice")
        self.back_button.clicked.connect(self.backRequested)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(title)
        titles.addWidget(self.status_label)
        header.addLayout(titles, 1)
        header.addWidget(self.due_button, alignment=Qt.AlignmentFlag.AlignBottom)
        header.addWidget(self.back_button, alignment=Qt.AlignmentFlag.AlignBottom)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("History views")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._progress_tab(), "&Progress")
        self.tabs.addTab(self._sessions_tab(replay_device), "&Sessions")

        self.error_label = QLabel()
        self.error_label.setObjectName("warning")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Problem with the history")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setMaximumWidth(720)  # a long sentence reads better in a column
        self.retry_button = QPushButton("&Try again")
        self.retry_button.clicked.connect(self.refresh)
        error_page = QWidget()
        error_layout = QVBoxLayout(error_page)
        error_layout.addStretch(1)
        error_layout.addWidget(self.error_label)
        error_layout.addWidget(self.retry_button, alignment=Qt.AlignmentFlag.AlignLeft)
        error_layout.addStretch(2)
        self.body = QStackedWidget()
        self.body.addWidget(self.tabs)
        self.body.addWidget(error_page)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.body, 1)

    def _progress_tab(self) -> QWidget:
        self.chart = ScoreChart()
        self.chart.setAccessibleName("Average score per session, by category")
        self.weakest_model = WeakestModel(self)
        self.weakest_table = _table("Weakest questions", self.weakest_model)
        self.weakest_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.weakest_box = _Placeholder(self.weakest_table, NO_WEAKEST)
        self.practise_weakest_button = QPushButton("Practise &these")
        self.practise_weakest_button.setAccessibleName("Practise the weakest questions")
        self.practise_weakest_button.setEnabled(False)
        self.practise_weakest_button.clicked.connect(lambda: self.practiseRequested.emit(self.weak_ids()))
        weakest_header = QHBoxLayout()
        weakest_header.addWidget(_heading("Weakest questions"))
        hint = QLabel("lowest latest score first")
        hint.setObjectName("status")
        weakest_header.addWidget(hint)
        weakest_header.addStretch(1)
        weakest_header.addWidget(self.practise_weakest_button)

        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(_heading("Average score per session, by category"))
        layout.addWidget(self.chart, 3)
        layout.addSpacing(8)
        layout.addLayout(weakest_header)
        layout.addWidget(self.weakest_box, 2)
        return tab

    def _sessions_tab(self, replay_device) -> QWidget:
        self.sessions_model = SessionsModel(self)
        self.sessions_table = _table("Sessions", self.sessions_model)
        self.sessions_box = _Placeholder(self.sessions_table, NO_SESSIONS)
        self.sessions_table.selectionModel().currentRowChanged.connect(self._session_picked)
        self.export_button = QPushButton("E&xport report…")
        self.export_button.setAccessibleName("Export a report of the selected session")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._export)
        self.answers_model = AnswersModel(self)
        self.answers_table = _table("Answers in the session", self.answers_model)
        self.answers_box = _Placeholder(self.answers_table, PICK_SESSION)
        self.answers_table.selectionModel().currentRowChanged.connect(self._answer_picked)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        sessions_header = QHBoxLayout()
        sessions_header.addWidget(_heading("Sessions"))
        sessions_header.addStretch(1)
        sessions_header.addWidget(self.export_button)
        left_layout.addLayout(sessions_header)
        left_layout.addWidget(self.sessions_box, 3)
        self.answers_heading = _heading("Answers")
        left_layout.addWidget(self.answers_heading)
        left_layout.addWidget(self.answers_box, 2)

        self.question_label = QLabel()
        self.question_label.setObjectName("question_heading")
        self.question_label.setWordWrap(True)
        self.question_label.setAccessibleName("Question")
        font = self.question_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.question_label.setFont(font)
        self.answer_info_label = QLabel()
        self.answer_info_label.setObjectName("status")
        self.answer_info_label.setWordWrap(True)
        self.answer_info_label.setAccessibleName("About this answer")
        self.question_chart = ScoreChart(unit="attempt", legend=False)
        self.question_chart.setAccessibleName("Your scores for this question")
        self.question_chart.setFixedHeight(120)
        self.question_chart.hide()
        self.result_view = ResultView(replay_device=replay_device)
        self.result_view.setAccessibleName("Feedback on the answer")
        feedback = QWidget()
        feedback_layout = QVBoxLayout(feedback)
        feedback_layout.addWidget(self.question_label)
        feedback_layout.addWidget(self.answer_info_label)
        feedback_layout.addWidget(self.question_chart)
        feedback_layout.addWidget(self.result_view, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(feedback)
        scroll.setAccessibleName("Feedback")
        self.feedback_box = _Placeholder(scroll, PICK_ANSWER)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(self.feedback_box)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([420, 580])
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(split)
        return tab

    # -- public API ------------------------------------------------------------------------------

    def set_history(self, history_or_opener) -> None:
        """A History, or a callable returning one (``History`` itself will do): it is called on
        the runner's thread the first time the page needs it, and again after a failure."""
        with self._open_lock:
            self._source, self._history = history_or_opener, None
        self.refresh()

    def refresh(self) -> None:
        """Read everything again in the background; what is selected stays selected."""
        if self._source is None:
            return
        generation = self._bump("overview")
        if self.overview is None:
            self.status_label.setText("Reading your history…")
        self._submit(lambda h: load_overview(h), lambda o: self._show_overview(generation, o),
                     lambda exc: self._failed(generation, exc))

    def message(self) -> str:
        """The sentence shown when the history could not be read ('' when all is well)."""
        return self.error_label.text() if self.body.currentIndex() == 1 else ""

    @property
    def selected_session_id(self) -> int | None:
        row = self.sessions_table.currentIndex().row()
        return self.sessions_model.rows[row].id if 0 <= row < len(self.sessions_model.rows) else None

    def select_session(self, session_id: int) -> bool:
        """Show one session's answers (say, the one just finished); False if it is not listed."""
        if not self._select_session_row(session_id):
            return False
        self.tabs.setCurrentIndex(1)
        return True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()  # an answer may have been saved since the page was last shown

    # -- background work -------------------------------------------------------------------------

    def _bump(self, what: str) -> int:
        self._generation[what] += 1
        return self._generation[what]

    def _current(self, what: str, generation: int) -> bool:
        return shiboken6.isValid(self) and self._generation[what] == generation

    def _submit(self, work: Callable, on_done: Callable, on_error: Callable | None = None) -> None:
        source = self._source

        def task():
            with self._open_lock:  # open once, on a worker, even when two reads start together
                if self._source is not source:
                    raise _Stale()
                if self._history is None:
                    self._history = source() if callable(source) else source
                history = self._history
            return work(history)

        def failed(exc):
            if isinstance(exc, _Stale):
                return
            if on_error is not None:
                on_error(exc)
            else:
                self._failed(self._generation["overview"], exc)

        self.runner.submit(task, on_done, failed)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if not self._current("overview", generation):
            return
        if isinstance(exc, UserError):
            text = str(exc)
        else:  # a bug: logged with its traceback, and still one sentence on the page
            log.error("the history could not be read", exc_info=exc)
            text = f"The history could not be read ({exc}); the details are in the log."
        self.error_label.setText(text)
        self.body.setCurrentIndex(1)
        self.status_label.setText("")
        self.due_button.setEnabled(False)
        self.refreshed.emit()

    # -- showing results -------------------------------------------------------------------------

    def _show_overview(self, generation: int, overview: Overview) -> None:
        if not self._current("overview", generation):
            return
        self.overview = overview
        self.body.setCurrentIndex(0)
        sessions = overview.sessions
        answers = sum(s.answers for s in sessions)
        self.status_label.setText(
            f"{len(sessions)} session{'s' if len(sessions) != 1 else ''}, {answers} answer{'s' if answers != 1 else ''}"
            if sessions else "Nothing practised yet.")
        if overview.unreadable:  # the others are listed; the one left out is named
            self.status_label.setText(self.status_label.text() + " · " + " ".join(overview.unreadable))
        self.chart.set_series(overview.series)
        self.weakest_model.set_rows(overview.weakest)
        self.weakest_box.show_view(bool(overview.weakest))
        weak = len(self.weak_ids())
        self.practise_weakest_button.setText(f"Practise &these ({weak})")
        self.practise_weakest_button.setEnabled(bool(weak))
        self.practise_weakest_button.setToolTip(
            f"The ones scored below {WEAK_BELOW} last time, weakest first." if weak else
            f"Every question listed scored {WEAK_BELOW} or more last time: nothing weak to practise.")
        self._due_ids = [qid for qid, _ in overview.due]
        self.due_button.setText(f"Practise what is &due ({len(self._due_ids)})")
        self.due_button.setEnabled(bool(self._due_ids))
        self.due_button.setToolTip("\n".join(f"• {text}" for _, text in overview.due[:10])
                                   if overview.due else "Nothing is due for review now.")

        keep = self.selected_session_id
        self.sessions_model.set_rows(sessions)
        self.sessions_box.show_view(bool(sessions))
        if not sessions:
            self._session_picked(None)
        elif not self._select_session_row(keep):
            self.sessions_table.selectRow(0)  # the newest: what a candidate back from practising looks for
        self.refreshed.emit()

    def weak_ids(self) -> list[str]:
        """The listed questions whose latest score is weak (core/review.py), weakest first."""
        return [r.question_id for r, _ in self.weakest_model.rows if is_weak(r.latest)]

    def _select_session_row(self, session_id: int | None) -> bool:
        rows = [i for i, s in enumerate(self.sessions_model.rows) if s.id == session_id]
        if rows:
            self.sessions_table.selectRow(rows[0])
        return bool(rows)

    def _session_picked(self, current, _previous=None) -> None:
        session_id = self.selected_session_id if current is not None and current.isValid() else None
        self.export_button.setEnabled(session_id is not None)
        generation = self._bump("answers")
        if session_id is None:
            nothing = not self.sessions_model.rows  # one sentence says so; no "select…" beside it
            self.answers_model.set_rows([])
            self.answers_box.show_view(False, "" if nothing else PICK_SESSION)
            self._show_answer(None)
            self.feedback_box.show_view(False, "" if nothing else PICK_ANSWER)
            self.answers_heading.setVisible(not nothing)
            return
        self.answers_heading.show()
        keep = self._selected_answer_id()
        self._submit(lambda h: load_answers(h, session_id),
                     lambda answers: self._show_answers(generation, answers, keep))

    def _selected_answer_id(self) -> int | None:
        row = self.answers_table.currentIndex().row()
        return self.answers_model.rows[row].attempt.id if 0 <= row < len(self.answers_model.rows) else None

    def _show_answers(self, generation: int, answers: list[Answer], keep: int | None) -> None:
        if not self._current("answers", generation):
            return
        self.answers = answers
        self.answers_model.set_rows(answers)
        self.answers_box.show_view(bool(answers), "This session has no answers.")
        rows = [i for i, a in enumerate(answers) if a.attempt.id == keep] or [0]
        if answers:
            self.answers_table.selectRow(rows[0])
        else:
            self._show_answer(None)

    def _answer_picked(self, current, _previous=None) -> None:
        row = current.row() if current is not None and current.isValid() else -1
        self._show_answer(self.answers_model.rows[row] if 0 <= row < len(self.answers_model.rows) else None)

    def _show_answer(self, answer: Answer | None) -> None:
        generation = self._bump("question")
        self.question_chart.hide()
        if answer is None:
            self.result_view.clear()
            self.feedback_box.show_view(False)
            return
        a = answer.attempt
        self.question_label.setText(a.question)
        retry = f", attempt {a.attempt_no}" if a.attempt_no > 1 else ""
        how = "spoken" if a.audio is not None else "typed"
        if a.audio is not None and answer.audio is None:
            how = "spoken; the recording is no longer on this computer"
        self.answer_info_label.setText(f"{a.category} · {when_text(a.attempted_at)}{retry} · {how}")
        self.result_view.show_result(answer.result, answer.audio)
        self.feedback_box.show_view(True)
        self._submit(lambda h: load_question_scores(h, a.question_id),
                     lambda scores: self._show_question_scores(generation, scores))

    def _show_question_scores(self, generation: int, scores) -> None:
        if not self._current("question", generation):
            return
        self.question_chart.set_series({"This question": scores})
        self.question_chart.setVisible(len(scores) > 1)  # one point is no trend

    def _export(self) -> None:
        if self.selected_session_id is not None:
            self.exportRequested.emit(self.selected_session_id)


class _Stale(Exception):
    """The history was replaced while this read waited: its result belongs to nobody."""
