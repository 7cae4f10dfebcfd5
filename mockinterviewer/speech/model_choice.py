"""Which Whisper model to use when the user has not chosen one: the best this computer can afford.

Measured in docs/scoring.md (Word error rate): base makes fewer errors than tiny.en but decodes
about three times slower, which two cores cannot spare while keeping the score instant; a GPU
runs a larger English model faster than a CPU runs tiny.en. Nothing is downloaded to make the
choice: a model that is not on this computer is named in the reason instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Collection

from mockinterviewer.speech import models

AUTO = "auto"            # the setting's value that asks for this choice
GPU_MODEL = "small.en"   # a larger English model, for a CUDA GPU
MANY_CORES = 4           # from this many cores base keeps up while the candidate speaks


@dataclass(frozen=True)
class ModelChoice:
    name: str
    reason: str  # why, in words a user can act on (lower case; shown after "chosen for this computer:")


def choose_model(cores: int, cuda: bool, installed: Collection[str]) -> ModelChoice:
    """The default model for a computer with ``cores`` CPU cores, a usable CUDA GPU or not, and
    the models in ``installed`` (usable without a download)."""
    if cuda:
        if GPU_MODEL in installed:
            return ModelChoice(GPU_MODEL, f"a CUDA GPU is present and {GPU_MODEL} is downloaded")
        missing = (f"a CUDA GPU is present, but {GPU_MODEL} is not downloaded "
                   f"(choose {GPU_MODEL} in Settings to download it)")
        if "base" in installed:
            return ModelChoice("base", f"{missing}; base, installed, is the next best")
        return ModelChoice(models.BUNDLED_NAME, f"{missing} and the base model is not installed")
    plural = "s" if cores != 1 else ""
    if cores >= MANY_CORES:
        if "base" in installed:
            return ModelChoice("base", f"{cores} CPU cores and the base model is installed")
        return ModelChoice(models.BUNDLED_NAME, f"{cores} CPU cores, but the base model is not installed "
                                                '(pip install "mockinterviewer[base]")')
    return ModelChoice(models.BUNDLED_NAME, f"{cores} CPU core{plural}: base needs {MANY_CORES} to keep the score "
                                            "instant, so tiny.en")


def installed_models(cache_dir: Path) -> set[str]:
    """The models this computer has without a download: bundled, installed as packages, or downloaded."""
    found = {models.BUNDLED_NAME} if models.bundled_model_path() else set()
    found |= {name for name in models.PACKAGED if models.packaged_parts(name)}
    for name in (GPU_MODEL, "medium.en", "base.en", "small"):
        if models.is_model_dir(models.download_dir(name, cache_dir)):
            found.add(name)
    return found


def for_this_machine(cache_dir: Path, device: str = "auto") -> ModelChoice:
    """``choose_model`` for this computer (imports CTranslate2 to look for a GPU: call it off the GUI thread)."""
    import os

    from mockinterviewer.speech.cuda import cuda_device_count

    try:
        cores = len(os.sched_getaffinity(0))  # the cores this process may run on
    except AttributeError:
        cores = os.cpu_count() or 1
    cuda = device != "cpu" and cuda_device_count() > 0
    return choose_model(cores, cuda, installed_models(cache_dir))
