"""Recording an answer from the microphone into a WAV file.

The PortAudio callback only copies each block into a queue (no allocation beyond the copy, no
file work); 16-bit samples, as every device offers them and the WAV stores them; a writer thread appends the blocks to the file as they come, so a long answer never
sits only in memory. The answer length limit is counted in samples, not wall time, so it holds
for any device clock.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from pathlib import Path

from mockinterviewer.errors import DeviceError
from mockinterviewer.speech import devices
from mockinterviewer.speech.audio import block_peak

# Rates to try, best first, when the device's own default is refused.
FALLBACK_RATES = (48000, 44100, 32000, 16000)


@dataclass(frozen=True)
class Recording:
    path: Path
    samplerate: int
    seconds: float
    overflows: int
    hit_limit: bool
    device_lost: bool = False  # the stream ended on its own: the microphone went away mid-answer


class SoundDeviceRecorder:
    def __init__(self, device=None, max_seconds: float | None = None):
        self.device = device
        self.max_seconds = max_seconds
        self._stream = None
        self._writer: threading.Thread | None = None
        self._queue: queue.Queue = queue.Queue()
        self._frames = 0
        self._max_frames = None
        self._level = 0.0
        self._overflows = 0
        self._hit_limit = False
        self._stopping = False
        self.device_lost = False
        self._error: BaseException | None = None
        self.finished = threading.Event()  # set when the stream ends (stop, limit, or device loss)
        self.on_finished = None  # optional callable, run on PortAudio's thread when the stream ends
        self.on_audio = None  # optional callable(int16 block), run on the writer thread as audio arrives
        self.samplerate = 0
        self.path: Path | None = None

    @property
    def level(self) -> float:
        return self._level

    @property
    def seconds(self) -> float:
        return self._frames / self.samplerate if self.samplerate else 0.0

    @property
    def active(self) -> bool:
        return self._stream is not None and not self.finished.is_set()

    def start(self, path: Path) -> None:
        sd = devices.sounddevice()
        info = devices.find(self.device, "input")
        self.samplerate = self._pick_rate(sd, info)
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._frames, self._level, self._overflows, self._hit_limit = 0, 0.0, 0, False
        self._stopping = self.device_lost = False
        self._max_frames = int(self.max_seconds * self.samplerate) if self.max_seconds else None
        self.finished.clear()
        self._callback_stop = sd.CallbackStop
        self._queue = queue.Queue()
        self._writer = threading.Thread(target=self._write, name="recorder-writer", daemon=True)
        with devices.portaudio_lock:  # not while the device list is being rescanned
            try:
                self._stream = sd.InputStream(device=info["index"], samplerate=self.samplerate, channels=1,
                                              dtype="int16", callback=self._callback,
                                              finished_callback=self._stream_finished)
                self._writer.start()
                self._stream.start()
            except sd.PortAudioError as exc:
                self._queue.put(None)
                self._stream = None
                raise DeviceError(f"The microphone {info['name']!r} could not be opened ({exc}).") from None

    def _pick_rate(self, sd, info) -> int:
        for rate in (int(info["default_samplerate"]), *FALLBACK_RATES):
            try:
                sd.check_input_settings(device=info["index"], samplerate=rate, channels=1, dtype="int16")
                return rate
            except Exception:
                continue
        raise DeviceError(f"The microphone {info['name']!r} accepts none of the usual sample rates.")

    def _callback(self, indata, frames, _time, status):
        if status.input_overflow:
            self._overflows += 1
        block = indata[:, 0]
        if self._max_frames is not None and self._frames + frames >= self._max_frames:
            block = block[: self._max_frames - self._frames]
            self._hit_limit = True
        self._queue.put(block.copy())
        self._frames += len(block)
        self._level = block_peak(block)
        if self._hit_limit:
            raise self._callback_stop

    @property
    def overflows(self) -> int:
        """Blocks PortAudio reported as overflowed (audio the computer could not take in time)."""
        return self._overflows

    def _stream_finished(self):
        if self.finished.is_set():
            return
        # Neither stop() nor the time limit: PortAudio ended the stream, as when a USB headset is unplugged.
        self.device_lost = not (self._stopping or self._hit_limit)
        self._queue.put(None)
        self.finished.set()
        if self.on_finished:
            self.on_finished()

    def _write(self):
        import soundfile

        try:
            with soundfile.SoundFile(str(self.path), "w", samplerate=self.samplerate, channels=1,
                                     format="WAV", subtype="PCM_16") as out:
                written_since_flush = 0
                while (block := self._queue.get()) is not None:
                    out.write(block)
                    if self.on_audio is not None:
                        self.on_audio(block)
                    written_since_flush += len(block)
                    if written_since_flush >= self.samplerate:  # header brought up to date each second
                        out.flush()
                        written_since_flush = 0
        except Exception as exc:  # disk full, folder gone: reported by stop()
            self._error = exc
            while self._queue.get() is not None:
                pass

    def stop(self) -> Recording:
        """End the recording (if the limit has not already) and return it once the file is complete."""
        if self._stream is None:
            raise DeviceError("No recording is running.")
        stream, self._stream = self._stream, None
        self._stopping = True
        try:
            stream.stop()
            stream.close()
        except Exception:
            pass  # a device that vanished mid-answer: keep what was written
        if not self.finished.is_set():  # close() normally ends it; make sure the writer stops
            self._stream_finished()
        self._writer.join()
        if self._error is not None:
            if _disk_full(self.path):
                raise DeviceError(f"The disk holding {self.path.parent} is full, so the answer could not be saved; "
                                  "free some space and answer again (answers saved before are kept).")
            raise DeviceError(f"The answer could not be saved to {self.path} ({self._error}).")
        return Recording(self.path, self.samplerate, self.seconds, self._overflows, self._hit_limit, self.device_lost)


def _disk_full(path: Path) -> bool:
    """libsndfile reports a full disk only as "System error"; the free space says what it was."""
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < 1_000_000
    except OSError:
        return False
