"""Answers the app did not get to score: found at the next start, repaired, offered for scoring.

The recorder appends to a WAV file as it records and brings its header up to date every second;
if the process dies, the header may still describe the file as it was up to a second earlier.
``repair_wav`` rewrites the two sizes in the header from the file's real length, so every
sample that reached the disk is recovered. A recording counts as finished once its result file
(``NAME.wav.result.json``) has been written beside it.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

RESULT_SUFFIX = ".result.json"


def result_path(recording: Path) -> Path:
    return recording.with_name(recording.name + RESULT_SUFFIX)


def save_result(recording: Path, result: dict) -> Path:
    """Mark ``recording`` as scored by writing its result beside it (atomically)."""
    target = result_path(recording)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    tmp.replace(target)
    return target


def unfinished(recordings_dir: Path) -> list[Path]:
    """Recordings with no result: the app stopped (or was killed) before scoring them."""
    if not recordings_dir.is_dir():
        return []
    return sorted(p for p in recordings_dir.glob("*/*.wav") if not result_path(p).exists() and p.stat().st_size > 44)


def repair_wav(path: Path) -> float:
    """Make the header of a 16-bit PCM WAV agree with the file's length; return its seconds."""
    with open(path, "r+b") as f:
        head = f.read(4096)
        if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise ValueError(f"{path} is not a WAV file")
        pos, rate, block_align = 12, 16000, 2
        while pos + 8 <= len(head):
            chunk, size = head[pos:pos + 4], struct.unpack("<I", head[pos + 4:pos + 8])[0]
            if chunk == b"fmt ":
                rate = struct.unpack("<I", head[pos + 12:pos + 16])[0]
                block_align = struct.unpack("<H", head[pos + 20:pos + 22])[0]
            if chunk == b"data":
                data_start = pos + 8
                f.seek(0, 2)
                data_size = (f.tell() - data_start) // block_align * block_align
                f.seek(4)
                f.write(struct.pack("<I", data_start - 8 + data_size))
                f.seek(pos + 4)
                f.write(struct.pack("<I", data_size))
                return data_size / block_align / rate
            pos += 8 + size + (size & 1)
    raise ValueError(f"{path} has no audio data")
