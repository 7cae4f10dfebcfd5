"""The small interfaces the front ends program against; tests and later back ends plug in here."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from mockinterviewer.core.transcript import Transcript


class Transcriber(Protocol):
    model_label: str

    def load(self) -> None:
        """Load the model (slow: call off the GUI thread). Idempotent."""

    def transcribe(self, audio: np.ndarray, prompt: str | None = None) -> Transcript:
        """Transcribe 16 kHz mono float32 samples."""


class QuestionSpeaker(Protocol):
    def speak(self, text: str) -> None:
        """Say ``text`` aloud and return when done or stopped (blocks: call off the GUI thread)."""

    def stop(self) -> None:
        """Stop speaking now."""


class Player(Protocol):
    def play(self, samples: np.ndarray, samplerate: int) -> None:
        """Play and return when done or stopped (blocks)."""

    def stop(self) -> None: ...


class Recorder(Protocol):
    @property
    def level(self) -> float:
        """Peak of the latest block, 0..1, for a live meter (safe to read from any thread)."""

    @property
    def seconds(self) -> float: ...

    def start(self, path: Path) -> None: ...

    def stop(self) -> "Recording": ...


class Recording(Protocol):
    path: Path
    seconds: float
