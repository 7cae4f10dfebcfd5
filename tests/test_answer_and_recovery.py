"""Practising in the terminal, the silence auto-stop, and recovering an answer the app never scored."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import soundfile

from mockinterviewer.speech.audio import load_audio
from mockinterviewer.speech.recovery import repair_wav, result_path, unfinished
from mockinterviewer.speech.silence import SilenceWatch

MINI = str(Path(__file__).parent / "data" / "mini.yaml")
ANSWER = ("To prevent overfitting I would add dropout between the layers, use L2 regularization on the "
          "weights, and stop early when the validation loss starts to rise.")


def recordings_root() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "MockInterviewer" / "recordings"


def test_answer_in_the_terminal_records_scores_and_keeps_the_result(mic, espeak, tmp_path):
    length = mic(wav=espeak(ANSWER, tmp_path / "answer.wav"), silence_after=3)
    out = subprocess.run([sys.executable, "-m", "mockinterviewer", "answer", "-q", "prevent overfitting",
                          "--bank", MINI, "--no-speak", "--max-seconds", f"{length - 1:.1f}", "--json"],
                         capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["question_id"] == "prevent-overfitting"
    assert result["score"] == 100, result["transcript"]
    assert result["stop_to_score_s"] is not None and result["stop_to_score_s"] >= 0
    assert "Stopped (time limit)" in out.stderr and "Question: How do you prevent overfitting?" in out.stderr
    recording = Path(result["recording"])
    assert recording.is_file() and result_path(recording).is_file()
    assert recording not in unfinished(recordings_root())


def test_answer_typed_in_the_terminal():
    out = subprocess.run([sys.executable, "-m", "mockinterviewer", "answer", "-q", "prevent overfitting",
                          "--bank", MINI, "--text", ANSWER], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Score: 100/100" in out.stdout


def test_answer_in_the_terminal_stops_on_silence_with_a_microphone_that_speaks_in_real_time(realtime_mic, espeak,
                                                                                             tmp_path):
    spoken = realtime_mic(wav=espeak(ANSWER, tmp_path / "answer.wav"))
    out = subprocess.run([sys.executable, "-m", "mockinterviewer", "answer", "-q", "prevent overfitting",
                          "--bank", MINI, "--no-speak", "--input-device", "rtmic", "--silence-stop", "1.5",
                          "--max-seconds", "60", "--json"],
                         capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert "Stopped (silence)" in out.stderr, out.stderr
    # What tiny.en reliably hears in this answer when it is transcribed as it is spoken.
    heard = result["transcript"].lower().replace(" ", "").replace("-", "")  # "drop out", "over-fitting"
    assert "dropout" in heard and "overfit" in heard and result["score"] > 0, result["transcript"]
    seconds = soundfile.info(result["recording"]).duration
    assert spoken - 0.5 < seconds < spoken + 1.5 + 1.0, (seconds, spoken)


def test_silence_watch_stops_only_after_speech_then_quiet():
    watch = SilenceWatch(1.5, 1000)
    quiet, loud = np.zeros(100, np.int16), np.full(100, 8000, np.int16)
    assert not any(watch.feed(quiet) for _ in range(30))  # silence before speaking never stops
    assert not watch.feed(loud)
    results = [watch.feed(quiet) for _ in range(15)]
    assert results[-1] and not any(results[:-1])  # exactly 1.5 s of quiet after speech


def test_a_killed_recording_is_found_repaired_and_transcribable(mic, espeak, tmp_path):
    mic(wav=espeak(ANSWER, tmp_path / "answer.wav"), silence_after=200)
    proc = subprocess.Popen([sys.executable, "-m", "mockinterviewer", "answer", "-q", "prevent overfitting",
                             "--bank", MINI, "--no-speak", "--max-seconds", "150"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 120
    found = []
    try:
        while time.monotonic() < deadline and not found:  # wait until the answer is on disk, then kill
            found = [p for p in unfinished(recordings_root()) if p.stat().st_size > 44100 * 2 * 8]
            try:
                proc.wait(timeout=0.05)
                break  # it ended by itself: the assertion below says so
            except subprocess.TimeoutExpired:
                pass
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    assert found, "no recording appeared"
    recording = found[0]
    on_disk = (recording.stat().st_size - 44) / 2 / 44100
    seconds = repair_wav(recording)
    assert abs(seconds - on_disk) < 0.1
    assert soundfile.info(recording).duration == seconds  # the header now covers every sample
    audio = load_audio(recording)
    assert len(audio) / 16000 >= 8
    from mockinterviewer.settings import Settings, make_transcriber

    heard = make_transcriber(Settings(device="cpu")).transcribe(audio[: 16000 * 12]).text.lower()
    # The recovered audio is the answer: the words tiny.en hears reliably in it ("stop early" has come
    # out as "start early", and "validation loss" as "the melody", so they are not asserted).
    assert "overfit" in heard.replace("-", "") and "regulari" in heard, heard  # "over-fitting" too
