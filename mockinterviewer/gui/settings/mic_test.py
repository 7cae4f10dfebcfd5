"""The settings' microphone test: a level meter, then three seconds recorded and played back.

Opening the microphone, recording, reading the file and playing it all run on the TaskRunner the
widget is given; the GUI thread only polls the recorder's level (a float) for the meter, as the
question page does while an answer is recorded.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from mockinterviewer.errors import DeviceError, UserError, first_line

TEST_SECONDS = 3.0
SILENT_PEAK = 10 ** (-60 / 20)  # below -60 dBFS: nothing reached the microphone


def _record_and_play(recorder, speaker_device) -> float:
    """On a worker: record TEST_SECONDS into a temporary file, play it back; the recording's peak."""
    import numpy as np

    from mockinterviewer.speech.audio import load_audio
    from mockinterviewer.speech.player import SoundDevicePlayer

    with tempfile.TemporaryDirectory(prefix="mi-mic-test-") as folder:
        recorder.start(Path(folder) / "test.wav")
        if not recorder.finished.wait(TEST_SECONDS + 10):  # a microphone that sends nothing ends no stream
            recorder.stop()
            raise DeviceError("The microphone sent no sound for 13 seconds; is it muted or in use by another program?")
        recording = recorder.stop()
        samples = load_audio(recording.path)
    peak = float(np.abs(samples).max()) if samples.size else 0.0
    if peak >= SILENT_PEAK:
        SoundDevicePlayer(speaker_device).play(samples, 16000)
    return peak


class MicTest(QWidget):
    finished = Signal(str)  # the sentence shown once the test is over

    def __init__(self, runner, devices, parent=None):
        """``devices()`` gives (microphone, speaker) as chosen in the dialog right now."""
        super().__init__(parent)
        self.runner, self.devices = runner, devices
        self.button = QPushButton("Test the microphone")
        self.button.setAccessibleName("Test the microphone")
        self.button.setToolTip(f"Records {TEST_SECONDS:g} seconds and plays them back, so you hear how you sound.")
        self.button.clicked.connect(self.start)
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(10)
        self.meter.setAccessibleName("Microphone level")
        self.status = QLabel("")
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Microphone test")
        self.status.hide()  # no empty line under the button until there is something to say
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.meter, 1)
        self.recorder = None
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._poll)

    def start(self) -> None:
        from mockinterviewer.speech.recorder import SoundDeviceRecorder

        microphone, speaker = self.devices()
        self.recorder = recorder = SoundDeviceRecorder(microphone, max_seconds=TEST_SECONDS)
        self.button.setEnabled(False)
        self.meter.setValue(0)
        self.status.setText(f"Say something: recording {TEST_SECONDS:g} seconds, then you hear them back…")
        self.status.show()
        self._timer.start()
        import shiboken6

        def alive(callback):  # the dialog may be closed before the test ends
            return lambda value: callback(value) if shiboken6.isValid(self) else None
        self.runner.submit(lambda: _record_and_play(recorder, speaker), alive(self._done), alive(self._failed))

    def _poll(self) -> None:
        if self.recorder is not None and self.recorder.active:
            self._show_level(self.recorder.level)

    def _show_level(self, peak: float) -> None:
        from mockinterviewer.gui.session.question_page import level_percent

        self.meter.setValue(level_percent(peak))

    def _done(self, peak: float) -> None:
        self._end()
        self._show_level(peak)
        if peak < SILENT_PEAK:
            self._say("No sound reached the microphone: check that it is the one chosen above and not muted.")
        else:
            self._say("Played back what the microphone heard. If it sounded clear, it is ready.")

    def _failed(self, exc: BaseException) -> None:
        self._end()
        self._say(str(exc) if isinstance(exc, UserError) else f"The microphone test failed ({first_line(exc)}).")

    def _end(self) -> None:
        self._timer.stop()
        self.button.setEnabled(True)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.finished.emit(text)
