"""Says when the practice history cannot be opened, and offers to rebuild it from the saved answers."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


class HistoryBanner(QFrame):
    rebuildRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Practice history problem")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setObjectName("warning")
        self.rebuild_button = QPushButton("&Rebuild the history")
        self.rebuild_button.setToolTip("The damaged file is kept aside; the history is read again from the "
                                       "result files saved beside your recordings.")
        self.rebuild_button.clicked.connect(self.rebuildRequested)
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.rebuild_button)
        self.hide()

    def show_problem(self, text: str, can_rebuild: bool) -> None:
        tail = " Your recordings are safe; practice still works, and answers keep their result files." \
            if can_rebuild else " Practice still works."
        self.label.setText(text + tail)
        self.rebuild_button.setVisible(can_rebuild)
        self.rebuild_button.setEnabled(True)
        self.show()

    def show_working(self, text: str) -> None:
        self.label.setText(text)
        self.rebuild_button.setEnabled(False)
        self.show()

    def show_done(self, text: str) -> None:
        self.label.setText(text)
        self.rebuild_button.hide()
