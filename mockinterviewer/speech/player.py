"""Playing audio (the spoken question, a recorded answer) through sounddevice, interruptibly."""

from __future__ import annotations

import threading

import numpy as np

from mockinterviewer.errors import DeviceError
from mockinterviewer.speech import devices


class SoundDevicePlayer:
    def __init__(self, device=None):
        self.device = device
        self._stops = 0  # stop() counts up; a play ends when the count moves past the one it began with

    def play(self, samples: np.ndarray, samplerate: int) -> None:
        """Play mono float32 samples; return when they have been played or ``stop`` was called."""
        sd = devices.sounddevice()
        info = devices.find(self.device, "output")
        samples = np.ascontiguousarray(samples, dtype=np.float32).reshape(-1)
        started_at = self._stops
        stopped = lambda: self._stops != started_at  # noqa: E731 - a later play cannot un-stop this one
        done = threading.Event()
        pos = 0

        def callback(outdata, frames, _time, _status):
            nonlocal pos
            chunk = samples[pos:pos + frames]
            outdata[: len(chunk), 0] = chunk
            outdata[len(chunk):, 0] = 0
            pos += len(chunk)
            if pos >= len(samples) or stopped():
                raise sd.CallbackStop

        with devices.portaudio_lock:  # not while the device list is being rescanned
            try:
                stream = sd.OutputStream(device=info["index"], samplerate=samplerate, channels=1, dtype="float32",
                                         callback=callback, finished_callback=done.set)
                stream.start()  # a busy or exclusive device fails here, not only at opening
            except sd.PortAudioError as exc:
                raise DeviceError(f"The speaker {info['name']!r} could not be opened ({exc}).") from None
        try:
            while not done.wait(0.05):
                if stopped():
                    break
        finally:
            stream.close(ignore_errors=True)

    def stop(self) -> None:
        self._stops += 1
