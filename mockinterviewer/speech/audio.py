"""Reading audio files and preparing samples for Whisper (16 kHz mono float32)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np

from mockinterviewer.errors import AudioError

SAMPLE_RATE = 16000
# Below this peak (about -54 dBFS) a recording holds no speech a microphone could have picked up.
SILENCE_PEAK = 0.002


def load_audio(path: str | Path) -> np.ndarray:
    """The file's samples as 16 kHz mono float32; AudioError with one sentence if that fails."""
    path = Path(path)
    _check_file(path)
    try:
        samples, rate = _read_soundfile(path)
    except Exception:
        samples, rate = _read_with_av(path), SAMPLE_RATE
    if samples.size == 0:
        raise AudioError(f"{path} contains no audio.")
    if not np.isfinite(samples).all():  # a float file can hold NaN: Whisper spent 33 s on it, for ")))"
        raise AudioError(f"{path} holds samples that are not numbers (NaN or infinity), so it is not usable audio.")
    return resample(samples, rate, SAMPLE_RATE)


def _check_file(path: Path) -> None:
    """A regular file this process may read, or AudioError saying what it is instead; opened
    without blocking, so a named pipe is refused rather than waited on."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise AudioError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise AudioError(f"{path} is a folder, not an audio file.") from None
    except OSError as exc:
        raise AudioError(f"{path} cannot be read ({exc.strerror or exc}).") from None
    try:
        info = os.fstat(fd)
    finally:
        os.close(fd)
    if stat.S_ISDIR(info.st_mode):
        raise AudioError(f"{path} is a folder, not an audio file.")
    if not stat.S_ISREG(info.st_mode):
        raise AudioError(f"{path} is not a regular file (a pipe, socket or device), so it was not read.")
    if info.st_size == 0:
        raise AudioError(f"{path} is empty.")


def _read_soundfile(path: Path) -> tuple[np.ndarray, int]:
    import soundfile

    data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    return data.mean(axis=1).astype(np.float32), rate


def _read_with_av(path: Path) -> np.ndarray:
    """Formats libsndfile does not read (mp3, m4a, webm...) through FFmpeg, via PyAV."""
    from faster_whisper.audio import decode_audio

    try:
        return decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except Exception:
        raise AudioError(f"{path} is not an audio file that can be read.") from None


def resample(samples: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    """Band-limited resampling through FFmpeg's swresample (PyAV ships with faster-whisper)."""
    samples = np.ascontiguousarray(samples, dtype=np.float32)
    if rate == target or samples.size == 0:
        return samples
    import av

    resampler = av.AudioResampler(format="flt", layout="mono", rate=target)
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = int(rate)
    out = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    out += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(out).astype(np.float32) if out else np.zeros(0, np.float32)


def block_peak(block: np.ndarray) -> float:
    """Peak of a block, 0..1; for 16-bit blocks without abs(), which overflows at -32768 and allocates."""
    if len(block) == 0:
        return 0.0
    if block.dtype == np.int16:
        return max(int(block.max()), -int(block.min())) / 32768
    return float(np.abs(block).max())


def is_silent(samples: np.ndarray) -> bool:
    return block_peak(samples) < SILENCE_PEAK


class StreamResampler:
    """Resamples a stream block by block (16-bit device blocks to 16 kHz float32), keeping the
    filter's state between blocks so that no clicks appear at block edges."""

    def __init__(self, rate: int, target: int = SAMPLE_RATE):
        import av

        self.rate = rate
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=target) if rate != target else None
        self._pts = 0

    def feed(self, block: np.ndarray) -> np.ndarray:
        samples = block.astype(np.float32) / 32768 if block.dtype == np.int16 else block.astype(np.float32)
        if self._resampler is None:
            return samples
        import av

        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = self.rate
        frame.pts = self._pts
        self._pts += len(samples)
        out = [f.to_ndarray().reshape(-1) for f in self._resampler.resample(frame)]
        return np.concatenate(out) if out else np.zeros(0, np.float32)
