"""Transcribing while the candidate speaks, with the real model on real (synthetic) speech."""

import threading
import time

import numpy as np
import pytest

from mockinterviewer.core.textnorm import tokens
from mockinterviewer.errors import AudioError
from mockinterviewer.speech.audio import load_audio
from mockinterviewer.speech.incremental import IncrementalTranscriber, question_prompt

ANSWER = ("Overfitting means the model learns the noise in the training data instead of the pattern. "
          "It does very well on the training set and badly on new data. To prevent it I would first get "
          "more data or use data augmentation. Then I would add regularization, for example an L2 penalty "
          "or dropout in a neural network. I would also use early stopping, which watches the validation "
          "loss and stops training when it starts to rise. Finally, cross validation tells me whether the "
          "changes actually help.")


def feed_paced(incremental, audio, speed=4.0, block=1600):
    """Hand the answer over block by block, ``speed`` times faster than it was spoken."""
    for i in range(0, len(audio), block):
        incremental.feed(audio[i:i + block])
        time.sleep(block / 16000 / speed)


def test_the_transcript_grows_while_speaking_and_matches_the_whole_file(transcriber, espeak, tmp_path):
    audio = load_audio(espeak(ANSWER, tmp_path / "answer.wav", speed=150))
    partials, fed = [], threading.Event()
    incremental = IncrementalTranscriber(transcriber, on_partial=lambda text: partials.append((fed.is_set(), text)))
    feed_paced(incremental, audio)
    # The microphone stays open after the last word, as it does until the candidate presses Stop;
    # on a busy machine the first stretch may still be in the model, so wait for it (60 s at most).
    quiet = np.zeros(1600, np.float32)
    for _ in range(int(60 * 16000 / 1600)):
        if partials:
            break
        incremental.feed(quiet)
        time.sleep(0.1)
    fed.set()
    result = incremental.finish()
    incremental.wait()
    assert any(not after_stop for after_stop, _ in partials), "no text arrived before the answer was stopped"
    assert result.text.startswith(partials[0][1].split(".")[0])
    whole = transcriber.transcribe(audio)
    heard, expected = set(tokens(result.text)), set(tokens(whole.text))
    assert len(heard & expected) / len(expected) > 0.9
    starts = [w.start for w in result.words]
    assert starts == sorted(starts) and 0 <= starts[0] and result.words[-1].end <= len(audio) / 16000 + 0.5
    assert "early stopping" in result.text.lower() and "dropout" in result.text.lower().replace(" ", "")


@pytest.mark.parametrize("kind", ["silence", "noise"])
def test_no_words_are_invented_in_silence_or_noise_even_with_the_prompt(transcriber, shipped_bank, kind):
    question = shipped_bank.get("prevent-overfitting")
    rng = np.random.default_rng(1)
    audio = np.zeros(16000 * 8, np.float32) if kind == "silence" else \
        (rng.standard_normal(16000 * 8) * 0.02).astype(np.float32)
    incremental = IncrementalTranscriber(transcriber, prompt=question_prompt(question))
    feed_paced(incremental, audio, speed=16)
    with pytest.raises(AudioError):
        try:
            result = incremental.finish()
        finally:
            incremental.wait()
        # Should Whisper write anything, none of the question's terms may appear in it.
        heard = " ".join(tokens(result.text))
        assert not any(" ".join(tokens(p)) in heard for k in question.key_points for p in k.phrasings), result.text
        raise AudioError("only harmless words")


class CountingTranscriber:
    """The real model, counting its decodes. ``hold_exact``, once set up, keeps an exact decode
    (not a fast one) from starting until it is set: a refinement still running at Stop."""

    def __init__(self, model):
        self.model, self.calls, self.decoded = model, 0, threading.Event()
        self.started = 0
        self.seconds = []  # of each decode's audio
        self.fast = []  # whether each decode was the fast kind
        self.hold_exact: threading.Event | None = None
        self.exact_started = threading.Event()

    def transcribe(self, *args, **kwargs):
        self.started += 1
        self.seconds.append(len(args[0]) / 16000)
        fast = not kwargs.get("word_timestamps", True)  # no alignment: the fast kind (or the tail at Stop)
        self.fast.append(fast)
        if not fast:
            self.exact_started.set()
            if self.hold_exact is not None:
                self.hold_exact.wait(60)
        try:
            return self.model.transcribe(*args, **kwargs)
        finally:
            self.calls += 1
            self.decoded.set()


def stop(incremental, spy):
    """Press Stop: (the transcript, decodes started after Stop); the worker is waited for."""
    before = spy.started
    result = incremental.finish()
    after = spy.started - before
    incremental.wait()
    return result, after


def keep_quiet_until_decoded(incremental, spy, calls, seconds=30):
    """The microphone stays open and quiet (as before Stop) until ``calls`` decodes are done."""
    quiet = np.zeros(1600, np.float32)
    for _ in range(int(seconds * 10)):
        if spy.calls >= calls:
            return
        incremental.feed(quiet)
        spy.decoded.wait(0.1)
        spy.decoded.clear()


def test_after_a_pause_stop_has_nothing_left_to_decode(transcriber, espeak, tmp_path):
    # Shorter than a stretch, so it is only the tail: decoded during the pause, not after Stop.
    speech = load_audio(espeak("I would add dropout and stop early.", tmp_path / "a.wav", speed=150))
    spy = CountingTranscriber(transcriber)
    incremental = IncrementalTranscriber(spy)
    feed_paced(incremental, np.concatenate([speech, np.zeros(8000, np.float32)]))
    keep_quiet_until_decoded(incremental, spy, 1)
    assert spy.calls >= 1, "the last words were not decoded during the pause"
    result, after_stop = stop(incremental, spy)
    assert after_stop == 0 and "stop early" in result.text.lower(), result.text


def test_words_said_after_the_tail_was_decoded_ahead_are_decoded_at_stop(transcriber, espeak, tmp_path):
    first = load_audio(espeak("High bias means underfitting.", tmp_path / "a.wav", speed=150))
    then = load_audio(espeak("High variance means overfitting.", tmp_path / "b.wav", speed=150))
    spy = CountingTranscriber(transcriber)
    incremental = IncrementalTranscriber(spy)
    feed_paced(incremental, np.concatenate([first, np.zeros(8000, np.float32)]))
    keep_quiet_until_decoded(incremental, spy, 1)
    feed_paced(incremental, then)
    result = incremental.finish()
    incremental.wait()
    # (A pause inside the second sentence may have been decoded ahead too, and dropped.)
    assert spy.calls >= 2, "the words after the decoded tail were not decoded"
    assert "underfit" in result.text.lower() and "overfit" in result.text.lower(), result.text


def spoken(espeak, text, path):
    """``text`` read by espeak-ng, without the quiet it leaves after the last word."""
    audio = load_audio(espeak(text, path, speed=150))
    return audio[:np.flatnonzero(np.abs(audio) > 0.01)[-1] + 1]


def advice(espeak, tmp_path):
    """One sentence, long enough to be cut as a stretch of its own at the pause after it."""
    return spoken(espeak, "To prevent overfitting I would add dropout, use early stopping, and collect "
                          "more training data.", tmp_path / "a.wav")


def room_noise(seconds, seed=0):
    """A quiet room through a real microphone: not silent, and no speech in it."""
    return (np.random.default_rng(seed).standard_normal(int(16000 * seconds)) * 0.004).astype(np.float32)


def test_a_pause_with_room_noise_before_stop_leaves_nothing_to_decode(transcriber, espeak, tmp_path):
    # A stretch long enough to be cut at the pause, then a microphone's hiss until Stop.
    speech = advice(espeak, tmp_path)
    spy = CountingTranscriber(transcriber)
    incremental = IncrementalTranscriber(spy)
    feed_paced(incremental, np.concatenate([speech, room_noise(1.0)]))
    spy.decoded.wait(60)
    for _ in range(10):  # more hiss: the stretch is cut (or its decode ahead kept) before Stop
        incremental.feed(room_noise(0.25, seed=_ + 1))
    keep_quiet_until_decoded(incremental, spy, 1)
    result, after_stop = stop(incremental, spy)
    assert after_stop == 0, "the hiss after the last word was decoded at Stop"
    assert "early stopping" in result.text.lower() and "more training data" in result.text.lower(), result.text


def test_stop_does_not_wait_for_a_stretch_being_decoded_again(transcriber, espeak, tmp_path):
    # The stretch cut at the pause is decoded fast at once, then exactly when the worker is idle.
    # Stop comes while the exact decode is running (held here): the fast one is the answer, now.
    speech = advice(espeak, tmp_path)
    spy = CountingTranscriber(transcriber)
    spy.hold_exact = threading.Event()
    incremental = IncrementalTranscriber(spy)
    try:
        feed_paced(incremental, np.concatenate([speech, room_noise(1.5)]))
        assert spy.exact_started.wait(60), "the stretch was not decoded again while the candidate paused"
        result = incremental.finish()  # returns although the exact decode has not even started
        assert spy.fast == [True, False] and spy.calls == 1, spy.fast
        assert "early stopping" in result.text.lower() and "more training data" in result.text.lower(), result.text
    finally:
        spy.hold_exact.set()
        incremental.wait()
    assert spy.calls == 2


def test_a_stretch_decoded_fast_is_replaced_by_its_exact_decode(transcriber, espeak, tmp_path):
    speech = advice(espeak, tmp_path)
    spy = CountingTranscriber(transcriber)
    incremental = IncrementalTranscriber(spy)
    feed_paced(incremental, np.concatenate([speech, room_noise(1.0)]))
    keep_quiet_until_decoded(incremental, spy, 2)
    result, after_stop = stop(incremental, spy)
    assert spy.fast == [True, False] and after_stop == 0, spy.fast
    assert "early stopping" in result.text.lower(), result.text
    # Word times from the alignment, not spread evenly over the segment: the words' times are
    # those of a whole-file decode, each word its own length rather than the average word's.
    whole = {w.text.lower().strip(",."): w for w in transcriber.transcribe(speech).words}
    same = [(w, whole[w.text.lower().strip(",.")]) for w in result.words if w.text.lower().strip(",.") in whole]
    assert len(same) >= 8, (result.words, whole)
    assert all(abs(w.start - x.start) < 0.3 and abs(w.end - x.end) < 0.3 for w, x in same), same
    lengths = {round(w.end - w.start, 2) for w in result.words}
    assert len(lengths) > len(result.words) // 2, result.words


def test_a_stretch_is_decoded_in_a_short_pause_and_not_again_when_the_answer_goes_on(transcriber, espeak, tmp_path):
    # Words stopped for 0.5 s: the look for sentence pauses would see this one only about 0.9 s
    # after the last word (when Stop may already have come); the stretch is cut and decoded in
    # it. The candidate goes on: the first sentence is not decoded again and nothing is repeated.
    first = spoken(espeak, "Regularization adds a penalty on large weights which keeps the model simple "
                           "and the weights small", tmp_path / "a.wav")
    then = spoken(espeak, "Dropout switches off random neurons while training.", tmp_path / "b.wav")
    spy = CountingTranscriber(transcriber)
    incremental = IncrementalTranscriber(spy)
    feed_paced(incremental, first)
    incremental.feed(room_noise(0.5))  # one block, so the worker looks once the 0.5 s are in
    assert spy.decoded.wait(60), "nothing was decoded in the pause"
    feed_paced(incremental, np.concatenate([room_noise(0.7, seed=1), then, room_noise(0.5, seed=2)]))
    result = incremental.finish()
    incremental.wait()
    text = result.text.lower().replace(" ", "")
    both = (len(first) + len(then)) / 16000
    assert all(seconds < both for seconds in spy.seconds[1:]), f"the first sentence was decoded again: {spy.seconds}"
    assert text.count("penalty") == 1 and text.count("dropout") == 1, result.text
    starts = [w.start for w in result.words]
    assert starts == sorted(starts), result.words
