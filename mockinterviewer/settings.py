"""The user's settings as one plain value, and the adapters built from it.

The window keeps these in QSettings and the CLI takes them from its options; either way the
adapters are handed what they need here and never read settings themselves.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, replace
from pathlib import Path

from mockinterviewer import paths
from mockinterviewer.speech.model_choice import AUTO

COMPUTE_DEVICES = ("auto", "cpu", "cuda")
RATE_RANGE = (100, 250)              # words per minute offered for text-to-speech
MAX_ANSWER_RANGE = (10.0, 3600.0)    # seconds
SILENCE_STOP_RANGE = (0.0, 60.0)     # seconds; 0 is off
LLM_TIMEOUT_RANGE = (1.0, 600.0)     # seconds for one reply of the language model


@dataclass(frozen=True)
class Settings:
    model: str = AUTO              # a model name or folder; auto: chosen for this computer
    device: str = "auto"           # auto | cpu | cuda
    input_device: str | None = None
    output_device: str | None = None
    voice: str | None = None
    rate: int | None = None        # words per minute for text-to-speech; None: the voice's own
    max_answer_seconds: float = 300.0
    silence_stop_seconds: float = 0.0  # stop an answer after this much quiet; 0: off
    data_dir: str | None = None    # history and recordings; None: the platform's user data folder
    # An OpenAI-compatible chat endpoint the user runs (docs/language-model.md). Empty: none, and no
    # connection is ever made.
    llm_endpoint: str = ""
    llm_model: str = ""
    llm_timeout: float = 60.0
    llm_allow_remote: bool = False  # the user typed another host and confirmed sending answers there
    llm_score_rule: str = "show"    # show | raise (core/second_opinion.py)

    def with_(self, **changes) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def data_folder(self) -> Path:
        return Path(self.data_dir).expanduser() if self.data_dir else paths.data_dir()

    def recordings_folder(self) -> Path:
        return self.data_folder() / "recordings"


def with_connected_devices(settings: Settings) -> tuple[Settings, list[str]]:
    """The settings to run with now: a saved microphone or speaker that is not connected gives way
    to the system default (the saved choice is kept for when it returns), with a sentence saying so.
    Queries PortAudio, so call it off the GUI thread."""
    from mockinterviewer.errors import DeviceError
    from mockinterviewer.speech import devices

    changes, notes = {}, []
    for kind, noun in (("input", "microphone"), ("output", "speaker")):
        name = getattr(settings, f"{kind}_device")
        if not name:
            continue
        try:
            devices.find(name, kind)
        except DeviceError:
            changes[f"{kind}_device"] = None
            notes.append(f"The {noun} {name!r} is not connected, so the system default {noun} is used.")
    return replace(settings, **changes), notes


def with_usable_data_folder(settings: Settings) -> tuple[Settings, list[str]]:
    """The settings to run with now: a chosen data folder that cannot be made, or is a file, gives
    way to the default folder (the saved choice is kept), with a sentence saying so. Touches the
    file system, so call it before the window exists."""
    if not settings.data_dir:
        return settings, []
    folder = settings.data_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    except (OSError, RuntimeError) as exc:  # RuntimeError: a "~user" that does not exist
        reason = "it is a file, not a folder" if folder.is_file() else (getattr(exc, "strerror", None) or str(exc))
        return replace(settings, data_dir=None), [
            f"The data folder {folder} cannot be used ({reason}), so the default folder {paths.data_dir()} is used."]
    return settings, []


def make_advisor(settings: Settings):
    """The language model for one session, or None when none is configured (nothing is imported then).
    Raises EndpointError (a UserError) for an address that is not on this computer and not confirmed."""
    if not settings.llm_endpoint.strip():
        return None
    from mockinterviewer.llm.advisor import Advisor
    from mockinterviewer.llm.client import ChatClient, LLMConfig

    client = ChatClient(LLMConfig(settings.llm_endpoint, settings.llm_model, settings.llm_timeout,
                                  settings.llm_allow_remote))
    return Advisor(client, settings.llm_score_rule)


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

    # Rendered questions are cached beside the bank cache, so a repeat or a second session plays at once.
    return Pyttsx3Speaker(player or make_player(settings), voice=settings.voice, rate=settings.rate,
                          cache_dir=paths.bank_cache_dir().parent / "speech")
