"""The end of a session: every question with its score, and the full feedback for the one selected.

In a mock interview this is the first time the candidate sees any feedback, so the detail of each
answer is here, not only the table.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHeaderView, QLabel, QPushButton, QScrollArea, QSplitter, QTableView, QVBoxLayout,
                               QWidget)

from mockinterviewer.core.session import Summary
from mockinterviewer.gui.session.result_view import ResultView
from mockinterviewer.gui.widgets.rows_model import RowsTableModel


class SummaryModel(RowsTableModel):
    HEADERS = ("Question", "Score", "Covered", "Missed", "Attempts", "Follow-ups")

    def set_summary(self, summary: Summary) -> None:
        attempts = summary.attempts or (1,) * len(summary.results)
        rows = [(r.question, f"{r.score}", f"{len(r.covered)} of {len(r.key_points)}",
                 "; ".join([f"{k.label} (stated incorrectly)" for k in r.incorrect] + [k.label for k in r.missed])
                 or "—", f"{n}", _follow_ups(r)) for r, n in zip(summary.results, attempts)]
        self.set_rows(rows + [(q.text, "skipped", "—", "—", "0", "—") for q in summary.skipped]
                      + [(q.text, "not asked", "—", "—", "0", "—") for q in summary.not_asked])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()][index.column()]
        return None


def _follow_ups(result) -> str:
    """"1: recovered Use a smaller network", or how many were asked, or "—"."""
    if not result.turns:
        return "—"
    made = [f"{k.follow_up} {k.label}" for k in result.recovered]
    return f"{len(result.turns)}" + (f": {'; '.join(made)}" if made else "")


class SummaryPage(QWidget):
    againRequested = Signal()

    def __init__(self, parent=None, replay_device=None):
        super().__init__(parent)
        self.summary: Summary | None = None
        self.seen = True  # False from a new summary until the page is shown
        self.recordings: dict = {}
        self.title_label = QLabel()
        self.title_label.setObjectName("title")
        self.model = SummaryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Answers and scores")
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._show_row)
        self.result_view = ResultView(replay_device=replay_device)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.result_view)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(scroll)
        split.setSizes([220, 360])
        hint = QLabel("Select an answer to read its feedback.")
        hint.setObjectName("status")
        again = QPushButton("&Practise again")
        again.clicked.connect(self.againRequested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(hint)
        layout.addWidget(split, 1)
        layout.addWidget(again, alignment=Qt.AlignmentFlag.AlignRight)

    def show_summary(self, summary: Summary, recordings: dict | None = None, turn_recordings: dict | None = None) -> None:
        """``recordings`` maps a question id to its recorded answer, for replay; ``turn_recordings``
        to its follow-up replies' recordings as stored (compressed since they were made)."""
        if turn_recordings:
            summary = dataclasses.replace(summary, results=tuple(
                _with_turn_audio(r, turn_recordings.get(r.question_id, ())) for r in summary.results))
        self.summary = summary
        self.recordings = dict(recordings or {})
        self.title_label.setText(summary.headline())
        self.model.set_summary(summary)
        self.table.resizeRowsToContents()
        self.result_view.clear()
        if summary.results:
            self.table.selectRow(0)
            self.table.setFocus()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.seen = True

    def _show_row(self, current, _previous=None) -> None:
        if self.summary and current.isValid() and current.row() < len(self.summary.results):
            result = self.summary.results[current.row()]
            self.result_view.show_result(result, self.recordings.get(result.question_id))
        else:
            self.result_view.clear()


def _with_turn_audio(result, audio):
    """``result`` with each follow-up reply's recording where it is stored now."""
    if not result.turns or not audio:
        return result
    turns = tuple(dataclasses.replace(t, audio=str(audio[n]) if n < len(audio) and audio[n] else t.audio)
                  for n, t in enumerate(result.turns))
    return dataclasses.replace(result, turns=turns)
