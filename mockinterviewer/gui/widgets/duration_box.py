"""A spin box for a duration, shown as a timer reads ("2:30"), with 0 meaning no limit."""

from __future__ import annotations

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox

from mockinterviewer.core.delivery import clock


class DurationBox(QDoubleSpinBox):
    def __init__(self, maximum_seconds: float = 3600, step_seconds: float = 30, parent=None):
        super().__init__(parent)
        self.setDecimals(2)  # keeps a fractional limit set in the settings; shown as whole seconds
        self.setRange(0, maximum_seconds)
        self.setSingleStep(step_seconds)
        self.setSpecialValueText("No limit")

    def textFromValue(self, value: float) -> str:
        return clock(value)

    def valueFromText(self, text: str) -> float:
        text = text.strip()
        if not text or text == self.specialValueText():
            return 0.0
        minutes, _, seconds = text.rpartition(":")
        try:
            return float(minutes or 0) * 60 + float(seconds or 0)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        plain = text.strip()
        if plain == self.specialValueText() or all(c.isdigit() or c == ":" for c in plain):
            return QValidator.State.Acceptable if plain else QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos
