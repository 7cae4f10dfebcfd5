"""Stopping an answer after the candidate has gone quiet (the optional silence auto-stop)."""

from __future__ import annotations

import numpy as np

from mockinterviewer.speech.audio import block_peak

# A block whose peak stays below this (about -30 dBFS) is quiet: room noise, breathing.
QUIET_PEAK = 0.03


class SilenceWatch:
    """Fed every recorded block; says when ``seconds`` of quiet have followed some speech.
    Counted in samples, so it agrees with the recording whatever the device's clock does."""

    def __init__(self, seconds: float, samplerate: int):
        self.limit = int(seconds * samplerate)
        self.spoke = False
        self.quiet = 0

    def feed(self, block: np.ndarray) -> bool:
        if len(block) == 0:
            return False
        if block_peak(block) >= QUIET_PEAK:
            self.spoke, self.quiet = True, 0
        else:
            self.quiet += len(block)
        return self.spoke and self.quiet >= self.limit
