"""Reading the question aloud: pyttsx3 renders it to a WAV file, the app's player plays it.

pyttsx3's run loop is not re-entrant and hangs if driven from two threads, so one dedicated
thread owns the engine for the life of the speaker. Rendering to a file rather than letting
the engine talk to the sound card makes speech interruptible (the player stops) and lets the
same audio go to whichever output device the user chose. Rendered questions are cached by
voice, rate and text, so "repeat the question" plays at once and the next question can be
prepared while the candidate is still answering.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import io
import logging
import os
import tempfile
from pathlib import Path

from mockinterviewer.errors import UserError, first_line
from mockinterviewer.speech.audio import load_audio, SAMPLE_RATE

log = logging.getLogger(__name__)


class SpeechUnavailable(UserError):
    pass


def _pick_voice(voices, wanted: str | None):
    if wanted:
        for v in voices:
            if wanted in (v.id, v.name):
                return v.id
        raise SpeechUnavailable(f"There is no text-to-speech voice called {wanted!r}.")
    # Prefer American, then any English voice; espeak lists Afrikaans first otherwise.
    def rank(v):
        text = f"{v.id} {v.name}".lower()
        return (0 if "en-us" in text or "america" in text else 1 if "english" in text or "/en" in text else 2)
    best = min(voices, key=rank, default=None)
    return best.id if best is not None and rank(best) < 2 else None


# Enough for several banks' worth of questions; older renderings are removed first.
CACHE_LIMIT = 400

# pyttsx3.init() hands every caller the same engine, so the process has one engine and one
# thread that drives it; each speaker sets its own voice and rate on it before every rendering.
_THREAD = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="tts")
_ENGINE: dict = {}  # "engine", and its "rate" before anyone changed it; touched only on _THREAD


def _shared_engine():
    try:
        import pyttsx3  # every time (a dictionary lookup once loaded), so a missing engine is always said
    except Exception as exc:
        raise SpeechUnavailable(f"Text-to-speech is unavailable ({first_line(exc)}); "
                                "on Debian or Ubuntu install it with: sudo apt-get install espeak-ng") from None
    if "engine" not in _ENGINE:
        try:
            engine = pyttsx3.init()
        except Exception as exc:
            raise SpeechUnavailable(f"Text-to-speech is unavailable ({first_line(exc)}); "
                                    "on Debian or Ubuntu install it with: sudo apt-get install espeak-ng") from None
        _ENGINE.update(engine=engine, rate=engine.getProperty("rate"), voices=engine.getProperty("voices") or [])
        _quiet_driver()
    return _ENGINE["engine"]


def _quiet_driver() -> None:
    """pyttsx3's espeak driver prints "Audio saved to …" to standard output after each rendering
    (2.9x), which broke `answer --json` (the JSON must be all that is printed): its print goes to
    the log instead."""
    import sys

    driver = sys.modules.get("pyttsx3.drivers.espeak")
    if driver is not None:
        driver.print = lambda *args, **_kw: log.debug("pyttsx3: %s", " ".join(map(str, args)))


class Pyttsx3Speaker:
    def __init__(self, player, voice: str | None = None, rate: int | None = None, cache_dir: Path | None = None):
        self.player = player
        self.voice = voice
        self.rate = rate
        self._thread = _THREAD
        self._voice_id = None  # resolved on the engine's thread, once
        self._voice_name = ""
        self._stops = 0
        self._dir = Path(cache_dir) if cache_dir else Path(tempfile.mkdtemp(prefix="mockinterviewer-tts-"))

    def _engine_on_thread(self):
        """The shared engine, set to this speaker's voice and rate (call on the engine's thread)."""
        engine = _shared_engine()
        if self._voice_id is None:
            voices = _ENGINE["voices"]
            self._voice_id = _pick_voice(voices, self.voice) or ""
            self._voice_name = next((v.name for v in voices if v.id == self._voice_id), self._voice_id or "default")
        driver = getattr(getattr(engine, "proxy", None), "_driver", None)
        if type(driver).__module__.endswith(".espeak"):
            # The espeak driver queues property changes behind the text, and a rate change took
            # effect one rendering late (measured). The voice is set on the driver at once, and
            # the rate travels inside the text (see _spoken_text).
            if self._voice_id:
                driver.setProperty("voice", self._voice_id)
        else:
            if self._voice_id:
                engine.setProperty("voice", self._voice_id)
            engine.setProperty("rate", self.rate or _ENGINE["rate"])
        return engine

    def _spoken_text(self, engine, text: str) -> str:
        """For espeak, the rate as an embedded command ("\x01<words per minute>S") in front of the text."""
        driver = getattr(getattr(engine, "proxy", None), "_driver", None)
        if type(driver).__module__.endswith(".espeak"):
            return f"\x01{int(self.rate or _ENGINE['rate'])}S{text}"
        return text

    def voices(self) -> list[tuple[str, str]]:
        def work():
            return [(v.id, v.name) for v in self._engine_on_thread().getProperty("voices") or []]
        return self._thread.submit(work).result()

    def chosen_voice(self) -> str:
        """The name of the voice questions are read in."""
        self.check()
        return self._voice_name

    def check(self) -> None:
        """Raise SpeechUnavailable if no engine can be started."""
        self._thread.submit(self._engine_on_thread).result()

    def render(self, text: str, path: Path) -> Path:
        def work():
            engine = self._engine_on_thread()
            with contextlib.redirect_stdout(io.StringIO()):  # the espeak driver prints "Audio saved to"
                engine.save_to_file(self._spoken_text(engine, text), str(path))
                engine.runAndWait()
            return path
        self._thread.submit(work).result()
        if not path.exists() or path.stat().st_size <= 44:
            raise SpeechUnavailable("Text-to-speech produced no audio for the question.")
        return path

    def cached_path(self, text: str) -> Path:
        key = hashlib.sha256(f"{self.voice}|{self.rate}|{' '.join(text.split())}".encode()).hexdigest()[:24]
        return self._dir / f"{key}.wav"

    def prepare(self, text: str) -> Path:
        """Render ``text`` into the cache unless it is there already (blocks; call off the GUI thread)."""
        path = self.cached_path(text)
        if path.exists() and path.stat().st_size > 44:
            os.utime(path)  # recently used: pruned last
            return path
        self._dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part.wav")
        try:
            self.render(text, partial)
            partial.replace(path)  # a killed render never leaves a truncated file under the real name
        finally:
            partial.unlink(missing_ok=True)
        self._prune()
        return path

    def _prune(self) -> None:
        files = sorted(self._dir.glob("*.wav"), key=lambda p: p.stat().st_mtime)
        for old in files[:max(0, len(files) - CACHE_LIMIT)]:
            old.unlink(missing_ok=True)

    def speak(self, text: str) -> None:
        asked = self._stops
        path = self.prepare(text)
        if self._stops == asked:  # not stopped (Esc, Next) while the question was being rendered
            self.player.play(load_audio(path), SAMPLE_RATE)

    def stop(self) -> None:
        self._stops += 1
        self.player.stop()
