"""Replaying a recorded answer: seekable, pausable, 0.75-1.5x with the voice's pitch kept.

Everything that blocks (reading the file, rendering a speed, opening or closing the speaker)
happens in the calling thread, which in the window is a TaskRunner's: never the GUI thread.
``seek`` and ``position`` only touch a few numbers and are safe from any thread.

The audio callback copies a slice of a pre-rendered buffer and updates the position; it never
renders or allocates buffers. A speed other than 1x is rendered once for the whole answer
(WSOLA, below: about 0.1-0.2 s for a 3-minute answer) and kept, so switching back is instant.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

import numpy as np

from mockinterviewer.errors import DeviceError, first_line
from mockinterviewer.speech import devices
from mockinterviewer.speech.audio import SAMPLE_RATE, load_audio

SPEEDS = (0.75, 1.0, 1.25, 1.5)
# 32 ms blocks: the position (and the highlighted word) moves at least 30 times a second.
BLOCK = 512


def time_stretch(samples: np.ndarray, speed: float, rate: int = SAMPLE_RATE) -> np.ndarray:
    """``samples`` played ``speed`` times as fast with the pitch unchanged (WSOLA).

    Hann-windowed 32 ms frames are laid down every 16 ms of output while the input is read every
    16 ms x speed. Each frame is shifted by up to 10 ms (one period of a 100 Hz voice) to where it
    best continues the previous frame's waveform, so periods line up and the voice neither
    warbles nor changes pitch. Output sample i stands for input sample i x speed.
    """
    samples = np.ascontiguousarray(samples, dtype=np.float32).reshape(-1)
    if speed == 1.0 or samples.size == 0:
        return samples
    frame = int(0.032 * rate) & ~1
    hop = frame // 2
    tol = rate // 100
    step = hop * speed
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame) / frame)).astype(np.float32)
    padded = np.concatenate([np.zeros(tol, np.float32), samples, np.zeros(frame + 2 * tol + hop, np.float32)])
    frames = int(np.ceil(samples.size / step))
    out = np.zeros(frames * hop + frame, np.float32)
    overlap = frame - hop
    prev = tol
    for k in range(frames):
        nominal = int(round(k * step)) + tol
        if k:
            # The input that would have followed the previous frame: match the new frame to it.
            natural = padded[prev + hop: prev + hop + overlap]
            region = padded[nominal - tol: nominal + tol + overlap]
            pos = nominal - tol + int(np.correlate(region, natural, "valid").argmax())
        else:
            pos = nominal
        out[k * hop: k * hop + frame] += padded[pos: pos + frame] * window
        prev = pos
    return out[: int(round(samples.size / speed))]


class ReplayPlayer:
    """One recorded answer on one speaker. Blocking methods: ``load``, ``set_speed``, ``play``,
    ``pause``, ``stop``, ``close``; call them from one worker thread, in order."""

    def __init__(self, device=None, on_finished: Callable[[], None] | None = None):
        self.device = device
        # Called on PortAudio's thread when the sound ends by itself (not on pause or stop).
        self.on_finished = on_finished
        self._lock = threading.Lock()  # the callback's state: buffer, speed, index
        self._stream_lock = threading.Lock()  # opening and closing the stream
        self._source = np.zeros(0, np.float32)
        self._renders: dict[float, np.ndarray] = {}
        self._buffer = self._source
        self._speed = 1.0
        self._index = 0  # next sample of ``_buffer`` to hand to the device
        self._heard = 0  # sample of ``_buffer`` reaching the speaker now (index less the device's delay)
        self._stop_requested = False
        self._ended = False
        self._stream = None
        self._callback_stop = Exception

    # -- loading and speed -------------------------------------------------------------------

    def load(self, path: str | Path) -> float:
        """Read a WAV, FLAC... file (AudioError if it cannot be read); returns its duration."""
        self.load_samples(load_audio(path))
        return self.duration

    def load_samples(self, samples: np.ndarray) -> None:
        """Replace the answer with 16 kHz mono samples; playback (if any) is stopped first."""
        self.stop()
        source = np.ascontiguousarray(samples, dtype=np.float32).reshape(-1)
        renders = {1.0: source}
        if self._speed != 1.0:
            renders[self._speed] = time_stretch(source, self._speed)
        with self._lock:
            self._source, self._renders = source, renders
            self._buffer = renders[self._speed]
            self._index = self._heard = 0
            self._ended = False

    @property
    def samples(self) -> np.ndarray:
        """The answer as loaded (16 kHz mono), at 1x."""
        return self._source

    @property
    def duration(self) -> float:
        return self._source.size / SAMPLE_RATE

    @property
    def speed(self) -> float:
        return self._speed

    def set_speed(self, speed: float) -> None:
        """Play ``speed`` times as fast (0.75-1.5), from the same moment of the answer. Renders
        the answer at that speed the first time (blocking); playback continues meanwhile."""
        if not 0.75 <= speed <= 1.5:
            raise ValueError(f"speed {speed} is outside 0.75-1.5")
        speed = float(speed)
        buffer = self._renders.get(speed)
        if buffer is None:
            buffer = self._renders[speed] = time_stretch(self._source, speed)
        with self._lock:
            ratio = self._speed / speed
            self._index = min(int(self._index * ratio), buffer.size)
            self._heard = min(int(self._heard * ratio), buffer.size)
            self._buffer, self._speed = buffer, speed

    # -- position ------------------------------------------------------------------------------

    @property
    def position(self) -> float:
        """Seconds into the answer being heard now; safe to read from any thread."""
        return self._heard * self._speed / SAMPLE_RATE

    def seek(self, seconds: float) -> None:
        """Move to ``seconds`` into the answer (clamped); does not block, playing or not."""
        with self._lock:
            index = int(max(0.0, seconds) * SAMPLE_RATE / self._speed)
            self._index = self._heard = min(index, self._buffer.size)
            self._ended = False

    @property
    def playing(self) -> bool:
        stream = self._stream
        return stream is not None and stream.active

    # -- the speaker ---------------------------------------------------------------------------

    def play(self) -> None:
        """Start or resume at ``position`` (from the start once the end was reached). Opens the
        speaker: DeviceError with one sentence when it cannot be."""
        with self._stream_lock:
            if self.playing:
                return
            self._close_stream()
            sd = devices.sounddevice()
            info = devices.find(self.device, "output")
            self._callback_stop = sd.CallbackStop
            with self._lock:
                if self._index >= self._buffer.size:
                    self._index = self._heard = 0
                self._stop_requested = self._ended = False
            with devices.portaudio_lock:  # not while the device list is being rescanned
                try:
                    stream = sd.OutputStream(device=info["index"], samplerate=SAMPLE_RATE, channels=1, dtype="float32",
                                             blocksize=BLOCK, callback=self._callback,
                                             finished_callback=self._finished)
                    stream.start()
                except sd.PortAudioError as exc:
                    raise DeviceError(f"The speaker {info['name']!r} could not be opened ({first_line(exc)}).") from None
            self._stream = stream

    def pause(self) -> None:
        """Stop the sound, keep the position: the next ``play`` resumes where it was heard."""
        with self._stream_lock:
            self._stop_requested = True
            self._close_stream()
            with self._lock:
                self._index = self._heard  # what was queued but not heard is played on resume

    def stop(self) -> None:
        """Stop the sound and go back to the start."""
        self.pause()
        self.seek(0.0)

    def close(self) -> None:
        self.pause()

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close(ignore_errors=True)  # aborts: pending buffers are dropped at once

    def _callback(self, outdata, frames, time, _status) -> None:
        with self._lock:
            buffer, i = self._buffer, self._index
            n = max(0, min(frames, buffer.size - i))
            outdata[:n, 0] = buffer[i:i + n]
            outdata[n:, 0] = 0.0
            # This block reaches the speaker after the device's delay; until then the previous
            # samples are what is heard. (File devices report no delay: clamp to 0-0.5 s.)
            delay = min(max(time.outputBufferDacTime - time.currentTime, 0.0), 0.5)
            self._heard = max(0, i - int(delay * SAMPLE_RATE)) if n else buffer.size
            self._index = i + n
            if n < frames:
                self._ended = True
        if self._ended or self._stop_requested:
            raise self._callback_stop

    def _finished(self) -> None:
        if self._stop_requested:
            return  # paused or stopped: not the end
        with self._lock:
            if self._ended:  # (a seek just before the end cleared it: then keep that position)
                self._heard = self._buffer.size
        if self.on_finished is not None:
            self.on_finished()
