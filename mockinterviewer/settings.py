"""The user's settings as one plain value, and the adapters built from it.

The window keeps these in QSettings and the CLI takes them from its options; either way the
adapters are handed what they need here and never read settings themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mockinterviewer import paths
from mockinterviewer.speech import models


@dataclass(frozen=True)
class Settings:
    model: str = models.DEFAULT_MODEL
    device: str = "auto"           # auto | cpu | cuda
    input_device: str | None = None
    output_device: str | None = None
    voice: str | None = None
    rate: int | None = None        # words per minute for text-to-speech
    max_answer_seconds: float = 300.0

    def with_(self, **changes) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def make_transcriber(settings: Settings):
    from mockinterviewer.speech.transcriber import TranscriberSettings, WhisperTranscriber

    return WhisperTranscriber(TranscriberSettings(model=settings.model, device=settings.device,
                                                  cache_dir=paths.models_cache_dir()))


def make_player(settings: Settings):
    from mockinterviewer.speech.player import SoundDevicePlayer

    return SoundDevicePlayer(settings.output_device)


def make_recorder(settings: Settings):
    from mockinterviewer.speech.recorder import SoundDeviceRecorder

    return SoundDeviceRecorder(settings.input_device, max_seconds=settings.max_answer_seconds)


def make_speaker(settings: Settings, player=None):
    from mockinterviewer.speech.tts import Pyttsx3Speaker

    return Pyttsx3Speaker(player or make_player(settings), voice=settings.voice, rate=settings.rate)
