"""Running blocking work off the GUI thread, with the result delivered back on it.

Model loading, transcription, text-to-speech and opening audio devices all block; they go
through a ``TaskRunner``, whose callbacks run on the GUI thread (the runner lives there, and
its signals are emitted from the pool's threads, so Qt queues them).
"""

from __future__ import annotations

import itertools
import logging
from typing import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from mockinterviewer.speech.priority import lower_this_thread

log = logging.getLogger(__name__)


class _Task(QRunnable):
    def __init__(self, runner: "TaskRunner", task_id: int, fn: Callable):
        super().__init__()
        self.runner, self.task_id, self.fn = runner, task_id, fn

    def run(self):
        if self.runner.nice:
            lower_this_thread(self.runner.nice)
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, never lost
            self._deliver(self.runner._failed, exc)
        else:
            self._deliver(self.runner._done, result)

    def _deliver(self, signal, value):
        try:
            signal.emit(self.task_id, value)
        except RuntimeError:  # the runner's owner (a closed window or view) is gone: nobody to tell
            log.debug("task %s finished after its runner was deleted", self.task_id)


class TaskRunner(QObject):
    _done = Signal(int, object)
    _failed = Signal(int, object)
    busyChanged = Signal(bool)

    def __init__(self, max_threads: int, parent: QObject | None = None, on_unexpected=None, nice: int = 0):
        super().__init__(parent)
        self.nice = nice
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple] = {}
        self._on_unexpected = on_unexpected
        self._done.connect(self._deliver_done)
        self._failed.connect(self._deliver_failed)

    def submit(self, fn: Callable, on_done: Callable | None = None, on_error: Callable | None = None) -> int:
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_done, on_error)
        if len(self._callbacks) == 1:
            self.busyChanged.emit(True)
        self.pool.start(_Task(self, task_id, fn))
        return task_id

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def _pop(self, task_id):
        callbacks = self._callbacks.pop(task_id, (None, None))
        if not self._callbacks:
            self.busyChanged.emit(False)
        return callbacks

    @Slot(int, object)
    def _deliver_done(self, task_id, result):
        on_done, _ = self._pop(task_id)
        if on_done:
            on_done(result)

    @Slot(int, object)
    def _deliver_failed(self, task_id, exc):
        _, on_error = self._pop(task_id)
        if on_error:
            on_error(exc)
        elif self._on_unexpected:
            self._on_unexpected(exc)
        else:
            log.error("background task failed", exc_info=exc)

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)
