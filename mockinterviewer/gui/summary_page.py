"""The end of a session: every question with its score, and the average."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from mockinterviewer.core.session import Summary
from mockinterviewer.gui.rows_model import RowsTableModel


class SummaryModel(RowsTableModel):
    HEADERS = ("Question", "Score", "Covered", "Missed")

    def set_summary(self, summary: Summary) -> None:
        rows = [(r.question, f"{r.score}", f"{len(r.covered)} of {len(r.key_points)}",
                 "; ".join(k.label for k in r.missed) or "—") for r in summary.results]
        self.set_rows(rows + [(q.text, "skipped", "—", "—") for q in summary.skipped])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()][index.column()]
        return None


class SummaryPage(QWidget):
    againRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title_label = QLabel()
        self.title_label.setObjectName("title")
        self.model = SummaryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Answers and scores")
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        again = QPushButton("&Practise again")
        again.clicked.connect(self.againRequested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(again, alignment=Qt.AlignmentFlag.AlignRight)

    def show_summary(self, summary: Summary) -> None:
        answered = len(summary.results)
        self.title_label.setText(f"Session complete: average {summary.average} / 100 over {answered} "
                                 f"answer{'s' if answered != 1 else ''}" +
                                 (f", {len(summary.skipped)} skipped" if summary.skipped else ""))
        self.model.set_summary(summary)
        self.table.resizeRowsToContents()
