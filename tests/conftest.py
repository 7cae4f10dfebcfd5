"""Test set-up: real audio devices backed by files, isolated user folders, speech rendered by espeak-ng.

ALSA's ``file`` plugin gives PortAudio a "microphone" that reads a raw file and a "speaker" that
writes one (../shared/TESTING-AUDIO.md), so sounddevice is exercised through the same code path
as on a laptop. The configuration must be in place before PortAudio starts, hence at import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
AUDIO_DIR = Path(tempfile.mkdtemp(prefix="mi-alsa-"))
MIC_FILE = AUDIO_DIR / "mic.raw"
SPEAKER_FILE = AUDIO_DIR / "speaker.raw"
# The ALSA file devices run at whatever rate the stream is opened with; the recorder opens
# at the device default, which the test config pins here.
DEVICE_RATE = 44100

_ALSA_CONF = AUDIO_DIR / "asound.conf"
_ALSA_CONF.write_text(f"""
pcm.!default {{ type asym  playback.pcm "speaker"  capture.pcm "mic" }}
pcm.speaker  {{ type file  slave.pcm "null"  file "{SPEAKER_FILE}"  format "raw" }}
pcm.mic      {{ type file  slave.pcm "null"  file "/dev/null"  infile "{MIC_FILE}"  format "raw" }}
pcm.broken   {{ type file  slave.pcm "null"  file "/dev/null"  infile "{AUDIO_DIR}/no-such-dir/x.raw"  format "raw" }}
pcm.rtmic    {{ type file  slave.pcm "null"  file "/dev/null"  infile "{AUDIO_DIR}/rtmic.fifo"  format "raw" }}
pcm.rtspeaker {{ type file  slave.pcm "null"  file "{AUDIO_DIR}/rtspeaker.fifo"  format "raw" }}
""")
os.environ["ALSA_CONFIG_PATH"] = f"/usr/share/alsa/alsa.conf:{_ALSA_CONF}"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Isolate every user folder (platformdirs and QSettings follow XDG on Linux).
_HOME = Path(tempfile.mkdtemp(prefix="mi-home-"))
for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
    os.environ[var] = str(_HOME / var.lower())
MIC_FILE.write_bytes(b"")
# "rtmic" and "rtspeaker" keep the pace of real sound (tests/realtime_audio.py); their FIFOs must
# have a thread at the other end before anything starts PortAudio, in this process or a child.
from tests.realtime_audio import PacedMicrophone, PacedSpeaker  # noqa: E402

PACED_MIC = PacedMicrophone(AUDIO_DIR / "rtmic.fifo", DEVICE_RATE)
PACED_MIC.start()
# The replay player opens the speaker as 16 kHz mono float32.
PACED_SPEAKER = PacedSpeaker(AUDIO_DIR / "rtspeaker.fifo", 16000 * 4)
PACED_SPEAKER.start()


def render_speech(text: str, path: Path, voice: str = "en-us", speed: int = 150) -> Path:
    """Speech no project code wrote: espeak-ng renders ``text`` to a WAV file."""
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
    return path


def device_pcm(samples_16k: np.ndarray | None = None, wav: Path | None = None, silence_after: float = 1.0) -> bytes:
    """Speech as the devices take it: 16-bit PCM at the device's rate, followed by real zeros."""
    from mockinterviewer.speech.audio import load_audio, resample

    samples = load_audio(wav) if wav is not None else samples_16k
    samples = np.concatenate([samples, np.zeros(int(16000 * silence_after), np.float32)])
    return np.clip(resample(samples, 16000, DEVICE_RATE) * 32767, -32768, 32767).astype("<i2").tobytes()


def load_mic(samples_16k: np.ndarray | None = None, wav: Path | None = None, silence_after: float = 1.0) -> float:
    """Put speech into the file-backed microphone, at the device's rate, as 16-bit PCM.

    Returns the file's length in seconds. Past its end (or when empty) ALSA's file plugin hands
    out whatever was in its buffer, not silence, so recordings must stay within that length;
    the trailing silence here is real zeros.
    """
    pcm = device_pcm(samples_16k, wav, silence_after)
    MIC_FILE.write_bytes(pcm)
    return len(pcm) / 2 / DEVICE_RATE


@pytest.fixture
def mic():
    """The file-backed microphone; emptied after each test."""
    yield load_mic
    MIC_FILE.write_bytes(b"")


@pytest.fixture
def realtime_mic():
    """The microphone "rtmic", which speaks at the pace of a person: ``realtime_mic(wav=...)`` loads
    speech (followed by silence for as long as it is read) and returns its length in seconds."""
    def load(samples_16k=None, wav=None, silence_after=0.0) -> float:
        pcm = device_pcm(samples_16k, wav, silence_after)
        PACED_MIC.load(pcm)
        return len(pcm) / 2 / DEVICE_RATE

    yield load
    PACED_MIC.load(b"")


@pytest.fixture
def realtime_speaker():
    """The speaker "rtspeaker", which takes sound at the pace of a sound card; ``take()`` returns
    what was played since the last call (16 kHz mono float32)."""
    PACED_SPEAKER.take()
    yield PACED_SPEAKER
    PACED_SPEAKER.take()


@pytest.fixture(scope="session", autouse=True)
def one_qt_application(qapp):
    """The widgets' QApplication exists before any test. Code that makes its own QGuiApplication
    when none exists (the PDF report, as the CLI needs) then finds it: a QGuiApplication made
    first would abort the first widget test after it."""
    return qapp


@pytest.fixture(autouse=True)
def fresh_settings():
    """Each test starts from no saved settings: a model or limit saved by an earlier test (the settings
    dialog saves what it shows) must not change what a later window does."""
    from PySide6.QtCore import QSettings

    store = QSettings()
    store.clear()
    store.sync()
    yield


@pytest.fixture(autouse=True)
def no_unexpected_error_dialog():
    """The app's "Something went wrong" dialog means a bug escaped into a slot: the test that
    showed it fails (tests that show it on purpose close it), and it is closed for the next test."""
    yield
    from PySide6.QtWidgets import QApplication, QMessageBox

    shown = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.isVisible() and w.windowTitle() == "Something went wrong"]
    texts = [w.text() + "\n" + w.detailedText()[-1500:] for w in shown]
    for box in shown:
        box.close()
    assert not shown, "an unexpected error was shown: " + "\n---\n".join(texts)


def _children() -> list[int]:
    """Processes this test process started that are still alive (not yet reaped)."""
    me, found = str(os.getpid()), []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[1] == me and fields[0] != "Z":  # parent pid; zombies are already dead
                found.append(int(entry.name))
    return found


@pytest.fixture(autouse=True)
def no_process_outlives_its_test():
    """Every test cleans up the processes it started, whether it passes or fails: one left running
    is killed here and fails the test that left it."""
    before = set(_children())
    yield
    left = [pid for pid in _children() if pid not in before]
    for pid in left:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    assert not left, f"the test left {len(left)} process(es) running: {left}"


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    """A real llama.cpp server on the loopback (tests/llm_server.py), one per test module; the
    modules that use it skip when its packages are absent."""
    from tests import llm_server

    s = llm_server.LlamaServer(tmp_path_factory.mktemp("llm") / "server.log")
    try:
        yield s.start()
    finally:
        s.stop()
    assert s.proc.poll() is not None  # no server left behind, pass or fail


@pytest.fixture(autouse=True)
def no_decode_outlives_its_test():
    """No answer is still being transcribed once its test is over: a decode that runs on into the
    next test slows it, and one still running when the process exits crashes CTranslate2."""
    import threading

    before = set(threading.enumerate())
    yield
    left = [t for t in threading.enumerate() if t.name == "incremental-transcriber" and t not in before]
    for thread in left:
        thread.join(30)
    assert not left, f"{len(left)} answer(s) were still being transcribed after the test"


def pytest_sessionfinish(session, exitstatus):
    PACED_MIC.stop()
    PACED_SPEAKER.stop()
    shutil.rmtree(AUDIO_DIR, ignore_errors=True)
    shutil.rmtree(_HOME, ignore_errors=True)


@pytest.fixture
def speaker_file():
    SPEAKER_FILE.write_bytes(b"")
    return SPEAKER_FILE


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("speech")


@pytest.fixture(scope="session")
def shipped_bank():
    from mockinterviewer import paths
    from mockinterviewer.core.bank import load_bank

    return load_bank(paths.questions_dir() / "ml-engineer.yaml")


@pytest.fixture(scope="session")
def transcriber():
    """The real bundled tiny.en model, loaded once for the whole run."""
    from mockinterviewer.settings import Settings, make_transcriber

    model = make_transcriber(Settings(device="cpu"))
    model.load()
    return model


def shared_file(*parts) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared test material is only beside a project checkout")
    return path


@pytest.fixture(scope="session")
def espeak():
    if not shutil.which("espeak-ng"):
        pytest.fail("espeak-ng is not installed; `make test` installs it (packaging/linux/system-deps.sh)")
    return render_speech


@pytest.fixture
def open_window(qtbot, tmp_path):
    """The real main window on the test banks, its files in tmp_path; closed and drained after the test."""
    windows = []

    def make(settings=None, bank_dirs=(ROOT / "tests" / "data",)):
        from mockinterviewer.gui.app import build_window
        from mockinterviewer.settings import Settings

        settings = settings or Settings()
        window = build_window(settings, bank_dirs=list(bank_dirs), recordings_dir=tmp_path / "recordings")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.setup_page.start_button.isEnabled(), timeout=10_000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        assert window.wait_for_background(60_000), "the window's background work did not finish"
