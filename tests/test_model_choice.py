"""The model chosen when the setting is "auto": from the cores, a GPU and the models on this computer."""

import json
import shutil
import subprocess
import sys

import pytest

from mockinterviewer.speech import models
from mockinterviewer.speech.model_choice import choose_model, installed_models

ALL = {"tiny.en", "base", "small.en"}


@pytest.mark.parametrize("cores, cuda, installed, expected, because", [
    (2, False, ALL, "tiny.en", "2 CPU cores: base needs 4"),
    (1, False, {"tiny.en", "base"}, "tiny.en", "1 CPU core: base needs 4"),
    (4, False, {"tiny.en", "base"}, "base", "4 CPU cores and the base model is installed"),
    (16, False, ALL, "base", "16 CPU cores and the base model is installed"),  # small.en is for a GPU only
    (8, False, {"tiny.en"}, "tiny.en", 'the base model is not installed (pip install "mockinterviewer[base]")'),
    (2, True, ALL, "small.en", "a CUDA GPU is present and small.en is downloaded"),
    (2, True, {"tiny.en", "base"}, "base", "small.en is not downloaded (choose small.en in Settings"),
    (8, True, {"tiny.en"}, "tiny.en", "small.en is not downloaded (choose small.en in Settings to download it) "
                                      "and the base model is not installed"),
])
def test_the_default_model_follows_the_hardware(cores, cuda, installed, expected, because):
    choice = choose_model(cores, cuda, installed)
    assert choice.name == expected
    assert because in choice.reason


def test_a_downloaded_model_counts_as_installed_and_a_half_downloaded_one_does_not(tmp_path):
    folder = models.download_dir("small.en", tmp_path)
    folder.mkdir(parents=True)
    (folder / "model.bin").write_bytes(b"weights")
    assert "small.en" not in installed_models(tmp_path)  # no config.json: not a model yet
    (folder / "config.json").write_text("{}")
    assert "small.en" in installed_models(tmp_path)
    assert "tiny.en" in installed_models(tmp_path)  # bundled with the app


def _doctor(*args, cores="0"):
    taskset = shutil.which("taskset")
    prefix = [taskset, "-c", cores] if taskset else []
    return subprocess.run([*prefix, sys.executable, "-m", "mockinterviewer", "doctor", *args],
                          capture_output=True, text=True, timeout=300)


def test_doctor_says_which_model_was_chosen_for_this_computer_and_why():
    if not shutil.which("taskset"):
        pytest.fail("taskset (util-linux) is needed to run the doctor on one core")
    out = _doctor(cores="0")  # the process may use one core only
    assert out.returncode == 0, out.stderr
    assert "Model: ok - tiny.en" in out.stdout
    assert "chosen for this computer: 1 CPU core: base needs 4 to keep the score instant, so tiny.en" in out.stdout
    report = json.loads(_doctor("--json", cores="0").stdout)
    assert report["model"]["setting"] == "auto" and report["model"]["name"] == "tiny.en"
    assert report["model"]["chosen_for_this_computer"]["name"] == "tiny.en"


def test_doctor_names_no_choice_when_the_user_chose_the_model():
    out = _doctor("--model", "tiny.en")
    assert out.returncode == 0, out.stderr
    assert "Model: ok - tiny.en" in out.stdout and "chosen for this computer" not in out.stdout
