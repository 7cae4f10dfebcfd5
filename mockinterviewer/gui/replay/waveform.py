"""The answer's waveform, with the play position as a line; click or drag to move it.

Colours come from the palette (played: Highlight; the rest: PlaceholderText; the line: Text), so
the widget follows a light or dark scheme. Bars are drawn one per device pixel, so a high-DPI
screen gets a sharp waveform rather than a scaled-up one.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from mockinterviewer.core.delivery import clock

# The envelope keeps the peak of every BUCKET samples (4 ms at 16 kHz): 45,000 numbers for a
# 3-minute answer, from which any width's columns are a cheap reduceat.
BUCKET = 64
BAR = 2  # logical pixels per bar
PAD = 6  # logical pixels above and below the loudest bar


def envelope(samples: np.ndarray, bucket: int = BUCKET) -> np.ndarray:
    """Peak absolute value per ``bucket`` samples (work for a worker thread)."""
    samples = np.asarray(samples, dtype=np.float32).reshape(-1)
    if samples.size == 0:
        return np.zeros(0, np.float32)
    pad = (-samples.size) % bucket
    if pad:
        samples = np.concatenate([samples, np.zeros(pad, np.float32)])
    return np.abs(samples.reshape(-1, bucket)).max(axis=1)


def columns(env: np.ndarray, count: int) -> np.ndarray:
    """The envelope squeezed (or stretched) into ``count`` columns, 0..1 of the loudest column."""
    if env.size == 0 or count <= 0:
        return np.zeros(max(count, 0), np.float32)
    edges = (np.arange(count) * env.size) // count
    peaks = np.maximum.reduceat(env, edges)
    # Quiet recordings still fill the height; digital silence stays flat.
    return peaks / max(float(peaks.max()), 1e-4)


class WaveformView(QWidget):
    """Shows an envelope from :func:`envelope`; emits ``seekRequested(seconds)`` on click/drag."""

    seekRequested = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Waveform of your answer")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._env = np.zeros(0, np.float32)
        self._duration = 0.0
        self._position = 0.0
        self._cache: tuple | None = None  # (key, unplayed pixmap, played pixmap)
        self._describe()

    def sizeHint(self) -> QSize:
        return QSize(480, 72)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, 48)

    def set_envelope(self, env: np.ndarray, duration: float) -> None:
        self._env = np.asarray(env, dtype=np.float32)
        self._duration = max(0.0, float(duration))
        self._position = 0.0
        self._cache = None
        self._describe()
        self.update()

    @property
    def duration(self) -> float:
        return self._duration

    @property
    def position(self) -> float:
        return self._position

    def set_position(self, seconds: float) -> None:
        seconds = min(max(0.0, seconds), self._duration)
        if self._x_of(seconds) != self._x_of(self._position):
            self.update()
        self._position = seconds
        self._describe()

    def seconds_at(self, x: float) -> float:
        """The moment of the answer under widget x (logical pixels)."""
        if self.width() <= 0:
            return 0.0
        return min(max(x / self.width(), 0.0), 1.0) * self._duration

    def _x_of(self, seconds: float) -> int:
        """Device-pixel column of a moment (0 with no recording)."""
        if self._duration <= 0:
            return 0
        return round(seconds / self._duration * self.width() * self.devicePixelRatioF())

    def _describe(self) -> None:
        if self._duration <= 0:
            self.setAccessibleDescription("No recording loaded.")
        else:
            self.setAccessibleDescription(f"At {clock(self._position)} of {clock(self._duration)}. "
                                          "Click or drag to move; Left and Right move 5 seconds.")

    # -- painting ------------------------------------------------------------------------------

    def _pixmaps(self) -> tuple[QPixmap, QPixmap]:
        """The bars in the unplayed and the played colours, redrawn only when size, screen or
        palette change; each repaint during playback then just copies two rectangles."""
        dpr = self.devicePixelRatioF()
        pal = self.palette()
        key = (self.width(), self.height(), dpr, pal.cacheKey(), id(self._env))
        if self._cache is None or self._cache[0] != key:
            width, height = max(1, round(self.width() * dpr)), max(1, round(self.height() * dpr))
            # Bars BAR logical pixels wide with a one-pixel gap read calmer than a solid smear.
            step, bar = (BAR + 1) * dpr, BAR * dpr
            peaks = columns(self._env, max(1, int(width // step)))
            mid, room = height / 2, height / 2 - PAD * dpr
            # Never shorter than one device pixel, so silence reads as a line, not a gap.
            half = np.maximum(peaks * room, 0.5 * dpr)
            lines = [QLineF(i * step + bar / 2, mid - h, i * step + bar / 2, mid + h)
                     for i, h in enumerate(half.tolist())]
            pixmaps = []
            for role in (QPalette.ColorRole.PlaceholderText, QPalette.ColorRole.Highlight):
                pm = QPixmap(width, height)
                pm.fill(Qt.GlobalColor.transparent)
                painter = QPainter(pm)
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setPen(QPen(pal.color(role), bar, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
                painter.drawLines(lines)
                painter.end()
                pm.setDevicePixelRatio(dpr)
                pixmaps.append(pm)
            self._cache = (key, *pixmaps)
        return self._cache[1], self._cache[2]

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        pal = self.palette()
        rect = QRectF(self.rect())
        painter.fillRect(rect, pal.color(QPalette.ColorRole.Base))
        if self._duration <= 0 or self._env.size == 0:
            painter.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "No recording")
            return
        unplayed, played = self._pixmaps()
        x = self._x_of(self._position) / self.devicePixelRatioF()
        painter.drawPixmap(QPointF(0, 0), unplayed)
        painter.save()
        painter.setClipRect(QRectF(0, 0, x, rect.height()))
        painter.drawPixmap(QPointF(0, 0), played)
        painter.restore()
        painter.setPen(QPen(pal.color(QPalette.ColorRole.Text), 2))
        painter.drawLine(QLineF(x, 0, x, rect.height()))
        if self.hasFocus():
            focus = QColor(pal.color(QPalette.ColorRole.Highlight))
            painter.setPen(QPen(focus, 1, Qt.PenStyle.DotLine))
            painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._cache = None
            self.update()
        super().changeEvent(event)

    # -- seeking -------------------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._duration > 0:
            self.seekRequested.emit(self.seconds_at(event.position().x()))
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton and self._duration > 0:
            self.seekRequested.emit(self.seconds_at(event.position().x()))
        super().mouseMoveEvent(event)
