"""Audio devices that keep the pace of real sound, for the tests that depend on time passing.

ALSA's file devices are not paced: a file "microphone" delivers its whole file in milliseconds and
a file "speaker" takes a whole answer at once. Silence auto-stop, pausing a replay and killing the
app mid-answer need a clock. Here each device's file is a FIFO, and a thread of the test process
works the other end at the pace of real audio (../shared/TESTING-AUDIO.md describes the idea):

- ``PacedMicrophone`` writes speech and then silence into the microphone's FIFO, 20 ms at a time,
  no faster than a microphone would. Each time a reader opens the FIFO (a stream, or PortAudio
  probing the device) the speech starts again from its beginning.
- ``PacedSpeaker`` reads the speaker's FIFO 20 ms at a time, so playback blocks as on a sound
  card, and keeps what it read.

PortAudio opens every configured device when it starts, and opening a FIFO waits for its other
end, so both threads run for the whole test session, in every test process and its children.
"""

from __future__ import annotations

import fcntl
import os
import struct
import termios
import threading
import time
from pathlib import Path

TICK = 0.02  # seconds of audio per read of the speaker
# ALSA's file plugin reads the microphone's file one period at a time and, when a read comes back
# short, hands out stale buffer contents for the rest of the period: speech would be stretched
# and smeared into the quiet after it. So the microphone is written one whole period at a time
# (PortAudio opens these devices with 383-frame periods at 44.1 kHz, seen with strace);
# tests/test_realtime_devices.py checks that speech comes out at its own length.
MIC_PERIOD_FRAMES = 383


class PacedMicrophone(threading.Thread):
    def __init__(self, fifo: Path, rate: int):
        super().__init__(name="paced-microphone", daemon=True)
        self.fifo, self.rate = fifo, rate
        self.chunk = MIC_PERIOD_FRAMES * 2  # 16-bit mono: under PIPE_BUF, so each write is whole
        self.speech = b""
        self.readers = 0  # how many times a reader has opened the FIFO
        self._halt = threading.Event()
        os.mkfifo(fifo)

    def load(self, pcm: bytes) -> None:
        """Speech (16-bit mono at ``rate``) for the next reader to open the microphone."""
        self.speech = pcm + b"\0" * (-len(pcm) % self.chunk)  # whole periods only

    def run(self) -> None:
        silence = b"\0" * self.chunk
        while not self._halt.is_set():
            fd = os.open(self.fifo, os.O_WRONLY)  # waits for a reader
            self.readers += 1
            speech, sent, start = self.speech, 0, time.monotonic()
            try:
                while not self._halt.is_set():
                    piece = speech[sent:sent + self.chunk] if sent < len(speech) else silence
                    os.write(fd, piece or silence)
                    sent += self.chunk
                    ahead = start + sent / 2 / self.rate - time.monotonic()
                    if ahead > 0:
                        self._halt.wait(ahead)
            except BrokenPipeError:
                pass  # the reader closed it: start again for the next one
            finally:
                os.close(fd)

    def stop(self) -> None:
        self._halt.set()
        try:  # release a writer waiting in open()
            os.close(os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK))
        except OSError:
            pass
        self.join(5)


class PacedSpeaker(threading.Thread):
    def __init__(self, fifo: Path, bytes_per_second: int):
        super().__init__(name="paced-speaker", daemon=True)
        self.fifo = fifo
        self.chunk = int(bytes_per_second * TICK)
        self.received = bytearray()
        self._halt = threading.Event()
        os.mkfifo(fifo)
        # Held open for the whole session, so a writer's open() never waits.
        self._fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)

    def run(self) -> None:
        while not self._halt.wait(TICK):
            try:
                data = os.read(self._fd, self.chunk)
            except BlockingIOError:
                continue
            self.received += data

    def drained(self) -> bool:
        """Nothing played is left waiting in the FIFO."""
        return struct.unpack("i", fcntl.ioctl(self._fd, termios.FIONREAD, b"\0" * 4))[0] == 0

    def take(self) -> bytes:
        """What was played since the last call."""
        data, self.received = bytes(self.received), bytearray()
        return data

    def stop(self) -> None:
        self._halt.set()
        self.join(5)
        os.close(self._fd)
