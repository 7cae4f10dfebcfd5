"""The real bundled tiny.en model on speech no project code wrote."""

import numpy as np
import pytest

from mockinterviewer.errors import AudioError, ModelError
from mockinterviewer.speech import models, transcriber as transcriber_module
from mockinterviewer.speech.audio import load_audio
from mockinterviewer.speech.transcriber import TranscriberSettings, WhisperTranscriber, choose_device
from tests.conftest import shared_file


def test_bundled_model_is_the_default_and_needs_no_network():
    source = models.resolve(None)
    assert source.name == "tiny.en" and source.bundled
    assert (source.path / "model.bin").is_file()


def test_transcribes_synthetic_speech_with_word_timings(transcriber, espeak, speech_dir):
    wav = espeak("Dropout and early stopping both reduce overfitting.", speech_dir / "dropout.wav")
    result = transcriber.transcribe(load_audio(wav))
    text = result.text.lower()
    assert "dropout" in text.replace(" ", "") and "overfitting" in text
    assert result.words and result.words[0].start < result.words[-1].end <= result.duration + 0.5
    assert result.model == "tiny.en"


def test_transcribes_real_human_speech(transcriber):
    result = transcriber.transcribe(load_audio(shared_file("audio", "jfk.flac")))
    assert "ask not what your country can do for you" in result.text.lower()


def test_silence_is_refused_not_invented(transcriber):
    with pytest.raises(AudioError, match="silent"):
        transcriber.transcribe(np.zeros(16000 * 3, np.float32))


def test_noise_without_speech_yields_no_transcript(transcriber):
    noise = (np.random.default_rng(0).standard_normal(16000 * 4) * 0.01).astype(np.float32)
    with pytest.raises(AudioError, match="No speech"):
        transcriber.transcribe(noise)


def test_making_a_transcriber_loads_nothing():
    # The window makes one on the GUI thread; finding and loading the model happen in load().
    model = WhisperTranscriber(TranscriberSettings(model="no-such-model"))
    assert not model.loaded and model.model_label == "no-such-model"
    with pytest.raises(ModelError, match="Unknown Whisper model"):
        model.load()


def test_model_folder_and_name_errors_are_one_sentence(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        models.resolve(str(tmp_path / "nowhere"))
    with pytest.raises(ModelError, match="not a CTranslate2 Whisper model folder"):
        models.resolve(str(tmp_path))
    with pytest.raises(ModelError, match="Unknown Whisper model 'gigantic'"):
        models.resolve("gigantic")


def test_a_model_that_cannot_be_downloaded_fails_clearly(tmp_path):
    # No network reaches a model hub on these machines; with a network this id does not exist.
    model = WhisperTranscriber(TranscriberSettings(model="Systran/faster-whisper-no-such-model", device="cpu",
                                                   cache_dir=tmp_path))
    with pytest.raises(ModelError) as err:
        model.load()
    assert "Could not download the Whisper model 'Systran/faster-whisper-no-such-model'" in str(err.value)
    assert "bundled 'tiny.en'" in str(err.value)


def test_a_local_model_folder_is_used(tmp_path):
    # The bundled model's folder, named as a user would name their own converted model.
    folder = models.bundled_model_path()
    model = WhisperTranscriber(TranscriberSettings(model=str(folder), device="cpu"))
    model.load()
    assert not model.source.bundled and model.source.path == folder.resolve()
    assert model.model_label == str(folder)


def test_cuda_is_chosen_when_ctranslate2_sees_a_gpu(monkeypatch):
    # No GPU exists on the test machines, so the count CTranslate2 reports is the one thing faked
    # here; the real CUDA path is checked on a GPU machine (see README, "GPU").
    monkeypatch.setattr(transcriber_module, "cuda_device_count", lambda: 1)
    assert choose_device("auto") == ("cuda", "float16")
    monkeypatch.setattr(transcriber_module, "cuda_device_count", lambda: 0)
    assert choose_device("auto") == ("cpu", "int8")
    assert choose_device("cpu") == ("cpu", "int8")
    with pytest.raises(ModelError):
        choose_device("tpu")


def test_a_model_shipped_in_pieces_is_joined_checked_and_loads(tmp_path):
    # The bundled model cut in two stands in for the base packages (133 MB the tests do not install).
    import hashlib
    import shutil

    whole = models.bundled_model_path()
    pieces = tmp_path / "pieces"
    pieces.mkdir()
    data = (whole / "model.bin").read_bytes()
    (pieces / "model.bin.part1").write_bytes(data[: len(data) // 2])
    (pieces / "model.bin.part2").write_bytes(data[len(data) // 2:])
    for extra in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copyfile(whole / extra, pieces / extra)
    parts = (pieces / "model.bin.part1", pieces / "model.bin.part2")
    with pytest.raises(ModelError, match="damaged"):
        models.join_parts(parts, "0" * 64, tmp_path / "bad")
    assert not (tmp_path / "bad" / "model.bin").exists()
    joined = models.join_parts(parts, hashlib.sha256(data).hexdigest(), tmp_path / "joined")
    model = WhisperTranscriber(TranscriberSettings(model=str(joined), device="cpu"))
    model.load()
    assert model.loaded


def test_base_without_its_packages_says_how_to_get_it(tmp_path):
    import subprocess
    import sys

    if models.packaged_parts("base"):
        pytest.skip("the base packages are installed here, so nothing would be downloaded")
    # Offline for certain, wherever the test runs: the hub client is told so before it loads.
    code = ("from mockinterviewer.speech.transcriber import *; from pathlib import Path; "
            f"WhisperTranscriber(TranscriberSettings(model='base', device='cpu', cache_dir=Path({str(tmp_path)!r}))).load()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**__import__("os").environ, "HF_HUB_OFFLINE": "1"})
    assert out.returncode != 0
    assert "Could not download the Whisper model 'base'" in out.stderr
    assert 'pip install "mockinterviewer[base]"' in out.stderr
