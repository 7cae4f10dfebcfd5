"""Reading audio files and preparing samples for Whisper (16 kHz mono float32)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mockinterviewer.errors import AudioError

SAMPLE_RATE = 16000
# Below this peak (about -54 dBFS) a recording holds no speech a microphone could have picked up.
SILENCE_PEAK = 0.002


def load_audio(path: str | Path) -> np.ndarray:
    """The file's samples as 16 kHz mono float32; AudioError with one sentence if that fails."""
    path = Path(path)
    if not path.exists():
        raise AudioError(f"{path}: no such file.")
    if path.is_dir():
        raise AudioError(f"{path} is a folder, not an audio file.")
    if path.stat().st_size == 0:
        raise AudioError(f"{path} is empty.")
    try:
        samples, rate = _read_soundfile(path)
    except Exception:
        samples, rate = _read_with_av(path), SAMPLE_RATE
    if samples.size == 0:
        raise AudioError(f"{path} contains no audio.")
    return resample(samples, rate, SAMPLE_RATE)


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
