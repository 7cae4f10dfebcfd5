"""The first page: which bank, how many questions, Start."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from mockinterviewer.core.session import pick_questions


class SetupPage(QWidget):
    startRequested = Signal(list)  # the chosen questions

    def __init__(self, parent=None):
        super().__init__(parent)
        self.banks = []
        title = QLabel("Practise answering interview questions out loud")
        title.setObjectName("title")
        intro = QLabel("Each question is read aloud, then recording starts. Answer as you would in the "
                       "interview; press Space when you are done. Your answer is transcribed on this "
                       "computer and compared with the key points of a reference answer.")
        intro.setWordWrap(True)

        self.bank_box = QComboBox()
        self.bank_box.setAccessibleName("Question bank")
        self.count_box = QSpinBox()
        self.count_box.setAccessibleName("Number of questions")
        self.count_box.setRange(1, 1)
        self.shuffle_box = QCheckBox("Random order")
        self.shuffle_box.setChecked(True)
        self.bank_box.currentIndexChanged.connect(self._bank_changed)

        self.description_label = QLabel()
        self.description_label.setWordWrap(True)
        self.description_label.setObjectName("status")
        form = QFormLayout()
        form.addRow("&Bank:", self.bank_box)
        form.addRow("", self.description_label)
        form.addRow("&Questions:", self.count_box)
        form.addRow("", self.shuffle_box)

        self.broken_label = QLabel()
        self.broken_label.setWordWrap(True)
        self.broken_label.setObjectName("warning")
        self.broken_label.hide()

        self.model_label = QLabel("Loading the speech model…")
        self.model_label.setObjectName("status")
        self.start_button = QPushButton("&Start practice")
        self.start_button.setDefault(True)
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self._start)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.broken_label)
        layout.addStretch(1)
        layout.addWidget(self.model_label)
        layout.addWidget(self.start_button, alignment=Qt.AlignmentFlag.AlignRight)

    def set_banks(self, banks, broken) -> None:
        """Fill the bank list once the banks have been read (off the GUI thread)."""
        self.banks = list(banks)
        self.bank_box.clear()
        for bank in self.banks:
            self.bank_box.addItem(f"{bank.title} ({len(bank.questions)} questions)", bank.id)
        lines = []
        if broken:
            lines.append("Some question banks could not be read and are left out:")
            lines += [f"• {e}" for e in broken]
        if not self.banks:
            lines.append("No question bank is available.")
        self.broken_label.setText("\n".join(lines))
        self.broken_label.setVisible(bool(lines))
        self.start_button.setEnabled(bool(self.banks))
        self._bank_changed()

    def _bank(self):
        index = self.bank_box.currentIndex()
        return self.banks[index] if 0 <= index < len(self.banks) else None

    def _bank_changed(self, *_):
        bank = self._bank()
        self.description_label.setText(bank.description if bank else "")
        if bank:
            self.count_box.setRange(1, len(bank.questions))
            self.count_box.setValue(min(5, len(bank.questions)))

    def _start(self):
        bank = self._bank()
        if bank:
            self.startRequested.emit(pick_questions(bank.questions, self.count_box.value(),
                                                    shuffle=self.shuffle_box.isChecked()))

    def set_model_status(self, text: str) -> None:
        self.model_label.setText(text)
