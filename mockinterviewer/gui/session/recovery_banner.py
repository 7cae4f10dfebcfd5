"""The banner that offers answers the app did not get to score (it was closed or killed)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


class RecoveryBanner(QFrame):
    scoreRequested = Signal(object)    # Path of the recording
    discardRequested = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.recordings: list[Path] = []
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Recovered answer")
        self.score_button = QPushButton("Score it")
        self.discard_button = QPushButton("Discard")
        self.score_button.clicked.connect(lambda: self.scoreRequested.emit(self.recordings[0]))
        self.discard_button.clicked.connect(lambda: self.discardRequested.emit(self.recordings[0]))
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.score_button)
        layout.addWidget(self.discard_button)
        self.hide()

    def offer(self, recordings: list[Path], describe) -> None:
        """Show the first of ``recordings``; ``describe(path)`` says what it is in words."""
        self.recordings = list(recordings)
        if not self.recordings:
            self.hide()
            return
        more = f" ({len(self.recordings) - 1} more after it)" if len(self.recordings) > 1 else ""
        self.label.setText(f"An answer was not scored when the app last closed: {describe(self.recordings[0])}{more}.")
        self.score_button.setEnabled(True)
        self.show()

    def done_with_first(self, describe) -> None:
        self.offer(self.recordings[1:], describe)
