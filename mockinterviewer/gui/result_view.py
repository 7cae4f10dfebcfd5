"""The feedback for one answer: transcript, score, covered and missed points, reference answer."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from mockinterviewer.core.delivery import clock, summary
from mockinterviewer.core.scoring import ScoreResult


class ResultView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.score_label = QLabel()
        self.score_label.setObjectName("score")
        self.score_label.setAccessibleName("Score")
        self.flags_label = self._label("Warnings")
        self.flags_label.setObjectName("message")
        self.transcript_label = self._label("Transcript")
        self.delivery_label = self._label("Delivery")
        self.covered_label = self._label("Key points covered")
        self.missed_label = self._label("Key points missed")
        self.reference_label = self._label("Reference answer")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.score_label, self.flags_label, self.transcript_label, self.covered_label,
                       self.missed_label, self.delivery_label, self.reference_label):
            layout.addWidget(widget)
        layout.addStretch(1)

    @staticmethod
    def _label(name: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def clear(self) -> None:
        for label in (self.score_label, self.flags_label, self.transcript_label, self.covered_label,
                      self.missed_label, self.delivery_label, self.reference_label):
            label.clear()

    def show_result(self, result: ScoreResult) -> None:
        e = html.escape
        self.score_label.setText(f"{result.score} / 100 — {len(result.covered)} of {len(result.key_points)} key points covered")
        self.flags_label.setText("<br>".join(f"⚠ {e(f.message)}" for f in result.flags))
        self.flags_label.setVisible(bool(result.flags))
        if result.delivery:
            notes = "".join(f"<li>{e(n)}</li>" for n in result.delivery.notes)
            self.delivery_label.setText(f"<b>Delivery</b>: {e(summary(result.delivery))}<ul>{notes}</ul>")
        source = "typed" if result.transcript.model == "typed" else "transcribed"
        self.transcript_label.setText(f"<b>Your answer</b> ({source}):<br>{e(result.transcript.text)}")
        covered = "".join(
            f"<li>✓ {e(k.label)}" + (f' — heard “{e(k.evidence.text)}”' + (f" at {clock(k.evidence.start)}" if k.evidence.start is not None else "") if k.evidence else "") + "</li>"
            for k in result.covered) or "<li>none</li>"
        missed = "".join(f"<li>✗ {e(k.label)} — <span style='color:gray'>you could say {e(k.reference)}</span></li>"
                         for k in result.missed) or "<li>none — every point covered</li>"
        self.covered_label.setText(f"<b>Covered</b><ul>{covered}</ul>")
        self.missed_label.setText(f"<b>Missed</b><ul>{missed}</ul>")
        self.reference_label.setText(f"<b>Reference answer</b><br>{e(' '.join(result.reference_answer.split()))}")

    def plain_text(self) -> str:
        """What the view shows, as text (for tests and copying)."""
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        parts = []
        for label in (self.score_label, self.flags_label, self.transcript_label, self.covered_label, self.missed_label,
                      self.delivery_label, self.reference_label):
            doc.setHtml(label.text())
            parts.append(doc.toPlainText())
        return "\n".join(parts)
