"""The first page: choose banks, filter and search the questions, read one, and start practising."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSizePolicy, QSpinBox, QSplitter,
                               QTableView, QTextBrowser, QVBoxLayout, QWidget)

from mockinterviewer.core.bank import DIFFICULTIES
from mockinterviewer.gui.widgets.duration_box import DurationBox
from mockinterviewer.core.session import DEFAULT_FOLLOW_UPS, MAX_FOLLOW_UPS, Mode, Order, order_questions
from mockinterviewer.gui.session.question_browser import ALL, QuestionFilter, QuestionTableModel, question_html


class SetupPage(QWidget):
    choicesMade = Signal(object)  # Start was pressed with these set-up choices (setup_choices.Choice -> value)
    startRequested = Signal(list, object, float)  # the chosen questions, Mode, seconds per answer (0: none)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.banks = []
        title = QLabel("Practise answering interview questions out loud")
        title.setObjectName("title")
        intro = QLabel("Pick the questions to practise. Each is read aloud, then recording starts; press Space "
                       "when you are done. Your answer is transcribed on this computer and compared with the "
                       "key points of a reference answer.")
        intro.setWordWrap(True)

        self.bank_list = QListWidget()
        self.bank_list.setAccessibleName("Question banks")
        self.bank_list.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.bank_list.itemChanged.connect(self._filters_changed)
        self.category_box = QComboBox()
        self.category_box.setAccessibleName("Category")
        self.difficulty_box = QComboBox()
        self.difficulty_box.setAccessibleName("Difficulty")
        self.difficulty_box.addItem("Any difficulty", ALL)
        for d in DIFFICULTIES:
            self.difficulty_box.addItem(d.capitalize(), d)
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search questions…")
        self.search_box.setAccessibleName("Search questions")
        self.search_box.setClearButtonEnabled(True)
        for box in (self.category_box, self.difficulty_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.currentIndexChanged.connect(self._filters_changed)
        self.search_box.textChanged.connect(self._filters_changed)
        filters = QHBoxLayout()
        filters.addWidget(self.category_box)
        filters.addWidget(self.difficulty_box)
        filters.addWidget(self.search_box, 1)

        self.model = QuestionTableModel(self)
        self.filter = QuestionFilter(self)
        self.filter.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.filter)
        self.table.setAccessibleName("Questions")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (arrows move within it)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Question details")
        self.detail.setPlaceholderText("Select a question to read its reference answer and key points.")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([560, 340])

        self.broken_label = QLabel()
        self.broken_label.setWordWrap(True)
        self.broken_label.setObjectName("warning")
        self.broken_label.hide()

        self.count_box = QSpinBox()
        self.count_box.setAccessibleName("Number of questions")
        self.count_box.setRange(1, 5)
        self.count_box.setValue(5)
        self._wanted_count = 5  # what the user asked for, kept while filters narrow the range
        self.count_box.valueChanged.connect(self._count_edited)
        self.shown_label = QLabel()
        self.order_box = QComboBox()
        self.order_box.setAccessibleName("Order")
        for order, text in ((Order.RANDOM, "Random order"), (Order.IN_ORDER, "In order"),
                            (Order.WEAKEST_FIRST, "Weakest first"), (Order.DUE_FIRST, "Due for review first")):
            self.order_box.addItem(text, order)
        self.mode_box = QComboBox()
        self.mode_box.setAccessibleName("Mode")
        self.mode_box.addItem("Practice: feedback after each answer", Mode.PRACTICE)
        self.mode_box.addItem("Mock interview: feedback at the end", Mode.MOCK)
        self.limit_box = DurationBox()
        self.limit_box.setAccessibleName("Time limit per answer")
        self.limit_box.setToolTip("The longest an answer may run; a countdown shows in its last 30 seconds.")
        self.limit_box.setValue(300)
        # Mock interview: how many follow-ups the interviewer may ask per question (practice: F asks one).
        self.follow_ups_box = QSpinBox()
        self.follow_ups_box.setRange(0, MAX_FOLLOW_UPS)
        self.follow_ups_box.setValue(DEFAULT_FOLLOW_UPS)
        self.follow_ups_box.setSpecialValueText("none")
        self.follow_ups_box.setAccessibleName("Follow-up questions per question in a mock interview")
        self.follow_ups_box.setToolTip("In a mock interview the interviewer asks back about what an answer missed or "
                                       "got wrong, up to this many times per question (none: off). In practice, "
                                       "press F after the feedback for one.")
        self.history_button = QPushButton("History (Ctrl+H)")
        self.history_button.setToolTip("Past sessions, progress per category, and your weakest questions.")
        self.due_button = QPushButton("Practise what is &due")
        self.due_button.setToolTip("The questions spaced review brings back today: weak answers return sooner.")
        self.due_button.clicked.connect(self.start_due)
        self.due_button.setEnabled(False)
        self.scores: dict[str, float] = {}   # latest score per question id, from the history
        self.due: list[str] = []             # question ids due for review, most overdue first
        self.model_label = QLabel("Loading the speech model…")
        self.model_label.setObjectName("status")
        self.model_label.setWordWrap(True)
        self.start_button = QPushButton("&Start (Ctrl+Enter)")
        self.start_button.setDefault(True)
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self._start)
        # Two rows, so that every control keeps its whole text from 1024 pixels wide up: what to
        # practise and how, then where to go.
        options_row = QHBoxLayout()
        options_row.addWidget(QLabel("&Questions:", buddy=self.count_box))
        options_row.addWidget(self.count_box)
        options_row.addWidget(self.shown_label)
        options_row.addSpacing(8)
        options_row.addWidget(self.order_box)
        options_row.addWidget(self.mode_box)
        options_row.addSpacing(8)
        options_row.addWidget(QLabel("&Limit:", buddy=self.limit_box))
        options_row.addWidget(self.limit_box)
        options_row.addStretch(1)
        start_row = QHBoxLayout()
        start_row.addWidget(self.history_button)
        start_row.addWidget(self.due_button)
        start_row.addSpacing(8)
        start_row.addWidget(QLabel("Follow-&ups in a mock interview:", buddy=self.follow_ups_box))
        start_row.addWidget(self.follow_ups_box)
        start_row.addStretch(1)
        start_row.addWidget(self.start_button)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.bank_list)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.broken_label)
        layout.addWidget(self.model_label)
        layout.addLayout(options_row)
        layout.addLayout(start_row)

    def set_banks(self, banks, broken) -> None:
        """Fill the page once the banks have been read (off the GUI thread)."""
        self.banks = list(banks)
        self.bank_list.blockSignals(True)
        self.bank_list.clear()
        for bank in self.banks:
            item = QListWidgetItem(f"{bank.title} ({len(bank.questions)} questions)")
            item.setData(Qt.ItemDataRole.UserRole, bank.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setToolTip(bank.description or str(bank.path))
            self.bank_list.addItem(item)
        for error in broken:
            item = QListWidgetItem(f"{error.path.rsplit('/', 1)[-1]}: cannot be used")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            item.setToolTip(str(error))
            self.bank_list.addItem(item)
        self.bank_list.blockSignals(False)
        self._fit_bank_list()
        self.category_box.blockSignals(True)
        self.category_box.clear()
        self.category_box.addItem("Any category", ALL)
        for category in sorted({q.category for b in self.banks for q in b.questions}):
            self.category_box.addItem(category, category)
        self.category_box.blockSignals(False)
        self.model.set_banks(self.banks)
        lines = []
        if broken:
            lines.append("Some question banks could not be read and are left out:")
            lines += [f"• {e}" for e in broken]
        if not self.banks:
            lines.append("No question bank is available.")
        self.broken_label.setText("\n".join(lines))
        self.broken_label.setVisible(bool(lines))
        self._filters_changed()
        self._update_due()

    def _fit_bank_list(self) -> None:
        """As tall as its rows, up to four (then it scrolls): no empty box, no table squeezed out."""
        rows = max(1, min(self.bank_list.count(), 4))
        row = self.bank_list.sizeHintForRow(0) if self.bank_list.count() else self.fontMetrics().height() + 4
        self.bank_list.setFixedHeight(rows * row + 2 * self.bank_list.frameWidth() + 2)

    def checked_banks(self) -> list[str]:
        items = (self.bank_list.item(i) for i in range(self.bank_list.count()))
        return [i.data(Qt.ItemDataRole.UserRole) for i in items
                if i.flags() & Qt.ItemFlag.ItemIsUserCheckable and i.checkState() == Qt.CheckState.Checked]

    def _filters_changed(self, *_):
        self.filter.set_filter(banks=self.checked_banks(), category=self.category_box.currentData() or ALL,
                               difficulty=self.difficulty_box.currentData() or ALL, search=self.search_box.text())
        shown = self.filter.rowCount()
        self.count_box.blockSignals(True)
        self.count_box.setRange(1, max(1, shown))
        self.count_box.setValue(min(self._wanted_count, max(1, shown)))
        self.count_box.blockSignals(False)
        self.table.setColumnHidden(3, len(self.checked_banks()) < 2)
        self.shown_label.setText(f"of the {shown} shown")
        self.start_button.setEnabled(shown > 0)
        self._show_detail(self.table.currentIndex())  # a question filtered out (its bank unticked) goes too

    def _count_edited(self, value: int) -> None:
        self._wanted_count = value

    def _show_detail(self, current, _previous=None):
        question = self.filter.data(current.siblingAtColumn(0), QuestionTableModel.QuestionRole) if current.isValid() else None
        self.detail.setHtml(question_html(question) if question else "")

    def set_review(self, scores: dict[str, float], due: list[str]) -> None:
        """What the history knows: latest scores (for weakest first) and what is due for review."""
        self.scores, self.due = dict(scores), list(due)
        self._update_due()

    def _update_due(self) -> None:
        loaded = {q.id for b in self.banks for q in b.questions}
        count = sum(1 for qid in self.due if qid in loaded)
        self.due_button.setText(f"Practise what is &due ({count})")
        self.due_button.setEnabled(count > 0)

    def choices(self) -> dict:
        """What is chosen now, to be offered again next time (gui/session/setup_choices.py)."""
        from mockinterviewer.gui.session.setup_choices import Choice

        return {Choice.COUNT: self._wanted_count, Choice.ORDER: self.order_box.currentData(),
                Choice.MODE: self.mode_box.currentData(), Choice.FOLLOW_UPS: self.follow_ups_box.value()}

    def apply_choices(self, chosen: dict) -> None:
        from mockinterviewer.gui.session.setup_choices import Choice

        if Choice.COUNT in chosen:
            self._wanted_count = chosen[Choice.COUNT]  # kept while the filters show fewer
            self.count_box.blockSignals(True)
            self.count_box.setValue(min(self._wanted_count, self.count_box.maximum()))
            self.count_box.blockSignals(False)
        for choice, box in ((Choice.ORDER, self.order_box), (Choice.MODE, self.mode_box)):
            if choice in chosen:
                box.setCurrentIndex(max(0, box.findData(chosen[choice])))
        if Choice.FOLLOW_UPS in chosen:
            self.follow_ups_box.setValue(chosen[Choice.FOLLOW_UPS])

    def _start(self):
        shown = self.filter.questions()
        if shown:
            self.choicesMade.emit(self.choices())
            chosen = order_questions(shown, self.count_box.value(), self.order_box.currentData(),
                                     scores=self.scores, due=self.due)
            self.startRequested.emit(chosen, self.mode_box.currentData(), self.limit_box.value())

    def start_due(self) -> bool:
        """Practise what is due: the due questions among those loaded, most overdue first."""
        by_id = {q.id: q for b in self.banks for q in b.questions}
        due = [by_id[qid] for qid in self.due if qid in by_id]
        if due:
            self.startRequested.emit(due, self.mode_box.currentData(), self.limit_box.value())
        return bool(due)

    def set_model_status(self, text: str) -> None:
        self.model_label.setText(text)
