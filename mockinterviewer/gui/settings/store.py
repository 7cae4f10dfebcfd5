"""The settings as stored with QSettings: every key in one enum, each read back with a check.

Values are written as text, so what is read back is the same on every platform's QSettings
format. A stored value that cannot be used (hand-edited, or from another version) gives way to
that key's default with one sentence naming it; the other keys are still read.
"""

from __future__ import annotations

import math
import re
from dataclasses import fields
from enum import Enum
from typing import Callable

from PySide6.QtCore import QSettings

from mockinterviewer.core.opinion import SCORE_RULES
from mockinterviewer.settings import (COMPUTE_DEVICES, LLM_TIMEOUT_RANGE, MAX_ANSWER_RANGE, RATE_RANGE,
                                      SILENCE_STOP_RANGE, Settings)


def _text(raw: str) -> str:
    if not raw.strip():
        raise ValueError("empty")
    return raw.strip()


def _number(low: float, high: float, kind=float) -> Callable[[str], float]:
    def parse(raw: str):
        value = float(raw)  # "180.0" is a fine rate; "inf" and "1e400" are floats too, and no rate
        if not (math.isfinite(value) and low <= value <= high):
            raise ValueError("out of range")
        return kind(value)
    return parse


def _one_of(choices) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in choices:
            raise ValueError("not a choice")
        return raw
    return parse


def _bool(raw: str) -> bool:
    if raw not in ("true", "false"):
        raise ValueError("not true or false")
    return raw == "true"


def _llm_endpoint(raw: str) -> str:
    from mockinterviewer.llm.client import EndpointError, parse_endpoint

    try:
        parse_endpoint(raw, allow_remote=True)  # whether it may be used is checked with its confirmation
    except EndpointError as exc:
        raise ValueError(str(exc)) from None
    return raw.strip()


class Key(Enum):
    """(QSettings key, the Settings field, how to read it, what a good value is, for the sentence)."""

    MODEL = ("speech/model", "model", _text, "a model name or folder")
    DEVICE = ("speech/device", "device", _one_of(COMPUTE_DEVICES), "auto, cpu or cuda")
    INPUT_DEVICE = ("audio/input_device", "input_device", _text, "a microphone name")
    OUTPUT_DEVICE = ("audio/output_device", "output_device", _text, "a speaker name")
    VOICE = ("tts/voice", "voice", _text, "a voice name")
    RATE = ("tts/rate", "rate", _number(*RATE_RANGE, kind=int), "{}–{} words a minute".format(*RATE_RANGE))
    MAX_ANSWER_SECONDS = ("answer/max_seconds", "max_answer_seconds", _number(*MAX_ANSWER_RANGE),
                          "{:g}–{:g} seconds".format(*MAX_ANSWER_RANGE))
    SILENCE_STOP_SECONDS = ("answer/silence_stop_seconds", "silence_stop_seconds", _number(*SILENCE_STOP_RANGE),
                            "{:g}–{:g} seconds".format(*SILENCE_STOP_RANGE))
    DATA_DIR = ("files/data_dir", "data_dir", _text, "a folder")
    LLM_ENDPOINT = ("llm/endpoint", "llm_endpoint", _llm_endpoint, "an http:// address")
    LLM_MODEL = ("llm/model", "llm_model", _text, "a model name")
    LLM_TIMEOUT = ("llm/timeout", "llm_timeout", _number(*LLM_TIMEOUT_RANGE),
                   "{:g}–{:g} seconds".format(*LLM_TIMEOUT_RANGE))
    LLM_ALLOW_REMOTE = ("llm/allow_remote", "llm_allow_remote", _bool, "true or false")
    LLM_SCORE_RULE = ("llm/score_rule", "llm_score_rule", _one_of(SCORE_RULES), "show or raise")

    def __init__(self, key, field, parse, expected):
        self.key, self.field, self.parse, self.expected = key, field, parse, expected


# Every Settings field is stored, and stored once: a new field without a key fails at import.
assert sorted(k.field for k in Key) == sorted(f.name for f in fields(Settings)), "a Settings field has no Key"
# Keys written by the walking skeleton's start-up, read once so nobody's choice is lost.
_OLD_KEYS = {Key.MODEL: "model", Key.DEVICE: "device", Key.INPUT_DEVICE: "input_device",
             Key.OUTPUT_DEVICE: "output_device", Key.VOICE: "voice"}


MAX_VALUE_CHARS = 4096  # a path can be this long; a 10 MB value hung the window
_KEY_NAME = re.compile(r"[A-Za-z0-9_./ -]+")  # the shape of every key this app writes


def load_settings(store: QSettings | None = None) -> tuple[Settings, list[str]]:
    """The saved settings, and one sentence for each stored value that could not be used."""
    store = store or QSettings()
    defaults, values, problems = Settings(), {}, []
    if _damaged(store):  # Qt reads what it can of a damaged file and says nothing; the user should hear of it
        problems.append(f"The settings file {store.fileName()} is damaged, so any setting that could not be "
                        "read from it is back to its default.")
    for key in Key:
        raw = store.value(key.key)
        if raw is None and key in _OLD_KEYS:
            raw = store.value(_OLD_KEYS[key])
        if raw is None or raw == "":
            continue
        default = getattr(defaults, key.field)
        shown = "" if default is None else f" ({_shown(default)})"
        raw = raw if isinstance(raw, str) else str(raw)
        if len(raw) > MAX_VALUE_CHARS:
            problems.append(f"The saved setting {key.key} is {len(raw):,} characters long, far more than "
                            f"{key.expected} needs, so the default{shown} is used.")
            continue
        try:
            values[key.field] = key.parse(raw)
        except (TypeError, ValueError, OverflowError):
            quoted = repr(raw if len(raw) <= 80 else raw[:77] + "...")
            problems.append(f"The saved setting {key.key} = {quoted} is not {key.expected}, "
                            f"so the default{shown} is used.")
    return Settings(**{**{f.name: getattr(defaults, f.name) for f in fields(Settings)}, **values}), problems


def _damaged(store: QSettings) -> bool:
    """Whether the settings file is not what QSettings writes: UTF-8 text of "key=value" lines with
    keys of this app's shape. Random bytes read as no keys at all, with no error from Qt."""
    if store.status() != QSettings.Status.NoError:
        return True
    if not all(_KEY_NAME.fullmatch(k) for k in store.allKeys()):
        return True
    if store.format() != QSettings.Format.IniFormat and not store.fileName().endswith((".conf", ".ini")):
        return False  # the Windows registry or a macOS plist: nothing to read here
    try:
        with open(store.fileName(), "rb") as file:
            head = file.read(64 * 1024)
    except OSError:
        return False  # no file yet
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of what was read
            return True
        text = head[:exc.start].decode("utf-8")
    return bool(text.strip()) and (not store.allKeys() or any(c < " " and c not in "\t\r\n" for c in text))


def save_settings(settings: Settings, store: QSettings | None = None) -> None:
    store = store or QSettings()
    for key in Key:
        value = getattr(settings, key.field)
        if value is None:
            store.remove(key.key)  # the default: follows the system, or the app's own choice
        else:
            store.setValue(key.key, f"{value:g}" if isinstance(value, float) else
                           str(value).lower() if isinstance(value, bool) else str(value))
    for old in _OLD_KEYS.values():
        store.remove(old)
    store.sync()


def _shown(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
