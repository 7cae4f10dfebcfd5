"""Browsing the banks: a table model of questions, a filter proxy, and the detail view.

Filtering is a QSortFilterProxyModel over one table model (Vorta's pattern), so the table,
the count and the practice set-up all read the same filtered rows.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSortFilterProxyModel, Qt

from mockinterviewer.core.bank import Bank, Question
from mockinterviewer.gui.widgets.rows_model import RowsTableModel

ALL = ""  # the "any" choice of a filter


class QuestionTableModel(RowsTableModel):
    HEADERS = ("Question", "Category", "Difficulty", "Bank")
    QuestionRole = Qt.ItemDataRole.UserRole + 1
    BankRole = Qt.ItemDataRole.UserRole + 2

    def set_banks(self, banks: list[Bank]) -> None:
        self.set_rows([(bank, q) for bank in banks for q in bank.questions])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        bank, question = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (question.text, question.category, question.difficulty, bank.title)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return question.text
        if role == self.QuestionRole:
            return question
        if role == self.BankRole:
            return bank.id
        return None


class QuestionFilter(QSortFilterProxyModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.banks: set[str] | None = None  # None: every bank
        self.category = ALL
        self.difficulty = ALL
        self.words: list[str] = []

    def set_filter(self, *, banks=None, category=None, difficulty=None, search=None) -> None:
        self.beginFilterChange()
        if banks is not None:
            self.banks = set(banks)
        if category is not None:
            self.category = category
        if difficulty is not None:
            self.difficulty = difficulty
        if search is not None:
            self.words = search.lower().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row, parent):
        bank, question = self.sourceModel().rows[row]
        if self.banks is not None and bank.id not in self.banks:
            return False
        if self.category and question.category != self.category:
            return False
        if self.difficulty and question.difficulty != self.difficulty:
            return False
        if self.words:
            haystack = " ".join((question.text, question.id.replace("-", " "), " ".join(question.tags))).lower()
            return all(word in haystack for word in self.words)
        return True

    def questions(self) -> list[Question]:
        return [self.data(self.index(r, 0), QuestionTableModel.QuestionRole) for r in range(self.rowCount())]


def question_html(question: Question) -> str:
    """The question with its reference answer and key points, for the detail pane."""
    e = html.escape
    concepts = dict(question.concepts)

    def stated(claim):  # "high bias + underfitting": the first phrase of each concept
        return " + ".join((concepts.get(c) or (c,))[0] for c in claim)

    points = "".join(
        f"<li><b>{e(k.label)}</b><br><span style='color:gray'>heard as: {e(', '.join(k.phrasings))}"
        + (f"<br>stated as: {e('; '.join(stated(c) for c in k.claims))}" if k.claims else "")
        + (f"<br>wrong if: {e('; '.join(stated(m.claim) for m in k.mistakes))}" if k.mistakes else "")
        + "</span></li>"
        for k in question.key_points)
    follow = f"<p><b>Follow-up:</b> {e(question.follow_up)}</p>" if question.follow_up else ""
    return (f"<h3>{e(question.text)}</h3>"
            f"<p style='color:gray'>{e(question.category)} · {e(question.difficulty)} · {e(question.id)}</p>"
            f"<p><b>Reference answer</b><br>{e(' '.join(question.answer.split()))}</p>"
            f"<p><b>Key points</b></p><ul>{points}</ul>{follow}")
