"""Speech to text with faster-whisper, on CUDA when CTranslate2 sees a GPU, else CPU int8."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mockinterviewer.core.transcript import Transcript, Word
from mockinterviewer.errors import AudioError, ModelError, first_line
from mockinterviewer.speech import models
from mockinterviewer.speech.cuda import cuda_device_count
from mockinterviewer.speech.model_choice import AUTO, ModelChoice
from mockinterviewer.speech.audio import SAMPLE_RATE, is_silent
from mockinterviewer.speech.invented import without_repeats, without_stock_phrases


DEVICES = ("auto", "cpu", "cuda")


def choose_device(requested: str = "auto") -> tuple[str, str]:
    """(device, compute_type): float16 on a GPU, int8 on the CPU."""
    if requested not in DEVICES:
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
    model: str = AUTO  # "auto": chosen for this computer in load() (speech/model_choice.py)
    device: str = "auto"
    cpu_threads: int = 0  # 0: from the machine
    cache_dir: Path | None = None


class WhisperTranscriber:
    """Cheap to make: the model is found, the device chosen and the weights loaded in ``load``,
    which front ends call off the GUI thread (importing CTranslate2 alone takes a while)."""

    def __init__(self, settings: TranscriberSettings):
        if settings.device not in DEVICES:
            raise ModelError(f"Unknown compute device {settings.device!r}; use auto, cpu or cuda.")
        self.settings = settings
        self.source: models.ModelSource | None = None
        self.device, self.compute_type = settings.device, ""
        self._model = None
        self._lock = threading.Lock()
        self._use = threading.Lock()
        self.fallback_reason = ""  # why the CPU is used although a GPU was seen
        self.choice: ModelChoice | None = None  # the model chosen for this computer, when the setting is "auto"

    @property
    def model_label(self) -> str:
        return self.source.name if self.source else (self.settings.model or AUTO)

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            cache = self.settings.cache_dir or Path.home() / ".cache" / "mockinterviewer" / "models"
            name = self.settings.model or AUTO
            if name == AUTO:
                from mockinterviewer.speech.model_choice import for_this_machine

                self.choice = for_this_machine(cache, self.settings.device)
                name = self.choice.name
            self.source = models.resolve(name)
            self.device, self.compute_type = choose_device(self.settings.device)
            path = models.fetch(self.source, cache)
            if self.device == "cuda":
                try:
                    self._model = self._open(path, "cuda", self.compute_type)
                    self._warm_up()
                    return
                except Exception as exc:  # CUDA or cuDNN libraries missing, or out of GPU memory
                    self._model = None
                    reason = first_line(exc)
                    if self.settings.device == "cuda":
                        raise ModelError(f"The GPU cannot run the Whisper model ({reason}); CTranslate2 needs "
                                         "CUDA 12 cuBLAS and cuDNN 9, or choose the CPU with --device cpu.") from None
                    self.fallback_reason = f"the GPU could not be used: {reason}"
                    self.device, self.compute_type = "cpu", "int8"
            self._model = self._open(path, "cpu", "int8")

    def _open(self, path: Path, device: str, compute_type: str):
        from faster_whisper import WhisperModel

        try:
            return WhisperModel(str(path), device=device, compute_type=compute_type,
                                cpu_threads=self.settings.cpu_threads or default_cpu_threads())
        except Exception as exc:
            if device == "cuda":
                raise
            raise ModelError(f"The Whisper model in {path} could not be loaded ({first_line(exc)}).") from None

    def _warm_up(self) -> None:
        """Decode one second of silence: CTranslate2 loads cuBLAS and cuDNN only on first use,
        so a GPU that cannot run the model is found now, not in the middle of an answer."""
        segments, _ = self._model.transcribe(np.zeros(SAMPLE_RATE, np.float32), vad_filter=False,
                                             without_timestamps=True, language="en")
        list(segments)

    def transcribe(self, audio: np.ndarray, prompt: str | None = None, short_tail: bool = False,
                   word_timestamps: bool = True, ends_answer: bool = True) -> Transcript:
        """Transcribe 16 kHz samples. ``prompt`` biases the decoder towards its words; a
        ``short_tail`` (the last second or two of an answer) is decoded greedily, because
        temperature fallback on so little audio tends to invent words rather than fix them.
        Stock phrases and repeated runs of words are taken out (speech/invented.py); a stock
        phrase may only end the answer, so a stretch from its middle passes ``ends_answer=False``.
        Without ``word_timestamps`` the words get approximate times, in about half the time of an
        aligned decode when a prompt is given."""
        duration = audio.size / SAMPLE_RATE
        if is_silent(audio):
            raise AudioError("The recording is silent: no sound reached the microphone.")
        self.load()
        with self._use:  # one decode at a time: two would only share the same cores
            segments, _info = self._model.transcribe(
                audio,
                language="en" if self.source.name.endswith(".en") or self.source.bundled else None,
                beam_size=5,
                word_timestamps=word_timestamps,
                vad_filter=True,  # skips silence, where Whisper otherwise invents text
                condition_on_previous_text=False,  # stops one misheard segment from looping
                initial_prompt=prompt,
                temperature=0.0 if short_tail else (0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
            )
            segments = [seg for seg in segments if not _invented(seg)]
        words, texts = [], []
        for i, seg in enumerate(segments):
            if word_timestamps:
                said = [Word(w.word.strip(), round(float(w.start), 2), round(float(w.end), 2),
                             round(float(w.probability), 3)) for w in seg.words or ()]
            else:  # spread over the segment: approximate, but aligning words costs a third of a decode
                spoken = seg.text.split()
                step = (seg.end - seg.start) / max(len(spoken), 1)
                confidence = round(float(np.exp(seg.avg_logprob)), 3)
                said = [Word(w, round(seg.start + k * step, 2), round(seg.start + (k + 1) * step, 2), confidence)
                        for k, w in enumerate(spoken)]
            # A closing "thank you" is believed only at the very end, and only when speech was surely there.
            closing = ends_answer and i == len(segments) - 1 and seg.no_speech_prob <= 0.3
            kept = without_stock_phrases(said, keep_last=closing)
            # Whisper's own text keeps "bias-variance" whole, which joined words would not.
            texts.append(seg.text.strip() if len(kept) == len(said) else " ".join(w.text for w in kept))
            words += kept
        unrepeated = without_repeats(words)
        if len(unrepeated) != len(words):
            words, texts = unrepeated, [w.text for w in unrepeated]
        text = " ".join(t for t in texts if t)
        if not text:
            raise AudioError("No speech was heard in the recording.")
        return Transcript(text=text, words=tuple(words), duration=duration, model=self.model_label)


# What Whisper writes when it hears no speech, learned from subtitles ("Thank you.", "you").
_SILENCE_PHRASES = {"thank you", "thanks for watching", "you", "bye", "thank you for watching", "subtitles by"}


def _invented(segment) -> bool:
    """A segment Whisper most likely made up: its own no-speech probability is high and it is
    unsure of the words (the rule Whisper itself uses), or it is one of its stock phrases for
    silence with a no-speech probability well above zero."""
    if segment.no_speech_prob > 0.6 and segment.avg_logprob < -1.0:
        return True
    text = segment.text.strip().lower().strip(".!?, ")
    return text in _SILENCE_PHRASES and segment.no_speech_prob > 0.3
