"""How many NVIDIA GPUs CTranslate2 sees: what the model choice and the transcriber both ask."""

from __future__ import annotations


def cuda_device_count() -> int:
    try:
        import ctranslate2

        return ctranslate2.get_cuda_device_count()
    except Exception:  # a broken CUDA install must not stop the CPU path
        return 0
