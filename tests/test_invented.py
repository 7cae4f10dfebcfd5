"""No invented phrases in an answer: Whisper's stock phrases and repetitions are taken out."""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from mockinterviewer.core.transcript import Transcript, Word
from mockinterviewer.speech.audio import load_audio
from mockinterviewer.speech.incremental import IncrementalTranscriber
from mockinterviewer.speech.invented import is_stock_phrase, without_repeats, without_stock_phrases

MINI = str(Path(__file__).parent / "data" / "mini.yaml")
STOCK = re.compile(r"thank you|thanks for watching|subscribe|see you next time", re.I)


def words(text: str, start: float = 0.0) -> list[Word]:
    return [Word(w, start + i * 0.4, start + i * 0.4 + 0.3) for i, w in enumerate(text.split())]


def spoken(ws) -> str:
    return " ".join(w.text for w in ws)


def test_stock_phrases_are_recognised_whole_and_only_whole():
    for phrase in ("Thank you very much.", "Thanks for watching!", "thank you", "Bye.", "you",
                   "Please subscribe to my channel."):
        assert is_stock_phrase(phrase), phrase
    for said in ("Thank you for the question.", "You can use dropout.", "Thanks to bagging, variance drops."):
        assert not is_stock_phrase(said), said


def test_a_stock_phrase_mid_answer_is_taken_out_and_may_only_end_the_answer():
    # What the issue saw: "Thank you very much." in the middle of an answer about bias and variance.
    heard = words("A straight line through data that clearly curves. Thank you very much. Variance is the opposite.")
    assert spoken(without_stock_phrases(heard)) == ("A straight line through data that clearly curves. "
                                                    "Variance is the opposite.")
    ending = words("So I would use cross validation. Thank you.")
    assert spoken(without_stock_phrases(ending, keep_last=True)) == "So I would use cross validation. Thank you."
    assert spoken(without_stock_phrases(ending)) == "So I would use cross validation."


def test_repeated_runs_of_words_are_said_once():
    heard = words("it does badly on training data it does badly on training data and on new data")
    assert spoken(without_repeats(heard)) == "it does badly on training data and on new data"
    # The start of a stretch that repeats the end of the one before (Whisper reading its prompt back).
    assert spoken(without_repeats(words("the validation loss starts to rise. Then I would"),
                                  before="I stop when the validation loss starts to rise.".split())) == "Then I would"
    # A speaker's short restart or "very, very" is kept.
    assert spoken(without_repeats(words("I would use I would use dropout, very very often"))) == \
        "I would use I would use dropout, very very often"


class ScriptedWhisper:
    """Stands in for the model where it misbehaves on demand, which the real one does only now and
    then: the second stretch starts by reading its prompt's last words back."""

    def __init__(self):
        self.calls = 0

    def transcribe(self, audio, prompt=None, **_):
        self.calls += 1
        text = ("Bias comes from a model that is too simple." if self.calls == 1
                else "a model that is too simple. Variance comes from one that is too complex.")
        return Transcript(text, tuple(words(text)), len(audio) / 16000, "scripted")


def test_a_stretch_that_repeats_the_stretch_before_is_said_once():
    rng = np.random.default_rng(0)
    speech = lambda s: (rng.standard_normal(int(16000 * s)) * 0.1).astype(np.float32)  # noqa: E731
    audio = np.concatenate([speech(5), np.zeros(16000, np.float32), speech(5)])
    incremental = IncrementalTranscriber(ScriptedWhisper(), background=False)
    incremental._next_cut = lambda audio, finishing: None if incremental._cut or finishing else 16000 * 5 + 8000
    result = incremental.transcribe_as_spoken(audio)
    assert result.text == "Bias comes from a model that is too simple. Variance comes from one that is too complex."


def test_an_answer_with_natural_pauses_through_a_real_time_microphone_has_no_invented_phrases(realtime_mic, tmp_path):
    # espeak-ng sentences joined by real silence, as a candidate pauses to think: about 9 s in all.
    sentences = [("To prevent overfitting I would add dropout.", 1.6), ("Hmm.", 2.2),
                 ("And stop early when the validation loss rises.", 1.0)]
    pieces = []
    for i, (sentence, pause) in enumerate(sentences):
        wav = tmp_path / f"{i}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(wav), sentence], check=True)
        pieces += [load_audio(wav), np.zeros(int(16000 * pause), np.float32)]
    realtime_mic(samples_16k=np.concatenate(pieces))
    out = subprocess.run([sys.executable, "-m", "mockinterviewer", "answer", "-q", "prevent overfitting",
                          "--bank", MINI, "--no-speak", "--model", "tiny.en", "--input-device", "rtmic",
                          "--silence-stop", "3", "--max-seconds", "40", "--json"],
                         capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    heard = json.loads(out.stdout)["transcript"]
    assert "dropout" in heard.lower() and "validation" in heard.lower(), heard
    assert not STOCK.search(heard), heard
    said = heard.lower().split()
    assert not any(said[i:i + 4] == said[i + 4:i + 8] for i in range(len(said) - 7)), heard
