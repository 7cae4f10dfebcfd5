"""Replaying a recorded answer: the real player on the ALSA file speaker, the real widget.

ALSA's file speaker is not paced (a whole answer "plays" in milliseconds), so being in sync is
tested by driving the position (seek, click, keys) and checking what the window then shows, and
the sound by comparing what reached the speaker file with the recording.
"""

import threading

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import QMainWindow

from mockinterviewer.core.transcript import Transcript, Word
from mockinterviewer.errors import DeviceError
from mockinterviewer.gui.replay.view import ReplayView
from mockinterviewer.speech.audio import SAMPLE_RATE, load_audio
from mockinterviewer.speech.replay_player import ReplayPlayer, time_stretch

ANSWER = ("Overfitting happens when a model learns the noise in the training data. "
          "To prevent it, use more data, dropout, L2 regularisation and early stopping.")


def tone(seconds, freq=440.0):
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def heard(speaker_file) -> np.ndarray:
    """What reached the speaker, less the silence PortAudio primes the device with and the
    zeros that pad the last block."""
    played = np.frombuffer(speaker_file.read_bytes(), dtype=np.float32)
    nonzero = np.flatnonzero(played)
    return played[nonzero[0]: nonzero[-1] + 1] if nonzero.size else played[:0]


def pitch(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    return spectrum.argmax() * SAMPLE_RATE / samples.size


def lag_in(source: np.ndarray, played: np.ndarray) -> float:
    """Seconds into ``source`` where ``played`` begins, by cross-correlation."""
    probe = played[:SAMPLE_RATE // 2]
    corr = np.correlate(source, probe, "valid")
    return corr.argmax() / SAMPLE_RATE


def play_to_end(player: ReplayPlayer) -> None:
    done = threading.Event()
    player.on_finished = done.set
    player.play()
    assert done.wait(30), "playback did not reach the end"
    player.close()


@pytest.fixture(scope="module")
def answer_wav(tmp_path_factory, espeak):
    return espeak(ANSWER, tmp_path_factory.mktemp("replay") / "answer.wav")


@pytest.fixture(scope="module")
def answer_transcript(answer_wav, transcriber):
    return transcriber.transcribe(load_audio(answer_wav))


@pytest.fixture
def view(qtbot):
    views = []

    def make(device=None):
        replay = ReplayView(device)
        qtbot.addWidget(replay)
        replay.resize(640, 260)
        replay.show()
        views.append(replay)
        return replay

    yield make
    for replay in views:
        replay.release()
        replay.runner.wait(10_000)


def loaded(qtbot, replay, path, transcript=None):
    with qtbot.waitSignal(replay.loaded, timeout=10_000):
        replay.load(path, transcript)
    return replay


def even_transcript(words: str, duration: float) -> Transcript:
    """Known word times: after half a second of silence, word i spans [i, i + 0.8) slots."""
    parts = words.split()
    slot = (duration - 0.5) / len(parts)
    return Transcript(words, tuple(Word(w, 0.5 + i * slot, 0.5 + (i + 0.8) * slot) for i, w in enumerate(parts)),
                      duration)


# -- the player ---------------------------------------------------------------------------------

def test_playing_from_a_moment_sends_the_rest_of_the_answer_to_the_speaker(answer_wav, speaker_file):
    source = load_audio(answer_wav)
    player = ReplayPlayer()
    assert player.load(answer_wav) == pytest.approx(source.size / SAMPLE_RATE)
    player.seek(2.0)
    play_to_end(player)
    played = heard(speaker_file)
    assert lag_in(source, played) == pytest.approx(2.0, abs=0.002)
    rest = source[2 * SAMPLE_RATE:]
    np.testing.assert_array_equal(played, rest[np.flatnonzero(rest)[0]: np.flatnonzero(rest)[-1] + 1])
    assert player.position == pytest.approx(player.duration)
    player.stop()
    assert player.position == 0.0


@pytest.mark.parametrize("speed", [0.75, 1.5])
def test_another_speed_changes_the_length_but_keeps_the_pitch(tmp_path, speaker_file, speed):
    path = tmp_path / "tone.flac"
    soundfile.write(path, tone(4.0), SAMPLE_RATE)
    player = ReplayPlayer()
    player.load(path)
    player.set_speed(speed)
    play_to_end(player)
    played = heard(speaker_file)
    assert played.size / SAMPLE_RATE == pytest.approx(4.0 / speed, rel=0.02)
    assert pitch(played) == pytest.approx(440, rel=0.03)
    # No warble: the overlapped frames add up to an even loudness.
    rms = np.sqrt((played[: played.size // 400 * 400].reshape(-1, 400) ** 2).mean(axis=1))[2:-2]
    assert rms.min() > 0.8 * rms.max()


def test_speech_at_one_and_a_half_times_is_still_understood(answer_wav, speaker_file, transcriber):
    player = ReplayPlayer()
    player.load(answer_wav)
    player.set_speed(1.5)
    play_to_end(player)
    played = heard(speaker_file)
    spoken = np.flatnonzero(player.samples)  # espeak's silence before and after is exact zeros
    assert played.size == pytest.approx((spoken[-1] - spoken[0]) / 1.5, rel=0.02)
    text = transcriber.transcribe(played.copy()).text.lower()
    assert "overfitting" in text and "early stopping" in text


def test_changing_speed_keeps_the_moment_of_the_answer():
    player = ReplayPlayer()
    player.load_samples(tone(10.0))
    player.seek(6.0)
    for speed in (1.5, 0.75, 1.25, 1.0):
        player.set_speed(speed)
        assert player.position == pytest.approx(6.0, abs=0.001)
    with pytest.raises(ValueError):
        player.set_speed(3.0)


def test_time_stretch_of_a_tone_is_smooth_at_every_speed():
    for speed in (0.75, 1.25, 1.5):
        out = time_stretch(tone(2.0, 220.0), speed)
        assert out.size == round(2.0 * SAMPLE_RATE / speed)
        assert pitch(out) == pytest.approx(220, rel=0.03)


def test_an_unknown_speaker_is_named():
    player = ReplayPlayer("USB headset")
    player.load_samples(tone(1.0))
    with pytest.raises(DeviceError, match="no speaker called 'USB headset'"):
        player.play()


# -- the widget ---------------------------------------------------------------------------------

def test_seeking_highlights_the_word_being_heard(qtbot, view, answer_wav):
    replay = view()
    duration = load_audio(answer_wav).size / SAMPLE_RATE
    transcript = even_transcript(ANSWER, duration)
    loaded(qtbot, replay, answer_wav, transcript)
    assert replay.transcript_view.current_word() is None  # before the first word
    for word in transcript.words[1::3]:
        replay.seek(word.start)
        assert replay.transcript_view.current_word() == word.text
        assert replay.time_label.text().startswith(f"0:{int(word.start):02d} / ")
    previous, word = transcript.words[4], transcript.words[5]
    replay.seek(word.start - 0.01)
    assert replay.transcript_view.current_word() == previous.text


def test_clicking_a_word_of_the_real_transcript_jumps_to_it(qtbot, view, answer_wav, answer_transcript):
    replay = loaded(qtbot, view(), answer_wav, answer_transcript)
    words = [w for w in answer_transcript.words if w.text.strip()]
    target = next(i for i, w in enumerate(words) if "regular" in w.text.lower())
    rect = replay.transcript_view.word_rect(target)
    with qtbot.waitSignal(replay.positionChanged) as moved:
        qtbot.mouseClick(replay.transcript_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert moved.args[0] == pytest.approx(words[target].start)
    assert "regular" in replay.transcript_view.current_word().lower()
    assert replay.waveform.position == pytest.approx(words[target].start)


def test_clicking_the_waveform_moves_there_and_play_from_plays_that_moment(qtbot, view, answer_wav, speaker_file):
    replay = loaded(qtbot, view(), answer_wav)
    wave = replay.waveform
    qtbot.mouseClick(wave, Qt.MouseButton.LeftButton, pos=QPoint(wave.width() // 2, wave.height() // 2))
    assert replay.position == pytest.approx(replay.duration / 2, abs=replay.duration / wave.width())
    replay.play_from(3.0)
    assert replay.play_button.text() == "Pause"
    with qtbot.waitSignal(replay.playingChanged, timeout=10_000, check_params_cb=lambda p: not p):
        pass
    assert replay.play_button.text() == "Play"
    assert replay.time_label.text() == f"0:{int(replay.duration):02d} / 0:{int(replay.duration):02d}"
    qtbot.waitUntil(lambda: not replay.runner.busy)
    assert lag_in(load_audio(answer_wav), heard(speaker_file)) == pytest.approx(3.0, abs=0.002)


def test_keyboard_moves_plays_and_changes_speed(qtbot, view, answer_wav, speaker_file):
    window = QMainWindow()  # the app's window claims Space for its own action
    qtbot.addWidget(window)
    window_space = QAction("Start or stop the answer", window)
    window_space.setShortcut(QKeySequence(Qt.Key.Key_Space))
    window_space.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    window.addAction(window_space)
    triggered = []
    window_space.triggered.connect(lambda: triggered.append(True))
    replay = ReplayView()
    window.setCentralWidget(replay)
    window.show()
    loaded(qtbot, replay, answer_wav)
    replay.transcript_view.setFocus()
    qtbot.waitUntil(replay.transcript_view.hasFocus)
    focus = replay.transcript_view

    qtbot.keyClick(focus, Qt.Key.Key_Right)
    assert replay.position == 5.0 and replay.time_label.text().startswith("0:05 / ")
    qtbot.keyClick(focus, Qt.Key.Key_L)
    assert replay.position == 10.0
    qtbot.keyClick(focus, Qt.Key.Key_J)
    qtbot.keyClick(focus, Qt.Key.Key_Left)
    assert replay.position == 0.0
    qtbot.keyClick(focus, Qt.Key.Key_L)
    qtbot.keyClick(focus, Qt.Key.Key_Home)
    assert replay.position == 0.0 and replay.waveform.position == 0.0
    qtbot.keyClick(focus, Qt.Key.Key_BracketRight)
    qtbot.keyClick(focus, Qt.Key.Key_BracketRight)
    assert replay.speed_box.currentText() == "1.5×"
    qtbot.keyClick(focus, Qt.Key.Key_BracketRight)  # stays at the fastest
    assert replay.speed == 1.5
    qtbot.waitUntil(lambda: replay.player.speed == 1.5)

    with qtbot.waitSignal(replay.playingChanged, timeout=10_000, check_params_cb=lambda p: not p):
        qtbot.keyClick(focus, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not replay.runner.busy)
    assert not triggered, "Space reached the window's shortcut instead of the replay"
    spoken = np.flatnonzero(replay.player.samples)
    assert heard(speaker_file).size == pytest.approx((spoken[-1] - spoken[0]) / 1.5, rel=0.02)
    qtbot.keyClick(focus, Qt.Key.Key_BracketLeft)
    assert replay.speed_box.currentText() == "1.25×"
    for tip in (replay.play_button.toolTip(), replay.waveform.toolTip(), replay.speed_box.toolTip()):
        assert tip
    assert "Space" in replay.play_button.toolTip() and "[" in replay.speed_box.toolTip()
    replay.release()
    replay.runner.wait(10_000)


def test_a_missing_file_is_named_and_another_answer_still_loads(qtbot, view, tmp_path, answer_wav):
    replay = view()
    with qtbot.waitSignal(replay.failed) as failed:
        replay.load(tmp_path / "gone.wav", Transcript.typed("I would use dropout."))
    assert failed.args[0] == f"{tmp_path / 'gone.wav'}: no such file."
    assert replay.message_label.isVisible() and replay.message() == failed.args[0]
    assert not replay.play_button.isEnabled()
    qtbot.keyClick(replay, Qt.Key.Key_Space)  # nothing to play: nothing happens
    assert not replay.is_playing
    loaded(qtbot, replay, answer_wav, Transcript.typed("I would use dropout."))
    assert not replay.message_label.isVisible() and replay.play_button.isEnabled()
    assert replay.transcript_view.toPlainText() == "I would use dropout."
    replay.seek(1.0)  # a typed answer has no word times: nothing to highlight
    assert replay.transcript_view.current_word() is None


def test_a_speaker_that_cannot_be_used_is_named_and_the_view_carries_on(qtbot, view, answer_wav):
    replay = loaded(qtbot, view("USB headset"), answer_wav)
    with qtbot.waitSignal(replay.failed) as failed:
        qtbot.keyClick(replay, Qt.Key.Key_Space)
    assert failed.args[0] == "There is no speaker called 'USB headset'."
    assert replay.message() == failed.args[0] and replay.play_button.text() == "Play"
    qtbot.keyClick(replay, Qt.Key.Key_Right)
    assert replay.position == 5.0


@pytest.mark.parametrize("base, highlight", [("#ffffff", "#1565c0"), ("#1e1e1e", "#64b5f6")])
def test_the_waveform_takes_its_colours_from_the_palette(qtbot, view, answer_wav, base, highlight):
    replay = loaded(qtbot, view(), answer_wav)
    palette = replay.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor(base))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(highlight))
    replay.waveform.setPalette(palette)
    replay.seek(replay.duration / 2)
    image = replay.waveform.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width() // 2 - 4) for y in range(image.height())}
    assert image.pixelColor(1, 1).name() == base  # the corner: background
    assert highlight in colours  # played bars
    right = {image.pixelColor(x, y).name() for x in range(image.width() // 2 + 4, image.width())
             for y in range(image.height())}
    assert highlight not in right  # the part not yet heard is drawn in another colour


def test_a_long_answer_loads_and_renders_at_another_speed(qtbot, view, tmp_path):
    # How long the GUI thread may stall meanwhile is measured in bench/bench_gui_stall.py, not here.
    path = tmp_path / "long.wav"
    rng = np.random.default_rng(0)
    soundfile.write(path, (rng.standard_normal(180 * SAMPLE_RATE) * 0.1).astype(np.float32), SAMPLE_RATE)
    replay = view()
    loaded(qtbot, replay, path)
    replay.set_speed(0.75)
    qtbot.waitUntil(lambda: replay.player.speed == 0.75, timeout=20_000)
    assert replay.duration == pytest.approx(180)
    assert replay.player._buffer.size == pytest.approx(180 * SAMPLE_RATE / 0.75, rel=0.02)  # the 0.75x rendering is what plays


def test_pause_and_resume_on_a_speaker_that_plays_in_real_time(qtbot, view, answer_wav, answer_transcript,
                                                              realtime_speaker):
    # "rtspeaker" takes sound at a sound card's pace, so a pause lands in the middle of the answer.
    replay = loaded(qtbot, view("rtspeaker"), answer_wav, answer_transcript)
    keys = replay.transcript_view
    keys.setFocus()
    qtbot.waitUntil(keys.hasFocus)
    qtbot.keyClick(keys, Qt.Key.Key_K)
    assert replay.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: replay.position > 2.5, timeout=10_000)
    qtbot.keyClick(keys, Qt.Key.Key_K)
    assert replay.play_button.text() == "Play"
    qtbot.waitUntil(lambda: not replay.runner.busy)  # the speaker is closed on the replay's own thread
    paused_at, word = replay.position, replay.transcript_view.current_word()
    assert 2.5 < paused_at < replay.duration - 2
    qtbot.wait(700)  # paused: neither the position nor the highlighted word moves on
    assert replay.position == paused_at and replay.transcript_view.current_word() == word
    qtbot.waitUntil(realtime_speaker.drained)
    before = realtime_speaker.take()

    with qtbot.waitSignal(replay.playingChanged, timeout=30_000, check_params_cb=lambda playing: not playing):
        qtbot.keyClick(keys, Qt.Key.Key_K)  # resume, and play to the end
        assert replay.play_button.text() == "Pause"
    assert replay.time_label.text() == f"0:{int(replay.duration):02d} / 0:{int(replay.duration):02d}"
    qtbot.waitUntil(lambda: not replay.runner.busy)
    after = np.frombuffer(realtime_speaker.take(), np.float32)
    assert np.frombuffer(before, np.float32).any()  # the first part was played before the pause
    # After the pause the speaker heard the answer from where it was paused, not from the start.
    nonzero = np.flatnonzero(after)
    assert lag_in(load_audio(answer_wav), after[nonzero[0]:]) == pytest.approx(paused_at, abs=0.15)
