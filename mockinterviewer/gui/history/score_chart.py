"""Scores (0-100) over time as lines, one per category (or one line for one question's attempts).

Painted by hand rather than with QtCharts: the app ships PySide6-Essentials, which has no
QtCharts, and a few lines, points and labels are all the chart needs. Text, axes and gridlines
take palette roles; the series take one of two small sets of colours (for light and for dark
backgrounds), each set distinguishable by most colour-blind readers, and every series also has
its own marker shape so colour is never the only cue.
"""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

EMPTY_TEXT = "No answers yet: practise a few questions and your progress shows here."
# Okabe-Ito-like hues, darkened to read on white and lightened to read on a dark base.
LIGHT_SERIES = ("#1f6fb2", "#c8551b", "#1b8a5a", "#8e4fb8", "#9a6e00", "#c2407e", "#2f7f94")
DARK_SERIES = ("#6cb6ff", "#ff9f6b", "#5fd39a", "#c79bff", "#f2c94c", "#ff85b5", "#6fd6e6")
MARKERS = ("circle", "square", "triangle", "diamond")
GRID = (0, 50, 100)
PAD = 8           # logical pixels around the plot
POINT = 4.0       # marker radius
HIT = 9.0         # how near the pointer must be to a point for its tooltip

Series = dict[str, list[tuple[dt.datetime, float]]]


def series_colours(palette: QPalette) -> tuple[str, ...]:
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    return DARK_SERIES if dark else LIGHT_SERIES


def date_text(when: dt.datetime, with_time: bool = False) -> str:
    """"3 Mar" (and the time when the points are hours apart), in the computer's time zone."""
    local = when.astimezone()
    text = f"{local.day} {local:%b}"
    return f"{text} {local:%H:%M}" if with_time else text


def describe(series: Series, unit: str = "session") -> str:
    """The chart in words, for screen readers: "statistics: 3 sessions, from 45 to 72"."""
    parts = []
    for name, points in series.items():
        scores = [round(s) for _, s in points]
        if not scores:
            continue
        count = f"{len(scores)} {unit}{'' if len(scores) == 1 else 's'}"
        values = f"score {scores[0]}" if len(scores) == 1 else f"from {scores[0]} to {scores[-1]}"
        parts.append(f"{name}: {count}, {values}")
    return "; ".join(parts) + "." if parts else EMPTY_TEXT


class ScoreChart(QWidget):
    """``set_series({name: [(datetime, score), ...]})``, each list oldest first.

    ``unit`` names what a point is ("session", or "attempt" for one question's answers) in the
    accessible description; ``legend`` can be turned off for a single, self-explanatory line.
    """

    def __init__(self, parent=None, unit: str = "session", legend: bool = True, empty_text: str = EMPTY_TEXT):
        super().__init__(parent)
        self.unit, self.legend, self.empty_text = unit, legend, empty_text
        self._series: Series = {}
        self.setAccessibleName("Scores over time")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # reachable, so a screen reader can read the summary
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setAccessibleDescription(empty_text)

    def sizeHint(self) -> QSize:
        return QSize(520, 240)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 120)

    def set_series(self, series: Series) -> None:
        # Sorted by name, so a category keeps its colour from one refresh to the next.
        self._series = {name: sorted(points) for name, points in sorted(series.items()) if points}
        self.setAccessibleDescription(describe(self._series, self.unit) if self._series else self.empty_text)
        self.update()

    @property
    def series(self) -> Series:
        return dict(self._series)

    def is_empty(self) -> bool:
        return not self._series

    # -- geometry --------------------------------------------------------------------------------

    def _legend_rows(self, width: float) -> list[list[tuple[str, float]]]:
        """Legend entries (name, width) flowed into rows that fit ``width``."""
        if not self.legend:
            return []
        metrics = self.fontMetrics()
        rows: list[list[tuple[str, float]]] = [[]]
        used = 0.0
        for name in self._series:
            entry = 26 + metrics.horizontalAdvance(name)  # swatch, gap, text
            if rows[-1] and used + entry > width:
                rows.append([])
                used = 0.0
            rows[-1].append((name, entry))
            used += entry + 18
        return rows

    def _plot_rect(self) -> QRectF:
        metrics = self.fontMetrics()
        line = metrics.height()
        legend = len(self._legend_rows(self.width() - 2 * PAD)) * (line + 4)
        left = PAD + metrics.horizontalAdvance("100") + 8
        top = PAD + legend + (6 if legend else line / 2)
        return QRectF(left, top, max(1.0, self.width() - left - PAD - 12),
                      max(1.0, self.height() - top - PAD - line - 6))

    def _time_range(self) -> tuple[float, float]:
        times = [t.timestamp() for points in self._series.values() for t, _ in points]
        low, high = min(times), max(times)
        if high - low < 60:  # one moment: centre it in a day either side
            low, high = low - 86400, high + 86400
        return low, high

    def _points(self, plot: QRectF) -> dict[str, list[tuple[QPointF, dt.datetime, float]]]:
        low, high = self._time_range()
        inner = plot.adjusted(10, 0, -10, 0)  # keep the first and last markers off the axis

        def at(when: dt.datetime, score: float) -> QPointF:
            x = inner.left() + (when.timestamp() - low) / (high - low) * inner.width()
            return QPointF(x, plot.bottom() - max(0.0, min(100.0, score)) / 100 * plot.height())

        return {name: [(at(t, s), t, s) for t, s in points] for name, points in self._series.items()}

    # -- painting --------------------------------------------------------------------------------

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        if self.hasFocus():
            painter.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 1.5))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 4, 4)
        if not self._series:
            painter.setPen(muted)
            painter.drawText(QRectF(self.rect()).adjusted(24, 0, -24, 0),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
            return
        plot = self._plot_rect()
        colours = series_colours(pal)
        self._paint_axes(painter, plot, muted)
        points = self._points(plot)
        for i, (name, pts) in enumerate(points.items()):
            colour = QColor(colours[i % len(colours)])
            if len(pts) > 1:
                painter.setPen(QPen(colour, 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                                    Qt.PenJoinStyle.RoundJoin))
                painter.drawPolyline(QPolygonF([p for p, _, _ in pts]))
            for p, _, _ in pts:
                _marker(painter, MARKERS[i % len(MARKERS)], p, colour, pal.color(QPalette.ColorRole.Base))
        self._paint_legend(painter, colours, pal.color(QPalette.ColorRole.WindowText))

    def _paint_axes(self, painter: QPainter, plot: QRectF, muted: QColor) -> None:
        metrics = self.fontMetrics()
        grid = QColor(muted)
        grid.setAlpha(90)
        for value in GRID:
            y = plot.bottom() - value / 100 * plot.height()
            painter.setPen(QPen(grid, 1, Qt.PenStyle.SolidLine if value == 0 else Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right() + 12, y))
            painter.setPen(muted)
            painter.drawText(QRectF(PAD, y - metrics.height() / 2, plot.left() - PAD - 6, metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(value))
        low, high = self._time_range()
        with_time = high - low < 3 * 86400
        count = max(2, min(6, int(plot.width() // 110)))
        inner = plot.adjusted(10, 0, -10, 0)
        previous = None
        for i in range(count):
            when = dt.datetime.fromtimestamp(low + (high - low) * i / (count - 1), dt.timezone.utc)
            label = date_text(when, with_time)
            if label == previous:
                continue
            previous = label
            x = inner.left() + inner.width() * i / (count - 1)
            width = metrics.horizontalAdvance(label)
            x = min(max(x - width / 2, plot.left() - 4), self.width() - PAD - width)
            painter.drawText(QRectF(x, plot.bottom() + 4, width + 2, metrics.height()),
                             Qt.AlignmentFlag.AlignLeft, label)

    def _paint_legend(self, painter: QPainter, colours, text: QColor) -> None:
        metrics = self.fontMetrics()
        y = PAD
        index = 0
        for row in self._legend_rows(self.width() - 2 * PAD):
            x = PAD + metrics.horizontalAdvance("100") + 8
            for name, width in row:
                colour = QColor(colours[index % len(colours)])
                mid = y + metrics.height() / 2
                painter.setPen(QPen(colour, 2))
                painter.drawLine(QPointF(x, mid), QPointF(x + 18, mid))
                _marker(painter, MARKERS[index % len(MARKERS)], QPointF(x + 9, mid), colour,
                        self.palette().color(QPalette.ColorRole.Base))
                painter.setPen(text)
                painter.drawText(QRectF(x + 24, y, width, metrics.height()), Qt.AlignmentFlag.AlignVCenter, name)
                x += width + 18
                index += 1
            y += metrics.height() + 4

    # -- a point's value under the pointer ---------------------------------------------------------

    def point_at(self, pos: QPointF) -> tuple[str, dt.datetime, float] | None:
        if not self._series:
            return None
        best, best_distance = None, HIT
        for name, pts in self._points(self._plot_rect()).items():
            for p, when, score in pts:
                distance = math.hypot(p.x() - pos.x(), p.y() - pos.y())
                if distance <= best_distance:
                    best, best_distance = (name, when, score), distance
        return best

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            hit = self.point_at(QPointF(event.pos()))
            if hit:
                name, when, score = hit
                QToolTip.showText(event.globalPos(), f"{name}: {score:g} on {date_text(when, True)}", self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


def _marker(painter: QPainter, shape: str, at: QPointF, colour: QColor, outline: QColor) -> None:
    """A filled marker with a ring of the background colour, so it stands out where lines cross."""
    painter.setPen(QPen(outline, 1.5))
    painter.setBrush(colour)
    r = POINT
    if shape == "circle":
        painter.drawEllipse(at, r, r)
        return
    path = QPainterPath()
    if shape == "square":
        path.addRect(QRectF(at.x() - r * 0.9, at.y() - r * 0.9, r * 1.8, r * 1.8))
    elif shape == "triangle":
        path.addPolygon(QPolygonF([QPointF(at.x(), at.y() - r * 1.2), QPointF(at.x() + r * 1.1, at.y() + r * 0.8),
                                   QPointF(at.x() - r * 1.1, at.y() + r * 0.8)]))
        path.closeSubpath()
    else:
        path.addPolygon(QPolygonF([QPointF(at.x(), at.y() - r * 1.3), QPointF(at.x() + r * 1.1, at.y()),
                                   QPointF(at.x(), at.y() + r * 1.3), QPointF(at.x() - r * 1.1, at.y())]))
        path.closeSubpath()
    painter.drawPath(path)
