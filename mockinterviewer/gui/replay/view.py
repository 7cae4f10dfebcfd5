"""Replaying a recorded answer: waveform, transcript with the current word highlighted, controls.

The speaker is opened and closed, and the file read, on the view's own one-thread TaskRunner, so
those steps happen in the order asked and never on the GUI thread. While playing, a 30 ms timer
reads the player's position (a plain number) and moves the waveform line, the clock and the
highlighted word. Seeking only sets that number, so it is instant, playing or not.
"""

from __future__ import annotations

import bisect
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QStyle, QTextBrowser,
                               QTextEdit, QVBoxLayout, QWidget)

from mockinterviewer.core.delivery import clock
from mockinterviewer.core.transcript import Transcript
from mockinterviewer.errors import UserError, first_line
from mockinterviewer.gui.tasks import TaskRunner
from mockinterviewer.gui.replay.waveform import WaveformView, envelope
from mockinterviewer.speech.replay_player import SPEEDS, ReplayPlayer

STEP_S = 5.0
HINT = "Space or K: play/pause · ← → or J L: 5 s back/forward · Home: start · [ ]: slower/faster"


class TranscriptView(QTextBrowser):
    """The answer's words; the word being heard is highlighted, and clicking a word emits its
    start time. A transcript without word timings is shown as plain text."""

    wordClicked = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Transcript of your answer")
        self.setOpenLinks(False)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self._words: list = []
        self._spans: list[tuple[int, int]] = []  # character range of each word in the document
        self._starts: list[float] = []
        self._current: int | None = None

    def set_transcript(self, transcript: Transcript | None) -> None:
        words = [w for w in (transcript.words if transcript else ()) if w.text.strip()]
        self._words, self._spans, self._current = words, [], None
        self.setExtraSelections([])
        if not words:
            self.setPlainText(transcript.text if transcript else "")
            self.setToolTip("")
            return
        pieces, at = [], 0
        for word in words:
            text = word.text.strip()
            self._spans.append((at, at + len(text)))
            pieces.append(text)
            at += len(text) + 1
        self.setPlainText(" ".join(pieces))
        self._starts = [w.start for w in words]
        self.setToolTip("Click a word to hear it")
        self.updateGeometry()

    def sizeHint(self):
        # As tall as the words need (a few lines at least, a dozen at most), not a fixed box.
        hint = super().sizeHint()
        self.document().setTextWidth(self.viewport().width())
        line = self.fontMetrics().lineSpacing()
        height = int(self.document().size().height()) + 2 * self.frameWidth() + 8
        hint.setHeight(max(3 * line, min(height, 12 * line)))
        return hint

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()

    def word_index_at(self, seconds: float) -> int | None:
        """The word being heard at ``seconds``: the last one to have started (None before the first)."""
        index = bisect.bisect_right(self._starts, seconds) - 1 if self._words else -1
        return index if index >= 0 else None

    def highlight_at(self, seconds: float) -> None:
        index = self.word_index_at(seconds)
        if index != self._current:
            self._current = index
            self._paint_highlight(scroll=True)

    def current_word(self) -> str | None:
        """The highlighted word, as shown (None when none is)."""
        selections = self.extraSelections()
        return selections[0].cursor.selectedText() if selections else None

    def _paint_highlight(self, scroll: bool) -> None:
        if self._current is None:
            self.setExtraSelections([])
            return
        start, end = self._spans[self._current]
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(self.palette().color(QPalette.ColorRole.Highlight))
        fmt.setForeground(self.palette().color(QPalette.ColorRole.HighlightedText))
        selection.format = fmt
        self.setExtraSelections([selection])
        if scroll:
            self.ensure_visible(end)

    def ensure_visible(self, position: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        rect = self.cursorRect(cursor)
        bar = self.verticalScrollBar()
        if rect.top() < 0 or rect.bottom() > self.viewport().height():
            bar.setValue(bar.value() + rect.center().y() - self.viewport().height() // 2)

    def word_rect(self, index: int):
        """Where word ``index`` is drawn, in viewport coordinates (for tests and tooltips)."""
        cursor = QTextCursor(self.document())
        start, end = self._spans[index]
        cursor.setPosition(start)
        left = self.cursorRect(cursor)
        cursor.setPosition(end)
        return left.united(self.cursorRect(cursor))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_highlight(scroll=False)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or not self._words or self.textCursor().hasSelection():
            return
        at = self.cursorForPosition(event.position().toPoint()).position()
        index = bisect.bisect_right([s for s, _ in self._spans], at) - 1
        if index >= 0 and at <= self._spans[index][1]:
            self.wordClicked.emit(self._words[index].start)


class ReplayView(QWidget):
    """Plays one recorded answer. ``load(path, transcript)``, then the user (or ``play_from``)
    drives it; errors (an unreadable file, a speaker that cannot open) are shown as one sentence."""

    positionChanged = Signal(float)  # seconds into the answer
    playingChanged = Signal(bool)
    loaded = Signal(float)  # duration in seconds, once the file has been read
    failed = Signal(str)  # the sentence shown to the user
    _audio_finished = Signal()  # from PortAudio's thread, queued to the GUI thread

    def __init__(self, device=None, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Replay of your answer")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.player = ReplayPlayer(device, on_finished=self._audio_finished.emit)
        self.runner = TaskRunner(1, self)  # one thread: open, close and load happen in order
        self._generation = 0
        self._duration = 0.0
        self._position = 0.0
        self._playing = False
        self._ready = False

        self.waveform = WaveformView()
        self.waveform.setToolTip("Click or drag to move · ← → or J L: 5 s · Home: start")
        self.play_button = QPushButton("Play")
        self.play_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.play_button.setToolTip("Play or pause (Space or K)")
        self.play_button.setAccessibleName("Play")
        self.time_label = QLabel("0:00 / 0:00")
        self.time_label.setAccessibleName("Position")
        self.speed_box = QComboBox()
        for speed in SPEEDS:
            self.speed_box.addItem(f"{speed:g}×", speed)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_box.setToolTip("Playback speed, pitch kept ([ slower, ] faster)")
        self.speed_box.setAccessibleName("Playback speed")
        speed_label = QLabel("Speed")
        speed_label.setBuddy(self.speed_box)
        self.transcript_view = TranscriptView()
        self.hint_label = QLabel(HINT)
        self.hint_label.setObjectName("status")  # the app's muted style
        self.hint_label.setWordWrap(True)
        font = self.hint_label.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.hint_label.setFont(font)
        self.message_label = QLabel()
        self.message_label.setObjectName("message")
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName("Replay problem")
        self.message_label.hide()

        controls = QHBoxLayout()
        controls.addWidget(self.play_button)
        controls.addWidget(self.time_label)
        controls.addStretch(1)
        controls.addWidget(speed_label)
        controls.addWidget(self.speed_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.waveform)
        layout.addLayout(controls)
        layout.addWidget(self.transcript_view)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.message_label)
        self.transcript_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)

        self._timer = QTimer(self)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self._tick)
        self.play_button.clicked.connect(self.toggle)
        self.speed_box.activated.connect(lambda i: self.set_speed(self.speed_box.itemData(i)))
        self.waveform.seekRequested.connect(self.seek)
        self.transcript_view.wordClicked.connect(self.seek)
        self._audio_finished.connect(self._on_finished)
        for widget in (self, self.waveform, self.play_button, self.transcript_view):
            widget.installEventFilter(self)
        self._set_ready(False)

    # -- public API ----------------------------------------------------------------------------

    def load(self, audio_path: str | Path, transcript: Transcript | None = None) -> None:
        """Show ``transcript`` now and read the recording in the background (``loaded`` follows)."""
        self._generation += 1
        generation = self._generation
        self._set_playing(False)
        self._set_ready(False)
        self._show_message("")
        self.transcript_view.set_transcript(transcript)
        self.waveform.set_envelope(envelope([]), 0.0)
        self._duration = 0.0
        self._show_position(0.0)

        def read():
            duration = self.player.load(audio_path)
            return duration, envelope(self.player.samples)

        self.runner.submit(read, lambda result: self._loaded(generation, *result),
                           lambda exc: self._failed(generation, exc))

    def play_from(self, seconds: float) -> None:
        """Hear the answer from ``seconds`` (a key point's evidence, say)."""
        self.seek(seconds)
        self.play()

    def play(self) -> None:
        if not self._ready or self._playing:
            return
        self._set_playing(True)
        generation = self._generation
        self.runner.submit(self.player.play, None, lambda exc: self._failed(generation, exc))

    def pause(self) -> None:
        if not self._playing:
            return
        self._set_playing(False)
        self.runner.submit(self.player.pause, lambda _: self._show_position(self.player.position))

    def toggle(self) -> None:
        self.pause() if self._playing else self.play()

    def seek(self, seconds: float) -> None:
        if not self._ready:
            return
        seconds = min(max(0.0, seconds), self._duration)
        self.player.seek(seconds)
        self._show_position(seconds)

    def skip(self, delta: float) -> None:
        self.seek(self._position + delta)

    def set_speed(self, speed: float) -> None:
        """0.75, 1, 1.25 or 1.5; the first use of a speed renders it in the background."""
        self.speed_box.setCurrentIndex(SPEEDS.index(speed))
        self.runner.submit(lambda: self.player.set_speed(speed), None,
                           lambda exc: self._failed(self._generation, exc))

    def slower(self) -> None:
        self.set_speed(SPEEDS[max(0, self.speed_box.currentIndex() - 1)])

    def faster(self) -> None:
        self.set_speed(SPEEDS[min(len(SPEEDS) - 1, self.speed_box.currentIndex() + 1)])

    def release(self) -> None:
        """Close the speaker (call before dropping the view); returns at once."""
        self._set_playing(False)
        self.runner.submit(self.player.close)

    @property
    def position(self) -> float:
        return self._position

    @property
    def duration(self) -> float:
        return self._duration

    @property
    def speed(self) -> float:
        return self.speed_box.currentData()

    @property
    def is_playing(self) -> bool:
        return self._playing

    def message(self) -> str:
        return self.message_label.text()

    # -- keyboard ------------------------------------------------------------------------------

    def _key_action(self, event):
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return None
        key = event.key()
        if key in (Qt.Key.Key_Space, Qt.Key.Key_K):
            return self.toggle
        if key in (Qt.Key.Key_Left, Qt.Key.Key_J):
            return lambda: self.skip(-STEP_S)
        if key in (Qt.Key.Key_Right, Qt.Key.Key_L):
            return lambda: self.skip(STEP_S)
        if key == Qt.Key.Key_Home:
            return lambda: self.seek(0.0)
        if key == Qt.Key.Key_BracketLeft:
            return self.slower
        if key == Qt.Key.Key_BracketRight:
            return self.faster
        return None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Claim our keys before a window-wide shortcut (the main window's Space) takes them.
        if event.type() == QEvent.Type.ShortcutOverride and self._key_action(event):
            event.accept()
            return True
        if event.type() == QEvent.Type.KeyPress:
            action = self._key_action(event)
            if action:
                action()
                return True
        return super().eventFilter(obj, event)

    # -- internals -----------------------------------------------------------------------------

    def _loaded(self, generation: int, duration: float, env) -> None:
        if generation != self._generation:
            return
        self._duration = duration
        self.waveform.set_envelope(env, duration)
        self._set_ready(True)
        self._show_position(0.0)
        self.loaded.emit(duration)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        if not isinstance(exc, UserError):
            raise exc
        self._set_playing(False)
        self._show_message(first_line(exc))
        self.failed.emit(first_line(exc))

    def _on_finished(self) -> None:
        if not self._playing:
            return
        self._set_playing(False)
        self._show_position(self.player.position)
        self.runner.submit(self.player.pause)  # closes the finished stream

    def _tick(self) -> None:
        self._show_position(self.player.position)

    def _show_position(self, seconds: float) -> None:
        self._position = seconds
        self.waveform.set_position(seconds)
        self.time_label.setText(f"{clock(seconds)} / {clock(self._duration)}")
        self.transcript_view.highlight_at(seconds)
        self.positionChanged.emit(seconds)

    def _set_playing(self, playing: bool) -> None:
        if playing == self._playing:
            return
        self._playing = playing
        self.play_button.setText("Pause" if playing else "Play")
        self.play_button.setAccessibleName(self.play_button.text())
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
        if playing:
            self._show_message("")
            self._timer.start()
        else:
            self._timer.stop()
        self.playingChanged.emit(playing)

    def _set_ready(self, ready: bool) -> None:
        self._ready = ready
        for widget in (self.play_button, self.waveform, self.speed_box):
            widget.setEnabled(ready)

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def hideEvent(self, event) -> None:
        self.pause()  # leaving the page stops the sound
        super().hideEvent(event)
