"""Speech to text with faster-whisper, on CUDA when CTranslate2 sees a GPU, else CPU int8."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mockinterviewer.core.transcript import Transcript, Word
from mockinterviewer.errors import AudioError, ModelError
from mockinterviewer.speech import models
from mockinterviewer.speech.audio import SAMPLE_RATE, is_silent


def cuda_device_count() -> int:
    try:
        import ctranslate2

        return ctranslate2.get_cuda_device_count()
    except Exception:  # a broken CUDA install must not stop the CPU path
        return 0


def choose_device(requested: str = "auto") -> tuple[str, str]:
    """(device, compute_type): float16 on a GPU, int8 on the CPU."""
    if requested not in ("auto", "cpu", "cuda"):
        raise ModelError(f"Unknown compute device {requested!r}; use auto, cpu or cuda.")
    if requested == "cuda" or (requested == "auto" and cuda_device_count() > 0):
        return "cuda", "float16"
    return "cpu", "int8"


def default_cpu_threads() -> int:
    # CTranslate2 slows down past the number of cores it may run on; never more than 8.
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


@dataclass(frozen=True)
class TranscriberSettings:
    model: str = models.DEFAULT_MODEL
    device: str = "auto"
    cpu_threads: int = 0  # 0: from the machine
    cache_dir: Path | None = None


class WhisperTranscriber:
    def __init__(self, settings: TranscriberSettings):
        self.settings = settings
        self.source = models.resolve(settings.model)
        self.device, self.compute_type = choose_device(settings.device)
        self._model = None
        self._lock = threading.Lock()

    @property
    def model_label(self) -> str:
        return self.source.name

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            from faster_whisper import WhisperModel

            cache = self.settings.cache_dir or Path.home() / ".cache" / "mockinterviewer" / "models"
            path = models.fetch(self.source, cache)
            threads = self.settings.cpu_threads or default_cpu_threads()
            try:
                self._model = WhisperModel(str(path), device=self.device, compute_type=self.compute_type,
                                           cpu_threads=threads)
            except Exception as exc:
                if self.device == "cuda" and self.settings.device == "auto":
                    # A GPU CTranslate2 can see but not use (driver or cuDNN missing): fall back.
                    self.device, self.compute_type = "cpu", "int8"
                    self._model = WhisperModel(str(path), device="cpu", compute_type="int8", cpu_threads=threads)
                else:
                    raise ModelError(f"The Whisper model in {path} could not be loaded ({exc}).") from None

    def transcribe(self, audio: np.ndarray, prompt: str | None = None) -> Transcript:
        duration = audio.size / SAMPLE_RATE
        if is_silent(audio):
            raise AudioError("The recording is silent: no sound reached the microphone.")
        self.load()
        segments, _info = self._model.transcribe(
            audio,
            language="en" if self.source.name.endswith(".en") or self.source.bundled else None,
            beam_size=5,
            word_timestamps=True,
            vad_filter=True,  # skips silence, where Whisper otherwise invents text
            condition_on_previous_text=False,  # stops one misheard segment from looping
            initial_prompt=prompt,
        )
        words, texts = [], []
        for seg in segments:
            texts.append(seg.text.strip())
            for w in seg.words or ():
                words.append(Word(w.word.strip(), round(w.start, 2), round(w.end, 2), round(w.probability, 3)))
        text = " ".join(t for t in texts if t)
        if not text:
            raise AudioError("No speech was heard in the recording.")
        return Transcript(text=text, words=tuple(words), duration=duration, model=self.model_label)
