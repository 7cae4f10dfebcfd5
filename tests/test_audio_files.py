"""Reading audio files: every bad file gets one sentence naming it."""

import numpy as np
import pytest
import soundfile

from mockinterviewer.errors import AudioError
from mockinterviewer.speech.audio import load_audio, resample


def test_reads_wav_at_any_rate_as_16k_mono(tmp_path):
    stereo = np.stack([np.sin(np.arange(44100) / 10), np.zeros(44100)], axis=1).astype(np.float32) * 0.5
    path = tmp_path / "stereo.wav"
    soundfile.write(path, stereo, 44100)
    samples = load_audio(path)
    assert samples.dtype == np.float32
    assert abs(len(samples) - 16000) <= 32
    assert 0.2 < np.abs(samples).max() < 0.3  # two channels averaged


@pytest.mark.parametrize("name, content, message", [
    ("missing.wav", None, "no such file"),
    ("empty.wav", b"", "is empty"),
    ("notes.wav", b"these are my notes, not audio " * 20, "not an audio file"),
])
def test_bad_files_are_named_in_one_sentence(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(AudioError) as err:
        load_audio(path)
    assert message in str(err.value) and name in str(err.value)
    assert "\n" not in str(err.value)


def test_resample_keeps_duration():
    one_second = np.zeros(48000, np.float32)
    assert abs(len(resample(one_second, 48000, 16000)) - 16000) <= 32
