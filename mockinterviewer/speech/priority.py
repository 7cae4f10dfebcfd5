"""Background work below the GUI thread's priority.

Transcription keeps both cores busy; at equal priority the window's thread queues behind it and
the candidate sees a stall. Linux applies a nice value per thread, and threads started by a
niced thread (CTranslate2's pool) inherit it. Elsewhere this does nothing.
"""

from __future__ import annotations

import os
import threading

BACKGROUND_NICE = 5
_done = threading.local()


def lower_this_thread(nice: int = BACKGROUND_NICE) -> None:
    if getattr(_done, "nice", 0) >= nice or not hasattr(os, "setpriority") or not hasattr(threading, "get_native_id"):
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
        _done.nice = nice
    except OSError:
        pass
