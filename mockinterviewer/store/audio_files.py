"""Answers kept losslessly: the recorder's WAV becomes FLAC (about half the size) once scored.

The FLAC is written under a temporary name, read back and compared sample for sample with the
WAV, and only then takes its final name; the caller deletes the WAV after that. A failure
(a full disk, an unreadable file) leaves the WAV as it was.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import numpy as np
import soundfile

# WAV sample formats FLAC stores exactly, and the dtype that reads them without rounding.
_LOSSLESS = {"PCM_16": "int16", "PCM_24": "int32", "PCM_U8": "int16", "PCM_S8": "int16"}


def flac_path(wav: Path) -> Path:
    return Path(wav).with_suffix(".flac")


def compress_to_flac(wav: Path) -> Path | None:
    """Write ``wav`` as FLAC beside it and verify it; return the FLAC path, or None when the
    WAV's samples are floats, which FLAC cannot hold exactly (the WAV is then kept)."""
    wav = Path(wav)
    info = soundfile.info(str(wav))
    dtype = _LOSSLESS.get(info.subtype)
    if dtype is None:
        return None
    samples, rate = soundfile.read(str(wav), dtype=dtype, always_2d=True)
    target = flac_path(wav)
    part = target.with_name(target.name + ".part")
    subtype = "PCM_24" if info.subtype == "PCM_24" else "PCM_16"
    try:
        soundfile.write(str(part), samples, rate, format="FLAC", subtype=subtype)
        back, back_rate = soundfile.read(str(part), dtype=dtype, always_2d=True)
        if back_rate != rate or back.shape != samples.shape or not np.array_equal(back, samples):
            raise OSError(f"the FLAC copy of {wav.name} does not match it")
        os.replace(part, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
    return target
